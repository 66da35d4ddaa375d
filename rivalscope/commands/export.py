"""``rivalscope export``: reviews, offers, price history, opinions or findings as CSV, JSON
lines or Parquet, streamed from the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rivalscope.options import DbOption
from settings.user_errors import UserError

SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def export(
    dataset: Annotated[
        str,
        typer.Argument(
            help="reviews, offers (each product with its latest price), prices (every "
            "observed price change), opinions (each aspect opinion the analysis found, with "
            "its sentence) or findings (of every stored report).",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, jsonl or parquet (default: from the --out suffix .csv, .jsonl, "
            ".ndjson or .parquet; csv without --out or a suffix).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write (default, or -: standard output).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only rows from this date (YYYY-MM-DD): reviews published, offers last "
            "seen, prices observed (and the price then in force, in_force_at_since), "
            "findings reported.",
            show_default=False,
        ),
    ] = None,
    company: Annotated[
        str | None,
        typer.Option(
            "--company",
            "-c",
            help="Only this company (accents and case do not matter).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export raw data, streamed in batches (memory stays flat on millions of rows).

    Reviewers appear only as pseudonyms; CSV cells that would run as spreadsheet
    formulas are prefixed with an apostrophe; a file appears only when complete.

    Example: rivalscope export reviews --since 2025-01-01 --out reviews.parquet
    """
    from storage.db import READING, database_url, open_database
    from storage.export import export as run_export

    if out is not None and str(out) == "-":  # the usual spelling of standard output
        out = None
    fmt = output_format or _format_of(out)
    named = SUFFIX_FORMATS.get(out.suffix.lower()) if out is not None else None
    if output_format is not None and named is not None and named != output_format.lower():
        # --format csv --out x.parquet: a CSV file no parquet reader opens
        raise UserError(f"--format {output_format} contradicts --out {out} (a {named} name)")
    since_date = None
    if since is not None:
        try:
            since_date = date.fromisoformat(since)
        except ValueError:
            raise UserError(f"--since must be a date like 2025-01-31, not {since!r}") from None
    engine = open_database(database_url(db), existing=True, bounded_waits=READING)
    try:
        result = run_export(engine, dataset, fmt, out=out, since=since_date, company=company)
    finally:
        engine.dispose()
    if result.path is not None:
        typer.echo(f"{result.rows} {dataset} written to {result.path} ({fmt})", err=True)


def _format_of(out: Path | None) -> str:
    """The format ``--out``'s suffix names: csv without a suffix (or without --out); a
    suffix we write no format for is a mistake (``x.xlsx`` full of CSV helps no one)."""
    if out is None or not out.suffix:
        return "csv"
    fmt = SUFFIX_FORMATS.get(out.suffix.lower())
    if fmt is None:
        *most, last = SUFFIX_FORMATS
        formats = "|".join(sorted(set(SUFFIX_FORMATS.values())))
        raise UserError(
            f"--out {out}: no format is written as {out.suffix!r}; name the file "
            f"{', '.join(most)} or {last}, or pass --format {formats}"
        )
    return fmt


def register(app: typer.Typer) -> None:
    app.command()(export)

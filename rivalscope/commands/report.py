"""``rivalscope report``: the competitor gap report (HTML, Markdown, CSV, JSON)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rivalscope.options import DbOption

console = Console(soft_wrap=True)
TOP_SHOWN = 10


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report files.")] = Path(
        "rivalscope-report"
    ),
    competitor: Annotated[
        list[str] | None,
        typer.Option(
            "--competitor", "-c", help="Only this competitor (repeatable).", show_default=False
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="First review date (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="Last review date (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    min_sample: Annotated[
        int, typer.Option("--min-sample", help="Fewest opinions on each side to call a gap.")
    ] = 20,
    db: DbOption = None,
) -> None:
    """Write the gap report: ranked opportunities, aspect gaps with intervals, prices, needs.

    Writes report.html (self-contained), summary.md, findings.csv, findings.json and
    aspects.csv into --out, and stores the findings (see `rivalscope findings`).

    Example: rivalscope report --out report --competitor "Maison Lumière" --since 2025-01-01
    """
    from compare.report.build import build_report
    from storage.db import database_url, open_database

    engine = open_database(database_url(db))
    try:
        result = build_report(
            engine,
            out,
            competitors=competitor or None,
            since=_day(since),
            until=_day(until),
            min_sample=min_sample,
            progress=lambda step: console.print(f"[dim]… {step}[/]"),
        )
    finally:
        engine.dispose()
    table = Table(title="Top opportunities", title_justify="left")
    for column in ("#", "competitor", "aspect", "segment", "kind", "effect [95% CI]", "n", "score"):
        table.add_column(column, justify="right" if column in ("#", "n", "score") else "left")
    for rank, f in enumerate(result.findings[:TOP_SHOWN], start=1):
        e = f.effect
        table.add_row(
            str(rank),
            f.competitor,
            f.aspect,
            f.segment.describe() if f.segment.dimension != "all" else "all",
            f.kind.replace("_", " "),
            f"{e.value:+.2f} [{e.low:+.2f}, {e.high:+.2f}]",
            str(f.sample_size),
            f"{f.score:.1f}",
        )
    if result.findings:
        console.print(table)
    else:
        console.print("No significant gap found.")
    console.print(f"Report written: [bold]{result.html_path}[/]")


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def register(app: typer.Typer) -> None:
    app.command()(report)

"""``rivalscope import``: load a company's own reviews or offers from CSV / JSON lines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rivalscope.options import DbOption

console = Console(soft_wrap=True)
MAX_LISTED = 20


def import_(
    file: Annotated[Path, typer.Argument(help="CSV (header line) or JSON-lines file.")],
    company: Annotated[str, typer.Option("--company", "-c", help="Company the rows belong to.")],
    own: Annotated[bool, typer.Option("--own", help="The company is your own.")] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            help="reviews or offers (default: guessed from the columns).", show_default=False
        ),
    ] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of the file.")] = "utf-8",
    language: Annotated[
        str | None,
        typer.Option(help="Language hint (ISO 639-1) for rows without one.", show_default=False),
    ] = None,
    db: DbOption = None,
) -> None:
    """Import your own (or a competitor's) reviews or offers.

    Review columns: text (required), rating, best_rating (default 5), date, title,
    product, author, region, language, id. Offer columns: product, price, currency,
    availability, sku, gtin, plan, url, date. Bad rows are listed by line number;
    importing the same file again adds nothing.

    Example: rivalscope import reviews.csv --company "Nordlys Kaffe" --own
    """
    from storage.db import database_url, describe_url, open_database
    from storage.importer import import_file

    if kind not in (None, "reviews", "offers"):
        raise typer.BadParameter("use reviews or offers", param_hint="--kind")
    url = database_url(db)
    engine = open_database(url)
    try:
        report = import_file(
            engine,
            file,
            company=company,
            own=own,
            kind=kind,  # type: ignore[arg-type]
            encoding=encoding,
            language_hint=language,
        )
    finally:
        engine.dispose()
    what = "reviews" if report.kind == "reviews" else "offer observations"
    console.print(
        f"{file}: {report.rows} rows, [green]{report.stored} new {what}[/], "
        f"{report.duplicates} already stored, [red]{len(report.bad)} rejected[/] "
        f"-> {describe_url(url)}"
    )
    for line, reason in report.bad[:MAX_LISTED]:
        console.print(f"  line {line}: {reason}", markup=False, highlight=False)
    if len(report.bad) > MAX_LISTED:
        console.print(f"  … and {len(report.bad) - MAX_LISTED} more")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)

"""``rivalscope import``: load a company's own reviews or offers from CSV / JSON lines."""

from __future__ import annotations

import codecs
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.markup import escape

from rivalscope.display import command_console, counted
from rivalscope.options import DbOption
from settings.user_errors import UserError

console = command_console()
MAX_LISTED = 20


def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help=(
                "CSV (header line), JSON-lines or JSON (one array of objects) file; - reads "
                "standard input (any of them)."
            )
        ),
    ],
    company: Annotated[str, typer.Option("--company", "-c", help="Company the rows belong to.")],
    own: Annotated[bool, typer.Option("--own", help="The company is your own.")] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            help="reviews or offers (default: guessed from the columns).", show_default=False
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help=(
                "Text encoding of the file (e.g. cp1250, cp1252). Default: utf-8, or utf-16 "
                "when the file begins with UTF-16's byte-order mark (Excel's Unicode text)."
            ),
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            help=(
                "Language hint (a code such as fr, or a tag such as en-US) for rows without a "
                "language column value: their "
                "language is still detected, and the hint decides only where detection is "
                "unsure (or between Norwegian, Danish and Swedish). It also orders numeric "
                "dates: with fr, pl, no or en-GB, 05/12/2026 is 5 December; with en-US, 12 May."
            ),
            show_default=False,
        ),
    ] = None,
    new_company: Annotated[
        bool,
        typer.Option(
            "--new-company", help="Create --company if the database has no company of that name."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check every row and say what would be stored; write nothing."
        ),
    ] = False,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="NAME=COLUMN",
            help=(
                "Read the file's COLUMN as NAME, one of the columns above (repeatable), for "
                'exports with their own headers: --column text=Kommentar --column "rating=Review '
                'Stars". In JSON, COLUMN may be a dotted path to a field inside objects: '
                "--column author=consumer.displayName --column rating=rating.value; a path "
                "none of the first 1,000 rows holds refuses the file, saying what they hold "
                "(one that is null in them is read as no value, but for the text)"
            ),
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="COLUMN",
            help=(
                "Leave the file's COLUMN unread (repeatable): an export's columns rivalscope "
                "does not read (a CSV's is refused, a JSON row with one too). In JSON, a "
                "dotted path (consumer.countryCode) or an object with all its fields "
                "(--ignore consumer)."
            ),
            show_default=False,
        ),
    ] = None,
    rating_scale: Annotated[
        str | None,
        typer.Option(
            "--rating-scale",
            metavar="LOW-HIGH",
            help=(
                "Scale of ratings whose row states none (no best_rating column, no 8/10), "
                "e.g. 0-10 for a recommendation score or 1-10. Default: 1-5."
            ),
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Import your own (or a competitor's) reviews or offers.

    Review columns: text (required), rating, best_rating (default 5), worst_rating
    (default 1; 0 on scales above 10), date, title,
    product, author, region, language, id. A row's language value (a code or tag such as
    nb-NO) is trusted: that row skips detection (the fastest import). Offer columns: product, price, currency,
    availability, sku, gtin, plan, url, date. A JSON null is no value (the summary counts
    the rows stored without one). Bad rows are listed by line number;
    importing the same file again adds nothing. A company the database does not hold yet
    needs --new-company (so that a misspelt name does not create a second company).
    Exits 0 when every row was read, 1 when some were rejected (the others are stored;
    fix those lines and import the file again), 2 on a file or option mistake.

    Example: rivalscope import reviews.csv --company "Nordlys Kaffe" --own
    Example: other-tool --csv | rivalscope import - -c "Nordlys Kaffe" --own
    Example: rivalscope import eksport.csv -c "Nordlys Kaffe" --column text=Kommentar
    --column rating=Vurdering --column date=Dato
    Example: rivalscope import reviews.json -c "Nordlys Kaffe" --column
    author=consumer.displayName --column rating=rating.value --column date=dates.publishedDate
    """
    from settings.languages import known_language_code
    from spiders.file_import import import_file
    from spiders.import_rows import check_encoding, check_readable, default_encoding
    from storage.db import database_url, describe_url, open_database

    if kind not in (None, "reviews", "offers"):
        raise typer.BadParameter("use reviews or offers", param_hint="--kind")
    if language is not None:
        try:
            known_language_code(language)  # the tag itself goes on: its region orders dates
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--language") from None
    renamed = _renamed_columns(column or [])
    renamed.update(_ignored_columns(ignore or [], renamed))
    scale = _rating_scale(rating_scale) if rating_scale is not None else None
    url = database_url(db)
    named = "standard input" if str(file) == STDIN else str(file)
    with _readable(file, sys.stdin.buffer) as path:
        check_readable(path)  # a missing file is said first, and creates no database
        encoding = default_encoding(path) if encoding is None else encoding
        check_encoding(encoding)  # '' too; before a new database is created
        engine = open_database(url)
        try:
            with _rows_shown(named, sys.stderr.isatty()) as on_rows:
                report = import_file(
                    engine,
                    path,
                    company=company,
                    own=own,
                    kind=kind,  # type: ignore[arg-type]
                    encoding=encoding,
                    language_hint=language,
                    new_company=new_company,
                    dry_run=dry_run,
                    renamed=renamed,
                    rating_scale=scale,
                    on_rows=on_rows,
                )
        finally:
            engine.dispose()
    noun = "new review" if report.kind == "reviews" else "new offer observation"
    rows, new = counted(report.rows, "row"), counted(report.stored, noun)
    if dry_run:
        console.print(
            f"dry run, nothing written: {escape(named)}: {rows}, "
            f"[green]{new} would be stored[/] "
            f"({'at most, ' if report.kind == 'offers' else ''}"
            f"{escape('for a new company ' + repr(company) if report.created_company else repr(company))}), "
            f"{report.duplicates} already stored, "
            + (
                f"{report.edited} edited (their new text would be stored), "
                if report.edited
                else ""
            )
            + f"[red]{report.rejected} rejected[/] "
            f"-> {escape(describe_url(url))}",
            markup=True,
        )
    else:
        console.print(
            f"{escape(named)}: {rows}, [green]{new}[/], "
            f"{report.duplicates} already stored, "
            + (f"{report.edited} edited, " if report.edited else "")
            + f"[red]{report.rejected} rejected[/] "
            f"-> {escape(describe_url(url))}",
            markup=True,
        )
    if report.without:  # null or left out in a JSON row, or no field where --column named one
        lacking = ", ".join(
            f"{name} in {counted(n, 'row')}" for name, n in sorted(report.without.items())
        )
        console.print(
            f"  {'would be stored' if dry_run else 'stored'} without a value (null or absent): "
            f"{lacking}",
            markup=False,
            highlight=False,
        )
    if report.edited and not dry_run:
        console.print(
            f"  {counted(report.edited, 'stored review')} {'was' if report.edited == 1 else 'were'} edited since (same id, and the same "
            "reviewer or date): their new text replaces the old one, kept as "
            "text_before_edit; `rivalscope analyze` reads them again",
            markup=False,
        )
    if report.scandinavian is not None:
        from settings.languages import registered_language

        known = registered_language(report.scandinavian)
        name = known.english_name if known is not None else report.scandinavian
        console.print(
            f"  the file's long reviews are in {name}: its reviews detected as Danish, "
            f"Norwegian or Swedish were stored as {name} (--language sets it)",
            markup=False,
            highlight=False,
        )
    if report.date_order is not None:
        first, example = report.date_order
        console.print(
            f"  the file's dates write the {first} first (as in {example!r}): its dates that "
            f"could be either were read so (--language sets the order)",
            markup=False,
            highlight=False,
        )
    for line, reason in sorted(report.bad)[:MAX_LISTED]:
        console.print(f"  line {line}: {reason}", markup=False, highlight=False)
    if report.rejected > MAX_LISTED:
        console.print(f"  … and {report.rejected - MAX_LISTED} more")
        for reason, count in report.reasons.most_common(10):
            console.print(f"  {count} × {reason}", markup=False, highlight=False)
    if report.rejected:
        raise typer.Exit(1)


STDIN = "-"


@contextmanager
def _rows_shown(named: str, terminal: bool) -> Iterator[Callable[[str, int], None] | None]:
    """On a terminal, a line on stderr counting the rows read, redrawn as the import goes
    (a file of millions of rows takes minutes, and said nothing until its summary); gone
    when the import ends. Elsewhere (cron, a pipe) nothing."""
    if not terminal:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(f"{escape(named)}: reading", total=None)

        def shown(doing: str, rows: int) -> None:
            progress.update(task, description=f"{escape(named)}: {doing}: {rows:,} rows read")

        yield shown


@contextmanager
def _readable(file: Path, stdin: BinaryIO) -> Iterator[Path]:
    """``file``, or for ``-`` standard input spooled to a temporary file, deleted after.

    Spooled because the import reads its file more than once (the header and the kind
    first, the rows after), and a pipe can be read only once; on disk, so that memory
    stays flat on a large export. The format is the first character's: ``{`` is JSON
    lines, ``[`` a JSON array, anything else CSV (its delimiter sniffed as for a .csv file).
    """
    if str(file) != STDIN:
        yield file
        return
    if stdin.isatty():
        raise typer.BadParameter(
            "- reads rows from standard input, and nothing is piped in: "
            "other-tool | rivalscope import - -c COMPANY",
            param_hint="FILE",
        )
    with tempfile.TemporaryDirectory(prefix="rivalscope-stdin-") as folder:
        start = stdin.read(4096)
        suffix = {"{": "jsonl", "[": "json"}.get(_first_character(start), "csv")
        path = Path(folder) / f"stdin.{suffix}"
        with path.open("wb") as spool:
            spool.write(start)
            shutil.copyfileobj(stdin, spool, 1 << 20)
        try:
            yield path
        except UserError as exc:
            # The message names the file to fix; the spool is nothing the user can open.
            exc.args = (str(exc).replace(str(path), "standard input"),)
            raise


def _first_character(start: bytes) -> str:
    """The first character of piped text other than a byte-order mark and spaces, read as
    UTF-16 after UTF-16's mark (a UTF-16 JSON export was read as CSV), else byte by byte."""
    if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = start[: len(start) // 2 * 2].decode("utf-16", errors="replace")
    else:
        text = start.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return text.lstrip("\ufeff \t\r\n")[:1]


_SCALE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:-|–|\.\.|to)\s*(\d+(?:[.,]\d+)?)\s*$")


def _rating_scale(written: str) -> tuple[float, float]:
    """``--rating-scale 0-10`` as (worst, best), checked."""
    from spiders.file_import import MAX_RATING_SCALE

    match = _SCALE.match(written)
    if match is None:
        raise typer.BadParameter(
            f"{written!r}: write LOW-HIGH, e.g. 0-10 or 1-5", param_hint="--rating-scale"
        )
    worst, best = (float(part.replace(",", ".")) for part in match.groups())
    if not worst < best <= MAX_RATING_SCALE:
        raise typer.BadParameter(
            f"{written!r}: the low end must be below the high end, at most {MAX_RATING_SCALE:g}",
            param_hint="--rating-scale",
        )
    return worst, best


def _renamed_columns(pairs: list[str]) -> dict[str, str]:
    """``--column NAME=COLUMN`` pairs as the file's column -> our name, checked."""
    from spiders.file_import import OFFER_COLUMNS, REVIEW_COLUMNS

    names = dict.fromkeys((*REVIEW_COLUMNS, *OFFER_COLUMNS))
    renamed: dict[str, str] = {}
    for pair in pairs:
        name, equals, file_column = pair.partition("=")
        name, file_column = name.strip().lower(), file_column.strip().lower()
        if not equals or not name or not file_column:
            raise typer.BadParameter(
                f"{pair!r}: write NAME=COLUMN, e.g. text=Kommentar", param_hint="--column"
            )
        if name not in names:
            raise typer.BadParameter(
                f"{name!r} is not a column rivalscope reads; use one of {', '.join(names)}",
                param_hint="--column",
            )
        if file_column in renamed or name in renamed.values():
            raise typer.BadParameter(f"{pair!r} renames a column twice", param_hint="--column")
        renamed[file_column] = name
    return renamed


def _ignored_columns(columns: list[str], renamed: dict[str, str]) -> dict[str, str]:
    """``--ignore COLUMN`` as the file's column -> ``IGNORED``, checked against ``renamed``."""
    from spiders.import_rows import IGNORED

    ignored: dict[str, str] = {}
    for written in columns:
        file_column = written.strip().lower()
        if not file_column:
            raise typer.BadParameter("give the column to leave unread", param_hint="--ignore")
        if file_column in renamed:
            raise typer.BadParameter(
                f"{written!r} is read with --column too: give it to one of them",
                param_hint="--ignore",
            )
        ignored[file_column] = IGNORED
    return ignored


def register(app: typer.Typer) -> None:
    app.command("import")(import_)

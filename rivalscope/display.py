"""Terminal rendering of library results (tables), shared by commands."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from settings.visible_text import visible_controls

if TYPE_CHECKING:  # storage pulls in SQLAlchemy: not for --help
    from datetime import datetime

    from storage.crawl_summary import CompanySummary
    from storage.models import CrawlRun

# Wide enough for the tables when output is piped (rich would assume 80 columns and wrap
# the headers of `runs` and the crawl summary); COLUMNS still wins when it is set.
_PIPED_WIDTH = 240
ERROR_CHARS = 300
"""Characters of an error shown on a status line (``step_error``)."""


def command_console() -> Console:
    """The console a command prints with: the terminal's width, COLUMNS when set, else
    ``_PIPED_WIDTH`` (tables piped to a file or a pager keep their columns readable).

    It reads no rich markup: what commands print (names, quotes, product names, paths) comes
    from crawled pages and users, and "[/]" or "[bold]" in it would stop the command
    (``MarkupError``) or vanish from the output. A line styled on purpose passes
    ``markup=True`` and its data through ``rich.markup.escape``."""
    return _Console(
        soft_wrap=True,
        markup=False,
        width=None if Console().is_terminal or os.environ.get("COLUMNS") else _PIPED_WIDTH,
    )


class _Console(Console):
    """A console whose text shows bidi overrides and control characters as their codes
    (``visible_controls``): a company named "Evil\u202eoC" or holding an escape sequence
    cannot reorder or restyle the line it is printed on. Rich's own styling is added after."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible_controls(text), **options)


console = command_console()


def echo(message: str, *, err: bool = False, nl: bool = True, fg: str | None = None) -> None:
    """``message`` printed as a line of plain text (``typer.secho``), its bidi overrides and
    control characters shown as codes as ``console`` shows them (``visible_controls``): for
    lines that may carry scraped names, titles, URLs or review text."""
    typer.secho(visible_controls(message), err=err, nl=nl, fg=fg)


LONG_WORD = 30
"""A word longer than this (a URL, a selector) may be cut ("…") to keep a table a table."""


def print_table(table: Table, *, out: Console | None = None) -> None:
    """Print ``table`` so that it reads on the terminal it is shown on.

    As rich draws it when it fits; narrower, each column keeps at least its longest word
    (rich alone cuts words to "deliv…" and numbers to "20…"; only words longer than
    ``LONG_WORD``, such as URLs, may be cut) and columns marked ``no_wrap``
    keep their whole values, the rest of the room going first to the columns that need
    least beyond that; drawn without borders when that lets it fit; when even that does
    not fit, one block of "header: value" lines per row, as psql's expanded display does."""
    out = out or console
    header = [_plain(out, column.header) for column in table.columns]
    rows = [[_plain(out, cell) for cell in column.cells] for column in table.columns]
    cells = [[header[at], *rows[at]] for at in range(len(header))]
    natural = [max(_longest(value, str.splitlines) for value in column) for column in cells]
    least = [
        natural[at]
        if column.no_wrap
        else min(max(_longest(value, str.split) for value in cells[at]), LONG_WORD)
        for at, column in enumerate(table.columns)
    ]
    room = out.width - _overhead(out, table, natural)
    for padding in ((0, 1, 0, 0), (0, 0, 0, 0)):
        if sum(least) <= room:
            break
        # Borders and padding cost up to three columns each: without them, the table may
        # still fit (the columns then part by two spaces, then by one).
        table.box, table.show_edge, table.padding = box.SIMPLE_HEAD, False, padding
        room = out.width - _overhead(out, table, natural)
    if sum(natural) <= room:
        out.print(table)
        return
    if sum(least) > room:
        _print_expanded(out, table, header, rows)
        return
    # The room left goes to the columns that need least first, so that they show whole;
    # the widest column (a text sample) wraps in what remains.
    widths, spare = list(least), room - sum(least)
    for at in sorted(range(len(widths)), key=lambda at: natural[at] - least[at]):
        given = min(natural[at] - least[at], spare)
        widths[at], spare = widths[at] + given, spare - given
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    out.print(table)


def _overhead(out: Console, table: Table, natural: list[int]) -> int:
    """Columns the table's borders and padding take beside its cells' text."""
    unbounded = out.options.update_width(10 * sum(natural) + 200)
    return out.measure(table, options=unbounded).maximum - sum(natural)


def _print_expanded(out: Console, table: Table, header: list[str], rows: list[list[str]]) -> None:
    if table.title:
        out.print(_plain(out, table.title), markup=False, highlight=False)
    names = [" ".join(name.split()) or "-" for name in header]
    width = max(map(len, names))
    for number in range(len(rows[0]) if rows else 0):
        out.print(f"-[ {number + 1} ]" + "-" * max(0, min(out.width, 40) - 6), highlight=False)
        for at, name in enumerate(names):
            value = " ".join(rows[at][number].split()) or "-"
            out.print(f"{name.ljust(width)} : {value}", markup=False, highlight=False)
    if table.caption:
        out.print(_plain(out, table.caption), markup=False, highlight=False)


def _plain(out: Console, renderable: RenderableType) -> str:
    """The text a cell or header shows, as rich prints it."""
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, str):
        return out.render_str(renderable).plain
    return str(renderable)


def _longest(value: str, parts: Callable[[str], list[str]]) -> int:
    return max((cell_len(part) for part in parts(value)), default=0)


RUN_COLUMNS = {"reviews": "reviews seen / new", "offers": "offers seen / changed"}
"""One crawl run's counts, worded the same in the crawl summary and `rivalscope runs`:
seen = extracted on the pages, new = not stored before, changed = price or availability
observation written."""


def counted(count: int | None, noun: str, plural: str | None = None) -> str:
    """ "1 review", "8 reviews", "0 reviews"."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def keyless_text(keyless: int, removed: int | None) -> str:
    """The line saying what was done with the rows an older rivalscope (a crawl it started
    before the upgrade, still writing) stored without keys: ``removed`` of them merged into
    the review they repeat (None: a dry run, nothing done)."""
    rows = f"{counted(keyless, 'review row')} stored without keys by an older rivalscope"
    if removed is None:
        return f"{rows} (a crawl started before the upgrade) would be keyed and merged"
    return f"{rows}: keyed ({removed} of them merged into the review they repeat)"


def keyless_warning(keyless: int) -> str:
    """The one line `analyze` and `report` print on stderr for the rows an older rivalscope
    stored without keys (``storage.keyless_rows.count_keyless``); the report's page says the
    same."""
    from storage.keyless_rows import keyless_warning_text

    return f"warning: {keyless_warning_text(keyless)}"


def keyless_failure_text(failures: int, error: str, at: datetime | None = None) -> str:
    """What the scheduler's status line and `runs` say when its step keying the rows an older
    rivalscope stored without keys failed (``failures`` rounds in a row, the last ``at``)."""
    rounds = "in the last round" if failures == 1 else f"in the last {failures} rounds in a row"
    when = f" (last at {at:%Y-%m-%d %H:%M} UTC)" if at is not None else ""
    return (
        f"the scheduler's merge of the review rows an older rivalscope stored without keys "
        f"failed {rounds}{when}: {error}; `rivalscope db merge-copies` merges them and shows "
        "the whole error"
    )


def step_error(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message (a
    database error's message goes on with the statement)."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def review_coverage(collected: int | None, declared: int | None, unread: int = 0) -> str:
    """ "collected X of Y declared (Z%)" for a source whose product pages declare counts;
    ``unread``: pages the site left unanswered in the run (``run_pages_unread``), whose
    products' reviews neither side counts."""
    if declared is None or collected is None:
        return ""
    share = f" ({collected / declared:.0%})" if declared else ""
    line = f"collected {collected} of {declared} declared reviews{share}"
    if unread:
        # A site down mid-run read "collected 4 of 4 declared reviews (100%)" beside 4
        # product pages never answered: full coverage, of the one page it read.
        line += (
            f" on the pages read; {counted(unread, 'page')} left unread "
            "(the site down, busy or slow: the next run crawls in full)"
        )
    return line


def run_pages_unread(run: CrawlRun) -> int:
    """Requests of the run the site left unanswered for reasons of the moment (no answer,
    still busy after the retries, a time-out, a long Retry-After, robots.txt unreadable)."""
    from spiders.fetch_problems import UNREACHED_REASONS

    problems = run.fetch_problems or {}
    return sum(int(problems.get(reason, 0)) for reason in UNREACHED_REASONS)


def print_collection_summary(summaries: list[CompanySummary], where: str) -> None:
    """Per company: the last run's pages, errors, reviews and offers seen / new, drops, and
    what is stored in all. The run columns use the words and counts of `rivalscope runs`."""
    from storage.crawl_summary import run_outcome

    table = Table(title=f"Collected into {where}", title_justify="left")
    table.add_column("company", no_wrap=True)
    for column in (
        "pages",
        "HTTP errors",
        "broken pages",
        RUN_COLUMNS["reviews"],
        RUN_COLUMNS["offers"],
        "dropped",
        "stored reviews / products",
    ):
        table.add_column(column, justify="right")
    table.add_column("review languages")
    table.add_column("last run")
    notes: list[str] = []
    for s in summaries:
        runs = s.last_runs
        reasons: dict[str, int] = {}
        for run in runs:
            for reason, n in (run.dropped_reasons or {}).items():
                reasons[reason] = reasons.get(reason, 0) + n
            notes.extend(f"{s.company}: {sample}" for sample in (run.error_samples or [])[:3])
        for run in runs:
            coverage = review_coverage(
                run.reviews_collected, run.reviews_declared, run_pages_unread(run)
            )
            if coverage:
                notes.append(f"{s.company}: {s.run_sources.get(run.id or 0, '?')}: {coverage}")
        blocked = sum(r.robots_blocked for r in runs)
        if blocked:
            notes.append(
                f"{s.company}: {blocked} URL(s) not fetched because robots.txt forbids them"
            )
        if reasons:
            notes.append(
                f"{s.company}: dropped "
                + ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in sorted(reasons.items()))
            )
        languages = ", ".join(
            f"{k} {v}" for k, v in sorted(s.languages.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        table.add_row(
            f"{s.company} (own)" if s.own else s.company,
            str(sum(r.pages for r in runs)),
            str(sum(r.http_errors for r in runs)),
            str(sum(r.page_warnings + r.errors for r in runs)),
            f"{sum(r.reviews_seen for r in runs)} / {sum(r.reviews_new for r in runs)}",
            f"{sum(r.offers_seen for r in runs)} / {sum(r.offers_changed for r in runs)}",
            str(sum(r.items_dropped for r in runs)),
            f"{s.reviews} / {s.products}",
            languages or "-",
            ", ".join(sorted({run_outcome(r) for r in runs})) or "-",
        )
    print_table(table)
    for note in notes:
        console.print(f"  {note}", markup=False, highlight=False)

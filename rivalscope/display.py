"""Terminal rendering of library results (tables), shared by commands."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # storage pulls in SQLAlchemy: not for --help
    from storage.crawl_summary import CompanySummary

# Wide enough for the tables when output is piped (rich would assume 80 columns and wrap
# the headers of `runs` and the crawl summary); COLUMNS still wins when it is set.
_PIPED_WIDTH = 240


def command_console() -> Console:
    """The console a command prints with: the terminal's width, COLUMNS when set, else
    ``_PIPED_WIDTH`` (tables piped to a file or a pager keep their columns readable)."""
    return Console(
        soft_wrap=True,
        width=None if Console().is_terminal or os.environ.get("COLUMNS") else _PIPED_WIDTH,
    )


console = command_console()


RUN_COLUMNS = {"reviews": "reviews seen / new", "offers": "offers seen / changed"}
"""One crawl run's counts, worded the same in the crawl summary and `rivalscope runs`:
seen = extracted on the pages, new = not stored before, changed = price or availability
observation written."""


def counted(count: int | None, noun: str, plural: str | None = None) -> str:
    """ "1 review", "8 reviews", "0 reviews"."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def review_coverage(collected: int | None, declared: int | None) -> str:
    """ "collected X of Y declared (Z%)" for a source whose product pages declare counts."""
    if declared is None or collected is None:
        return ""
    share = f" ({collected / declared:.0%})" if declared else ""
    return f"collected {collected} of {declared} declared reviews{share}"


def print_collection_summary(summaries: list[CompanySummary], where: str) -> None:
    """Per company: the last run's pages, errors, reviews and offers seen / new, drops, and
    what is stored in all. The run columns use the words and counts of `rivalscope runs`."""
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
            coverage = review_coverage(run.reviews_collected, run.reviews_declared)
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
            ", ".join(sorted({r.status for r in runs})) or "-",
        )
    console.print(table)
    for note in notes:
        console.print(f"  {note}", markup=False, highlight=False)

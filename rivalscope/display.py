"""Terminal rendering of library results (tables), shared by commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from storage.crawl_summary import CompanySummary

console = Console(soft_wrap=True)


def print_collection_summary(summaries: list[CompanySummary], where: str) -> None:
    """Per company: the last run's pages/errors/drops and the stored totals."""
    table = Table(title=f"Collected into {where}", title_justify="left")
    for column in ("company", "pages", "http errors", "reviews (new)", "offers (changed)", "dropped", "languages", "status"):
        table.add_column(column, justify="right" if column not in ("company", "languages", "status") else "left")
    for s in summaries:
        runs = s.last_runs
        pages = sum(r.pages for r in runs)
        http_errors = sum(r.http_errors for r in runs)
        new = sum(r.reviews_new for r in runs)
        changed = sum(r.offers_changed for r in runs)
        dropped = sum(r.items_dropped for r in runs)
        reasons: dict[str, int] = {}
        for r in runs:
            for reason, n in (r.dropped_reasons or {}).items():
                reasons[reason] = reasons.get(reason, 0) + n
        languages = ", ".join(f"{k} {v}" for k, v in sorted(s.languages.items(), key=lambda kv: -kv[1]))
        status = ", ".join(sorted({r.status for r in runs})) or "-"
        name = f"{s.company} (own)" if s.own else s.company
        table.add_row(
            name,
            str(pages),
            str(http_errors),
            f"{s.reviews} ({new})",
            f"{s.products} products ({changed})",
            str(dropped) + (f": {', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))}" if reasons else ""),
            languages or "-",
            status,
        )
    console.print(table)

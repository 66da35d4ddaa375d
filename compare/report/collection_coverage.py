"""Coverage honesty in the report: per source, the reviews collected of those its product
pages declare (from each source's newest crawl run that saw a declared count)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from compare.report.report_scope import ReportScope
from storage.models import CrawlRun, Source


@dataclass(frozen=True)
class SourceCoverage:
    company: str
    source: str
    collected: int
    declared: int

    @property
    def text(self) -> str:
        share = f" ({self.collected / self.declared:.0%})" if self.declared else ""
        return f"collected {self.collected} of {self.declared} declared{share}"


def source_coverage(connection: Connection, scope: ReportScope) -> list[SourceCoverage]:
    """The report's companies' sources whose pages declare review counts, in company order."""
    run, source = CrawlRun.__table__, Source.__table__  # type: ignore[attr-defined]
    newest = (
        select(run.c.source_id, func.max(run.c.id).label("run_id"))
        .where(run.c.reviews_declared.is_not(None))
        .group_by(run.c.source_id)
        .subquery()
    )
    rows = connection.execute(
        select(source.c.company_id, source.c.name, run.c.reviews_collected, run.c.reviews_declared)
        .join(newest, newest.c.source_id == source.c.id)
        .join(run, run.c.id == newest.c.run_id)
        .where(source.c.company_id.in_(scope.company_ids))
        .order_by(source.c.name)
    ).all()
    order = {company_id: i for i, company_id in enumerate(scope.company_ids)}
    rows = sorted(rows, key=lambda r: order[r[0]])
    return [
        SourceCoverage(scope.name_of(cid), name, int(collected or 0), int(declared))
        for cid, name, collected, declared in rows
    ]

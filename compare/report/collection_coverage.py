"""Coverage honesty in the report: per source, the reviews collected of those its product
pages declare (from each source's newest crawl run that saw a declared count), and the
sources whose newest crawl the health checks found unhealthy (the report then rests on what
earlier crawls stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from compare.report.report_scope import ReportScope
from storage.models import CrawlRun, Source, as_utc
from storage.schedule_models import HealthCheck


@dataclass(frozen=True)
class SourceCoverage:
    company: str
    source: str
    collected: int
    declared: int | None
    """None: no crawl of the source read a declared review count on its pages."""
    crawled: datetime | None = None
    """When the run these counts come from started."""

    @property
    def text(self) -> str:
        if self.declared is None:
            return "its pages declare no review count, so what the crawl missed is not known"
        share = f" ({self.collected / self.declared:.0%})" if self.declared else ""
        when = f" in the crawl of {self.crawled:%Y-%m-%d}" if self.crawled else ""
        return f"collected {self.collected} of {self.declared} declared{share}{when}"


@dataclass(frozen=True)
class UnhealthySource:
    """A source whose newest crawl run the health checks found unhealthy."""

    company: str
    source: str
    crawled: datetime
    reasons: tuple[str, ...]
    last_healthy: datetime | None
    """When its newest healthy run started (None: none was)."""

    @property
    def text(self) -> str:
        earlier = (
            f"the last healthy one started {self.last_healthy:%Y-%m-%d}"
            if self.last_healthy
            else "no crawl of it was healthy yet"
        )
        return (
            f"The newest crawl of {self.company} · {self.source} ({self.crawled:%Y-%m-%d}) was "
            f"unhealthy: {'; '.join(self.reasons) or 'see `rivalscope runs`'}. This report "
            f"rests on what earlier crawls stored ({earlier}), so its reviews, prices and "
            "trends may be out of date: see `rivalscope targets status`."
        )


def source_coverage(connection: Connection, scope: ReportScope) -> list[SourceCoverage]:
    """The report's companies' crawled review sources, in company order: the reviews
    collected of those their pages declare, or that they declare none."""
    run, source = CrawlRun.__table__, Source.__table__  # type: ignore[attr-defined]
    newest = (
        select(run.c.source_id, func.max(run.c.id).label("run_id"))
        .where(run.c.reviews_declared.is_not(None))
        .group_by(run.c.source_id)
        .subquery()
    )
    rows = connection.execute(
        select(
            source.c.company_id,
            source.c.name,
            run.c.reviews_collected,
            run.c.reviews_declared,
            run.c.started_at,
        )
        .join(newest, newest.c.source_id == source.c.id)
        .join(run, run.c.id == newest.c.run_id)
        .where(source.c.company_id.in_(scope.company_ids))
        .order_by(source.c.name)
    ).all()
    # Crawled review sources none of whose runs read a declared count: said, not left out
    # (a reader would take their absence for full coverage).
    counted = {name for _, name, *_ in rows}
    ended = select(run.c.source_id).where(run.c.status != "running")
    silent = connection.execute(
        select(source.c.company_id, source.c.name)
        .where(
            source.c.company_id.in_(scope.company_ids),
            source.c.kind == "crawl",
            source.c.holds != "offers",
            source.c.id.in_(ended),
        )
        .order_by(source.c.name)
    ).all()
    found = [tuple(row) for row in rows] + [
        (cid, name, 0, None, None) for cid, name in silent if name not in counted
    ]
    order = {company_id: i for i, company_id in enumerate(scope.company_ids)}
    found.sort(key=lambda r: (order[r[0]], r[1]))
    return [
        SourceCoverage(
            scope.name_of(cid),
            name,
            int(collected or 0),
            None if declared is None else int(declared),
            None if started is None else as_utc(started),
        )
        for cid, name, collected, declared, started in found
    ]


def unhealthy_sources(connection: Connection, scope: ReportScope) -> list[UnhealthySource]:
    """The report's companies' sources whose newest ended crawl run was judged unhealthy (a
    site gone dead, a layout its extraction no longer reads, robots.txt now refusing), in
    company order: an analyst reading the report must know its data stopped at an earlier
    crawl."""
    run, source = CrawlRun.__table__, Source.__table__  # type: ignore[attr-defined]
    check = HealthCheck.__table__  # type: ignore[attr-defined]
    newest = (
        select(run.c.source_id, func.max(run.c.id).label("run_id"))
        .where(run.c.status != "running")
        .group_by(run.c.source_id)
        .subquery()
    )
    healthy = (
        select(run.c.source_id, func.max(run.c.started_at).label("at"))
        .join(check, check.c.crawl_run_id == run.c.id)
        .where(check.c.healthy.is_(True))
        .group_by(run.c.source_id)
        .subquery()
    )
    rows = connection.execute(
        select(source.c.company_id, source.c.name, run.c.started_at, check.c.reasons, healthy.c.at)
        .join(newest, newest.c.source_id == source.c.id)
        .join(run, run.c.id == newest.c.run_id)
        .join(check, check.c.crawl_run_id == run.c.id)
        .outerjoin(healthy, healthy.c.source_id == source.c.id)
        .where(source.c.company_id.in_(scope.company_ids), check.c.healthy.is_(False))
        .order_by(source.c.name)
    ).all()
    order = {company_id: i for i, company_id in enumerate(scope.company_ids)}
    return [
        UnhealthySource(
            scope.name_of(cid),
            name,
            as_utc(started),
            tuple(reasons or ()),
            as_utc(last_healthy) if last_healthy else None,
        )
        for cid, name, started, reasons, last_healthy in sorted(rows, key=lambda r: order[r[0]])
    ]

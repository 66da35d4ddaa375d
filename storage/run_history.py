"""Crawl runs with their source names, newest first (for ``rivalscope runs``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from storage.crawl_summary import run_outcome
from storage.models import CrawlRun, Source
from storage.run_owner import elsewhere_words, owner_alive
from storage.writer import ENDED_UNCLOSED


@dataclass
class RunRow:
    source: str
    run: CrawlRun
    healthy: bool | None
    """The health verdict on this run, None if it was not judged."""
    kind: str = "crawl"
    """The source's kind: ``crawl``, or ``import`` for a file import's runs."""
    health_reasons: list[str] | None = None
    """Why the health check found the run unhealthy (empty or None when it did not)."""


def recent_runs(engine: Engine, source: str | None = None, limit: int = 20) -> list[RunRow]:
    """The last ``limit`` crawl runs (of one source, or all), newest first."""
    from storage.schedule_models import HealthCheck

    with Session(engine) as session:
        query = (
            select(CrawlRun, Source.name, HealthCheck, Source.kind)
            .join(Source, col(Source.id) == col(CrawlRun.source_id))
            .join(
                HealthCheck,
                col(HealthCheck.crawl_run_id) == col(CrawlRun.id),
                isouter=True,
            )
            .order_by(col(CrawlRun.id).desc())
            .limit(limit)
        )
        if source is not None:
            query = query.where(Source.name == source)
        return [
            RunRow(
                name,
                run,
                check.healthy if check else None,
                kind,
                check.reasons if check else None,
            )
            for run, name, check, kind in session.exec(query).all()
        ]


def shown_status(run: CrawlRun, *, fetches_pages: bool = True) -> tuple[str, str | None]:
    """A run's status and, when it differs from the stored one, its reason, as they stand:
    a ``running`` run whose process is gone (``storage.run_owner``: on this machine, or
    silent on another) shows ``interrupted`` (as the source's next run records it); a live
    run of another machine says which (its reason). Before, a crawl killed by ``kill -9``, the OOM killer or
    a reboot showed ``running`` in ``runs`` and ``targets status`` until the source was
    crawled again, for good if it never was. A distributed run belongs to no process.
    A crawl that fetched no page shows ``failed`` (``crawl_summary.run_outcome``); an import
    (``fetches_pages`` False) fetches none by design."""
    if run.status == "running" and run.queue is None:
        if not owner_alive(run):
            return "interrupted", ENDED_UNCLOSED
        return run.status, elsewhere_words(run)
    return run_outcome(run, fetches_pages=fetches_pages), None


def source_names(engine: Engine) -> list[str]:
    """Every source's name, sorted (to tell a misspelt ``--source`` apart from a quiet one)."""
    with Session(engine) as session:
        return sorted(session.exec(select(Source.name)).all())


def running_now(engine: Engine) -> list[tuple[str, CrawlRun]]:
    """The runs (source name, run) writing now: ``running`` and, as ``shown_status`` judges
    them, not interrupted (a distributed run counts while it is marked running)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Source.name, CrawlRun)
            .join(Source, col(Source.id) == col(CrawlRun.source_id))
            .where(CrawlRun.status == "running")
            .order_by(col(CrawlRun.id))
        ).all()
    return [(name, run) for name, run in rows if shown_status(run)[0] == "running"]

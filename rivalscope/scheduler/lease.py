"""Schedule state per source in the database: last runs, and the crawl lease.

The lease is taken with one conditional UPDATE (free, expired, or already ours), so two
schedulers on the same database never crawl a source at the same time. A lease whose
scheduler was a process of this host that is gone (``kill -9``, a crash) is free at once:
before, a scheduler restarted after ``kill -9`` refused the sources its predecessor was
crawling until the lease expired (the crawl's time limit plus 5 minutes), and waited up to
2 hours for the follow-ups' lease. A crawl started
by hand (``rivalscope crawl``) is seen through its ``crawl_run`` row in state ``running``
whose process is alive.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, Table, and_, or_, update
from sqlalchemy import select as select_columns
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import CrawlRun, Source, as_utc
from storage.run_owner import owner_alive, process_alive
from storage.schedule_models import ScheduleState


def scheduler_id() -> str:
    """``host:pid`` of this scheduler process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _table() -> Table:
    table: Table = ScheduleState.__table__  # type: ignore[attr-defined]
    return table


def load_states(engine: Engine) -> dict[str, ScheduleState]:
    """Every source's schedule state, by source name."""
    with Session(engine) as session:
        return {s.source_name: s for s in session.exec(select(ScheduleState)).all()}


def _ensure_row(engine: Engine, source_name: str) -> None:
    with Session(engine) as session:
        if session.get(ScheduleState, source_name) is None:
            session.add(ScheduleState(source_name=source_name))
            try:
                session.commit()
            except IntegrityError:  # another scheduler created it meanwhile
                session.rollback()


def try_acquire(
    engine: Engine, source_name: str, owner: str, now: datetime, hold: timedelta
) -> bool:
    """Take the source's crawl lease until ``now + hold``; False if someone else holds it."""
    _ensure_row(engine, source_name)
    table = _table()
    now = as_utc(now)
    stmt = (
        update(table)
        .where(
            and_(
                table.c.source_name == source_name,
                or_(
                    table.c.lease_owner.is_(None),
                    table.c.lease_until < now,
                    table.c.lease_owner == owner,
                ),
            )
        )
        .values(lease_owner=owner, lease_until=now + hold)
    )
    with engine.begin() as conn:
        if conn.execute(stmt).rowcount == 1:
            return True
        holder = conn.execute(
            select_columns(table.c.lease_owner).where(table.c.source_name == source_name)
        ).scalar_one_or_none()
        if holder is None or not _gone(holder):
            return False
        # only if the dead holder still has it (another scheduler may have taken it meanwhile)
        taken = conn.execute(
            update(table)
            .where(table.c.source_name == source_name, table.c.lease_owner == holder)
            .values(lease_owner=owner, lease_until=now + hold)
        )
        return taken.rowcount == 1


def _gone(holder: str) -> bool:
    """True when the lease ``holder`` (``host:pid``) was a process of this host that is gone.
    One of another host is judged by the lease's expiry alone; a process id reused since
    keeps the lease until then too (the safe side)."""
    host, _, pid = holder.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


def release(
    engine: Engine, source_name: str, owner: str, *, outcome: str | None, now: datetime
) -> None:
    """Give the lease back and record the outcome of the crawl."""
    table = _table()
    values: dict[str, object] = {"lease_owner": None, "lease_until": None}
    if outcome is not None:
        values.update(last_outcome=outcome, last_finished_at=as_utc(now))
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.source_name == source_name, table.c.lease_owner == owner)
            .values(**values)
        )


def record_start(engine: Engine, source_name: str, now: datetime) -> None:
    """Remember that a scheduled crawl of the source started at ``now`` (for "due")."""
    table = _table()
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.source_name == source_name)
            .values(last_started_at=as_utc(now))
        )


def live_crawl(engine: Engine, source_name: str) -> int | None:
    """Id of a ``running`` crawl run of the source whose process is alive, if any."""
    with Session(engine) as session:
        rows = session.exec(
            select(CrawlRun)
            .join(Source)
            .where(Source.name == source_name, CrawlRun.status == "running")
        ).all()
        for run in rows:
            if owner_alive(run):
                return run.id
    return None


QUEUED = "queued"
"""``last_outcome`` of a source whose run was queued for the workers and whose follow-ups
(analysis, report, alerts) have not run since it finished."""


def queued_runs(engine: Engine) -> dict[str, tuple[int, str]]:
    """Sources whose last scheduled run was queued for the workers and not followed up yet:
    source name -> (that run's id, its status). Kept in the database, so that a scheduler
    other than the one that queued it (the next ``schedule --once`` from cron) follows it up."""
    with Session(engine) as session:
        rows = session.exec(
            select(Source.name, CrawlRun.id, CrawlRun.status)
            .join(CrawlRun, CrawlRun.source_id == Source.id)  # type: ignore[arg-type]
            .join(ScheduleState, ScheduleState.source_name == Source.name)  # type: ignore[arg-type]
            .where(ScheduleState.last_outcome == QUEUED, CrawlRun.queue.is_not(None))  # type: ignore[union-attr]
            .order_by(CrawlRun.id)  # type: ignore[arg-type]
        ).all()
    # the newest distributed run of each such source is the one queued last
    return {name: (run_id, status) for name, run_id, status in rows if run_id is not None}


def settle_queued(engine: Engine, source_name: str, outcome: str, now: datetime) -> bool:
    """Record the end of the source's queued run; True for the one scheduler that records
    it (and so runs its follow-ups), False if another did first."""
    table = _table()
    with engine.begin() as conn:
        done = conn.execute(
            update(table)
            .where(table.c.source_name == source_name, table.c.last_outcome == QUEUED)
            .values(last_outcome=outcome, last_finished_at=as_utc(now))
        )
    return done.rowcount == 1


KEYLESS_STEP = "(keyless rows)"
"""The row of the follow-up step that keys and merges the rows an older rivalscope stored
without keys (``rivalscope.scheduler.followups``): whether it failed, and why."""


@dataclass(frozen=True)
class StepFailure:
    """A scheduler step failing: in how many rounds in a row, the last one when, and why."""

    failures: int
    at: datetime | None
    error: str


def record_step(engine: Engine, step: str, now: datetime, error: str | None) -> int:
    """Record the outcome of the scheduler's ``step`` (``error`` None: it succeeded);
    returns the rounds in a row it failed (0 after a success). A success after none failed
    writes nothing."""
    table = _table()
    mine = table.c.source_name == step
    if error is None:
        with engine.begin() as conn:
            conn.execute(
                update(table)
                .where(mine, table.c.failures > 0)
                .values(last_outcome="finished", last_finished_at=as_utc(now), failures=0)
            )
        return 0
    _ensure_row(engine, step)
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(mine)
            .values(
                last_outcome="failed",
                last_finished_at=as_utc(now),
                failures=table.c.failures + 1,
                last_error=error,
            )
        )
        return int(conn.execute(select_columns(table.c.failures).where(mine)).scalar_one())


def step_failure(engine: Engine, step: str) -> StepFailure | None:
    """How the scheduler's ``step`` is failing, or None when its last run did not fail."""
    table = _table()
    with engine.connect() as conn:
        row = conn.execute(
            select_columns(table.c.failures, table.c.last_finished_at, table.c.last_error).where(
                table.c.source_name == step, table.c.failures > 0
            )
        ).first()
    if row is None:
        return None
    at = as_utc(row.last_finished_at) if row.last_finished_at else None
    return StepFailure(int(row.failures), at, row.last_error or "unknown error")

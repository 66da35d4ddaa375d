"""One crawl in a process of its own, with a time limit.

The crawl is ``python -m rivalscope crawl SOURCE --targets FILE --db URL`` in a new
process group; its output goes to a log file. The crawl process writes its own
``crawl_run`` row. When the limit passes (or the scheduler stops) the group gets SIGTERM
(Scrapy closes gracefully and stores its last batch), then SIGKILL after a grace period;
the run's row is then marked ``timeout`` (or ``interrupted``). A process killed before it
wrote a row gets a row of its own, so every scheduled crawl leaves a record.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from storage.crawl_summary import run_outcome, run_reason
from storage.models import Company, CrawlRun, Source, utcnow

log = logging.getLogger("rivalscope.schedule")

SCHEDULER_PID_ENV = "RIVALSCOPE_SCHEDULER_PID"
"""Set for a crawl the scheduler starts: the scheduler's pid, which the crawl watches."""
KILL_GRACE_S = 10.0
"""Seconds between SIGTERM and SIGKILL."""
POLL_S = 0.2
LOG_MAX_BYTES = 10_000_000
"""A log the scheduler appends to round after round (its own, each source's crawl log) is
moved to ``<name>.1`` (replacing the older one) when it reaches this size, so a scheduler
that runs for months keeps at most twice this per log."""


@dataclass
class CrawlOutcome:
    """How one scheduled crawl ended."""

    source: str
    status: str
    """``finished``, ``failed``, ``timeout``, ``interrupted`` (scheduler stopped),
    ``refused`` (another crawl of the source is running) or ``queued`` (for the workers
    of a distributed crawl: ``[crawler] queue``)."""
    seconds: float = 0.0
    run_id: int | None = None
    returncode: int | None = None
    detail: str = ""


def crawl_argv(source: str, targets_path: Path, db_url: str) -> list[str]:
    """The command line of one crawl."""
    return [
        sys.executable,
        "-m",
        "rivalscope",
        "crawl",
        source,
        "--targets",
        str(targets_path),
        "--db",
        db_url,
    ]


def rotate_log(path: Path, max_bytes: int | None = None) -> None:
    """Move ``path`` to ``<name>.1`` (replacing it) if it has reached ``max_bytes``
    (default ``LOG_MAX_BYTES``)."""
    try:
        if path.stat().st_size >= (LOG_MAX_BYTES if max_bytes is None else max_bytes):
            os.replace(path, path.with_name(path.name + ".1"))
    except FileNotFoundError:
        pass


def _max_run_id(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.max(CrawlRun.id))).one() or 0)


def _terminate(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM the crawl's process group, SIGKILL it if it is still there after ``grace``."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _new_source(session: Session, source: str, company: str) -> Source:
    row = session.exec(select(Company).where(Company.name == company)).first()
    if row is None:
        row = Company(name=company)
        session.add(row)
        session.flush()
    assert row.id is not None
    src = Source(name=source, company_id=row.id)
    session.add(src)
    session.flush()
    return src


def _settle_runs(
    engine: Engine,
    source: str,
    after_id: int,
    status: str,
    reason: str,
    company: str | None = None,
) -> int | None:
    """Mark the runs the killed crawl left running (ids above ``after_id``) with ``status``;
    write a run if it left none. Returns the run id, or None if the source is unknown.

    A run the crawl had closed keeps its status: a crawl killed in its after-crawl steps
    (the summary, the health checks, notices to a webhook that does not answer) had its
    finished, judged run relabelled ``timeout``, which the next run read as not complete."""
    with Session(engine) as session:
        src = session.exec(select(Source).where(Source.name == source)).first()
        if src is None and company is not None:  # killed before it wrote anything
            src = _new_source(session, source, company)
        if src is None or src.id is None:
            return None
        runs = session.exec(
            select(CrawlRun).where(CrawlRun.source_id == src.id, col(CrawlRun.id) > after_id)
        ).all()
        if not runs:
            runs = [CrawlRun(source_id=src.id)]
        now = utcnow()
        for run in runs:
            if run.id is not None and run.status != "running":
                continue
            run.status = status
            run.finish_reason = reason[:100]
            run.finished_at = run.finished_at or now
            run.pid = None
            session.add(run)
        session.commit()
        return runs[-1].id


def _ended_run(engine: Engine, source: str, after_id: int) -> CrawlRun | None:
    with Session(engine) as session:
        return session.exec(
            select(CrawlRun)
            .join(Source)
            .where(Source.name == source, col(CrawlRun.id) > after_id)
            .order_by(col(CrawlRun.id).desc())
        ).first()


def run_crawl(
    engine: Engine,
    source: str,
    argv: list[str],
    *,
    timeout_s: float,
    stop: threading.Event,
    log_path: Path | None = None,
    grace_s: float = KILL_GRACE_S,
    company: str | None = None,
) -> CrawlOutcome:
    """Run one crawl process to its end, its time limit, or until ``stop`` is set."""
    after_id = _max_run_id(engine)
    started = time.monotonic()
    if log_path:
        rotate_log(log_path)
    output = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own group: we can kill the crawl and its children
            # the crawl stops if this process dies (``storage.child_process.stop_with_parent``)
            env={**os.environ, "PYTHONWARNINGS": "ignore", SCHEDULER_PID_ENV: str(os.getpid())},
        )
    finally:
        if log_path:
            output.close()  # type: ignore[union-attr]
    log.info("crawl of %s started (pid %d, limit %.0f s)", source, process.pid, timeout_s)
    killed_as: str | None = None
    while process.poll() is None:
        if time.monotonic() - started >= timeout_s:
            killed_as = "timeout"
        elif stop.is_set():
            killed_as = "interrupted"
        if killed_as:
            _terminate(process, grace_s)
            break
        stop.wait(POLL_S)
    seconds = time.monotonic() - started
    if killed_as == "timeout":
        reason = f"killed at its time limit of {timeout_s:.0f} s"
        run_id = _settle_runs(engine, source, after_id, "timeout", reason, company)
        log.warning("crawl of %s %s (run %s)", source, reason, run_id)
        return CrawlOutcome(source, "timeout", seconds, run_id, process.returncode, reason)
    if killed_as == "interrupted":
        reason = "scheduler stopped"
        run_id = _settle_runs(engine, source, after_id, "interrupted", reason, company)
        log.info("crawl of %s interrupted: %s (run %s)", source, reason, run_id)
        return CrawlOutcome(source, "interrupted", seconds, run_id, process.returncode, reason)
    run = _ended_run(engine, source, after_id)
    code = process.returncode
    if run is None or run.status == "running":
        reason = f"crawl process {_ended_by(code)} without closing its run"
        if code is not None and code < 0:
            reason += ": the next run completes it"
        run_id = _settle_runs(engine, source, after_id, "failed", reason, company)
        log.warning("crawl of %s failed: %s", source, reason)
        return CrawlOutcome(source, "failed", seconds, run_id, code, reason)
    # In the words of `runs` (``run_outcome``): a crawl that fetched no page exits 1 and
    # its run, closed ``finished``, shows ``failed`` there too, the reason beside it.
    status = run_outcome(run) if code == 0 else "failed"
    # What the round brought, and the reason when it says more than the status.
    figures = (
        f"{run.pages} pages, {run.reviews_new} new reviews, {run.offers_changed} offers changed"
    )
    reason = run_reason(run)
    if code != 0:
        reason = reason or f"crawl process {_ended_by(code)}"
    detail = "; ".join(filter(None, (figures, reason)))
    log.info("crawl of %s ended: %s in %.1f s (run %s)", source, status, seconds, run.id)
    return CrawlOutcome(source, status, seconds, run.id, code, detail)


def _ended_by(code: int | None) -> str:
    """How a crawl process ended, from its return code: a negative one is the signal that
    killed it ("status -9" read as an error code of the crawl's own)."""
    if code is not None and code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"

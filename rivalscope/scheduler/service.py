"""The scheduler loop: crawls each due source in its own process, then the follow-ups.

Why a loop over croniter and not APScheduler's BlockingScheduler: "due" must survive
restarts and be the same for the long-running scheduler and ``--once``. Both are one
rule here (``rivalscope.scheduler.due``) over last-start times kept in the database, with an
injectable clock for tests; APScheduler would keep its own job state (in memory, or
pickled in its SQLAlchemy job store) with misfire rules of its own beside ours.

One round (``run_due``): every due source whose lease this scheduler gets is crawled,
up to ``[schedule] max_parallel`` at a time, each crawl a ``rivalscope crawl`` process
with a time limit; its health is checked; after the round, analysis, report and alerts.
With ``[crawler] queue = "redis://..."`` each due source's run is queued in Redis instead,
for ``rivalscope worker`` processes on any machine (``spiders.distributed``).
``serve`` repeats rounds, sleeping until the next fire time, until ``stop()`` (SIGTERM).

The targets file is read again before each round when it changed on disk, so tuning a
source or its schedule takes effect without a restart. Each crawl process reads the file
itself, so the scheduler must not go on planning from an older copy than its crawls use;
while the file is invalid no crawl starts (each would fail reading it), and the error is
logged once per change.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from rivalscope.display import counted
from rivalscope.health import check_and_notify
from rivalscope.scheduler import lease
from rivalscope.scheduler.crawl_process import CrawlOutcome, crawl_argv, run_crawl
from rivalscope.scheduler.due import RETRIED_OUTCOMES, next_due, retry_at
from rivalscope.scheduler.followups import run_followups
from settings.targets import Source, Targets, TargetsError, load_targets
from storage.models import as_utc, utcnow

log = logging.getLogger("rivalscope.schedule")

LIMIT_MARGIN_S = 60.0
"""The crawl closes itself at ``limits.timeout_s`` (Scrapy's CLOSESPIDER_TIMEOUT); the
scheduler kills it only if it is still there this much later (hung)."""
LEASE_MARGIN = timedelta(minutes=5)
FOLLOWUPS_LEASE = "(follow-ups)"
"""The lease of the analysis, report and alerts (no source name has brackets)."""
FOLLOWUPS_HOLD = timedelta(hours=2)
"""How long a scheduler that died during its follow-ups keeps the others waiting."""
FOLLOWUPS_POLL_S = 5.0
REFUSED_RETRY_S = 5.0
QUEUED_POLL_S = 30.0
"""How often a scheduler with runs queued for the workers looks whether they finished."""
_NEVER_READ = b""
"""Stamp before the first look (no digest is empty; None means unreadable)."""


class Scheduler:
    """See the module docstring."""

    def __init__(
        self,
        targets: Targets,
        targets_path: Path,
        db_url: str,
        engine: Engine,
        *,
        crawl_timeout_s: float | None = None,
        crawl_log_dir: Path | None = None,
        clock: Callable[[], datetime] = utcnow,
        owner: str | None = None,
    ) -> None:
        self.targets = targets
        self.targets_path = targets_path.resolve()
        self.db_url = db_url
        self.engine = engine
        self.crawl_timeout_s = crawl_timeout_s
        self.crawl_log_dir = crawl_log_dir
        self.clock = clock
        self.owner = owner or lease.scheduler_id()
        self.stopping = threading.Event()
        # never read: the first round reads the file once more, so an edit made between
        # the caller's load and this constructor is not missed
        self._targets_stamp: bytes | None = _NEVER_READ
        self.targets_error: str | None = None
        """Why the targets file on disk cannot be used (None: it is in force)."""
        self.queued_runs: set[int] = set()
        """Runs this scheduler queued for the workers, not finished when last looked at:
        their analysis, report and alerts come in the first round after they finish."""
        self.followups_done: str | None = None
        """What the last round's follow-ups did, and why they ran ("after the crawls:
        analysis; report in ..."); None if that round ran none."""

    # -- the targets file ----------------------------------------------------------

    def reload_targets(self) -> bool:
        """Read the targets file again if it changed on disk; True if new targets apply.

        An invalid file keeps ``targets_error`` set (and no crawl starts) until it is fixed.
        """
        stamp = _file_stamp(self.targets_path)
        if stamp == self._targets_stamp:
            return False
        self._targets_stamp = stamp
        try:
            targets = load_targets(self.targets_path)
        except TargetsError as exc:
            self.targets_error = str(exc)
            log.error(
                "targets file changed but cannot be used; no crawl starts until it is fixed: %s",
                exc,
            )
            return False
        unchanged = targets == self.targets
        self.targets, self.targets_error = targets, None
        if unchanged:
            return False
        log.info("targets file reloaded; schedules (UTC): %s", self._schedules())
        return True

    # -- what to crawl -------------------------------------------------------------

    def scheduled_sources(self) -> list[Source]:
        """Sources with a cron ``schedule``, in file order."""
        return [source for _, source in self.targets.sources() if source.schedule]

    def _schedules(self) -> str:
        """'name (cron), ...' for the log, or 'none'."""
        return ", ".join(f"{s.name} ({s.schedule})" for s in self.scheduled_sources()) or "none"

    def due_sources(self, now: datetime) -> list[Source]:
        """Sources due at ``now`` (see ``rivalscope.scheduler.due``), retries included."""
        return [source for source, at in self._due_moments(now) if at <= as_utc(now)]

    def next_wakeup(self, now: datetime) -> datetime | None:
        """The earliest moment a scheduled source is due, or None without schedules."""
        return min((at for _, at in self._due_moments(now)), default=None)

    def _due_moments(self, now: datetime) -> list[tuple[Source, datetime]]:
        """Each scheduled source with the moment it is due: its schedule's, or earlier the
        retry of a crawl that did not finish (``retry_at``)."""
        states = lease.load_states(self.engine)
        first_wait = timedelta(seconds=self.targets.schedule.retry_failed_seconds)
        moments = []
        for source in self.scheduled_sources():
            state = states.get(source.name)
            last = as_utc(state.last_started_at) if state and state.last_started_at else None
            assert source.schedule is not None
            at = next_due(source.schedule, last, now)
            if (
                state is not None
                and last is not None
                and state.last_outcome in RETRIED_OUTCOMES
                and first_wait > timedelta(0)
            ):
                retry = retry_at(source.schedule, last, first_wait)
                if retry is not None and retry < at:
                    at = max(retry, as_utc(now))  # a retry passed while no scheduler ran: now
            moments.append((source, at))
        return moments

    def time_limit(self, source: Source) -> float:
        """Seconds a crawl of ``source`` may run before it is killed."""
        if self.crawl_timeout_s is not None:
            return self.crawl_timeout_s
        return source.limits.timeout_s + LIMIT_MARGIN_S

    # -- running ---------------------------------------------------------------------

    def crawl(self, source: Source) -> CrawlOutcome:
        """Crawl one source now unless another crawl of it is running (``refused``)."""
        now = self.clock()
        limit = self.time_limit(source)
        hold = timedelta(seconds=limit) + LEASE_MARGIN
        if not lease.try_acquire(self.engine, source.name, self.owner, now, hold):
            log.info("%s: another scheduler is crawling it; not started", source.name)
            return CrawlOutcome(source.name, "refused", detail="lease held by another scheduler")
        outcome: CrawlOutcome | None = None
        try:
            running = lease.live_crawl(self.engine, source.name)
            if running is not None:
                log.info("%s: crawl run %d is still running; not started", source.name, running)
                return CrawlOutcome(source.name, "refused", detail=f"run {running} is running")
            if self.targets.crawler.queue:
                outcome = self._queue(source)
                if outcome.status == "queued":
                    lease.record_start(self.engine, source.name, now)
                return outcome
            lease.record_start(self.engine, source.name, now)
            log_path = None
            if self.crawl_log_dir is not None:
                self.crawl_log_dir.mkdir(parents=True, exist_ok=True)
                log_path = self.crawl_log_dir / f"crawl-{source.name}.log"
            outcome = run_crawl(
                self.engine,
                source.name,
                crawl_argv(source.name, self.targets_path, self.db_url),
                timeout_s=limit,
                stop=self.stopping,
                log_path=log_path,
                company=self._company_of(source),
            )
            if outcome.status != "interrupted":
                self._check_health(source.name)
            return outcome
        finally:
            lease.release(
                self.engine,
                source.name,
                self.owner,
                outcome=outcome.status if outcome else None,
                now=self.clock(),
            )

    def _queue(self, source: Source) -> CrawlOutcome:
        """``[crawler] queue`` is set: queue the source's crawl run in Redis for the workers
        (``rivalscope worker``) instead of crawling here; they write its figures and run
        its health checks when the run is complete."""
        from spiders.distributed.connection import QueueError
        from spiders.distributed.seed import seed_runs

        queue = self.targets.crawler.queue
        assert queue is not None
        started = self.clock()
        try:
            text = self.targets_path.read_text(encoding="utf-8")
            (result,) = seed_runs(self.targets, text, [source.name], queue, self.db_url)
        except (OSError, QueueError) as exc:
            log.error("%s: not queued: %s", source.name, exc)
            return CrawlOutcome(source.name, "failed", detail=str(exc))
        seconds = (self.clock() - started).total_seconds()
        if result.refused:
            log.info("%s: not queued: %s", source.name, result.refused)
            return CrawlOutcome(source.name, "refused", seconds, detail=result.refused)
        log.info(
            "%s: crawl run %s queued (%d start requests) for the workers",
            source.name,
            result.run_id,
            result.queued,
        )
        # The outcome says "queued"; the detail says what for (it said "queued" again).
        waiting = f"{counted(result.queued, 'start request')} waiting for `rivalscope worker`"
        return CrawlOutcome(source.name, "queued", seconds, result.run_id, detail=waiting)

    def _company_of(self, source: Source) -> str:
        return next(c.name for c, s in self.targets.sources() if s.name == source.name)

    def _check_health(self, source_name: str) -> None:
        try:
            report = check_and_notify(self.engine, source_name, self.targets)
        except Exception:  # a broken check must not stop the scheduler
            log.exception("health check of %s failed", source_name)
            return
        state = "healthy" if report.healthy else f"UNHEALTHY: {report.reason}"
        log.info("%s: %s", source_name, state)

    def finished_queued_runs(self) -> list[int]:
        """The runs queued for the workers (by this scheduler, or by an earlier one: a
        ``schedule --once`` from cron queues in one process and finds them finished in a
        later one) that have finished since the last look; each is reported once, by one
        scheduler."""
        done = []
        self.queued_runs.clear()
        for source_name, (run_id, status) in lease.queued_runs(self.engine).items():
            if status == "running":
                self.queued_runs.add(run_id)
            elif lease.settle_queued(self.engine, source_name, status, self.clock()):
                done.append(run_id)
        return sorted(done)

    def run_due(self) -> list[CrawlOutcome]:
        """One round: crawl every due source, then the follow-ups if anything was crawled
        here or a run queued for the workers has finished since the last round."""
        self.followups_done = None
        self.reload_targets()
        if self.targets_error is not None:
            return []
        finished = self.finished_queued_runs()
        due = self.due_sources(self.clock())
        if not due:
            if finished and not self.stopping.is_set():
                self._followups(f"queued run(s) {', '.join(map(str, finished))} finished")
            return []
        log.info("due: %s", ", ".join(s.name for s in due))
        workers = min(len(due), self.targets.schedule.max_parallel)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl") as pool:
            outcomes = list(pool.map(self.crawl, due))
        # A queued run is not crawled yet: its analysis waits for the round after it ends.
        self.queued_runs.update(
            o.run_id for o in outcomes if o.status == "queued" and o.run_id is not None
        )
        ran = [o for o in outcomes if o.status not in ("refused", "interrupted", "queued")]
        if self.stopping.is_set():
            log.info("analysis, report and alerts skipped: the scheduler is stopping")
        elif not ran and not finished:
            log.info(
                "analysis, report and alerts skipped: no crawl ran here (refused, interrupted "
                "or queued for the workers: after they finish)"
            )
        else:
            self._followups("after the crawls")
        return outcomes

    def _followups(self, why: str) -> None:
        # One scheduler at a time: two on one database wrote two reports into the same
        # folder at the same moment. The other's run is waited for, not skipped: it may
        # have started before this round's crawls ended, and its report lacks them.
        while not lease.try_acquire(
            self.engine, FOLLOWUPS_LEASE, self.owner, self.clock(), FOLLOWUPS_HOLD
        ):
            log.info("another scheduler is running the analysis, report and alerts: waiting")
            if self.stopping.wait(FOLLOWUPS_POLL_S):
                log.info("analysis, report and alerts skipped: the scheduler is stopping")
                return
        try:
            done = run_followups(self.engine, self.targets, self.targets_path.parent)
        finally:
            lease.release(self.engine, FOLLOWUPS_LEASE, self.owner, outcome=None, now=self.clock())
        self.followups_done = f"{why}: {'; '.join(done) or 'nothing done'}"
        log.info("%s", self.followups_done)

    def serve(self) -> None:
        """Run rounds until ``stop()``; sleeps until the next due time between rounds."""
        log.info("scheduler %s started; schedules (UTC): %s", self.owner, self._schedules())
        while not self.stopping.is_set():
            self.run_due()
            poll = self.targets.schedule.poll_seconds
            now = self.clock()
            wake = self.next_wakeup(now)
            seconds = poll if wake is None else (wake - as_utc(now)).total_seconds()
            if self.targets_error is not None:
                seconds = poll  # nothing can start before the file is fixed
            elif seconds <= 0:  # still due: its crawl was refused; look again a bit later
                seconds = REFUSED_RETRY_S
            if self.queued_runs:  # the workers' runs: their follow-ups soon after they end
                seconds = min(seconds, QUEUED_POLL_S)
            self.stopping.wait(min(seconds, poll))
        log.info("scheduler %s stopped", self.owner)

    def stop(self) -> None:
        """Ask the loop to end; running crawls are terminated and marked ``interrupted``."""
        self.stopping.set()


def _file_stamp(path: Path) -> bytes | None:
    """The file's digest (an edit within one mtime tick still shows); None if unreadable."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None

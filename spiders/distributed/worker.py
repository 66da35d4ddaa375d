"""``rivalscope worker``: serve the active distributed runs from the shared queue.

One Scrapy process; one crawler per run it serves (its share of the active runs, claimed
as they appear in the registry: ``spiders.distributed.sharing``), each with the
scrapy-redis scheduler and dupe filter of its run. The store process and the language
models are loaded before the first run (a long-lived worker pays them once). With
``until_idle`` the worker exits when no run is active (tests, benchmarks, batch jobs);
otherwise it waits for new runs.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
from sqlalchemy import Engine
from twisted.python.failure import Failure

from settings.targets import Targets, parse_targets
from spiders.distributed.capacity import DEFAULT as DEFAULT_CONCURRENCY
from spiders.distributed.capacity import set_worker_concurrency
from spiders.distributed.connection import QueueError, connect
from spiders.distributed.expiry import RENEW_S, renew
from spiders.distributed.keys import Keys, key_prefix
from spiders.distributed.scheduler import ALIVE_TTL_S
from spiders.distributed.sharing import Heartbeat, RunClaims
from spiders.page_budget import MAX_PAGES_SETTING
from spiders.runner import crawl_settings
from spiders.target_spider import TargetSpider

logger = logging.getLogger(__name__)
POLL_S = 0.2
"""How often the worker looks for runs to serve (their ids: a few bytes per run)."""
SENDING_HANDLER = "spiders.distributed.sending.SendingDownloadHandler"
RunComplete = Callable[[Engine, str, Targets], None]
"""Called with the database, the source's name and its targets when a run ends."""


@dataclass
class WorkerResult:
    runs: list[int] = field(default_factory=list)
    """The runs this worker served."""
    error: str | None = None
    """Why the worker stopped early (queue or database lost)."""
    interrupted: bool = False
    """Stopped by Ctrl-C."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


_TARGETS: dict[str, Targets] = {}


def targets_of(text: str, name: str = "the run's targets") -> Targets:
    """The targets of a run's record, parsed once per text in this worker (the runs seeded
    together share one targets file: parsing and validating it for every run's start and
    end was a good part of a run's set-up)."""
    targets = _TARGETS.get(text)
    if targets is None:
        if len(_TARGETS) >= 8:
            _TARGETS.clear()
        targets = _TARGETS[text] = parse_targets(text, name)
    return targets


def run_settings(
    record: dict[str, Any],
    run_id: int,
    queue_url: str,
    db_url: str,
    log_level: str,
    worker: str,
    prefix: str,
    on_run_complete: RunComplete | None = None,
) -> tuple[Any, Any, Any]:
    targets = targets_of(record["targets"], f"run {run_id}'s targets")
    company, source = targets.find_source(record["source"])
    settings = crawl_settings(targets, db_url, log_level=log_level)
    keys = Keys(prefix).run(run_id)
    values = {
        "SCHEDULER": "spiders.distributed.scheduler.ReliableScheduler",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.queue,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": queue_url,
        "RIVALSCOPE_REDIS_PREFIX": prefix,
        "RIVALSCOPE_RUN_ID": run_id,
        "RIVALSCOPE_WORKER": worker,
        "RIVALSCOPE_INCREMENTAL": bool(record.get("incremental")),
        "RIVALSCOPE_TARGETS_TEXT": record["targets"],
        "RIVALSCOPE_RUN_COMPLETE": on_run_complete,
    }
    # The source's delay between two requests to a host is kept by the shared limit alone
    # (politeness.SharedHostLimits): a local slot delay, with Scrapy's +-50 % jitter, would
    # send some requests later than the moments reserved for them, next to the following
    # ones, and a host would see more than its rate in some seconds.
    delay = source.politeness.download_delay
    values["RIVALSCOPE_HOST_DELAY"] = (
        settings.getfloat("DOWNLOAD_DELAY") if delay is None else delay
    )
    values["DOWNLOAD_DELAY"] = 0.0
    values["DOWNLOAD_DELAY_JITTER"] = 0.0
    # The source's page limit is the run's, whatever the number of workers: counted in
    # Redis by the scheduler, not by each worker's page budget (spiders.page_budget).
    values["RIVALSCOPE_RUN_MAX_PAGES"] = source.limits.max_pages
    values[MAX_PAGES_SETTING] = 0
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    spider_mw = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mw["spiders.distributed.tracking.RequestTrackingMiddleware"] = 10
    settings.set("SPIDER_MIDDLEWARES", spider_mw, priority="cmdline")
    # Requests are written at their host's moment (and timed: RIVALSCOPE_SEND_LOG). A
    # source rendered in chromium keeps the browser's handler (spiders.browser): set here,
    # above the spider's priority, the sending handler left its pages unrendered; its
    # requests go when the shared limit lets them go.
    if source.render != "browser":
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        for scheme in ("http", "https"):
            handlers[scheme] = SENDING_HANDLER
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="cmdline")
    downloader_mw = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    downloader_mw["spiders.distributed.politeness.SharedHostLimits"] = 960
    settings.set("DOWNLOADER_MIDDLEWARES", downloader_mw, priority="cmdline")
    return settings, company, source


def run_worker(
    queue_url: str,
    db_url: str,
    *,
    until_idle: bool = False,
    log_level: str = "INFO",
    on_run_complete: RunComplete | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> WorkerResult:
    """Serve runs until stopped (or, with ``until_idle``, until none is active);
    ``on_run_complete`` is called by the worker that ends a run (the caller's health checks:
    collection does not depend on them); ``concurrency`` bounds the requests in flight of
    all the runs it serves together (``spiders.distributed.capacity``; 0: no bound)."""
    server = connect(queue_url)
    set_worker_concurrency(concurrency)
    prefix = key_prefix()
    keys = Keys(prefix)
    worker = worker_name()
    result = WorkerResult()
    base = Settings()
    base.setmodule("settings.scrapy_settings", priority="project")
    base.set("LOG_LEVEL", log_level, priority="cmdline")
    process = CrawlerProcess(base)
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():  # before the first crawl: installed here, used below
        install_reactor(base["TWISTED_REACTOR"])
    from twisted.internet import reactor as installed

    reactor: Any = installed
    from twisted.internet.task import LoopingCall

    # Start-up before the first request: the store process and its language models, and
    # the crawl's own modules (else the first run of every worker pays them mid-crawl).
    from spiders.pipelines import store_pipeline as store

    store.hold_store_process()
    for path in base.getdict("ITEM_PIPELINES"):
        load_object(path)
    # The download handlers' modules (TLS among them): imported by the first crawler, so
    # after the runs are queued, else.
    for path in (*base.getdict("DOWNLOAD_HANDLERS_BASE").values(), SENDING_HANDLER):
        if path:
            load_object(path)

    claims = RunClaims(server, keys, worker)
    heartbeat = Heartbeat(server, keys, worker, ALIVE_TTL_S)
    serving: dict[int, Crawler] = {}
    done: set[int] = set()
    opening: list[tuple[int, Crawler, Any, Any]] = []
    """Claimed runs not started yet (``open_next``)."""
    opener_scheduled = [False]
    renewed = [time.monotonic()]  # the last renewal of the served runs' keys

    def stop(error: str | None = None) -> None:
        if error and result.error is None:
            result.error = error
        for run_id, *_ in opening:  # claimed, never started: nothing to stop
            serving.pop(run_id, None)
        opening.clear()
        if poller.running:
            poller.stop()
        if beats.running:
            beats.stop()
        if serving:
            process.stop()
        else:
            reactor.callLater(0, reactor.stop)

    def finished(outcome: Any, run_id: int, crawler: Crawler) -> None:
        serving.pop(run_id, None)
        if isinstance(outcome, Failure):
            logger.error("crawl run %s failed in this worker: %s", run_id, outcome.getTraceback())
        done.add(run_id)
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        if "rivalscope/database_error" in stats:
            # The driver's message spans lines (hints, a link): its first says what failed.
            reason = str(stats["rivalscope/database_error"]).strip().splitlines()[0]
            stop(f"cannot write to the database: {reason}")
        elif result.error is not None and not serving:
            reactor.callLater(0, reactor.stop)

    def open_next() -> None:
        """Start the next claimed run, one per turn of the event loop: the first runs
        fetch while the others are set up (a crawler takes tens of milliseconds)."""
        opener_scheduled[0] = False
        if not opening:
            return
        run_id, crawler, source, company = opening.pop(0)
        deferred = process.crawl(crawler, source=source, company=company)
        deferred.addBoth(finished, run_id, crawler)
        schedule_opening()

    def schedule_opening() -> None:
        if opening and not opener_scheduled[0]:
            opener_scheduled[0] = True
            reactor.callLater(0, open_next)

    def poll() -> None:
        import redis

        try:
            # The ids only: a run's record carries its targets file, read once claimed.
            active = sorted(int(run_id) for run_id in server.hkeys(keys.registry))
            claimed = claims.claim(active, set(serving), done)
            records = server.hmget(keys.registry, claimed) if claimed else []
        except redis.RedisError as exc:
            stop(f"lost the queue: {exc}")
            return
        for run_id, record in zip(claimed, records, strict=True):
            if record is None:
                continue  # complete since it was claimed
            settings, company, source = run_settings(
                json.loads(record),
                run_id,
                queue_url,
                db_url,
                log_level,
                worker,
                prefix,
                on_run_complete,
            )
            crawler = Crawler(TargetSpider, settings)
            serving[run_id] = crawler
            result.runs.append(run_id)
            opening.append((run_id, crawler, source, company))
        schedule_opening()
        # A run that ended here but is still registered has work elsewhere: look again.
        done.intersection_update(int(i) for i in active)
        if until_idle and not active and not serving:
            stop()

    def beat() -> None:
        import redis

        try:
            # One heartbeat for the worker, whatever the number of runs it serves (each run
            # lists the worker once, when it opens); alive between runs too.
            pipe = server.pipeline()
            heartbeat.queue(pipe)
            now = time.monotonic()
            if now >= renewed[0] + RENEW_S:  # the served runs' keys outlive no run
                renewed[0] = now
                for run_id in serving:
                    renew(pipe, keys.run(run_id), worker)
            pipe.execute()
        except redis.RedisError as exc:
            stop(f"lost the queue: {exc}")

    def watch_pipe() -> None:
        """The crawlers' Redis pipe: a lost connection stops the worker."""
        from spiders.distributed.redis_pipe import pipe_for

        pipe_for(queue_url).on_lost.append(lambda exc: stop(f"lost the queue: {exc}"))

    def note_interrupts() -> None:
        """Ctrl-C stops the worker through Scrapy's handler (installed at start-up, so this
        runs after it); noted to be said (SIGTERM, a service's stop, is not an interrupt)."""
        stopping = signal.getsignal(signal.SIGINT)
        if not callable(stopping):
            return

        def noted(signum: int, frame: FrameType | None) -> None:
            result.interrupted = True
            stopping(signum, frame)

        signal.signal(signal.SIGINT, noted)

    poller = LoopingCall(poll)
    beats = LoopingCall(beat)
    reactor.callWhenRunning(reactor.callLater, 0, watch_pipe)  # in the running event loop
    reactor.callWhenRunning(beats.start, 1.0)  # alive first: the claims count live workers
    reactor.callWhenRunning(poller.start, POLL_S)
    reactor.callWhenRunning(reactor.callLater, 0, note_interrupts)
    try:
        process.start(stop_after_crawl=False)
    finally:
        store.release_store_process()
    if result.error:
        raise QueueError(result.error)
    return result

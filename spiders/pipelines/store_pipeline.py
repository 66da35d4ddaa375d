"""Stores offers and reviews in batches and keeps the crawl run's record.

Opens the run when the spider opens (telling the spider which reviews are stored
already, for incremental crawls), writes a batch every ``RIVALSCOPE_BATCH_SIZE`` items
in one transaction (and the items waiting, when no batch was written for a checkpoint
interval: a killed crawl loses about two seconds of pages at most), the run's figures every
``RIVALSCOPE_CHECKPOINT_S``, and at the close the last batch and the run's figures.
Batches are written by a worker process (``store_worker``) so that language detection
and database work run beside the crawl; ``RIVALSCOPE_STORE_PROCESS = False`` writes
them in the crawl's own process instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred, DeferredList
from twisted.internet.task import LoopingCall
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from settings.content_keys import product_key
from settings.pause_points import pause_point
from settings.records import OfferItem, ReviewItem
from spiders.extract.layers import LAYERS, STRUCTURED_LAYER_NAMES, layer_coverage_key
from spiders.fetch_problems import PROBLEM_PREFIX, UNREACHED_REASONS
from spiders.memory_guard import PEAK_STAT
from spiders.page_budget import pages_fetched
from spiders.pipelines.database import crawler_engine
from spiders.pipelines.store_worker import (
    BatchResult,
    WriterSpec,
    init_worker,
    touch_and_forget,
    write_batch,
    write_with,
)
from spiders.pipelines.validate import STAT_PREFIX
from storage.child_process import HelperPool
from storage.writer import CollectError, CollectWriter, RunFigures

logger = logging.getLogger(__name__)


class _SharedWorker:
    """One worker process for all the spiders of this crawl process (reference-counted)."""

    executor: ProcessPoolExecutor | None = None
    users = 0

    @classmethod
    def acquire(cls) -> ProcessPoolExecutor:
        if cls.executor is None:
            # spawn, not fork: the crawl process runs threads (Twisted's pool, the reactor).
            cls.executor = HelperPool(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=init_worker,
                initargs=(os.getpid(),),
            )
        cls.users += 1
        return cls.executor

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users <= 0 and cls.executor is not None:
            cls.executor.shutdown(wait=True)
            cls.executor, cls.users = None, 0


def hold_store_process() -> None:
    """Start the store process now and keep it until ``release_store_process``: a
    long-lived crawl process (``rivalscope worker``) pays its start-up (imports, language
    models) once, before its first request, not in every run it serves."""
    executor = _SharedWorker.acquire()
    executor.submit(int).result()  # returns once the initializer has loaded the models


def release_store_process() -> None:
    """Let the store process go when its last spider closes."""
    _SharedWorker.release()


# Scrapy close reasons that end a run normally (limits are normal ends too).
OPEN_PAUSE_POINT = "run-started"
"""``settings.pause_points``: a crawl's run is recorded, its spider not yet open."""
_NORMAL_ENDS = {"finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout"}
REVIEW_FIELDS = ("text", "rating", "published", "title", "author_hash", "language")
OFFER_FIELDS = ("price", "currency", "availability", "sku", "name")


STORED_COUNTS = ("reviews_seen", "reviews_new", "offers_seen", "offers_changed")
"""The run's counts, as the crawl run stores them, mirrored into Scrapy's stats."""


def _when_done(future: Future[Any]) -> Deferred[Any]:
    """A Deferred fired in the reactor when the store worker's ``future`` is done.

    Waiting with ``deferToThread(future.result)`` held one of the reactor's 10 pool threads
    per pending batch: with a slow store worker, the pending batches of a crawl took them
    all, and the run's checkpoints (run in that pool too) waited behind them.
    """
    from twisted.internet import reactor

    done: Deferred[Any] = Deferred()

    def settle(finished: Future[Any]) -> None:  # in the executor's thread, or this one
        error = CancelledError() if finished.cancelled() else finished.exception()
        if error is None:
            reactor.callFromThread(done.callback, finished.result())
        else:
            reactor.callFromThread(done.errback, Failure(error))

    future.add_done_callback(settle)
    return done


class StorePipeline:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch_size = crawler.settings.getint("RIVALSCOPE_BATCH_SIZE", 500)
        self.offers: list[OfferItem] = []
        self.reviews: list[ReviewItem] = []
        self.writer: CollectWriter | None = None
        self.hint: str | None = None
        self.coverage: dict[str, int] = {}
        self.counts = {"review": 0, "offer": 0}
        self.reviews_declared: dict[str, int] = {}
        self.use_process = crawler.settings.getbool("RIVALSCOPE_STORE_PROCESS", True)
        self.executor: ProcessPoolExecutor | None = None
        self.spec: WriterSpec | None = None
        self.pending: set[Deferred[Any]] = set()
        self.worker_used = False
        self.checkpoint_s = crawler.settings.getfloat("RIVALSCOPE_CHECKPOINT_S", 1.0)
        self.flushed_at = time.monotonic()
        self.checkpoints: LoopingCall | None = None
        self.checkpointing: Deferred[Any] | None = None
        self.refused: str | None = None
        """Why the run could not start (another crawl of the source is running)."""
        self.shared_run = crawler.settings.getint("RIVALSCOPE_RUN_ID") or None
        """A distributed run's id: workers add to it, none owns it."""
        self.worker = crawler.settings.get("RIVALSCOPE_WORKER") or ""
        self.reported = RunFigures()
        """The figures this worker has added to the shared run so far."""
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        company, source = spider.company, spider.source
        self.hint = source.language
        self.writer = CollectWriter(
            crawler_engine(self.crawler),
            company=company.name,
            own=company.own,
            source=source.name,
            kind="crawl",
            holds=source.holds,
        )
        spider.known_review_keys = self.writer.known_review_keys
        if self.shared_run is not None:
            run_id = self.writer.run_id = self.shared_run
            self.writer.shared = True
            spider.incremental_allowed = self.crawler.settings.getbool("RIVALSCOPE_INCREMENTAL")
            spider.flush_store = self.flush
        else:
            spider.incremental_allowed = self.writer.last_run_complete(UNREACHED_REASONS)
        try:
            if self.shared_run is None:
                run_id = self.writer.start_run()
        except CollectError as exc:  # another crawl of the source is running
            # The spider then starts no request and ends at once; nothing is recorded.
            self.refused = spider.refused = str(exc)
            spider.logger.error("%s", exc)
            self.writer = None
            return
        spider.crawl_run_id = run_id
        pause_point(OPEN_PAUSE_POINT, 0)  # tests: Ctrl-C while the spider opens
        if self.checkpoint_s > 0:
            self.checkpoints = LoopingCall(self.checkpoint)
            self.checkpoints.start(self.checkpoint_s, now=False)
        if self.use_process:
            self.spec = WriterSpec(
                db_url=self.crawler.settings.get("RIVALSCOPE_DATABASE_URL")
                or str(self.writer.engine.url.render_as_string(hide_password=False)),
                company=company.name,
                source=source.name,
                own=company.own,
                holds=source.holds,
                run_id=run_id,
                shared=self.writer.shared,
            )
            self.executor = _SharedWorker.acquire()
        spider.logger.info(
            "crawl run %s for %s: %d reviews stored already, %s",
            run_id,
            source.name,
            len(self.writer.known_review_keys),
            "incremental" if spider.incremental_allowed else "full crawl",
        )

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, OfferItem):
            if item.reviews_declared is not None:
                key = product_key(gtin=item.gtin, sku=item.sku, name=item.name)
                if key is not None:
                    self.reviews_declared[key] = item.reviews_declared
            self.offers.append(item)
            if not item.listing and item.variant_sku is None:
                # Coverage is of product pages' offers: a listing's cards carry a name and
                # a price only, and a variant page's view repeats one of its variants.
                self._cover("offer", item, OFFER_FIELDS)
        elif isinstance(item, ReviewItem):
            self.reviews.append(item)
            self._cover("review", item, REVIEW_FIELDS)
        if len(self.offers) + len(self.reviews) >= self.batch_size:
            written = self.flush()
            if written is not None:
                # The item is done when its batch is stored: Scrapy throttles on this.
                await maybe_deferred_to_future(written)
        return item

    def _declare_shared(self, offers: list[OfferItem]) -> None:
        """Distributed runs: the review counts these offers' pages declared, shared with
        the other workers before the offers' requests are done."""
        if self.shared_run is None:
            return
        from spiders.distributed.scheduler import tracker_of

        declared = {
            key: item.reviews_declared
            for item in offers
            if item.reviews_declared is not None
            and (key := product_key(gtin=item.gtin, sku=item.sku, name=item.name)) is not None
        }
        tracker = tracker_of(self.crawler)
        if declared and tracker is not None:
            tracker.declare_reviews(declared)

    def _cover(self, kind: str, item: Any, fields: tuple[str, ...]) -> None:
        self.counts[kind] += 1
        for name in fields:
            if getattr(item, name) is not None:
                key = f"{kind}.{name}"
                self.coverage[key] = self.coverage.get(key, 0) + 1
        # Which layer read the item's main field: a site that drops its schema.org markup
        # still yields items through the heuristics, but the health check should know.
        main = "text" if kind == "review" else "price"
        layer = item.explain.get(main) or item.explain.get("*")
        if layer in STRUCTURED_LAYER_NAMES:
            key = f"{kind}.markup"
            self.coverage[key] = self.coverage.get(key, 0) + 1
        if layer in LAYERS:
            key = layer_coverage_key(kind, layer)
            self.coverage[key] = self.coverage.get(key, 0) + 1

    def flush(self) -> Deferred[Any] | None:
        """Write the buffered items in one transaction (in the worker, if there is one)."""
        if self.writer is None or not (self.offers or self.reviews):
            return None
        offers, reviews = self.offers, self.reviews
        self.offers, self.reviews = [], []
        self.flushed_at = time.monotonic()
        self._declare_shared(offers)
        if self.executor is None or self.spec is None:
            try:
                self._count(write_with(self.writer, offers, reviews, self.hint))
            except Exception:
                if self.shared_run is None:
                    raise
                self._failed(Failure())
                return None
            self._stored(offers, reviews)
            return None
        future = self.executor.submit(write_batch, self.spec, offers, reviews, self.hint)
        self.worker_used = True
        written = _when_done(future)
        written.addCallback(self._count)
        written.addCallback(lambda _: self._stored(offers, reviews))
        # After _stored, not beside _count: a batch that failed must not mark its requests
        # done (a distributed worker would drop them from its processing hash, and their
        # items would be lost for good instead of fetched again).
        written.addErrback(self._failed)
        self.pending.add(written)
        written.addBoth(self._settled, written)
        return written

    def _count(self, result: BatchResult) -> None:
        assert self.writer is not None
        if self.executor is not None:  # the worker's writer counted; mirror it here
            self.writer.reviews_seen += result.reviews_seen
            self.writer.reviews_new += result.reviews_new
            self.writer.offers_seen += result.offers_seen
            self.writer.offers_changed += result.offers_changed
        stats = self.crawler.stats
        if stats is not None:  # what the progress line shows (spiders/progress.py)
            for name in STORED_COUNTS:
                stats.set_value(f"rivalscope/{name}", getattr(self.writer, name))

    def _stored(self, offers: list[OfferItem], reviews: list[ReviewItem]) -> None:
        """Distributed runs: the requests that yielded these items are done."""
        if self.shared_run is None:
            return
        from spiders.distributed.scheduler import tracker_of

        tracker = tracker_of(self.crawler)
        if tracker is not None:
            tracker.release_items(offers)
            tracker.release_items(reviews)

    def _failed(self, failure: Failure) -> None:
        # The batch is lost for this run only: its reviews are not known, so the next
        # run stores them.
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("rivalscope/errors")
        samples = getattr(self.crawler.spider, "error_samples", None)
        if isinstance(samples, list) and len(samples) < 20:
            samples.append(f"storing a batch failed: {failure.getErrorMessage()}"[:300])
        logger.error("storing a batch failed: %s", failure.getTraceback())
        if self.shared_run is not None:
            self._stop_worker(failure)

    def _database_lost(self, failure: Failure) -> Failure | None:
        """A checkpoint of a distributed run failed: if the database is out of reach, the
        worker stops (else the failure goes on to the warning)."""
        from sqlalchemy.exc import DBAPIError

        if not failure.check(DBAPIError):
            return failure
        self._stop_worker(failure)
        return None

    def _stop_worker(self, failure: Failure) -> None:
        """A distributed worker that cannot write stops; its requests go back to the queue
        for others (the items are not lost: their requests are fetched again)."""
        stats = self.crawler.stats
        if stats is None or self.crawler.engine is None:
            return
        if stats.get_value("rivalscope/database_error") is not None:
            return  # closing already
        stats.set_value("rivalscope/database_error", failure.getErrorMessage())
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(self.crawler.engine.close_spider_async(reason="database_unavailable"))

    def checkpoint(self) -> None:
        """Store the items waiting for a full batch and the figures so far (in the store
        worker and a thread: the reactor keeps crawling)."""
        if self.writer is None:
            return
        # A slow crawl fills a batch in minutes: a kill would lose them all. A fast one fills
        # batches between checkpoints, and is not made to write smaller ones.
        if time.monotonic() - self.flushed_at >= self.checkpoint_s * 0.9:
            self.flush()
        if self.checkpointing is not None:
            return
        stats = self.crawler.stats
        assert stats is not None
        figures = run_figures(stats, getattr(self.crawler.spider, "error_samples", []))
        if self.shared_run is not None:
            if figures == self.reported:
                # Nothing new: no transaction (a worker serves dozens of runs, most of them
                # waiting for room at some moment; one with work writes, and would find the
                # database gone).
                return
            self.checkpointing = deferToThread(self._add_figures, figures)
            # A worker that cannot reach the database stops now, not at its next batch
            # (which may come only at the end of the run): its requests go back to the queue.
            self.checkpointing.addErrback(self._database_lost)
        else:
            self.checkpointing = deferToThread(self.writer.checkpoint, figures)
        self.checkpointing.addErrback(
            lambda failure: logger.warning("checkpoint failed: %s", failure.getErrorMessage())
        )
        self.checkpointing.addBoth(self._checkpointed)

    def _add_figures(self, figures: RunFigures) -> None:
        assert self.writer is not None
        self.writer.add_figures(figures.minus(self.reported), self.worker)
        self.reported = figures

    def _checkpointed(self, result: Any) -> None:
        self.checkpointing = None

    def _settled(self, result: Any, written: Deferred[Any]) -> Any:
        self.pending.discard(written)
        return result

    async def close_spider(self) -> None:
        if self.checkpoints is not None and self.checkpoints.running:
            self.checkpoints.stop()
        if self.checkpointing is not None:
            await maybe_deferred_to_future(self.checkpointing)
        self.flush()
        if self.pending:
            await maybe_deferred_to_future(DeferredList(list(self.pending)))

    async def spider_closed(self, spider: Any, reason: str) -> None:
        # A coroutine: a signal handler returning a Deferred is deprecated by Scrapy, which
        # logged "ScrapyDeprecationWarning: ... spider_closed returned a Deferred" as a
        # WARNING at every distributed run's close.
        if self.writer is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        figures = run_figures(stats, getattr(spider, "error_samples", []))
        figures.field_coverage = {
            key: round(n / self.counts[key.split(".")[0]], 4)
            for key, n in sorted(self.coverage.items())
            if self.counts[key.split(".")[0]]
        }
        for kind, total in self.counts.items():
            figures.field_coverage[f"{kind}.count"] = float(total)
        figures.reviews_declared = self.reviews_declared
        if self.executor is not None and self.spec is not None:
            if self.worker_used:  # else the worker never started: no need to start it now
                # Not waited for (the store process takes its tasks in order): a worker
                # serving many runs must not stop crawling while each one ends. The
                # products the run saw are known to the store process's writer only, so it
                # marks them seen (``product.last_seen_at``) before forgetting the run.
                self.executor.submit(touch_and_forget, self.spec.run_id)
            self.executor = None
            _SharedWorker.release()
        if self.shared_run is not None:
            # In a thread (the close waits for it, the reactor does not): its transactions
            # and Redis commands took ~37 ms per run, while the worker's other runs crawl.
            await maybe_deferred_to_future(deferToThread(self._close_shared, figures, reason))
            return
        if reason in _NORMAL_ENDS:
            status = "finished"
        elif reason == "shutdown":
            status = "interrupted"
        else:
            status = "failed"
        self.writer.finish_run(status, reason, figures)

    def _close_shared(self, figures: RunFigures, reason: str) -> None:
        """A worker leaves a distributed run: its last figures; the run ends with the last
        worker, when its queue is empty and no worker holds a request. In a thread of the
        reactor's pool."""
        from spiders.distributed.expiry import forget
        from spiders.distributed.keys import Keys
        from spiders.distributed.scheduler import tracker_of

        assert self.writer is not None
        coverage = figures.field_coverage
        delta = figures.minus(self.reported)
        delta.field_coverage = coverage
        tracker = tracker_of(self.crawler)
        delta.reviews_declared = (
            tracker.reviews_declared() if tracker is not None else figures.reviews_declared
        )
        self.writer.add_figures(delta, self.worker)
        self.writer.touch_products()
        if reason == "finished" and tracker is not None and tracker.run_complete():
            ending = "closespider_pagecount" if tracker.budget_spent() else "finished"
            if self.writer.finish_distributed_run(ending):
                logger.info("crawl run %s is complete", self.shared_run)
                self._run_complete()
            # The run's keys go before its entry: a worker that finds the run registered
            # may still open it, and finds it complete.
            forget(tracker.server, tracker.keys)
            prefix = self.crawler.settings.get("RIVALSCOPE_REDIS_PREFIX")
            tracker.server.hdel(Keys(prefix).registry, str(self.shared_run))

    def _run_complete(self) -> None:
        """The worker that ends a distributed run calls ``RIVALSCOPE_RUN_COMPLETE`` (set by
        the worker command: the health checks and notices `crawl` runs after its crawls)
        with the database, the source and the run's targets."""
        hook = self.crawler.settings.get("RIVALSCOPE_RUN_COMPLETE")
        text = self.crawler.settings.get("RIVALSCOPE_TARGETS_TEXT")
        if hook is None or not text or self.writer is None:
            return
        from spiders.distributed.worker import targets_of

        targets = targets_of(text)
        name: str = self.crawler.spider.source.name  # type: ignore[union-attr]

        def check() -> None:
            assert self.writer is not None
            try:
                hook(self.writer.engine, name, targets)
            except Exception as exc:  # a failed check must not fail the worker
                logger.warning("health checks of %s failed: %s", name, exc)

        # In another thread, not waited for: the reactor goes on crawling the worker's other
        # runs meanwhile (the reactor's thread pool is joined before the worker exits).
        from twisted.internet import reactor

        reactor.callFromThread(deferToThread, check)


def run_figures(stats: StatsCollector, samples: list[str]) -> RunFigures:
    """The crawl's figures from Scrapy's stats."""
    values = stats.get_stats()
    dropped = {
        key.removeprefix(STAT_PREFIX): int(v)
        for key, v in values.items()
        if key.startswith(STAT_PREFIX)
    }
    problems = {
        key.removeprefix(PROBLEM_PREFIX): int(v)
        for key, v in values.items()
        if key.startswith(PROBLEM_PREFIX)
    }
    peak = values.get(PEAK_STAT)
    status_counts = {
        key.rsplit("/", 1)[1]: int(v)
        for key, v in values.items()
        if key.startswith("downloader/response_status_count/")
    }
    return RunFigures(
        pages=pages_fetched(values),
        http_errors=int(values.get("rivalscope/http_errors", 0)),
        errors=int(values.get("rivalscope/errors", 0))
        + int(values.get("spider_exceptions/count", 0)),
        items_dropped=sum(dropped.values()),
        dropped_reasons=dropped,
        error_samples=list(samples),
        status_counts=status_counts,
        incremental=bool(values.get("rivalscope/incremental_stops", 0)),
        page_warnings=int(values.get("rivalscope/pages_with_warnings", 0)),
        robots_blocked=int(values.get("robotstxt/forbidden", 0)),
        fetch_problems=problems,
        peak_memory_mb=int(peak) if peak else None,
    )

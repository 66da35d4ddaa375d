"""A scrapy-redis scheduler that loses no request when a worker dies.

A popped request moves atomically from the run's queue into the worker's processing hash
(a Lua script); it leaves that hash only when everything it produced is safe: the
requests it yielded are in the queue and the items it yielded are stored. A worker whose
heartbeat has expired is dead: any worker of the run returns its processing hash to the
queue. The run is complete when its queue and every processing hash are empty.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from spiders.distributed.keys import TOKEN, Keys, RunKeys

logger = logging.getLogger(__name__)

# Pop the first request of the queue into the processing hash, atomically, within the
# run's page budget (ARGV[2], 0: none) shared by all its workers: the request past it
# empties the queue (the run then ends as a one-process crawl at CLOSESPIDER_PAGECOUNT).
_POP = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return false end
local budget = tonumber(ARGV[2])
if budget > 0 and redis.call('INCR', KEYS[3]) > budget then
    redis.call('DEL', KEYS[1])
    return false
end
redis.call('ZREM', KEYS[1], first[1])
redis.call('HSET', KEYS[2], ARGV[1], first[1])
return first[1]
"""
# The run's state in one round trip: {queued requests, requests held by live workers,
# dead workers that still hold requests...}. KEYS: queue, workers set; ARGV: the run's and
# the prefix's key bases, this worker.
_RUN_STATE = """
local queued = redis.call('ZCARD', KEYS[1])
local held, dead = 0, {}
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    local n = redis.call('HLEN', ARGV[1] .. ':processing:' .. worker)
    if n > 0 then
        if worker ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. ':worker:' .. worker .. ':alive') == 0 then
            table.insert(dead, worker)
        end
        held = held + n
    end
end
return {queued, held, unpack(dead)}
"""
HEARTBEAT_S = 1.0
# A worker whose heartbeat is this old is dead and its requests go back to the queue.
# Beats come every HEARTBEAT_S from the reactor; on a loaded machine the reactor can stall
# for several seconds (6 s let live workers' requests be reclaimed and fetched twice).
ALIVE_TTL_S = 15
_TRACKER = "_rivalscope_tracker"


def tracker_of(crawler: Crawler) -> ReliableScheduler | None:
    """The crawler's distributed scheduler, if it has one."""
    tracker: ReliableScheduler | None = getattr(crawler, _TRACKER, None)
    return tracker


class ReliableScheduler(Scheduler):
    """See the module docstring. Settings: ``RIVALSCOPE_REDIS_PREFIX``,
    ``RIVALSCOPE_RUN_ID``, ``RIVALSCOPE_WORKER`` besides scrapy-redis's own."""

    crawler: Crawler
    df: Any
    keys: RunKeys
    prefix_keys: Keys
    worker: str
    held: dict[str, int]
    """Token -> the request itself (1) plus its items not stored yet."""
    request_open: set[str]
    """Tokens whose callback has not finished."""
    page_budget: int
    """The run's ``max_pages``, for all its workers together (0: no limit)."""
    seen_here: set[str]
    """Fingerprints this worker has added to the run's dupe filter."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        instance: ReliableScheduler = super().from_crawler(crawler)
        settings = crawler.settings
        instance.crawler = crawler
        instance.keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX")).run(
            settings.getint("RIVALSCOPE_RUN_ID")
        )
        instance.prefix_keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX"))
        instance.worker = settings.get("RIVALSCOPE_WORKER")
        instance.held = {}
        instance.request_open = set()
        instance.seen_here = set()
        instance.page_budget = settings.getint("RIVALSCOPE_RUN_MAX_PAGES")
        instance._run_state = instance.server.register_script(_RUN_STATE)
        instance._pop = instance.server.register_script(_POP)
        setattr(crawler, _TRACKER, instance)
        engine: Any = crawler.engine
        if engine is not None and hasattr(engine, "_SLOT_HEARTBEAT_INTERVAL"):
            # An idle worker looks at the shared queue twice a second, not every 5 s.
            engine._SLOT_HEARTBEAT_INTERVAL = 0.5
        crawler.signals.connect(instance.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(instance.on_item_gone, signal=signals.item_dropped)
        crawler.signals.connect(instance.on_item_gone, signal=signals.item_error)
        return instance

    @property
    def processing(self) -> str:
        return self.keys.processing(self.worker)

    def open(self, spider: Any) -> None:
        # scrapy-redis's own open(), without its deprecated Spider.log() call.
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.keys.queue, serializer=self.serializer
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        spider.request_done = self._request_over
        self.beat()

    # -- heartbeat ------------------------------------------------------------------

    def beat(self) -> None:
        """Say this worker is alive and serves the run (when the run opens here; then the
        worker's own heartbeat, every HEARTBEAT_S, keeps it alive)."""
        pipe = self.server.pipeline()
        pipe.set(self.prefix_keys.alive(self.worker), "1", ex=ALIVE_TTL_S)
        pipe.sadd(self.keys.workers, self.worker)
        pipe.execute()

    # -- queue ----------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        # A retry or redirect of a popped request replaces it: the old entry is done
        # once the new request is queued.
        replaced = request.meta.pop(TOKEN, None)
        queued = request.dont_filter or not self._seen(request)
        if queued:
            self.queue.push(request)
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
        if replaced is not None:
            self.request_done(replaced)
        return queued

    def _seen(self, request: Request) -> bool:
        """The shared dupe filter, with the fingerprints this worker has added remembered
        here: a page links the same pages as its siblings (menus, pagination), and each of
        those would otherwise cost a round trip to Redis."""
        fingerprint = self.df.request_fingerprint(request)
        if fingerprint in self.seen_here:
            return True
        added = self.server.sadd(self.df.key, fingerprint)
        self.seen_here.add(fingerprint)
        return added == 0

    def next_request(self) -> Request | None:
        token = uuid.uuid4().hex
        data = self._pop(
            keys=[self.queue.key, self.processing, self.keys.popped],
            args=[token, self.page_budget],
        )
        if not data:
            return None
        request: Request = self.queue._decode_request(data)
        request.meta[TOKEN] = token
        self.held[token] = 1
        self.request_open.add(token)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # -- what a request produced ---------------------------------------------------

    def _request_over(self, request: Request) -> None:
        token = request.meta.get(TOKEN)
        if token is not None:
            self.request_done(token)

    def hold(self, token: str) -> None:
        """An item of the request is on its way to the database."""
        if token in self.held:
            self.held[token] += 1

    def request_done(self, token: str) -> None:
        """The request's callback (or errback) has finished (once per request)."""
        if token in self.request_open:
            self.request_open.discard(token)
            self.release(token)

    def release(self, token: str) -> None:
        count = self.held.get(token)
        if count is None:
            return
        if count > 1:
            self.held[token] = count - 1
            return
        del self.held[token]
        self.server.hdel(self.processing, token)

    def release_items(self, items: Iterable[Any]) -> None:
        """A batch of items is stored."""
        for item in items:
            token = getattr(item, TOKEN, None)
            if token is not None:
                self.release(token)

    def on_item_gone(self, item: Any, **kwargs: Any) -> None:
        token = getattr(item, TOKEN, None)
        if token is not None:
            self.release(token)

    def declare_reviews(self, counts: dict[str, int]) -> None:
        """Product pages declared their review counts (stored before their requests are
        done, so a complete run has every worker's declarations)."""
        self.server.hset(self.keys.declared, mapping=counts)

    def reviews_declared(self) -> dict[str, int]:
        """Product key -> declared review count, from every worker of the run."""
        return {
            (k.decode() if isinstance(k, bytes) else str(k)): int(v)
            for k, v in self.server.hgetall(self.keys.declared).items()
        }

    # -- the end of the run --------------------------------------------------------

    def _state(self) -> tuple[int, int, list[str]]:
        """(queued requests, requests held by any worker, dead workers holding some)."""
        queued, held, *dead = self._run_state(
            keys=[self.queue.key, self.keys.workers],
            args=[self.keys.base, self.prefix_keys.prefix, self.worker],
        )
        return int(queued), int(held), [w.decode() if isinstance(w, bytes) else w for w in dead]

    def reclaim(self, dead: list[str] | None = None) -> int:
        """Return the requests of dead workers to the queue; how many."""
        returned = 0
        for worker in self._state()[2] if dead is None else dead:
            key = self.keys.processing(worker)
            for token, data in self.server.hgetall(key).items():
                request = self.queue._decode_request(data)
                request.meta.pop(TOKEN, None)
                self.queue.push(request)  # pushed before removed: a crash here duplicates
                self.server.hdel(key, token)
                returned += 1
        if returned:
            logger.warning("returned %d requests of stopped workers to the queue", returned)
            if self.stats:
                self.stats.inc_value("rivalscope/requests_reclaimed", returned)
        return returned

    def in_flight(self) -> int:
        """Requests popped and not finished, by any worker of the run."""
        return self._state()[1]

    def budget_spent(self) -> bool:
        """Whether the run stopped at its page budget."""
        popped = self.server.get(self.keys.popped)
        return bool(self.page_budget) and int(popped or 0) > self.page_budget

    def run_complete(self) -> bool:
        queued, held, dead = self._state()
        if dead:
            self.reclaim(dead)
            return False
        return queued == 0 and held == 0

    def on_idle(self, spider: Any) -> None:
        """Nothing to do here now: stay while the run has work anywhere."""
        if len(self.queue):
            raise DontCloseSpider
        if self.held:
            flush = getattr(spider, "flush_store", None)
            if flush is not None:
                flush()  # items waiting for a batch hold their requests open
            raise DontCloseSpider
        if not self.run_complete():
            raise DontCloseSpider

    def close(self, reason: str) -> None:
        # A worker leaving early (an error, Ctrl-C) hands its requests back at once.
        if self.held or self.server.hlen(self.processing):
            key = self.processing
            for token, data in self.server.hgetall(key).items():
                request = self.queue._decode_request(data)
                request.meta.pop(TOKEN, None)
                self.queue.push(request)
                self.server.hdel(key, token)
        # The queue and dupe filter are the run's, shared: never flushed by a worker.


def run_record(source: str, company: str, targets: str, incremental: bool) -> str:
    """The registry entry of an active run."""
    return json.dumps(
        {"source": source, "company": company, "targets": targets, "incremental": incremental}
    )

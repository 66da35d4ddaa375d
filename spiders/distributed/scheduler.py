"""A scrapy-redis scheduler that loses no request when a worker dies, and never blocks.

A popped request moves atomically from the run's queue into the worker's processing hash
(a Lua script); it leaves that hash only when everything it produced is safe: the
requests it yielded are in the queue and the items it yielded are stored. A worker whose
heartbeat has expired is dead: any worker of the run returns its processing hash to the
queue. The run is complete when its queue and every processing hash are empty.

Scrapy asks the scheduler for requests and gives it new ones synchronously, many times a
page; none of that waits for Redis here. Requests are popped ahead, a few at a time (as
many as the downloader has room for), into a local buffer the engine takes from; new
requests, and the marks of requests done, go out through the worker's Redis pipe
(``redis_pipe``) in the order they were made, so that a request's links are in the queue
before it leaves the processing hash. When idle, the run's state is asked the same way.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import deque
from collections.abc import Iterable
from functools import partial
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet.defer import Deferred

from spiders.distributed.capacity import WorkerCapacity, worker_capacity
from spiders.distributed.expiry import RUN_TTL_S
from spiders.distributed.keys import TOKEN, Keys, RunKeys
from spiders.distributed.redis_pipe import RedisPipe, Script, pipe_for

logger = logging.getLogger(__name__)

# Pop up to one request per token (ARGV[2...]) from the queue into the processing hash,
# atomically, within the run's page budget (ARGV[1], 0: none) shared by all its workers:
# the request past it empties the queue (the run then ends as a one-process crawl at
# its page limit). Returns the requests popped, in the tokens' order.
POP = Script(
    """
local budget, popped = tonumber(ARGV[1]), {}
for i = 2, #ARGV do
    local first = redis.call('ZPOPMIN', KEYS[1])
    if #first == 0 then break end
    if budget > 0 and redis.call('INCR', KEYS[3]) > budget then
        redis.call('DEL', KEYS[1])
        break
    end
    redis.call('HSET', KEYS[2], ARGV[i], first[1])
    table.insert(popped, first[1])
end
if #popped > 0 then
    redis.call('EXPIRE', KEYS[2], TTL)
    if budget > 0 then redis.call('EXPIRE', KEYS[3], TTL) end
end
return popped
""".replace("TTL", str(RUN_TTL_S))
)
# A request the run has not seen: into the dupe filter and the queue, in one step (a
# worker killed in between would otherwise leave it seen and never queued).
# KEYS: dupe filter, queue. ARGV: fingerprint, score, encoded request. 1 if queued.
# (The queue may have been emptied, and so deleted, since the run's keys were given their
# time-to-live: it gets one again, as does the processing hash in POP.)
PUSH_NEW = Script(
    """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], TTL)
return 1
""".replace("TTL", str(RUN_TTL_S))
)
# The run's state in one round trip: {queued requests, requests held by live workers,
# dead workers that still hold requests...}. KEYS: queue, workers set; ARGV: the run's and
# the prefix's key bases, this worker.
RUN_STATE = Script(
    """
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
)
HEARTBEAT_S = 1.0
# A worker whose heartbeat is this old is dead and its requests go back to the queue.
# Beats come every HEARTBEAT_S from the reactor; on a loaded machine the reactor can stall
# for several seconds (6 s let live workers' requests be reclaimed and fetched twice).
ALIVE_TTL_S = 15
POP_AHEAD = 16
"""Most requests popped in one round trip (at most the downloader's free room)."""
EMPTY_WAIT_S = 0.1
"""After the queue was found empty, how long before asking again (unless this worker
queued requests since): others' new requests are seen this much later at most."""
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
    url: str
    held: dict[str, int]
    """Token -> the request itself (1) plus its items not stored yet."""
    request_open: set[str]
    """Tokens whose callback has not finished."""
    page_budget: int
    """The run's ``max_pages``, for all its workers together (0: no limit)."""
    seen_here: set[str]
    """Fingerprints this worker has added to the run's dupe filter."""
    popped: deque[Request]
    """Requests popped into this worker's processing hash, not given to the engine yet."""
    popping: bool
    """A pop is on its way."""
    pushed: bool
    """Whether this worker queued requests since the queue was last found empty."""
    empty_until: float
    checking: bool
    """The run's state is being asked."""
    complete: bool
    """The run's queue and every processing hash were found empty (the run is over)."""
    capacity: WorkerCapacity
    """The worker's requests in flight, all its runs together."""
    asked: int
    """Requests asked for in the pop on its way (0: none)."""
    waiting_room: bool
    """The worker had no room for this run's requests: it is woken when some frees."""
    _pipe: RedisPipe | None
    _push_new_now: Any
    _run_state: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        instance: ReliableScheduler = super().from_crawler(crawler)
        settings = crawler.settings
        instance.crawler = crawler
        instance.url = settings.get("REDIS_URL")
        instance.keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX")).run(
            settings.getint("RIVALSCOPE_RUN_ID")
        )
        instance.prefix_keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX"))
        instance.worker = settings.get("RIVALSCOPE_WORKER")
        instance.held = {}
        instance.request_open = set()
        instance.seen_here = set()
        instance.popped = deque()
        instance.page_budget = settings.getint("RIVALSCOPE_RUN_MAX_PAGES")
        instance._push_new_now = instance.server.register_script(PUSH_NEW.source)
        instance._run_state = instance.server.register_script(RUN_STATE.source)
        instance._pipe = None
        instance.popping = False
        instance.pushed = True
        instance.empty_until = 0.0
        instance.checking = False
        instance.complete = False
        instance.capacity = worker_capacity()
        instance.asked = 0
        instance.waiting_room = False
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

    @property
    def pipe(self) -> RedisPipe:
        """The worker's pipe to Redis."""
        if self._pipe is None:
            self._pipe = pipe_for(self.url)
        return self._pipe

    def open(self, spider: Any) -> None:
        # scrapy-redis's own open(), without its deprecated Spider.log() call.
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.keys.queue, serializer=self.serializer
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        spider.request_done = self._request_over
        self.capacity.join(self, self.holding)
        self.beat()

    def __len__(self) -> int:
        return len(self.popped)

    def has_pending_requests(self) -> bool:
        return bool(self.popped)

    # -- heartbeat ------------------------------------------------------------------

    def beat(self) -> None:
        """Say this worker is alive and serves the run (when the run opens here; then the
        worker's own heartbeat, every HEARTBEAT_S, keeps it alive)."""
        self.pipe.send("SET", self.prefix_keys.alive(self.worker), "1", "EX", ALIVE_TTL_S)
        self.pipe.send("SADD", self.keys.workers, self.worker)
        # Keys made here live as long as the run (renewed by the worker: expiry.renew).
        self.pipe.send("EXPIRE", self.keys.workers, RUN_TTL_S)

    # -- queue ----------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        # A retry or redirect of a popped request replaces it: the old entry is done
        # once the new request is queued (the pipe keeps that order).
        replaced = request.meta.pop(TOKEN, None)
        queued = self._push(request)
        if queued:
            self.pushed = True
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
        if replaced is not None:
            self.request_done(replaced)
        return queued

    def _push(self, request: Request) -> bool:
        """Queue the request unless the run has seen it. The dupe filter's answer is not
        waited for (a page links the same pages as its siblings: the fingerprints this
        worker has added are remembered here), except for a redirect, whose answer tells a
        redirect loop."""
        data, score = self.queue._encode_request(request), -request.priority
        if request.dont_filter:
            self.pipe.send("ZADD", self.queue.key, score, data)
            self.pipe.send("EXPIRE", self.queue.key, RUN_TTL_S)
            return True
        fingerprint = self.df.request_fingerprint(request)
        if fingerprint in self.seen_here:
            return False
        self.seen_here.add(fingerprint)
        keys, args = [self.df.key, self.queue.key], [fingerprint, score, data]
        if "redirect_times" in request.meta:
            return bool(self._push_new_now(keys=keys, args=args))
        self.pipe.call(PUSH_NEW, keys, args)
        return True

    def next_request(self) -> Request | None:
        # Asked after each download of the run ends: room freed here may be another's.
        self.capacity.wake_if_room()
        if not self.popped:
            self._pop_ahead()
            return None
        request = self.popped.popleft()
        if not self.popped:
            self._pop_ahead(handing=1)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _room(self) -> int:
        """How many requests the engine would take now (the downloader's free room)."""
        engine: Any = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return 1
        room = int(downloader.total_concurrency) - len(downloader.active)
        return max(1, min(POP_AHEAD, room))

    def _pop_ahead(self, handing: int = 0) -> None:
        """Ask for requests (the answer fills ``popped`` and wakes the engine), within the
        worker's room (``capacity``): with none, when some is given back. ``handing``: a
        request on its way to the engine, no longer popped and not in the downloader yet
        (it holds room all the same)."""
        if self.popping or self.complete or self.pipe.lost is not None:
            return
        if not self.pushed and time.monotonic() < self.empty_until:
            return
        room = max(0, self.capacity.room(self._room() + handing) - handing)
        if not room:
            self.waiting_room = True
            self.capacity.wait(self._room_freed)
            return
        tokens = [uuid.uuid4().hex for _ in range(room)]
        self.popping, self.pushed, self.asked = True, False, room
        answer = self.pipe.run(
            POP, [self.queue.key, self.processing, self.keys.popped], [self.page_budget, *tokens]
        )
        answer.add_done_callback(partial(self._popped, tokens))

    def _popped(self, tokens: list[str], answer: Any) -> None:
        self.popping, self.asked = False, 0
        if answer.cancelled() or answer.exception() is not None:
            return  # Redis is lost: the worker stops
        data = answer.result()
        if not data:
            self.empty_until = time.monotonic() + EMPTY_WAIT_S
            self.capacity.wake_if_room()  # the room asked for is another run's
            return
        for token, raw in zip(tokens, data, strict=False):
            request: Request = self.queue._decode_request(raw)
            request.meta[TOKEN] = token
            self.held[token] = 1
            self.request_open.add(token)
            self.popped.append(request)
        self._wake()

    def holding(self) -> int:
        """Requests this run holds in the worker: being popped, popped and not given to
        the engine, in the downloader (``capacity``)."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        active = len(downloader.active) if downloader is not None else 0
        return self.asked + len(self.popped) + active

    def _room_freed(self) -> None:
        self.waiting_room = False
        self._wake()

    def _wake(self) -> None:
        """Let the engine ask for requests now (not at its next heartbeat)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

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
        self.pipe.send("HDEL", self.processing, token)
        if not self.held and not self.popped:
            # The last request held here is done: the engine looks at the run's state now
            # (an idle engine would only at its next heartbeat, 0.5 s).
            self._wake()

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
        if counts:
            pairs = [part for key, count in counts.items() for part in (key, count)]
            self.pipe.send("HSET", self.keys.declared, *pairs)
            self.pipe.send("EXPIRE", self.keys.declared, RUN_TTL_S)

    def reviews_declared(self) -> dict[str, int]:
        """Product key -> declared review count, from every worker of the run."""
        return {
            (k.decode() if isinstance(k, bytes) else str(k)): int(v)
            for k, v in self.server.hgetall(self.keys.declared).items()
        }

    # -- the end of the run --------------------------------------------------------

    def _state(self) -> tuple[int, int, list[str]]:
        """(queued requests, requests held by any worker, dead workers holding some)."""
        return _run_state(
            self._run_state(
                keys=[self.queue.key, self.keys.workers],
                args=[self.keys.base, self.prefix_keys.prefix, self.worker],
            )
        )

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
            self.server.expire(self.queue.key, RUN_TTL_S)
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
        """Nothing to do here now: stay while the run has work anywhere (asked without
        waiting: the answer wakes the engine, whose next idle call closes a complete run)."""
        if self.complete:
            return  # nothing queued or held anywhere: no request can come any more
        if self.popped:
            raise DontCloseSpider
        if self.held:
            flush = getattr(spider, "flush_store", None)
            if flush is not None:
                flush()  # items waiting for a batch hold their requests open
            raise DontCloseSpider
        if self.waiting_room:
            # The worker's other runs hold all its room: woken when they free some (no
            # need to ask the run's state every heartbeat meanwhile).
            raise DontCloseSpider
        self._ask_state()
        raise DontCloseSpider

    def _ask_state(self) -> None:
        if self.checking or self.pipe.lost is not None:
            return
        self.checking = True
        answer = self.pipe.run(
            RUN_STATE,
            [self.queue.key, self.keys.workers],
            [self.keys.base, self.prefix_keys.prefix, self.worker],
        )
        answer.add_done_callback(self._state_known)

    def _state_known(self, answer: Any) -> None:
        self.checking = False
        if answer.cancelled() or answer.exception() is not None:
            return
        queued, held, dead = _run_state(answer.result())
        if dead:
            self.reclaim(dead)  # rare: a worker died; then its requests are queued
            queued = 1
        if queued:
            self.pushed = True  # others' requests wait: pop now, not after EMPTY_WAIT_S
        elif held == 0:
            self.complete = True
        self._wake()

    def close(self, reason: str) -> Deferred[None]:
        return deferred_from_coro(self._close())

    async def _close(self) -> None:
        self.capacity.leave(self, self._room_freed)
        # Everything this worker sent (pops, pushes, requests done) is answered first.
        await self.pipe.drain()
        if self.pipe.lost is not None:
            return  # Redis is gone: what is held here is returned by the other workers
        # A worker leaving early (an error, Ctrl-C) hands its requests back at once.
        if self.held or self.server.hlen(self.processing):
            key = self.processing
            for token, data in self.server.hgetall(key).items():
                request = self.queue._decode_request(data)
                request.meta.pop(TOKEN, None)
                self.queue.push(request)
                self.server.hdel(key, token)
            self.server.expire(self.queue.key, RUN_TTL_S)
        # The queue and dupe filter are the run's, shared: never flushed by a worker.


def _run_state(answer: list[Any]) -> tuple[int, int, list[str]]:
    queued, held, *dead = answer
    return int(queued), int(held), [w.decode() if isinstance(w, bytes) else w for w in dead]


def run_record(source: str, company: str, targets: str, incremental: bool) -> str:
    """The registry entry of an active run."""
    return json.dumps(
        {"source": source, "company": company, "targets": targets, "incremental": incremental}
    )

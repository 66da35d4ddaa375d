"""Per-host rate and concurrency limits shared by every worker through Redis.

Each request takes a place among its host's requests in flight and reserves the host's
next free moment (a token bucket of one token: one request every ``DOWNLOAD_DELAY``
seconds per host, whatever the number of workers), both in one atomic Lua script; then it
waits for its moment. The script runs in the worker's Redis pipe (``redis_pipe``): the
reactor goes on crawling while it waits for the answer.

The places in flight are owned by the workers that took them (a hash worker -> places per
host): a place is given back when its request leaves the downloader, and all of a worker's
places when its heartbeat has expired (a worker killed with SIGKILL, whose requests never
leave): the script counts only the places of live workers and drops the others. A shared
counter would stay inflated by a killed worker's places.
robots.txt is obeyed by every worker (``spiders.robots_rules``, whose robots.txt requests
pass through this limit too).
"""

from __future__ import annotations

import asyncio
import functools
import math
from typing import Any
from urllib.parse import urlparse

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from spiders.distributed.keys import Keys
from spiders.distributed.redis_clock import RedisClock
from spiders.distributed.redis_pipe import RedisPipe, Script, pipe_for
from spiders.distributed.sending import ADMITTED_KEY, HOLD_KEY, RESERVE_KEY, write_allowance

# KEYS: the host's places (hash worker -> count), its next moment. ARGV: concurrency,
# the hash's time-to-live (s), interval (ms), the prefix, this worker, its slack (ms: how
# late it may send: the error of its reading of Redis's clock and how late its requests
# get to their write lately; the next moment is later by as much), then the next moment
# (ms) and the moment this worker gives back (or -1 -1): a request late for its moment
# takes a new one, and gets its old one back if nobody has reserved a moment after it (the
# host's next moment is still the one it set): it then goes now, not one interval later.
# Returns Redis's clock (ms) and the ms from it to the reserved moment, or -1 when the
# live workers hold every place.
ADMIT = Script(
    """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held, total = redis.call('HGETALL', KEYS[1]), 0
for i = 1, #held, 2 do
    local worker, n = held[i], tonumber(held[i + 1])
    if worker ~= ARGV[5]
        and redis.call('EXISTS', ARGV[4] .. ':worker:' .. worker .. ':alive') == 0 then
        redis.call('HDEL', KEYS[1], worker)
    else
        total = total + n
    end
end
if total >= tonumber(ARGV[1]) then return {now, -1} end
redis.call('HINCRBY', KEYS[1], ARGV[5], 1)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
local interval = tonumber(ARGV[3])
if interval <= 0 then return {now, 0} end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt == tonumber(ARGV[7]) then nxt = tonumber(ARGV[8]) end
local at = math.max(now, nxt)
interval = interval + tonumber(ARGV[6])
redis.call('SET', KEYS[2], at + interval, 'PX', at - now + interval + 1000)
return {now, at - now}
"""
)
# KEYS: the host's places. ARGV: this worker. A place given back (none below zero: the
# worker's places may have been dropped while it was thought dead).
LEAVE = Script(
    """
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
"""
)
_SLOT = "rivalscope_host_slot"
_MOMENT = "rivalscope_host_moment"
"""Request meta: its reservation, on Redis's clock (ms): its moment and the next one."""
ARRIVAL_MARGIN = 0.05
"""The moments of a host are this share of its delay further apart than the delay: with a
host always waiting for its next moment, requests exactly one delay apart put the delay's
count (10 at 0.1 s) into one second only as long as none of them is held up on its way
(the event loop, the network, the host's own accept); a later first request and an
on-time eleventh gave 11 in one second. With the margin, eleven requests span 10.5
delays: the first must be held up by half a delay more than the eleventh for that."""
FULL_WAIT_S = 0.05
"""How long a request waits before asking again when its host is at its concurrency
(at least the host's delay: no place frees sooner than a request can go)."""


class SharedHostLimits:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.url = settings.get("REDIS_URL")
        self.keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX"))
        self.worker = settings.get("RIVALSCOPE_WORKER") or ""
        # The source's download_delay, shared: one request per delay per host in all (the
        # worker sets it here, and no local delay: spiders.distributed.worker.run_settings).
        delay = settings.getfloat("RIVALSCOPE_HOST_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
        self.interval_ms = round(delay * 1000 * (1 + ARRIVAL_MARGIN))
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        # The places of a host nobody asks for any more are forgotten after a while.
        self.ttl_s = int(settings.getfloat("DOWNLOAD_TIMEOUT")) + 60
        self.full_wait_s = max(FULL_WAIT_S, self.interval_ms / 1000)
        # A request written later than its moment by more than the margin between two
        # moments (and the clocks' error, reserved as slack) takes a new moment: written,
        # it would be nearer the next request than the delay.
        self.late_s = max(0.0, self.interval_ms / 1000 - delay)
        self.crawler = crawler
        self._pipe: RedisPipe | None = None
        self.redis_clock = RedisClock()
        crawler.signals.connect(self.left, signal=signals.request_left_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostLimits:
        if not crawler.settings.getint("RIVALSCOPE_RUN_ID"):
            raise NotConfigured("not a distributed crawl")
        return cls(crawler)

    @property
    def pipe(self) -> RedisPipe:
        """The worker's pipe to Redis (of the running event loop)."""
        if self._pipe is None:
            self._pipe = pipe_for(self.url)
        return self._pipe

    async def admit(
        self, host: str, given_back: tuple[int, int] | None = None
    ) -> tuple[float, float, tuple[int, int]] | None:
        """Take a place among ``host``'s requests in flight and its next moment: the seconds
        from now to that moment at the latest (the clocks' error added: never before it;
        negative when it has passed), how late it may then be sent, and the reservation
        on Redis's clock (the moment and the next one, ms: ``given_back`` of a request late
        for it); or None when the host has all the requests in flight it may have (then
        nothing is taken)."""
        loop = asyncio.get_running_loop()
        asked = loop.time()
        # The error of our reading of Redis's clock (it only shrinks with this answer),
        # reserved after the moment: sent that much late, the request is no nearer the next.
        error = self.redis_clock.uncertainty(asked)  # infinite before the first answer
        slack_ms = self.interval_ms if error * 2000 > self.interval_ms else math.ceil(2000 * error)
        # And how late this worker's requests get to their write (a busy machine: tens of
        # ms), reserved too: else most would be late for their moments and take new ones
        # (at load 16 on 2 cores, 710 of 800 requests did, and the crawl slowed 3 times).
        allowance_ms = math.ceil(1000 * write_allowance(self.interval_ms / 1000))
        slack_ms = min(self.interval_ms, slack_ms + allowance_ms)
        redis_now_ms, wait_ms = await self.pipe.run(
            ADMIT,
            [self.keys.host_active(host), self.keys.host_next(host)],
            [
                self.concurrency,
                self.ttl_s,
                self.interval_ms,
                self.keys.prefix,
                self.worker,
                slack_ms if self.interval_ms else 0,
                *(given_back or (-1, -1))[::-1],
            ],
        )
        now = loop.time()
        self.redis_clock.observe(asked, now, int(redis_now_ms) / 1000)
        if int(wait_ms) < 0:
            return None
        # The moment was reserved on Redis's clock, read some time before this answer.
        at_ms = int(redis_now_ms) + int(wait_ms)
        moment = self.redis_clock.local(at_ms / 1000)
        return (
            moment + self.redis_clock.uncertainty(now) - now,
            self.late_s + slack_ms / 1000,
            (at_ms, at_ms + self.interval_ms + slack_ms),
        )

    async def process_request(self, request: Request) -> None:
        host = urlparse(request.url).netloc
        if not host:
            return
        loop = asyncio.get_running_loop()
        await self._reserve(request, host)
        while True:
            # Not sent before the latest its moment can be (and held again at the write if
            # it gets there early: ``sending``); late if later than the earliest it can be
            # by more than the margin between two moments.
            earliest, latest = request.meta[HOLD_KEY]
            if (wait_s := earliest - loop.time()) > 0:
                try:
                    await asyncio.sleep(wait_s)
                except BaseException:  # cancelled before the download: the place goes back
                    self.left(request)
                    raise
            if loop.time() <= latest:
                request.meta[ADMITTED_KEY] = loop.time()
                return  # on time (or no rate to keep)
            # Late for its moment (the event loop was busy): sent now, it would reach the
            # host just before the next request another worker reserved, and the host
            # would see more than its rate. A new moment is taken.
            await self._retake(request, host)

    async def _reserve(
        self, request: Request, host: str, given_back: tuple[int, int] | None = None
    ) -> None:
        """A place among ``host``'s requests in flight and a moment, for ``request``: its
        meta says when it may be written (``sending.HOLD_KEY``) and how to take a new
        moment if it gets to its write too late (``RESERVE_KEY``: the downloader's queue,
        the connection pool and a connect lie between this middleware and the write)."""
        loop = asyncio.get_running_loop()
        while (admitted := await self.admit(host, given_back)) is None:
            await asyncio.sleep(self.full_wait_s)
        wait_s, late_s, request.meta[_MOMENT] = admitted
        request.meta[_SLOT] = self.keys.host_active(host)
        now = loop.time()
        if not self.interval_ms:
            request.meta[HOLD_KEY] = (now, math.inf)
        else:
            due = now + wait_s - 2 * self.redis_clock.uncertainty(now)
            request.meta[HOLD_KEY] = (now + wait_s, due + late_s)
        request.meta[RESERVE_KEY] = functools.partial(self._retake, request, host)

    async def _retake(self, request: Request, host: str) -> None:
        """``request`` was late for its moment: its place goes back, it takes new ones
        (its moment again, now, if no request to the host has a later one)."""
        given_back = request.meta.get(_MOMENT)
        self.left(request)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("rivalscope/host_moment_missed")
        await self._reserve(request, host, given_back)

    def left(self, request: Request, **kwargs: Any) -> None:
        for name in (HOLD_KEY, RESERVE_KEY, ADMITTED_KEY, _MOMENT):  # not carried to a retry
            request.meta.pop(name, None)
        key = request.meta.pop(_SLOT, None)
        if key is not None:
            self.pipe.call(LEAVE, [key], [self.worker])

    def process_response(self, request: Request, response: Response) -> Response:
        return response

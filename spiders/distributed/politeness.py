"""Per-host rate and concurrency limits shared by every worker through Redis.

Each request takes a place among its host's requests in flight (a per-host counter with a
time-to-live keeps them under ``CONCURRENT_REQUESTS_PER_DOMAIN`` across workers) and
reserves the host's next free moment (a token bucket of one token: one request every
``DOWNLOAD_DELAY`` seconds per host, whatever the number of workers), both in one atomic
Lua script, one round trip; then it waits for its moment.
robots.txt is obeyed by every worker (Scrapy's own middleware, whose robots.txt requests
pass through this limit too).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_to_future
from twisted.internet.task import deferLater

from spiders.distributed.connection import connect
from spiders.distributed.keys import Keys

# One round trip per request: take a place among the host's requests in flight if one is
# free and reserve the host's next moment; returns the ms to wait for it, or -1 when the
# host has all the requests in flight it may have (try again later).
_ADMIT = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return -1 end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
local interval = tonumber(ARGV[3])
if interval <= 0 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, nxt)
redis.call('SET', KEYS[2], at + interval, 'PX', at - now + interval + 1000)
return at - now
"""
_SLOT = "rivalscope_host_slot"
FULL_WAIT_S = 0.05
"""How long a request waits before asking again when its host is at its concurrency
(at least the host's delay: no place frees sooner than a request can go)."""


class SharedHostLimits:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.server = connect(settings.get("REDIS_URL"))
        self.keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX"))
        # The source's download_delay, shared: one request per delay per host in all.
        self.interval_ms = int(settings.getfloat("DOWNLOAD_DELAY") * 1000)
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        # A counter outlives a killed worker by at most a download's time-out.
        self.ttl_s = int(settings.getfloat("DOWNLOAD_TIMEOUT")) + 5
        self._admit = self.server.register_script(_ADMIT)
        self.full_wait_s = max(FULL_WAIT_S, self.interval_ms / 1000)
        crawler.signals.connect(self.left, signal=signals.request_left_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostLimits:
        if not crawler.settings.getint("RIVALSCOPE_RUN_ID"):
            raise NotConfigured("not a distributed crawl")
        return cls(crawler)

    async def _sleep(self, seconds: float) -> None:
        from twisted.internet import reactor

        await deferred_to_future(deferLater(reactor, seconds, lambda: None))

    def admit(self, host: str) -> float | None:
        """Take a place among ``host``'s requests in flight and its next moment: the seconds
        to wait for that moment, or None when the host has all the requests in flight it
        may have (then nothing is taken)."""
        wait_ms = int(
            self._admit(
                keys=[self.keys.host_active(host), self.keys.host_next(host)],
                args=[self.concurrency, self.ttl_s, self.interval_ms],
            )
        )
        return None if wait_ms < 0 else wait_ms / 1000

    async def process_request(self, request: Request) -> None:
        host = urlparse(request.url).netloc
        if not host:
            return
        while (wait_s := self.admit(host)) is None:
            await self._sleep(self.full_wait_s)
        request.meta[_SLOT] = self.keys.host_active(host)
        if wait_s > 0:
            await self._sleep(wait_s)

    def left(self, request: Request, **kwargs: Any) -> None:
        key = request.meta.pop(_SLOT, None)
        if key is not None:
            self.server.decr(key)

    def process_response(self, request: Request, response: Response) -> Response:
        return response

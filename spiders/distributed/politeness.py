"""Per-host rate and concurrency limits shared by every worker through Redis.

Each request reserves the host's next free moment with an atomic Lua script (a token
bucket of one token: one request every ``DOWNLOAD_DELAY`` seconds per host, whatever the
number of workers) and waits for it; a per-host counter with a time-to-live keeps the
requests in flight at the host under ``CONCURRENT_REQUESTS_PER_DOMAIN`` across workers.
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

# Reserve the host's next slot: returns how many ms to wait for it.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + interval, 'PX', at - now + interval + 1000)
return at - now
"""
# Take a place among the host's requests in flight, if one is free (1) or not (0).
_ENTER = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
"""
_SLOT = "rivalscope_host_slot"
POLL_S = 0.05


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
        self._reserve = self.server.register_script(_RESERVE)
        self._enter = self.server.register_script(_ENTER)
        crawler.signals.connect(self.left, signal=signals.request_left_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostLimits:
        if not crawler.settings.getint("RIVALSCOPE_RUN_ID"):
            raise NotConfigured("not a distributed crawl")
        return cls(crawler)

    async def _sleep(self, seconds: float) -> None:
        from twisted.internet import reactor

        await deferred_to_future(deferLater(reactor, seconds, lambda: None))

    async def process_request(self, request: Request) -> None:
        host = urlparse(request.url).netloc
        if not host:
            return
        active = self.keys.host_active(host)
        while not self._enter(keys=[active], args=[self.concurrency, self.ttl_s]):
            await self._sleep(POLL_S)
        request.meta[_SLOT] = active
        if self.interval_ms > 0:
            wait_ms = int(self._reserve(keys=[self.keys.host_next(host)], args=[self.interval_ms]))
            if wait_ms > 0:
                await self._sleep(wait_ms / 1000)

    def left(self, request: Request, **kwargs: Any) -> None:
        key = request.meta.pop(_SLOT, None)
        if key is not None:
            self.server.decr(key)

    def process_response(self, request: Request, response: Response) -> Response:
        return response

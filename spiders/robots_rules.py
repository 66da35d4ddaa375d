"""robots.txt obeyed fail-closed (RFC 9309), in every crawl.

Scrapy's RobotsTxtMiddleware lets a crawl fetch everything when robots.txt cannot be read:
a download error or time-out leaves the host without rules, and a 5xx or 429 answer is
parsed as if its error page were the rules (none). Here, as RFC 9309 asks, a host whose
robots.txt is unreachable (network error, time-out, 5xx, 429, too many redirects) is not
crawled in this run: its requests fail with ``RobotsUnreadable`` (the run's fetch problem
``robots_unreadable``) and the next run reads robots.txt again. A 4xx answer means the
site has no rules (everything allowed).

In a distributed run the rules of a host are read once for the run and shared by all its
workers through Redis (``spiders.distributed.shared_robots``): every worker obeys the same
rules, and a worker that joins late or takes over a stopped worker's requests reads no
robots.txt of its own (whose answer could differ).

The requests of a host that come while its rules are being read wait for them, each on a
Deferred of its own: awaiting a Deferred from asyncio (``maybe_deferred_to_future``) takes
its result away (Twisted's ``asFuture`` leaves the Deferred firing ``None``). With one
Deferred for all of them, as in Scrapy 2.19's RobotsTxtMiddleware, the third request and
every later one got ``None``, which Scrapy reads as "no robots.txt": disallowed pages were
fetched whenever three or more requests of a host came before its rules (a worker that
joins a run pops a batch of its requests at once). A request without rules is refused.

The reading runs on its own, not in the request that started it, and always ends with
rules for every waiting request: a robots.txt request cancelled on its way (a downloader
middleware or download handler cancelling it) gives ``UnreadableRobots``, so the
waiting requests are refused as ``robots_unreadable`` and the next request of the host
reads robots.txt again (or, in a distributed run, the run's shared reading). Before, a
cancelled reading never answered: the host's requests waited for good, and so did the
crawl's end. Such readings are bounded: after ``MAX_UNFINISHED_READINGS`` of them for a
host (in a distributed run, by all its workers: ``shared_robots``), the host is not
crawled in the run and its requests are refused without another reading; before, every
later request of the host started one more. robots.txt requests are no pages: they spend
none of the source's ``max_pages`` (``spiders.page_budget``).

The rules are read in the encoding the file is written in (``robots_text``): UTF-16 or
UTF-32 by its byte order mark (or, without one, by its zero bytes), else UTF-8, a byte
that is no UTF-8 read as Windows-1252. Scrapy's parser reads UTF-8 and drops what is not:
a robots.txt saved as UTF-16 (Windows' "Unicode") read as no rules at all, and its
``Disallow: /`` let the whole site be crawled; a Latin-1 ``Disallow: /privat-ø/`` read as
``/privat-/``.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from protego import Protego
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import ProtegoRobotParser, RobotParser
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.python import to_unicode
from twisted.internet.defer import Deferred

from spiders.download_errors import error_message

logger = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500 * 1024
"""RFC 9309: a crawler must read at least 500 KiB of robots.txt; the rest is not read."""
MAX_UNFINISHED_READINGS = 3
"""Readings of a host's robots.txt that did not end (cancelled) before the host is given
up for the run."""
ROBOTS_META = "rivalscope_robots"
"""Request meta: a robots.txt request of the robots.txt middleware (not a page)."""


def is_robots_request(request: Request) -> bool:
    """Whether ``request`` is the robots.txt middleware's reading of a host's rules."""
    return bool(request.meta.get(ROBOTS_META))


class RobotsUnreadable(IgnoreRequest):
    """The request's host has a robots.txt that could not be read: not crawled this run."""

    def __init__(self, message: str, reason: str = "", host: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        """Why robots.txt could not be read (``HTTP 503``, the download's error...)."""
        self.host = host
        """The host (``host:port``) whose robots.txt it is."""


class RobotsForbidden(IgnoreRequest):
    """The request's host's robots.txt disallows its URL to the crawl's user agent."""


@dataclass(frozen=True)
class RobotsRead:
    """What reading a host's robots.txt gave: its body, or why it could not be read."""

    body: bytes | None
    reason: str | None = None

    def encode(self) -> bytes:
        """For Redis: ``+`` and the body, or ``!`` and the reason."""
        return b"+" + self.body if self.body is not None else b"!" + (self.reason or "").encode()

    @classmethod
    def decode(cls, value: bytes) -> RobotsRead:
        if value[:1] == b"+":
            return cls(value[1:])
        return cls(None, value[1:].decode("utf-8", "replace"))


def robots_outcome(status: int, body: bytes) -> RobotsRead:
    """RFC 9309 on an answer: 2xx (after redirects) are the rules; 4xx but 429 mean no
    rules; 429 and 5xx mean unreachable (nothing may be crawled)."""
    if status == 429 or status >= 500:
        return RobotsRead(None, f"HTTP {status}")
    if 400 <= status < 500:
        return RobotsRead(b"")
    return RobotsRead(body[:MAX_ROBOTS_BYTES])


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's, whose little-endian mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF8, "utf-8-sig"),
)
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""A byte that is no UTF-8, as ``surrogateescape`` decodes it."""


def robots_text(body: bytes) -> str:
    """The text of a robots.txt, in the encoding it is written in (module docstring)."""
    for mark, codec in _BYTE_ORDER_MARKS:
        if body.startswith(mark):
            return body.decode(codec, "replace")
    if b"\x00" in body:  # no rule holds a zero byte: UTF-16 without its mark
        odd_zeros = body[1::2].count(0) >= body[0::2].count(0)
        return body.decode("utf-16-le" if odd_zeros else "utf-16-be", "replace")
    text = body.decode("utf-8", "surrogateescape")
    return _NOT_UTF8.sub(
        lambda byte: bytes([ord(byte.group()) - 0xDC00]).decode("cp1252", "replace"), text
    )


class EncodedRobotsParser(ProtegoRobotParser):
    """Scrapy's robots.txt parser (Protego) on the text ``robots_text`` reads."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        self.spider = spider
        self.rp = Protego.parse(robots_text(robotstxt_body))


_UNREACHABLE = (
    "ConnectionRefused",
    "DNSLookupError",
    "TimeoutError",
    "TCPTimedOut",
    "NoRouteError",
    "ConnectError",
    "ConnectionLost",
    "ResponseNeverReceived",
)
"""Download errors (Twisted's and Scrapy's class names, which a reason starts with) that mean
no server answered, rather than a robots.txt that answered badly (``HTTP 503``)."""


def site_unreachable(reason: str) -> bool:
    """Whether robots.txt could not be read because nothing answered at the host."""
    return any(name in reason for name in _UNREACHABLE)


def dead_site_prefix(reason: str) -> str:
    """What starts a message about an unread robots.txt: a dead site fails at its robots.txt
    first, so the message says the site does not answer, not only "robots.txt"."""
    return "the site does not answer: " if site_unreachable(reason) else ""


class UnreadableRobots(RobotParser):
    """The rules of a host whose robots.txt could not be read: nothing is allowed."""

    def __init__(self, reason: str, for_the_run: bool = True) -> None:
        self.reason = reason
        # False for a reading that did not happen (read again for the host's next request).
        self.for_the_run = for_the_run

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> UnreadableRobots:
        return cls("no robots.txt was read")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class FailClosedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """See the module docstring (replaces Scrapy's RobotsTxtMiddleware)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.shared: Any = None
        self._readings: set[Deferred[None]] = set()  # running readings, kept from the GC
        self._unfinished: Counter[str] = Counter()  # host -> its readings that did not end
        settings = crawler.settings
        if settings.getint("RIVALSCOPE_RUN_ID") and settings.get("REDIS_URL"):
            from spiders.distributed.shared_robots import SharedRobots

            self.shared = SharedRobots.from_settings(settings)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if rp is None:  # never given here (robot_parser); Scrapy's would allow everything
            rp = UnreadableRobots("no rules were read")
        if isinstance(rp, UnreadableRobots):
            then = "the host is not crawled in this run" if rp.for_the_run else "refused"
            host = urlparse_cached(request).netloc
            dead = dead_site_prefix(rp.reason)
            raise RobotsUnreadable(
                f"{dead}robots.txt of {host} could not be read ({rp.reason}): {then}",
                rp.reason,
                host,
            )
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            # Scrapy's says "Forbidden by robots.txt": which page, and for which agent.
            agent = self._robotstxt_useragent or request.headers.get(
                b"User-Agent", self._default_useragent
            )
            raise RobotsForbidden(
                f"robots.txt forbids {request.url} for {to_unicode(agent or '')}"
            ) from None

    async def refusal(self, url: str) -> IgnoreRequest | None:
        """Why robots.txt refuses ``url`` to this crawl, or None if it is allowed: the
        crawl's rules for its host (read now if they are not yet), checked and counted as
        a request of the crawl is, for a fetch the crawl's downloader does not make (a
        rendered page's own requests, ``spiders.browser``)."""
        try:
            await self.process_request(Request(url))
        except ValueError as bad:  # not a URL Scrapy can request: not checked, not made
            return IgnoreRequest(f"{url!r} cannot be checked against robots.txt: {bad}")
        except IgnoreRequest as refused:
            return refused
        return None

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        parser = self._parsers.get(netloc)
        if parser is None:
            parser = Deferred()
            self._parsers[netloc] = parser
            reading = deferred_from_coro(self._read(request, netloc, parser))
            self._readings.add(reading)
            reading.addBoth(lambda _: self._readings.discard(reading))
        if isinstance(parser, Deferred):
            # A Deferred of this request's own (see the module docstring): the reading's
            # result stays there for the next request that waits.
            own: Deferred[RobotParser | None] = Deferred()
            parser.addBoth(_handed_on, own)
            return await maybe_deferred_to_future(own)
        return parser

    async def _read(
        self, request: Request, netloc: str, reading: Deferred[RobotParser | None]
    ) -> None:
        """Read ``netloc``'s rules and give them to the requests waiting on ``reading``,
        whatever happens to the reading (see the module docstring)."""
        rules: RobotParser
        try:
            rules = await self._rules(request, netloc)
        except (Exception, asyncio.CancelledError) as exc:
            # The shared store out of reach, or the reading cancelled: no rules, no page;
            # the next request of the host reads them again.
            reason = unfinished_reason(exc)
            self._unfinished[netloc] += 1
            if self._unfinished[netloc] < MAX_UNFINISHED_READINGS:
                logger.warning(
                    "robots.txt of %s was not read (%s): its waiting requests are refused",
                    netloc,
                    reason,
                )
                rules = UnreadableRobots(reason, for_the_run=False)
                del self._parsers[netloc]
            else:
                rules = UnreadableRobots(gave_up(reason))
                logger.warning(
                    "robots.txt of %s could not be read (%s): the host is not crawled in this run",
                    netloc,
                    rules.reason,
                )
                self._parsers[netloc] = rules
        else:
            self._parsers[netloc] = rules
        reading.callback(rules)

    async def _rules(self, request: Request, netloc: str) -> RobotParser:
        scheme = urlparse_cached(request).scheme
        if self.shared is not None:
            read: RobotsRead = await self.shared.read(netloc, lambda: self._fetch(scheme, netloc))
        else:
            read = await self._fetch(scheme, netloc)
        if read.body is None:
            logger.warning(
                "robots.txt of %s could not be read (%s): the host is not crawled in this run",
                netloc,
                read.reason,
            )
            return UnreadableRobots(read.reason or "unreadable")
        rules: RobotParser = build_from_crawler(self._parserimpl, self.crawler, read.body)
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=rules, request=request
        )
        return rules

    async def _fetch(self, scheme: str, netloc: str) -> RobotsRead:
        """Download robots.txt (retried and redirected as any request)."""
        robots = Request(
            f"{scheme}://{netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            # Asked for a host the crawl already requests (its offsite check passed), or a
            # host a rendered page of the source may request (``spiders.browser``).
            meta={"dont_obey_robotstxt": True, "allow_offsite": True, ROBOTS_META: True},
            callback=NO_CALLBACK,
        )
        engine = self.crawler.engine
        assert engine is not None
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await engine.download_async(robots)
        except Exception as exc:
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            return RobotsRead(None, f"{type(exc).__name__}: {error_message(exc)}"[:200])
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        return robots_outcome(response.status, response.body)


def unfinished_reason(exc: BaseException) -> str:
    """Why a reading did not end, as its refusals and the run's problems say it."""
    return f"{type(exc).__name__}: {exc}".rstrip(": ")[:200]


def gave_up(reason: str) -> str:
    """Why a host is given up after its readings did not end (``reason``: the last's)."""
    return f"{MAX_UNFINISHED_READINGS} readings did not end, the last: {reason}"


def _handed_on(
    rules: RobotParser | None, waiting: Deferred[RobotParser | None]
) -> RobotParser | None:
    """Give a host's rules to one request waiting for them, and keep them for the next."""
    waiting.callback(rules)
    return rules


def crawl_robots(crawler: Crawler) -> FailClosedRobotsTxtMiddleware | None:
    """The robots.txt middleware of a running crawl; None if it has none (the crawl does
    not obey robots.txt, or its engine has not started)."""
    engine = crawler.engine
    if engine is None:
        return None
    for middleware in engine.downloader.middleware.middlewares:
        if isinstance(middleware, FailClosedRobotsTxtMiddleware):
            return middleware
    return None

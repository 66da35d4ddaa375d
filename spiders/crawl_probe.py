"""A page read as a crawl reads it, for the commands that look at one page (``targets
check``, ``suggest`` and ``detect``).

The page, its host's robots.txt and, rendered, the page's own requests go through a crawl of
their own, with the project's Scrapy settings, the crawl's user agent and the source's
limits: the crawl's downloader (retries, redirects, size and time bounds, decompression) and
its robots.txt middleware (``spiders.robots_rules``: the same parser and user agent,
fail-closed when robots.txt cannot be read). For the same robots.txt the commands so answer
as a crawl does. They had a reader of their own (urllib), which disagreed with the crawl: it
ignored the targets file's user agent, read a gzip-encoded robots.txt as no rules, took a
redirect loop's last answer for the rules, read a robots.txt of any size whole, and did not
retry a 503.

Scrapy's reactor starts once per process: each reading runs in a child process ("spawn"),
which also leaves a command called in a long-lived process (tests, a notebook) free of it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar
from urllib.parse import urlparse

import scrapy
from scrapy import Request
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http.request import NO_CALLBACK
from scrapy.settings import Settings
from twisted.python.failure import Failure
from w3lib.encoding import html_to_unicode

from settings.targets import Crawler as CrawlerTable
from settings.targets import Limits
from settings.user_errors import UserError
from spiders.fetch_problems import REASONS, failure_reason
from spiders.robots_rules import RobotsForbidden, RobotsUnreadable

T = TypeVar("T")
SETTLE_S = 60.0
"""A child's start (Python, Scrapy) and close, on a loaded machine, on top of its fetches."""


class PageNotRead(UserError):
    """The page was not read: robots.txt refuses it (or could not be read), it could not be
    fetched, or it answered an HTTP error."""


@dataclass(frozen=True)
class Fetched:
    """A page's answer, as the crawl's downloader gave it."""

    url: str
    status: int
    content_type: str
    body: bytes

    def text(self) -> str:
        return html_to_unicode(self.content_type, self.body)[1]


def probe_settings(
    crawler: CrawlerTable, limits: Limits, *, obey_robots: bool
) -> dict[str, object]:
    """The settings of a crawl of one page: the crawl's user agent and fetch bounds."""
    from spiders.target_spider import fetch_settings

    return {
        "USER_AGENT": crawler.agent(),
        "ROBOTSTXT_OBEY": obey_robots,
        **fetch_settings(limits),
        # Nothing stored, no progress line: the command reports what was read.
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
        "LOG_LEVEL": "CRITICAL",
    }


def time_limit(values: dict[str, Any], fetches: int, more_s: float = 0.0) -> float:
    """Seconds ``fetches`` fetches (each with its retries) may take in a probe."""
    from settings import scrapy_settings

    tries = scrapy_settings.RETRY_TIMES + 1
    timeout = float(values.get("DOWNLOAD_TIMEOUT", scrapy_settings.DOWNLOAD_TIMEOUT))
    return fetches * tries * timeout + more_s + SETTLE_S


def run_in_crawl(
    values: dict[str, object], job: Callable[[Crawler], Awaitable[T]], timeout_s: float
) -> T:
    """``job(crawler)``'s result, run in a crawl with ``values`` in a child process;
    ``job`` (picklable: a module's function or a ``functools.partial`` of one) raises
    PageNotRead for what the user is told."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(values, job, sending), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(timeout_s):
            raise PageNotRead(f"reading the page took longer than {timeout_s:.0f} s: stopped")
        done, value = receiving.recv()
    except EOFError:
        raise PageNotRead(
            f"the process reading the page ended without an answer (exit {child.exitcode})"
        ) from None
    finally:
        receiving.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    if done:
        result: T = value
        return result
    raise value


def _child(
    values: dict[str, object], job: Callable[[Crawler], Awaitable[Any]], out: Connection
) -> None:
    settings = Settings()
    settings.setmodule("settings.scrapy_settings", priority="project")
    settings.update(values, priority="cmdline")
    outcome: list[tuple[bool, Any]] = []
    process = CrawlerProcess(settings)
    process.crawl(ProbeSpider, job=job, outcome=outcome)
    process.start()
    out.send(outcome[0] if outcome else (False, PageNotRead("the page's crawl did not start")))
    out.close()


class ProbeSpider(scrapy.Spider):
    """Runs its job while the crawl is open, and nothing else."""

    name = "probe"

    def __init__(self, job: Any, outcome: list[tuple[bool, Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job, self.outcome = job, outcome

    async def start(self) -> AsyncIterator[Any]:
        try:
            self.outcome.append((True, await self.job(self.crawler)))
        except PageNotRead as refused:
            self.outcome.append((False, refused))
        except Exception as exc:  # a fault of ours: its type and words, not its pickle
            self.outcome.append((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        return
        yield  # an asynchronous generator that yields no request


async def fetch(crawler: Crawler, url: str) -> Fetched:
    """``url`` fetched by ``crawler``'s downloader, its robots.txt middleware first."""
    engine = crawler.engine
    assert engine is not None
    try:
        response = await engine.download_async(Request(url, dont_filter=True, callback=NO_CALLBACK))
    except RobotsUnreadable as refused:
        raise PageNotRead(
            f"robots.txt of {urlparse(url).netloc} could not be read ({refused.reason}): "
            f"{url} is not fetched, as a crawl would not fetch it"
        ) from None
    except RobotsForbidden as refused:
        raise PageNotRead(
            f"{refused}; use --ignore-robots only with the site owner's permission"
        ) from None
    except Exception as exc:
        reason = failure_reason(Failure(exc))
        raise PageNotRead(
            f"cannot fetch {url}: {REASONS[reason] if reason else f'{type(exc).__name__}: {exc}'}"
        ) from None
    if response.status >= 400:
        raise PageNotRead(f"{url} answered HTTP {response.status}")
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    return Fetched(response.url, response.status, content_type, response.body)

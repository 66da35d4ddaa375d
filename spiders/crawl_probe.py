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

Scrapy's reactor starts once per process. A command process that has no reactor yet (the
``rivalscope`` command: one reading, then it ends) runs the crawl in itself: a child would
start Python and import the command and Scrapy again (about 2 s of a 3-4 s ``targets
check``). Elsewhere, and for a second reading, each reading runs in a child process
("spawn"), which also leaves a command called in a long-lived process (tests, a notebook)
free of the reactor.

The probe's crawl loads only what reading a page takes: the crawl's settings, downloader
middlewares and download handlers, without the components the crawl's settings turn off
anyway (cookies, HTTP cache) and without extensions (statistics, telnet, remote control,
the memory guard, AutoThrottle): none of them takes part in reading a page. Nor does it
wait the politeness delay between robots.txt and the page: it fetches one page.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, TypeVar
from urllib.parse import urlparse

import scrapy
from scrapy import Request
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http.request import NO_CALLBACK
from scrapy.settings import Settings
from scrapy.utils.log import get_scrapy_root_handler
from scrapy.utils.reactor import is_reactor_installed
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from settings.interrupts import deliver_interrupt, interrupts_noted
from settings.targets import Crawler as CrawlerTable
from settings.targets import Limits
from settings.user_errors import UserError
from spiders.download_errors import error_message
from spiders.extract.document import decode_html
from spiders.fetch_problems import (
    REASONS,
    failure_reason,
    redirect_scheme,
    refused_redirect_said,
    refused_redirect_scheme,
    size_refusal_said,
)
from spiders.raw_fields import clean_text
from spiders.robots_rules import RobotsForbidden, RobotsUnreadable, dead_site_prefix
from storage.child_process import quiet_resource_tracker

T = TypeVar("T")
SETTLE_S = 60.0
"""A child's start (Python, Scrapy) and close, on a loaded machine, on top of its fetches."""


class PageNotRead(UserError):
    """The page was not read: robots.txt refuses it (or could not be read), it could not be
    fetched, or it answered an HTTP error. Its line quotes what the server sent (a redirect's
    URL, host or port in an error's words): control characters dropped (``clean_text``), so
    that a server cannot send escape sequences to the terminal."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_text(message) or "")


@dataclass(frozen=True)
class Fetched:
    """A page's answer, as the crawl's downloader gave it."""

    url: str
    status: int
    content_type: str
    body: bytes

    def text(self) -> str:
        return decode_html(self.body, http_content_type_encoding(self.content_type))[0]


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
        "LOG_LEVEL": "CRITICAL",
        "LOG_VERSIONS": [],  # not even computed (their imports) for a log nobody reads
        # One page after robots.txt: no politeness delay to wait (a crawl's pages have one).
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
    }


LEAN: dict[str, dict[str, int]] = {
    "EXTENSIONS_BASE": {},
    "EXTENSIONS": {},
    "SPIDER_MIDDLEWARES_BASE": {},
}
"""Components a probe does without: no extension plays a part in reading a page (telnet,
remote control, statistics, AutoThrottle, the memory guard), and the probe's requests go
from the engine to the downloader, past no spider middleware."""
TURNED_OFF = {
    "COOKIES_ENABLED": "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    "HTTPCACHE_ENABLED": "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
}
"""Downloader middlewares that a setting turns off (they say NotConfigured when loaded):
not loaded at all when it does (the cookie middleware's import alone takes 0.2 s)."""


def _settings(values: dict[str, object]) -> Settings:
    """The project's Scrapy settings with ``values``, lean for a probe (``LEAN``)."""
    settings = Settings()
    settings.setmodule("settings.scrapy_settings", priority="project")
    settings.update(values, priority="cmdline")
    settings.update(LEAN, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES_BASE"))
    for switch, component in TURNED_OFF.items():
        if not settings.getbool(switch):
            middlewares.pop(component, None)
    settings.set("DOWNLOADER_MIDDLEWARES_BASE", middlewares, priority="cmdline")
    return settings


def time_limit(values: dict[str, Any], fetches: int, more_s: float = 0.0) -> float:
    """Seconds ``fetches`` fetches (each with its retries) may take in a probe."""
    from settings import scrapy_settings

    tries = scrapy_settings.RETRY_TIMES + 1
    timeout = float(values.get("DOWNLOAD_TIMEOUT", scrapy_settings.DOWNLOAD_TIMEOUT))
    return fetches * tries * timeout + more_s + SETTLE_S


def run_in_crawl(
    values: dict[str, object],
    job: Callable[[Crawler], Awaitable[T]],
    timeout_s: float,
    *,
    here: bool = False,
) -> T:
    """``job(crawler)``'s result, run in a crawl with ``values``; ``job`` raises PageNotRead
    for what the user is told. With ``here`` (a process that ends after its command) the
    crawl runs in this process if no reactor was installed in it yet (Ctrl-C stops it and
    raises KeyboardInterrupt); otherwise in a child process, and ``job`` must be picklable
    (a module's function or a ``functools.partial`` of one)."""
    if here and not is_reactor_installed():
        done, value = _crawl(values, job, timeout_s, in_child=False)
    else:
        done, value = _in_child(values, job, timeout_s)
    if done:
        result: T = value
        return result
    raise value


def _in_child(
    values: dict[str, object], job: Callable[[Crawler], Awaitable[T]], timeout_s: float
) -> tuple[bool, Any]:
    context = multiprocessing.get_context("spawn")
    quiet_resource_tracker()  # a spawned process starts the tracker: start it quiet
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(values, job, timeout_s, sending), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(timeout_s):
            raise PageNotRead(f"reading the page took longer than {timeout_s:.0f} s: stopped")
        outcome: tuple[bool, Any] = receiving.recv()
        return outcome
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


def _child(
    values: dict[str, object],
    job: Callable[[Crawler], Awaitable[Any]],
    timeout_s: float,
    out: Connection,
) -> None:
    out.send(_crawl(values, job, timeout_s, in_child=True))
    out.close()


def _crawl(
    values: dict[str, object],
    job: Callable[[Crawler], Awaitable[Any]],
    timeout_s: float,
    *,
    in_child: bool,
) -> tuple[bool, Any]:
    """(True, result) or (False, the exception to raise) of ``job`` run in a crawl in this
    process. Out of a child, Ctrl-C cancels the job and, once the crawl has closed, goes on
    to the SIGINT handler it would have reached (KeyboardInterrupt by default); and the
    logging set-up of Scrapy is undone (the command prints on)."""
    outcome: list[tuple[bool, Any]] = []
    process = CrawlerProcess(_settings(values))
    showwarning = warnings.showwarning
    stop = _Stop()
    try:
        with interrupts_noted(stop.interrupt) if not in_child else nullcontext() as note:
            process.crawl(ProbeSpider, job=job, outcome=outcome, timeout_s=timeout_s, stop=stop)
            process.start(install_signal_handlers=in_child)
    finally:
        if not in_child:
            _undo_logging(showwarning)
    if stop.interrupted:  # Ctrl-C (SIGTERM) goes on to the handler it would have reached
        deliver_interrupt(note.signum if note is not None else signal.SIGINT)
        raise KeyboardInterrupt
    return outcome[0] if outcome else (False, PageNotRead("the page's crawl did not start"))


@dataclass
class _Stop:
    """Ctrl-C during a probe's crawl in the command's process: noted, and the job cancelled
    (then the crawl closes at once; Scrapy's own handler would wait for the page's
    download to end)."""

    interrupted: bool = False
    cancel_job: Callable[[], object] | None = None

    def interrupt(self, _signum: int = signal.SIGINT) -> None:
        """Ctrl-C (or SIGTERM) came: cancel the job if it runs (``job_started`` does it if
        not yet)."""
        self.interrupted = True
        if self.cancel_job is not None:
            self.cancel_job()

    def job_started(self, cancel: Callable[[], object]) -> None:
        """The job runs: ``cancel`` stops it (at once if Ctrl-C came before it started)."""
        self.cancel_job = cancel
        if self.interrupted:
            cancel()


def _undo_logging(showwarning: Callable[..., Any]) -> None:
    """The command's logging as it was before Scrapy configured it for the probe."""
    handler = get_scrapy_root_handler()
    if handler is not None:
        logging.root.removeHandler(handler)
    if warnings.showwarning is not showwarning:
        logging.captureWarnings(False)


class ProbeSpider(scrapy.Spider):
    """Runs its job while the crawl is open, and nothing else."""

    name = "probe"

    def __init__(
        self,
        job: Any,
        outcome: list[tuple[bool, Any]],
        timeout_s: float,
        stop: _Stop,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.job, self.outcome, self.timeout_s, self.stop = job, outcome, timeout_s, stop

    async def start(self) -> AsyncIterator[Any]:
        loop = asyncio.get_running_loop()
        task = loop.create_task(self.job(self.crawler))
        self.stop.job_started(partial(loop.call_soon_threadsafe, task.cancel))
        try:
            self.outcome.append((True, await asyncio.wait_for(task, self.timeout_s)))
        except PageNotRead as refused:
            self.outcome.append((False, refused))
        except asyncio.CancelledError:  # Ctrl-C: the caller says so
            pass
        except TimeoutError:
            self.outcome.append(
                (False, PageNotRead(f"reading the page took longer than {self.timeout_s:.0f} s"))
            )
        except Exception as exc:  # a fault of ours: its type and words, not its pickle
            self.outcome.append((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        return
        yield  # an asynchronous generator that yields no request


async def fetch(crawler: Crawler, url: str, hosts: tuple[str, ...] = ()) -> Fetched:
    """``url`` fetched by ``crawler``'s downloader, its robots.txt middleware first.
    ``hosts``: those a crawl of the page stays on (their subdomains too); a redirect off them
    is refused as a crawl refuses it (``offsite_redirect``): before, the page it led to was
    read and shown, where a crawl of the same URL read nothing."""
    engine = crawler.engine
    assert engine is not None
    try:
        response = await engine.download_async(Request(url, dont_filter=True, callback=NO_CALLBACK))
    except RobotsUnreadable as refused:
        host = refused.host or urlparse(url).netloc
        via = " (the host it redirects to)" if host != urlparse(url).netloc else ""
        dead = dead_site_prefix(refused.reason)
        raise PageNotRead(
            f"{dead}robots.txt of {host}{via} could not be read ({refused.reason}): "
            f"{url} is not fetched, as a crawl would not fetch it"
        ) from None
    except RobotsForbidden as refused:
        raise PageNotRead(
            f"{refused}; use --ignore-robots only with the site owner's permission"
        ) from None
    except Exception as exc:
        failure = Failure(exc)
        reason = failure_reason(failure)
        detail = f"{type(exc).__name__}: {error_message(exc)}"
        # No answer: the error's own words say which way (refused, no such host...).
        said = detail if reason in (None, "no_answer") else REASONS[reason]
        limit = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        said = size_refusal_said(reason or "", limit) or said
        scheme = refused_redirect_scheme(failure)
        if scheme is not None:
            said = refused_redirect_said(scheme)
        raise PageNotRead(f"cannot fetch {url}: {said}") from None
    scheme = redirect_scheme(response)
    if scheme is not None:  # Scrapy hands on the 3xx itself: its body is no page
        raise PageNotRead(f"cannot fetch {url}: {refused_redirect_said(scheme)}")
    landed = urlparse(response.url).hostname or ""
    if hosts and not any(landed == h or landed.endswith("." + h) for h in hosts):
        raise PageNotRead(
            f"{url} redirects to {response.url}, off the crawl's hosts ({', '.join(hosts)}): "
            "a crawl does not follow it (offsite_redirect); start from that page, or add "
            f"{landed} to the source's allowed_domains"
        )
    if response.status >= 400:
        raise PageNotRead(f"{url} answered HTTP {response.status}")
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    return Fetched(response.url, response.status, content_type, response.body)

"""Runs the crawls of a targets file in this process with Scrapy's CrawlerProcess.

One process can start Scrapy's reactor only once; the scheduler therefore runs each
crawl in a process of its own (``rivalscope crawl``).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from settings.interrupts import deliver_interrupt, interrupts_noted
from settings.targets import Company, Source, Targets, TargetsError
from spiders.target_spider import TargetSpider
from storage.db import database_url

LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


@dataclass
class CrawlResult:
    """How one source's crawl in this process went."""

    source: str
    run_id: int | None
    """The ``crawl_run`` row; None if the run could not start."""
    pages: int
    """Pages that answered with content (robots.txt, errors and refused bodies aside)."""
    refused: str | None = None
    """Why the run did not start (another crawl of the source is running)."""
    stopped_by: int | None = None
    """The signal that stopped the crawls (SIGINT: Ctrl-C, SIGTERM), None when none came."""


def check_log_level(level: str) -> str:
    """The log level in upper case; TargetsError naming the choices if Scrapy has no such level."""
    upper = level.strip().upper()
    if upper not in LOG_LEVELS:
        raise TargetsError(
            f"--log-level {level!r} is not a log level; use one of {', '.join(LOG_LEVELS)}"
        )
    return upper


def crawl_settings(
    targets: Targets,
    db_url: str | None = None,
    *,
    log_level: str = "INFO",
    progress: str | None = None,
) -> Settings:
    """Project settings plus what the targets file and the command line set."""
    settings = Settings()
    settings.setmodule("settings.scrapy_settings", priority="project")
    settings.set("RIVALSCOPE_DATABASE_URL", database_url(db_url), priority="cmdline")
    settings.set("LOG_LEVEL", check_log_level(log_level), priority="cmdline")
    settings.set("RIVALSCOPE_PROGRESS", progress, priority="cmdline")
    if progress is not None:
        # Beside the progress lines, Scrapy's ERROR line per page that failed after its
        # retries ("Gave up retrying <GET ...>") flooded a busy or dying site's crawl and
        # broke the redrawn lines; each is counted in its line's errors and recorded in the
        # run (`rivalscope runs`, the summary's samples). -v (no progress) keeps them.
        settings.set("RETRY_GIVE_UP_LOG_LEVEL", "INFO", priority="cmdline")
    return settings


def select_sources(targets: Targets, names: list[str] | None) -> list[tuple[Company, Source]]:
    """The (company, source) pairs to crawl: all, or those named (unknown names are an error;
    a name given twice is one crawl: two at once of one source ran, both recorded)."""
    if not names:
        pairs = targets.sources()
        if not pairs:
            raise TargetsError("the targets file lists no sources: add [[company.source]] tables")
        return pairs
    return [targets.find_source(name) for name in dict.fromkeys(names)]


def run_crawls(
    targets: Targets,
    names: list[str] | None = None,
    db_url: str | None = None,
    *,
    log_level: str = "INFO",
    progress: str | None = None,
) -> list[CrawlResult]:
    """Crawl the chosen sources concurrently; blocks until all have finished.

    ``progress``: ``live`` or ``plain`` for a line per source (``spiders.progress``).
    Returns how each source's crawl went; its figures are in the database's ``crawl_run``
    table. Ctrl-C stops the crawls gracefully (their runs end ``interrupted``).
    """
    pairs = select_sources(targets, names)
    rendered = [source.name for _, source in pairs if source.render == "browser"]
    if rendered:
        from spiders.browser import require_browser

        require_browser(rendered)  # before any crawl starts: one clear error
    process = CrawlerProcess(
        crawl_settings(targets, db_url, log_level=log_level, progress=progress)
    )
    crawlers = []
    held = _HeldSignals()
    with _interrupts_held_until_started(held) as arm:
        for company, source in pairs:
            crawler = process.create_crawler(TargetSpider)
            process.crawl(crawler, source=source, company=company, targets=targets)
            crawlers.append((source.name, crawler))
        arm([crawler for _, crawler in crawlers])  # the reactor is installed by now
        process.start()
    logging.getLogger(__name__).debug("crawled %d sources", len(pairs))
    results = []
    for name, crawler in crawlers:
        spider = getattr(crawler, "spider", None)
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        results.append(
            CrawlResult(
                source=name,
                run_id=getattr(spider, "crawl_run_id", None),
                pages=int(stats.get("rivalscope/pages_parsed", 0)),
                refused=getattr(spider, "refused", None),
                stopped_by=held.stopped_by[0] if held.stopped_by else None,
            )
        )
    return results


@contextmanager
def _interrupts_held_until_started(
    held: _HeldSignals,
) -> Iterator[Callable[[list[Crawler]], None]]:
    """Ctrl-C (or SIGTERM, once the reactor runs) while the crawls start stops them
    gracefully once they run, as a later one does.

    ``process.crawl`` starts each crawler's set-up (its spider, extensions, middlewares)
    inside a Deferred: a KeyboardInterrupt raised there was caught by Twisted ("Unhandled
    error in Deferred" and its traceback), that source was not crawled, the others were,
    and the command exited 0. Here the signal is noted and sent again to Scrapy's handler
    once every crawler's engine runs. Scrapy's handlers are in place once the reactor runs,
    while the spiders still open (their runs are recorded by then): a signal they took
    there stopped the reactor without closing the spiders, whose runs stayed ``running``
    (and the command said "no page answered" and exited 1). So they are held back too until
    every engine runs; a second signal while one is held goes to Scrapy at once. The block
    calls what it is given with the crawlers once the reactor is installed (importing it
    earlier would install Twisted's default one), before starting it. Only in the main
    thread, and only where Python handles SIGINT (an ignored one stays ignored). The first
    signal that stops the crawls is noted in ``held.stopped_by``."""
    try:
        with interrupts_noted(held.noted) as note:
            if note.handler is None:  # not the main thread, or SIGINT ignored
                yield lambda _crawlers: None
                return
            held.ours = note.handler
            yield held.arm
        if note.received and not note.replaced:  # the reactor never started
            deliver_interrupt(note.signum)
    finally:
        held.give_back()


class _HeldSignals:
    """The signals of ``_interrupts_held_until_started`` (see there)."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.stopped_by: list[int] = []
        """The signals that stopped the crawls (Ctrl-C: SIGINT, or SIGTERM), first first."""
        self.crawlers: list[Crawler] = []
        self.scrapy_handlers: dict[int, Any] = {}
        """Scrapy's handlers, while ours stand in for them."""
        self.reactor: Any = None
        self.ours: Any = None
        """Our SIGINT handler before the reactor runs (``interrupts_noted``'s)."""

    def noted(self, signum: int) -> None:
        """Before the reactor runs: sent on once it does."""
        self.received.append(signum)
        self.stopped_by.append(signum)

    def arm(self, crawlers: list[Crawler]) -> None:
        from twisted.internet import reactor as installed

        reactor: Any = installed  # typed by twisted as its module, not a reactor
        self.crawlers, self.reactor = crawlers, reactor
        # Scrapy adds its "after startup" trigger (its handlers) when the reactor starts,
        # after this one; a trigger added while they fire runs after them, before the
        # spiders open (they open in the reactor's first turn).
        reactor.addSystemEventTrigger(
            "after",
            "startup",
            lambda: reactor.addSystemEventTrigger("after", "startup", self.take_over),
        )

    def take_over(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            current = signal.getsignal(signum)
            if callable(current) and current is not self.ours:  # Scrapy's
                self.scrapy_handlers[signum] = current
                signal.signal(signum, self.held)
        if self.received:
            self.send_when_running()

    def all_running(self) -> bool:
        return all(_engine_running(c) or not c.crawling for c in self.crawlers)

    def held(self, signum: int, frame: FrameType | None) -> None:
        """Once the reactor runs: Scrapy's handler once every engine runs."""
        self.stopped_by.append(signum)
        if not self.received and not self.all_running():
            self.received.append(signum)
            self.reactor.callFromThread(self.send_when_running)
            return
        scrapy_handler = self.scrapy_handlers.get(signum)  # a second one: Scrapy's at once
        self.give_back()
        if callable(scrapy_handler):
            scrapy_handler(signum, frame)

    def send_when_running(self) -> None:
        if self.all_running():
            self.give_back()
            signal.raise_signal(self.received[0])  # to Scrapy's handler, in place again
        else:
            self.reactor.callLater(_POLL_S, self.send_when_running)

    def give_back(self) -> None:
        """Scrapy's handlers in place again (where ours still stand), the signal they get
        noted in ``stopped_by`` first."""
        for signum, scrapy_handler in self.scrapy_handlers.items():
            if signal.getsignal(signum) == self.held:
                signal.signal(signum, self._noting(scrapy_handler))
        self.scrapy_handlers.clear()

    def _noting(self, scrapy_handler: Any) -> Callable[[int, FrameType | None], None]:
        def noted(signum: int, frame: FrameType | None) -> None:
            self.stopped_by.append(signum)
            scrapy_handler(signum, frame)

        return noted


_POLL_S = 0.1


def _engine_running(crawler: Crawler) -> bool:
    try:
        return bool(crawler.engine.running)
    except RuntimeError:  # no engine yet
        return False

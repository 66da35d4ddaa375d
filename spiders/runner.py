"""Runs the crawls of a targets file in this process with Scrapy's CrawlerProcess.

One process can start Scrapy's reactor only once; the scheduler therefore runs each
crawl in a process of its own (``rivalscope crawl``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
    return settings


def select_sources(targets: Targets, names: list[str] | None) -> list[tuple[Company, Source]]:
    """The (company, source) pairs to crawl: all, or those named (unknown names are an error)."""
    if not names:
        pairs = targets.sources()
        if not pairs:
            raise TargetsError("the targets file lists no sources: add [[company.source]] tables")
        return pairs
    return [targets.find_source(name) for name in names]


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
    with _interrupts_held_until_started() as arm:
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
            )
        )
    return results


@contextmanager
def _interrupts_held_until_started() -> Iterator[Callable[[list[Crawler]], None]]:
    """Ctrl-C before Scrapy's own handler is in place (once the reactor runs) stops the
    crawls gracefully once they run, as a later one does.

    ``process.crawl`` starts each crawler's set-up (its spider, extensions, middlewares)
    inside a Deferred: a KeyboardInterrupt raised there was caught by Twisted ("Unhandled
    error in Deferred" and its traceback), that source was not crawled, the others were,
    and the command exited 0. Here the signal is noted and sent again to Scrapy's handler
    once every crawler's engine runs (stopped while its spider still opens, a run stayed
    ``running``). The block calls what it is given with the crawlers once the reactor is
    installed (importing it earlier would install Twisted's default one), before starting
    it."""
    armed: list[Callable[[], None]] = []

    def _poke_reactor() -> None:
        if armed:  # the reactor runs: its first turn may have passed already
            from twisted.internet import reactor

            reactor.callFromThread(armed[0])

    with interrupts_noted(_poke_reactor) as note:

        def _arm(crawlers: list[Crawler]) -> None:
            from twisted.internet import reactor as installed

            reactor: Any = installed  # typed by twisted as its module, not a reactor

            def _send_when_running() -> None:
                if all(_engine_running(crawler) or not crawler.crawling for crawler in crawlers):
                    deliver_interrupt()  # to Scrapy's handler, in place by now
                else:
                    reactor.callLater(_POLL_S, _send_when_running)

            def _started() -> None:
                # Runs before Scrapy's own "after startup" trigger installs its handler; the
                # signal goes out once (a second Ctrl-C makes Scrapy stop at once).
                if note.received:
                    reactor.callLater(0, _send_when_running)
                else:
                    armed.append(_send_when_running)

            reactor.addSystemEventTrigger("after", "startup", _started)

        yield _arm
    if note.received and not note.replaced:  # the reactor never started
        deliver_interrupt()


_POLL_S = 0.1


def _engine_running(crawler: Crawler) -> bool:
    try:
        return bool(crawler.engine.running)
    except RuntimeError:  # no engine yet
        return False

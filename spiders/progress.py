"""One progress line per source while ``rivalscope crawl`` runs.

On a terminal the lines are redrawn in place twice a second; otherwise each source prints
one plain line when its crawl ends. The words and counts are those of the crawl run (and of
``rivalscope runs``): pages, reviews seen / new, offers seen / changed, errors. Enabled by
the ``RIVALSCOPE_PROGRESS`` setting (``live`` or ``plain``, set by ``spiders.runner``);
``scrapy crawl`` keeps Scrapy's own log.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import IO, Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from spiders.page_budget import pages_fetched
from storage.crawl_summary import END_WORDS

REFRESH_S = 0.5
MODES = ("live", "plain")


def progress_line(source: str, stats: dict[str, Any], end: str | None = None) -> str:
    """The source's line; ``end``: the spider's close reason once its crawl has ended."""

    def n(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    errors = n("rivalscope/errors") + n("rivalscope/http_errors")
    pages = pages_fetched(stats)
    line = (
        f"{source}: {pages} pages, reviews "
        f"{n('rivalscope/reviews_seen')} seen / {n('rivalscope/reviews_new')} new, offers "
        f"{n('rivalscope/offers_seen')} seen / {n('rivalscope/offers_changed')} changed, "
        f"{errors} {'error' if errors == 1 else 'errors'}"
    )
    if not end:
        return line
    ending = END_WORDS.get(end, end)
    if pages == 0 and end != "shutdown":  # interrupted says all: the next run completes it
        # A dead site's line ended "1 errors, done", as if it had been read and found empty.
        nothing = _nothing_read(n("robotstxt/forbidden"))
        ending = nothing if end == "finished" else f"{ending}; {nothing}"
    return f"{line}, {ending}"


def _nothing_read(forbidden: int) -> str:
    """What a crawl that fetched no page ends with: that, and what to check."""
    if forbidden:
        return (
            "nothing read: robots.txt forbids every page found; check whether the site still "
            "allows crawling"
        )
    return (
        "nothing read: no page answered; check that the site is up and that its start_urls "
        "in the targets file are right"
    )


@dataclass
class Board:
    """The lines of every source crawled in this process, redrawn together in place."""

    out: IO[str] = field(default_factory=lambda: sys.stderr)
    lines: dict[str, str] = field(default_factory=dict)
    drawn: int = 0

    def draw(self) -> None:
        if self.drawn:
            self.out.write(f"\x1b[{self.drawn}F")  # back to the first line drawn
        for line in self.lines.values():
            self.out.write(f"\x1b[2K{line}\n")
        self.drawn = len(self.lines)
        self.out.flush()


BOARD = Board()


class CrawlProgress:
    """Scrapy extension: this crawl's progress line (see the module docstring)."""

    def __init__(self, crawler: Crawler, mode: str, board: Board) -> None:
        self.crawler, self.mode, self.board = crawler, mode, board
        self.source = "?"
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        mode = crawler.settings.get("RIVALSCOPE_PROGRESS")
        if mode not in MODES:
            # No progress line asked. No message: Scrapy logs a message of NotConfigured as a
            # WARNING ("Disabled ...: ..."), on every run of a worker and of `crawl -v`.
            raise NotConfigured
        extension = cls(crawler, mode, BOARD)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def _line(self, end: str | None = None) -> str:
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        return progress_line(self.source, stats, end)

    def opened(self, spider: Any) -> None:
        source = getattr(spider, "source", None)
        self.source = getattr(source, "name", spider.name)
        if self.mode == "live":
            from twisted.internet import task

            self.board.lines[self.source] = self._line()
            self.loop = task.LoopingCall(self.refresh)
            self.loop.start(REFRESH_S, now=True)

    def refresh(self) -> None:
        self.board.lines[self.source] = self._line()
        self.board.draw()

    def closed(self, spider: Any, reason: str = "finished") -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        line = self._line(reason or "finished")
        if getattr(spider, "refused", None):  # another crawl of the source runs: none here
            line = f"{self.source}: not crawled (another crawl of the source is running)"
        if self.mode == "live":
            self.board.lines[self.source] = line
            self.board.draw()
        else:
            print(line, file=sys.stderr, flush=True)

"""Stops a crawl whose process grows past ``limits.max_memory_mb``, and records its peak.

Scrapy's MemoryUsage extension reads ``ru_maxrss``, which on Linux keeps the peak of the
process image before ``exec``: a crawl started from a large parent (a test runner, a
scheduler holding models) would start "over the limit" and stop at once. This guard reads
the current resident size instead (``/proc/self/statm``; ``ru_maxrss`` where there is no
/proc), keeps the highest value seen as ``rivalscope/memory_peak_mb``, and closes the
spider with reason ``memusage_exceeded`` (recorded as ``memory_limit``) above the limit.
"""

from __future__ import annotations

import logging
import os
import resource
import sys
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import _schedule_coro
from twisted.internet.task import LoopingCall

from spiders.fetch_problems import count_problem

logger = logging.getLogger(__name__)
PEAK_STAT = "rivalscope/memory_peak_mb"
_STATM = Path("/proc/self/statm")


def resident_mb() -> float:
    """Resident memory of this process now, in MiB."""
    try:
        pages = int(_STATM.read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


class MemoryGuard:
    """Scrapy extension; see the module docstring. Settings: ``RIVALSCOPE_MAX_MEMORY_MB``
    (0 turns the limit off, the peak is still recorded), ``RIVALSCOPE_MEMORY_CHECK_S``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limit_mb = crawler.settings.getfloat("RIVALSCOPE_MAX_MEMORY_MB", 500)
        self.interval = crawler.settings.getfloat("RIVALSCOPE_MEMORY_CHECK_S", 0.5)
        self.task: LoopingCall | None = None
        self.tripped = False
        crawler.signals.connect(self.start, signal=signals.engine_started)
        crawler.signals.connect(self.stop, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemoryGuard:
        if crawler.settings.getfloat("RIVALSCOPE_MEMORY_CHECK_S", 0.5) <= 0:
            raise NotConfigured
        return cls(crawler)

    def start(self) -> None:
        self.task = LoopingCall(self.check)
        self.task.start(self.interval, now=True)

    def stop(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.check(closing=True)

    def check(self, closing: bool = False) -> None:
        stats = self.crawler.stats
        assert stats is not None
        now = resident_mb()
        stats.max_value(PEAK_STAT, int(now))
        if closing or self.tripped or not self.limit_mb or now <= self.limit_mb:
            return
        self.tripped = True
        count_problem(stats, "memory_limit")
        logger.error(
            "memory %.0f MiB is over limits.max_memory_mb (%.0f): stopping the crawl",
            now,
            self.limit_mb,
        )
        engine: Any = self.crawler.engine
        if engine is not None and engine.spider is not None:
            _schedule_coro(engine.close_spider_async(reason="memusage_exceeded"))

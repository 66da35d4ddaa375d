"""Stops a crawl whose process, or one of its child processes (the store worker that detects
languages and writes, a browser driver), grows past ``limits.max_memory_mb``, and records the
peak of the largest of them.

Scrapy's MemoryUsage extension reads ``ru_maxrss``, which on Linux keeps the peak of the
process image before ``exec``: a crawl started from a large parent (a test runner, a
scheduler holding models) would start "over the limit" and stop at once. This guard reads
the current resident size instead (``/proc/self/statm``; ``ru_maxrss`` where there is no
/proc), and that of each child process (``/proc/<pid>/statm``, children listed by
``/proc/self/task/*/children``); it keeps the highest value seen as
``rivalscope/memory_peak_mb`` (the child's as ``rivalscope/child_memory_peak_mb`` too), and
closes the spider with reason ``memusage_exceeded`` (recorded as ``memory_limit``) when
either is above the limit. The limit is per process: the store worker holds the language
models (about 300 MB once a short review needed them all), the crawl its pages.
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import time
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
CHILD_PEAK_STAT = "rivalscope/child_memory_peak_mb"
_PROC = Path("/proc")


def _statm_mb(pid: int | str) -> float | None:
    try:
        pages = int((_PROC / str(pid) / "statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def resident_mb() -> float:
    """Resident memory of this process now, in MiB."""
    now = _statm_mb("self")
    if now is not None:
        return now
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def largest_child_mb() -> float:
    """Resident memory now of this process's largest child process, in MiB (0 without one,
    or without /proc)."""
    largest = 0.0
    for listing in (_PROC / "self" / "task").glob("*/children"):
        try:
            pids = listing.read_text().split()
        except OSError:
            continue  # the thread ended meanwhile
        for pid in pids:
            largest = max(largest, _statm_mb(pid) or 0.0)
    return largest


_MEASURED: list[float] = [float("-inf"), 0.0, 0.0]
"""When this process's memory was last measured, and what was found (own, child)."""


def measured_mb(max_age_s: float) -> tuple[float, float]:
    """``resident_mb()`` and ``largest_child_mb()``, measured again only when the last
    measure is older than ``max_age_s``: a process that crawls many sources (a distributed
    worker serves dozens of runs) has a guard per crawl, and one measure serves them all."""
    now = time.monotonic()
    if now - _MEASURED[0] >= max_age_s:
        _MEASURED[:] = [now, resident_mb(), largest_child_mb()]
    return _MEASURED[1], _MEASURED[2]


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
        # The periodic checks of a process's crawls share one measure per half interval.
        self.task = LoopingCall(self.check, max_age_s=self.interval / 2)
        self.task.start(self.interval, now=True)

    def stop(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.check(closing=True)

    def check(self, closing: bool = False, max_age_s: float = 0.0) -> None:
        stats = self.crawler.stats
        assert stats is not None
        own, child = measured_mb(max_age_s)
        stats.max_value(PEAK_STAT, int(max(own, child)))
        stats.max_value(CHILD_PEAK_STAT, int(child))
        now = max(own, child)
        if closing or self.tripped or not self.limit_mb or now <= self.limit_mb:
            return
        self.tripped = True
        count_problem(stats, "memory_limit")
        logger.error(
            "memory of the %s %.0f MiB is over limits.max_memory_mb (%.0f): stopping the crawl",
            "crawl" if own >= child else "crawl's worker process",
            now,
            self.limit_mb,
        )
        engine: Any = self.crawler.engine
        if engine is not None and engine.spider is not None:
            _schedule_coro(engine.close_spider_async(reason="memusage_exceeded"))

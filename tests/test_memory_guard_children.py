"""The memory guard covers the crawl's child processes (the store worker) as well as the
crawl itself: their peak is recorded and a child over the limit stops the crawl."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from scrapy.utils.test import get_crawler

from spiders.fetch_problems import PROBLEM_PREFIX
from spiders.memory_guard import (
    CHILD_PEAK_STAT,
    PEAK_STAT,
    MemoryGuard,
    largest_child_mb,
    resident_mb,
)

HOLD = (
    "import sys, time; block = bytearray(int(sys.argv[1]) * 2**20); "
    "print('ok', flush=True); time.sleep(60)"
)


@contextlib.contextmanager
def _child_holding(mb: int | None) -> Iterator[None]:
    """A child process holding ``mb`` MiB (none for None) while the block runs."""
    if mb is None:
        yield
        return
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(mb)], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"ok"
        time.sleep(0.2)
        yield
    finally:
        child.kill()
        child.communicate()


@pytest.mark.parametrize(("child", "over"), [("none", False), ("small", False), ("big", True)])
def test_the_guard_reads_child_processes(child: str, over: bool) -> None:
    # The limit sits above this (test) process, so only the child can cross it.
    limit = max(150, int(resident_mb()) + 100)
    child_mb = {"none": None, "small": 60, "big": limit + 100}[child]
    crawler = get_crawler(settings_dict={"RIVALSCOPE_MAX_MEMORY_MB": limit})
    crawler.engine = SimpleNamespace(spider=None)  # type: ignore[assignment]  # no crawl runs
    guard = MemoryGuard(crawler)
    # Children the test process already has (multiprocessing's resource tracker, started
    # by an earlier test's spawned worker) are the floor: "none" adds nothing to it.
    floor = int(largest_child_mb())
    with _child_holding(child_mb):
        guard.check()
    stats = crawler.stats
    assert stats is not None
    child_peak = stats.get_value(CHILD_PEAK_STAT)
    if child_mb is None:
        assert child_peak <= floor + 2, (child_peak, floor)
    else:
        assert child_peak >= child_mb
    assert stats.get_value(PEAK_STAT) >= child_peak
    assert guard.tripped is over
    assert (stats.get_value(PROBLEM_PREFIX + "memory_limit") == 1) is over

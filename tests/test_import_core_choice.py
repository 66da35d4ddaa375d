"""Whether a large import starts its detection process: decided from what the cores do
while the import starts (the kernel's counters), not from the load average's last minute."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from spiders import file_import, idle_cores
from spiders.idle_cores import CpuSample, busy_elsewhere, parse_busy_seconds

STAT_BEFORE = (
    "cpu  3000 0 1000 6000 0 0 0 0 0 0\n"
    "cpu0 1000 0 500 3000 0 0 0 0 0 0\n"
    "cpu1 2000 0 500 3000 0 0 0 0 0 0\n"
    "intr 1 2 3\n"
)


def _stat_after(busy_ticks: tuple[int, int], iowait_ticks: int = 0) -> str:
    """``STAT_BEFORE`` one second later (100 ticks a core), cpu0 and cpu1 busy for the given
    ticks (user time) and the rest idle (``iowait_ticks`` of cpu0's as iowait)."""
    lines = []
    total = [0] * 8
    for cpu, (user, system, idle) in enumerate(((1000, 500, 3000), (2000, 500, 3000))):
        busy = busy_ticks[cpu]
        wait = iowait_ticks if cpu == 0 else 0
        fields = [user + busy, 0, system, idle + 100 - busy - wait, wait, 0, 0, 0]
        total = [a + b for a, b in zip(total, fields, strict=True)]
        lines.append(f"cpu{cpu} " + " ".join(map(str, fields)) + " 0 0")
    return "\n".join(["cpu  " + " ".join(map(str, total)) + " 0 0", *lines, "intr 1 2 3", ""])


@pytest.mark.parametrize(
    ("stat", "cores", "seconds"),
    [
        (STAT_BEFORE, None, 40.0),  # the total line: user + system
        (STAT_BEFORE, {0}, 15.0),
        (STAT_BEFORE, {1}, 25.0),
        (STAT_BEFORE, {0, 1}, 40.0),
        (STAT_BEFORE, {7}, None),  # a core the file does not list
        ("intr 1 2 3\n", None, None),
        (_stat_after((50, 0), iowait_ticks=30), {0}, 15.5),  # iowait is idle time
        ("cpu  1 2 3 4 5 6 7 8 9 10\n", None, (1 + 2 + 3 + 6 + 7 + 8) / 100),  # guest left out
    ],
)
def test_busy_seconds_of_the_usable_cores(
    stat: str, cores: set[int] | None, seconds: float | None
) -> None:
    assert parse_busy_seconds(stat, cores) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("before", "after", "others"),
    [
        (CpuSample(10.0, 100.0, 5.0), CpuSample(11.0, 101.0, 6.0), 0.0),  # the busy core is ours
        (CpuSample(10.0, 100.0, 5.0), CpuSample(10.5, 101.0, 5.5), 1.0),
        (CpuSample(10.0, 100.0, 5.0), CpuSample(12.0, 104.0, 5.0), 2.0),
        (CpuSample(10.0, 100.0, 5.0), CpuSample(11.0, 100.0, 5.1), 0.0),  # ticks behind: not < 0
        (CpuSample(10.0, 100.0, 5.0), CpuSample(10.0, 100.0, 5.0), None),  # no window
    ],
)
def test_cores_busy_elsewhere(before: CpuSample, after: CpuSample, others: float | None) -> None:
    assert busy_elsewhere(before, after) == pytest.approx(others)


@pytest.mark.parametrize(
    ("busy_ticks", "load", "cores", "starts"),
    [
        # Idle now, whatever the last minute's load (the import before this one): starts.
        ((3, 2), 1.9, {0, 1}, True),
        ((3, 2), 6.0, {0, 1}, True),
        ((20, 15), 1.2, {0, 1}, True),  # a third of a core used elsewhere
        # Another process on a whole core (the importer needs the other): not started.
        ((100, 5), 0.2, {0, 1}, False),
        # Both cores burnt by other processes (two busy loops): not started.
        ((100, 100), 0.2, {0, 1}, False),
        ((60, 60), 0.2, {0, 1}, False),
        # One usable core (taskset): never, however idle.
        ((0, 0), 0.0, {0}, False),
    ],
)
def test_child_starts_when_the_cores_are_idle_now(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    busy_ticks: tuple[int, int],
    load: float,
    cores: set[int],
    starts: bool,
) -> None:
    stat = tmp_path / "stat"
    stat.write_text(STAT_BEFORE)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: cores)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    since = idle_cores.cpu_sample(stat)
    assert since is not None
    # One second of the cores' life, this process idle (its own CPU counts as its own).
    since = CpuSample(time.monotonic() - 1.0, since.busy_s, time.process_time())
    stat.write_text(_stat_after(busy_ticks))
    assert file_import._second_core_free(since, stat) is starts


@pytest.mark.parametrize(
    ("load", "starts"),
    [(0.9, True), (1.4, True), (1.6, False), (3.0, False)],
)
def test_without_the_counters_the_load_average_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load: float, starts: bool
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    missing = tmp_path / "no-proc" / "stat"
    assert idle_cores.cpu_sample(missing) is None
    assert file_import._second_core_free(None, missing) is starts

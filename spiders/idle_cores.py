"""How much CPU other processes use now, from the kernel's per-core time counters.

The load average trails by a minute: right after any other command (an earlier import, a
test run) it stays high while the cores are idle, and a decision taken from it is late.
The counters in ``/proc/stat`` give the busy time of each core; two samples a fraction of a
second apart, less this process's own CPU time over the same window, give the cores other
processes kept busy in that window.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC_STAT = Path("/proc/stat")
TICKS_PER_S = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
"""Unit of ``/proc/stat``'s counters (USER_HZ, 100 on Linux)."""
IDLE_FIELDS = (3, 4)
"""idle and iowait: time a core had nothing to run (iowait: waiting on a disk, runnable
work aside) among user, nice, system, idle, iowait, irq, softirq, steal (guest time is in
user already)."""
COUNTED_FIELDS = 8
MIN_WINDOW_S = 0.2
"""Shortest window read: the counters move in 10 ms ticks, so on 2 cores 0.2 s holds 40 of
them (a core's share to within 5%)."""


@dataclass(frozen=True)
class CpuSample:
    """One reading of the usable cores' counters and of this process's CPU time."""

    at: float
    """``time.monotonic()`` seconds."""
    busy_s: float
    """CPU seconds the usable cores have been busy since boot (all processes)."""
    own_s: float
    """This process's CPU seconds (all its threads, not its children)."""


def parse_busy_seconds(stat: str, cores: set[int] | None) -> float | None:
    """Busy CPU seconds of ``cores`` (all when None: the ``cpu`` total line) in the text of
    ``/proc/stat``; None when it names none of them."""
    busy = 0
    found = False
    for line in stat.splitlines():
        name, _, rest = line.partition(" ")
        if not name.startswith("cpu"):
            continue
        if cores is None:
            if name != "cpu":
                continue
        elif name == "cpu" or int(name[3:]) not in cores:
            continue
        ticks = [int(field) for field in rest.split()[:COUNTED_FIELDS]]
        busy += sum(ticks) - sum(ticks[i] for i in IDLE_FIELDS if i < len(ticks))
        found = True
    return busy / TICKS_PER_S if found else None


def usable_cores() -> set[int] | None:
    """The cores this process may run on (taskset, a container's cpuset); None where the
    system does not say."""
    return set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


def cpu_sample(stat_path: Path = PROC_STAT) -> CpuSample | None:
    """The counters now; None where there is no ``/proc/stat`` (not Linux) or it cannot be
    read as expected."""
    try:
        text = stat_path.read_text(encoding="ascii")
        busy = parse_busy_seconds(text, usable_cores())
    except (OSError, ValueError):
        return None
    if busy is None:
        return None
    return CpuSample(at=time.monotonic(), busy_s=busy, own_s=time.process_time())


def busy_elsewhere(before: CpuSample, after: CpuSample) -> float | None:
    """Cores other processes kept busy between the two samples (0.0 = none, 2.0 = two whole
    cores); None for samples taken at the same moment."""
    window = after.at - before.at
    if window <= 0:
        return None
    others = (after.busy_s - before.busy_s) - (after.own_s - before.own_s)
    return max(others, 0.0) / window


def busy_elsewhere_since(before: CpuSample | None, stat_path: Path = PROC_STAT) -> float | None:
    """``busy_elsewhere`` from ``before`` to now, waiting out the rest of ``MIN_WINDOW_S``
    if less has passed; None without counters."""
    if before is None:
        return None
    wait = before.at + MIN_WINDOW_S - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    after = cpu_sample(stat_path)
    return None if after is None else busy_elsewhere(before, after)

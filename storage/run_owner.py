"""Whether the process that owns a ``running`` crawl run is still going, from any machine.

A run records its process id, the machine it runs on (``this_machine``: the host name and
the kernel's boot id) and its last sign of life (``alive_at``: every checkpoint, every batch
written). A process id is checked where it means something: on its own machine since its
last boot. A run of another machine is alive while it gave a sign of life within
``SILENT_AFTER``; a run of this host name but an earlier boot died with that boot. Runs recorded before machines were (no ``machine``) are
judged by their process id alone, as they always were.

Before, with one database shared by several machines (PostgreSQL), a crawl running on
another machine was taken for a dead one: shown ``interrupted``, and a second crawl of the
source started beside it, fetching the same site twice as hard.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from storage.models import CrawlRun, as_utc, utcnow

SILENT_AFTER = timedelta(minutes=5)
"""A run of another machine silent this long is dead (it writes a sign of life every
second while it crawls, and at every batch while it imports). A run of this host name but
another boot that was silent since this boot began is dead at once: its process id may
belong to anything now."""
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
_PROC_STAT = Path("/proc/stat")


@cache
def this_machine() -> str:
    """``host name/boot id`` (the boot id left out where the system has none)."""
    try:
        boot = _BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        boot = ""
    return f"{socket.gethostname()}/{boot}" if boot else socket.gethostname()


@cache
def booted_at() -> datetime:
    """When this machine last booted (the epoch where the system does not say)."""
    try:
        for line in _PROC_STAT.read_text(encoding="ascii").splitlines():
            if line.startswith("btime "):
                return datetime.fromtimestamp(int(line.split()[1]), UTC)
    except (OSError, ValueError):
        pass
    return datetime.fromtimestamp(0, UTC)


def _host(machine: str) -> str:
    return machine.split("/", 1)[0]


def process_alive(pid: int | None) -> bool:
    """True if a process with this id exists on this machine."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def judged_here(run: CrawlRun) -> bool:
    """True when ``run``'s process id is checked on this machine: it runs here, or it was
    recorded before machines were."""
    return run.machine is None or run.machine == this_machine()


def owner_alive(run: CrawlRun, now: datetime | None = None) -> bool:
    """True while the process owning ``run`` may still be running (module docstring)."""
    if not run.pid:
        return False
    if judged_here(run):
        return process_alive(run.pid)
    assert run.machine is not None
    if run.alive_at is None:
        return False
    alive_at = as_utc(run.alive_at)
    if _host(run.machine) == _host(this_machine()) and alive_at < booted_at():
        return False  # this machine before its last boot (or its namesake, silent since)
    return (now or utcnow()) - alive_at < SILENT_AFTER


def other_host(run: CrawlRun) -> str | None:
    """The host name of the machine ``run``'s process runs on, when that is not this one
    (nor unknown)."""
    if judged_here(run):
        return None
    assert run.machine is not None
    return _host(run.machine)


def owner_words(run: CrawlRun) -> str:
    """Who owns ``run``, for a message: "process 123" or "process 123 on host-b"."""
    host = other_host(run)
    return f"process {run.pid}" if host is None else f"process {run.pid} on {host}"


def elsewhere_words(run: CrawlRun, now: datetime | None = None) -> str | None:
    """Where a live run of another machine runs, for a status line: "on host-b, last sign
    of life 3 s ago"; None for a run of this machine."""
    host = other_host(run)
    if host is None:
        return None
    if run.alive_at is None:
        return f"on {host}"
    silent = ((now or utcnow()) - as_utc(run.alive_at)).total_seconds()
    return f"on {host}, last sign of life {max(0, round(silent))} s ago"

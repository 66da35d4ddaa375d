"""Worker processes that end with the process that started them.

A worker of a process pool outlives a parent killed with SIGKILL: it sits on its task
queue for good (with its memory and, on PostgreSQL, its connections). ``die_with_parent``,
run first in each worker, asks Linux to send the worker SIGKILL when its parent ends
(``PR_SET_PDEATHSIG``); elsewhere, a daemon thread polls the parent's pid.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0


def die_with_parent() -> None:
    """End this process when its parent ends; call it first thing in a worker."""
    parent = os.getppid()
    if not _set_parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _set_parent_death_signal() -> bool:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)

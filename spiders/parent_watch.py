"""Makes a helper process die with the process that started it.

A crawl's store worker (and, through it, multiprocessing's resource tracker, which exits
when its last user does) must not outlive a ``kill -9`` of the crawl: it would keep its
memory and its database connection for good. On Linux the kernel sends the worker SIGKILL
when its parent dies (``PR_SET_PDEATHSIG``); everywhere, a daemon thread also polls the
parent's id and exits when the worker has been re-parented.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_S = 0.5


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc/prctl: the polling thread remains
        pass


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone: nothing left to serve, hold nothing
        time.sleep(POLL_S)


def die_with_parent(parent: int) -> None:
    """Call first thing in the helper process; ``parent`` is the starter's pid."""
    _set_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: the helper leaves stopping to its parent,
    which finishes the pending work and closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

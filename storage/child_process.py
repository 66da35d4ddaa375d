"""Helper processes that end with the process that started them.

A worker of a process pool, a crawl's store worker or an import's detection child outlives
a parent killed with SIGKILL: it sits on its task queue for good (with its memory and, on
PostgreSQL, its connections). ``die_with_parent``, run first in each such process, asks
Linux to send it SIGKILL when its parent ends (``PR_SET_PDEATHSIG``) and also starts a
daemon thread that polls the parent's pid (other systems; a parent thread that ends).

The parent's pid is the starter's own ``os.getpid()``, passed in: a process that reads its
parent from ``os.getppid()`` when it starts would, if the parent was killed in between,
read the process that adopted it and serve nobody for good.

Ctrl-C (and the scheduler's SIGTERM) reaches the whole process group, helpers included;
they ignore it (their parent stops them) from their initializer on. Before that, a spawned helper imports for seconds on
a loaded machine, and a Ctrl-C there printed its ``KeyboardInterrupt`` traceback: pools of
helpers are ``HelperPool``, whose processes start with SIGINT blocked.

A pool of spawned helpers names its queues' semaphores, and multiprocessing's resource
tracker (a process of its own) unlinks the names its starter leaves behind. After a
``kill -9`` of a crawl, an import or an analysis it printed "resource_tracker: There appear
to be 5 leaked semaphore objects to clean up at shutdown", as if something were lost: a
killed process cannot release them, and the tracker's clean-up is the release.
``quiet_resource_tracker`` starts the tracker without its warnings.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, ParamSpec, TypeVar

from settings.pause_points import pause_point

_P = ParamSpec("_P")
_T = TypeVar("_T")

PR_SET_PDEATHSIG = 1
POLL_S = 0.5
PAUSE_POINT = "child-start"
"""Kill tests' pause point (``settings.pause_points``): a helper process that has started
and not yet armed its death signal (its parent can be killed there)."""


def die_with_parent(parent: int) -> None:
    """Call first thing in the helper process; ``parent`` is the starter's pid."""
    pause_point(PAUSE_POINT, 0)
    _set_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""What reaches a whole process group to stop it: Ctrl-C, and SIGTERM from the scheduler at a
crawl's time limit or its own stop (``os.killpg``), or from a service manager. A store worker
that died of SIGTERM left its crawl unable to store the pages it had fetched (its pool
broken), and the crawl's runs ``running``."""


def ignore_interrupts() -> None:
    """Ctrl-C and SIGTERM reach the whole process group: the helper leaves stopping to its
    parent, which finishes the pending work and closes it (and, should the parent die
    instead, the helper dies with it: ``die_with_parent``)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


TRACKER_QUIET = "ignore:resource_tracker:UserWarning:multiprocessing.resource_tracker"
"""The tracker's own warnings: the semaphores "leaked" by a killed starter, which it then
unlinks, and a name it could not unlink (already gone). ``-W`` takes no colon in a message,
so the filter is the warnings' common start, in that module, in the tracker only."""
_TRACKER_LOCK = threading.Lock()


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker, if it is not running yet, with its warnings
    off (see the module docstring). Call before a pool or process is spawned: the first one
    starts the tracker, with this process's ``-W`` options (``sys.warnoptions``), to which
    the filter is added for the time of the start only (the helpers keep theirs)."""
    from multiprocessing import resource_tracker

    with _TRACKER_LOCK:
        sys.warnoptions.append(TRACKER_QUIET)
        try:
            resource_tracker.ensure_running()
        finally:
            sys.warnoptions.remove(TRACKER_QUIET)


class HelperPool(ProcessPoolExecutor):
    """A process pool whose processes start with SIGINT and SIGTERM blocked (they inherit the signal mask
    of the thread that starts them, which a pool does in ``submit``): a Ctrl-C before their
    ``ignore_interrupts`` stays pending and is dropped by it. The submitting thread blocks
    SIGINT only during the submit, so its own Ctrl-C is delivered, not lost, right after.
    Spawned helpers' pools start the resource tracker quietly (``quiet_resource_tracker``)."""

    def __init__(
        self,
        max_workers: int | None = None,
        mp_context: BaseContext | None = None,
        initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        if (mp_context or multiprocessing.get_context()).get_start_method() != "fork":
            quiet_resource_tracker()  # a forked pool's semaphores have no names to track
        super().__init__(max_workers, mp_context, initializer, initargs)

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
        try:
            return super().submit(fn, *args, **kwargs)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


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


def stop_with_parent(parent: int, signum: int = signal.SIGTERM) -> None:
    """Send this process ``signum`` once ``parent`` (the starter's pid) is gone: a crawl the
    scheduler started, in a session of its own, kept crawling after a ``kill -9`` of the
    scheduler, without the time limit the scheduler kept. SIGTERM stops the crawl as the
    scheduler's own stop does (its runs end ``interrupted``; the next run completes them)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_S)
        os.kill(os.getpid(), signum)

    threading.Thread(target=watch, name="scheduler-watch", daemon=True).start()

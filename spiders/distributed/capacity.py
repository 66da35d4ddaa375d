"""How many requests one worker keeps in flight, all its runs together.

A worker serves many runs, each a crawler with its own downloader: without a bound of its
own, a worker would hold up to 16 requests per run at once (sockets, memory, responses
waiting to be parsed), and pop from the shared queue more than it can fetch soon, requests
other workers could have fetched. ``RIVALSCOPE_WORKER_CONCURRENCY`` (``rivalscope worker
--concurrency``) bounds what the worker's runs hold together: requests being popped,
popped and not yet downloading, and in their downloaders (robots.txt included); each run's
scheduler pops only within the room left. The per-host limits (``politeness``) are
separate, and shared by all workers.

What a run holds is read from the run itself when asked (not counted up and down on
signals: a request a downloader middleware drops never reaches the signals a count would
need, and its room would be lost for good).
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT = 32
"""Requests in flight per worker, unless told (twice Scrapy's per-process default: a
worker's runs are usually on different hosts)."""


class WorkerCapacity:
    """See the module docstring. ``limit`` 0: no bound."""

    def __init__(self, limit: int = 0) -> None:
        self.limit = limit
        self._holders: dict[object, Callable[[], int]] = {}
        self._waiting: dict[Callable[[], None], None] = {}

    def join(self, holder: object, holding: Callable[[], int]) -> None:
        """A run's scheduler: ``holding()`` tells how many requests it holds now."""
        self._holders[holder] = holding

    def leave(self, holder: object, wake: Callable[[], None] | None = None) -> None:
        self._holders.pop(holder, None)
        if wake is not None:
            self._waiting.pop(wake, None)
        self.wake_if_room()  # what it held is free

    def taken(self) -> int:
        return sum(holding() for holding in self._holders.values())

    def room(self, wanted: int) -> int:
        """How many of ``wanted`` requests may be popped now."""
        if not self.limit:
            return wanted
        return max(0, min(wanted, self.limit - self.taken()))

    def wait(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` once, when there is room again (``wake_if_room``)."""
        self._waiting[wake] = None

    def wake_if_room(self) -> None:
        """The waiting schedulers are woken, in the order they came (the first ones take
        the room; the others wait again)."""
        if self._waiting and self.room(1):
            waiting, self._waiting = list(self._waiting), {}
            for wake in waiting:
                wake()


_CAPACITY = WorkerCapacity()


def worker_capacity() -> WorkerCapacity:
    """This process's capacity (one worker per process)."""
    return _CAPACITY


def set_worker_concurrency(limit: int) -> WorkerCapacity:
    """Bound this process's requests in flight (the worker, before its first run)."""
    global _CAPACITY
    _CAPACITY = WorkerCapacity(limit)
    return _CAPACITY

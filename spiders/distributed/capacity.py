"""How many requests one worker keeps in flight, all its runs together.

A worker serves many runs, each a crawler with its own downloader: without a bound of its
own, a worker would hold up to 16 requests per run at once (sockets, memory, responses
waiting to be parsed), and pop from the shared queue more than it can fetch soon, requests
other workers could have fetched. ``RIVALSCOPE_WORKER_CONCURRENCY`` (``rivalscope worker
--concurrency``) bounds the requests a worker has popped and not yet seen leave its
downloader; each run's schedulers pop only within the room left (``scheduler``). The
per-host limits (``politeness``) are separate, and shared by all workers.
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
        self.taken = 0
        self._waiting: dict[Callable[[], None], None] = {}

    def room(self, wanted: int) -> int:
        """How many of ``wanted`` requests may be popped now."""
        if not self.limit:
            return wanted
        return max(0, min(wanted, self.limit - self.taken))

    def take(self, count: int) -> None:
        self.taken += count

    def give(self, count: int = 1) -> None:
        """Requests left the downloader (or were not popped): the waiting schedulers are
        woken, in the order they came (the first ones take the room)."""
        self.taken = max(0, self.taken - count)
        if count and self._waiting:
            waiting, self._waiting = list(self._waiting), {}
            for wake in waiting:
                wake()

    def wait(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` when room is given back."""
        self._waiting[wake] = None

    def forget(self, wake: Callable[[], None]) -> None:
        self._waiting.pop(wake, None)


_CAPACITY = WorkerCapacity()


def worker_capacity() -> WorkerCapacity:
    """This process's capacity (one worker per process)."""
    return _CAPACITY


def set_worker_concurrency(limit: int) -> WorkerCapacity:
    """Bound this process's requests in flight (the worker, before its first run)."""
    global _CAPACITY
    _CAPACITY = WorkerCapacity(limit)
    return _CAPACITY

"""The Redis keys of distributed crawls, all under one prefix (tests use their own)."""

from __future__ import annotations

import os
from dataclasses import dataclass

PREFIX_ENV = "RIVALSCOPE_REDIS_PREFIX"
DEFAULT_PREFIX = "rivalscope"
TOKEN = "rivalscope_token"
"""Request meta key: the entry of a popped request in its worker's processing hash."""


def key_prefix() -> str:
    """``$RIVALSCOPE_REDIS_PREFIX`` or ``rivalscope``."""
    return os.environ.get(PREFIX_ENV) or DEFAULT_PREFIX


@dataclass(frozen=True)
class Keys:
    """Keys of one prefix; ``run(id)`` gives those of one crawl run."""

    prefix: str

    @property
    def registry(self) -> str:
        """Hash run id -> JSON of the active runs (source, company, targets text)."""
        return f"{self.prefix}:runs"

    @property
    def workers(self) -> str:
        """Set of the live workers under this prefix (each has an ``alive`` key; one that
        stopped is dropped at the next live worker's beat, and the set expires with the
        last heartbeat: ``sharing.Heartbeat``)."""
        return f"{self.prefix}:workers"

    def alive(self, worker: str) -> str:
        """A worker's heartbeat (expires when the worker stops beating)."""
        return f"{self.prefix}:worker:{worker}:alive"

    def host_next(self, host: str) -> str:
        """The next moment (ms) a request may go to ``host`` (shared rate limit)."""
        return f"{self.prefix}:host:{host}:next"

    def host_active(self, host: str) -> str:
        """Hash worker -> its requests in flight to ``host`` (the shared concurrency limit;
        a dead worker's entry no longer counts)."""
        return f"{self.prefix}:host:{host}:active"

    def run(self, run_id: int) -> RunKeys:
        return RunKeys(f"{self.prefix}:run:{run_id}")


@dataclass(frozen=True)
class RunKeys:
    """Keys of one crawl run."""

    base: str

    @property
    def queue(self) -> str:
        return f"{self.base}:queue"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"

    @property
    def workers(self) -> str:
        """Set of the workers that have served the run."""
        return f"{self.base}:workers"

    @property
    def popped(self) -> str:
        """Counter of the requests the run's workers popped (its shared page budget)."""
        return f"{self.base}:popped"

    @property
    def rendered(self) -> str:
        """Counter of the run's pages given to chromium (its shared ``browser.max_pages``:
        ``spiders.render_budget``)."""
        return f"{self.base}:rendered"

    @property
    def declared(self) -> str:
        """Hash product key -> the review count its page declared, from every worker."""
        return f"{self.base}:declared"

    @property
    def robots(self) -> str:
        """Hash host -> what reading its robots.txt gave (``RobotsRead.encode``), read once
        for the run by one of its workers."""
        return f"{self.base}:robots"

    @property
    def robots_unfinished(self) -> str:
        """Hash host -> the run's readings of its robots.txt that did not end (cancelled):
        at ``MAX_UNFINISHED_READINGS`` the host is given up for the run."""
        return f"{self.base}:robots-unfinished"

    def robots_reader(self, host: str) -> str:
        """The worker reading ``host``'s robots.txt for the run (expires if it dies)."""
        return f"{self.base}:robots:{host}:reader"

    def processing(self, worker: str) -> str:
        """Hash token -> encoded request: what ``worker`` popped and has not finished."""
        return f"{self.base}:processing:{worker}"

    @property
    def lasting(self) -> tuple[str, ...]:
        """The run's keys that last as long as the run (its processing hashes and robots
        readers aside: one per worker, one per host)."""
        return (
            self.queue,
            self.dupefilter,
            self.workers,
            self.popped,
            self.rendered,
            self.declared,
            self.robots,
            self.robots_unfinished,
        )

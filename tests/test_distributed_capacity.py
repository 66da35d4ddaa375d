"""A worker's own bound on requests in flight, all its runs together
(``spiders.distributed.capacity``, ``rivalscope worker --concurrency``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from rivalscope.demo.site import Response
from spiders.distributed.capacity import WorkerCapacity
from storage.db import open_database
from tests import test_distributed
from tests.test_crawl_end_to_end import _targets
from tests.test_distributed import _runs, _seed, _worker

# The key-prefix fixture of tests/test_distributed.py.
redis_prefix = test_distributed.redis_prefix


@pytest.mark.parametrize(
    ("limit", "held", "wanted", "room"),
    [
        (0, [50], 16, 16),  # no bound
        (8, [], 16, 8),
        (8, [2, 3], 2, 2),  # what every run holds counts
        (8, [4, 4], 4, 0),
        (8, [9], 4, 0),  # never negative
    ],
)
def test_room_is_what_the_runs_leave(limit: int, held: list[int], wanted: int, room: int) -> None:
    capacity = WorkerCapacity(limit)
    for n, holding in enumerate(held):
        capacity.join(n, lambda holding=holding: holding)  # type: ignore[misc]
    assert capacity.room(wanted) == room


def test_the_waiting_are_woken_in_order_once_there_is_room() -> None:
    capacity, woken, held = WorkerCapacity(1), [], [1]
    capacity.join("run", lambda: held[0])
    wakes = {name: (lambda name=name: woken.append(name)) for name in ("a", "b")}
    for name in ("a", "b", "a"):  # a scheduler that asks twice is woken once
        capacity.wait(wakes[name])  # type: ignore[arg-type]
    capacity.wake_if_room()
    assert woken == []  # no room yet
    held[0] = 0
    capacity.wake_if_room()
    assert woken == ["a", "b"]  # once each, in the order they came
    capacity.wake_if_room()
    assert woken == ["a", "b"]  # they wait again if they still find no room
    capacity.wait(lambda: woken.append("c"))
    held[0] = 1
    capacity.leave("run")  # what a closed run held is free
    assert woken == ["a", "b", "c"]


class _InFlight:
    """Serves the demo pages a little slowly and notes the most page requests (robots.txt
    aside: it is read once per run, outside the queue) in flight at once."""

    def __init__(self, respond: Callable[[str], Response]) -> None:
        self.respond, self.now, self.most = respond, 0, 0
        self.paths: set[str] = set()
        self.seen: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, raw_path: str) -> Response:
        if raw_path.startswith("/robots.txt"):
            return self.respond(raw_path)
        with self.lock:
            self.now += 1
            self.paths.add(raw_path)
            if self.now > self.most:
                self.most = self.now
                self.seen = sorted(self.paths)
        try:
            time.sleep(0.05)
            return self.respond(raw_path)
        finally:
            with self.lock:
                self.now -= 1
                self.paths.discard(raw_path)


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_keeps_at_most_its_concurrency_in_flight(
    tmp_path: Path,
    server: DemoServer,
    shops: list[DemoShop],
    pg_url: str,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Four runs (one per shop), each of which alone may have 8 requests at the host.
    in_flight = _InFlight(server.site.respond)
    monkeypatch.setattr(server.site, "respond", in_flight)
    targets = _targets(tmp_path, server, shops)
    open_database(pg_url).dispose()
    _seed(tmp_path, targets, pg_url)
    worker = _worker(tmp_path, pg_url, True, "--concurrency", "2")
    _, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err[-3000:]
    runs = _runs(pg_url)
    assert len(runs) == 4 and {r.status for r in runs} == {"finished"}
    assert sum(r.pages for r in runs) > 40
    assert in_flight.most == 2, in_flight.seen

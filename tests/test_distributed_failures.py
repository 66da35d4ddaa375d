"""Distributed crawls: the limits every worker shares, the scheduler's queue, and workers
that lose Redis or PostgreSQL.

Everything runs against real servers: the shared Redis at 127.0.0.1:6379 for the limits,
and for the failures a Redis server of the test's own (on a free loopback port, with an
append-only file so that it comes back with its data) and the real PostgreSQL reached
through a loopback TCP relay the test closes and opens again.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from sqlalchemy.engine import make_url

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from rivalscope.scheduler.service import Scheduler
from settings.targets import load_targets
from spiders.distributed.connection import close_async_clients
from spiders.distributed.keys import Keys
from spiders.distributed.politeness import _SLOT, ARRIVAL_MARGIN, SharedHostLimits
from spiders.distributed.scheduler import ALIVE_TTL_S
from storage.db import open_database
from tests import test_distributed
from tests.ports import free_port
from tests.test_crawl_end_to_end import _snapshot, _targets
from tests.test_distributed import REDIS_URL, _reference, _runs

# The key-prefix fixture of tests/test_distributed.py (the demo shops and their server come
# from conftest.py).
redis_prefix = test_distributed.redis_prefix

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WORKER = [sys.executable, "-m", "rivalscope", "worker"]
AOF = ["--appendonly", "yes", "--appendfsync", "always", "--save", ""]
"""Every write on disk before it is answered: a killed server comes back with its data."""


def _limits(
    redis_prefix: str, concurrency: int, delay: float, worker: str | None = None
) -> SharedHostLimits:
    """The politeness middleware of one live worker's crawler (its heartbeat is set: the
    places a worker holds count while it lives)."""
    import redis

    worker = worker or f"test-worker-{uuid.uuid4().hex[:8]}"
    crawler = get_crawler(
        settings_dict={
            "REDIS_URL": REDIS_URL,
            "RIVALSCOPE_REDIS_PREFIX": redis_prefix,
            "RIVALSCOPE_RUN_ID": 1,
            "RIVALSCOPE_WORKER": worker,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": delay,
            "DOWNLOAD_TIMEOUT": 30,
        }
    )
    client = redis.Redis.from_url(REDIS_URL)
    client.set(Keys(redis_prefix).alive(worker), "1", ex=ALIVE_TTL_S)
    client.close()
    return SharedHostLimits.from_crawler(crawler)


def _leave(limits: SharedHostLimits, host: str) -> None:
    """A request to ``host`` that ``limits`` admitted has left the downloader."""
    request = Request(f"http://{host}/", meta={_SLOT: limits.keys.host_active(host)})
    limits.left(request)


def _in_loop(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run ``scenario`` in an event loop of its own (the workers' asyncio reactor's part)."""

    async def run() -> None:
        try:
            await scenario()
        finally:
            await close_async_clients()

    asyncio.run(run())


@pytest.mark.redis
@pytest.mark.parametrize(
    ("workers", "concurrency"),
    [(1, 1), (2, 1), (2, 3), (4, 2)],
)
def test_the_concurrency_per_host_is_shared_by_all_workers(
    redis_prefix: str, workers: int, concurrency: int
) -> None:
    everyone = [_limits(redis_prefix, concurrency, 0.0) for _ in range(workers)]
    host = "127.0.0.9:8000"

    async def scenario() -> None:
        admitted = [w for w in everyone * concurrency if await w.admit(host) is not None]
        # However many workers ask, the host has `concurrency` requests in flight, no more.
        assert len(admitted) == concurrency
        assert [await w.admit(host) for w in everyone] == [None] * workers
        assert await everyone[0].admit("127.0.0.10:8000") is not None  # another host
        _leave(admitted[0], host)
        assert await everyone[-1].admit(host) is not None  # a place freed: any worker takes it
        assert [await w.admit(host) for w in everyone] == [None] * workers

    _in_loop(scenario)


@pytest.mark.redis
@pytest.mark.parametrize(("workers", "delay"), [(1, 0.5), (3, 0.5), (2, 2.0)])
def test_each_request_to_a_host_reserves_the_next_moment_whatever_the_worker(
    redis_prefix: str, workers: int, delay: float
) -> None:
    import redis

    everyone = [_limits(redis_prefix, 100, delay) for _ in range(workers)]
    host = "127.0.0.9:8000"
    client = redis.Redis.from_url(REDIS_URL)
    moments = []

    async def scenario() -> None:
        for i in range(6):
            await everyone[i % workers].admit(host)
            moments.append(int(client.get(Keys(redis_prefix).host_next(host)) or 0))

    _in_loop(scenario)
    client.close()
    # The moments the requests may go are `delay` apart (and a margin), one after the other,
    # across workers; and the error of a worker's reading of Redis's clock (a few ms; up to
    # one interval before its first answer).
    interval = round(delay * 1000 * (1 + ARRIVAL_MARGIN))
    steps = [b - a for a, b in itertools.pairwise(moments)]
    assert all(interval <= step <= 2 * interval for step in steps), steps
    assert all(step <= interval + 10 for step in steps[workers:]), steps


@pytest.mark.redis
@pytest.mark.parametrize(("busy_s", "missed"), [(0.0, None), (0.4, 1)])
def test_a_request_late_for_its_moment_takes_a_new_one(
    redis_prefix: str, busy_s: float, missed: int | None
) -> None:
    limits = _limits(redis_prefix, 100, 0.2)
    host = "127.0.0.9:8000"

    async def scenario() -> None:
        await limits.process_request(Request(f"http://{host}/1"))  # the host's moment: now
        loop = asyncio.get_running_loop()
        if busy_s:  # the event loop busy while the second request waits for its moment
            loop.call_later(0.05, time.sleep, busy_s)
        await limits.process_request(Request(f"http://{host}/2"))

    _in_loop(scenario)
    stats = limits.crawler.stats
    assert stats is not None and stats.get_value("rivalscope/host_moment_missed") == missed


@pytest.mark.redis
@pytest.mark.parametrize("answer_late_s", [0.0, 0.03, 0.1])
def test_requests_to_a_host_are_their_interval_apart_however_late_the_answers(
    redis_prefix: str, answer_late_s: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #18: a moment counted from the answer was late by the answer's delay (the
    event loop busy while Redis answers), and the next request came too close."""
    import redis

    limits = _limits(redis_prefix, 100, 0.2)
    host = "127.0.0.9:8000"
    client = redis.Redis.from_url(REDIS_URL)
    sent = []

    async def scenario() -> None:
        pipe = limits.pipe
        run = pipe.run
        late = itertools.cycle([0.0, answer_late_s])

        async def answered_late(*args: Any) -> Any:
            answer = await run(*args)
            time.sleep(next(late))  # the event loop busy: the answer is read late
            return answer

        monkeypatch.setattr(pipe, "run", answered_late)
        for i in range(5):
            await limits.process_request(Request(f"http://{host}/{i}"))
            seconds, micros = client.time()  # sent now, on Redis's clock
            sent.append(seconds + micros / 1e6)

    _in_loop(scenario)
    client.close()
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= limits.interval_ms / 1000 - limits.late_s, gaps


@pytest.mark.redis
def test_a_worker_whose_writes_come_late_reserves_room_for_it(
    redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy worker's requests get to their write tens of ms after their moments: the
    moment after each of its requests is later by as much (9 in 10 of its last writes),
    so that they are written on time instead of taking new moments, one after the other."""
    import redis

    from spiders.distributed import sending

    late = collections.deque([0.001] * 6 + [0.04] * 58, maxlen=64)
    monkeypatch.setattr(sending, "WRITE_LATENESS", late)
    limits = _limits(redis_prefix, 100, 0.2)
    host = "127.0.0.9:8000"
    client = redis.Redis.from_url(REDIS_URL)
    moments = []

    async def scenario() -> None:
        for _ in range(3):
            admitted = await limits.admit(host)
            assert admitted is not None and admitted[1] >= limits.late_s + 0.04
            moments.append(int(client.get(Keys(redis_prefix).host_next(host)) or 0))

    _in_loop(scenario)
    client.close()
    steps = [b - a for a, b in itertools.pairwise(moments)]
    assert all(limits.interval_ms + 40 <= step <= limits.interval_ms + 50 for step in steps), steps


def test_the_write_allowance_is_the_recent_ninth_decile_within_its_limit() -> None:
    from spiders.distributed.sending import write_allowance

    def allowance(lateness: list[float], limit: float = 1.0) -> float:
        from spiders.distributed import sending

        saved = sending.WRITE_LATENESS
        sending.WRITE_LATENESS = collections.deque(lateness, maxlen=64)
        try:
            return write_allowance(limit)
        finally:
            sending.WRITE_LATENESS = saved

    assert allowance([0.5] * 15) == 0.0  # too few writes to tell
    assert allowance([0.3] * 10 + [0.0] * 58 + [0.3] * 6) == 0.0  # the last 64: 6 late
    assert allowance([0.01 * i for i in range(64)]) == pytest.approx(0.56)
    assert allowance([0.3] * 64, limit=0.105) == 0.105
    assert allowance([-0.002] * 64) == 0.0


@pytest.mark.redis
def test_a_late_request_gets_its_moment_back_unless_another_came_after_it(
    redis_prefix: str,
) -> None:
    """A request late at its write takes a new moment: its own again (it goes now, not one
    interval later) when no request to the host reserved a later one; else after those."""
    host = "127.0.0.9:8000"
    first, second = _limits(redis_prefix, 100, 0.5), _limits(redis_prefix, 100, 0.5)

    async def scenario() -> None:
        a, b = await first.admit(host), await first.admit(host)
        assert a is not None and b is not None
        mine = b[2]
        again = await first.admit(host, given_back=mine)
        assert again is not None and again[2][0] == mine[0]  # the same moment
        # Another worker's request reserved the moment after it: that one is not given up.
        after = await second.admit(host)
        assert after is not None and after[2][0] >= again[2][1]
        later = await first.admit(host, given_back=again[2])
        assert later is not None and later[2][0] >= after[2][1]

    _in_loop(scenario)


_HOLDER = """
import asyncio, sys
from tests.test_distributed_failures import _limits

async def hold(prefix: str, host: str, places: int) -> None:
    limits = _limits(prefix, places, 0.0, worker="victim")
    for _ in range(places):
        assert await limits.admit(host) is not None
    print("holding", flush=True)
    await asyncio.sleep(600)

asyncio.run(hold(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


@pytest.mark.slow
@pytest.mark.redis
def test_a_killed_workers_places_at_a_host_are_freed_when_it_is_declared_dead(
    redis_prefix: str,
) -> None:
    import redis

    host, places = "127.0.0.9:8000", 2
    root = Path(__file__).resolve().parent.parent
    victim = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, redis_prefix, host, str(places)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "PYTHONWARNINGS": "ignore"},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert victim.stdout is not None and victim.stdout.readline().strip() == "holding"
    victim.kill()  # SIGKILL: its requests never leave the downloader
    victim.communicate(timeout=30)
    survivor = _limits(redis_prefix, places, 0.0)
    client = redis.Redis.from_url(REDIS_URL)
    alive = Keys(redis_prefix).alive("victim")
    waited: list[float] = []

    async def scenario() -> None:
        # While the victim's heartbeat lives, its places count: the host is full.
        assert client.exists(alive) and await survivor.admit(host) is None
        started = time.monotonic()
        while client.exists(alive):
            assert time.monotonic() - started < ALIVE_TTL_S + 5
            await asyncio.sleep(0.2)
        waited.append(time.monotonic() - started)
        # Declared dead: its places are the survivor's to take, and no more than the limit.
        assert [await survivor.admit(host) is not None for _ in range(places)] == [True] * places
        assert await survivor.admit(host) is None
        held = client.hgetall(Keys(redis_prefix).host_active(host))
        assert held == {survivor.worker.encode(): str(places).encode()}, held

    try:
        _in_loop(scenario)
    finally:
        client.close()
    assert waited and waited[0] <= ALIVE_TTL_S + 5


def _queued_targets(tmp_path: Path, queue: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        f'[crawler]\nqueue = "{queue}"\n\n[[company]]\nname = "Rival AS"\n\n'
        '[[company.source]]\nname = "shop"\nstart_urls = ["http://127.0.0.1:9/shop/"]\n'
        'schedule = "0 4 * * *"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.redis
def test_the_scheduler_queues_due_sources_for_the_workers(
    tmp_path: Path, db_url: str, redis_prefix: str
) -> None:
    import redis

    path = _queued_targets(tmp_path, REDIS_URL)
    engine = open_database(db_url)
    try:
        scheduler = Scheduler(load_targets(path), path, db_url, engine, clock=lambda: NOW)
        (outcome,) = scheduler.run_due()
        assert (outcome.source, outcome.status) == ("shop", "queued")
        # The table's detail column said "queued" beside the outcome "queued".
        assert outcome.detail == "1 start request waiting for `rivalscope worker`"
        runs = _runs(db_url)
        assert [(r.id, r.status, r.queue) for r in runs] == [(outcome.run_id, "running", REDIS_URL)]
        client = redis.Redis.from_url(REDIS_URL)
        registered = client.hkeys(Keys(redis_prefix).registry)
        queued = client.zcard(Keys(redis_prefix).run(runs[0].id or 0).queue)
        client.close()
        assert registered == [str(outcome.run_id).encode()] and queued == 1
        # Queued is started: not due again in this round, and a second round refuses it.
        assert scheduler.due_sources(NOW) == []
        assert scheduler.crawl(scheduler.scheduled_sources()[0]).status == "refused"
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.redis
def test_a_queued_runs_follow_ups_come_in_the_first_round_after_the_workers_finish_it(
    tmp_path: Path, db_url: str, redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = _queued_targets(tmp_path, REDIS_URL)
    with path.open("a", encoding="utf-8") as file:
        file.write("\n[schedule]\nanalyze = false\nalerts = false\n")
    engine = open_database(db_url)
    caplog.set_level(logging.INFO, logger="rivalscope.schedule")
    try:
        scheduler = Scheduler(load_targets(path), path, db_url, engine, clock=lambda: NOW)
        (outcome,) = scheduler.run_due()
        assert outcome.status == "queued" and scheduler.queued_runs == {outcome.run_id}
        assert scheduler.run_due() == []  # nothing due, the run still running: no follow-ups
        assert "finished:" not in caplog.text
        worker = _worker(tmp_path, REDIS_URL, db_url)  # serves the run to its end
        _, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err[-3000:]
        assert [r.status for r in _runs(db_url)] == ["finished"]
        # Another scheduler process (the next `schedule --once` from cron) follows it up:
        # the queued runs were known to the process that queued them only, so with cron
        # no analysis, report or alert ever followed a distributed crawl.
        later = Scheduler(load_targets(path), path, db_url, engine, clock=lambda: NOW)
        assert later.run_due() == []
        assert f"queued run(s) {outcome.run_id} finished:" in caplog.text
        # what `schedule --once` prints under "no crawl is due" (it said "nothing is due")
        assert later.followups_done == f"queued run(s) {outcome.run_id} finished: nothing done"
        assert later.queued_runs == set()
        caplog.clear()
        assert later.run_due() == [] and "finished:" not in caplog.text  # once only
        assert later.followups_done is None
        assert scheduler.run_due() == [] and "finished:" not in caplog.text  # by one scheduler
        assert scheduler.queued_runs == set()
    finally:
        engine.dispose()


class OwnRedis:
    """A redis-server of the test's own; its append-only file brings its data back."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, *f"--bind 127.0.0.1 --port {self.port} --dir {self.folder}".split(), *AOF],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None


class Relay:
    """A loopback TCP relay to PostgreSQL: ``close`` cuts every connection through it and
    refuses new ones (the database is lost), ``open`` lets them through again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.port = target, free_port()
        self.listener: socket.socket | None = None
        self.pairs: list[socket.socket] = []
        self.lock = threading.Lock()

    def open(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        assert self.listener is not None
        self.listener.close()
        self.listener = None
        with self.lock:
            for sock in self.pairs:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.pairs.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.pairs += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _worker(cwd: Path, queue: str, db_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "RIVALSCOPE_CHECKPOINT_S": "1"}
    return subprocess.Popen(
        [*WORKER, "--queue", queue, "--db", db_url, "--until-idle", "--log-level", "WARNING"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _seed(tmp_path: Path, targets: Path, queue: str, db_url: str) -> None:
    from tests.cli import run_cli

    seeded = run_cli(
        "crawl", "--distributed", "--queue", queue, "--targets", str(targets),
        cwd=tmp_path, db_url=db_url,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr[-2000:]


def _wait_for_pages(db_url: str, pages: int) -> None:
    deadline = time.monotonic() + 120
    while sum(r.pages for r in _runs(db_url)) < pages:
        assert time.monotonic() < deadline, "the worker fetched nothing"
        time.sleep(0.3)


def _assert_complete(db_url: str, reference: dict[str, object]) -> None:
    """The runs ended and stored the rows of the one-process crawl."""
    engine = open_database(db_url)
    try:
        rows = _snapshot(engine)
    finally:
        engine.dispose()
    for table, expected in reference.items():
        ours, theirs = set(rows[table]), set(expected)  # type: ignore[call-overload]
        assert ours == theirs, (table, sorted(ours - theirs)[:3], sorted(theirs - ours)[:3])
    assert rows == reference  # and no row twice
    assert {r.status for r in _runs(db_url)} == {"finished"}


def _one_line_error(worker: subprocess.Popen[str], says: str) -> str:
    _, err = worker.communicate(timeout=120)
    assert worker.returncode == 2, err[-3000:]
    # The crawl's own log shows what failed; the worker ends with one line that says why.
    last = err.strip().splitlines()[-1]
    assert says in last, err[-3000:]
    return last


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_that_loses_redis_stops_and_the_run_resumes_when_it_is_back(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], pg_url: str
) -> None:
    own = OwnRedis(tmp_path)
    own.start()
    try:
        reference = _reference(tmp_path, _targets(tmp_path, server, shops))
        _seed(tmp_path, _targets(tmp_path, server, shops, slow=True), own.url, pg_url)
        worker = _worker(tmp_path, own.url, pg_url)
        _wait_for_pages(pg_url, 10)
        own.kill()
        line = _one_line_error(worker, "lost the queue")
        assert own.url.split("//")[1].split("/")[0] in line or "queue" in line
        own.start()  # back, with the queue, the dupe filter and the requests held
        again = _worker(tmp_path, own.url, pg_url)
        _, err = again.communicate(timeout=300)
        assert again.returncode == 0, err[-3000:]
    finally:
        if own.process is not None:
            own.kill()
    _assert_complete(pg_url, reference)


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_that_loses_postgresql_stops_and_the_run_resumes_when_it_is_back(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], pg_url: str, redis_prefix: str
) -> None:
    url = make_url(pg_url)
    relay = Relay((url.host or "127.0.0.1", url.port or 5432))
    relay.open()
    relayed = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    reference = _reference(tmp_path, _targets(tmp_path, server, shops))
    _seed(tmp_path, _targets(tmp_path, server, shops, slow=True), REDIS_URL, pg_url)
    worker = _worker(tmp_path, REDIS_URL, relayed)
    _wait_for_pages(pg_url, 10)
    relay.close()
    _one_line_error(worker, "database")
    relay.open()
    again = _worker(tmp_path, REDIS_URL, relayed)
    _, err = again.communicate(timeout=300)
    relay.close()
    assert again.returncode == 0, err[-3000:]
    _assert_complete(pg_url, reference)


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_stopped_by_ctrl_c_says_so_in_one_line_and_exits_130(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], pg_url: str, redis_prefix: str
) -> None:
    """It exited 0 with its usual "worker served ..." line, as if it had finished."""
    reference = _reference(tmp_path, _targets(tmp_path, server, shops))
    _seed(tmp_path, _targets(tmp_path, server, shops, slow=True), REDIS_URL, pg_url)
    worker = subprocess.Popen(
        [*WORKER, "--queue", REDIS_URL, "--db", pg_url, "--until-idle", "--log-level", "WARNING"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "RIVALSCOPE_CHECKPOINT_S": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _wait_for_pages(pg_url, 10)
    os.killpg(worker.pid, signal.SIGINT)  # what a terminal sends to the foreground group
    _, err = worker.communicate(timeout=120)
    assert worker.returncode == 130, err[-3000:]
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: worker stopped"), err[-3000:]
    again = _worker(tmp_path, REDIS_URL, pg_url)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err[-3000:]
    _assert_complete(pg_url, reference)

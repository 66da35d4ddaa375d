"""Distributed crawls against the real Redis (127.0.0.1:6379) and PostgreSQL.

The demo shops are crawled once in one process (the reference rows), then through
``rivalscope crawl --distributed`` and two ``rivalscope worker`` processes, also with one
worker killed (SIGKILL) half-way: the rows must be the same. Every test has its own Redis
key prefix, deleted afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session, select

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from settings.targets import TargetsError, parse_targets
from spiders.distributed.keys import Keys
from storage.db import open_database
from storage.models import CrawlRun
from tests.cli import run_cli
from tests.conftest import require_server
from tests.test_crawl_end_to_end import _HeldReviewPages, _snapshot, _targets

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_prefix(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh key prefix for this test (in the environment of the commands it runs)."""
    require_server("127.0.0.1", 6379, "Redis")
    import redis

    prefix = f"rivalscope-test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("RIVALSCOPE_REDIS_PREFIX", prefix)
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def _holding(prefix: str, pid: int) -> bool:
    """Whether the worker process ``pid`` holds popped, unfinished requests."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        return any(client.hlen(key) for key in client.scan_iter(f"{prefix}:*:processing:*:{pid}"))
    finally:
        client.close()


def _places_held(prefix: str, base_url: str) -> dict[bytes, bytes]:
    """The shared concurrency places of the host of ``base_url``, by worker."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        held: dict[bytes, bytes] = client.hgetall(
            Keys(prefix).host_active(urlsplit(base_url).netloc)
        )
        return held
    finally:
        client.close()


def _worker(
    cwd: Path, db_url: str, until_idle: bool = True, *options: str
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "RIVALSCOPE_CHECKPOINT_S": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rivalscope",
            "worker",
            "--queue",
            REDIS_URL,
            "--db",
            db_url,
            *(["--until-idle"] if until_idle else []),
            "--log-level",
            "WARNING",
            *options,
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reference(tmp_path: Path, targets: Path) -> dict[str, object]:
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    result = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "WARNING", cwd=tmp_path, db_url=url
    )
    assert result.returncode == 0, result.stderr[-2000:]
    engine = open_database(url)
    try:
        return _snapshot(engine)
    finally:
        engine.dispose()


def _seed(tmp_path: Path, targets: Path, db_url: str) -> None:
    seeded = run_cli(
        "crawl",
        "--distributed",
        "--queue",
        REDIS_URL,
        "--targets",
        str(targets),
        cwd=tmp_path,
        db_url=db_url,
    )
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    assert seeded.stdout.count("queued ") == 4


def _runs(db_url: str) -> list[CrawlRun]:
    engine = open_database(db_url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(CrawlRun)).all())
    finally:
        engine.dispose()


def test_queue_url_is_validated() -> None:
    base = (
        '[[company]]\nname = "a"\nown = true\n[[company.source]]\nname = "s"\n'
        'start_urls = ["http://127.0.0.1:1/"]\n'
    )
    ok = parse_targets(f'[crawler]\nqueue = "{REDIS_URL}"\n' + base)
    assert ok.crawler.queue == REDIS_URL
    for bad, says in (
        ("http://127.0.0.1:6379", "not a Redis URL"),
        ("redis://", "names no host"),
        ("redis://h:port/0", "invalid port"),
    ):
        with pytest.raises(TargetsError, match=says):
            parse_targets(f'[crawler]\nqueue = "{bad}"\n' + base)


def test_no_queue_and_unreachable_queue_are_one_line_errors(
    tmp_path: Path,
    server: DemoServer,
    shops: list[DemoShop],
) -> None:
    targets = _targets(tmp_path, server, shops)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    missing = run_cli("crawl", "--distributed", "--targets", str(targets), cwd=tmp_path, db_url=url)
    assert missing.returncode == 2 and "needs a queue" in missing.stderr
    assert "Traceback" not in missing.stderr
    closed = run_cli("worker", "--queue", "redis://127.0.0.1:1/0", cwd=tmp_path, db_url=url)
    assert closed.returncode == 2, closed.stderr
    assert "cannot reach the queue at redis://127.0.0.1:1/0" in closed.stderr
    assert "Traceback" not in closed.stderr


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_two_workers_store_the_rows_of_one_process(
    tmp_path: Path,
    server: DemoServer,
    shops: list[DemoShop],
    pg_url: str,
    redis_prefix: str,
) -> None:
    import redis

    targets = _targets(tmp_path, server, shops)
    reference = _reference(tmp_path, targets)
    # Both workers are up before the runs are queued: they share them from the start (a
    # worker started late finds the runs taken, or over, and may serve none).
    open_database(pg_url).dispose()  # migrated once, not by both workers at the same time
    workers = [_worker(tmp_path, pg_url, until_idle=False) for _ in range(2)]
    client = redis.Redis.from_url(REDIS_URL)
    keys = Keys(redis_prefix)
    try:
        deadline = time.monotonic() + 120
        while sum(1 for _ in client.scan_iter(keys.alive("*"))) < 2:
            assert time.monotonic() < deadline, "the workers did not start"
            stopped = next((w for w in workers if w.poll() is not None), None)
            assert stopped is None, stopped.communicate()[1][-3000:]
            time.sleep(0.1)
        _seed(tmp_path, targets, pg_url)
        lasting = [k for k in client.scan_iter(f"{redis_prefix}:run:*") if client.ttl(k) == -1]
        assert lasting == [], "a run's keys must expire"
        while client.hlen(keys.registry):  # the runs not complete yet
            assert time.monotonic() < deadline + 120, "the runs did not complete"
            time.sleep(0.2)
        # The runs' queues, dupe filters and robots readings went with them.
        assert list(client.scan_iter(f"{redis_prefix}:run:*")) == []
    finally:
        client.close()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)  # a service's stop (Ctrl-C: exit 130)
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-3000:]
    engine = open_database(pg_url)
    try:
        assert _snapshot(engine) == reference
    finally:
        engine.dispose()
    runs = _runs(pg_url)
    assert len(runs) == 4 and {r.status for r in runs} == {"finished"}
    assert all(r.queue == REDIS_URL for r in runs)
    served = {w for r in runs for w in (r.workers or [])}
    assert len(served) == 2, served
    assert sum(r.pages for r in runs) > 40
    shown = run_cli("runs", cwd=tmp_path, db_url=pg_url)
    assert shown.returncode == 0 and "workers" in shown.stdout


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_killed_worker_loses_no_request(
    tmp_path: Path,
    server: DemoServer,
    shops: list[DemoShop],
    pg_url: str,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    targets = _targets(tmp_path, server, shops)
    reference = _reference(tmp_path, targets)
    # Later review pages wait until released: the workers pop them and hold them, so the
    # kill lands while the victim holds requests, at a point the test controls.
    held_pages = _HeldReviewPages(server.site.respond)
    monkeypatch.setattr(server.site, "respond", held_pages)
    _seed(tmp_path, targets, pg_url)
    workers = [_worker(tmp_path, pg_url), _worker(tmp_path, pg_url)]
    victim, deadline = None, time.monotonic() + 120
    while victim is None:
        assert time.monotonic() < deadline, "no worker held a request"
        victim = next(
            (w for w in workers if w.poll() is None and _holding(redis_prefix, w.pid)), None
        )
        time.sleep(0.1)
    survivor = next(w for w in workers if w is not victim)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    pages_at_kill = sum(r.pages for r in _runs(pg_url))
    places_at_kill = _places_held(redis_prefix, server.base_url)
    held_pages.released.set()
    _, err = survivor.communicate(timeout=300)
    assert survivor.returncode == 0, err[-3000:]
    assert "requests of stopped workers to the queue" in err, err[-3000:]
    engine = open_database(pg_url)
    try:
        assert _snapshot(engine) == reference
    finally:
        engine.dispose()
    runs = _runs(pg_url)
    assert {r.status for r in runs} == {"finished"}
    assert sum(r.pages for r in runs) > pages_at_kill  # what the victim held, fetched again
    # The victim's places at the host (requests in flight when it died) were given back
    # when it was declared dead: the survivor had the host's whole concurrency, and no
    # place is left taken.
    assert _places_held(redis_prefix, server.base_url) == {}
    returned = [line for line in err.splitlines() if "requests of stopped workers" in line]
    print(  # the figures of the kill (pytest -s shows them)
        f"kill: pages stored at the kill {pages_at_kill}, at the end "
        f"{sum(r.pages for r in runs)}; {returned[0].split('] ')[-1]}; host places at the "
        f"kill {places_at_kill}, at the end none"
    )

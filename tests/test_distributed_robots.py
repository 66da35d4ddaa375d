"""robots.txt in distributed crawls, against the real Redis (127.0.0.1:6379) and PostgreSQL.

Every worker obeys robots.txt, always: the rules of a host are read once per run and shared
by the run's workers through Redis, so a worker that joins late (or takes over a killed
worker's requests) obeys the same rules; a host whose robots.txt cannot be read (network
error, time-out, 5xx, 429) is not crawled in that run (its pages are recorded as the fetch
problem ``robots_unreadable``) and is tried again in the next run.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from rivalscope.demo.site import Response
from spiders.distributed.connection import close_async_clients
from spiders.distributed.keys import Keys
from spiders.robots_rules import (
    MAX_UNFINISHED_READINGS,
    FailClosedRobotsTxtMiddleware,
    RobotsRead,
    RobotsUnreadable,
)
from storage.db import open_database
from tests import test_distributed
from tests.cli import run_cli
from tests.test_crawl_end_to_end import _snapshot, _targets
from tests.test_distributed import REDIS_URL, _reference, _runs, _seed, _worker

# The key-prefix fixture of tests/test_distributed.py.
redis_prefix = test_distributed.redis_prefix

UNAVAILABLE = Response(503, b"<h1>503 Service Unavailable</h1>\n", "text/html; charset=utf-8")


class _Robots:
    """Answers robots.txt as the test says (``good`` answers first, then ``bad``ly), and
    counts the robots.txt requests; every other page as the demo site does."""

    def __init__(self, respond: Callable[[str], Response], good: int, bad: Response) -> None:
        self.respond, self.good, self.bad = respond, good, bad
        self.asked = 0
        self.lock = threading.Lock()

    def __call__(self, raw_path: str) -> Response:
        if raw_path.split("?")[0] != "/robots.txt":
            return self.respond(raw_path)
        with self.lock:
            self.asked += 1
            good = self.asked <= self.good
        return self.respond(raw_path) if good else self.bad


def _private(server: DemoServer) -> list[str]:
    return [path for path in server.requested_paths if "/private/" in path]


def _pages(server: DemoServer) -> list[str]:
    return [path for path in server.requested_paths if path.split("?")[0] != "/robots.txt"]


HOST = "127.0.0.9:8000"
RULES = b"User-agent: *\nDisallow: /private/\n"
# Requests of one host that reach the middleware before its rules are read (a worker that
# joins a run pops up to 16 of the run's requests at once; a crawl starts with all its
# start URLs): the first reads the rules, the others wait for them.
WAITING = ["/private/a", "/private/b", "/shop/", "/private/c", "/private/d", "/shop/p/1"]


class _HeldRobots:
    """The crawler's engine as far as the middleware uses it: it answers robots.txt with
    ``status`` and ``body`` only once the test releases it."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body
        self.asked: list[str] = []
        self.reached = asyncio.Event()
        self.released = asyncio.Event()

    async def download_async(self, request: Request) -> TextResponse:
        self.asked.append(request.url)
        self.reached.set()
        await self.released.wait()
        return TextResponse(request.url, status=self.status, body=self.body, request=request)


def _middleware(engine: _HeldRobots, prefix: str) -> FailClosedRobotsTxtMiddleware:
    """The middleware of a crawler whose engine is ``engine``: of one process, or (with a
    Redis key ``prefix``) of a worker of the distributed run 7."""
    settings: dict[str, object] = {"ROBOTSTXT_OBEY": True}
    if prefix:
        settings.update(
            REDIS_URL=REDIS_URL,
            RIVALSCOPE_REDIS_PREFIX=prefix,
            RIVALSCOPE_RUN_ID=7,
            RIVALSCOPE_WORKER=f"worker-{uuid.uuid4().hex[:8]}",
        )
    crawler = get_crawler(settings_dict=settings)
    crawler.engine = engine  # type: ignore[assignment]
    return FailClosedRobotsTxtMiddleware(crawler)


async def _outcome(middleware: FailClosedRobotsTxtMiddleware, path: str) -> str:
    try:
        await middleware.process_request(Request(f"http://{HOST}{path}"))
    except RobotsUnreadable:
        return "unreadable"
    except IgnoreRequest:
        return "forbidden"
    return "allowed"


@pytest.mark.parametrize(
    ("shared", "status", "body", "private", "other"),
    [
        # One process: the middleware reads robots.txt itself.
        (False, 200, RULES, "forbidden", "allowed"),
        (False, 503, b"", "unreadable", "unreadable"),
        # A worker of a distributed run: another worker reads robots.txt for the run.
        (True, 200, RULES, "forbidden", "allowed"),
        (True, 503, b"", "unreadable", "unreadable"),
    ],
)
def test_every_request_that_waits_for_the_rules_of_its_host_obeys_them(
    request: pytest.FixtureRequest, shared: bool, status: int, body: bytes, private: str, other: str
) -> None:
    """The requests that come while the rules are read are all held to them, however
    many: none goes out as if the host had no robots.txt."""
    prefix = request.getfixturevalue("redis_prefix") if shared else ""
    engine = _HeldRobots(status, body)
    middleware = _middleware(engine, prefix)

    async def scenario() -> None:
        import redis.asyncio as redis_async

        client = redis_async.Redis.from_url(REDIS_URL)
        if shared:  # another worker is reading the run's robots.txt
            keys = Keys(prefix).run(7)
            await client.set(keys.robots_reader(HOST), "the-other-worker", px=60_000)
        requests = [asyncio.ensure_future(_outcome(middleware, path)) for path in WAITING]
        # One turn of the event loop: every request runs up to its first wait. None can
        # end before the rules exist, and only the first does I/O to get them (the others
        # wait for its reading): the rules come once they all wait.
        await asyncio.sleep(0)
        assert not any(r.done() for r in requests)
        if shared:
            read = RobotsRead(body) if status == 200 else RobotsRead(None, f"HTTP {status}")
            await client.hset(keys.robots, HOST, read.encode())
        else:
            await engine.reached.wait()
            engine.released.set()
        outcomes = await asyncio.gather(*requests)
        await client.aclose()
        await close_async_clients()
        expected = [private if "/private/" in path else other for path in WAITING]
        assert dict(zip(WAITING, outcomes, strict=True)) == dict(
            zip(WAITING, expected, strict=True)
        )
        # The rules were read once, by this worker or by the other one.
        assert engine.asked == ([] if shared else [f"http://{HOST}/robots.txt"])
        # Later requests get them at once.
        assert await _outcome(middleware, "/private/e") == private

    asyncio.run(scenario())


def test_a_crawl_does_not_fetch_a_host_whose_robots_txt_fails(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One process: robots.txt answers 503 (also when retried): no page of the host."""
    robots = _Robots(server.site.respond, good=0, bad=UNAVAILABLE)
    monkeypatch.setattr(server.site, "respond", robots)
    targets = _targets(tmp_path, server, shops[:1])
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "ERROR", cwd=tmp_path, db_url=url
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert robots.asked >= 1
    assert _private(server) == [] and _pages(server) == []
    (run,) = _runs(url)
    assert run.fetch_problems.get("robots_unreadable", 0) >= 1, run


def test_a_crawl_fetches_none_of_its_start_urls_that_robots_txt_disallows(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    """One process, a source that starts at its shop and at four pages robots.txt
    disallows: they come before the rules, and wait for them (with one Deferred for all of
    the waiting requests, the third and later ones went out unchecked)."""
    base = f"{server.base_url}/{shops[0].slug}"
    targets = _targets(tmp_path, server, shops[:1])
    starts = [f"{base}/", *(f"{base}/private/?n={n}" for n in range(4))]
    text = targets.read_text("utf-8")
    assert f'start_urls = ["{base}/"]' in text
    targets.write_text(
        text.replace(f'start_urls = ["{base}/"]', f"start_urls = {json.dumps(starts)}"), "utf-8"
    )
    before = len(server.requested_paths)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "ERROR", cwd=tmp_path, db_url=url
    )
    assert result.returncode == 0, result.stderr[-3000:]
    asked = server.requested_paths[before:]
    assert [p for p in asked if "/private/" in p] == []
    assert asked.count("/robots.txt") == 1 and f"/{shops[0].slug}/" in asked


class _CancelledRobots(_HeldRobots):
    """An engine whose robots.txt request is cancelled on its way (a downloader middleware
    or handler cancelling it, the crawl closing)."""

    async def download_async(self, request: Request) -> TextResponse:
        self.asked.append(request.url)
        await asyncio.sleep(0)
        raise asyncio.CancelledError("robots.txt request cancelled")


@pytest.mark.parametrize("shared", [False, True])
def test_every_request_that_waits_for_a_cancelled_reading_is_refused(
    request: pytest.FixtureRequest, shared: bool
) -> None:
    """A reading whose robots.txt request is cancelled answers every waiting request
    (refused as unreadable: they waited for good before), stores nothing a run's other
    workers would obey, and the next request of the host reads robots.txt again, a bounded
    number of times."""
    prefix = request.getfixturevalue("redis_prefix") if shared else ""
    engine = _CancelledRobots(200, RULES)
    middleware = _middleware(engine, prefix)

    async def scenario() -> None:
        import redis.asyncio as redis_async

        requests = [asyncio.ensure_future(_outcome(middleware, path)) for path in WAITING]
        # Bounded only so that a request left waiting fails the test instead of hanging it.
        outcomes = await asyncio.wait_for(asyncio.gather(*requests), timeout=60)
        assert outcomes == ["unreadable"] * len(WAITING)
        if shared:
            client = redis_async.Redis.from_url(REDIS_URL)
            keys = Keys(prefix).run(7)
            # Nothing stored for the run, and the reader's key given back at once.
            assert await client.hget(keys.robots, HOST) is None
            assert await client.get(keys.robots_reader(HOST)) is None
            await client.aclose()
        # The next request of the host reads robots.txt again (and is answered again), up
        # to MAX_UNFINISHED_READINGS readings: then the host is given up for the run, and
        # its requests are refused without another reading (each started one before).
        for n in range(2, MAX_UNFINISHED_READINGS + 3):
            outcome = await asyncio.wait_for(_outcome(middleware, f"/shop/{n}"), timeout=60)
            assert outcome == "unreadable"
        assert engine.asked == [f"http://{HOST}/robots.txt"] * MAX_UNFINISHED_READINGS
        if shared:  # given up for the run's every worker, not for this one alone
            assert await _outcome(_middleware(_CancelledRobots(200, RULES), prefix), "/") == (
                "unreadable"
            )
            await close_async_clients()
        await close_async_clients()

    asyncio.run(scenario())


_CANCELLING_CRAWL = """
import asyncio
import os
import sys

import settings.scrapy_settings as project


class CancelRobots:
    # A downloader middleware that cancels the robots.txt request on its way, after the
    # page budget (as a download handler would), and logs each one to ROBOTS_LOG.
    async def process_request(self, request, spider=None):
        if request.url.endswith("/robots.txt"):
            with open(os.environ["ROBOTS_LOG"], "a", encoding="utf-8") as log:
                log.write(request.url + "\\n")
            await asyncio.sleep(0.1)
            raise asyncio.CancelledError("robots.txt request cancelled")


project.DOWNLOADER_MIDDLEWARES = {**project.DOWNLOADER_MIDDLEWARES, "__main__.CancelRobots": 600}

if __name__ == "__main__":  # not in a worker's store process (started with "spawn")
    from rivalscope.cli import main

    sys.argv = ["rivalscope", *sys.argv[1:]]
    main()
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("distributed", "max_pages"),
    [
        (False, 4),
        # A worker of a distributed run (Redis, PostgreSQL): the run's shared reading. Its
        # page budget counts the requests popped from the run's queue, never robots.txt:
        # every start page is popped.
        pytest.param(True, 1000, marks=[pytest.mark.redis, pytest.mark.postgres]),
    ],
)
def test_a_crawl_whose_robots_txt_request_is_cancelled_ends_and_records_why(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    server: DemoServer,
    shops: list[DemoShop],
    distributed: bool,
    max_pages: int,
) -> None:
    """A real crawl whose robots.txt request a downloader middleware cancels, with 100
    start pages: it ends (it waited for good), no page of the host is fetched, and each
    refused page is recorded as ``robots_unreadable``. The pages come in batches (the
    crawl's concurrency), and each batch after a cancelled reading started one more (7
    readings), each spending the page budget (with ``max_pages = 4``, the fifth reading was
    refused ``over_page_limit``); now the host is given up after
    ``MAX_UNFINISHED_READINGS`` readings, none of them spending the budget."""
    base = f"{server.base_url}/{shops[0].slug}"
    targets = _targets(tmp_path, server, shops[:1])
    starts = [f"{base}/", *(f"{base}/p/{n}" for n in range(99))]
    text = targets.read_text("utf-8")
    text = text.replace(f'start_urls = ["{base}/"]', f"start_urls = {json.dumps(starts)}")
    assert "max_pages = " in text
    text = re.sub(r"max_pages = \d+", f"max_pages = {max_pages}", text)
    targets.write_text(text, "utf-8")
    robots_log = tmp_path / "robots.log"
    launcher = tmp_path / "cancelling_crawl.py"
    launcher.write_text(_CANCELLING_CRAWL, "utf-8")
    before = len(server.requested_paths)
    if distributed:
        request.getfixturevalue("redis_prefix")  # a fresh key prefix, in the environment
        url = request.getfixturevalue("pg_url")
        queue = ["--queue", REDIS_URL]
        seeded = run_cli(
            "crawl", "--distributed", *queue, "--targets", str(targets), cwd=tmp_path, db_url=url
        )
        assert seeded.returncode == 0, seeded.stderr[-2000:]
        command = ["worker", *queue, "--db", url, "--until-idle", "--log-level", "WARNING"]
    else:
        url = f"sqlite:///{tmp_path / 'x.db'}"
        command = ["crawl", "--targets", str(targets), "--log-level", "WARNING"]
    env = {
        **os.environ,
        "PYTHONWARNINGS": "ignore",
        "RIVALSCOPE_DATABASE_URL": url,
        "ROBOTS_LOG": str(robots_log),
    }
    try:
        result = subprocess.run(
            [sys.executable, str(launcher), *command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,  # the old code never ended
            check=False,
        )
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"the crawl did not end: {str(hung.stderr)[-2000:]}", pytrace=False)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert server.requested_paths[before:] == []
    (run,) = _runs(url)
    assert run.status == "finished"
    assert run.fetch_problems == {"robots_unreadable": len(starts)}, run
    readings = robots_log.read_text("utf-8").splitlines()
    assert readings == [f"{server.base_url}/robots.txt"] * MAX_UNFINISHED_READINGS
    assert "readings did not end" in result.stderr, result.stderr[-3000:]


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_workers_share_the_rules_of_a_run_and_retry_an_unreadable_robots_txt_next_run(
    tmp_path: Path,
    server: DemoServer,
    shops: list[DemoShop],
    pg_url: str,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = _reference(tmp_path, _targets(tmp_path, server, shops))
    before = len(server.requested_paths)
    # robots.txt fails from the first request on: no run crawls anything of the host.
    robots = _Robots(server.site.respond, good=0, bad=UNAVAILABLE)
    monkeypatch.setattr(server.site, "respond", robots)
    targets = _targets(tmp_path, server, shops)
    _seed(tmp_path, targets, pg_url)
    workers = [_worker(tmp_path, pg_url) for _ in range(2)]
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        assert worker.returncode in (0, 1), err[-3000:]
    asked_pages = [p for p in server.requested_paths[before:] if p.split("?")[0] != "/robots.txt"]
    assert asked_pages == []
    failed = _runs(pg_url)
    assert len(failed) == 4 and {r.status for r in failed} == {"finished"}
    assert all(r.fetch_problems.get("robots_unreadable") for r in failed)
    # The next runs read robots.txt again: it answers once per run, then fails again. The
    # two workers of a run share the rules the first of them read (were each to read its
    # own, the second would get the 503), so the private pages stay unfetched.
    robots.asked, robots.good = 0, 4
    _seed(tmp_path, targets, pg_url)
    second = len(server.requested_paths)
    workers = [_worker(tmp_path, pg_url) for _ in range(2)]
    logs = []
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        logs.append(err[-3000:])
        assert worker.returncode == 0, err[-3000:]
    # Failed once in CI and in ~1 of 36 runs under load: a worker joining a run popped its
    # requests before it had the rules, and the third and later of them went out unchecked
    # (test_every_request_that_waits_for_the_rules_of_its_host_obeys_them). Should a private
    # page be asked for again: in which phase (before `before`: the reference crawl or the
    # previous tests; before `second`: the failing runs; after: these runs), and the logs.
    assert _private(server) == [], (
        f"before={before} second={second} robots.txt asked {robots.asked} times; private at "
        f"{[i for i, path in enumerate(server.requested_paths) if '/private/' in path]}; "
        + "\n---\n".join(logs)
    )
    engine = open_database(pg_url)
    try:
        assert _snapshot(engine) == reference
    finally:
        engine.dispose()
    assert robots.asked == 4  # once per run, whatever the number of workers
    failed_ids = {r.id for r in failed}
    later = [r for r in _runs(pg_url) if r.id not in failed_ids]
    assert not any(r.fetch_problems.get("robots_unreadable") for r in later)

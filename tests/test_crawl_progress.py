"""`rivalscope crawl` shows one line per source (live on a terminal, plain otherwise) with
the crawl run's own counts; -v shows Scrapy's log instead."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_shops
from rivalscope.demo.targets import write_targets
from spiders.progress import Board, progress_line
from storage.db import open_database
from storage.models import CrawlRun
from tests.cli import run_cli
from tests.loopback_site import (
    QuietHandler,
    answer,
    answered_robots,
    product_page,
    serving,
)
from tests.loopback_site import write_targets as write_loopback_targets

LINE = re.compile(
    r"kawamistrz-shop: (\d+) pages, reviews (\d+) seen / (\d+) new, "
    r"offers (\d+) seen / (\d+) changed, (\d+) errors?, done"
)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(generate_shops(products=2, reviews_per_product=6)) as running:
        yield running


@pytest.fixture
def targets(tmp_path: Path, server: DemoServer) -> Path:
    path = tmp_path / "targets.toml"
    write_targets(path, server.base_url, [s for s in server.shops if s.slug == "kawamistrz"])
    return path


def _run(db_url: str) -> CrawlRun:
    engine = open_database(db_url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
        session.expunge(run)
    engine.dispose()
    return run


@pytest.mark.slow
def test_plain_line_per_source_with_the_runs_counts(
    tmp_path: Path, targets: Path, db_url: str
) -> None:
    done = run_cli("crawl", "--targets", str(targets), cwd=tmp_path, db_url=db_url)
    assert done.returncode == 0, done.stderr[-2000:]
    found = LINE.search(done.stderr)
    assert found, done.stderr[-2000:]
    run = _run(db_url)
    pages, seen, new, offers, changed, _ = (int(g) for g in found.groups())
    assert (pages, seen, new, offers, changed) == (
        run.pages, run.reviews_seen, run.reviews_new, run.offers_seen, run.offers_changed
    )  # fmt: skip
    assert new > 0 and "] INFO:" not in done.stderr  # no Scrapy INFO log without -v
    verbose = run_cli("crawl", "-v", "--targets", str(targets), cwd=tmp_path, db_url=db_url)
    assert verbose.returncode == 0 and "[scrapy.core.engine] INFO" in verbose.stderr
    assert not LINE.search(verbose.stderr)


@pytest.mark.slow
def test_live_lines_on_a_terminal(tmp_path: Path, targets: Path, db_url: str) -> None:
    main, child = pty.openpty()
    env = {**os.environ, "RIVALSCOPE_DATABASE_URL": db_url, "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rivalscope", "crawl", "--targets", str(targets)],
        cwd=tmp_path, env=env, stdin=child, stdout=child, stderr=child,
    )  # fmt: skip
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert process.wait(timeout=240) == 0
    os.close(main)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[2Kkawamistrz-shop: " in shown and LINE.search(shown)


def test_board_redraws_its_lines_in_place() -> None:
    out = io.StringIO()
    board = Board(out=out)
    board.lines = {"a": "a: 1", "b": "b: 2"}
    board.draw()
    board.lines["a"] = "a: 3"
    board.draw()
    assert out.getvalue() == "\x1b[2Ka: 1\n\x1b[2Kb: 2\n\x1b[2F\x1b[2Ka: 3\n\x1b[2Kb: 2\n"
    stats = {"response_received_count": 4, "rivalscope/reviews_seen": 9, "rivalscope/errors": 1}
    assert progress_line("s", stats, "finished") == (
        "s: 4 pages, reviews 9 seen / 0 new, offers 0 seen / 0 changed, 1 error, done"
    )


@pytest.mark.parametrize(
    ("reason", "ending"),
    [
        (None, "2 errors"),
        ("finished", "2 errors, done"),
        ("shutdown", "2 errors, interrupted"),  # Ctrl-C: never "done"
        ("closespider_timeout", "2 errors, stopped at its time limit"),
        ("memory_limit", "2 errors, memory_limit"),
    ],
)
def test_a_line_ends_with_how_the_crawl_ended(reason: str | None, ending: str) -> None:
    stats = {"response_received_count": 3, "rivalscope/errors": 2}
    assert progress_line("s", stats, reason).endswith(ending)


NO_ANSWER = "check that the site is up and that its start_urls in the targets file are right"


@pytest.mark.parametrize(
    ("stats", "reason", "ending"),
    [
        # A dead site: it said "1 errors, done", as if read and found empty.
        ({"rivalscope/http_errors": 1}, "finished",
         f"0 changed, 1 error, nothing read: no page answered; {NO_ANSWER}"),
        # robots.txt answered (its response is no page) and forbade the rest
        ({"response_received_count": 1, "robotstxt/response_count": 1,
          "robotstxt/forbidden": 3}, "finished",
         "0 errors, nothing read: robots.txt forbids every page found; check whether the "
         "site still allows crawling"),
        ({}, "closespider_timeout",
         f"0 errors, stopped at its time limit; nothing read: no page answered; {NO_ANSWER}"),
        ({"rivalscope/errors": 1}, "shutdown", "1 error, interrupted"),
        ({"rivalscope/errors": 1}, None, "0 changed, 1 error"),  # still running
        ({"response_received_count": 1, "rivalscope/errors": 1}, "finished", "1 error, done"),
    ],
)  # fmt: skip
def test_a_crawl_that_read_nothing_says_so_and_what_to_check(
    stats: dict[str, int], reason: str | None, ending: str
) -> None:
    assert progress_line("s", stats, reason).endswith(ending)


class _Busy(QuietHandler):
    """A shop whose product pages answer 503 whatever the retries."""

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        if self.path == "/":
            links = "".join(f'<a href="/p/{n}">p{n}</a>' for n in range(4))
            answer(self, 200, {"Content-Type": "text/html"}, product_page(0, links))
        else:
            answer(self, 503, {"Content-Type": "text/html", "Retry-After": "0"}, b"busy")


def test_pages_that_failed_after_their_retries_are_counted_not_logged_one_by_one(
    tmp_path: Path,
) -> None:
    """Beside the progress lines, each page of a busy site printed Scrapy's "ERROR: Gave up
    retrying <GET ...>" (one per page: hundreds on a dying site, breaking the redrawn
    lines); the progress line counts them and the summary shows samples; -v keeps them."""
    with serving(_Busy) as (_, url):
        write_loopback_targets(tmp_path, [f"{url}/"])
        db = f"sqlite:///{tmp_path / 'busy.db'}"
        done = run_cli("crawl", cwd=tmp_path, db_url=db)
        verbose = run_cli("crawl", "-v", cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'v.db'}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Gave up retrying" not in done.stderr, done.stderr[-2000:]
    assert "kettles: 5 pages" in done.stderr and ", 4 errors, done" in done.stderr
    assert "HTTP 503" in done.stdout
    assert "Gave up retrying" in verbose.stderr


def test_a_refused_crawl_says_so_and_prints_no_empty_table(tmp_path: Path, db_url: str) -> None:
    """A crawl of a source another live process is crawling is refused (exit 2). It printed
    "Collected into ..." over a table of no row, and a progress line "kettles: 0 pages, ...,
    0 errors, done", as if the source had been crawled and found empty."""
    from storage.models import Company, Source

    write_loopback_targets(tmp_path, ["http://127.0.0.1:9/"])
    engine = open_database(db_url)
    with Session(engine) as session:
        company = Company(name="Kettles", is_own=False)
        session.add(company)
        session.flush()
        source = Source(name="kettles", company_id=company.id or 0)
        session.add(source)
        session.flush()  # a run of this live process (the test's): the crawl is refused
        session.add(CrawlRun(source_id=source.id or 0, status="running", pid=os.getpid()))
        session.commit()
    engine.dispose()
    done = run_cli("crawl", "--targets", str(tmp_path / "targets.toml"), cwd=tmp_path,
                   db_url=db_url)  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Collected into" not in done.stdout and "┏" not in done.stdout, done.stdout
    assert "kettles: not crawled (another crawl of the source is running)" in done.stderr
    assert "done" not in done.stderr, done.stderr

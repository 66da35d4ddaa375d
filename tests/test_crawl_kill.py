"""Killed, interrupted and concurrent crawls of the demo shops (the real ``rivalscope crawl``).

- ``kill -9`` of a crawl, repeated at different points: no process of the crawl is left
  (store worker, resource tracker), the killed run keeps the figures it reached, and a
  final run ends with exactly the rows of an uninterrupted crawl (none lost or doubled);
- Ctrl-C: a clean stop, one line on stderr, exit 130, the run recorded ``interrupted``;
- two crawls of the same sources at once: each source is crawled by one of them only and
  no offer observation is doubled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, text
from sqlmodel import Session, col, select

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from settings.pause_points import PAUSE_ENV
from spiders.pipelines.store_pipeline import OPEN_PAUSE_POINT as RUN_START
from spiders.target_spider import START_PAUSE_POINT as SPIDER_START
from storage.child_process import PAUSE_POINT as CHILD_START
from storage.db import open_database
from storage.models import CrawlRun, OfferObservation, Review
from tests.cli import run_cli
from tests.test_crawl_end_to_end import _snapshot, _targets

pytestmark = pytest.mark.slow

# The demo shops and their server: conftest's ``shops`` / ``server`` (one server per module).

KILL_TRIALS = 3
NEW_REVIEWS_BEFORE_KILL = 25
"""Reviews each trial's crawl stores before it is killed."""


def process_stats() -> Iterator[tuple[int, list[str]]]:
    """Each live process's id and the fields of its /proc/PID/stat after the name."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        yield int(entry.name), fields


def session_processes(session_id: int) -> list[int]:
    """Live processes of a session (the crawl was started as its leader)."""
    return [
        pid for pid, fields in process_stats() if int(fields[3]) == session_id and fields[0] != "Z"
    ]


def wait_until_gone(session_id: int, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = session_processes(session_id)
        if not left:
            return []
        time.sleep(0.2)
    return session_processes(session_id)


def start_crawl(
    targets: Path,
    url: str,
    cwd: Path,
    *,
    output: int = subprocess.PIPE,
    **settings: str,
) -> subprocess.Popen[bytes]:
    """``rivalscope crawl`` in a session of its own; ``settings`` add or replace
    environment variables (a batch size, a pause point)."""
    env = {
        **os.environ,
        "RIVALSCOPE_DATABASE_URL": url,
        "PYTHONWARNINGS": "ignore",
        "RIVALSCOPE_BATCH_SIZE": "20",
        "RIVALSCOPE_CHECKPOINT_S": "0.5",
        **settings,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "rivalscope", "crawl", "--targets", str(targets)],
        cwd=cwd,
        env=env,
        stdout=output,
        stderr=output,
        start_new_session=True,  # its own session: every process it starts can be found
    )


def wait_for_file(path: Path, process: subprocess.Popen[bytes], timeout: float = 240) -> None:
    """Until a pause point writes ``path``, the process ends, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def stored_reviews(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count(col(Review.id)))).one()


def wait_for_progress(
    engine: Engine, process: subprocess.Popen[bytes], reviews: int, timeout: float = 120
) -> None:
    """Until ``reviews`` are stored and a run of the process has checkpointed its pages."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with Session(engine) as session:
            checkpointed = session.exec(
                select(CrawlRun).where(CrawlRun.pid == process.pid, col(CrawlRun.pages) > 0)
            ).first()
        if stored_reviews(engine) >= reviews and checkpointed is not None:
            return
        time.sleep(0.1)
    raise AssertionError(f"the crawl ended or stalled before {reviews} reviews were stored")


def no_repeated_states(engine: Engine) -> bool:
    """Offer history holds a row only when a product's state changed."""
    with Session(engine) as session:
        rows = session.exec(
            select(OfferObservation).order_by(
                col(OfferObservation.product_id),
                col(OfferObservation.observed_at),
                col(OfferObservation.id),
            )
        ).all()
    previous: dict[int, tuple[str | None, str | None, str | None]] = {}
    for row in rows:
        state = (row.price, row.currency, row.availability)
        if previous.get(row.product_id) == state:
            return False
        previous[row.product_id] = state
    return True


def test_repeated_kill_9_leaves_no_process_and_loses_nothing(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    fast = _targets(tmp_path, server, shops)
    done = run_cli("crawl", "--targets", str(fast), cwd=tmp_path, db_url=reference_url)
    assert done.returncode == 0, done.stderr[-3000:]

    url = f"sqlite:///{tmp_path / 'killed.db'}"
    slow_dir = tmp_path / "slow"
    slow_dir.mkdir()
    slow = _targets(slow_dir, server, shops, slow=True)
    engine = open_database(url)
    for trial in range(KILL_TRIALS):
        before = stored_reviews(engine)
        process = start_crawl(slow, url, tmp_path)
        wait_for_progress(engine, process, before + NEW_REVIEWS_BEFORE_KILL)
        assert len(session_processes(process.pid)) >= 2, "the store worker never started"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
        left = wait_until_gone(process.pid)
        assert left == [], f"trial {trial}: processes left behind: {left}"
        with Session(engine) as session:
            killed = session.exec(select(CrawlRun).where(CrawlRun.pid == process.pid)).all()
            assert killed, f"trial {trial}: the killed crawl left no run"
            for run in killed:
                stored = session.exec(
                    select(func.count(col(Review.id))).where(Review.crawl_run_id == run.id)
                ).one()
                # Figures kept: counters move with the rows, pages are checkpointed.
                assert run.reviews_new == stored, (trial, run.id, run.reviews_new, stored)
            assert sum(run.pages for run in killed) > 0
    rerun = run_cli("crawl", "--targets", str(fast), cwd=tmp_path, db_url=url)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    reference = open_database(reference_url)
    after, expected = _snapshot(engine), _snapshot(reference)
    assert after["reviews"] == expected["reviews"]  # none lost, none doubled
    assert after["products"] == expected["products"]
    assert no_repeated_states(engine)
    with Session(engine) as session:
        statuses = [r.status for r in session.exec(select(CrawlRun)).all()]
    assert statuses.count("running") == 0 and "interrupted" in statuses
    engine.dispose()
    reference.dispose()


def test_a_killed_crawl_keeps_items_fetched_before_a_batch_fills(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    """A slow crawl filled a batch (500 items) in minutes, and a kill lost them all: items are
    stored every checkpoint too. With batches too large to fill, its first batch is
    committed (and the crawl killed) before it has fetched the whole site, and is kept."""
    served_before = len(server.requested_paths)
    fast = _targets(tmp_path, server, shops)
    done = run_cli("crawl", "--targets", str(fast), cwd=tmp_path, db_url="sqlite:///all.db")
    assert done.returncode == 0, done.stderr[-3000:]
    site_pages = len(server.requested_paths) - served_before

    url = f"sqlite:///{tmp_path / 'killed.db'}"
    slow_dir = tmp_path / "slow"
    slow_dir.mkdir()
    slow = _targets(slow_dir, server, shops, slow=True)
    # Slower still: the store worker starts within the crawl's first pages on a loaded machine.
    slow.write_text(slow.read_text().replace("download_delay = 0.3", "download_delay = 0.6"))
    engine = open_database(url)
    paused = tmp_path / "paused"
    served_before = len(server.requested_paths)
    settings = {"RIVALSCOPE_BATCH_SIZE": "100000", PAUSE_ENV: f"store-batches:1:{paused}"}
    process = start_crawl(slow, url, tmp_path, output=subprocess.DEVNULL, **settings)
    wait_for_file(paused, process)
    served_at_kill = len(server.requested_paths) - served_before
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    paused.unlink(missing_ok=True)
    assert served_at_kill < site_pages, (served_at_kill, site_pages)
    with Session(engine) as session:  # the first pages are listings: offers, maybe no review
        assert session.exec(select(func.count(col(OfferObservation.id)))).one() > 0
    engine.dispose()


def test_ctrl_c_stops_cleanly_with_one_line(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    url = f"sqlite:///{tmp_path / 'interrupted.db'}"
    slow = _targets(tmp_path, server, shops, slow=True)
    engine = open_database(url)
    process = start_crawl(slow, url, tmp_path)
    wait_for_progress(engine, process, NEW_REVIEWS_BEFORE_KILL)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the foreground group
    _out, err = process.communicate(timeout=120)
    stderr = err.decode()
    assert process.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("interrupted: ")] != []
    assert wait_until_gone(process.pid) == []
    with Session(engine) as session:
        runs = session.exec(select(CrawlRun)).all()
    engine.dispose()
    assert runs and {r.status for r in runs} <= {"interrupted", "finished"}
    assert "interrupted" in {r.status for r in runs}


def test_sigterm_to_the_process_group_mid_crawl_stops_cleanly(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    """The scheduler ends a crawl at its time limit (or when it is stopped) with SIGTERM to
    the crawl's process group: the store worker died of it at once, the crawl could store
    nothing more ("BrokenProcessPool: A child process terminated abruptly" logged twice), and
    its runs stayed ``running`` with the figures of their last checkpoint (22 pages fetched,
    10 recorded, the reviews of the others not stored)."""
    url = f"sqlite:///{tmp_path / 'terminated.db'}"
    slow = _targets(tmp_path, server, shops, slow=True)
    engine = open_database(url)
    process = start_crawl(slow, url, tmp_path)
    wait_for_progress(engine, process, NEW_REVIEWS_BEFORE_KILL)
    os.killpg(process.pid, signal.SIGTERM)
    _out, err = process.communicate(timeout=120)
    stderr = err.decode()
    assert "BrokenProcessPool" not in stderr and "Traceback" not in stderr, stderr[-3000:]
    # 143 for SIGTERM, as `schedule --once` and every other command say it (it was 130)
    assert process.returncode == 143, stderr[-3000:]
    assert [line for line in stderr.splitlines() if line.startswith("interrupted: ")] != []
    assert wait_until_gone(process.pid) == []
    with Session(engine) as session:
        runs = session.exec(select(CrawlRun)).all()
    engine.dispose()
    assert runs and {r.status for r in runs} <= {"interrupted", "finished"}, [
        (r.id, r.status) for r in runs
    ]
    assert "interrupted" in {r.status for r in runs}


@pytest.mark.parametrize(
    ("point", "signum"),
    [
        (CHILD_START, signal.SIGINT),
        (SPIDER_START, signal.SIGINT),
        (RUN_START, signal.SIGINT),
        (CHILD_START, signal.SIGTERM),
        (SPIDER_START, signal.SIGTERM),
        (RUN_START, signal.SIGTERM),
    ],
)
def test_ctrl_c_while_a_crawl_starts_stops_it_cleanly(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], point: str, signum: int
) -> None:
    """Ctrl-C while the crawl starts: every run ends as on a later Ctrl-C, no traceback.

    ``CHILD_START``: Ctrl-C reaches the store worker too; before it ignores it (it imports
    for seconds on a loaded machine), the worker printed its KeyboardInterrupt's traceback.
    ``SPIDER_START``: before Scrapy's handler is in place (the crawlers are still being set
    up), KeyboardInterrupt was raised inside Twisted's Deferred: a traceback, that source
    not crawled, the others crawled on (exit 0, or 1 when the reactor was not installed).
    ``RUN_START``: Scrapy's handler is in place, a spider still opens (its run is recorded):
    Scrapy stopped the reactor without closing the spiders, every run stayed ``running``
    and the command said "no page answered" and exited 1; SIGTERM (the scheduler's time
    limit) alike, exit 143 (130 before; before Scrapy's handler is in place it ended the
    process at once, its runs left ``running``)."""
    url = f"sqlite:///{tmp_path / 'starting.db'}"
    slow = _targets(tmp_path, server, shops, slow=True)
    held = tmp_path / "held"
    # the default checkpoint interval (1 s); start_crawl sets 0.5 s for the kill tests
    settings = {PAUSE_ENV: f"{point}:0:{held}", "RIVALSCOPE_CHECKPOINT_S": "1"}
    process = start_crawl(slow, url, tmp_path, **settings)
    wait_for_file(held, process)
    assert held.exists(), f"the crawl never reached {point}"
    os.killpg(process.pid, signum)
    time.sleep(0.5)  # delivered while the crawl is held there
    held.unlink()
    _out, err = process.communicate(timeout=120)
    stderr = err.decode()
    assert process.returncode == 128 + signum, stderr[-3000:]
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr[-3000:]
    assert wait_until_gone(process.pid) == []
    engine = open_database(url)
    with Session(engine) as session:
        runs = session.exec(select(CrawlRun)).all()
    engine.dispose()
    assert len(runs) == len(shops), [(r.id, r.status) for r in runs]
    assert {r.status for r in runs} <= {"interrupted", "finished"}


def test_two_crawls_of_one_source_never_write_together(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    targets = _targets(tmp_path, server, shops)
    open_database(url).dispose()
    first, second = (start_crawl(targets, url, tmp_path) for _ in range(2))
    outputs = [p.communicate(timeout=240) for p in (first, second)]
    codes = {first.returncode, second.returncode}
    errors = "".join(err.decode() for _, err in outputs)
    assert "Traceback" not in errors
    assert codes <= {0, 2}, errors[-3000:]
    engine = open_database(url)
    with Session(engine) as session:
        runs = session.exec(select(CrawlRun)).all()
    # One run per source: the second crawl of a source was refused, not run beside the first.
    assert sorted(r.source_id for r in runs) == sorted({r.source_id for r in runs})
    assert len(runs) == len(shops)
    if 2 in codes:
        assert "is being written by" in errors
    assert no_repeated_states(engine)
    engine.dispose()


def test_bogus_log_level_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "targets.toml").write_text(
        '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n',
        encoding="utf-8",
    )
    done = run_cli("crawl", "--log-level", "BOGUS", cwd=tmp_path, db_url="sqlite:///x.db")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "BOGUS" in lines[0] and "DEBUG" in lines[0], done.stderr


@pytest.mark.postgres
def test_killed_crawl_leaves_no_postgres_connection(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], pg_url: str
) -> None:
    marker = f"rivalscope-kill-{os.getpid()}-{time.monotonic_ns()}"
    url = f"{pg_url}&application_name={marker}"
    slow = _targets(tmp_path, server, shops, slow=True)
    engine = open_database(url)
    admin = create_engine(pg_url)

    def connections() -> int:
        with admin.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :m"),
                    {"m": marker},
                ).scalar_one()
            )

    engine.dispose()  # only the crawl's own connections carry the marker from here
    process = start_crawl(slow, url, tmp_path)
    progress = open_database(pg_url)
    wait_for_progress(progress, process, NEW_REVIEWS_BEFORE_KILL)
    progress.dispose()
    assert connections() >= 2  # the crawl's and its store worker's
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()  # type: ignore[union-attr]
    process.stderr.close()  # type: ignore[union-attr]
    assert wait_until_gone(process.pid) == []
    deadline = time.monotonic() + 15
    while connections() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert connections() == 0
    admin.dispose()

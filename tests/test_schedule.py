"""``rivalscope schedule`` for real: crawl processes against the demo shops on 127.0.0.1.

Due crawls run, a restart does not run them twice, overlapping crawls are refused, a hung
crawl is killed at its limit and recorded, SIGTERM stops the scheduler cleanly.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_shops
from rivalscope.demo.targets import write_targets
from rivalscope.scheduler import lease
from rivalscope.scheduler.service import Scheduler
from settings.targets import load_targets
from storage.db import open_database
from storage.models import CrawlRun, Source, utcnow
from tests.cli import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(generate_shops(), slow_seconds=0.2) as running:
        yield running


@pytest.fixture
def kawa_targets(tmp_path: Path, server: DemoServer) -> Path:
    path = tmp_path / "targets.toml"
    write_targets(path, server.base_url, [s for s in server.shops if s.slug == "kawamistrz"])
    return path


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung site."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.fixture
def hang_targets(tmp_path: Path, silent_port: int) -> Path:
    path = tmp_path / "hang.toml"
    path.write_text(
        '[[company]]\nname = "Hung Ltd"\n\n[[company.source]]\nname = "hung-shop"\n'
        f'start_urls = ["http://127.0.0.1:{silent_port}/"]\nschedule = "0 4 * * *"\n',
        encoding="utf-8",
    )
    return path


def _runs(db_url: str) -> list[tuple[str, str, str | None]]:
    engine = open_database(db_url)
    with Session(engine) as session:
        rows = session.exec(select(CrawlRun, Source).where(CrawlRun.source_id == Source.id)).all()
        result = [(source.name, run.status, run.finish_reason) for run, source in rows]
    engine.dispose()
    return result


def test_once_runs_due_crawls_and_a_restart_does_not_repeat_them(
    tmp_path: Path, kawa_targets: Path, db_url: str
) -> None:
    log_file = tmp_path / "logs" / "schedule.log"
    log_file.parent.mkdir()  # a missing folder is refused (test_cli_bad_input)
    first = run_cli(
        "schedule", "--once", "--targets", str(kawa_targets), "--db", db_url,
        "--log-file", str(log_file), cwd=tmp_path,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "kawamistrz-shop" in first.stdout and "finished" in first.stdout
    # The detail says what the round brought, not "finished" again.
    assert re.search(r"\d+ pages, \d+ new reviews, \d+ offers changed", first.stdout)
    assert _runs(db_url) == [("kawamistrz-shop", "finished", "finished")]
    log = log_file.read_text(encoding="utf-8")
    assert "due: kawamistrz-shop" in log and "kawamistrz-shop: healthy" in log
    # Follow-ups run by default; what cannot run says why (no own company to compare).
    assert "analysis done" in log and "report skipped: no own company" in log
    assert "alerts skipped: no rule in [alerts]" in log
    # ... and the round's output says what they did, not only the log file
    assert "follow-ups after the crawls: analysis" in first.stdout
    assert (log_file.parent / "crawl-kawamistrz-shop.log").stat().st_size > 0
    again = run_cli(
        "schedule", "--once", "--targets", str(kawa_targets), "--db", db_url, cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert "nothing is due" in again.stdout and "follow-ups" not in again.stdout
    assert len(_runs(db_url)) == 1
    listing = run_cli("runs", "--db", db_url, "--source", "kawamistrz-shop", cwd=tmp_path)
    assert listing.returncode == 0 and "finished" in listing.stdout and " ok " in listing.stdout


def test_overlapping_crawls_are_refused(kawa_targets: Path, db_url: str) -> None:
    engine = open_database(db_url)
    plan = load_targets(kawa_targets)
    scheduler = Scheduler(plan, kawa_targets, db_url, engine, owner="me:1")
    source = scheduler.scheduled_sources()[0]
    # Another scheduler holds the source's lease.
    assert lease.try_acquire(engine, source.name, "other:2", utcnow(), timedelta(hours=1))
    assert scheduler.crawl(source).status == "refused"
    lease.release(engine, source.name, "other:2", outcome=None, now=utcnow())
    # A crawl started by hand is running (its run row names a live process).
    with Session(engine) as session:
        session.add(Source(name=source.name, company_id=_company(engine)))
        session.commit()
        src = session.exec(select(Source).where(Source.name == source.name)).one()
        assert src.id is not None
        session.add(CrawlRun(source_id=src.id, pid=os.getpid()))
        session.commit()
    outcome = scheduler.crawl(source)
    assert outcome.status == "refused" and "running" in outcome.detail
    assert [s for s in _runs(db_url) if s[1] != "running"] == []  # nothing was crawled
    engine.dispose()


def _company(engine: object) -> int:
    from sqlalchemy import Engine

    from storage.models import Company

    assert isinstance(engine, Engine)
    with Session(engine) as session:
        company = Company(name="Kawa Mistrz")
        session.add(company)
        session.commit()
        assert company.id is not None
        return company.id


def test_hung_crawl_is_killed_at_its_limit_and_recorded(
    tmp_path: Path, hang_targets: Path, db_url: str
) -> None:
    started = time.monotonic()
    result = run_cli(
        "schedule", "--once", "--targets", str(hang_targets), "--db", db_url,
        "--crawl-timeout", "8", cwd=tmp_path,
    )  # fmt: skip
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr  # --once: a crawl failed
    assert "timeout" in result.stdout
    runs = _runs(db_url)
    assert [(name, status) for name, status, _ in runs] == [("hung-shop", "timeout")]
    assert "time limit of 8 s" in (runs[0][2] or "")
    status = run_cli(
        "targets", "status", "--targets", str(hang_targets), "--db", db_url, cwd=tmp_path
    )
    assert "UNHEALTHY" in status.stdout and "timed out" in status.stdout


def _signal_while_crawling(
    tmp_path: Path, targets: Path, db_url: str, signum: int, *extra: str
) -> tuple[int, str]:
    """Start ``rivalscope schedule``, send ``signum`` once its crawl runs: (exit status,
    stderr)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rivalscope", "schedule", "--targets", str(targets),
         "--db", db_url, "--log-file", str(tmp_path / "schedule.log"), *extra],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not any(
            s == "running" for _, s, _ in _runs_safe(db_url)
        ):
            time.sleep(0.3)
        assert any(s == "running" for _, s, _ in _runs_safe(db_url)), "the crawl never started"
        process.send_signal(signum)
        _, err = process.communicate(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, err.decode()


def test_sigterm_stops_the_scheduler_and_marks_the_running_crawl(
    tmp_path: Path, hang_targets: Path, db_url: str
) -> None:
    status, err = _signal_while_crawling(tmp_path, hang_targets, db_url, signal.SIGTERM)
    assert status == 0, err
    log = (tmp_path / "schedule.log").read_text(encoding="utf-8")
    assert "got SIGTERM: stopping" in log and "stopped" in log.splitlines()[-1]
    assert [(n, s) for n, s, _ in _runs(db_url)] == [("hung-shop", "interrupted")]


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_once_round_cut_short_by_a_signal_is_no_success(
    tmp_path: Path, hang_targets: Path, db_url: str, signum: int, status: int
) -> None:
    """`schedule --once` (for cron) exited 0 when Ctrl-C or SIGTERM stopped its crawls."""
    got, err = _signal_while_crawling(tmp_path, hang_targets, db_url, signum, "--once")
    assert got == status, err
    assert "Traceback" not in err
    assert f"interrupted by {signal.Signals(signum).name}" in err
    assert [(n, s) for n, s, _ in _runs(db_url)] == [("hung-shop", "interrupted")]


def _runs_safe(db_url: str) -> list[tuple[str, str, str | None]]:
    try:
        return _runs(db_url)
    except Exception:  # the scheduler may be creating the schema right now
        return []

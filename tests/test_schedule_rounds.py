"""What the long-running scheduler repeats every round must not pile up in its process.

The report and the alerts read some tables by reflection; a table reflected anew each round
made every statement over it a new entry in the engine's compiled-statement cache (found
by ``benchmarks/schedule_soak.py``: +9 entries and ~0.6 MB per round). The scheduler's
log and each source's crawl log grew by every round's lines, without end.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from compare.report.analysis_source import analysis_source
from rivalscope.alerts import sentiment_alerts
from rivalscope.commands.schedule import _setup_logging
from rivalscope.scheduler import crawl_process
from rivalscope.scheduler.crawl_process import rotate_log
from settings.schedule import AlertSettings
from storage.reflection import reflected_table

LIMIT = 2000


def _compiled(engine: Engine) -> int:
    cache = engine._compiled_cache  # SQLAlchemy's per-engine LRU of compiled statements
    assert cache is not None
    return len(cache)


def test_report_tables_are_reflected_once_per_engine(engine: Engine) -> None:
    with engine.connect() as connection:
        first = analysis_source(connection)
    with engine.connect() as connection:
        second = analysis_source(connection)
        connection.execute(select(second.mention.c.review_id)).all()
    assert first.mention is second.mention
    assert first.need is second.need
    assert first.sentence is second.sentence


def test_round_after_round_compiles_no_new_statements(engine: Engine) -> None:
    settings = AlertSettings(net_sentiment_points=5)

    def one_round() -> None:
        assert sentiment_alerts(engine, settings) == []
        with engine.connect() as connection:
            source = analysis_source(connection)
            connection.execute(select(source.need.c.review_id).limit(1)).all()

    one_round()
    after_first = _compiled(engine)
    one_round()
    one_round()
    assert _compiled(engine) == after_first


def test_a_changed_table_is_reflected_again(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY)"))
        before = reflected_table(connection, "scratch")
        connection.execute(text("ALTER TABLE scratch ADD COLUMN note TEXT"))
        after = reflected_table(connection, "scratch")
    assert "note" not in before.c
    assert "note" in after.c
    with engine.connect() as connection:
        assert reflected_table(connection, "scratch") is after


@pytest.mark.parametrize(
    ("size", "moved"),
    [(0, False), (LIMIT - 1, False), (LIMIT, True), (LIMIT + 500, True)],
)
def test_a_log_moves_aside_at_its_size_limit(tmp_path: Path, size: int, moved: bool) -> None:
    log = tmp_path / "crawl-shop.log"
    log.write_bytes(b"x" * size)
    (tmp_path / "crawl-shop.log.1").write_bytes(b"older")
    rotate_log(log, LIMIT)
    assert log.exists() is not moved
    assert (tmp_path / "crawl-shop.log.1").read_bytes() == (b"x" * size if moved else b"older")


def test_a_missing_log_is_not_an_error(tmp_path: Path) -> None:
    rotate_log(tmp_path / "none.log", LIMIT)
    assert list(tmp_path.iterdir()) == []


def test_each_crawl_log_stays_under_its_limit(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crawl_process, "LOG_MAX_BYTES", LIMIT)
    log = tmp_path / "crawl-shop.log"
    for _ in range(3):
        crawl_process.run_crawl(
            engine,
            "shop",
            [sys.executable, "-c", f"print('x' * {LIMIT})"],
            timeout_s=60,
            stop=threading.Event(),
            log_path=log,
            company="Shop Ltd",
        )
    assert log.stat().st_size == LIMIT + 1  # this round's output
    assert (tmp_path / "crawl-shop.log.1").stat().st_size == LIMIT + 1  # the round before


def test_the_scheduler_log_stays_under_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crawl_process, "LOG_MAX_BYTES", LIMIT)
    logger = logging.getLogger("rivalscope")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    log = tmp_path / "schedule.log"
    try:
        _setup_logging(log)
        for _ in range(50):
            logging.getLogger("rivalscope.schedule").info("x" * 100)
    finally:
        for handler in logger.handlers:
            handler.close()
        logger.handlers[:], logger.level, logger.propagate = saved
    assert log.stat().st_size <= LIMIT
    assert (tmp_path / "schedule.log.1").stat().st_size <= LIMIT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.log", "schedule.log.1"]


def test_a_crawl_killed_by_a_signal_says_so(engine: Engine) -> None:
    """kill -9 (or the out-of-memory killer) on a crawl: the scheduler said "crawl process
    exited with status -9", as if the crawl had failed with an error code of its own."""
    outcome = crawl_process.run_crawl(
        engine,
        "shop",
        [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
        timeout_s=60,
        stop=threading.Event(),
        company="Shop Ltd",
    )
    assert outcome.status == "failed"
    assert "killed by SIGKILL" in outcome.detail and "status -9" not in outcome.detail


CLOSES_ITS_RUN_THEN_HANGS = """
import sys, time
from sqlmodel import Session
from storage.db import open_database
from storage.models import CrawlRun, utcnow
engine = open_database(sys.argv[1])
with Session(engine) as session:
    session.add(CrawlRun(source_id=int(sys.argv[2]), status="finished", pages=3,
                         finish_reason="finished", finished_at=utcnow()))
    session.commit()
time.sleep(120)  # its after-crawl steps: a webhook that does not answer
"""


def test_a_run_its_crawl_closed_keeps_its_status_when_the_process_is_killed(
    engine: Engine,
) -> None:
    """A crawl whose run had ended (finished, judged) but whose process was still in its
    after-crawl steps at the time limit or the scheduler's stop: the scheduler relabelled
    the finished run ``timeout`` (or ``interrupted``), its health reason no longer matched
    and the next run crawled in full as after an incomplete one."""
    from sqlmodel import Session
    from sqlmodel import select as select_rows

    from storage.models import CrawlRun

    with Session(engine) as session:
        source_id = crawl_process._new_source(session, "shop", "Shop Ltd").id
        session.commit()
    stop = threading.Event()

    def stop_once_closed() -> None:
        while not stop.wait(0.1):
            with Session(engine) as session:
                if session.exec(select_rows(CrawlRun)).first() is not None:
                    stop.set()

    watcher = threading.Thread(target=stop_once_closed, daemon=True)
    watcher.start()
    url = engine.url.render_as_string(hide_password=False)
    argv = [sys.executable, "-c", CLOSES_ITS_RUN_THEN_HANGS, url, str(source_id)]
    outcome = crawl_process.run_crawl(
        engine, "shop", argv, timeout_s=240, stop=stop, grace_s=1, company="Shop Ltd"
    )
    watcher.join()
    with Session(engine) as session:
        runs = session.exec(select_rows(CrawlRun)).all()
    assert [(r.status, r.finish_reason) for r in runs] == [("finished", "finished")]
    assert outcome.status == "interrupted" and outcome.run_id == runs[0].id


WATCHING_CRAWL = """
import signal, sys, time
from pathlib import Path
from storage.child_process import stop_with_parent
folder = Path(sys.argv[2])
signal.signal(signal.SIGTERM, lambda *_: (folder.joinpath("stopped").touch(), sys.exit(0)))
stop_with_parent(int(sys.argv[1]))
folder.joinpath("ready").touch()
time.sleep(120)
"""

SCHEDULER = """
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid()), sys.argv[2]],
                 start_new_session=True)
time.sleep(120)
"""


def _wait_for(path: Path, seconds: float = 60) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.exists()


def test_a_crawl_stops_when_its_scheduler_is_killed(tmp_path: Path) -> None:
    """kill -9 of the scheduler left its crawls (each in a session of its own) crawling on,
    past the time limit the scheduler kept: now each gets SIGTERM (its runs end
    interrupted, as at the scheduler's own stop)."""
    import signal
    import subprocess

    scheduler = subprocess.Popen([sys.executable, "-c", SCHEDULER, WATCHING_CRAWL, str(tmp_path)])
    try:
        assert _wait_for(tmp_path / "ready"), "the crawl never started"
        assert not (tmp_path / "stopped").exists()
    finally:
        scheduler.send_signal(signal.SIGKILL)
        scheduler.wait()
    assert _wait_for(tmp_path / "stopped", 15), "the crawl went on without its scheduler"


def test_the_scheduler_tells_its_crawl_its_pid(engine: Engine, tmp_path: Path) -> None:
    import os

    log = tmp_path / "crawl-shop.log"
    script = f"import os; print(os.environ.get({crawl_process.SCHEDULER_PID_ENV!r}))"
    crawl_process.run_crawl(
        engine,
        "shop",
        [sys.executable, "-c", script],
        timeout_s=60,
        stop=threading.Event(),
        log_path=log,
        company="Shop Ltd",
    )
    assert log.read_text().split() == [str(os.getpid())]

"""``analyze`` under kill -9 and run twice at once, as the real command: a killed analysis
leaves no worker behind and a re-run completes it with every review analysed once; two at
once train one model and analyse each review once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from compare.analysis.run import PAUSE_POINT, WRITE_BATCH
from compare.analysis.tables import REVIEW_ANALYSIS, REVIEW_SENTENCE
from settings.pause_points import PAUSE_ENV
from storage.child_process import PAUSE_POINT as CHILD_START
from tests.test_analysis_run import add_reviews, rated
from tests.test_crawl_kill import session_processes

pytestmark = pytest.mark.slow
REVIEWS = 4000
KILLED_REVIEWS = 2 * WRITE_BATCH + 1000
"""Two killed runs commit one write batch each and leave reviews pending."""


def _analyze(
    db_url: str,
    models: Path,
    *extra: str,
    capture: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "rivalscope", "analyze", "--no-progress"),
            *("--db", db_url, "--models-dir", str(models), *extra),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        start_new_session=True,  # its session id finds every process it started
    )


def _analysed(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(REVIEW_ANALYSIS)).scalar_one()
        )


def _each_review_once(engine: Engine, reviews: int = REVIEWS) -> None:
    with engine.connect() as connection:
        analysed = connection.execute(
            select(func.count(), func.count(REVIEW_ANALYSIS.c.review_id.distinct()))
        ).one()
        sentences = connection.execute(
            select(func.count()).select_from(
                select(REVIEW_SENTENCE.c.review_id, REVIEW_SENTENCE.c.position)
                .group_by(REVIEW_SENTENCE.c.review_id, REVIEW_SENTENCE.c.position)
                .having(func.count() > 1)
                .subquery()
            )
        ).scalar_one()
    assert tuple(analysed) == (reviews, reviews)
    assert sentences == 0  # no sentence stored twice


def test_two_analyses_at_once_train_one_model(engine: Engine, db_url: str, tmp_path: Path) -> None:
    add_reviews(engine, rated(REVIEWS))
    models = tmp_path / "models"
    first = _analyze(db_url, models, "--workers", "1")
    second = _analyze(db_url, models, "--workers", "1")
    errors = [p.communicate(timeout=600)[1].decode() for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, errors
    assert [p.name for p in models.iterdir() if p.is_dir()] == ["v0001"]
    _each_review_once(engine)
    assert any("another analyze is running" in e for e in errors), errors


def test_kill_9_leaves_no_worker_and_a_rerun_completes(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    add_reviews(engine, rated(KILLED_REVIEWS))
    models = tmp_path / "models"
    paused = tmp_path / "paused"
    # Kill points the test controls (polling for stored analyses raced a run that can end
    # between two polls under load): settings.pause_points holds the run there. The first
    # trial is killed while its workers start, before they arm their death signal (a worker
    # that then took its adopter for its parent lived on); the others once the run has
    # committed one write batch, with its workers running and reviews pending.
    points = [(CHILD_START, 0), (PAUSE_POINT, 1), (PAUSE_POINT, 1)]
    for trial, (point, reached) in enumerate(points):
        before = _analysed(engine)
        process = _analyze(
            db_url,
            models,
            "--workers",
            "2",
            capture=False,
            env={PAUSE_ENV: f"{point}:{reached}:{paused}"},
        )
        try:
            _kill_at_pause(engine, process, paused, trial, before)
        finally:
            left = {pid: _described(pid) for pid in session_processes(process.pid)}
            for pid in left:  # not to leave them running when the test fails
                os.kill(pid, signal.SIGKILL)
            process.wait()
        assert left == {}, f"trial {trial}"  # no worker (nor resource tracker) left
    done = _analyze(db_url, models)
    _, error = done.communicate(timeout=600)
    assert done.returncode == 0, error.decode()
    _each_review_once(engine, KILLED_REVIEWS)


def _kill_at_pause(
    engine: Engine, process: subprocess.Popen[bytes], paused: Path, trial: int, before: int
) -> None:
    """Kill -9 the analysis once it holds at its pause point (with its workers running and
    reviews pending), then let paused workers go on, their parent gone; returns when its
    session is empty or after 10 s."""
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert process.poll() is None, "analyze finished before its pause point"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert process.poll() is None
    running = session_processes(process.pid)
    assert len(running) > 1, f"trial {trial}: no worker running at the pause ({running})"
    analysed = _analysed(engine)
    assert analysed < KILLED_REVIEWS and (trial == 0 or analysed > before)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    paused.unlink()
    deadline = time.monotonic() + 10
    while session_processes(process.pid) and time.monotonic() < deadline:
        # a worker slower to reach the pause point than the kill pauses there after the
        # first is let go
        paused.unlink(missing_ok=True)
        time.sleep(0.1)
    paused.unlink(missing_ok=True)


def _described(pid: int) -> str:
    """A left process's parent and command line, for the failure message."""
    try:
        parent = (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())[1]
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    return f"ppid {parent}: {command[:200]}"

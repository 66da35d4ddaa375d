"""``analyze`` under kill -9 and run twice at once, as the real command: a killed analysis
leaves no worker behind and a re-run completes it with every review analysed once; two at
once train one model and analyse each review once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from compare.analysis.tables import REVIEW_ANALYSIS, REVIEW_SENTENCE
from tests.test_analysis_run import add_reviews, rated

pytestmark = pytest.mark.slow
REVIEWS = 4000


def _analyze(
    db_url: str, models: Path, *extra: str, capture: bool = True
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "rivalscope", "analyze", "--no-progress"),
            *("--db", db_url, "--models-dir", str(models), *extra),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        start_new_session=True,  # its session id finds every process it started
    )


def _session_processes(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session and fields[0] != "Z":  # fields: state ppid pgrp session
            found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [
            int(c)
            for task in tasks
            for c in (task / "children").read_text().split()
            if (task / "children").exists()
        ]
    except OSError:
        return []


def _each_review_once(engine: Engine) -> None:
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
    assert tuple(analysed) == (REVIEWS, REVIEWS)
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
    add_reviews(engine, rated(REVIEWS))
    models = tmp_path / "models"
    rng = random.Random(3)
    for _ in range(3):
        process = _analyze(db_url, models, "--workers", "2", capture=False)
        deadline = time.monotonic() + 120
        while not _children(process.pid) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 2.0))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while _session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _session_processes(process.pid)
        for pid in left:  # not to leave them running when the test fails
            os.kill(pid, signal.SIGKILL)
        assert left == []  # no worker (nor resource tracker) left
    done = _analyze(db_url, models)
    _, error = done.communicate(timeout=600)
    assert done.returncode == 0, error.decode()
    _each_review_once(engine)

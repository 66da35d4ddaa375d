"""The report's files are written all or nothing: staged next to --out, renamed into place,
and only then is the run (with its findings) recorded; a report that cannot write records
nothing and says why in one line; kill -9 at any moment leaves no run without its files."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from compare.report.build import build_report
from compare.report.render_files import PAUSE_POINT, STAGING
from compare.report.report_error import ReportError
from compare.report.stored_tables import FINDING, REPORT_RUN
from compare.report.synthetic import SyntheticPlan, populate
from settings.pause_points import PAUSE_ENV
from tests.cli import run_cli

PLAN = SyntheticPlan(
    reviews=1500,
    positive_share={("Rival A", "delivery"): 0.15, ("Own Coffee", "delivery"): 0.9},
)
FILES = ("report.html", "summary.md", "findings.csv", "findings.json", "aspects.csv")


def _recorded(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        runs = connection.execute(select(func.count()).select_from(REPORT_RUN)).scalar_one()
        findings = connection.execute(select(func.count()).select_from(FINDING)).scalar_one()
    return runs, findings


def _staging_left(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(f"{STAGING}*")]


def test_a_failed_write_records_nothing_and_leaves_no_staging(
    engine: Engine, tmp_path: Path
) -> None:
    populate(engine, PLAN)
    out = tmp_path / "out"
    (out / "findings.json").mkdir(parents=True)  # a folder where a file must go
    (out / "findings.json" / "keep").write_text("x")
    with pytest.raises(ReportError, match="cannot write the report into"):
        build_report(engine, out)
    assert _recorded(engine) == (0, 0)
    assert _staging_left(tmp_path) == []
    build_report(engine, tmp_path / "good")
    runs, findings = _recorded(engine)
    assert runs == 1 and findings > 0
    assert all((tmp_path / "good" / name).is_file() for name in FILES)


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("/proc/rivalscope-report", "cannot create the report folder /proc/rivalscope-report"),
        ("{tmp}/file.txt", "exists and is not a folder"),
        ("{tmp}/file.txt/sub", "cannot create the report folder"),
    ],
)
def test_report_where_it_cannot_write_is_one_line(
    db_url: str, engine: Engine, tmp_path: Path, out: str, message: str
) -> None:
    populate(engine, PLAN)
    (tmp_path / "file.txt").write_text("not a folder")
    run = subprocess.run(
        [sys.executable, "-m", "rivalscope", "report", "--out", out.format(tmp=tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "RIVALSCOPE_DATABASE_URL": db_url},
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert message in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert _recorded(engine) == (0, 0)


def test_the_command_warns_when_reviews_are_not_analysed(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """Before `rivalscope analyze`, the command said "none significant" with nothing else:
    the warning was only in the page's banner."""
    from sqlalchemy import text

    populate(engine, PLAN)

    def _report(out: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rivalscope", "report", "--out", out],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "RIVALSCOPE_DATABASE_URL": db_url, "COLUMNS": "240"},
            check=False,
        )

    analysed = _report("one")
    assert analysed.returncode == 0 and "warning" not in analysed.stderr, analysed.stderr
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM review_analysis"))
    bare = _report("two")
    assert bare.returncode == 0, bare.stderr  # the report is written all the same
    assert "none significant" in bare.stdout
    assert (
        "warning: 1500 of 1500 reviews in scope are not analysed yet and are left out of every "
        "sentiment, aspect and need figure (review counts and ratings include them): run "
        "`rivalscope analyze`" in bare.stderr
    ), bare.stderr


@pytest.mark.parametrize(
    ("reviews", "options", "warned"),
    [
        # No review at all (prices only): "none significant" read as a comparison made.
        (0, (), True),
        (0, ("--competitor", "Rival A"), True),
        (200, (), False),
    ],
)
def test_the_command_warns_when_there_is_no_review_to_compare(
    db_url: str,
    engine: Engine,
    tmp_path: Path,
    reviews: int,
    options: tuple[str, ...],
    warned: bool,
) -> None:
    populate(engine, SyntheticPlan(reviews=reviews))
    result = run_cli("report", "--out", "r", *options, cwd=tmp_path, db_url=db_url)
    assert result.returncode == 0, result.stderr  # a report is written all the same
    said = [line for line in result.stderr.splitlines() if "nothing to compare" in line]
    assert said == (
        [
            "warning: no review in scope, so there is nothing to compare on aspects, "
            "sentiment or needs: run `rivalscope crawl` or `rivalscope import FILE`, then "
            "`rivalscope analyze`, then the report again"
        ]
        if warned
        else []
    ), result.stderr


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_no_run_without_its_files(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    populate(engine, PLAN)
    rng = random.Random(7)
    completed = 0
    for trial in range(4):
        process = _report(db_url, tmp_path / f"out{trial}", tmp_path)
        started = time.monotonic()
        deadline = started + rng.uniform(0.5, 6.0)
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        completed += process.wait() == 0
        # A report killed after its commit (while printing) is recorded, with its files;
        # one killed before is not recorded at all.
        _assert_every_run_has_its_files(engine)
        assert completed <= _recorded(engine)[0] <= trial + 1
    build_report(engine, tmp_path / "after")  # cleans the staging folders of killed runs
    assert _staging_left(tmp_path) == []


def test_kill_9_with_files_placed_and_the_run_not_recorded_records_nothing(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    populate(engine, PLAN)
    out, paused = tmp_path / "out", tmp_path / "paused"
    process = _report(db_url, out, tmp_path, {PAUSE_ENV: f"{PAUSE_POINT}:2:{paused}"})
    try:
        _wait_for(paused, process)
        assert len([p for p in out.iterdir() if p.is_file()]) == 2  # placed, not recorded
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert _recorded(engine) == (0, 0)
    build_report(engine, out)  # the same folder: written whole, then recorded
    _assert_every_run_has_its_files(engine)
    assert _recorded(engine)[0] == 1 and _staging_left(tmp_path) == []


def test_a_report_to_another_folder_removes_the_staging_a_killed_report_left(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """A killed report's folder may never be written again: the next report anywhere beside
    it removes its staging, and keeps the staging of a report still running."""
    populate(engine, PLAN)
    out, paused = tmp_path / "weekly-gap-report", tmp_path / "paused"
    process = _report(db_url, out, tmp_path, {PAUSE_ENV: f"{PAUSE_POINT}:1:{paused}"})
    try:
        _wait_for(paused, process)
        assert len(_staging_left(tmp_path)) == 1
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    running = tmp_path / f"{STAGING}other-report-{os.getpid()}-abcd_123"
    running.mkdir()
    build_report(engine, tmp_path / "monthly")
    assert _staging_left(tmp_path) == [running]


def _wait_for(paused: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert process.poll() is None, "report finished before its pause point"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _report(
    db_url: str, out: Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rivalscope", "report", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={
            **os.environ,
            "RIVALSCOPE_DATABASE_URL": db_url,
            "PYTHONWARNINGS": "ignore",
            **(env or {}),
        },
        cwd=cwd,
    )


def _assert_every_run_has_its_files(engine: Engine) -> None:
    with engine.connect() as connection:
        recorded = connection.execute(select(REPORT_RUN.c.id, REPORT_RUN.c.out_dir)).all()
        findings = dict(
            connection.execute(
                select(FINDING.c.report_run_id, func.count()).group_by(FINDING.c.report_run_id)
            ).all()
        )
    for run_id, out_dir in recorded:
        files = Path(out_dir)
        assert all((files / name).is_file() for name in FILES)
        listed = json.loads((files / "findings.json").read_text("utf-8"))
        assert listed["report_id"] == run_id
        assert len(listed["findings"]) == findings.get(run_id, 0)


def test_a_narrower_report_removes_the_earlier_reports_tables_and_keeps_the_users(
    engine: Engine, tmp_path: Path
) -> None:
    """A report filtered to one competitor must not leave the other competitor's tables of the
    previous report beside its own: they would read as part of it."""
    populate(
        engine,
        SyntheticPlan(
            reviews=1500,
            need_share={("Rival A", "timer"): 0.2, ("Rival B", "timer"): 0.2},
        ),
    )
    out = tmp_path / "out"
    build_report(engine, out)
    before = {p.name for p in (out / "tables").glob("*.csv")}
    rival_b = {name for name in before if "rival-b" in name}
    assert rival_b, before  # the full report has Rival B's own tables
    (out / "tables" / "my-notes.csv").write_text("mine\n")
    build_report(engine, out, competitors=["Rival A"])
    after = {p.name for p in (out / "tables").glob("*.csv")}
    assert not after & rival_b
    assert "my-notes.csv" in after
    assert any("rival-a" in name for name in after)

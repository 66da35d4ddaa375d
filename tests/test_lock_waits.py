"""Reading commands and another session's lock on a table they read (PostgreSQL): a bounded
wait and one line saying what to do, not a command that waits without end."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from spiders.file_import import import_file
from storage.db import LOCK_WAIT_ENV, open_database
from tests.cli import run_cli

ROWS = "text,rating,date\nBoils fast and quietly,5,2024-01-02\nThe lid broke quickly,1,2024-02-03\n"


def _collected(url: str, tmp_path: Path) -> None:
    """Our shop's reviews and a competitor's, as ``rivalscope import`` stores them."""
    path = tmp_path / "reviews.csv"
    path.write_text(ROWS, encoding="utf-8")
    engine = open_database(url)
    try:
        import_file(engine, path, company="Ours", own=True, new_company=True)
        import_file(engine, path, company="Rival", new_company=True)
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "command",
    [("export", "reviews", "--out", "out.csv"), ("report", "--out", "out")],
    ids=["export", "report"],
)
def test_a_reading_command_stops_when_another_session_locks_its_table(
    command: tuple[str, ...], pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session holding ``LOCK TABLE review``: export and report waited as long as it held
    it (for ever, for a session left open); they give up after the wait, say why and what to
    do in one line, exit 2, and leave no file."""
    _collected(pg_url, tmp_path)
    monkeypatch.setenv(LOCK_WAIT_ENV, "1")
    locker = create_engine(pg_url)
    try:
        with locker.connect() as session:
            session.execute(text("LOCK TABLE review IN ACCESS EXCLUSIVE MODE"))
            done = run_cli(*command, cwd=tmp_path, db_url=pg_url, timeout=90)
            session.rollback()
    finally:
        locker.dispose()
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    said = " ".join(done.stderr.split())
    assert "another session holds a lock on a table this command reads" in said
    assert f"retry when it has finished, or wait longer with {LOCK_WAIT_ENV}=60" in said
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out").exists()
    # the lock released: the same command runs
    again = run_cli(*command, cwd=tmp_path, db_url=pg_url, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_wait_that_is_no_number_is_refused(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_url).dispose()
    monkeypatch.setenv(LOCK_WAIT_ENV, "soon")
    done = run_cli("runs", cwd=tmp_path, db_url=db_url, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{LOCK_WAIT_ENV} must be a number of seconds above 0, not 'soon'" in done.stderr

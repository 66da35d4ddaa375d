"""Commands and another session's lock on a table they read or write (PostgreSQL's ``LOCK
TABLE``, another SQLite writer): a bounded wait (``RIVALSCOPE_LOCK_WAIT_S`` reading,
``RIVALSCOPE_WRITE_LOCK_WAIT_S`` writing) and one line saying who holds it when that can be
told and what to do, nothing of the given-up transaction kept; not a command that waits
without end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from spiders.file_import import import_file
from storage.db import LOCK_WAIT_ENV, WRITE_LOCK_WAIT_ENV, open_database
from tests.cli import run_cli
from tests.test_merge_copies import _state, _store_twice
from tests.test_review_copies import _api, _layout

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


@contextmanager
def _locked(url: str, statement: str, application: str | None = None) -> Iterator[None]:
    """Another session holding a lock (``statement``) for the block, then letting go."""
    options = {"application_name": application} if application else {}
    locker = create_engine(url, connect_args=options)
    try:
        with locker.connect() as session:
            session.exec_driver_sql(statement)
            yield
            session.rollback()
    finally:
        locker.dispose()


def _said_once(done: object, *phrases: str) -> None:
    """Exit 2 and one line holding each of ``phrases`` (whitespace as wrapped aside)."""
    stderr = getattr(done, "stderr", "")
    assert getattr(done, "returncode", None) == 2, getattr(done, "stdout", "") + stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    said = " ".join(stderr.split())
    for phrase in phrases:
        assert phrase in said, said


def _analyses(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM review_analysis")).scalar())
    finally:
        engine.dispose()


ANALYZE = ("analyze", "--workers", "1", "--no-progress")
WRITER_GAVE_UP = (
    "another session holds a lock on a table this command writes",
    "gave up after 1 s",
    f"retry when it has finished, or wait longer with {WRITE_LOCK_WAIT_ENV}=600",
)


@pytest.mark.postgres
def test_analyze_stops_when_another_session_locks_a_table_it_writes(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forgotten session holding ``LOCK TABLE review_analysis`` (reads allowed): analyze
    waited for ever at its first write; it gives up after RIVALSCOPE_WRITE_LOCK_WAIT_S,
    names the session, and stores no analysis; once the lock is gone it analyses."""
    _collected(pg_url, tmp_path)
    monkeypatch.setenv(WRITE_LOCK_WAIT_ENV, "1")
    statement = "BEGIN; LOCK TABLE review_analysis IN EXCLUSIVE MODE"
    with _locked(pg_url, statement, application="nightly-maintenance"):
        done = run_cli(*ANALYZE, cwd=tmp_path, db_url=pg_url, timeout=120)
    _said_once(done, *WRITER_GAVE_UP, "held by 'nightly-maintenance', server pid")
    assert _analyses(pg_url) == 0
    again = run_cli(*ANALYZE, cwd=tmp_path, db_url=pg_url, timeout=240)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _analyses(pg_url) == 4


def test_analyze_stops_when_another_process_writes_the_sqlite_file(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer holding the SQLite file's write lock (a crawl's run recorded as
    writing): analyze said "database is locked" after SQLite's 30 s; it waits
    RIVALSCOPE_WRITE_LOCK_WAIT_S, says which run writes, and stores nothing."""
    _collected(db_url, tmp_path)
    engine = open_database(db_url)
    try:
        with engine.begin() as connection:  # a crawl of Rival writing (this live process)
            connection.execute(
                text(
                    "UPDATE crawl_run SET status = 'running', pid = :pid, machine = NULL "
                    "WHERE id = (SELECT max(id) FROM crawl_run)"
                ),
                {"pid": os.getpid()},
            )
    finally:
        engine.dispose()
    monkeypatch.setenv(WRITE_LOCK_WAIT_ENV, "1")
    with _locked(db_url, "BEGIN IMMEDIATE"):
        done = run_cli(*ANALYZE, cwd=tmp_path, db_url=db_url, timeout=120)
    _said_once(done, *WRITER_GAVE_UP, "is writing")
    assert _analyses(db_url) == 0


def _stored_twice(url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    engine = open_database(url)
    _store_twice(engine, monkeypatch, [_layout()], [_api()])
    return engine


@pytest.mark.postgres
def test_merge_copies_stops_when_another_session_locks_the_reviews(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``LOCK TABLE review`` held (reads allowed): merge-copies counted the copies, then
    waited for ever to merge them; it gives up, names the session, merges nothing; once
    the lock is gone it merges."""
    engine = _stored_twice(pg_url, monkeypatch)
    try:
        monkeypatch.setenv(WRITE_LOCK_WAIT_ENV, "1")
        with _locked(pg_url, "BEGIN; LOCK TABLE review IN EXCLUSIVE MODE", "psql"):
            done = run_cli("db", "merge-copies", cwd=tmp_path, db_url=pg_url, timeout=120)
        _said_once(done, *WRITER_GAVE_UP, "held by 'psql', server pid")
        assert len(_state(engine)["reviews"]) == 2
        merged = run_cli("db", "merge-copies", cwd=tmp_path, db_url=pg_url, timeout=120)
        assert merged.returncode == 0, merged.stdout + merged.stderr
        assert len(_state(engine)["reviews"]) == 1
    finally:
        engine.dispose()


def test_a_writers_wait_that_is_no_number_is_refused(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_url).dispose()
    monkeypatch.setenv(WRITE_LOCK_WAIT_ENV, "0")
    done = run_cli("db", "merge-copies", cwd=tmp_path, db_url=db_url, timeout=60)
    _said_once(done, f"{WRITE_LOCK_WAIT_ENV} must be a number of seconds above 0, not '0'")

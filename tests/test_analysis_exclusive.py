"""The analysis lock on SQLite (flock) and PostgreSQL (advisory lock): a second holder waits
until the first lets go."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine

from compare.analysis.exclusive import exclusive_analysis
from storage.dialects import dialect_of


def _second_waits_for_first(url: str, second_bound_s: float | None = None) -> None:
    """``second_bound_s``: the second's statements wait at most that for other locks (as
    ``rivalscope analyze``'s do), which its wait for the analysis lock ignores."""
    first_engine, second_engine = create_engine(url), create_engine(url)
    if second_bound_s is not None:
        dialect_of(second_engine).bound_lock_waits(second_engine, second_bound_s)
    events: list[str] = []

    def second() -> None:
        with exclusive_analysis(second_engine, on_wait=lambda _: events.append("waiting")):
            events.append("second holds")

    try:
        with exclusive_analysis(first_engine):
            thread = threading.Thread(target=second)
            thread.start()
            time.sleep(0.5)
            assert events == ["waiting"]
            events.append("first lets go")
        thread.join(timeout=30)
        assert events == ["waiting", "first lets go", "second holds"]
        with exclusive_analysis(first_engine, on_wait=lambda _: events.append("again")):
            pass
        assert "again" not in events  # free once both are done
    finally:
        first_engine.dispose()
        second_engine.dispose()


def test_sqlite_second_analysis_waits(db_url: str) -> None:
    _second_waits_for_first(db_url)


@pytest.mark.postgres
def test_postgres_second_analysis_waits(pg_url: str) -> None:
    _second_waits_for_first(pg_url)


@pytest.mark.postgres
def test_postgres_second_analysis_waits_past_the_writers_lock_wait(pg_url: str) -> None:
    """A writing command's lock waits are bounded (``RIVALSCOPE_WRITE_LOCK_WAIT_S``); its
    wait for another analyze is not: that one is said on stderr and ends with it."""
    _second_waits_for_first(pg_url, second_bound_s=0.01)

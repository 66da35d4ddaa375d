"""The analysis lock on SQLite (flock) and PostgreSQL (advisory lock): a second holder waits
until the first lets go."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine

from compare.analysis.exclusive import exclusive_analysis


def _second_waits_for_first(url: str) -> None:
    first_engine, second_engine = create_engine(url), create_engine(url)
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

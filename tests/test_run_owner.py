"""A crawl run's owner is judged where its process id means something: with one database
shared by several machines (PostgreSQL), a crawl running on another machine was taken for a
dead one (its process id is no process here), shown ``interrupted``, and a second crawl of
the source started beside it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import CrawlRun, as_utc, utcnow
from storage.run_history import shown_status
from storage.run_owner import SILENT_AFTER, booted_at, owner_alive, this_machine
from storage.writer import CollectError, CollectWriter
from tests.cli import run_cli

NO_SUCH_PID = 2**22 + 12345
OTHER = "other-machine/0b6c1c4e-0000-4000-8000-000000000000"


def _here_other_boot() -> str:
    return this_machine().split("/", 1)[0] + "/not-this-boot"


@pytest.mark.parametrize(
    ("pid", "machine", "silent_for", "alive"),
    [
        (None, None, None, False),  # no process recorded
        (os.getpid(), None, None, True),  # recorded before machines were: by process id
        (NO_SUCH_PID, None, None, False),
        (os.getpid(), "this", timedelta(hours=1), True),  # here: the process id decides
        (NO_SUCH_PID, "this", timedelta(0), False),
        (NO_SUCH_PID, OTHER, timedelta(seconds=2), True),  # elsewhere: its sign of life
        (os.getpid(), OTHER, SILENT_AFTER + timedelta(seconds=1), False),
        (NO_SUCH_PID, OTHER, None, False),
        (os.getpid(), "earlier boot", "before boot", False),  # died with that boot
        (NO_SUCH_PID, "earlier boot", timedelta(seconds=2), True),  # a namesake, alive
    ],
)
def test_owner_alive(
    pid: int | None, machine: str | None, silent_for: timedelta | str | None, alive: bool
) -> None:
    if machine == "this":
        machine = this_machine()
    elif machine == "earlier boot":
        machine = _here_other_boot()
    if silent_for == "before boot":
        alive_at = booted_at() - timedelta(minutes=1)
    else:
        alive_at = utcnow() - silent_for if isinstance(silent_for, timedelta) else None
    run = CrawlRun(source_id=1, pid=pid, machine=machine, alive_at=alive_at)
    assert owner_alive(run) is alive


def _other_machines_run(engine: Engine, silent_for: timedelta) -> int:
    """A run of source "s" that a process on another machine owns (its last sign of life
    ``silent_for`` ago)."""
    first = CollectWriter(engine, company="Rival", source="s")
    run_id = first.start_run()
    with Session(engine) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        run.pid, run.machine, run.alive_at = NO_SUCH_PID, OTHER, utcnow() - silent_for
        session.add(run)
        session.commit()
    return run_id


def _status(engine: Engine, run_id: int) -> str:
    with Session(engine) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        return run.status


def _exercise(engine: Engine) -> None:
    live = _other_machines_run(engine, timedelta(seconds=3))
    with pytest.raises(CollectError, match=f"process {NO_SUCH_PID} on other-machine"):
        CollectWriter(engine, company="Rival", source="s").start_run()
    assert _status(engine, live) == "running"
    with Session(engine) as session:
        run = session.get(CrawlRun, live)
        assert run is not None
        status, where = shown_status(run)
        assert status == "running" and where is not None
        assert where.startswith("on other-machine, last sign of life "), where
        # The other machine goes silent (killed, unplugged): its run is dead.
        run.alive_at = utcnow() - SILENT_AFTER - timedelta(seconds=5)
        session.add(run)
        session.commit()
        session.refresh(run)
        assert shown_status(run)[0] == "interrupted"
    writer = CollectWriter(engine, company="Rival", source="s")
    mine = writer.start_run()
    assert _status(engine, live) == "interrupted"
    with Session(engine) as session:
        run = session.get(CrawlRun, mine)
        assert run is not None
        assert (run.pid, run.machine) == (os.getpid(), this_machine())
        run.alive_at = utcnow() - timedelta(hours=1)
        session.add(run)
        session.commit()
    writer.write([], [])  # a batch written is a sign of life
    with Session(engine) as session:
        alive_at = session.exec(select(CrawlRun.alive_at).where(CrawlRun.id == mine)).one()
    assert alive_at is not None and as_utc(alive_at) > utcnow() - timedelta(minutes=1)


def test_another_machines_crawl_is_not_taken_for_dead_sqlite(engine: Engine) -> None:
    _exercise(engine)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = open_database(pg_url)
    yield engine
    engine.dispose()


def test_another_machines_crawl_is_not_taken_for_dead_postgresql(pg_engine: Engine) -> None:
    _exercise(pg_engine)


def test_runs_shows_another_machines_crawl_running(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = open_database(url)
    _other_machines_run(engine, timedelta(seconds=3))
    engine.dispose()
    done = run_cli("runs", cwd=tmp_path, db_url=url)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "running" in done.stdout and "interrupted" not in done.stdout, done.stdout
    assert "on other-machine" in done.stdout, done.stdout

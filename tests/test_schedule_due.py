"""The scheduler's "due" rule and its database lease (no crawls: fast)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rivalscope.scheduler import lease
from rivalscope.scheduler.due import is_due, next_due, next_fire, retry_at
from rivalscope.scheduler.service import Scheduler
from settings.targets import load_targets

T = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cron", "last", "now", "due"),
    [
        ("0 4 * * *", None, T, True),  # never ran
        ("0 4 * * *", T.replace(hour=4, minute=1), T, False),  # ran after today's 04:00
        ("0 4 * * *", T - timedelta(days=1), T, True),  # today's 04:00 passed since
        ("0 4 * * *", T - timedelta(days=9), T, True),  # many missed: due (once)
        ("*/15 * * * *", T - timedelta(minutes=14), T, True),  # 12:00 fired
        ("*/15 * * * *", T, T + timedelta(minutes=14, seconds=59), False),
        ("*/15 * * * *", T, T + timedelta(minutes=15), True),  # exactly at the fire time
        ("0 4 * * *", datetime(2026, 3, 10, 3, 0), T, True),  # naive = UTC
    ],
)
def test_is_due(cron: str, last: datetime | None, now: datetime, due: bool) -> None:
    assert is_due(cron, last, now) is due


def test_missed_runs_are_made_up_once() -> None:
    last = T - timedelta(days=9)
    assert is_due("0 4 * * *", last, T)
    # The make-up run starts at T: the next one is tomorrow 04:00, not the other 8 missed.
    assert not is_due("0 4 * * *", T, T + timedelta(hours=15))
    assert next_due("0 4 * * *", T, T) == datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    assert next_fire("30 4 * * *", T) == datetime(2026, 3, 11, 4, 30, tzinfo=UTC)


def test_lease_is_exclusive_until_released_or_expired(engine: Engine) -> None:
    hold = timedelta(minutes=10)
    assert lease.try_acquire(engine, "shop", "a:1", T, hold)
    assert lease.try_acquire(engine, "shop", "a:1", T, hold)  # re-entrant for its owner
    assert not lease.try_acquire(engine, "shop", "b:2", T + timedelta(minutes=9), hold)
    assert lease.try_acquire(engine, "other", "b:2", T, hold)  # per source
    # A holder that died (never released) loses the lease when it expires.
    assert lease.try_acquire(engine, "shop", "b:2", T + timedelta(minutes=11), hold)
    lease.release(engine, "shop", "b:2", outcome="finished", now=T)
    assert lease.try_acquire(engine, "shop", "c:3", T, hold)
    state = lease.load_states(engine)["shop"]
    assert state.last_outcome == "finished" and state.lease_owner == "c:3"


def test_record_start_is_what_due_reads(engine: Engine) -> None:
    lease.try_acquire(engine, "shop", "a:1", T, timedelta(minutes=1))
    lease.record_start(engine, "shop", T)
    stored = lease.load_states(engine)["shop"].last_started_at
    assert stored is not None
    assert not is_due("0 4 * * *", stored, T + timedelta(hours=1))


@pytest.mark.parametrize(
    ("cron", "last", "text"),
    [
        (None, None, "-"),
        ("0 4 * * *", None, "due now (not yet run by the scheduler)"),
        ("0 4 * * *", T - timedelta(days=1), "due now (a run was missed)"),
        ("0 4 * * *", T.replace(hour=4, minute=1), "2026-03-11 04:00"),
    ],
)
def test_targets_status_says_due_now_instead_of_the_current_minute(
    cron: str | None, last: datetime | None, text: str
) -> None:
    """Before, a due source showed the current minute ("2026-03-10 12:00"), which reads as a
    fire time of its cron expression."""
    from rivalscope.commands.targets import next_scheduled_text

    assert next_scheduled_text(cron, last, T) == text


# A crawl that did not finish is tried again before its next fire time, each wait twice the
# one before (at most a day): a weekly source whose site was down for an hour stayed a week
# out of date (found by qa-walk4).
MONDAY = datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # "0 4 * * 1" fires here
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("cron", "started", "retry"),
    [
        ("0 4 * * 1", MONDAY, MONDAY + HOUR),
        ("0 4 * * 1", MONDAY + HOUR, MONDAY + 3 * HOUR),
        ("0 4 * * 1", MONDAY + 3 * HOUR, MONDAY + 7 * HOUR),
        ("0 4 * * 1", MONDAY + 15 * HOUR, MONDAY + 31 * HOUR),
        ("0 4 * * 1", MONDAY + 31 * HOUR, MONDAY + 55 * HOUR),  # at most a day
        # a first run started days after a fire time waits a day, not days
        ("0 4 * * 1", MONDAY + timedelta(days=3), MONDAY + timedelta(days=4)),
        ("0 4 * * 1", MONDAY + timedelta(days=6, hours=5), None),  # the schedule comes first
        ("0 4 * * *", MONDAY + 15 * HOUR, None),
        ("0 4 * * *", MONDAY + 3 * HOUR, MONDAY + 7 * HOUR),
    ],
)
def test_retry_at_doubles_its_wait_until_the_next_fire_time(
    cron: str, started: datetime, retry: datetime | None
) -> None:
    assert retry_at(cron, started, HOUR) == retry


def _scheduler(tmp_path: Path, engine: Engine, retry_seconds: float | None = None) -> Scheduler:
    settings = "" if retry_seconds is None else f"retry_failed_seconds = {retry_seconds}\n"
    path = tmp_path / "targets.toml"
    path.write_text(
        f"[schedule]\n{settings}"
        '[[company]]\nname = "Kawa"\n[[company.source]]\nname = "kawa-shop"\n'
        'start_urls = ["http://127.0.0.1:9/"]\nschedule = "0 4 * * 1"\n',
        encoding="utf-8",
    )
    return Scheduler(load_targets(path), path, "sqlite://", engine, owner="me:1")


def _ended(engine: Engine, started: datetime, outcome: str) -> None:
    assert lease.try_acquire(engine, "kawa-shop", "me:1", started, HOUR)
    lease.record_start(engine, "kawa-shop", started)
    lease.release(engine, "kawa-shop", "me:1", outcome=outcome, now=started + HOUR / 6)


@pytest.mark.parametrize(
    ("outcome", "retry_seconds", "due_at"),
    [
        ("failed", None, MONDAY + HOUR),
        ("timeout", None, MONDAY + HOUR),
        ("interrupted", 600, MONDAY + timedelta(minutes=10)),
        ("failed", 0, MONDAY + timedelta(days=7)),  # retries off: the next scheduled run
        ("finished", None, MONDAY + timedelta(days=7)),
        ("refused", None, MONDAY + timedelta(days=7)),
    ],
)
def test_a_crawl_that_did_not_finish_is_due_again_soon(
    tmp_path: Path, engine: Engine, outcome: str, retry_seconds: float | None, due_at: datetime
) -> None:
    scheduler = _scheduler(tmp_path, engine, retry_seconds)
    _ended(engine, MONDAY, outcome)
    assert scheduler.due_sources(due_at - timedelta(seconds=1)) == []
    assert [s.name for s in scheduler.due_sources(due_at)] == ["kawa-shop"]
    assert scheduler.next_wakeup(MONDAY + timedelta(minutes=5)) == due_at


def test_one_scheduler_at_a_time_runs_the_follow_ups(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two schedulers on one database wrote two reports into one folder at the same moment
    (found by qa-walk4): the second waits for the first's follow-ups, then runs its own."""
    import threading

    from rivalscope.scheduler import service

    monkeypatch.setattr(service, "FOLLOWUPS_POLL_S", 0.05)
    scheduler = _scheduler(tmp_path, engine)
    now = datetime.now(UTC)  # the scheduler's clock
    assert lease.try_acquire(engine, service.FOLLOWUPS_LEASE, "other:9", now, HOUR)
    waiting = threading.Thread(target=scheduler._followups, args=("after the crawls",))
    waiting.start()
    waiting.join(timeout=1)
    assert waiting.is_alive() and scheduler.followups_done is None  # held by the other
    lease.release(engine, service.FOLLOWUPS_LEASE, "other:9", outcome=None, now=now)
    waiting.join(timeout=120)
    assert not waiting.is_alive()
    assert scheduler.followups_done is not None
    assert scheduler.followups_done.startswith("after the crawls: ")
    # ... and gave the lease back
    assert lease.try_acquire(engine, service.FOLLOWUPS_LEASE, "other:9", now, HOUR)


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_lease_of_a_killed_scheduler_of_this_host_is_free_at_once(engine: Engine) -> None:
    """A scheduler killed with ``kill -9`` mid-crawl and restarted refused the sources it was
    crawling ("another scheduler is crawling it") until the lease expired, 21 minutes with
    the demo's limits, and waited 2 hours for the follow-ups' lease (found by user-audit3)."""
    import os
    import socket

    from rivalscope.scheduler import service

    here = socket.gethostname()
    dead = f"{here}:{_dead_pid()}"
    for name in ("shop", service.FOLLOWUPS_LEASE):
        assert lease.try_acquire(engine, name, dead, T, HOUR)
        assert lease.try_acquire(engine, name, f"{here}:{os.getpid()}", T, HOUR)
    # a live process of this host, or any of another host, keeps its lease until it expires
    assert not lease.try_acquire(engine, "shop", "elsewhere:2", T, HOUR)
    live = f"{here}:{os.getppid()}"
    assert lease.try_acquire(engine, "other", live, T, HOUR)
    assert not lease.try_acquire(engine, "other", "elsewhere:2", T, HOUR)
    assert lease.try_acquire(engine, "far", f"elsewhere:{_dead_pid()}", T, HOUR)
    assert not lease.try_acquire(engine, "far", f"{here}:{os.getpid()}", T, HOUR)

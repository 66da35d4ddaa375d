"""The scheduler's "due" rule and its database lease (no crawls: fast)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from rivalscope.scheduler import lease
from rivalscope.scheduler.due import is_due, next_due, next_fire

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

"""When a source's crawl is due. Pure; all times are timezone-aware UTC.

A source with a cron ``schedule`` is **due** at ``now`` when it never ran under the
scheduler, or when the first fire time of its cron expression after its last recorded
start is at or before ``now``. Missed runs: however many fire times passed while no
scheduler was running, the source is due once, and after that run (whose start is
recorded) the next fire time lies in the future again: "run once at start if a run was
missed while down, never more than once".

A crawl that did not finish (failed, timed out, interrupted) is **retried** before its next
fire time (``retry_at``): a weekly source whose site was down for an hour would otherwise
stay a week out of date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from croniter import croniter

from storage.models import as_utc


def next_fire(cron: str, after: datetime) -> datetime:
    """The first fire time of ``cron`` (UTC) strictly after ``after``."""
    fire: datetime = croniter(cron, as_utc(after)).get_next(datetime)
    return as_utc(fire)


def is_due(cron: str, last_started: datetime | None, now: datetime) -> bool:
    """See the module docstring."""
    return last_started is None or next_fire(cron, last_started) <= as_utc(now)


def next_due(cron: str, last_started: datetime | None, now: datetime) -> datetime:
    """When the source is due next (``now`` if it is due already)."""
    if is_due(cron, last_started, now):
        return as_utc(now)
    assert last_started is not None
    return next_fire(cron, last_started)


RETRIED_OUTCOMES = frozenset({"failed", "timeout", "interrupted"})
"""Outcomes of a scheduled crawl tried again before its next fire time."""
MAX_RETRY_WAIT = timedelta(days=1)


def retry_at(cron: str, last_started: datetime, first_wait: timedelta) -> datetime | None:
    """When a crawl that started at ``last_started`` and did not finish is tried again, or
    None if that is not before the next fire time (the schedule's own run comes first).

    The wait doubles from ``first_wait`` with each attempt, at most ``MAX_RETRY_WAIT``:
    stateless, since attempt k starts (2^k - 1) waits after the fire time it belongs to, the
    next starts ``elapsed + first_wait`` after it (1 h, 2 h, 4 h ... after a fire time, for a
    first wait of an hour). A dead site is asked a few times a day, not every round."""
    started = as_utc(last_started)
    fired: datetime = as_utc(
        croniter(cron, started + timedelta(seconds=1)).get_prev(datetime)
    )  # the fire time at or before the start
    wait = min(max(started - fired + first_wait, first_wait), MAX_RETRY_WAIT)
    at = started + wait
    return at if at < next_fire(cron, started) else None

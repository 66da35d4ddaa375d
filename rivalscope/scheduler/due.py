"""When a source's crawl is due. Pure; all times are timezone-aware UTC.

A source with a cron ``schedule`` is **due** at ``now`` when it never ran under the
scheduler, or when the first fire time of its cron expression after its last recorded
start is at or before ``now``. Missed runs: however many fire times passed while no
scheduler was running, the source is due once, and after that run (whose start is
recorded) the next fire time lies in the future again: "run once at start if a run was
missed while down, never more than once".
"""

from __future__ import annotations

from datetime import datetime

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

"""``--since`` in the future, refused alike by ``report`` and ``export``.

A stored date runs at most ``REVIEW_DAYS_AHEAD`` ahead of UTC's today, so a later
``--since`` can match no row: ``report`` refused it while ``export`` wrote an empty file
(exit 0).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

REVIEW_DAYS_AHEAD = timedelta(days=1)
"""How far a stored review's date may run ahead of today in UTC: it is the reviewer's own
calendar day (UTC+14 is a day ahead of UTC), and the crawl's and the import's check
(``review_problem``) lets dates up to a day after UTC's today through."""


def latest_review_day(now: datetime | None = None) -> date:
    """The most recent date a stored review can carry at ``now`` (default: the clock), by
    UTC's calendar as every stored date and time is, never the machine's local one."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(UTC).date() + REVIEW_DAYS_AHEAD


def future_since(since: date | None, now: datetime | None = None) -> str | None:
    """The error for a ``--since`` no stored row can be as recent as, else None."""
    if since is not None and since > latest_review_day(now):
        return f"--since {since} is in the future: no review is that recent"
    return None

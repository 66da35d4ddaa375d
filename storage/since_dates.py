"""``--since`` in the future, refused alike by ``report`` and ``export``.

A stored date runs at most ``STORED_DAYS_AHEAD`` ahead of UTC's today, so a later
``--since`` can match no row: ``report`` refused it while ``export`` wrote an empty file
(exit 0).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

STORED_DAYS_AHEAD = timedelta(days=1)
"""How far a stored date may run ahead of UTC's today (a review's) or now (an imported
offer's observation): a review's date is the reviewer's own calendar day (UTC+14 is a day
ahead of UTC). The crawl's and the import's checks (``spiders.pipelines.validate``) drop
what runs further ahead, and ``future_since`` refuses a ``--since`` after it."""


def latest_review_day(now: datetime | None = None) -> date:
    """The most recent date a stored review can carry at ``now`` (default: the clock), by
    UTC's calendar as every stored date and time is, never the machine's local one."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(UTC).date() + STORED_DAYS_AHEAD


def future_since(
    since: date | None, now: datetime | None = None, rows: str = "review"
) -> str | None:
    """The error for a ``--since`` no stored row can be as recent as, else None; ``rows``
    names what is read ("offer", "finding"): "no offer is that recent"."""
    if since is not None and since > latest_review_day(now):
        return f"--since {since} is in the future: no {rows} is that recent"
    return None

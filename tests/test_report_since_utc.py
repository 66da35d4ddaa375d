"""``report --since`` is "in the future" by UTC's calendar (every stored date and time is
UTC's; a review's date may be a day ahead, its reviewer's own), never the machine's local
day: a machine at UTC-12 must not refuse today's reviews, nor one at UTC+14 accept a day
no review can carry yet."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, update

from compare.report.report_error import ReportError
from compare.report.report_scope import resolve_scope
from compare.report.synthetic import SyntheticPlan, add_review, populate
from storage.schema import metadata

REVIEW = metadata.tables["review"]
# On 5 October (UTC): the latest --since taken (a reviewer's calendar a day ahead), the first
# refused.
DAYS = (date(2026, 10, 6), date(2026, 10, 7))


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone 12 hours behind UTC (its calendar day is never ahead
    of UTC's, and behind it half of each day)."""
    monkeypatch.setenv("TZ", "Etc/GMT+12")  # POSIX sign: UTC-12
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _dated(engine: Engine, day: date) -> None:
    """A rival's review published on ``day``."""
    ids = populate(engine, SyntheticPlan(reviews=5, competitors=("Rival A",)))
    add_review(engine, ids["Rival A"], "Fast delivery.", "delivery", "positive", 900_001)
    with engine.begin() as connection:
        connection.execute(update(REVIEW).where(REVIEW.c.id == 900_001).values(published=day))


def _since(engine: Engine, since: date, now: datetime | None = None) -> None:
    with engine.connect() as connection:
        resolve_scope(connection, None, since, None, 1, **({"now": now} if now else {}))


def test_since_is_in_the_future_by_utc_not_by_the_local_day(
    engine: Engine, far_from_utc: None
) -> None:
    latest = datetime.now(UTC).date() + timedelta(days=1)  # storable: the reviewer's calendar
    _dated(engine, latest)
    _since(engine, latest)  # was refused: "in the future" of the local day, a day behind
    with pytest.raises(ReportError, match="is in the future"):
        _since(engine, latest + timedelta(days=1))


@pytest.mark.parametrize(
    ("now", "accepted", "refused"),
    [
        # (the clock, latest --since taken, first --since refused)
        (datetime(2026, 10, 5, 6, 0, tzinfo=UTC), *DAYS),
        (datetime(2026, 10, 5, 23, 59, tzinfo=UTC), *DAYS),
        # the same UTC day read on clocks of other zones: local 4 and 6 October
        (datetime(2026, 10, 4, 23, 30, tzinfo=timezone(timedelta(hours=-10))), *DAYS),
        (datetime(2026, 10, 6, 8, 0, tzinfo=timezone(timedelta(hours=14))), *DAYS),
    ],
)
def test_since_against_an_injected_clock(
    engine: Engine, now: datetime, accepted: date, refused: date
) -> None:
    _dated(engine, accepted)
    _since(engine, accepted, now)
    with pytest.raises(ReportError, match=f"--since {refused} is in the future"):
        _since(engine, refused, now)

"""Business alerts: price changes and sentiment moves, sent once, none below the minimum."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from rivalscope.alerts import check_alerts, price_alerts, sentiment_moves
from settings.records import OfferItem
from settings.schedule import AlertSettings, HealthSettings
from storage.writer import CollectWriter


@pytest.mark.parametrize(
    ("old", "new", "moves"),
    [
        ({"A|delivery": {"net": 0.2, "n": 40}}, {"A|delivery": {"net": -0.1, "n": 50}}, 1),
        ({"A|delivery": {"net": 0.2, "n": 40}}, {"A|delivery": {"net": 0.1, "n": 50}}, 0),
        ({"A|delivery": {"net": 0.2, "n": 10}}, {"A|delivery": {"net": -0.5, "n": 50}}, 0),
        ({"A|delivery": {"net": 0.2, "n": 40}}, {"B|delivery": {"net": -0.5, "n": 50}}, 0),
        ({"A|price": {"net": "x", "n": 40}}, {"A|price": {"net": -0.5, "n": 50}}, 0),
    ],
)
def test_sentiment_moves_need_points_and_sample(
    old: dict[str, Any], new: dict[str, Any], moves: int
) -> None:
    assert len(sentiment_moves(old, new, points=15, min_reviews=30)) == moves


def _observe(engine: Engine, company: str, price: str, day: int, own: bool = False) -> None:
    writer = CollectWriter(engine, company=company, source=f"{company}-shop", own=own)
    offer = OfferItem(
        name="Kettle", sku="K1", price=price, currency="EUR",
        observed_at=datetime(2026, 3, day, tzinfo=UTC),
    )  # fmt: skip
    writer.write([offer], [])


def test_price_alerts_on_competitor_changes_once(engine: Engine) -> None:
    _observe(engine, "Rival", "100.00", 1)
    _observe(engine, "Rival", "88.00", 2)  # -12 %
    _observe(engine, "Own", "100.00", 1, own=True)
    _observe(engine, "Own", "50.00", 2, own=True)  # own prices are not alerts
    settings = AlertSettings(price_change_pct=10)
    notices = price_alerts(engine, settings)
    # the company once: "price change at Rival: Rival: Kettle ..." repeated it
    assert [f"{n.title}: {n.message}" for n in notices] == [
        "price change at Rival: Kettle down 12.0% (100.00 -> 88.00 EUR)"
    ]
    assert price_alerts(engine, AlertSettings(price_change_pct=15)) == []
    assert check_alerts(engine, settings, HealthSettings()) == 1
    assert check_alerts(engine, settings, HealthSettings()) == 0  # sent once


def test_sentiment_alerts_compare_reports_over_the_same_dates(engine: Engine) -> None:
    """A report by hand over one month, between two whole-history reports of the scheduler,
    was compared with each of them: a 70-point "move" each way, two false alerts."""
    from datetime import date

    from compare.report.stored_tables import REPORT_RUN
    from rivalscope.alerts import sentiment_alerts

    def report(since: date | None, net: float) -> None:
        with engine.begin() as connection:
            connection.execute(
                REPORT_RUN.insert().values(
                    created_at=datetime.now(UTC), out_dir="/tmp/r", since=since, until=None,
                    min_sample=20, competitors=["Rival"], reviews=100,
                    snapshot={"Rival|delivery": {"net": net, "n": 40}},
                )
            )  # fmt: skip

    settings = AlertSettings(net_sentiment_points=15)
    report(None, 0.2)
    report(date(2026, 11, 1), -0.5)  # one month's reviews only
    assert sentiment_alerts(engine, settings) == []  # no earlier report over that month
    report(None, 0.25)
    assert sentiment_alerts(engine, settings) == []  # +5 points since the last whole one
    report(None, -0.1)
    (notice,) = sentiment_alerts(engine, settings)
    assert f"{notice.title}: {notice.message}".startswith(
        "sentiment change at Rival: net sentiment on delivery down 35 points (+25 -> -10"
    )

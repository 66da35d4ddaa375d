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
    assert [n.message for n in notices] == ["Rival: Kettle down 12.0% (100.00 -> 88.00 EUR)"]
    assert price_alerts(engine, AlertSettings(price_change_pct=15)) == []
    assert check_alerts(engine, settings, HealthSettings()) == 1
    assert check_alerts(engine, settings, HealthSettings()) == 0  # sent once

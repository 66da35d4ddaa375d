"""A competitor's price index move since the previous report: the report said how each
aspect's sentiment moved since then but not that a competitor had cut its prices."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import Engine, select

from compare.report.build import build_report
from compare.report.synthetic import SyntheticPlan, populate
from storage.schema import metadata


def _cut_prices(engine: Engine, company_id: int, factor: float) -> None:
    """A newer observation of each of the company's products at ``factor`` its price."""
    offer, product = metadata.tables["offer_observation"], metadata.tables["product"]
    later = datetime.now(UTC) + timedelta(seconds=1)
    with engine.begin() as connection:
        rows = connection.execute(
            select(offer.c.product_id, offer.c.source_id, offer.c.price_value)
            .join(product, product.c.id == offer.c.product_id)
            .where(product.c.company_id == company_id)
        ).all()
        connection.execute(
            offer.insert(),
            [
                {"product_id": p, "source_id": s, "observed_at": later, "currency": "EUR",
                 "price_value": v * factor, "price": f"{v * factor:.2f}"}
                for p, s, v in rows
            ],
        )  # fmt: skip


def test_a_price_index_move_is_listed_since_the_previous_report(
    engine: Engine, tmp_path: Path
) -> None:
    ids = populate(engine, SyntheticPlan(reviews=300))
    build_report(engine, tmp_path / "first")
    _cut_prices(engine, ids["Rival A"], 0.8)
    build_report(engine, tmp_path / "second")
    with (tmp_path / "second" / "tables" / "trends-price_index_changes.csv").open(
        encoding="utf-8"
    ) as handle:
        rows = {row["competitor"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"Rival A", "Rival B"}
    cut = rows["Rival A"]
    assert round(float(cut["before"]), 2) == 1.3 and round(float(cut["after"]), 2) == 1.04
    assert round(float(cut["change"]), 2) == -0.2 and cut["pairs"] == "4 / 4"
    assert float(rows["Rival B"]["change"]) == 0
    summary = (tmp_path / "second" / "summary.md").read_text("utf-8")
    assert "Rival A's price index: 1.30 → 1.04" in summary
    assert "Rival B's price index" not in summary  # unchanged
    page = (tmp_path / "second" / "report.html").read_text("utf-8")
    section = BeautifulSoup(page, "html.parser").find("section", id="trends")
    assert section is not None and "Price indices since the previous report" in section.get_text()

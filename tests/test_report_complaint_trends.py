"""The complaint share per competitor, aspect and month in the report's trends: "is their
delivery complaint share rising?" took ``export opinions`` and a spreadsheet. Each company
and aspect with enough opinions shows its months with counts, and the last full month is
tested against the three before it (a month the report ends within is shown, not tested)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import Engine, text

from compare.report.build import build_report
from compare.report.complaint_trends import AspectMonth, complaint_trends, months_up_to
from compare.report.synthetic import SyntheticPlan, populate
from storage.db import open_database

MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04")


def _rising_delivery_complaints(engine: Engine) -> None:
    """Reviews spread over January to April 2025 (by id), and Rival A's April delivery
    opinions all complaints: its delivery complaint share rises from about 30 % to 100 %."""
    populate(engine, SyntheticPlan(reviews=2400))
    with engine.begin() as connection:
        for table, review_id in (
            ("review", "id"),
            ("review_analysis", "review_id"),
            ("aspect_mention", "review_id"),
        ):
            for i, month in enumerate(MONTHS):
                connection.execute(
                    text(f"UPDATE {table} SET published = :day WHERE {review_id} % 4 = {i}"),
                    {"day": date.fromisoformat(f"{month}-05")},
                )
        connection.execute(
            text(
                "UPDATE aspect_mention SET label = 'negative' WHERE aspect = 'delivery' "
                "AND review_id % 4 = 3 AND company_id = "
                "(SELECT id FROM company WHERE name = 'Rival A')"
            )
        )


def _complaint_rows(out: Path) -> list[dict[str, str]]:
    with (out / "tables" / "trends-complaint_share.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _check_rising_delivery(engine: Engine, out: Path) -> None:
    _rising_delivery_complaints(engine)
    build_report(engine, out, until=date(2025, 4, 30))
    rows = {(r["company"], r["aspect"]): r for r in _complaint_rows(out)}
    rising = rows[("Rival A", "delivery")]
    assert rising["change_significant"] == "True"
    assert float(rising["2025-04"]) == 1.0 and float(rising["2025-03"]) < 0.5
    assert float(rising["change_low"]) > 0
    others = [r for key, r in rows.items() if key != ("Rival A", "delivery")]
    assert others and all(r["change_significant"] == "False" for r in others)
    page = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    section = page.find("section", id="trends")
    assert isinstance(section, Tag)
    headers = [th.get_text(" ", strip=True) for th in section.find_all("th")]
    assert "change: 2025-04 against 2025-01 to 2025-03 (percentage points)" in headers
    shown = " ".join(section.get_text(" ").split())
    april = int(rising["latest_opinions"])
    assert f"100% ({april}/{april})" in shown  # the share with its counts
    summary = (out / "summary.md").read_text("utf-8")
    assert "Rival A on delivery: complaint share" in summary
    assert "(2025-01 to 2025-03) → 100% (2025-04)" in summary


def test_a_rising_complaint_share_is_shown_and_tested(engine: Engine, tmp_path: Path) -> None:
    _check_rising_delivery(engine, tmp_path / "out")


@pytest.mark.postgres
def test_a_rising_complaint_share_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    engine = open_database(pg_url)
    try:
        _check_rising_delivery(engine, tmp_path / "out")
    finally:
        engine.dispose()


def test_the_month_a_report_ends_within_is_shown_not_tested(engine: Engine, tmp_path: Path) -> None:
    """Ten days of April against whole months would test a part month: March is the last
    full month, so the April rise is shown but nothing is called significant."""
    _rising_delivery_complaints(engine)
    build_report(engine, tmp_path / "out", until=date(2025, 4, 10))
    rows = _complaint_rows(tmp_path / "out")
    assert rows and all(r["change_significant"] == "False" for r in rows)
    rising = next(r for r in rows if (r["company"], r["aspect"]) == ("Rival A", "delivery"))
    assert float(rising["2025-04"]) == 1.0
    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    text_shown = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
    assert "change: 2025-03 against 2024-12 to 2025-02 (percentage points)" in text_shown
    assert "2025-04 is counted to 2025-04-10, part of a month: shown, not tested." in text_shown


def test_companies_and_aspects_without_enough_opinions_are_left_out(
    engine: Engine, tmp_path: Path
) -> None:
    _rising_delivery_complaints(engine)
    build_report(engine, tmp_path / "out", until=date(2025, 4, 30), min_sample=100)
    assert _complaint_rows(tmp_path / "out") == []
    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "15 fell short" in " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())


def _months(company_id: int, counts: dict[str, tuple[int, int]]) -> list[AspectMonth]:
    """(negative, positive) per month for one company's delivery opinions."""
    return [
        AspectMonth(company_id, "delivery", month, positive, negative)
        for month, (negative, positive) in counts.items()
    ]


@pytest.mark.parametrize(
    ("counts", "tested", "significant"),
    [
        # 30 % before, 30 % in the last month: tested, no change.
        ({"2025-01": (6, 14), "2025-02": (6, 14), "2025-03": (6, 14), "2025-04": (6, 14)},
         True, False),
        # 30 % before, 80 %: a rise.
        ({"2025-01": (6, 14), "2025-02": (6, 14), "2025-03": (6, 14), "2025-04": (16, 4)},
         True, True),
        # The same rise on 10 opinions in the last month: too few to test.
        ({"2025-01": (6, 14), "2025-02": (6, 14), "2025-03": (6, 14), "2025-04": (8, 2)},
         False, False),
        # Opinions only long before the baseline quarter: nothing to test against.
        ({"2024-06": (30, 70), "2025-04": (16, 4)}, False, False),
    ],
)  # fmt: skip
def test_which_company_and_aspect_is_tested(
    counts: dict[str, tuple[int, int]], tested: bool, significant: bool
) -> None:
    result = complaint_trends(_months(1, counts), "2025-04", min_sample=20)
    assert bool(result.trends) is tested
    assert result.untested == (0 if tested else 1)
    assert any(t.significant for t in result.trends) is significant


def test_months_up_to_crosses_a_year() -> None:
    assert months_up_to("2026-02", 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]

"""The report as a reader sees it: opportunities and threats apart, one unit per column,
merged findings, honest significance, quotes linked to their pages, a heading per table,
a banner for unanalysed reviews; summary.md and tables/*.csv from the same sections."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from sqlalchemy import Engine, text

from compare.report.aspects import Segment
from compare.report.build import build_report
from compare.report.finding_groups import group_findings, opportunities, threats
from compare.report.findings import Finding
from compare.report.numbers import interval_text, score_text
from compare.report.section_registry import SECTIONS
from compare.report.stats import Interval
from compare.report.synthetic import SyntheticPlan, add_review, populate

PLAN = SyntheticPlan(
    reviews=1500,
    positive_share={
        ("Rival A", "delivery"): 0.15,
        ("Own Coffee", "delivery"): 0.9,
        ("Rival B", "quality"): 0.97,
        ("Own Coffee", "quality"): 0.5,
    },
    need_share={("Rival B", "app"): 0.3},
)


def _page(engine: Engine, out: Path) -> BeautifulSoup:
    build_report(engine, out)
    return BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")


def _section(page: BeautifulSoup, key: str) -> Tag:
    section = page.find("section", id=key)
    assert isinstance(section, Tag), key
    return section


def test_opportunities_and_threats_are_separate_sections(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    page = _page(engine, tmp_path / "out")
    opportunities_text = _section(page, "opportunities").get_text(" ")
    threats_text = _section(page, "threats").get_text(" ")
    assert "Rival B" in threats_text and "quality" in threats_text
    assert "quality" not in opportunities_text.split("Ranks run")[1]
    assert "delivery" in opportunities_text and "delivery" not in threats_text
    assert "app" in opportunities_text  # an unmet need is an opportunity
    result = build_report(engine, tmp_path / "again")
    assert not any("strong on" in line for line in result.top_opportunities())


def test_each_table_has_a_heading_and_one_unit_per_column(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    page = _page(engine, tmp_path / "out")
    tables = page.find_all("table")
    assert len(tables) >= 8
    for table in tables:
        wrapper = table.parent  # the box a wide table scrolls in
        assert isinstance(wrapper, Tag) and "table-scroll" in (wrapper.get("class") or [])
        heading = wrapper.find_previous_sibling()
        assert heading is not None and heading.name == "h3", table.get_text()[:80]
    units = ("(−2..2)", "(share", "premium", "(−1..1)")
    for table in _section(page, "opportunities").find_all("table"):
        headers = [th.get_text() for th in table.find_all("th")]
        gap_units = {u for u in units[:3] if any(u in h for h in headers)}
        assert len(gap_units) == 1, headers  # never net, share and premium in one table
        assert any(h.startswith(("opinions", "reviews", "matched products")) for h in headers)


def test_quotes_link_to_their_review_page_escaped(engine: Engine, tmp_path: Path) -> None:
    ids = populate(engine, PLAN)
    add_review(engine, ids["Rival A"], "<b>late</b> again", "delivery", "negative", 999_998)
    add_review(engine, ids["Rival A"], "late, sneaky link", "delivery", "negative", 999_999)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE review SET url = :u WHERE id = 999999"), {"u": "javascript:alert(1)"}
        )
        connection.execute(
            text("UPDATE review SET url = :u WHERE id = 999998"),
            {"u": 'https://reviews.invalid/r?a=1&b="x"'},
        )
    out = tmp_path / "out"
    page = _page(engine, out)
    raw = (out / "report.html").read_text("utf-8")
    assert "review ids" not in raw
    links = [a["href"] for a in _section(page, "opportunities").select("q a")]
    assert 'https://reviews.invalid/r?a=1&b="x"' in links
    assert 'href="https://reviews.invalid/r?a=1&amp;b=&#34;x&#34;"' in raw
    assert "javascript:" not in raw and "<b>late" not in raw
    quote = next(q for q in page.select("q") if "sneaky" in q.get_text())
    assert quote.find("a") is None  # shown, but not as a link


def test_banner_when_reviews_are_not_analysed(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    assert _section(_page(engine, tmp_path / "one"), "glance").find(class_="banner") is None
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM review_analysis WHERE review_id <= 7"))
    banner = _section(_page(engine, tmp_path / "two"), "glance").find(class_="banner")
    assert banner is not None and "7 of 1500 reviews" in banner.get_text()
    summary = (tmp_path / "two" / "summary.md").read_text("utf-8")
    assert "7 of 1500" in summary
    # the heading said "1500 analysed reviews" above the banner's 7 not analysed
    assert "1500 reviews, 1493 of them analysed" in summary
    assert "1500 analysed reviews" in (tmp_path / "one" / "summary.md").read_text("utf-8")


def test_banner_tells_reviews_of_an_earlier_analysis_from_unanalysed_ones(
    engine: Engine, tmp_path: Path
) -> None:
    """After an upgrade that changes the analysis, the banner said every review was "not
    analysed yet and left out of every sentiment, aspect and need figure" while the page's
    aspect gaps were all read from the earlier analysis (found by qa-walk6)."""
    populate(engine, PLAN)
    with engine.begin() as connection:
        connection.execute(text("UPDATE review_analysis SET analyzer_version = '0' "
                                "WHERE review_id <= 30"))  # fmt: skip
        connection.execute(text("DELETE FROM review_analysis WHERE review_id <= 4"))
    result = build_report(engine, tmp_path / "out")
    assert (result.unanalysed, result.stale) == (30, 26)
    page = BeautifulSoup((tmp_path / "out" / "report.html").read_text("utf-8"), "html.parser")
    banner = _section(page, "glance").find(class_="banner")
    assert banner is not None
    said = " ".join(banner.get_text().split())
    assert "4 of 1500 reviews in scope are not analysed yet" in said
    assert "26 of 1500 reviews in scope were analysed by an earlier version" in said
    assert "their aspect opinions are that version's" in said
    assert said.endswith("run rivalscope analyze, then the report again.")
    assert [c.get_text() for c in banner.find_all("code")] == ["rivalscope analyze"]


def test_summary_and_csv_tables_come_from_the_same_sections(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    out = tmp_path / "out"
    build_report(engine, out)
    summary = (out / "summary.md").read_text("utf-8")
    assert "## Opportunities" in summary and "## Threats" in summary
    # The heading says what the rule checks: their net may be positive, only below ours.
    assert "### Where their net sentiment is below ours, and ours is positive" in summary
    assert "### Where their net sentiment is above ours, and theirs is positive" in summary
    assert "where we are strong" not in summary and "where we are weak" not in summary
    assert "](https://reviews.invalid/" in summary
    with (out / "tables" / "opportunities-weaknesses.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = rows[0]
    assert first["competitor"] == "Rival A" and float(first["gap"]) > 1.0
    # The page's "opinions: theirs / ours" in the CSV too: ours in a column at the end.
    assert list(first)[-1] == "sample_ours"
    assert all(f"{r['sample']} / {r['sample_ours']}" in summary for r in rows)
    assert len(first["gap"]) > 6  # the raw value, not the rounded display text
    assert [s.key for s in SECTIONS][:3] == ["glance", "opportunities", "threats"]


def test_findings_csv_ranks_as_the_page_does(engine: Engine, tmp_path: Path) -> None:
    """findings.csv ranked every finding by score, threats and segments among them, so the
    page's "Opportunity #6" was findings.csv's rank 11 (found by qa-walk6 on the demo)."""
    populate(engine, PLAN)
    build_report(engine, tmp_path / "out")
    tables = tmp_path / "out" / "tables"
    page: dict[tuple[str, str, str], str] = {}
    for name, section in (
        ("opportunities-weaknesses", "opportunities"),
        ("opportunities-unmet_needs", "opportunities"),
        ("opportunities-prices", "opportunities"),
        ("threats-strengths", "threats"),
    ):
        path = tables / f"{name}.csv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    if row["rank"]:
                        page[(section, row["competitor"], row.get("topic", "price"))] = row["rank"]
    with (tmp_path / "out" / "findings.csv").open(encoding="utf-8") as handle:
        findings = list(csv.DictReader(handle))
    main_rows = [f for f in findings if not any(f[f"segment_{d}"] for d in
                 ("product", "category", "language", "region"))]  # fmt: skip
    assert {f["section"] for f in main_rows} == {"opportunities", "threats"}
    assert page and len(main_rows) == len(page)
    for f in main_rows:
        assert f["rank"] == page[(f["section"], f["competitor"], f["aspect"])], f
    assert [f["section"] for f in findings] == sorted(
        (f["section"] for f in findings), key=["opportunities", "threats"].index
    )


def _finding(kind: str, segment: Segment, score: float, aspect: str = "delivery") -> Finding:
    return Finding(
        competitor_id=2,
        competitor="Rival A",
        aspect=aspect,
        kind=kind,
        segment=segment,
        effect=Interval(0.5, 0.2, 0.8),
        sample_size=100,
        own_sample_size=100,
        score=score,
        summary=f"{kind} {segment.describe()}",
    )


def test_findings_on_the_same_competitor_and_aspect_are_one_group() -> None:
    findings = [
        _finding("competitor_weakness", Segment("language", "pl"), 30),
        _finding("competitor_weakness", Segment(), 20),
        _finding("competitor_weakness", Segment("region", "North"), 5),
        _finding("competitor_strength", Segment(), 50, aspect="quality"),
        _finding("unmet_need", Segment(), 10, aspect="app"),
    ]
    groups = group_findings(findings)
    assert [g.main.aspect for g in groups] == ["quality", "delivery", "app"]
    delivery = groups[1]
    assert delivery.main.segment.dimension == "all" and delivery.score == 30
    assert [s.segment.value for s in delivery.segments] == ["pl", "North"]
    assert [g.kind for g in opportunities(findings)] == ["competitor_weakness", "unmet_need"]
    assert [g.kind for g in threats(findings)] == ["competitor_strength"]


def test_a_top_opportunity_line_says_whose_score_ranks_it(tmp_path: Path) -> None:
    """The demo's "Kawa Mistrz is weak on customer service: net -0.57 against our +0.62
    (score 18, 47 opinions)": 18 was its Polish segment's score (39 opinions), the summary's
    own finding scores 12."""
    from compare.report.build import ReportResult

    segment = replace(_finding("competitor_weakness", Segment("language", "pl"), 18.4),
                      sample_size=39)  # fmt: skip
    main = replace(_finding("competitor_weakness", Segment(), 12.2), sample_size=47)
    alone = _finding("unmet_need", Segment(), 5, aspect="app")
    result = ReportResult(tmp_path, 1, [segment, main, alone])
    assert result.top_opportunities() == [
        "competitor_weakness all reviews (score 12, 47 opinions; in language pl: score 18, "
        "39 opinions)",
        "unmet_need all reviews (score 5, 100 reviews)",
    ]


@pytest.mark.parametrize(
    ("interval", "style", "expected"),
    [
        (Interval(-0.4, -0.83, -0.004), "net", "-0.400 [-0.830, -0.004]"),
        (Interval(-0.4, -0.83, 0.004), "net", "-0.40 [-0.83, +0.00]"),
        (Interval(0.3, 0.004, 0.6), "share", "30.0% [0.4%, 60.0%]"),
        (Interval(0.12, 0.0001, 0.3), "premium", "+12.00% [+0.01%, +30.00%]"),
        (Interval(0.5, 0.2, 0.8), "net", "+0.50 [+0.20, +0.80]"),
    ],
)
def test_printed_intervals_agree_with_the_unrounded_test(
    interval: Interval, style: str, expected: str
) -> None:
    assert interval_text(interval, style) == expected


def test_small_scores_do_not_print_as_zero() -> None:
    assert [score_text(s) for s in (0.0042, 3.456, 123.4, 0.0)] == ["0.0042", "3.5", "123", "0"]


def test_every_section_builds_on_an_empty_comparison(engine: Engine, tmp_path: Path) -> None:
    populate(engine, SyntheticPlan(reviews=300, seed=3))
    out = tmp_path / "out"
    build_report(engine, out, min_sample=10_000)
    page = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    assert [h.get_text() for h in page.find_all("h2")] == [s.title for s in SECTIONS]
    assert "No competitor is significantly better" in _section(page, "threats").get_text()
    data_sections = [s.key for s in SECTIONS]
    assert [s.get("id") for s in page.find_all("section")] == data_sections


def test_evidence_headings_name_each_finding_group_in_the_singular(
    engine: Engine, tmp_path: Path
) -> None:
    populate(engine, PLAN)
    headings = [h.get_text() for h in _section(_page(engine, tmp_path / "out"), "evidence")("h3")]
    assert any(h.startswith("Opportunity #1: ") for h in headings), headings
    assert any(h.startswith("Threat #1: ") for h in headings), headings


def test_a_source_whose_newest_crawl_was_unhealthy_is_named_at_a_glance(
    engine: Engine, tmp_path: Path
) -> None:
    """A competitor's site gone dead or relaid out: its newest crawl stored nothing, and the
    report went on from the older data without a word (its coverage line even read "100%")."""
    from datetime import timedelta

    from sqlmodel import Session

    from storage.models import CrawlRun, Source, utcnow
    from storage.schedule_models import HealthCheck

    ids = populate(engine, SyntheticPlan(reviews=200))
    week = timedelta(days=7)
    with Session(engine) as session:
        for company, verdicts in (("Rival A", [True, False]), ("Rival B", [False, True])):
            source = Source(
                name=f"{company.lower().replace(' ', '-')}-shop", company_id=ids[company]
            )
            session.add(source)
            session.flush()
            for age, healthy in zip((2 * week, week), verdicts, strict=True):
                run = CrawlRun(source_id=source.id or 0, status="finished", pages=0 if not healthy else 5,
                               started_at=utcnow() - age, finished_at=utcnow() - age)  # fmt: skip
                session.add(run)
                session.flush()
                reasons = [] if healthy else ["0 reviews on 5 pages; the last good run had 48 on 5"]
                session.add(HealthCheck(source_id=source.id or 0, crawl_run_id=run.id or 0,
                                        healthy=healthy, reasons=reasons))  # fmt: skip
        session.commit()
    result = build_report(engine, tmp_path / "out")
    page = BeautifulSoup((tmp_path / "out" / "report.html").read_text("utf-8"), "html.parser")
    banners = [p.get_text(" ") for p in _section(page, "glance").find_all("p", class_="banner")]
    assert len(banners) == 1, banners  # Rival B's newest crawl is healthy again
    assert "Rival A · rival-a-shop" in banners[0]
    assert "0 reviews on 5 pages" in banners[0] and "may be out of date" in banners[0]
    last_healthy = f"{(utcnow() - 2 * week):%Y-%m-%d}"
    assert f"the last healthy one started {last_healthy}" in banners[0]
    banner_text = _section(page, "glance").find("p", class_="banner").get_text()  # type: ignore[union-attr]
    assert [s.replace("`", "") for s in result.unhealthy_sources] == [" ".join(banner_text.split())]
    assert "Rival A · rival-a-shop" in (tmp_path / "out" / "summary.md").read_text("utf-8")


def test_reviews_per_month_lists_consecutive_months(engine: Engine, tmp_path: Path) -> None:
    """The table listed the six latest months that had reviews: a quiet February and March
    vanished, and January stood beside April as if they were consecutive."""
    populate(engine, SyntheticPlan(reviews=300))
    _dates_alternate(engine, "2025-01-15", "2025-04-15")
    build_report(engine, tmp_path / "out")
    with (tmp_path / "out" / "tables" / "trends-reviews_per_month.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    months = [k for k in rows[0] if k not in ("company", "row_level")]
    assert months == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    assert all(row["2025-02"] == "0" and row["2025-03"] == "0" for row in rows)
    assert sum(int(row["2025-01"]) + int(row["2025-04"]) for row in rows) > 0


def _dates_alternate(engine: Engine, even: str, odd: str) -> None:
    """Reviews with an even id dated ``even``, the others ``odd`` (and the analysis's copy
    of the review's date alike)."""
    with engine.begin() as connection:
        for table, review_id in (("review", "id"), ("review_analysis", "review_id")):
            connection.execute(
                text(
                    f"UPDATE {table} SET published = CASE WHEN {review_id} % 2 = 0 "
                    f"THEN '{even}' ELSE '{odd}' END"
                )
            )


@pytest.mark.parametrize(("until", "partial"), [("2025-04-10", True), ("2025-04-30", False)])
def test_a_month_the_report_ends_within_is_said_to_be_part_of_one(
    engine: Engine, tmp_path: Path, until: str, partial: bool
) -> None:
    """A report made on the 8th counted that month's reviews beside whole months, unmarked:
    23 against the previous month's 91 read as a collapse (found by qa-weeks over simulated
    weeks of crawls)."""
    from datetime import date

    populate(engine, SyntheticPlan(reviews=300))
    _dates_alternate(engine, "2025-03-15", "2025-04-05")
    build_report(engine, tmp_path / "out", until=date.fromisoformat(until))
    page = BeautifulSoup((tmp_path / "out" / "report.html").read_text("utf-8"), "html.parser")
    headers = [th.get_text(" ", strip=True) for th in _section(page, "trends").find_all("th")]
    assert ("2025-04 (days 1–10)" in headers) is partial
    assert ("2025-04" in headers) is not partial and "2025-03" in headers
    said = "2025-04 is counted to 2025-04-10, the report's last day: part of a month"
    assert (said in " ".join(page.get_text(" ").split())) is partial
    with (tmp_path / "out" / "tables" / "trends-reviews_per_month.csv").open(encoding="utf-8") as f:
        assert "2025-04" in next(csv.reader(f))  # the CSV's column stays the month


def test_finding_tables_say_which_significant_gaps_they_leave_out(
    engine: Engine, tmp_path: Path
) -> None:
    """A significant gap in the aspect comparison can be in neither list (our own net not
    above 0 beyond chance, or theirs not): the notes under both tables say the rule, so a
    reader does not take the missing row for an error."""
    populate(engine, PLAN)
    page = _page(engine, tmp_path / "out")
    weaknesses = _section(page, "opportunities").find("h3", id="opportunities-weaknesses")
    strengths = _section(page, "threats").find("h3", id="threats-strengths")
    assert isinstance(weaknesses, Tag) and isinstance(strengths, Tag)
    for heading, side in ((weaknesses, "ours above 0"), (strengths, "theirs above 0")):
        note = heading.find_next("p", class_="note")
        assert note is not None
        said = " ".join(note.get_text().split())
        assert f"{side} beyond chance" in said and "aspect comparison" in said, said

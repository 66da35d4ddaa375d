"""Many gaps compared at once: judged as one family (Benjamini-Hochberg at a 5% false
discovery rate, intervals adjusted to match), so chance differences among many aspects,
competitors and segments are not called gaps. Reference p-values: Pearson's chi-square on
the 2x2 table (scipy.stats.chi2_contingency, no continuity correction), which the inverted
Newcombe interval tracks closely."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from compare.report.aspects import AspectCell, MonthPoint, Segment
from compare.report.build import build_report
from compare.report.findings import aspect_findings, gap_family, price_findings
from compare.report.matching import CatalogueItem, ProductMatch
from compare.report.prices import PricedPair, PriceIndex, at_family_level, price_family
from compare.report.report_scope import CompanyRef, ReportScope
from compare.report.sections.trends import trend_periods
from compare.report.stats import (
    Z_95,
    compare_nets,
    fdr_level,
    gap_p_value,
    geometric_mean_ratio,
)
from compare.report.synthetic import SyntheticPlan, add_review, populate
from storage.schema import metadata


@pytest.mark.parametrize(
    ("a", "b", "p"),
    [
        ((80, 20), (67, 33), 0.0373),  # chi-square p 0.03726
        ((80, 20), (70, 30), 0.0985),  # chi-square p 0.09851
        ((56, 14), (48, 32), 0.0077),  # Newcombe's example pair, chi-square p 0.00767
        ((50, 50), (50, 50), 1.0),  # no difference
    ],
)
def test_gap_p_value_tracks_the_chi_square_test(
    a: tuple[int, int], b: tuple[int, int], p: float
) -> None:
    assert gap_p_value(*a, *b) == pytest.approx(p, rel=0.1, abs=1e-3)


@pytest.mark.parametrize(
    ("a", "b"), [((80, 20), (67, 33)), ((80, 20), (68, 32)), ((90, 10), (20, 80)), ((5, 0), (0, 5))]
)
def test_p_value_below_5_percent_exactly_when_95_interval_excludes_0(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    significant = compare_nets(*a, *b, min_sample=1).significant
    assert (gap_p_value(*a, *b) < 0.05) is significant


@pytest.mark.parametrize(
    ("p_values", "selected", "confidence"),
    [
        ([], 0, 0.95),
        ([0.03], 1, 0.95),  # one test: the usual 95% interval
        ([0.2], 0, 0.95),
        # BH by hand, m = 5: 0.04 <= 4 * 0.05 / 5 = 0.04, so four selected; level 1 - 4 * 0.01
        ([0.01, 0.02, 0.03, 0.04, 0.5], 4, 0.96),
        # m = 10: 0.03 > 2 * 0.005, only the first; level 1 - 0.005
        ([1e-6, 0.03, *[0.5] * 8], 1, 0.995),
        # nothing selected: Bonferroni's level, so no interval excludes 0
        ([0.02, 0.5, 0.9], 0, 1 - 0.05 / 3),
    ],
)
def test_benjamini_hochberg_by_hand(
    p_values: list[float], selected: int, confidence: float
) -> None:
    level = fdr_level(p_values)
    assert (level.tests, level.significant) == (len(p_values), selected)
    assert level.confidence == pytest.approx(confidence, abs=1e-9)


PLANTED_GAP = SyntheticPlan(
    reviews=1500,
    positive_share={("Rival A", "delivery"): 0.15, ("Own Coffee", "delivery"): 0.9},
)
OWN = CompanyRef(1, "Us", own=True)
RIVAL = CompanyRef(2, "Rival", own=False)
SCOPE = ReportScope(OWN, (RIVAL,), None, None, 20)


def _cells(rival: dict[str, tuple[int, int]]) -> list[AspectCell]:
    cells = []
    for aspect, (positive, negative) in rival.items():
        for company, counts in ((OWN, (80, 20)), (RIVAL, (positive, negative))):
            cells.append(AspectCell(company.id, aspect, Segment(), 200, sum(counts), *counts))
    return cells


def test_a_chance_gap_among_ten_aspects_is_not_a_finding() -> None:
    # We are at 80/20 on ten aspects; the rival is the same on eight, at 67/33 on one
    # (p 0.037: "significant" alone, one of ten comparisons) and 30/70 on another.
    rival = {f"aspect{i}": (80, 20) for i in range(8)}
    rival |= {"chance": (67, 33), "real": (30, 70)}
    cells = _cells(rival)
    assert compare_nets(80, 20, 67, 33).significant  # what the old per-test check called
    found = aspect_findings(cells, SCOPE, 20)
    assert [(f.aspect, f.kind) for f in found] == [("real", "competitor_weakness")]
    family = gap_family(cells, OWN.id, 20)
    assert (family.tests, family.significant) == (10, 1)
    assert found[0].effect.low > 0
    # Its interval is the adjusted one (99.5%), wider than the 95% one.
    plain = compare_nets(80, 20, 30, 70).gap
    assert found[0].effect.low < plain.low and found[0].effect.high > plain.high


def test_a_single_comparison_keeps_the_95_percent_interval() -> None:
    cells = _cells({"chance": (67, 33)})
    assert gap_family(cells, OWN.id, 20).z == Z_95
    assert [f.aspect for f in aspect_findings(cells, SCOPE, 20)] == ["chance"]


def test_null_databases_give_few_chance_gap_findings(engine: Engine, tmp_path: Path) -> None:
    # No planted gap, four competitors, five aspects, language/product segments: on this
    # seed the old per-test 95% check called four gaps (seed 128 of the audit's null runs).
    populate(
        engine,
        SyntheticPlan(
            reviews=1500, seed=128, competitors=("Rival A", "Rival B", "Rival C", "Rival D")
        ),
    )
    result = build_report(engine, tmp_path / "out")
    gaps = [f.summary for f in result.findings if f.kind.startswith("competitor_")]
    assert gaps == []
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "false discovery rate" in page
    # A price index's reference is 1, a gap's 0.
    assert "an interval excludes 1 (the same price) exactly when" in page


def _changes_table(out: Path) -> list[list[str]]:
    path = out / "tables" / "trends-changes.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def test_changes_need_enough_opinions_both_times(engine: Engine, tmp_path: Path) -> None:
    # About 30 reviews a company: Rival A has a handful of delivery opinions; three more
    # negative ones move its net by far more than 0.1 on too few opinions to mean anything.
    ids = populate(engine, SyntheticPlan(reviews=90, seed=5))
    build_report(engine, tmp_path / "one")
    for review_id in range(900_001, 900_004):
        add_review(engine, ids["Rival A"], "Late again.", "delivery", "negative", review_id)
    build_report(engine, tmp_path / "two")
    assert _changes_table(tmp_path / "two") == []
    # The same moves on a tenth of the minimum sample are listed.
    build_report(engine, tmp_path / "three", min_sample=2)
    for review_id in range(900_004, 900_010):
        add_review(engine, ids["Rival A"], "Late again.", "delivery", "negative", review_id)
    build_report(engine, tmp_path / "four", min_sample=2)
    assert [row[:2] for row in _changes_table(tmp_path / "four")] == [["Rival A", "delivery"]]


def test_changes_compare_only_reports_over_the_same_dates(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLANTED_GAP)
    build_report(engine, tmp_path / "all")
    # A window of one month is another sample, not a later state of the whole history.
    build_report(engine, tmp_path / "june", since=date(2025, 6, 1), until=date(2025, 6, 30))
    page = (tmp_path / "june" / "report.html").read_text(encoding="utf-8")
    assert "Since the previous report" not in page
    assert "No earlier stored report covers the same dates" in page
    build_report(engine, tmp_path / "june2", since=date(2025, 6, 1), until=date(2025, 6, 30))
    assert "Since the previous report" in (tmp_path / "june2" / "report.html").read_text("utf-8")


def test_unanalysed_reviews_do_not_dilute_a_share_of_reviews(
    engine: Engine, tmp_path: Path
) -> None:
    # We and Rival A voice the "app" wish equally often (30% of analysed reviews); 1,000 of
    # our reviews imported since the last analysis must not make ours look like 10%.
    ids = populate(
        engine,
        SyntheticPlan(
            reviews=1500, need_share={("Rival A", "app"): 0.3, ("Own Coffee", "app"): 0.3}
        ),
    )
    review = metadata.tables["review"]
    source = metadata.tables["source"]
    with engine.begin() as connection:
        source_id = connection.execute(
            select(source.c.id).where(source.c.company_id == ids["Own Coffee"])
        ).scalar_one()
        connection.execute(
            review.insert(),
            [
                {
                    "company_id": ids["Own Coffee"],
                    "source_id": source_id,
                    "text": f"Not analysed yet {i}.",
                    "content_key": f"new-{i}",
                    "first_seen_at": datetime.now(UTC),
                    "published": date(2025, 6, 1),
                    "language": "en",
                }
                for i in range(1000)
            ],
        )
    result = build_report(engine, tmp_path / "out")
    assert result.unanalysed == 1000
    assert [f.summary for f in result.findings if f.kind == "unmet_need"] == []


def test_one_matched_product_gets_no_interval(engine: Engine, tmp_path: Path) -> None:
    # One product each: Rival A's is 30% dearer. A single ratio has no spread, so
    # "1.30 [1.30, 1.30]" would read as a certain premium; it is shown as too few.
    populate(engine, SyntheticPlan(reviews=90, products_per_company=1))
    result = build_report(engine, tmp_path / "out")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "[1.30, 1.30]" not in page
    assert "1.30 (too few matched products for an interval, &lt; 3)" in page
    assert not [f for f in result.findings if f.kind == "price_gap"]


@pytest.mark.parametrize(
    ("ours", "theirs", "kind"),
    [
        ((22, 18), (2, 38), None),  # ours +0.10 [-0.20, +0.39]: we do not do it well
        ((32, 8), (2, 38), "competitor_weakness"),  # ours +0.60 [+0.30, +0.79]
        ((2, 38), (22, 18), None),  # theirs +0.10: no strength of theirs
        ((2, 38), (32, 8), "competitor_strength"),
    ],
)
def test_weakness_needs_us_strong_and_strength_them_strong(
    ours: tuple[int, int], theirs: tuple[int, int], kind: str | None
) -> None:
    cells = [
        AspectCell(OWN.id, "delivery", Segment(), 100, sum(ours), *ours),
        AspectCell(RIVAL.id, "delivery", Segment(), 100, sum(theirs), *theirs),
    ]
    assert compare_nets(*ours, *theirs).significant
    assert [f.kind for f in aspect_findings(cells, SCOPE, 20)] == ([kind] if kind else [])


def _months(company_id: int, per_month: list[tuple[int, int]]) -> list[MonthPoint]:
    return [
        MonthPoint(company_id, f"2025-{m:02d}", positive + negative, None, positive, negative)
        for m, (positive, negative) in enumerate(per_month, start=1)
    ]


@pytest.mark.parametrize(
    ("per_month", "period", "points"),
    [
        # 25 opinions a month: months stand alone.
        ([(20, 5)] * 12, "month", {"2025-01": (20, 5), "2025-12": (20, 5)}),
        # 8 a month: a quarter holds 24, pooled by quarter.
        ([(6, 2)] * 12, "quarter", {"2025-Q1": (18, 6), "2025-Q4": (18, 6)}),
        # 3 a month: a half-year holds 18 < 20, the year 36.
        ([(2, 1)] * 12, "year", {"2025": (24, 12)}),
    ],
)
def test_trend_periods_pool_thin_months(
    per_month: list[tuple[int, int]], period: str, points: dict[str, tuple[int, int]]
) -> None:
    chosen, totals = trend_periods(_months(7, per_month), 20)
    assert chosen == period
    for label, counts in points.items():
        assert totals[(7, label)] == counts


def test_trend_chart_does_not_plot_months_of_a_few_opinions(engine: Engine, tmp_path: Path) -> None:
    # 50 reviews a company over a year: about four a month, a dozen opinions or so.
    populate(engine, SyntheticPlan(reviews=150))
    build_report(engine, tmp_path / "out")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "per month (months with at least 5 opinions)" not in page
    assert "per quarter, where a quarter has at least 20 opinions" in page


def _index(name: str, ratios: list[float]) -> PriceIndex:
    def item(company: str, i: int, price: float) -> CatalogueItem:
        return CatalogueItem(i, company, f"Model {i}", None, None, None, None, price, "EUR")

    pairs = [
        PricedPair(ProductMatch(item("Us", i, 100.0), item(name, i, 100.0 * r), "name", 1.0),
                   r, False)
        for i, r in enumerate(ratios)
    ]  # fmt: skip
    return PriceIndex(name, pairs, geometric_mean_ratio(ratios), False, [])


def test_a_chance_price_premium_among_five_competitors_is_not_a_finding() -> None:
    # Rival 0 is dearer on four matched products by 2-12% (t test p 0.033: "significant"
    # alone, one of five indices); Rival 4 is 30% dearer on each (p 0).
    names = [f"Rival {i}" for i in range(5)]
    scope = ReportScope(OWN, tuple(CompanyRef(i + 2, n, False) for i, n in enumerate(names)),
                        None, None, 20)  # fmt: skip
    indices = [
        _index("Rival 0", [1.08, 1.12, 1.1, 1.02]),
        *(_index(n, [1.0, 0.98, 1.02]) for n in names[1:4]),
        _index("Rival 4", [1.3, 1.31, 1.29]),
    ]
    assert indices[0].index is not None and indices[0].index.low > 1  # 95%: a premium
    level = price_family(indices)
    assert (level.tests, level.significant) == (5, 1)
    found = price_findings(at_family_level(indices, level), [], scope)
    assert [f.competitor for f in found] == ["Rival 4"]


def test_needs_of_reviews_analysed_by_an_earlier_version_are_not_counted(
    engine: Engine, tmp_path: Path
) -> None:
    # 400 of Rival A's 500 reviews lose their current analysis (as after an analyser
    # upgrade, half re-analysed): their needs stay stored, but a share counts needs and
    # reviews of the same analysed reviews (else 150 of 100 reviews voiced the need).
    ids = populate(engine, SyntheticPlan(reviews=1500, need_share={("Rival A", "app"): 0.3}))
    analysis = metadata.tables["review_analysis"]
    review = metadata.tables["review"]
    with engine.begin() as connection:
        rival_reviews = select(review.c.id).where(review.c.company_id == ids["Rival A"])
        stale = [
            int(i)
            for i in connection.execute(rival_reviews.order_by(review.c.id).limit(400)).scalars()
        ]
        connection.execute(analysis.delete().where(analysis.c.review_id.in_(stale)))
    result = build_report(engine, tmp_path / "out")
    (app,) = [f for f in result.findings if f.kind == "unmet_need" and f.aspect == "app"]
    assert app.sample_size == 100
    assert 0.15 < app.effect.value < 0.45, app.summary


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_table_csv_files_keep_intervals_and_significance(engine: Engine, tmp_path: Path) -> None:
    # The page writes "+0.05 [-0.10, +0.20] (not significant)"; the CSV wrote 0.05 alone,
    # so a gap that is not significant read like one that is.
    populate(engine, PLANTED_GAP)
    build_report(engine, tmp_path / "out")
    tables = tmp_path / "out" / "tables"
    rows = _csv_rows(tables / "aspects-net_sentiment.csv")
    assert {"net_low", "net_high", "gap_low", "gap_high", "gap_significant"} <= set(rows[0])
    delivery = next(r for r in rows if r["company"] == "Rival A" and r["aspect"] == "delivery")
    assert delivery["gap_significant"] == "True" and float(delivery["gap_low"]) > 0
    quiet = [r for r in rows if r["gap_significant"] == "False"]
    assert quiet and all(float(r["gap_low"]) <= 0 <= float(r["gap_high"]) for r in quiet)
    for r in rows:
        if r["net"]:
            assert float(r["net_low"]) <= float(r["net"]) <= float(r["net_high"])
    weakness = _csv_rows(tables / "opportunities-weaknesses.csv")[0]
    assert float(weakness["gap_low"]) > 0 and weakness["gap_significant"] == "True"
    index = _csv_rows(tables / "prices-price_index.csv")
    assert all(float(r["index_low"]) <= float(r["index"]) <= float(r["index_high"]) for r in index)


@pytest.mark.parametrize(
    ("a", "b", "capped"),
    [((80, 20), (67, 33), 0.0373), ((80, 20), (70, 30), 1.0), ((90, 10), (20, 80), 0.0)],
)
def test_p_values_above_the_rate_are_not_computed(
    a: tuple[int, int], b: tuple[int, int], capped: float
) -> None:
    assert gap_p_value(*a, *b, 0.05) == pytest.approx(capped, rel=0.1, abs=1e-3)
    # The capped value never changes a selection at that rate.
    exact = [gap_p_value(*a, *b), 0.001, 0.5]
    assert fdr_level(exact) == fdr_level([gap_p_value(*a, *b, 0.05), 0.001, 0.5])

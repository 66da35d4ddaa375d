"""Whole-company gaps adjusted for segment mix: direct standardisation to the pooled mix,
with the MOVER interval of a weighted sum of proportions, beside the raw gap; and the
report's note where the two disagree (a Simpson case) in HTML, Markdown and CSV."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from compare.report import build, data_model
from compare.report.aspects import AspectCell, Segment
from compare.report.build import build_report
from compare.report.currency import EuroRates
from compare.report.data_model import ReportData
from compare.report.report_scope import CompanyRef, ReportScope
from compare.report.segment_mix import (
    OTHER,
    SEGMENT_MIX_KEY,
    MixComparison,
    StoredMixNote,
    Stratum,
    mix_comparisons,
    standardise,
    stored_mix_notes,
)
from compare.report.stats import Z_95, compare_nets
from compare.report.stored_tables import REPORT_RUN
from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.cli import app

OWN, RIVAL = 1, 2


def _cells(
    company_id: int, aspect: str, segments: dict[str, tuple[int, int]], dimension: str = "language"
) -> list[AspectCell]:
    """A company's whole and its segments (value -> positive, negative opinions); a value
    None is opinions with no value in the dimension (in the whole only)."""
    positive = sum(p for p, _ in segments.values())
    negative = sum(n for _, n in segments.values())
    whole = AspectCell(company_id, aspect, Segment(), 1000, positive + negative, positive, negative)
    return [whole] + [
        AspectCell(company_id, aspect, Segment(dimension, value), 500, p + n, p, n)
        for value, (p, n) in segments.items()
        if value != "-"
    ]


# Segment counts: (own positive, own negative, their positive, their negative).
# Simpson: French reviewers are harsher at every shop; the rival is better in each language
# (en 95% against our 90%, fr 50% against 40%), but 90% of its opinions are French and half
# of ours: over all reviews it looks worse than us.
SIMPSON = {"en": (180, 20, 38, 2), "fr": (80, 120, 180, 180)}
# The same shares on both sides' segments, the same mix: nothing to adjust.
ALIKE = {"en": (90, 10, 90, 10), "fr": (40, 60, 40, 60)}
# The rival worse in each language and mixed like us: raw and adjusted agree.
WORSE = {"en": (180, 20, 120, 80), "fr": (80, 120, 40, 160)}


def _strata(segments: dict[str, tuple[int, int, int, int]]) -> list[Stratum]:
    return [Stratum(k, *v) for k, v in segments.items()]


def _pair(segments: dict[str, tuple[int, int, int, int]]) -> list[AspectCell]:
    ours = {k: (v[0], v[1]) for k, v in segments.items()}
    theirs = {k: (v[2], v[3]) for k, v in segments.items()}
    return _cells(OWN, "delivery", ours) + _cells(RIVAL, "delivery", theirs)


@pytest.mark.parametrize(
    ("segments", "raw_sign", "adjusted_sign", "disagreement"),
    [
        (SIMPSON, 1, -1, "reversed"),
        (WORSE, 1, 1, None),
        (ALIKE, 0, 0, None),
    ],
    ids=["simpson", "agree", "alike"],
)
def test_raw_and_adjusted_gaps(
    segments: dict[str, tuple[int, int, int, int]],
    raw_sign: int,
    adjusted_sign: int,
    disagreement: str | None,
) -> None:
    [comparison] = mix_comparisons(_pair(segments), OWN, min_sample=20)
    assert comparison.dimension == "language"
    assert _sign(comparison.raw.value) == raw_sign
    assert _sign(comparison.adjusted.gap.value) == adjusted_sign
    assert comparison.disagreement == disagreement
    gap = comparison.adjusted.gap
    assert gap.low <= gap.value <= gap.high
    assert comparison.adjusted.coverage == 1
    assert (comparison.note("Rival") is None) == (disagreement is None)


def _sign(value: float) -> int:
    return 0 if abs(value) < 1e-12 else (1 if value > 0 else -1)


def test_simpson_case_by_hand() -> None:
    # Pooled mix: en (200 + 40) / 800 = 0.3, fr 0.7.
    adjusted = standardise(_strata(SIMPSON))
    assert adjusted is not None
    own = 0.3 * 0.9 + 0.7 * 0.4
    theirs = 0.3 * 0.95 + 0.7 * 0.5
    assert adjusted.gap.value == pytest.approx(2 * (own - theirs))
    assert adjusted.own_net == pytest.approx(2 * own - 1)
    assert adjusted.their_net == pytest.approx(2 * theirs - 1)
    assert adjusted.strata == ("fr", "en")
    assert adjusted.gap.excludes_zero()


def test_one_segment_is_exactly_the_raw_gap() -> None:
    # One stratum: weight 1, and MOVER is Newcombe's interval, which the raw gap uses.
    adjusted = standardise([Stratum("en", 30, 10, 12, 18)], z=2.5)
    raw = compare_nets(30, 10, 12, 18, z=2.5).gap
    assert adjusted is not None
    assert adjusted.gap == pytest.approx(raw)
    # ... and a report shows no adjustment for a dimension with one segment.
    cells = _cells(OWN, "delivery", {"en": (30, 10)}) + _cells(RIVAL, "delivery", {"en": (12, 18)})
    assert mix_comparisons(cells, OWN, min_sample=20) == []


@pytest.mark.parametrize(
    "strata",
    [
        [],
        [Stratum("en", 0, 0, 0, 0)],
        [Stratum("en", 30, 10, 0, 0), Stratum("fr", 20, 20, 0, 0)],  # their side empty
        [Stratum("en", 3, 1, 2, 2)],  # too small on both sides, even pooled
    ],
    ids=["no strata", "no opinions", "empty side", "all small"],
)
def test_nothing_to_standardise(strata: list[Stratum]) -> None:
    assert standardise(strata) is None


def test_an_empty_side_or_a_missing_aspect_gives_no_comparison() -> None:
    ours = _cells(OWN, "delivery", {"en": (180, 20), "fr": (80, 120)})
    assert mix_comparisons(ours, OWN, min_sample=20) == []
    theirs = _cells(RIVAL, "price", {"en": (180, 20), "fr": (80, 120)})
    assert mix_comparisons(ours + theirs, OWN, min_sample=20) == []
    # Below min_sample over all reviews, the raw gap is not judged: nor is the adjusted.
    few = _cells(RIVAL, "delivery", {"en": (5, 2), "fr": (4, 4)})
    assert mix_comparisons(ours + few, OWN, min_sample=20) == []


def test_small_segments_are_pooled_into_other_and_coverage_is_said() -> None:
    # "de" and "it" have fewer than MIN_STRATUM opinions on our side: pooled with the
    # opinions that have no language ("-", in the whole only) into "other".
    ours = _cells(
        OWN, "delivery", {"en": (90, 10), "fr": (40, 60), "de": (2, 1), "it": (1, 0), "-": (5, 5)}
    )
    theirs = _cells(RIVAL, "delivery", {"en": (20, 5), "fr": (60, 90), "de": (10, 10), "it": (5, 5), "-": (3, 3)})  # fmt: skip
    [comparison] = mix_comparisons(ours + theirs, OWN, min_sample=20)
    assert comparison.adjusted.strata == ("fr", "en", OTHER)
    assert comparison.adjusted.pooled == 2
    assert comparison.adjusted.coverage == 1
    assert comparison.coverage_text() == "fr, en and other (2 small segments pooled into it)"
    # An "other" too small on one side is left out, and the share of opinions said.
    ours = _cells(OWN, "delivery", {"en": (90, 10), "fr": (40, 60), "de": (2, 1)})
    theirs = _cells(RIVAL, "delivery", {"en": (20, 5), "fr": (60, 90), "de": (10, 10)})
    [comparison] = mix_comparisons(ours + theirs, OWN, min_sample=20)
    assert comparison.adjusted.strata == ("fr", "en")
    assert comparison.adjusted.coverage == pytest.approx(375 / 398)
    assert "94% of opinions" in comparison.coverage_text()


def test_segments_at_zero_or_all_positive_keep_an_honest_interval() -> None:
    adjusted = standardise([Stratum("en", 40, 0, 0, 40), Stratum("fr", 0, 30, 30, 0)])
    assert adjusted is not None
    assert -2 < adjusted.gap.low < adjusted.gap.value < adjusted.gap.high < 2
    assert adjusted.gap.value == pytest.approx(2 * (80 - 60) / 140)


def test_the_adjusted_interval_covers_the_true_gap_about_95_percent() -> None:
    # Fixed seed; strata of unequal size and shares, the mix fixed as the standard.
    rng = random.Random(7)
    design = [(60, 0.9, 20, 0.95), (30, 0.4, 150, 0.5), (15, 0.7, 10, 0.2)]
    weights = [(a + b) for a, _, b, _ in design]
    truth = 2 * sum(w * (p - q) for w, (_, p, _, q) in zip(weights, design, strict=True))
    truth /= sum(weights)
    covered, runs = 0, 1500
    for _ in range(runs):
        strata = []
        for i, (n_own, p_own, n_their, p_their) in enumerate(design):
            own = sum(rng.random() < p_own for _ in range(n_own))
            theirs = sum(rng.random() < p_their for _ in range(n_their))
            strata.append(Stratum(str(i), own, n_own - own, theirs, n_their - theirs))
        adjusted = standardise(strata, Z_95)
        assert adjusted is not None
        covered += adjusted.gap.low <= truth <= adjusted.gap.high
    assert 0.93 <= covered / runs <= 0.98


# End to end: Rival A's reviews are 4 in 5 French, ours half; French reviewers harsher on
# delivery at every shop, and Rival A better than us in each language.
MIXED = SyntheticPlan(
    reviews=12000,
    company_languages={"Rival A": ("fr", "fr", "fr", "fr", "en")},
    language_positive_share={
        ("Own Coffee", "delivery", "en"): 0.9,
        ("Own Coffee", "delivery", "fr"): 0.4,
        ("Rival A", "delivery", "en"): 0.99,
        ("Rival A", "delivery", "fr"): 0.47,
    },
)


def test_a_simpson_case_is_shown_beside_the_raw_gap(engine: Engine, tmp_path: Path) -> None:
    populate(engine, MIXED)
    out = tmp_path / "out"
    build_report(engine, out)
    page = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    section = page.find("section", id="aspects")
    assert section is not None
    heading = section.find("h3", id="aspects-segment_mix")
    assert heading is not None
    table = heading.find_next("table")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]  # fmt: skip
    [delivery] = [r for r in rows if r[:3] == ["delivery", "Rival A", "language"]]
    assert delivery[3].startswith("+") and "(not significant)" not in delivery[3]
    assert delivery[4].startswith("−") or delivery[4].startswith("-")
    assert delivery[-1] == "reversed at a common mix"
    text = section.get_text(" ", strip=True)
    assert "delivery against Rival A" in text and "reverses the gap" in text
    # The whole-company weakness the raw gap makes is flagged where the finding is shown.
    opportunities = page.find("section", id="opportunities")
    assert opportunities is not None
    weakness = opportunities.find("h3", id="opportunities-weaknesses")
    assert weakness is not None
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in weakness.find_next("table").select("tbody tr")]  # fmt: skip
    assert ["Rival A", "delivery", "all reviews"] in [r[1:4] for r in rows]
    caveat = opportunities.find("ul")
    assert caveat is not None and "delivery against Rival A" in caveat.get_text()
    summary = (out / "summary.md").read_text("utf-8")
    assert "## Whole-company gaps adjusted for segment mix" in summary
    opportunities_md = summary.split("## Opportunities")[1].split("\n## ")[0]
    assert "- delivery against Rival A: ours − theirs +" in opportunities_md
    assert "delivery against Rival A" in summary.split("## Whole-company gaps")[1]
    with (out / "tables" / "aspects-segment_mix.csv").open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    [record] = [
        r
        for r in records
        if r["company"] == "Rival A" and r["aspect"] == "delivery" and r["dimension"] == "language"
    ]
    assert record["note"] == "reversed"
    assert float(record["raw"]) > 0 > float(record["adjusted"])


def test_no_mix_difference_says_the_adjustment_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    plan = SyntheticPlan(
        reviews=3000,
        positive_share={("Rival A", "delivery"): 0.2, ("Own Coffee", "delivery"): 0.9},
    )
    populate(engine, plan)
    out = tmp_path / "out"
    build_report(engine, out)
    summary = (out / "summary.md").read_text("utf-8")
    assert "changes none of them in sign or significance" in summary
    page = (out / "report.html").read_text("utf-8")
    assert "reverses the gap" not in page


def _snapshot(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        return dict(
            connection.execute(
                select(REPORT_RUN.c.snapshot).order_by(REPORT_RUN.c.id.desc()).limit(1)
            ).scalar_one()
        )


def test_findings_say_where_a_common_mix_reads_otherwise_and_old_reports_have_nothing(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    populate(engine, MIXED)
    runner = CliRunner()
    report = runner.invoke(app, ["report", "--out", str(tmp_path / "a"), "--db", db_url])
    assert report.exit_code == 0, report.output
    stored = stored_mix_notes(_snapshot(engine)[SEGMENT_MIX_KEY])
    assert stored is not None
    [delivery] = [n for n in stored if (n.competitor, n.aspect, n.dimension) == ("Rival A", "delivery", "language")]  # fmt: skip
    assert delivery.disagreement == "reversed"
    listed = runner.invoke(app, ["findings", "--db", db_url, "--competitor", "Rival A"])
    assert listed.exit_code == 0, listed.output
    assert "segment mix: delivery against Rival A" in " ".join(listed.output.split())
    # A report stored before the snapshot kept them: no line, no error; and the next
    # report compares its snapshot with that one as before.
    with engine.begin() as connection:
        old = {k: v for k, v in _snapshot(engine).items() if k != SEGMENT_MIX_KEY}
        connection.execute(REPORT_RUN.update().values(snapshot=old))
    listed = runner.invoke(app, ["findings", "--db", db_url, "--competitor", "Rival A"])
    assert listed.exit_code == 0, listed.output
    assert "segment mix" not in listed.output and "delivery" in listed.output
    again = runner.invoke(app, ["report", "--out", str(tmp_path / "b"), "--db", db_url])
    assert again.exit_code == 0, again.output
    assert SEGMENT_MIX_KEY in _snapshot(engine)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ({"competitor": "A"}, None),
        ([{"competitor": "A", "aspect": "price"}], None),
        (["x"], None),
        ([], []),
        (
            [StoredMixNote("A", "price", "region", "sign", "n").as_json()],
            [StoredMixNote("A", "price", "region", "sign", "n")],
        ),
    ],
    ids=["missing", "not a list", "incomplete", "not a dict", "none", "one"],
)
def test_stored_mix_notes_from_older_or_malformed_snapshots(
    value: object, expected: list[StoredMixNote] | None
) -> None:
    assert stored_mix_notes(value) == expected


def test_a_segment_named_other_is_a_segment_not_the_rest() -> None:
    adjusted = standardise([Stratum("other", 30, 10, 12, 18), Stratum("en", 20, 20, 25, 5)])
    assert adjusted is not None
    assert (adjusted.pooled, adjusted.coverage, len(adjusted.strata)) == (0, 1, 2)
    rest = standardise([Stratum("en", 30, 10, 12, 18), Stratum(OTHER, 20, 20, 25, 5, rest=True)])
    assert rest is not None and rest.strata == ("en", OTHER) and rest.pooled == 0


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every computation of the mix comparisons, whoever asks for it."""
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> list[MixComparison]:
        calls.append(1)
        return mix_comparisons(*args, **kwargs)

    monkeypatch.setattr(data_model, "mix_comparisons", counted)
    # Where the report's builder computed them for its snapshot before (none now).
    monkeypatch.setattr(build, "mix_comparisons", counted, raising=False)
    return calls


def test_a_report_computes_its_mix_comparisons_once(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot, the aspect comparison section (twice) and the opportunities and threats
    sections each computed them anew: five passes over every cell per report."""
    populate(engine, MIXED)
    calls = _counting(monkeypatch)
    build_report(engine, tmp_path / "out")
    assert len(calls) == 1
    assert "delivery against Rival A" in (tmp_path / "out" / "summary.md").read_text("utf-8")
    assert _snapshot(engine)[SEGMENT_MIX_KEY]


def test_report_data_computes_its_mix_comparisons_again_when_their_inputs_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own, rival = CompanyRef(OWN, "Own Coffee", own=True), CompanyRef(RIVAL, "Rival A", own=False)
    data = ReportData(
        scope=ReportScope(own, (rival,), None, None, 20),
        run_id=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        reviews=0,
        cells=_pair(SIMPSON),
        findings=[],
        ratings=[],
        trends=[],
        price_indices=[],
        rates=EuroRates("2026-01-01", "test", {}),
        needs=[],
    )
    calls = _counting(monkeypatch)
    first = data.mix_comparisons()
    assert [c.disagreement for c in first] == ["reversed"]
    first.clear()  # a caller's list is its own
    assert [c.disagreement for c in data.mix_comparisons()] == ["reversed"]
    assert len(calls) == 1
    data.cells = _pair(WORSE)
    assert [c.disagreement for c in data.mix_comparisons()] == [None]
    data.cells.extend(_cells(3, "delivery", {"en": (5, 5)}))
    data.mix_comparisons()
    data.scope = ReportScope(own, (rival,), None, None, 1000)  # both wholes too small now
    assert data.mix_comparisons() == []
    assert len(calls) == 4

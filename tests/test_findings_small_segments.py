"""Segments left out of a report for small samples are said, in one line, by `rivalscope
findings` and, once, the report's opportunities section, with the --min-sample that would compare
the largest of them (checked by running the report again with it)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from statistics import NormalDist

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from compare.report.aspects import AspectCell, Segment
from compare.report.findings import (
    SUGGEST_FLOOR,
    OwnBases,
    SegmentGroup,
    SmallSegments,
    decisive_sample,
)
from compare.report.report_runs import stored_small_segments
from compare.report.report_scope import CompanyRef, ReportScope
from compare.report.stats import net_sentiment
from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.cli import app

SMALL_PLAN = SyntheticPlan(
    reviews=150,
    positive_share={("Rival A", "delivery"): 0.15, ("Own Coffee", "delivery"): 0.9},
)
LINE = re.compile(
    r"Report #(\d+): (\d+) segments of competitors' reviews had fewer than (\d+) opinions on an "
    r"aspect, too few to compare \(largest: (\d+)\); `rivalscope report --min-sample (\d+)` "
    r"would compare (\d+) of them\."
)


def _small_line(output: str) -> tuple[int, ...]:
    found = [LINE.fullmatch(line) for line in output.splitlines()]
    matches = [m for m in found if m is not None]
    assert len(matches) == 1, output
    return tuple(int(g) for g in matches[0].groups())


def _reported(engine: Engine, db_url: str, out: Path) -> CliRunner:
    """``SMALL_PLAN`` stored, and its report written into ``out`` (report #1)."""
    populate(engine, SMALL_PLAN)
    runner = CliRunner()
    report = runner.invoke(app, ["report", "--out", str(out), "--db", db_url])
    assert report.exit_code == 0, report.output
    return runner


def test_findings_says_segments_too_small_and_a_min_sample_that_compares_them(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    runner = _reported(engine, db_url, tmp_path / "a")
    listed = runner.invoke(app, ["findings", "--db", db_url])
    assert listed.exit_code == 0, listed.output
    run, count, minimum, largest, suggested, compared = _small_line(listed.output)
    assert (run, minimum) == (1, 20)
    assert 1 <= suggested <= largest < minimum and 1 <= compared <= count
    page = (tmp_path / "a" / "report.html").read_text("utf-8")
    # Said once, in the opportunities section; the threats section (which judges at the
    # same --min-sample) points there rather than printing the same line again.
    said = f"{count} segments of competitors&#39; reviews had fewer than 20 opinions"
    assert page.count(said) == 1, page
    threats = page[page.index('id="threats"') :]
    assert f"The {count} segments too small to compare (see the opportunities)" in threats
    summary = (tmp_path / "a" / "summary.md").read_text("utf-8")
    assert summary.count("too few to compare") == 1, summary
    # Filters matching nothing still say it (the report left these segments out).
    none = runner.invoke(app, ["findings", "--db", db_url, "--kind", "competitor_strength"])
    assert none.exit_code == 0 and "match these filters" in none.output, none.output
    assert _small_line(none.output) == (run, count, minimum, largest, suggested, compared)
    # The suggested --min-sample compares the segments it said it would (and no longer
    # counts those between it and the old minimum that too few of ours left uncompared).
    again = runner.invoke(
        app,
        ["report", "--out", str(tmp_path / "b"), "--db", db_url, "--min-sample", str(suggested)],
    )
    assert again.exit_code == 0, again.output
    after = runner.invoke(app, ["findings", "--db", db_url])
    assert after.exit_code == 0, after.output
    run_after, count_after, minimum_after, *_ = _small_line(after.output)
    assert (run_after, minimum_after) == (2, suggested) and count_after <= count - compared


def test_findings_says_nothing_when_no_segment_was_too_small(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    populate(engine, SMALL_PLAN)
    runner = CliRunner()
    report = runner.invoke(
        app, ["report", "--out", str(tmp_path / "a"), "--db", db_url, "--min-sample", "1"]
    )
    assert report.exit_code == 0, report.output
    listed = runner.invoke(app, ["findings", "--db", db_url])
    assert listed.exit_code == 0, listed.output
    assert "too few to compare" not in listed.output


TOO_FEW = "of competitors' reviews had fewer than 30 opinions on an aspect, too few to compare"


@pytest.mark.parametrize(
    ("small", "expected"),
    [
        (SmallSegments(20), None),
        (
            SmallSegments(30, 3, 22, 22, 1),
            f"3 segments {TOO_FEW} (largest: 22); `rivalscope report --min-sample 22` would "
            "compare 1 of them.",
        ),
        (
            SmallSegments(30, 1, 7, 7, 1),
            f"1 segment {TOO_FEW} (7); `rivalscope report --min-sample 7` would compare it.",
        ),
        # Below the floor the report takes (a malformed snapshot), or none comparable with
        # ours (too few of our opinions on their aspects): no suggestion.
        (SmallSegments(30, 2, 5, 0, 2), f"2 segments {TOO_FEW} (largest: 5)."),
        (SmallSegments(30, 2, 5, 3, 0), f"2 segments {TOO_FEW} (largest: 5)."),
        # Below the floor, even with one of ours to compare it with (a stored snapshot).
        (SmallSegments(30, 2, 3, 3, 1), f"2 segments {TOO_FEW} (largest: 3)."),
        (SmallSegments(30, 2, 3, 2, 1), f"2 segments {TOO_FEW} (largest: 3)."),
        (
            SmallSegments(30, 4, 25, 12, 2),
            f"4 segments {TOO_FEW} (largest: 25); `rivalscope report --min-sample 12` would "
            "compare 2 of them.",
        ),
    ],
)
def test_small_segments_line(small: SmallSegments, expected: str | None) -> None:
    assert small.text() == expected


@pytest.mark.parametrize(
    "stored",
    [None, "x", {}, {"count": "many", "largest": 1, "suggest": 1, "compared": 1}, {"count": 1}],
)
def test_small_segments_not_stored_or_malformed_reads_as_none(stored: object) -> None:
    assert SmallSegments.from_json(stored, 20) is None


def test_findings_narrows_the_small_segments_to_the_competitor_and_aspect_asked_about(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    runner = _reported(engine, db_url, tmp_path / "a")
    stored = stored_small_segments(engine, 1)
    assert stored is not None and stored.groups is not None
    groups = stored.groups
    assert sum(g.count for g in groups) == stored.count
    delivery = next(g for g in groups if (g.competitor, g.aspect) == ("Rival B", "delivery"))
    rival_b = [g for g in groups if g.competitor == "Rival B"]
    cases = [
        (
            ["--competitor", "rival b", "--aspect", "Delivery"],
            f"{delivery.count} segments of Rival B's reviews had fewer than 20 opinions on "
            f"delivery, too few to compare (largest: {delivery.largest})",
        ),
        (
            ["--competitor", "RIVAL B"],
            f"{sum(g.count for g in rival_b)} segments of Rival B's reviews had fewer than 20 "
            f"opinions on an aspect, too few to compare (largest: "
            f"{max(g.largest for g in rival_b)})",
        ),
        (
            ["--aspect", "dostawa"],  # the taxonomy's Polish word for delivery
            f"{sum(g.count for g in groups if g.aspect == 'delivery')} segments of "
            "competitors' reviews had fewer than 20 opinions on delivery",
        ),
    ]
    for options, expected in cases:
        listed = runner.invoke(app, ["findings", "--db", db_url, *options])
        assert listed.exit_code == 0, listed.output
        lines = [line for line in listed.output.splitlines() if "too few to compare" in line]
        assert len(lines) == 1 and f"Report #1: {expected}" in lines[0], listed.output


def test_findings_says_small_segments_only_for_kinds_judged_per_segment(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Price gaps and unmet needs are judged on a company's whole: no segment of theirs was
    left out, so listing them alone says nothing of small segments."""
    runner = _reported(engine, db_url, tmp_path / "a")
    cases = [
        ([], True),
        (["--they-lead"], True),
        (["--kind", "competitor_weakness"], True),
        (["--kind", "competitor strength"], True),
        (["--kind", "price_gap"], False),
        (["--kind", "unmet_need"], False),
        (["--kind", "own_unmet_need"], False),
        (["--kind", "price_gap", "--aspect", "delivery"], False),
    ]
    for options, said in cases:
        listed = runner.invoke(app, ["findings", "--db", db_url, *options])
        assert listed.exit_code == 0, listed.output
        assert ("too few to compare" in listed.output) == said, (options, listed.output)


def test_the_floor_is_the_fewest_unanimous_opinions_whose_net_can_exclude_zero() -> None:
    assert SUGGEST_FLOOR == decisive_sample() == 4
    for rate, expected in [(0.2, 2), (0.1, 3), (0.05, 4), (0.01, 7)]:
        z = NormalDist().inv_cdf(1 - rate / 2)
        assert decisive_sample(rate) == expected
        assert net_sentiment(expected, 0, z).low > 0 >= net_sentiment(expected - 1, 0, z).low


OWN = CompanyRef(1, "Own Coffee", own=True)
RIVALS = (CompanyRef(2, "Rival A", own=False), CompanyRef(3, "Rival B", own=False))


def _cell(company_id: int, aspect: str, opinions: int, language: str | None = None) -> AspectCell:
    segment = Segment() if language is None else Segment("language", language)
    return AspectCell(
        company_id, aspect, segment, opinions, opinions, opinions // 2, opinions - opinions // 2
    )


@pytest.mark.parametrize(
    ("sizes", "suggest", "compared"),
    [
        # Segments of 2 and 3 opinions: no --min-sample below the floor is suggested.
        ([2, 3], 0, 0),
        ([1, 3, 3], 0, 0),
        ([2, 3, 4], 4, 1),
        ([4, 4, 9], 9, 1),
        ([9, 9], 9, 2),
    ],
)
def test_small_segments_never_suggests_a_min_sample_below_the_floor(
    sizes: list[int], suggest: int, compared: int
) -> None:
    cells = [_cell(OWN.id, "delivery", 200), _cell(2, "delivery", 300)]
    cells += [_cell(2, "delivery", n, f"l{i}") for i, n in enumerate(sizes)]
    small = SmallSegments.of(cells, ReportScope(OWN, RIVALS, None, None, 20))
    assert (small.count, small.largest, small.suggest, small.compared) == (
        len(sizes),
        max(sizes),
        suggest,
        compared,
    )
    text = small.text()
    assert text is not None and ("--min-sample" in text) == (suggest > 0), text


GROUPS = (
    SegmentGroup("Rival A", "delivery", 3, 12, 12, 1),
    SegmentGroup("Rival A", "customer_service", 2, 15, 0, 0),
    SegmentGroup("Rivâl B", "delivery", 4, 9, 9, 2),
)


@pytest.mark.parametrize(
    ("competitor", "aspect", "expected"),
    [
        (None, None, (9, 15, 12, 1, None, None)),
        ("rival a", None, (5, 15, 12, 1, "Rival A", None)),
        ("RIVAL B", None, (4, 9, 9, 2, "Rivâl B", None)),
        (None, "delivery", (7, 12, 12, 1, None, "delivery")),
        (None, "Customer-Service", (2, 15, 0, 0, None, "customer_service")),
        ("Rival B", "customer service", (0, 0, 0, 0, "Rival B", "customer service")),
    ],
)
def test_small_segments_narrowed(
    competitor: str | None, aspect: str | None, expected: tuple[object, ...]
) -> None:
    small = SmallSegments.of_groups(30, GROUPS)
    stored = SmallSegments.from_json(small.as_json(), 30)
    assert stored == small
    narrowed = small.narrowed(competitor, aspect)
    assert narrowed is not None
    assert (
        narrowed.count,
        narrowed.largest,
        narrowed.suggest,
        narrowed.compared,
        narrowed.competitor,
        narrowed.aspect,
    ) == expected
    assert (narrowed.text() is None) == (narrowed.count == 0)


def test_small_segments_of_an_earlier_report_are_not_narrowed() -> None:
    """Stored without their groups, the totals may be another competitor's: said without
    filters only."""
    stored = SmallSegments.from_json({"count": 3, "largest": 12, "suggest": 12, "compared": 1}, 20)
    assert stored is not None and stored.groups is None
    assert stored.narrowed(None, None) is stored
    assert stored.narrowed("Rival A", None) is None
    assert stored.narrowed(None, "delivery") is None


def _judged(cells: list[AspectCell], min_sample: int) -> int:
    """Competitors' segments a report at ``min_sample`` judges (as ``gap_family`` does),
    of those below the report's minimum of 20."""
    bases = OwnBases.of(cells, OWN.id, min_sample)
    return sum(
        1
        for cell in cells
        if cell.company_id != OWN.id
        and cell.segment.dimension != "all"
        and cell.opinions < 20
        and (based := bases.base(cell)) is not None
        and min(based[0].opinions, cell.opinions) >= min_sample
    )


@pytest.mark.parametrize(
    ("own", "sizes", "suggest", "compared"),
    [
        # Before: "--min-sample 5 would compare 1 of them" (the 5), which compares the 12 too.
        ({"delivery": 8}, {(2, "delivery"): [5, 12]}, 8, 1),
        ({"delivery": 10}, {(2, "delivery"): [6, 12, 15]}, 10, 2),
        ({"delivery": 9}, {(2, "delivery"): [6, 9, 9]}, 9, 2),
        # Before: Rival A's 12 (more than our 10) was not counted at --min-sample 9.
        ({"delivery": 10}, {(2, "delivery"): [12], (3, "delivery"): [9]}, 10, 1),
        ({"delivery": 10, "price": 200}, {(2, "delivery"): [12], (3, "price"): [9, 3]}, 10, 1),
        ({"delivery": 3}, {(2, "delivery"): [12, 15]}, 0, 0),
    ],
)
def test_small_segments_counts_every_segment_the_suggested_min_sample_compares(
    own: dict[str, int], sizes: dict[tuple[int, str], list[int]], suggest: int, compared: int
) -> None:
    cells = [_cell(OWN.id, aspect, n) for aspect, n in own.items()]
    for (company, aspect), group in sizes.items():
        cells.append(_cell(company, aspect, 300))
        cells += [_cell(company, aspect, n, f"l{i}") for i, n in enumerate(group)]
    small = SmallSegments.of(cells, ReportScope(OWN, RIVALS, None, None, 20))
    assert (small.suggest, small.compared) == (suggest, compared)
    if suggest:
        assert _judged(cells, suggest) == compared
        assert _judged(cells, suggest + 1) == 0  # the largest that compares any


def test_small_segments_claim_holds_on_random_segments() -> None:
    rng = random.Random(7)
    for _ in range(300):
        own = {aspect: rng.randint(0, 25) for aspect in ("delivery", "price")}
        cells = [_cell(OWN.id, aspect, n) for aspect, n in own.items() if n]
        for company in (2, 3):
            for aspect in own:
                cells.append(_cell(company, aspect, 300))
                sizes = [rng.randint(1, 19) for _ in range(rng.randint(0, 4))]
                cells += [_cell(company, aspect, n, f"l{i}") for i, n in enumerate(sizes)]
        small = SmallSegments.of(cells, ReportScope(OWN, RIVALS, None, None, 20))
        for stored in (small, SmallSegments.from_json(small.as_json(), 20)):
            assert stored is not None
            if stored.suggest:
                assert _judged(cells, stored.suggest) == stored.compared > 0
                assert all(_judged(cells, m) == 0 for m in range(stored.suggest + 1, 21))
            else:
                assert all(_judged(cells, m) == 0 for m in range(SUGGEST_FLOOR, 21))

"""Segments left out of a report for small samples are said, in one line, by `rivalscope
findings` and the report's opportunities section, with the --min-sample that would compare
the largest of them (checked by running the report again with it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from compare.report.findings import SmallSegments
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


def test_findings_says_segments_too_small_and_a_min_sample_that_compares_them(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    populate(engine, SMALL_PLAN)
    runner = CliRunner()
    report = runner.invoke(app, ["report", "--out", str(tmp_path / "a"), "--db", db_url])
    assert report.exit_code == 0, report.output
    listed = runner.invoke(app, ["findings", "--db", db_url])
    assert listed.exit_code == 0, listed.output
    run, count, minimum, largest, suggested, compared = _small_line(listed.output)
    assert (run, minimum) == (1, 20)
    assert 1 <= suggested <= largest < minimum and 1 <= compared <= count
    page = (tmp_path / "a" / "report.html").read_text("utf-8")
    assert f"{count} segments of competitors&#39; reviews had fewer than 20 opinions" in page
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

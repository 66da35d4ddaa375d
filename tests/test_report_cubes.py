"""The two segment cubes: review-level opinions from several mentions, segment roll-ups,
and the parallel scan giving the same cells as the sequential one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from compare.analysis.version import ANALYZER_VERSION
from compare.report import parallel_cubes
from compare.report.analysis_source import analysis_source
from compare.report.aspects import AspectCell, add_product_segments, aspect_cells
from compare.report.build import build_report
from compare.report.report_scope import resolve_scope
from compare.report.synthetic import SyntheticPlan, populate
from storage.schema import metadata

MENTION = metadata.tables["aspect_mention"]
ANALYSIS = metadata.tables["review_analysis"]
REVIEW = metadata.tables["review"]


def _cells(engine: Engine) -> list[AspectCell]:
    with engine.connect() as connection:
        scope = resolve_scope(connection, None, None, None, 20)
        reviews, opinions = parallel_cubes.segment_cubes(
            connection, scope, analysis_source(connection)
        )
        add_product_segments([opinions, reviews], connection)
    return sorted(aspect_cells(opinions, reviews), key=repr)


def _add_review(
    engine: Engine, review_id: int, company_id: int, labels: list[str], *, analysed: bool = True
) -> None:
    """A review whose sentences mention delivery with these labels (``analysed``: with its
    review-level analysis row, as `rivalscope analyze` stores it)."""
    with engine.begin() as connection:
        connection.execute(
            REVIEW.insert().values(
                id=review_id,
                company_id=company_id,
                source_id=1,
                content_key=f"cube-{review_id}",
                published=date(2025, 3, 1),
                language="en",
                region="North",
            )
        )
        if analysed:
            connection.execute(
                ANALYSIS.insert().values(
                    review_id=review_id,
                    analyzer_version=ANALYZER_VERSION,
                    company_id=company_id,
                    language="en",
                    label="neutral",
                    model="test",
                    analyzed_at=datetime.now(UTC),
                )
            )
        for position, label in enumerate(labels):
            connection.execute(
                MENTION.insert().values(
                    review_id=review_id,
                    company_id=company_id,
                    sentence_position=position,
                    aspect="delivery",
                    label=label,
                    term="delivery",
                )
            )


@pytest.mark.parametrize(
    ("labels", "positive", "negative"),
    [
        (["positive", "positive", "negative"], 1, 0),  # more praise than blame: positive
        (["positive", "negative"], 0, 0),  # a tie is neutral: a mention, not in the net
        (["negative", "neutral", "negative"], 0, 1),
        (["neutral"], 0, 0),
    ],
)
def test_a_review_has_one_opinion_per_aspect(
    engine: Engine, labels: list[str], positive: int, negative: int
) -> None:
    ids = populate(engine, SyntheticPlan(reviews=0))
    _add_review(engine, 7, ids["Rival A"], labels)
    delivery = [c for c in _cells(engine) if c.aspect == "delivery"]
    overall = next(c for c in delivery if c.segment.dimension == "all")
    assert (overall.mentioning, overall.positive, overall.negative) == (1, positive, negative)
    assert overall.reviews == 1
    by_segment = {(c.segment.dimension, c.segment.value) for c in delivery}
    assert by_segment == {("all", None), ("language", "en"), ("region", "North")}


def test_a_share_of_reviews_is_of_the_analysed_ones(engine: Engine) -> None:
    """A review not analysed yet mentions nothing yet: counted, it made every share of
    reviews mentioning an aspect smaller until `rivalscope analyze` ran."""
    ids = populate(engine, SyntheticPlan(reviews=0))
    _add_review(engine, 7, ids["Rival A"], ["negative"])
    _add_review(engine, 8, ids["Rival A"], ["positive"])
    for review_id in (9, 10):
        _add_review(engine, review_id, ids["Rival A"], [], analysed=False)
    overall = next(
        c for c in _cells(engine) if c.aspect == "delivery" and c.segment.dimension == "all"
    )
    assert (overall.mentioning, overall.reviews, overall.share.value) == (2, 2, 1.0)
    # an analysis of an earlier version still counts, as its mentions do (until analyze)
    with engine.begin() as connection:
        connection.execute(ANALYSIS.update().values(analyzer_version="0"))
    overall = next(
        c for c in _cells(engine) if c.aspect == "delivery" and c.segment.dimension == "all"
    )
    assert (overall.mentioning, overall.reviews) == (2, 2)


def test_parallel_scan_gives_the_sequential_cells(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(engine, SyntheticPlan(reviews=900, languages=("en", "fr", "pl")))
    monkeypatch.setattr(parallel_cubes, "MAX_PARTS", 1)
    sequential = _cells(engine)
    monkeypatch.setattr(parallel_cubes, "MAX_PARTS", 4)
    monkeypatch.setattr(parallel_cubes.os, "cpu_count", lambda: 4)
    assert _cells(engine) == sequential
    assert sum(c.mentioning for c in sequential if c.segment.dimension == "all") == 1800


def test_report_on_companies_without_reviews(engine: Engine, tmp_path: Path) -> None:
    populate(engine, SyntheticPlan(reviews=0))
    result = build_report(engine, tmp_path / "out")
    # Only the synthetic Rival A's dearer catalogue can be judged.
    assert [f.kind for f in result.findings] == ["price_gap"]
    assert (tmp_path / "out" / "report.html").is_file()

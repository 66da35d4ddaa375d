"""Ratings on the report's common scale: /5, /10 and /100 ratings and half stars land in
the same star bars on SQLite and PostgreSQL (hand-computed bars, real databases)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from compare.report.aspects import rating_summaries
from compare.report.cubes import review_cube
from compare.report.report_scope import resolve_scope
from compare.report.synthetic import SyntheticPlan, add_review, populate
from spiders.raw_fields import normalize_rating
from storage.db import open_database

RATINGS = [
    # (rating, best, nearest star on the 1-5 scale: 1 + 4 * normalised, a half up)
    (1.5, 5, 2),  # 0.125: half way between 1 and 2 stars
    (3.5, 5, 4),  # 0.625: PostgreSQL's ROUND on floats took this half to even, 3
    (4.5, 5, 5),
    (2.5, 5, 3),  # 0.375: ... and this one to 2
    (10, 10, 5),  # 1..10 scale (schema.org's default worst of 1): 1.0
    (1, 10, 1),
    (6, 10, 3),  # 5/9 = 0.556 -> 3.22 stars -> 3
    (50, 100, 3),  # 0..100 scale: 0.5 -> 3 stars
    (88, 100, 5),  # 0.88 -> 4.52 stars -> 5
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield engine
        return
    pg_url = request.getfixturevalue("pg_url")
    pg_engine = open_database(pg_url)
    yield pg_engine
    pg_engine.dispose()


def test_star_bars_of_other_scales_and_half_stars(any_engine: Engine) -> None:
    ids = populate(any_engine, SyntheticPlan(reviews=30, competitors=("Rival A",)))
    rival = ids["Rival A"]

    def bars() -> dict[int, int]:
        with any_engine.connect() as connection:
            scope = resolve_scope(connection, None, None, None, 20)
            summaries = rating_summaries(review_cube(connection, scope), scope)
        return next(s.stars for s in summaries if s.company_id == rival)

    before = bars()
    expected = dict.fromkeys(range(1, 6), 0)
    for i, (rating, best, star) in enumerate(RATINGS):
        normalised, _ = normalize_rating(rating, best, None)
        add_review(any_engine, rival, f"Rated {rating}/{best}.", "price", "neutral", 800_000 + i,
                   rating_normalized=normalised)  # fmt: skip
        expected[star] += 1
    after = bars()
    assert {s: after[s] - before[s] for s in range(1, 6)} == expected

"""Candidate aspects: frequent key phrases the taxonomy does not cover."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from compare.analysis.tables import KEY_PHRASE
from compare.analysis.taxonomy import Taxonomy

MIN_REVIEWS = 3
"""A phrase must occur in at least this many reviews to be proposed."""


def candidate_aspects(
    engine: Engine, taxonomy: Taxonomy, *, limit: int = 15, min_reviews: int = MIN_REVIEWS
) -> list[tuple[str, str | None, int]]:
    """(phrase, language, reviews) for the most frequent phrases with no taxonomy word."""
    c = KEY_PHRASE.c
    query = (
        select(c.phrase, c.language, func.count(func.distinct(c.review_id)).label("n"))
        .group_by(c.phrase, c.language)
        .having(func.count(func.distinct(c.review_id)) >= min_reviews)
        .order_by(func.count(func.distinct(c.review_id)).desc())
        .limit(limit * 20)
    )
    out: list[tuple[str, str | None, int]] = []
    with engine.connect() as connection:
        for phrase, language, count in connection.execute(query):
            words = str(phrase).split()
            if any(taxonomy.covers(word, language) for word in words):
                continue
            out.append((str(phrase), language, int(count)))
            if len(out) >= limit:
                break
    return out

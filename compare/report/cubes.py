"""The report's two scans of the data, each grouped by every segment column at once.

- ``review_cube``: reviews per (company, language, region, product, month) with rating sums
  and star counts, whether or not they mention an aspect. Grouped in the order of the
  ``ix_review_segments`` index (SQLite), so it streams without a sort.
- ``opinion_cube``: review-level aspect opinions per (company, language, region, product,
  month, aspect). A review's opinion on an aspect is positive when its positive mentions of
  it outnumber the negative ones, negative the other way round, else neutral (neutral
  opinions count as mentions, not in the net). Mentions are folded per review in the order
  of the (review_id, aspect, label) index, one column per aspect, so only the segment
  GROUP BY sorts, once, over reviews rather than mentions.

Everything the report shows per segment, month or company is rolled up from these two
small frames in pandas (rows grow with segments and days, not with reviews).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    case,
    func,
    literal_column,
    select,
    true,
)

from compare.report.analysis_coverage import analysed_any_version
from compare.report.analysis_source import AnalysisSource
from compare.report.report_scope import ReportScope
from compare.report.stored_tables import REVIEW
from storage.dialects import dialect_of

SEGMENT_COLUMNS = ["company_id", "language", "region", "product_id", "month"]
STARS = range(1, 6)
OPINION_COUNTS = ["reviews", "positive", "negative"]
"""Per aspect and segment: reviews mentioning the aspect, of which positive / negative."""


def review_cube(connection: Connection, scope: ReportScope) -> pd.DataFrame:
    """Reviews per segment, with ``analysed`` reviews (an analysis of any version, as the
    mentions the opinion cube counts: the reviews a share of reviews mentioning an aspect is
    of, since an unanalysed review mentions nothing yet), ``rated`` reviews, the sum of their
    normalised (0..1) ratings and ``stars_1`` .. ``stars_5`` (ratings rounded to a star)."""
    r = REVIEW.c
    condition = analysed_any_version(connection, r.id)
    analysed_count = func.count() if condition is None else func.sum(case((condition, 1), else_=0))
    # The nearest star, a half up (3.5 of 5 is 4): thresholds rather than ROUND, which
    # PostgreSQL takes half to even on floats (3.5 stars to 3, 4.5 to 5) and SQLite away
    # from zero, so half-star ratings fell into other bars on each database.
    star: ColumnElement[int] = literal_column("1")
    for s in STARS[1:]:
        star = star + case((r.rating_normalized >= (s - 1.5) / 4, 1), else_=0)
    keys = [
        r.company_id,
        r.language,
        r.region,
        r.product_id,
        dialect_of(connection).month_of(r.published),
    ]
    query = (
        select(
            *keys,
            func.count(),
            analysed_count,
            func.count(r.rating_normalized),
            func.sum(r.rating_normalized),
            *[func.sum(case((star == s, 1), else_=0)) for s in STARS],
        )
        .where(scope.review_filter())
        .group_by(*keys)
    )
    return pd.DataFrame(
        connection.execute(query).all(),
        columns=[
            *SEGMENT_COLUMNS,
            "reviews",
            "analysed",
            "rated",
            "rating_sum",
            *[f"stars_{s}" for s in STARS],
        ],
    )


def mentioned_review_ids(connection: Connection, source: AnalysisSource) -> tuple[int, int] | None:
    """Lowest and highest review id with an aspect mention (two index seeks)."""
    review_id = source.mention.c.review_id
    low, high = connection.execute(select(func.min(review_id), func.max(review_id))).one()
    return None if low is None else (int(low), int(high))


def mentioned_aspects(
    connection: Connection, scope: ReportScope, source: AnalysisSource
) -> list[str]:
    """Aspects any company in scope mentions: a skip scan of the (company_id, aspect) index,
    one seek per aspect instead of reading every mention."""
    mention = source.mention
    found: set[str] = set()
    for company_id in scope.company_ids:
        previous: str | None = None
        while True:
            query = select(func.min(mention.c.aspect)).where(mention.c.company_id == company_id)
            if previous is not None:
                query = query.where(mention.c.aspect > previous)
            previous = connection.execute(query).scalar()
            if previous is None:
                break
            found.add(previous)
    return sorted(found)


def opinion_cube(
    connection: Connection,
    scope: ReportScope,
    source: AnalysisSource,
    aspects: list[str],
    review_ids: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Per segment and aspect: ``reviews`` mentioning it, ``positive`` and ``negative``;
    only reviews with ids in ``review_ids`` (first, last) when given, so parts of the scan
    can run side by side (``parallel_cubes.py``) and be summed."""
    columns = [*SEGMENT_COLUMNS, "aspect", *OPINION_COUNTS]
    if not aspects:
        return pd.DataFrame(columns=columns)
    mention = source.mention
    in_range = true() if review_ids is None else mention.c.review_id.between(*review_ids)
    sign = case((mention.c.label == "positive", 1), (mention.c.label == "negative", -1), else_=0)
    # Per review and aspect: positive minus negative mentions, NULL when not mentioned.
    per_review = (
        select(
            mention.c.review_id,
            *[
                func.sum(case((mention.c.aspect == aspect, sign))).label(f"a{i}")
                for i, aspect in enumerate(aspects)
            ],
        )
        .where(in_range)
        .group_by(mention.c.review_id)
        .subquery("per_review")
    )
    counts = []
    for i in range(len(aspects)):
        net = per_review.c[f"a{i}"]
        counts += [
            func.count(net),
            func.sum(case((net > 0, 1), else_=0)),
            func.sum(case((net < 0, 1), else_=0)),
        ]
    keys = [
        REVIEW.c.company_id,
        REVIEW.c.language,
        REVIEW.c.region,
        REVIEW.c.product_id,
        dialect_of(connection).month_of(REVIEW.c.published),
    ]
    query = (
        select(*keys, *counts)
        .join(REVIEW, REVIEW.c.id == per_review.c.review_id)
        .where(scope.review_filter())
        .group_by(*_ordinals(keys))
    )
    wide = connection.execute(query).all()
    segments = len(keys)
    rows = [
        (*row[:segments], aspect, *row[segments + 3 * i : segments + 3 * i + 3])
        for row in wide
        for i, aspect in enumerate(aspects)
        if row[segments + 3 * i]
    ]
    return pd.DataFrame(rows, columns=columns)


def _ordinals(keys: list[Any]) -> list[ColumnElement[Any]]:
    """``GROUP BY 1, 2, ...``: expressions with bound literals are not repeated (PostgreSQL
    would not see ``to_char(x, $1)`` and ``to_char(x, $9)`` as the same expression)."""
    return [literal_column(str(position)) for position in range(1, len(keys) + 1)]

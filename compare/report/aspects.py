"""Aspect comparison, aggregated in SQL: per company, aspect and segment, how many reviews
mention the aspect and how many of those are positive or negative.

The unit is the review: a review's opinion on an aspect is positive when its positive
mentions of it outnumber the negative ones, negative the other way round, else neutral
(neutral opinions count as mentions but not in the net). These review-level opinions go
into a temporary table once, then each segment dimension is one GROUP BY over it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    case,
    func,
    literal,
    select,
)

from compare.report.analysis_source import AnalysisSource
from compare.report.scope import ReportScope
from compare.report.stats import Interval, net_sentiment, wilson_interval
from compare.report.tables import PRODUCT, REVIEW

DIMENSIONS = ("all", "language", "region", "category", "product")
"""Segment dimensions: everything, then each of the review's or product's attributes."""

OPINIONS_TABLE = "report_review_aspect"


@dataclass(frozen=True)
class Segment:
    """A slice of reviews; ``dimension == "all"`` is every review of the company."""

    dimension: str = "all"
    value: str | None = None

    def describe(self) -> str:
        return "all reviews" if self.dimension == "all" else f"{self.dimension} {self.value}"


@dataclass(frozen=True)
class AspectCell:
    """One company's opinions on one aspect within one segment."""

    company_id: int
    aspect: str
    segment: Segment
    reviews: int
    """Reviews of the company in the segment (mentioning the aspect or not)."""
    mentioning: int
    positive: int
    negative: int

    @property
    def opinions(self) -> int:
        return self.positive + self.negative

    @property
    def net(self) -> Interval:
        return net_sentiment(self.positive, self.negative)

    @property
    def share(self) -> Interval:
        """Share of the segment's reviews that mention the aspect."""
        return wilson_interval(min(self.mentioning, self.reviews), self.reviews)


def _month(column: ColumnElement[Any], dialect: str) -> ColumnElement[str]:
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


@contextmanager
def review_opinions(
    connection: Connection, scope: ReportScope, source: AnalysisSource
) -> Iterator[Table]:
    """A temporary table of review-level aspect opinions with the review's segments."""
    temp = Table(
        OPINIONS_TABLE,
        MetaData(),
        Column("review_id", Integer),
        Column("company_id", Integer),
        Column("aspect", String(100)),
        Column("opinion", Integer),
        Column("language", String(8)),
        Column("region", String(100)),
        Column("category", String(300)),
        Column("product", String(500)),
        Column("month", String(7)),
        prefixes=["TEMPORARY"],
    )
    temp.drop(connection, checkfirst=True)
    temp.create(connection)
    mention = source.mention
    label = mention.c.label
    per_review = (
        select(
            mention.c.review_id,
            mention.c.aspect,
            func.sum(case((label == "positive", 1), else_=0)).label("pos"),
            func.sum(case((label == "negative", 1), else_=0)).label("neg"),
        )
        .group_by(mention.c.review_id, mention.c.aspect)
        .subquery()
    )
    opinion = case(
        (per_review.c.pos > per_review.c.neg, 1),
        (per_review.c.neg > per_review.c.pos, -1),
        else_=0,
    )
    rows = (
        select(
            per_review.c.review_id,
            REVIEW.c.company_id,
            per_review.c.aspect,
            opinion,
            REVIEW.c.language,
            REVIEW.c.region,
            PRODUCT.c.category,
            PRODUCT.c.name,
            _month(REVIEW.c.published, connection.dialect.name),
        )
        .join(REVIEW, REVIEW.c.id == per_review.c.review_id)
        .outerjoin(PRODUCT, PRODUCT.c.id == REVIEW.c.product_id)
        .where(scope.review_filter())
    )
    connection.execute(temp.insert().from_select([c.name for c in temp.c], rows))
    # Evidence look-ups filter on these and take the newest reviews.
    Index(
        f"ix_{OPINIONS_TABLE}_lookup",
        temp.c.company_id,
        temp.c.aspect,
        temp.c.opinion,
        temp.c.review_id,
    ).create(connection)
    try:
        yield temp
    finally:
        temp.drop(connection, checkfirst=True)


def _dimension_column(table: Table, dimension: str) -> ColumnElement[Any]:
    return literal(None) if dimension == "all" else table.c[dimension]


def review_counts(
    connection: Connection, scope: ReportScope, dimension: str
) -> dict[tuple[int, str | None], int]:
    """(company id, segment value) -> reviews in scope."""
    if dimension in ("category", "product"):
        column: ColumnElement[Any] = (
            PRODUCT.c.category if dimension == "category" else PRODUCT.c.name
        )
    elif dimension == "all":
        column = literal(None)
    else:
        column = REVIEW.c[dimension]
    query = (
        select(REVIEW.c.company_id, column.label("value"), func.count())
        .select_from(REVIEW.outerjoin(PRODUCT, PRODUCT.c.id == REVIEW.c.product_id))
        .where(scope.review_filter())
        .group_by(REVIEW.c.company_id, column)
    )
    return {(row[0], row[1]): int(row[2]) for row in connection.execute(query)}


def aspect_cells(connection: Connection, scope: ReportScope, opinions: Table) -> list[AspectCell]:
    """Every (company, aspect, segment) cell over all dimensions; segments with a NULL value
    (no region shown, product without category) are left out of their dimension."""
    cells: list[AspectCell] = []
    for dimension in DIMENSIONS:
        totals = review_counts(connection, scope, dimension)
        column = _dimension_column(opinions, dimension)
        query = select(
            opinions.c.company_id,
            opinions.c.aspect,
            column.label("value"),
            func.count(),
            func.sum(case((opinions.c.opinion == 1, 1), else_=0)),
            func.sum(case((opinions.c.opinion == -1, 1), else_=0)),
        ).group_by(opinions.c.company_id, opinions.c.aspect, column)
        for company_id, aspect, value, mentioning, pos, neg in connection.execute(query):
            if dimension != "all" and value is None:
                continue
            cells.append(
                AspectCell(
                    company_id=int(company_id),
                    aspect=str(aspect),
                    segment=Segment(dimension, value),
                    reviews=totals.get((company_id, value), int(mentioning)),
                    mentioning=int(mentioning),
                    positive=int(pos or 0),
                    negative=int(neg or 0),
                )
            )
    return cells


@dataclass(frozen=True)
class MonthPoint:
    company_id: int
    month: str
    reviews: int
    average_rating: float | None
    """0..1."""
    positive: int
    negative: int


def monthly_trends(connection: Connection, scope: ReportScope, opinions: Table) -> list[MonthPoint]:
    """Per company and month: reviews, average normalised rating, aspect opinions."""
    month = _month(REVIEW.c.published, connection.dialect.name)
    reviews = {
        (row[0], row[1]): (int(row[2]), row[3])
        for row in connection.execute(
            select(REVIEW.c.company_id, month, func.count(), func.avg(REVIEW.c.rating_normalized))
            .where(scope.review_filter(), REVIEW.c.published.is_not(None))
            .group_by(REVIEW.c.company_id, month)
        )
    }
    opinions_by_month = {
        (row[0], row[1]): (int(row[2] or 0), int(row[3] or 0))
        for row in connection.execute(
            select(
                opinions.c.company_id,
                opinions.c.month,
                func.sum(case((opinions.c.opinion == 1, 1), else_=0)),
                func.sum(case((opinions.c.opinion == -1, 1), else_=0)),
            )
            .where(opinions.c.month.is_not(None))
            .group_by(opinions.c.company_id, opinions.c.month)
        )
    }
    points = []
    for (company_id, value), (count, average) in sorted(reviews.items(), key=lambda kv: kv[0][1]):
        pos, neg = opinions_by_month.get((company_id, value), (0, 0))
        points.append(
            MonthPoint(
                int(company_id),
                str(value),
                count,
                None if average is None else float(average),
                pos,
                neg,
            )
        )
    return points


@dataclass(frozen=True)
class RatingSummary:
    company_id: int
    reviews: int
    rated: int
    average: float | None
    """0..1; shown as ``1 + 4 * average`` stars."""
    stars: dict[int, int]
    """1..5 stars -> reviews (normalised ratings rounded to the nearest star)."""


def rating_summaries(connection: Connection, scope: ReportScope) -> list[RatingSummary]:
    """Rating distribution and average per company, on the common 0..1 scale."""
    star = func.round(REVIEW.c.rating_normalized * 4) + 1
    distribution: dict[int, dict[int, int]] = {c.id: {} for c in scope.companies}
    for company_id, stars, count in connection.execute(
        select(REVIEW.c.company_id, star, func.count())
        .where(scope.review_filter(), REVIEW.c.rating_normalized.is_not(None))
        .group_by(REVIEW.c.company_id, star)
    ):
        distribution[company_id][int(stars)] = int(count)
    summaries = []
    for company_id, count, rated, average in connection.execute(
        select(
            REVIEW.c.company_id,
            func.count(),
            func.count(REVIEW.c.rating_normalized),
            func.avg(REVIEW.c.rating_normalized),
        )
        .where(scope.review_filter())
        .group_by(REVIEW.c.company_id)
    ):
        summaries.append(
            RatingSummary(
                int(company_id),
                int(count),
                int(rated),
                None if average is None else float(average),
                {s: distribution[company_id].get(s, 0) for s in range(1, 6)},
            )
        )
    return summaries

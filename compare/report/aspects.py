"""Aspect comparison, trends and ratings, rolled up from the two cubes of ``cubes.py``.

The unit is the review (see ``cubes.py`` for a review's opinion on an aspect). Each segment
dimension is a pandas group-by over the small aggregated frames; segments with no value
(no region shown, product without category) are left out of their dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, select

from compare.report.cubes import STARS
from compare.report.report_scope import ReportScope
from compare.report.stats import Interval, net_sentiment, wilson_interval
from compare.report.stored_tables import PRODUCT

DIMENSIONS = ("all", "language", "region", "category", "product")
"""Segment dimensions: everything, then each of the review's or product's attributes."""
COUNTS = ["reviews", "positive", "negative"]


def aspect_label(aspect: str) -> str:
    """How an aspect or need topic reads in the report (``customer_service``: customer service)."""
    return aspect.replace("_", " ")


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
    """Analysed reviews of the company in the segment (mentioning the aspect or not)."""
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


def add_product_segments(frames: list[pd.DataFrame], connection: Connection) -> None:
    """Add ``category`` and ``product`` (name) columns from each row's ``product_id``
    (products are few: one query, mapped in pandas)."""
    ids = {int(i) for frame in frames for i in frame["product_id"].dropna().unique()}
    names: dict[int, str | None] = {}
    categories: dict[int, str | None] = {}
    if ids:
        for product_id, name, category in connection.execute(
            select(PRODUCT.c.id, PRODUCT.c.name, PRODUCT.c.category).where(PRODUCT.c.id.in_(ids))
        ):
            names[int(product_id)] = name
            categories[int(product_id)] = category
    for frame in frames:
        frame["product"] = frame["product_id"].map(names)
        frame["category"] = frame["product_id"].map(categories)


def _group_keys(dimension: str) -> list[str]:
    return [] if dimension == "all" else [dimension]


def aspect_cells(opinions: pd.DataFrame, reviews: pd.DataFrame) -> list[AspectCell]:
    """Every (company, aspect, segment) cell over all dimensions (frames from ``cubes.py``
    with product segments added)."""
    cells: list[AspectCell] = []
    for dimension in DIMENSIONS:
        keys = _group_keys(dimension)
        # Of the analysed reviews: one not analysed yet mentions nothing (yet), and counted
        # it made every share smaller until `rivalscope analyze` ran.
        totals = reviews.groupby(["company_id", *keys], dropna=True, sort=False)["analysed"].sum()
        counts = opinions.groupby(["company_id", "aspect", *keys], dropna=True, sort=True)[
            COUNTS
        ].sum()
        for key, mentioning, positive, negative in counts.itertuples(name=None):
            company_id, aspect, *rest = key
            value = rest[0] if rest else None
            total_key = (company_id, value) if rest else company_id
            cells.append(
                AspectCell(
                    company_id=int(company_id),
                    aspect=str(aspect),
                    segment=Segment(dimension, None if value is None else str(value)),
                    reviews=int(totals.get(total_key, mentioning)),
                    mentioning=int(mentioning),
                    positive=int(positive),
                    negative=int(negative),
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


def monthly_trends(opinions: pd.DataFrame, reviews: pd.DataFrame) -> list[MonthPoint]:
    """Per company and month: reviews, average normalised rating, aspect opinions."""
    per_month = reviews.groupby(["company_id", "month"], dropna=True, sort=False)[
        ["reviews", "rated", "rating_sum"]
    ].sum()
    polar = opinions.groupby(["company_id", "month"], dropna=True, sort=False)[
        ["positive", "negative"]
    ].sum()
    points = []
    for (company_id, month), count, rated, rating_sum in per_month.itertuples(name=None):
        positive, negative = (
            polar.loc[(company_id, month)].tolist()
            if (company_id, month) in polar.index
            else (0, 0)
        )
        points.append(
            MonthPoint(
                int(company_id),
                str(month),
                int(count),
                float(rating_sum) / int(rated) if rated else None,
                int(positive),
                int(negative),
            )
        )
    points.sort(key=lambda p: (p.month, p.company_id))
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


def rating_summaries(reviews: pd.DataFrame, scope: ReportScope) -> list[RatingSummary]:
    """Rating distribution and average per company, on the common 0..1 scale."""
    star_columns = [f"stars_{s}" for s in STARS]
    per_company = reviews.groupby("company_id", sort=True)[
        ["reviews", "rated", "rating_sum", *star_columns]
    ].sum()
    summaries = []
    for company_id, count, rated, rating_sum, *stars in per_company.itertuples(name=None):
        if company_id not in scope.company_ids:
            continue
        summaries.append(
            RatingSummary(
                int(company_id),
                int(count),
                int(rated),
                float(rating_sum) / int(rated) if rated else None,
                {s: int(n) for s, n in zip(STARS, stars, strict=True)},
            )
        )
    return summaries

"""Complaint share per company, aspect and month, and whether the last full month differs
from the months before it.

A review's opinion on an aspect is positive or negative as ``cubes.py`` folds it; the
complaint share of a month is its negative opinions over its positive and negative ones
(``(1 - net sentiment) / 2``: the same opinions as the net, in the words an analyst asks
in, "is their delivery complaint share rising?").

The test sets the last full month against the ``BASELINE_MONTHS`` calendar months before
it, pooled: two disjoint sets of reviews, so the difference of two independent proportions
(Newcombe's interval, as for the report's other shares). A report tests every company and
aspect with ``min_sample`` opinions on both sides at once, so they are one family, judged
at a 5 % false discovery rate with intervals adjusted to match (``stats.fdr_level``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from compare.report.stats import (
    FDR,
    FamilyLevel,
    Interval,
    fdr_level,
    proportion_difference,
    proportion_p_value,
)

BASELINE_MONTHS = 3
"""Months pooled before the last full month: a quarter, recent enough to be "before" and
enough opinions that one month's noise is not read as a move."""


@dataclass(frozen=True)
class AspectMonth:
    """One company's polar opinions on one aspect in one month (``YYYY-MM``)."""

    company_id: int
    aspect: str
    month: str
    positive: int
    negative: int

    @property
    def opinions(self) -> int:
        return self.positive + self.negative


def aspect_months(opinions: pd.DataFrame) -> list[AspectMonth]:
    """Per company, aspect and month, from the opinion cube (every segment summed)."""
    if opinions.empty:
        return []
    totals = opinions.groupby(["company_id", "aspect", "month"], dropna=True, sort=True)[
        ["positive", "negative"]
    ].sum()
    return [
        AspectMonth(int(company_id), str(aspect), str(month), int(positive), int(negative))
        for (company_id, aspect, month), positive, negative in totals.itertuples(name=None)
    ]


def months_up_to(month: str, count: int) -> list[str]:
    """The ``count`` calendar months (``YYYY-MM``) ending with ``month``, oldest first."""
    year, number = map(int, month.split("-"))
    shown = []
    for _ in range(count):
        shown.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return shown[::-1]


@dataclass(frozen=True)
class Complaints:
    """Negative opinions of ``opinions`` (positive and negative ones)."""

    negative: int
    opinions: int

    @property
    def share(self) -> float:
        return self.negative / self.opinions if self.opinions else 0.0


@dataclass(frozen=True)
class ComplaintTrend:
    """One company and aspect: complaints per month, and the last full month against the
    ``BASELINE_MONTHS`` before it."""

    company_id: int
    aspect: str
    months: dict[str, Complaints]
    latest: Complaints
    before: Complaints
    change: Interval
    """Complaint share of the last full month minus that of the months before, with its
    interval at the family's adjusted level."""
    p_value: float
    significant: bool


@dataclass(frozen=True)
class ComplaintTrends:
    """Every company and aspect tested, the months compared and how the family was judged."""

    latest_month: str | None
    """The last full month (None: no month to test)."""
    before_months: list[str]
    trends: list[ComplaintTrend]
    untested: int
    """Companies and aspects with opinions that fall short of ``min_sample`` on a side."""
    level: FamilyLevel


def complaint_trends(
    points: list[AspectMonth], latest_month: str | None, min_sample: int
) -> ComplaintTrends:
    """Test each company and aspect with ``min_sample`` opinions both in ``latest_month``
    and in the ``BASELINE_MONTHS`` before it."""
    if latest_month is None:
        return ComplaintTrends(None, [], [], 0, fdr_level([]))
    before_months = months_up_to(latest_month, BASELINE_MONTHS + 1)[:-1]
    series: dict[tuple[int, str], dict[str, Complaints]] = {}
    for point in points:
        series.setdefault((point.company_id, point.aspect), {})[point.month] = Complaints(
            point.negative, point.opinions
        )
    sides: dict[tuple[int, str], tuple[Complaints, Complaints]] = {}
    untested = 0
    for key, months in series.items():
        latest = months.get(latest_month, Complaints(0, 0))
        pooled = [months[m] for m in before_months if m in months]
        before = Complaints(sum(c.negative for c in pooled), sum(c.opinions for c in pooled))
        if min(latest.opinions, before.opinions) >= min_sample:
            sides[key] = (latest, before)
        elif latest.opinions or before.opinions:
            untested += 1
    p_values = {
        key: proportion_p_value(
            latest.negative, latest.opinions, before.negative, before.opinions, FDR
        )
        for key, (latest, before) in sides.items()
    }
    level = fdr_level(list(p_values.values()))
    trends = []
    for (company_id, aspect), (latest, before) in sides.items():
        change = proportion_difference(
            latest.negative, latest.opinions, before.negative, before.opinions, level.z
        )
        trends.append(
            ComplaintTrend(
                company_id,
                aspect,
                series[(company_id, aspect)],
                latest,
                before,
                change,
                p_values[(company_id, aspect)],
                change.excludes_zero(),
            )
        )
    return ComplaintTrends(latest_month, before_months, trends, untested, level)

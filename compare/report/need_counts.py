"""Needs per company (wishes, missing features, complaints): reviews voicing each, in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, case, func, select, true

from compare.report.analysis_source import AnalysisSource
from compare.report.evidence import EVIDENCE_IDS, Evidence, evidence_from_rows
from compare.report.report_scope import ReportScope
from compare.report.stats import Interval, wilson_interval
from compare.report.stored_tables import REVIEW

UNMET_KINDS = ("wish", "missing", "request")
"""Need kinds that say something is lacking (complaints are about what exists)."""
UNMET = "unmet"
"""The kind ``need_counts`` reports for any of ``UNMET_KINDS``."""


@dataclass(frozen=True)
class NeedCount:
    company_id: int
    need: str
    kind: str
    reviews: int
    """Reviews voicing the need."""
    company_reviews: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.need}"

    @property
    def share(self) -> Interval:
        return wilson_interval(min(self.reviews, self.company_reviews), self.company_reviews)


def need_counts(
    connection: Connection,
    scope: ReportScope,
    source: AnalysisSource,
    company_reviews: dict[int, int],
    only: ColumnElement[bool] | None = None,
) -> list[NeedCount]:
    """Every (company, need, kind) with the number of distinct reviews voicing it;
    ``company_reviews`` (company id -> analysed reviews in scope) is the denominator of its
    share, and ``only`` (a condition on the need's ``review_id``) keeps the numerator to the
    same reviews (a review analysed by an earlier version keeps its needs until analysed
    again)."""
    need = source.need
    topic = source.need_topic
    # Wishes, missing features and requests are one "unmet" need; complaints stay apart.
    kind = case((need.c.kind.in_(UNMET_KINDS), UNMET), else_=need.c.kind)
    query = (
        select(need.c.company_id, topic, kind, func.count(func.distinct(need.c.review_id)))
        .where(scope.rows_filter(need), true() if only is None else only)
        .group_by(need.c.company_id, topic, kind)
    )
    counts = [
        NeedCount(int(c), str(need), str(k), int(n), int(company_reviews.get(c, 0)))
        for c, need, k, n in connection.execute(query)
        if need is not None
    ]
    counts.sort(key=lambda n: (-n.reviews, n.need))
    return counts


def need_evidence(
    connection: Connection,
    scope: ReportScope,
    source: AnalysisSource,
    company_id: int,
    topic: str,
    kind: str | None = None,
) -> Evidence:
    """Review ids and quotes for one company's need topic (optionally only some kinds)."""
    need = source.need
    conditions = [
        scope.rows_filter(need),
        need.c.company_id == company_id,
        source.need_topic == topic,
    ]
    if kind == UNMET:
        conditions.append(need.c.kind.in_(UNMET_KINDS))
    elif kind is not None:
        conditions.append(need.c.kind == kind)
    rows = connection.execute(
        select(need.c.review_id, need.c.text, REVIEW.c.url)
        .select_from(need.join(REVIEW, REVIEW.c.id == need.c.review_id))
        .where(*conditions)
        .order_by(need.c.review_id.desc())
        .limit(EVIDENCE_IDS)
    ).all()
    # Distinct quotes: many reviewers word a wish the same way.
    return evidence_from_rows([(int(review_id), text, url) for review_id, text, url in rows])

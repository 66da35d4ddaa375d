"""Tables for gap reports: one row per report run, and the targeting findings it produced.

A finding is about a segment (competitor, aspect, product/category, language, region),
never about an individual: it stores review ids and short quotes as evidence, no authors.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

import storage.report_indexes  # noqa: F401  (the report's indexes on analysis tables)
from storage.models import _ts


class ReportRun(SQLModel, table=True):
    """One ``rivalscope report`` run: its options and a snapshot to diff the next run against."""

    __tablename__ = "report_run"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _ts()
    out_dir: str | None = Field(default=None, sa_type=Text)
    since: date | None = None
    until: date | None = None
    min_sample: int = 20
    competitors: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    reviews: int = 0
    """Reviews in scope (all companies)."""
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    """``"company|aspect" -> {"net": float, "n": int}`` for "what changed since last time"."""
    built_on: list[int] | None = Field(default=None, sa_column=Column(JSON))
    """``storage.data_fingerprint`` of the database when the report read it (row count and
    highest id of each table it reads): a later report on the same figures would repeat
    this one, so the scheduler skips it, also across restarts and ``schedule --once``."""


EFFECT_UNITS = {
    "competitor_weakness": "net sentiment difference, ours - theirs (-2..2)",
    "competitor_strength": "net sentiment difference, ours - theirs (-2..2)",
    "unmet_need": "share of reviews voicing it, theirs - ours (-1..1)",
    "own_unmet_need": "share of reviews voicing it, theirs - ours (-1..1)",
    "price_gap": "price premium over ours (0.1 = +10%)",
}
"""What a finding's stored ``effect`` measures, by its kind: the ``effect_unit`` column of
the report's findings.csv/json and of ``rivalscope export findings``."""
LEGACY_NEED_UNIT = "share of their reviews (0..1)"
"""What an ``unmet_need`` stored before revision 0018 measures (it has no
``competitor_value``): the competitor's share alone, not the difference with ours."""
VALUE_UNITS = {
    "competitor_weakness": "net sentiment (-1..1)",
    "competitor_strength": "net sentiment (-1..1)",
    "unmet_need": "share of reviews voicing it (0..1)",
    "own_unmet_need": "share of reviews voicing it (0..1)",
}
"""What ``competitor_value`` and ``own_value`` measure, by kind (prices have none)."""
COUNT_UNITS = {
    "competitor_weakness": "negative opinions",
    "competitor_strength": "negative opinions",
    "unmet_need": "reviews voicing it",
    "own_unmet_need": "reviews voicing it",
}
"""What ``competitor_count`` and ``own_count`` count, by kind (of ``sample_size`` and
``own_sample_size``: with them, the counts the test read)."""
SAMPLE_UNITS = {
    "competitor_weakness": "opinions",
    "competitor_strength": "opinions",
    "unmet_need": "reviews",
    "own_unmet_need": "reviews",
    "price_gap": "matched products",
}
"""What a finding's ``sample_size`` counts, by its kind (an opinion: one review's verdict on
one aspect): the ``sample_unit`` column of the same files, and the report's "n"."""


OWN_BASES = {
    "segment": "our reviews in the same segment",
    "company": "our whole company",
    "matched_products": "our matched products",
}
"""What a finding compares the competitor's side with (its ``own_base``): our reviews in
the same segment (language, region or category), our whole company (a finding on all their
reviews, a need, a segment of theirs where we have too few opinions of our own or none such:
a product), or our prices of the matched products."""


class FindingBase(SQLModel):
    competitor: str = Field(max_length=120, index=True)
    """Company name (denormalised so listings need no join)."""
    aspect: str = Field(max_length=100, index=True)
    """Aspect name, or the need for ``unmet_need``, or ``price`` for ``price_gap``."""
    kind: str = Field(max_length=30, index=True)
    """``competitor_weakness``, ``competitor_strength``, ``unmet_need``, ``own_unmet_need``
    (a need our reviewers voice more than theirs) or ``price_gap``."""
    segment_product: str | None = Field(default=None, max_length=500)
    segment_category: str | None = Field(default=None, max_length=300)
    segment_language: str | None = Field(default=None, max_length=8)
    segment_region: str | None = Field(default=None, max_length=100)
    effect: float
    """Gap in net sentiment (own - competitor), difference of need shares (competitor - own;
    before revision 0018 the competitor's share alone), or price index - 1."""
    effect_low: float
    effect_high: float
    sample_size: int
    """Competitor opinions (or reviews, or matched products) the effect rests on."""
    own_sample_size: int = 0
    competitor_value: float | None = None
    """Their side of the comparison (``VALUE_UNITS``): net sentiment on the aspect in the
    segment, share of their reviews voicing the need; None for prices and rows stored before
    revision 0018."""
    own_value: float | None = None
    """Ours, as ``competitor_value``, on the ``own_base`` it was compared with."""
    own_base: str | None = Field(default=None, max_length=20)
    """What the competitor's side was compared with (``OWN_BASES``): ``segment`` (our
    reviews in the same segment), ``company`` (our whole company) or ``matched_products``;
    rows stored before revision 0019 were back-filled with what that version compared."""
    competitor_count: int | None = None
    """Their reviews voicing the need, or negative opinions on the aspect (``COUNT_UNITS``)."""
    own_count: int | None = None
    p_value: float | None = None
    """Two-sided p-value of the comparison alone."""
    p_adjusted: float | None = None
    """Benjamini-Hochberg adjusted over every comparison of its kind the report made: at most
    0.05 for a finding (the selection's false discovery rate)."""
    score: float = Field(index=True)
    """Opportunity score: volume x competitor dissatisfaction x our advantage."""
    summary: str = Field(sa_type=Text)
    evidence_review_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON))
    quotes: list[str] = Field(default_factory=list, sa_column=Column(JSON))


class Finding(FindingBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    report_run_id: int = Field(foreign_key="report_run.id", index=True)
    competitor_id: int = Field(foreign_key="company.id", index=True)

"""Tables for review analysis (``rivalscope analyze``): one module, registered in schema.py.

``review_analysis`` has one row per review and analyser version. The detail tables
(sentences, aspect mentions, needs, key phrases) hold the current analysis only: when a
review is re-analysed its old detail rows are replaced. Aspect-mention, need and key-phrase
rows carry ``company_id``, ``published`` and ``language`` copied from the review so reports
aggregate them in SQL without joins, e.g.::

    SELECT company_id, aspect, label, count(*) FROM aspect_mention
    GROUP BY company_id, aspect, label
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import _ts


class ReviewAnalysis(SQLModel, table=True):
    """The review-level result: language, polarity, label and what produced it."""

    __tablename__ = "review_analysis"
    __table_args__ = (
        UniqueConstraint("review_id", "analyzer_version", name="uq_review_analysis_version"),
        Index("ix_review_analysis_company_label", "company_id", "label"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    """Looked up through ``uq_review_analysis_version``, whose first column it is."""
    analyzer_version: str = Field(max_length=20)
    company_id: int = Field(foreign_key="company.id")
    language: str | None = Field(default=None, max_length=8)
    """ISO 639-1 code; None when the text has no detectable language (emoji, empty)."""
    polarity: float | None = None
    """-1..1; None when the label is ``unknown``."""
    label: str = Field(max_length=10)
    """``positive``, ``negative``, ``neutral`` or ``unknown`` (nothing could score it)."""
    confidence: float = 0.0
    """0..1: the classifier's probability of its label; lexicons lower; 0 for unknown."""
    model: str = Field(max_length=60)
    """``classifier:<lang>@<model version>``, ``lexicon-vader-en+pattern-en``, ``lexicon-seed-fr+pattern-fr+cognate-fr+vader-fr``, ``lexicon-afinn-da`` or ``none``."""
    sentence_count: int = 0
    published: date | None = None
    analyzed_at: datetime = _ts()


class ReviewSentence(SQLModel, table=True):
    __tablename__ = "review_sentence"
    __table_args__ = (Index("ix_review_sentence_review", "review_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    position: int
    """0-based index of the sentence in the review (title first when there is one)."""
    text: str = Field(sa_type=Text)
    polarity: float | None = None
    label: str = Field(max_length=10)
    aspects: str | None = Field(default=None, max_length=300)
    """Comma-separated aspect names mentioned in the sentence."""


class AspectMention(SQLModel, table=True):
    """An aspect named in a sentence, with that sentence's polarity."""

    __tablename__ = "aspect_mention"
    # no index of its own on review_id or (company_id, aspect): the report's indexes
    # (storage/report_indexes.py) start with those columns and serve the same look-ups
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    company_id: int = Field(foreign_key="company.id")
    published: date | None = None
    language: str | None = Field(default=None, max_length=8)
    sentence_position: int
    aspect: str = Field(max_length=60)
    polarity: float | None = None
    label: str = Field(max_length=10)
    term: str = Field(max_length=100)
    """The taxonomy term that matched (its lemma form)."""


class ReviewNeed(SQLModel, table=True):
    """A sentence expressing a wish, missing feature, request or complaint."""

    __tablename__ = "review_need"
    __table_args__ = (
        Index("ix_review_need_company_aspect", "company_id", "aspect"),
        Index("ix_review_need_company_topic", "company_id", "topic"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    company_id: int = Field(foreign_key="company.id")
    published: date | None = None
    language: str | None = Field(default=None, max_length=8)
    sentence_position: int
    text: str = Field(sa_type=Text)
    kind: str = Field(max_length=12)
    """``wish``, ``missing``, ``request`` or ``complaint``."""
    aspect: str | None = Field(default=None, max_length=60)
    """First aspect the sentence mentions, if any."""
    topic: str | None = Field(default=None, max_length=80)
    """What is wished for: a canonical topic ("app", "timer", "quieter") or the head lemma
    of the wished-for thing in the review's language; None when nothing names it."""


class KeyPhrase(SQLModel, table=True):
    """A stopword-bounded lemma phrase of a review (candidate-aspect discovery)."""

    __tablename__ = "key_phrase"
    __table_args__ = (Index("ix_key_phrase_company_phrase", "company_id", "phrase"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    company_id: int = Field(foreign_key="company.id")
    language: str | None = Field(default=None, max_length=8)
    phrase: str = Field(max_length=200)

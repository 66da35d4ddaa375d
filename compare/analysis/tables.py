"""Core ``Table`` objects of the models analysis reads and writes (typed column access)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from storage.analysis_models import (
    AspectMention,
    KeyPhrase,
    ReviewAnalysis,
    ReviewNeed,
    ReviewSentence,
)
from storage.models import Review

REVIEW = cast(Table, Review.__table__)  # type: ignore[attr-defined]
REVIEW_ANALYSIS = cast(Table, ReviewAnalysis.__table__)  # type: ignore[attr-defined]
DETAIL_TABLES = tuple(
    cast(Table, model.__table__)  # type: ignore[union-attr]
    for model in (ReviewSentence, AspectMention, ReviewNeed, KeyPhrase)
)
REVIEW_SENTENCE, ASPECT_MENTION, REVIEW_NEED, KEY_PHRASE = DETAIL_TABLES

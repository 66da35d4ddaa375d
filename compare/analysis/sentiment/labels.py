"""Sentiment labels, and how star ratings become training labels."""

from __future__ import annotations

POSITIVE = "positive"
NEGATIVE = "negative"
NEUTRAL = "neutral"
UNKNOWN = "unknown"
"""No model and no lexicon for the language, or nothing to score: never a fake neutral."""

TRAINING_LABELS = (NEGATIVE, NEUTRAL, POSITIVE)

POSITIVE_RATING_AT_LEAST = 0.75
"""rating_normalized at or above this is a positive example (4 or 5 of 5)."""
NEGATIVE_RATING_AT_MOST = 0.25
"""rating_normalized at or below this is a negative example (1 or 2 of 5)."""


def normalized_rating(
    rating: float, best: float | None = None, worst: float | None = None
) -> float | None:
    """``rating`` mapped to 0..1 on a best/worst scale (5/1 when not given); None if invalid."""
    top = 5.0 if best is None else best
    bottom = (0.0 if top == 100 else 1.0) if worst is None else worst
    if top <= bottom or not bottom <= rating <= top:
        return None
    return (rating - bottom) / (top - bottom)


def label_from_rating(rating_normalized: float | None) -> str | None:
    """Training label for a 0..1 rating: clear ratings only, middle ones are skipped."""
    if rating_normalized is None:
        return None
    if rating_normalized >= POSITIVE_RATING_AT_LEAST:
        return POSITIVE
    if rating_normalized <= NEGATIVE_RATING_AT_MOST:
        return NEGATIVE
    return None


def label_from_polarity(polarity: float, neutral_band: float) -> str:
    """positive / negative / neutral by the sign of ``polarity`` outside a neutral band."""
    if polarity > neutral_band:
        return POSITIVE
    if polarity < -neutral_band:
        return NEGATIVE
    return NEUTRAL

"""Lexicon fallbacks for languages without a trained model: TextBlob (en), textblob-fr (fr).

Both work offline (their lexicons ship inside the packages). Product reviews lean
positive and lexicons miss much of it, so a score of exactly 0 (no opinion word found)
leans positive with low confidence instead of claiming a neutral the text may not have.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from compare.analysis.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE

FALLBACK_NEUTRAL_BAND = 0.0
NO_OPINION_POLARITY = 0.05
"""Polarity given when the lexicon finds no opinion word (reviews lean positive)."""
NO_OPINION_CONFIDENCE = 0.3


@lru_cache(maxsize=4)
def _analyzer(language: str) -> Callable[[str], float] | None:
    if language == "en":
        from textblob.en.sentiments import PatternAnalyzer

        english = PatternAnalyzer()
        return lambda text: float(english.analyze(text)[0])
    if language == "fr":
        try:
            from textblob_fr import PatternAnalyzer as FrenchAnalyzer
        except ImportError:  # optional dependency
            return None
        french = FrenchAnalyzer()
        return lambda text: float(french.analyze(text)[0])
    return None


def lexicon_name(language: str | None) -> str | None:
    """Name of the fallback lexicon for a language, or None if there is none."""
    if language is None or _analyzer(language) is None:
        return None
    return "textblob-en" if language == "en" else f"textblob-{language}"


def lexicon_scores(texts: list[str], language: str) -> list[tuple[float, str, float]]:
    """(polarity, label, confidence) per text from the language's lexicon.

    Raises KeyError when the language has no lexicon (check ``lexicon_name`` first).
    """
    analyze = _analyzer(language)
    if analyze is None:
        raise KeyError(language)
    out: list[tuple[float, str, float]] = []
    for text in texts:
        polarity = max(-1.0, min(1.0, analyze(text)))
        if polarity == 0.0:
            out.append((NO_OPINION_POLARITY, NEUTRAL, NO_OPINION_CONFIDENCE))
            continue
        label = POSITIVE if polarity > FALLBACK_NEUTRAL_BAND else NEGATIVE
        out.append((polarity, label, min(0.9, 0.5 + abs(polarity) / 2)))
    return out

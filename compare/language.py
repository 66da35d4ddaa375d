"""Offline language identification (lingua), limited to the languages we analyse.

Restricting lingua to a handful of languages makes it fast and far more accurate on
short review texts than an all-language model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

# ISO 639-1 codes we detect; "no" covers Bokmål and Nynorsk.
SUPPORTED = ("en", "fr", "pl", "no", "de", "it", "es", "nl", "sv", "da")
MIN_LETTERS = 3


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, "NB" if c == "no" else c.upper()) for c in SUPPORTED]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_preloaded_language_models()
        .build()
    )


def _code(language: object) -> str:
    iso = language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]
    return "no" if iso in ("nb", "nn") else iso


def detect_language(text: str | None) -> tuple[str | None, float]:
    """ISO 639-1 code of ``text`` and the detector's confidence (0..1).

    Returns ``(None, 0.0)`` for text with too few letters to tell (emoji, numbers).
    """
    if not text or sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None, 0.0
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    best = values[0]
    return _code(best.language), float(best.value)


def detect_languages(
    texts: list[str | None], *, parallel: bool = True
) -> list[tuple[str | None, float]]:
    """``detect_language`` over many texts; ``parallel`` uses every core (lingua's threads)."""
    out: list[tuple[str | None, float]] = [(None, 0.0)] * len(texts)
    todo = [
        (i, t) for i, t in enumerate(texts) if t and sum(ch.isalpha() for ch in t) >= MIN_LETTERS
    ]
    if not todo:
        return out
    detector = _detector()
    batch = [t for _, t in todo]
    if parallel:
        results = detector.compute_language_confidence_values_in_parallel(batch)
    else:
        results = [detector.compute_language_confidence_values(t) for t in batch]
    for (i, _), values in zip(todo, results, strict=True):
        if values:
            out[i] = (_code(values[0].language), float(values[0].value))
    return out

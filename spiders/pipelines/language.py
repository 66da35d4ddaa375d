"""Decides each review's language: its markup, else detection, else the target's hint.

Detection runs in batches (lingua is several times faster on a batch), so this module
offers ``assign_languages`` for the store pipeline and the importer; the pipeline
itself only normalises codes that markup declared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from settings.language_detection import SCANDINAVIAN, detect_languages
from settings.languages import normalize_language_code
from settings.records import ReviewItem

# Below this lingua confidence the target's hint is trusted more than the detector.
MIN_CONFIDENCE = 0.5
DOMINANT_SHARE = 0.75
"""A batch's Scandinavian language is clearly dominant with at least this share of its
confident Scandinavian detections and at least MIN_DOMINANT of them; a mixed Nordic shop
keeps each review's own detection."""
MIN_DOMINANT = 3


def assign_languages(
    reviews: Sequence[ReviewItem], hint: str | None, *, parallel: bool = True
) -> None:
    """Fill ``language``/``language_source`` on reviews that lack them, in place.

    ``parallel=False`` detects on one core (the store worker leaves the other to the crawl).
    """
    todo = [r for r in reviews if not r.language]
    if not todo:
        return
    texts: list[str | None] = [" ".join(filter(None, [r.title, r.text])) for r in todo]
    detected = _source_scandinavian(detect_languages(texts, parallel=parallel), hint)
    for review, (code, confidence) in zip(todo, detected, strict=True):
        if code and confidence >= MIN_CONFIDENCE:
            review.language, review.language_source = code, "detected"
        elif hint:
            review.language, review.language_source = hint, "hint"
        elif code:
            review.language, review.language_source = code, "detected"


def _source_scandinavian(
    detected: list[tuple[str | None, float]], hint: str | None
) -> list[tuple[str | None, float]]:
    """Scandinavian detections turned into the source's own Scandinavian language: the
    target's hint when it is one, else the batch's (one source's) clearly dominant one.

    lingua calls some short Norwegian reviews Danish (see
    ``settings.language_detection.SCANDINAVIAN``); a Norwegian shop's reviews are not
    interleaved with the odd Danish one."""
    own = hint if hint in SCANDINAVIAN else None
    if own is None:
        counts = Counter(
            code
            for code, confidence in detected
            if code in SCANDINAVIAN and confidence >= MIN_CONFIDENCE
        )
        if not counts:
            return detected
        code, count = counts.most_common(1)[0]
        if count < MIN_DOMINANT or count < DOMINANT_SHARE * sum(counts.values()):
            return detected
        own = code
    return [
        (own, confidence) if code in SCANDINAVIAN else (code, confidence)
        for code, confidence in detected
    ]


class LanguagePipeline:
    """Normalises declared language codes (detection happens in batches at storing)."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ReviewItem) and item.language:
            item.language = normalize_language_code(item.language)
            item.language_source = item.language_source or "markup" if item.language else None
        return item

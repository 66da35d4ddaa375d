"""Decides each review's language: its markup, else detection, else the target's hint.

Detection runs in batches (lingua is several times faster on a batch), so this module
offers ``assign_languages`` for the batch stage (``stages``); per record, only codes that
markup declared are normalised.
"""

from __future__ import annotations

from collections.abc import Sequence

from settings.language_detection import SCANDINAVIAN, detect_languages
from settings.records import ReviewItem

# Below this lingua confidence the target's hint is trusted more than the detector.
MIN_CONFIDENCE = 0.5


def assign_languages(
    reviews: Sequence[ReviewItem], hint: str | None, *, parallel: bool = True
) -> None:
    """Fill ``language``/``language_source`` on reviews that lack them, in place.

    ``parallel=False`` detects on one core (the store worker leaves the other to the crawl).
    """
    todo, texts = detection_texts(reviews)
    if todo:
        apply_languages(todo, detect_languages(texts, parallel=parallel), hint)


def detection_texts(
    reviews: Sequence[ReviewItem],
) -> tuple[list[ReviewItem], list[str | None]]:
    """The reviews that lack a language, and the text detection reads for each (title and
    text): detection can then run elsewhere (the import's detection process)."""
    todo = [r for r in reviews if not r.language]
    return todo, [" ".join(filter(None, [r.title, r.text])) for r in todo]


def apply_languages(
    todo: Sequence[ReviewItem], detected: list[tuple[str | None, float]], hint: str | None
) -> None:
    """Fill ``language``/``language_source`` of ``todo`` (``detection_texts``) from the
    detection of their texts, in place."""
    detected = _source_scandinavian(detected, hint)
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
    """Scandinavian detections turned into the target's language when its hint is a
    Scandinavian one; without such a hint each review keeps its own detection.

    lingua calls some short Norwegian reviews Danish (see
    ``settings.language_detection.SCANDINAVIAN``); a Norwegian shop's hint keeps them
    Norwegian. The choice never looks at the other reviews of the batch: a review's language must not depend on the batch it arrives in
    (a distributed crawl batches differently from a single process, an import differently
    from a crawl)."""
    if hint not in SCANDINAVIAN:
        return detected
    return [
        (hint, confidence) if code in SCANDINAVIAN else (code, confidence)
        for code, confidence in detected
    ]

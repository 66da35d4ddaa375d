"""Decides each review's language: its markup, else detection, else the target's hint.

Detection runs in batches (lingua is several times faster on a batch), so this module
offers ``assign_languages`` for the batch stage (``stages``); per record, only codes that
markup declared are normalised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from settings.language_detection import SCANDINAVIAN, detect_languages
from settings.records import ReviewItem

# Below this lingua confidence the target's hint is trusted more than the detector.
MIN_CONFIDENCE = 0.5

# A file's Scandinavian language (``dominant_scandinavian``) is read from its reviews of at
# least this many words (at 15 words, 92.5 % of Norwegian reviews read as Norwegian, at 25
# words 95.8 %; 2,000 NoReC reviews) ...
DECIDING_WORDS = 15
# ... when at least this many of them read as Scandinavian ...
MIN_DECIDING = 30
# ... and this share of those agree: a Norwegian file of 30 such reviews falls below it by
# chance about once in 200 files (binomial, 7.5 % misread), a mixed Nordic shop's file does
# not reach it, and then nothing is assumed.
MIN_AGREEMENT = 0.8


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
    for review, (code, confidence) in zip(todo, detected, strict=True):
        code = _scandinavian(code, hint, review.page_language)
        if code and confidence >= MIN_CONFIDENCE:
            review.language, review.language_source = code, "detected"
        elif hint:
            review.language, review.language_source = hint, "hint"
        elif code:
            review.language, review.language_source = code, "detected"


def dominant_scandinavian(texts: Sequence[str | None]) -> str | None:
    """The Scandinavian language the long texts of one file (an import's export from one
    shop) agree on, or None: like a crawled page's ``lang``, it settles which Scandinavian
    language its short reviews are in (``ReviewItem.page_language``). Deterministic for a
    file: it never depends on how the import batches the rows."""
    long: list[str | None] = [t for t in texts if t and len(t.split()) >= DECIDING_WORDS]
    codes = [
        code
        for code, confidence in detect_languages(long, parallel=False)
        if code in SCANDINAVIAN and confidence >= MIN_CONFIDENCE
    ]
    if len(codes) < MIN_DECIDING:
        return None
    code, count = Counter(codes).most_common(1)[0]
    return code if count >= MIN_AGREEMENT * len(codes) else None


def _scandinavian(code: str | None, hint: str | None, page_language: str | None) -> str | None:
    """A Scandinavian detection turned into the target's language when its hint is a
    Scandinavian one, else into the language the review's page declares when that is one;
    otherwise the detection as it is.

    lingua calls some short Norwegian reviews Danish (see
    ``settings.language_detection.SCANDINAVIAN``; of 2,000 Norwegian reviews cut to their
    first 15 words, 6.7 % Danish and 0.8 % Swedish, at 30 words 3.0 % and 0.5 %): a Norwegian
    shop's hint, or its pages' ``lang="nb"``, keeps them Norwegian. The choice never looks at
    the other reviews of the batch: a review's language must not depend on the batch it
    arrives in (a distributed crawl batches differently from a single process, an import
    differently from a crawl)."""
    if code not in SCANDINAVIAN:
        return code
    if hint in SCANDINAVIAN:
        return hint
    if page_language in SCANDINAVIAN:
        return page_language
    return code

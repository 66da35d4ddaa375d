"""Candidate aspects: frequent key phrases the taxonomy does not cover.

A phrase holding a word the language's sentiment lexicons rate is an opinion, not a thing
a review is about: "kjempefornøyd" (very satisfied), "fantastisk sekk", "zadowolony",
"cichy" were listed as aspects to add to the taxonomy (met by a QA walk on Norwegian and
Polish shop reviews). The thing itself ("sekk") is still listed by its own count."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from compare.analysis.sentiment.lexicon_features import (
    SEED_CHANNEL,
    lexicon_channels,
    load_lexicon,
    opinion_words,
)
from compare.analysis.tables import KEY_PHRASE
from compare.analysis.taxonomy import Taxonomy

MIN_REVIEWS = 3
"""A phrase must occur in at least this many reviews to be proposed."""


def candidate_aspects(
    engine: Engine, taxonomy: Taxonomy, *, limit: int = 15, min_reviews: int = MIN_REVIEWS
) -> list[tuple[str, str | None, int]]:
    """(phrase, language, reviews) for the most frequent phrases with no taxonomy word."""
    c = KEY_PHRASE.c
    query = (
        select(c.phrase, c.language, func.count(func.distinct(c.review_id)).label("n"))
        .group_by(c.phrase, c.language)
        .having(func.count(func.distinct(c.review_id)) >= min_reviews)
        .order_by(func.count(func.distinct(c.review_id)).desc())
        .limit(limit * 20)
    )
    out: list[tuple[str, str | None, int]] = []
    with engine.connect() as connection:
        for phrase, language, count in connection.execute(query):
            words = str(phrase).split()
            if any(taxonomy.covers(word, language) for word in words):
                continue
            if _names_an_opinion(words, language):
                continue
            out.append((str(phrase), language, int(count)))
            if len(out) >= limit:
                break
    return out


OPINION_VALENCE = 1.5
"""Valence (VADER's scale, -4..4) from which a lexicon word is an opinion here: the larger
lexicons also rate content words weakly (Pattern's "small" -1.0, "new" 0.5)."""


def _names_an_opinion(words: list[str], language: str | None) -> bool:
    """Whether a word of the phrase (lemmas) is a clear opinion word of the language's
    lexicons: rated at OPINION_VALENCE or more by our hand-written seed words, or by one
    lexicon and rated by a second, so that one borrowed lexicon's reading of a noun as an
    adjective (Pattern's "sound", 1.6; the French VADER's "prix", 2.3) hides no aspect."""
    if not language:
        return False
    channels = lexicon_channels(language)
    if not channels or opinion_words(channels).isdisjoint(words):
        return False
    for word in words:
        rated = {c: abs(load_lexicon(c)[word]) for c in channels if load_lexicon(c).get(word)}
        if not rated or max(rated.values()) < OPINION_VALENCE:
            continue
        if len(rated) >= 2 or rated.get(SEED_CHANNEL + language, 0.0) >= OPINION_VALENCE:
            return True
    return False

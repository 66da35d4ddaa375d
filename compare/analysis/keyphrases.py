"""Key phrases: stopword-bounded word n-grams, as lemmas (no part-of-speech tagger needed).

A run of content words between stopwords or punctuation is a candidate; its 1-3 word
lemma n-grams are the phrases. Frequent phrases the taxonomy does not cover are
reported as candidate aspects.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from settings.languages import normalize_language_code

STOPWORDS_FILE = Path(__file__).parent / "data" / "stopwords.toml"
MAX_PHRASE_WORDS = 3
MIN_WORD_LETTERS = 3


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    data = tomllib.loads(STOPWORDS_FILE.read_text("utf-8"))
    return {lang: frozenset(str(words).split()) for lang, words in data.items()}


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """The language's stopwords (empty for languages without a list)."""
    return _stopwords().get(normalize_language_code(language) or "", frozenset())


def phrase_stopwords(language: str | None, learnt: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words that bound key phrases and need topics: the language's stopwords and the
    function words learnt from the reviews (``compare.analysis.function_words``)."""
    return stopwords(language) | learnt


def candidate_phrases(
    tokens: list[str],
    lemmas: list[str],
    language: str | None,
    limit: int | None = None,
    stop: frozenset[str] | None = None,
) -> list[str]:
    """Lemma n-grams (1..3 words) from runs of content words, run by run, longest n-grams
    first (only the first ``limit`` phrases, if given). ``stop``: the words that bound runs
    (default the language's stopwords; ``phrase_stopwords`` adds learnt function words)."""
    phrases: list[str] = []
    seen: set[str] = set()
    for run in _content_runs(tokens, lemmas, stopwords(language) if stop is None else stop):
        for size in range(min(MAX_PHRASE_WORDS, len(run)), 0, -1):
            for start in range(len(run) - size + 1):
                phrase = " ".join(run[start : start + size])
                if phrase not in seen:
                    if len(phrases) == limit:
                        return phrases
                    seen.add(phrase)
                    phrases.append(phrase)
    return phrases


def _content_runs(
    tokens: list[str], lemmas: list[str], stop: frozenset[str]
) -> Iterator[list[str]]:
    """Lemmas of the runs of content words (not stopwords, long enough), in order."""
    run: list[str] = []
    for token, lemma in zip(tokens, lemmas, strict=True):
        if token in stop or lemma in stop or len(token) < MIN_WORD_LETTERS:
            if run:
                yield run
                run = []
            continue
        run.append(lemma)
    if run:
        yield run

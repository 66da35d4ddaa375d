"""Function words learnt from the reviews themselves: words spread as evenly as ``the``.

The hand-written stopword lists (``data/stopwords.toml``) are short, so on long reviews
words such as "kanskje", "her" or "når" bounded no key phrase and became candidate aspects
and need topics. A longer list would also hold content words ("tid", "verdi" are in
stopwords-iso's Norwegian list), so the words are recognised by how they are spread.

A content word is bursty: a review that uses it once tends to use it again, so it occurs
in fewer reviews than its count predicts if its occurrences fell at random (Church and
Gale's residual IDF). A function word occurs about where chance puts it. For each word the
ratio of the reviews it occurs in to the number a random spread of its occurrences gives
(``Σ_review 1 - exp(-count · length / total length)``, a Poisson model that takes each
review's length into account) measures how evenly it is spread. The threshold is
calibrated on the same reviews: the language's hand-listed stopwords that are frequent
enough to be measured give the evenness and the frequency of known function words, and a
word at least as even as three quarters of them (their first quartile) and in as many
reviews as nine tenths of them is a function word too.

Evidence is required before anything is learnt, so small or short corpora learn nothing:
- the reviews must be long enough for a word to repeat in one (median length), else every
  word looks even (sentences and tweets);
- a word must have enough repeats expected for its spread to be measured at all;
- at least ``MIN_CALIBRATION`` known stopwords must be measurable.
A word the taxonomy (or a caller's ``keep``) names as an aspect term is never learnt:
"price" is spread evenly in a shop's reviews, but it is an aspect.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import compress
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, func, select

from compare.analysis.keyphrases import MIN_WORD_LETTERS, stopwords
from compare.analysis.need_topics import canonical_topic
from compare.analysis.tables import REVIEW
from compare.analysis.taxonomy import Taxonomy
from compare.analysis.text import lemmas, tokenize
from compare.analysis.version import ANALYZER_VERSION
from settings.languages import Resource, registered_language

MIN_MEDIAN_TOKENS = 50
"""Reviews shorter than this (median, in tokens) rarely repeat any word, so their spread says
nothing about the word (Polish review sentences: 19 tokens, French tweets: 15)."""
MIN_REPEATS = 50.0
"""A word's occurrences beyond the first in a review, as a random spread expects them: below
this its evenness is too noisy to be measured (a few hundred short reviews)."""
MIN_CALIBRATION = 10
"""Known stopwords that must be measurable to calibrate the threshold."""
EVEN_QUANTILE = 0.25
"""A word must be at least as even as this quantile of the measurable known stopwords..."""
FREQUENT_QUANTILE = 0.1
"""...and in as large a share of the reviews as this quantile of them: function words are
the most frequent words, and a less frequent content word that happens to be spread evenly
("lyd", sound, in 15 % of long Norwegian reviews against 21 % for the least frequent tenth
of the stopwords) stays a content word."""
MIN_REVIEWS = 5
"""Words in fewer reviews are not measured (they cannot matter to the lists either)."""
LEARN_SAMPLE = 3_000
"""Newest reviews of a language the words are learnt from: enough to measure the spread of
words, at a bounded cost on a large database."""
RELEARN_GROWTH = 1.2
"""The words are learnt again when a language's reviews grew by 20 % since they were learnt
(kept in ``CACHE_NAME`` beside the database's models, or as a file of its newest model
version when the database keeps them itself, ``compare.analysis.model_versions``): learning from 3,000 long reviews
costs ~3 CPU-seconds, too much for every analysis of a few new reviews."""
CACHE_NAME = "function_words.json"
BLOCK = 1_000
"""Words per step of the expected-spread sum (bounds its memory: words x review lengths)."""


def learn_function_words(
    reviews: Iterable[tuple[list[str], list[str]]],
    known: frozenset[str],
    keep: Callable[[str], bool],
) -> frozenset[str]:
    """Lemmas spread as evenly as the known stopwords ``known`` across ``reviews`` (each its
    tokens and their lemmas, one language), not in ``known`` and not ``keep(lemma)``; empty
    when the reviews cannot tell (see the module doc)."""
    # counted in C: a review's lemmas once each in order of first use (the words keep the
    # order in which the reviews first use them), and all of them
    in_reviews: Counter[str] = Counter()
    total: Counter[str] = Counter()
    lengths: list[int] = []
    for tokens, review_lemmas in reviews:
        kept = list(compress(review_lemmas, map(MIN_WORD_LETTERS.__le__, map(len, tokens))))
        in_reviews.update(dict.fromkeys(kept).keys())
        total.update(kept)
        lengths.append(len(tokens))
    if not lengths or float(np.median(lengths)) < MIN_MEDIAN_TOKENS:
        return frozenset()
    words = [word for word, n in in_reviews.items() if n >= MIN_REVIEWS]
    if not words:
        return frozenset()
    holding = np.array([in_reviews[w] for w in words], dtype=float)
    evenness, repeats = _evenness(
        holding,
        np.array([total[w] for w in words], dtype=float),
        np.array(lengths, dtype=float),
    )
    share = holding / len(lengths)
    measured = repeats >= MIN_REPEATS
    calibration = [i for i, w in enumerate(words) if measured[i] and w in known]
    if len(calibration) < MIN_CALIBRATION:
        return frozenset()
    even_enough = float(np.quantile(evenness[calibration], EVEN_QUANTILE))
    frequent_enough = float(np.quantile(share[calibration], FREQUENT_QUANTILE))
    return frozenset(
        word
        for i, word in enumerate(words)
        if measured[i]
        and evenness[i] >= even_enough
        and share[i] >= frequent_enough
        and word not in known
        and not keep(word)
    )


def _evenness(
    in_reviews: np.ndarray, total: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(reviews holding each word / reviews a random spread of its occurrences fills, the
    repeats that spread expects), each word's count spread over reviews by their length."""
    # reviews of one length share their term: the sum runs over distinct lengths
    sizes, per_size = np.unique(lengths, return_counts=True)
    share = sizes / lengths.sum()
    expected = np.concatenate(
        [
            -np.expm1(-np.outer(total[start : start + BLOCK], share)) @ per_size
            for start in range(0, len(total), BLOCK)
        ]
    )
    return in_reviews / expected, total - expected


def database_function_words(
    engine: Engine, taxonomy: Taxonomy, languages: list[str], cache: Path
) -> dict[str, frozenset[str]]:
    """Language -> the function words its newest ``LEARN_SAMPLE`` reviews show beyond its
    stopword list, for the ``languages`` with phrase analysis; learnt again only when the
    language's reviews grew by ``RELEARN_GROWTH`` since the words in ``cache`` were learnt
    (a cache that cannot be read or written is learnt anew). The taxonomy's terms and the
    bundled need topics are never among them (checked again on cached words: the taxonomy
    can change between analyses). ``FunctionWordsPlan`` does the same in steps, so that the
    learning can run elsewhere (``learn_language``, e.g. on a process pool)."""
    plan = plan_function_words(engine, taxonomy, languages, cache)
    return plan.finish(
        {code: learn_language(code, learning_texts(engine, code)) for code in plan.to_learn}
    )


@dataclass
class FunctionWordsPlan:
    """What ``database_function_words`` finds cached and what it must learn anew."""

    taxonomy: Taxonomy
    cache: Path | None
    """The file the words were read from (None: none kept yet)."""
    languages: list[str]
    """The languages with phrase analysis, in the caller's order."""
    counts: dict[str, int]
    """Language -> its reviews now."""
    stored: dict[str, tuple[int, list[str]]]
    """The cache's entries (language -> reviews when learnt, words)."""
    to_learn: list[str]
    """The languages whose words are learnt anew (``learning_texts``, ``learn_language``)."""
    writes: bool = True
    """True: ``finish`` writes the words it learnt to ``cache``; False: the caller keeps
    them (``content``), e.g. with a database's model version."""

    def finish(self, learnt: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        """Language -> its function words, given ``learn_language``'s words for every
        language ``to_learn`` (the cache is updated with them)."""
        out, self.stored = self._finished(learnt)
        if self.to_learn and self.writes and self.cache is not None:
            _write_cache(self.cache, self.stored)
        return out

    def content(self, learnt: Mapping[str, frozenset[str]]) -> bytes | None:
        """The cache file ``finish(learnt)`` keeps (None: nothing was learnt anew)."""
        if not self.to_learn:
            return None
        return _cache_text(self._finished(learnt)[1]).encode("utf-8")

    def _finished(
        self, learnt: Mapping[str, frozenset[str]]
    ) -> tuple[dict[str, frozenset[str]], dict[str, tuple[int, list[str]]]]:
        out: dict[str, frozenset[str]] = {}
        stored = dict(self.stored)
        for code in self.languages:
            keep = partial(_names_aspect, self.taxonomy, code)
            if code in learnt:
                words = frozenset(w for w in learnt[code] if not keep(w))
                stored[code] = (self.counts[code], sorted(words))
            else:
                words = frozenset(w for w in stored[code][1] if not keep(w))
            if words:
                out[code] = words
        return out, stored


def plan_function_words(
    engine: Engine,
    taxonomy: Taxonomy,
    languages: list[str],
    cache: Path | None,
    *,
    writes: bool = True,
) -> FunctionWordsPlan:
    """The first step of ``database_function_words``: the cache read (None: none kept yet),
    the languages' review counts, and which of them must be learnt anew (``writes``: see
    ``FunctionWordsPlan``)."""
    stored = _read_cache(cache) if cache is not None else {}
    with_stopwords: list[str] = []
    counts: dict[str, int] = {}
    to_learn: list[str] = []
    for code in languages:
        entry = registered_language(code)
        if entry is None or not entry.has(Resource.STOPWORDS):
            continue
        with engine.connect() as connection:
            count = int(
                connection.execute(
                    select(func.count()).select_from(REVIEW).where(REVIEW.c.language == code)
                ).scalar_one()
            )
        with_stopwords.append(code)
        counts[code] = count
        cached = stored.get(code)
        if not (cached is not None and cached[0] <= count < cached[0] * RELEARN_GROWTH):
            to_learn.append(code)
    return FunctionWordsPlan(taxonomy, cache, with_stopwords, counts, stored, to_learn, writes)


def learning_texts(engine: Engine, code: str) -> list[str]:
    """The texts (title and text) of a language's newest ``LEARN_SAMPLE`` reviews."""
    query = (
        select(REVIEW.c.title, REVIEW.c.text)
        .where(REVIEW.c.language == code)
        .order_by(REVIEW.c.id.desc())
        .limit(LEARN_SAMPLE)
    )
    with engine.connect() as connection:
        return [" ".join(t for t in row if t) for row in connection.execute(query)]


def learn_language(code: str, texts: list[str]) -> frozenset[str]:
    """The function words of a language's ``texts`` (``learn_function_words``), before the
    taxonomy's terms and the need topics are taken out (``FunctionWordsPlan.finish``)."""
    token_lists = [tokenize(text) for text in texts]
    return learn_function_words(
        ((tokens, lemmas(tokens, code)) for tokens in token_lists), stopwords(code), _no_word
    )


def _no_word(_: str) -> bool:
    return False


def _names_aspect(taxonomy: Taxonomy, language: str, word: str) -> bool:
    """True if ``word`` is an aspect term or a bundled need topic of ``language``."""
    return taxonomy.covers(word, language) or canonical_topic([word], [word], language) is not None


def _read_cache(cache: Path) -> dict[str, tuple[int, list[str]]]:
    """Language -> (its reviews when learnt, the words), from a cache this analyser wrote."""
    try:
        data = json.loads(cache.read_text("utf-8"))
        if data.get("analyzer_version") != ANALYZER_VERSION:
            return {}
        return {
            str(code): (int(entry["reviews"]), [str(w) for w in entry["words"]])
            for code, entry in data["languages"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _cache_text(stored: dict[str, tuple[int, list[str]]]) -> str:
    languages = {code: {"reviews": n, "words": words} for code, (n, words) in stored.items()}
    return json.dumps({"analyzer_version": ANALYZER_VERSION, "languages": languages})


def _write_cache(cache: Path, stored: dict[str, tuple[int, list[str]]]) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial_file = cache.with_suffix(".tmp")
        partial_file.write_text(_cache_text(stored), "utf-8")
        partial_file.replace(cache)
    except OSError:
        pass  # a cache only: the words are learnt again next time

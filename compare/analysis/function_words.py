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

from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from compare.analysis.keyphrases import MIN_WORD_LETTERS

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
    counts: list[Counter[str]] = []
    lengths: list[int] = []
    for tokens, lemmas in reviews:
        counts.append(
            Counter(
                lemma
                for token, lemma in zip(tokens, lemmas, strict=True)
                if len(token) >= MIN_WORD_LETTERS
            )
        )
        lengths.append(len(tokens))
    if not counts or float(np.median(lengths)) < MIN_MEDIAN_TOKENS:
        return frozenset()
    in_reviews: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for review in counts:
        in_reviews.update(review.keys())
        total.update(review)
    words = [word for word, n in in_reviews.items() if n >= MIN_REVIEWS]
    if not words:
        return frozenset()
    holding = np.array([in_reviews[w] for w in words], dtype=float)
    evenness, repeats = _evenness(
        holding,
        np.array([total[w] for w in words], dtype=float),
        np.array(lengths, dtype=float),
    )
    share = holding / len(counts)
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

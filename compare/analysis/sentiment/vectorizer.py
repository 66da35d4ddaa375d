"""Turns texts into count rows of the classifier's features, fast.

Same features as ``SentimentFeatures`` (lemma uni/bigrams with negation scope, character
n-grams of each word), but character n-grams are looked up per distinct word once and
cached as column indices, so a review costs a few list extensions instead of ~1,000
dictionary look-ups (scikit-learn's ``CountVectorizer`` spent most of ``analyze`` there).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.features import negation_words, word_char_ngrams
from compare.analysis.text import lemma, tokenize

MAX_CACHED_WORDS = 200_000


class FeatureVectorizer:
    """Vocabulary of word and character features; ``transform`` gives raw counts."""

    def __init__(self, language: str, char_low: int, char_high: int) -> None:
        self.language = language
        self.char_low = char_low
        self.char_high = char_high
        self.vocabulary: dict[str, int] = {}
        self._char_columns: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_char_columns": {}}  # the cache is rebuilt on use

    def word_features(self, tokens: list[str], lemmas: list[str] | None = None) -> list[str]:
        """Lemmas (``NOT_`` inside a negation's scope) and lemma bigrams (``lemmas``: the
        tokens' lemmas when the caller has them already)."""
        negations = negation_words(self.language)
        words: list[str] = []
        negated = False
        for position, token in enumerate(tokens):
            if token.endswith("n't"):
                negated = True
                if len(token) > 3:
                    words.append(lemma(token[:-3], self.language))
                continue
            if token in negations:
                negated = True
                words.append(token)
                continue
            base = lemmas[position] if lemmas is not None else lemma(token, self.language)
            words.append("NOT_" + base if negated else base)
        return words + [a + " " + b for a, b in pairwise(words)]

    def _chars(self, token: str) -> tuple[str, ...]:
        if not self.char_high:
            return ()
        return word_char_ngrams(token, self.char_low, self.char_high)

    def fit(self, token_lists: list[list[str]]) -> FeatureVectorizer:
        """Vocabulary = every feature of the training texts (min_df 1), in sorted order."""
        features: set[str] = set()
        words: set[str] = set()
        for tokens in token_lists:
            features.update(self.word_features(tokens))
            words.update(tokens)
        for word in words:
            features.update(self._chars(word))
        self.vocabulary = {feature: i for i, feature in enumerate(sorted(features))}
        self._char_columns = {}
        return self

    def _char_columns_of(self, token: str) -> tuple[int, ...]:
        columns = self._char_columns.get(token)
        if columns is None:
            vocabulary = self.vocabulary
            columns = tuple(vocabulary[f] for f in self._chars(token) if f in vocabulary)
            if len(self._char_columns) < MAX_CACHED_WORDS:
                self._char_columns[token] = columns
        return columns

    def transform(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        """Count rows (one per token list) over the vocabulary; rows can be summed.

        ``lemma_lists`` must be the tokens' lemmas in this vectorizer's language, if given."""
        vocabulary = self.vocabulary
        indices: list[int] = []
        indptr = [0]
        for row, tokens in enumerate(token_lists):
            lemmas = lemma_lists[row] if lemma_lists is not None else None
            for feature in self.word_features(tokens, lemmas):
                column = vocabulary.get(feature)
                if column is not None:
                    indices.append(column)
            for token in tokens:
                indices.extend(self._char_columns_of(token))
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float64),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(token_lists), len(vocabulary)),
        )
        matrix.sum_duplicates()
        return matrix

    def fit_transform(self, token_lists: list[list[str]]) -> sp.csr_matrix:
        return self.fit(token_lists).transform(token_lists)


def token_lists(texts: list[str]) -> list[list[str]]:
    """``tokenize`` over texts."""
    return [tokenize(text) for text in texts]

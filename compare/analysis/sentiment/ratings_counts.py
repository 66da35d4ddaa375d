"""The count rows of every rating a guard's ratings-only models see, featurised once.

A guard fits a ratings-only model on each fold's training rows (with the extra rows:
neutral ratings, other languages'), scores the fold's held-out rows, and fits the model on
every row when it wins. Each fit built its own vectoriser (vocabulary: every feature of its
texts, in sorted order) and counted its texts again, and the held-out rows were counted in
that vocabulary once more. Here every row is counted once, in the vocabulary of the fit on
every row (``TrainingCounts``). A fold's vocabulary is the columns its training rows use:
the same features in the same order (a sorted subset of the whole vocabulary), so its count
rows are the whole matrix's rows with those columns renumbered, and its held-out rows the
same, their other columns dropped as the fold's vectoriser drops unknown features. The
matrices are the ones the folds built (same values, same order), and so are the fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.classifier import (
    SentimentClassifier,
    TrainingCounts,
    fit_weights,
)
from compare.analysis.sentiment.vectorizer import FeatureVectorizer, renumbered


@dataclass
class RatingsCounts:
    """``texts`` (the rows of the fit on every rating, in its order) in ``language``'s
    ratings-only model, counted on first use."""

    texts: list[str]
    language: str
    _whole: TrainingCounts | None = field(default=None, init=False, repr=False)
    _row_of: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    @property
    def whole(self) -> TrainingCounts:
        if self._whole is None:
            self._whole = TrainingCounts.of(self.texts, self.language)
            self._row_of = _first_rows(self.texts)
        return self._whole

    def fit(self, texts: list[str], labels: list[str]) -> SentimentClassifier | None:
        """The model of every rating (None: ``texts`` are not this corpus's rows in order)."""
        return self.whole.fit(labels) if texts == self.texts else None

    def fold_probabilities(
        self, train: tuple[list[str], list[str]], test_texts: list[str]
    ) -> tuple[tuple[str, ...], np.ndarray] | None:
        """The classes and the class probabilities of ``test_texts`` of a model fitted on
        ``train`` (texts, labels) as ``train_classifier`` fits it (None: a text is not
        among this corpus's)."""
        whole = self.whole
        train_rows, test_rows = self._rows(train[0]), self._rows(test_texts)
        if train_rows is None or test_rows is None:
            return None
        counts = whole.counts
        fitted, used, column, width = fold_columns(
            counts, len(whole.vectorizer.vocabulary), train_rows
        )
        char_columns = None
        if whole.settings.separate_norms:
            mask = whole.vectorizer.char_column_mask()[used]
            char_columns = mask if mask.any() else None
        weights = fit_weights(
            renumbered(fitted, column, width),
            len(used),
            char_columns,
            train[1],
            whole.settings,
            whole.vector_dim,
        )
        tested = renumbered(counts[test_rows], column, width)
        return weights.model.classes, weights.probabilities(tested)

    def word_rows(
        self, vectorizer: FeatureVectorizer, texts: list[str], tokens: list[list[str]]
    ) -> sp.csr_matrix | None:
        """``vectorizer.transform`` of ``texts`` (``tokens``: theirs), e.g. the base model's
        word and character counts of the ratings, from these count rows: the ratings-only
        model's vocabulary holds every feature of its texts, so the base model's columns
        are its columns renumbered (``FeatureVectorizer.transform_counted``), not counted
        again. None: a text is not among this corpus's, or the vectoriser is another
        language's or reads other character n-grams."""
        if vectorizer.language != self.language:
            return None
        whole = self.whole
        rows = self._rows(texts)
        if rows is None:
            return None
        return vectorizer.transform_counted(whole.vectorizer, whole.counts[rows], tokens)

    def _rows(self, texts: list[str]) -> np.ndarray | None:
        return _rows_of(self._row_of, texts)


@dataclass
class CorrectionCounts:
    """A guard's positive/negative ratings (``texts``, tokenised and lemmatised in the base
    model's language), counted once per vectoriser (character n-gram range) in the
    vocabulary of the fit on every rating, for its corrections' folds and final fit: a
    fold's vectoriser is that vocabulary restricted to the columns its training rows use,
    its rows are the whole rows with those columns renumbered (``fold_columns``), as for
    ``RatingsCounts``. Each fold built a vectoriser and counted its texts, and counted its
    held-out texts once more (5 to 15 folds per correction)."""

    texts: list[str]
    tokens: list[list[str]]
    lemmas: list[list[str]]
    language: str
    _whole: dict[tuple[int, int], tuple[FeatureVectorizer, sp.csr_matrix]] = field(
        default_factory=dict, init=False, repr=False
    )
    _row_of: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def whole(self, char_low: int, char_high: int) -> tuple[FeatureVectorizer, sp.csr_matrix]:
        """The vectoriser fitted on every rating and the ratings' count rows."""
        key = (char_low, char_high)
        if key not in self._whole:
            vectorizer = FeatureVectorizer(self.language, char_low, char_high)
            self._whole[key] = (vectorizer, vectorizer.fit_transform(self.tokens, self.lemmas))
            self._row_of = _first_rows(self.texts)
        return self._whole[key]

    def fold(
        self, char_low: int, char_high: int, train_texts: list[str], test_texts: list[str]
    ) -> tuple[FeatureVectorizer, sp.csr_matrix, sp.csr_matrix] | None:
        """The vectoriser ``fit_transform`` builds on ``train_texts``, their count rows and
        the count rows of ``test_texts`` in it (None: a text is not among these ratings)."""
        vectorizer, counts = self.whole(char_low, char_high)
        train_rows, test_rows = (
            _rows_of(self._row_of, train_texts),
            _rows_of(self._row_of, test_texts),
        )
        if train_rows is None or test_rows is None:
            return None
        fitted, used, column, width = fold_columns(counts, counts.shape[1], train_rows)
        return (
            vectorizer.restricted(used),
            renumbered(fitted, column, width),
            renumbered(counts[test_rows], column, width),
        )


def fold_columns(
    counts: sp.csr_matrix, words: int, train_rows: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, int]:
    """A fold's training rows of ``counts`` (its first ``words`` columns: a vocabulary's),
    the word columns they use (ascending), each column's number in the fold (-1: a word
    column the fold does not use; the columns after the words follow the used ones) and
    the fold's width."""
    fitted = counts[train_rows]
    used = np.zeros(words, dtype=bool)
    used[fitted.indices[fitted.indices < words]] = True
    kept = np.flatnonzero(used)
    width = len(kept) + counts.shape[1] - words
    column = np.full(counts.shape[1], -1, dtype=np.int64)
    column[kept] = np.arange(len(kept))
    column[words:] = np.arange(len(kept), width)
    return fitted, kept, column, width


def _first_rows(texts: list[str]) -> dict[str, int]:
    """Text -> its first row (equal texts have equal rows)."""
    return {text: row for row, text in reversed(list(enumerate(texts)))}


def _rows_of(row_of: dict[str, int], texts: list[str]) -> np.ndarray | None:
    if not all(text in row_of for text in texts):
        return None
    return np.fromiter((row_of[text] for text in texts), dtype=np.int64, count=len(texts))

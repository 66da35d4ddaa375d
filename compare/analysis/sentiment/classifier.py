"""A per-language sentiment classifier: logistic regression over lemma uni- and bigrams.

Features are raw counts turned into sublinear TF-IDF, so a review's feature row is the sum
of its sentences' count rows: the analyser vectorises each sentence once and scores
sentences and whole reviews from the same matrix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from compare.analysis.sentiment.features import WordFeatures
from compare.analysis.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE

C_GRID = (3.0, 10.0, 30.0)
"""Inverse regularisation strengths tried by cross-validation on the training data."""
NEUTRAL_BAND = 0.2
"""A binary model's |polarity| below this is labelled neutral."""


@dataclass
class SentimentClassifier:
    """Fitted vectorisers and a logistic regression for one language."""

    language: str
    word: CountVectorizer
    word_tfidf: TfidfTransformer
    model: LogisticRegression
    label_counts: dict[str, int] = field(default_factory=dict)
    cv_accuracy: float | None = None

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.model.classes_]

    def counts(self, texts: list[str] | list[list[str]]) -> sp.csr_matrix:
        """Raw n-gram counts, one row per text or token list (rows can be summed)."""
        return sp.csr_matrix(self.word.transform(texts))

    def probabilities(self, counts: sp.csr_matrix) -> np.ndarray:
        """Class probabilities (columns in ``classes`` order) for count rows."""
        features = self.word_tfidf.transform(counts)
        return np.asarray(self.model.predict_proba(features))

    def polarity_and_label(self, probabilities: np.ndarray) -> list[tuple[float, str, float]]:
        """(polarity in [-1, 1], label, confidence) per probability row."""
        classes = self.classes
        pos = classes.index(POSITIVE) if POSITIVE in classes else None
        neg = classes.index(NEGATIVE) if NEGATIVE in classes else None
        three_way = NEUTRAL in classes
        out: list[tuple[float, str, float]] = []
        for row in probabilities:
            polarity = float(
                (row[pos] if pos is not None else 0.0) - (row[neg] if neg is not None else 0.0)
            )
            best = int(np.argmax(row))
            if three_way:
                label = classes[best]
            elif polarity > NEUTRAL_BAND:
                label = POSITIVE
            elif polarity < -NEUTRAL_BAND:
                label = NEGATIVE
            else:
                label = NEUTRAL
            out.append((polarity, label, float(row[best])))
        return out

    def score(self, texts: list[str]) -> list[tuple[float, str, float]]:
        """(polarity, label, confidence) for each text."""
        if not texts:
            return []
        return self.polarity_and_label(self.probabilities(self.counts(texts)))


def _fit_counts(
    word: CountVectorizer, counts: sp.csr_matrix, labels: list[str], c: float, language: str
) -> SentimentClassifier:
    word_tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(word_tfidf.transform(counts), labels)
    return SentimentClassifier(
        language=language,
        word=word,
        word_tfidf=word_tfidf,
        model=model,
        label_counts=dict(Counter(labels)),
    )


def _cross_validated_accuracy(
    word: CountVectorizer, counts: sp.csr_matrix, labels: list[str], c: float, folds: int
) -> float:
    # the vocabulary comes from all training texts: harmless for comparing values of C
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    target = np.asarray(labels)
    correct = 0
    for train_idx, test_idx in splitter.split(counts, target):
        fitted = _fit_counts(word, counts[train_idx], list(target[train_idx]), c, "")
        predicted = fitted.model.classes_[np.argmax(fitted.probabilities(counts[test_idx]), axis=1)]
        correct += int((predicted == target[test_idx]).sum())
    return correct / len(labels)


def train_classifier(
    texts: list[str], labels: list[str], language: str, *, folds: int = 3
) -> SentimentClassifier:
    """Fit a classifier, choosing C by k-fold cross-validation on the training data itself.

    Needs at least two labels; with ``folds`` < 2, or fewer than ``folds`` examples of some
    label, the middle C is used without cross-validation.
    """
    if len(set(labels)) < 2:
        raise ValueError(f"{language}: need examples of at least two labels, got {set(labels)}")
    word = CountVectorizer(analyzer=WordFeatures(language), dtype=np.float64)
    counts = sp.csr_matrix(word.fit_transform(texts))
    smallest = min(Counter(labels).values())
    if folds < 2 or smallest < folds:
        return _fit_counts(word, counts, labels, C_GRID[1], language)
    scored = [(_cross_validated_accuracy(word, counts, labels, c, folds), c) for c in C_GRID]
    best_accuracy, best_c = max(scored)
    fitted = _fit_counts(word, counts, labels, best_c, language)
    fitted.cv_accuracy = best_accuracy
    return fitted

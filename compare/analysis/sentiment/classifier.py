"""A sentiment classifier: logistic regression over lemma n-grams and character n-grams.

Features are raw counts turned into sublinear TF-IDF, so a review's feature row is the sum
of its sentences' count rows: the analyser vectorises each sentence once and scores
sentences and whole reviews from the same matrix. The word block and the character block
of a row are L2-normalised separately (``separate_norms``): a word yields about ten
character n-grams but two word features, so one norm over both left the word features
tiny. Optionally (``nb_weight``) each feature is scaled by its naive-Bayes log-count ratio
before the regression (Wang & Manning's NB-LR).
Hyper-parameters are fixed (chosen offline by cross-validation on the shared train splits,
see ``benchmarks/sentiment_cv.py``) so training at analyse time is one fit, no search.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.features import negation_words
from compare.analysis.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE
from compare.analysis.sentiment.lexicon_features import (
    classifier_channels,
    dense_lexicon_features,
    lexicon_counts,
)
from compare.analysis.sentiment.logistic import (
    LinearModel,
    balanced_weights,
    exact_log,
    fit_logistic,
    idf_weights,
    sublinear_tfidf,
)
from compare.analysis.sentiment.vectorizer import FeatureVectorizer, lemma_lists, token_lists
from compare.analysis.sentiment.word_vectors import (
    load_vectors,
    mean_vector_features,
    vector_sums,
)

NEUTRAL_BAND = 0.2
"""A binary model's |polarity| below this is labelled neutral."""


@dataclass(frozen=True)
class ClassifierSettings:
    """Feature and regression settings (the defaults are the offline CV winners)."""

    c: float = 10.0
    char_low: int = 3
    """Shortest character n-gram: 3-5 matched 2-5 in cross-validation (mean over the four
    languages .811 vs .810) with a third fewer features, so training and scoring are
    faster (benchmarks/analyze.py)."""
    char_high: int = 5
    nb_weight: bool = False
    nb_presence: bool = False
    """With ``nb_weight``: the naive-Bayes ratio counts in how many sentences of each class a
    feature occurs (Wang & Manning's binarised counts) instead of summing its TF-IDF values."""
    balanced: bool = False
    lexicon_weight: float = 1.0
    """Scale of the lexicon features beside the TF-IDF ones (0: no lexicon features)."""
    separate_norms: bool = True
    """L2-normalise the word and the character TF-IDF blocks of a row each on its own
    (False: one norm over both)."""
    vector_weight: float = 1.0
    """Scale of the mean word vector beside the other features, for languages with shipped
    word vectors (``word_vectors``; 0: none). 1.0 won on Norwegian in grouped
    cross-validation on the train split (``benchmarks/norwegian_vectors.py``)."""


DEFAULT_SETTINGS = ClassifierSettings()


@dataclass
class SentimentClassifier:
    """Fitted vectoriser, weighting and logistic regression for one language (or a pool)."""

    language: str
    vectorizer: FeatureVectorizer
    idf: np.ndarray
    """Idf weight of each vocabulary column (sublinear TF-IDF, see ``logistic``)."""
    model: LinearModel
    nb_ratio: np.ndarray | None = None
    label_counts: dict[str, int] = field(default_factory=dict)
    cv_accuracy: float | None = None
    settings: ClassifierSettings = DEFAULT_SETTINGS
    lexicon_channels: tuple[str, ...] = ()
    """Lexicon sources whose valence sums follow the word columns (see lexicon_features)."""
    char_columns: np.ndarray | None = None
    """Which vocabulary columns are character n-grams (a block of their own), if any."""
    vector_dim: int = 0
    """Columns of word-vector sums after the lexicon ones (0: the model uses no vectors)."""

    @property
    def classes(self) -> list[str]:
        return list(self.model.classes)

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        """Raw feature counts, one row per text (rows can be summed)."""
        return self.token_counts(token_lists(texts))

    def token_counts(
        self, tokens: list[list[str]], lemmas: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        """``counts`` for texts already split by ``tokenize`` (and lemmatised in the
        classifier's language, if ``lemmas`` is given)."""
        # the blocks joined in one go: a copy of the whole matrix per block added cost more
        return _joined(self.count_blocks(tokens, lemmas))

    def count_blocks(
        self,
        tokens: list[list[str]],
        lemmas: list[list[str]] | None = None,
        words: sp.csr_matrix | None = None,
    ) -> list[sp.csr_matrix]:
        """``token_counts``' column blocks, not joined: word and character counts (``words``,
        when known: ``FeatureVectorizer.transform_counted``), the lexicon channels' sums (if
        any), the word-vector sums (if any). Each block's rows sum like the counts;
        ``block_probabilities`` scores them as they are."""
        language = self.vectorizer.language
        return [
            self.vectorizer.transform(tokens, lemmas) if words is None else words,
            *_lexicon_block(self.lexicon_channels, language, tokens, lemmas),
            *_vector_block(self.vector_dim, language, tokens),
        ]

    def block_count(self) -> int:
        """How many blocks ``count_blocks`` gives."""
        return 1 + bool(self.lexicon_channels) + bool(self.vector_dim)

    def count_width(self) -> int:
        """Columns of this classifier's count rows."""
        return len(self.vectorizer.vocabulary) + 2 * len(self.lexicon_channels) + self.vector_dim

    def _features(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        return _all_features(
            counts,
            len(self.vectorizer.vocabulary),
            self.idf,
            self.char_columns,
            self.nb_ratio,
            self.settings,
            self.vector_dim,
        )

    def block_features(self, blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
        """``_features`` of the counts whose blocks (``count_blocks``) these are, without
        joining the blocks and slicing them apart again (the same values)."""
        weighted = _weighted_word_block(blocks[0], self.idf, self.char_columns, self.nb_ratio)
        out = [weighted]
        if self.lexicon_channels:
            out.append(dense_lexicon_features(blocks[1]) * self.settings.lexicon_weight)
        if self.vector_dim:
            out.append(mean_vector_features(blocks[-1], self.settings.vector_weight))
        return _joined(out)

    def probabilities(self, counts: sp.csr_matrix) -> np.ndarray:
        """Class probabilities (columns in ``classes`` order) for count rows."""
        return self.model.predict_proba(self._features(counts))

    def block_probabilities(self, blocks: list[sp.csr_matrix]) -> np.ndarray:
        """``probabilities`` of the counts whose blocks (``count_blocks``) these are."""
        return self.model.predict_proba(self.block_features(blocks))

    def polarity_and_label(self, probabilities: np.ndarray) -> list[tuple[float, str, float]]:
        """(polarity in [-1, 1], label, confidence) per probability row."""
        classes = self.classes
        pos = classes.index(POSITIVE) if POSITIVE in classes else None
        neg = classes.index(NEGATIVE) if NEGATIVE in classes else None
        zeros = np.zeros(len(probabilities))
        polarity = (probabilities[:, pos] if pos is not None else zeros) - (
            probabilities[:, neg] if neg is not None else zeros
        )
        best = np.argmax(probabilities, axis=1)
        confidence = probabilities[np.arange(len(probabilities)), best]
        three_way = NEUTRAL in classes
        out: list[tuple[float, str, float]] = []
        for value, top, sure in zip(
            polarity.tolist(), best.tolist(), confidence.tolist(), strict=True
        ):
            if three_way:
                label = classes[top]
            elif value > NEUTRAL_BAND:
                label = POSITIVE
            elif value < -NEUTRAL_BAND:
                label = NEGATIVE
            else:
                label = NEUTRAL
            out.append((value, label, sure))
        return out

    def score(self, texts: list[str]) -> list[tuple[float, str, float]]:
        """(polarity, label, confidence) for each text."""
        if not texts:
            return []
        return self.polarity_and_label(self.probabilities(self.counts(texts)))


def _with_lexicon(
    counts: sp.csr_matrix,
    channels: tuple[str, ...],
    language: str,
    tokens: list[list[str]],
    lemmas: list[list[str]] | None,
) -> sp.csr_matrix:
    """Word counts with each channel's valence sums appended as columns (still additive)."""
    return _joined([counts, *_lexicon_block(channels, language, tokens, lemmas)])


def _lexicon_block(
    channels: tuple[str, ...],
    language: str,
    tokens: list[list[str]],
    lemmas: list[list[str]] | None,
) -> list[sp.csr_matrix]:
    """The channels' valence sums (no block without channels)."""
    return [lexicon_counts(channels, language, tokens, lemmas)] if channels else []


def _joined(blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """The blocks side by side (one block: itself, not a copy)."""
    return blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")


def _all_features(
    counts: sp.csr_matrix,
    words: int,
    idf: np.ndarray,
    char_columns: np.ndarray | None,
    nb_ratio: np.ndarray | None,
    settings: ClassifierSettings,
    vector_dim: int,
) -> sp.csr_matrix:
    """The weighted features of count rows, with the mean word vector block if any."""
    split = counts.shape[1] - vector_dim
    # column ranges read from ``counts`` as it is and the blocks joined once (slicing off
    # the vectors first, then joining twice, copied the whole matrix two more times)
    blocks = _weighted_blocks(
        counts, words, split, idf, char_columns, nb_ratio, settings.lexicon_weight
    )
    if vector_dim:
        blocks.append(mean_vector_features(counts[:, split:], settings.vector_weight))
    return _joined(blocks)


def _vector_block(vector_dim: int, language: str, tokens: list[list[str]]) -> list[sp.csr_matrix]:
    """The word-vector sums (no block when the model uses no vectors)."""
    if not vector_dim:
        return []
    vectors = load_vectors(language)
    if vectors is None or vectors.dim != vector_dim:
        raise ValueError(f"the {language} model needs the word vectors it was trained with")
    return [vector_sums(vectors, tokens, negation_words(language))]


def _block_normalised(features: sp.csr_matrix, char_columns: np.ndarray | None) -> sp.csr_matrix:
    """Rows scaled to unit L2 norm within each block (character columns, the others)."""
    rows = features.shape[0]
    # one bincount key per (row, block): 2 * row for words, 2 * row + 1 for characters
    block = np.repeat(np.arange(0, 2 * rows, 2), np.diff(features.indptr))
    if char_columns is not None:
        block += char_columns[features.indices]
    squares = np.bincount(block, weights=features.data * features.data, minlength=2 * rows)
    # stored entries are TF-IDF values >= 1, so no stored entry's block norm is zero
    scaled = features.data / np.sqrt(squares)[block]
    return sp.csr_matrix((scaled, features.indices, features.indptr), shape=features.shape)


def _weighted_features(
    counts: sp.csr_matrix,
    words: int,
    idf: np.ndarray,
    char_columns: np.ndarray | None,
    nb_ratio: np.ndarray | None,
    lexicon_weight: float,
) -> sp.csr_matrix:
    """TF-IDF (block-normalised, times the NB ratio) of the word columns, beside the bounded
    lexicon features."""
    return _joined(
        _weighted_blocks(
            counts, words, counts.shape[1], idf, char_columns, nb_ratio, lexicon_weight
        )
    )


def _weighted_blocks(
    counts: sp.csr_matrix,
    words: int,
    end: int,
    idf: np.ndarray,
    char_columns: np.ndarray | None,
    nb_ratio: np.ndarray | None,
    lexicon_weight: float,
) -> list[sp.csr_matrix]:
    """``_weighted_features`` of ``counts``' first ``end`` columns, as blocks to join."""
    features = _weighted_word_block(counts[:, :words], idf, char_columns, nb_ratio)
    if end == words:
        return [features]
    return [features, dense_lexicon_features(counts[:, words:end]) * lexicon_weight]


def _weighted_word_block(
    word_counts: sp.csr_matrix,
    idf: np.ndarray,
    char_columns: np.ndarray | None,
    nb_ratio: np.ndarray | None,
) -> sp.csr_matrix:
    """TF-IDF of the word and character counts, block-normalised, times the NB ratio."""
    features = _block_normalised(sublinear_tfidf(word_counts, idf), char_columns)
    if nb_ratio is not None:
        features = sp.csr_matrix(features.multiply(nb_ratio))
    return features


def _nb_ratio(
    features: sp.csr_matrix, labels: np.ndarray, presence: bool = False
) -> np.ndarray | None:
    """Log-count ratio of positive vs negative feature mass (binary problems only); with
    ``presence`` each stored entry counts 1 (in how many rows of each class it occurs)."""
    if set(labels.tolist()) != {POSITIVE, NEGATIVE}:
        return None
    if presence:
        features = sp.csr_matrix(
            (np.ones_like(features.data), features.indices, features.indptr), shape=features.shape
        )
    alpha = 1.0
    positive = np.asarray(features[labels == POSITIVE].sum(axis=0)).ravel() + alpha
    negative = np.asarray(features[labels == NEGATIVE].sum(axis=0)).ravel() + alpha
    ratio = exact_log((positive / positive.sum()) / (negative / negative.sum()))
    # |r| keeps the regression free to choose each feature's sign; +1 keeps rare ones alive
    return np.asarray(1.0 + np.abs(ratio))


def _fit_counts(
    vectorizer: FeatureVectorizer,
    counts: sp.csr_matrix,
    labels: list[str],
    language: str,
    settings: ClassifierSettings,
    channels: tuple[str, ...],
    vector_dim: int = 0,
) -> SentimentClassifier:
    char_columns = _char_columns(vectorizer) if settings.separate_norms else None
    weights = fit_weights(
        counts, len(vectorizer.vocabulary), char_columns, labels, settings, vector_dim
    )
    return SentimentClassifier(
        language=language,
        vectorizer=vectorizer,
        idf=weights.idf,
        model=weights.model,
        nb_ratio=weights.nb_ratio,
        label_counts=dict(Counter(labels)),
        settings=settings,
        lexicon_channels=channels,
        char_columns=char_columns,
        vector_dim=vector_dim,
    )


@dataclass(frozen=True)
class FittedWeights:
    """What a fit learns from count rows besides the vectoriser: the idf, the naive-Bayes
    ratio (``nb_weight``) and the regression."""

    idf: np.ndarray
    nb_ratio: np.ndarray | None
    model: LinearModel
    char_columns: np.ndarray | None
    settings: ClassifierSettings
    vector_dim: int

    def probabilities(self, counts: sp.csr_matrix) -> np.ndarray:
        """``SentimentClassifier.probabilities`` of count rows in the fit's columns."""
        words = len(self.idf)
        return self.model.predict_proba(
            _all_features(
                counts,
                words,
                self.idf,
                self.char_columns,
                self.nb_ratio,
                self.settings,
                self.vector_dim,
            )
        )


def fit_weights(
    counts: sp.csr_matrix,
    words: int,
    char_columns: np.ndarray | None,
    labels: list[str],
    settings: ClassifierSettings,
    vector_dim: int = 0,
) -> FittedWeights:
    """The idf and the regression of count rows whose first ``words`` columns are the
    vocabulary's (``char_columns``: which of them are character n-grams, when normed on
    their own)."""
    idf = idf_weights(counts, words)
    target = np.asarray(labels)
    ratio = (
        _nb_ratio(
            _block_normalised(sublinear_tfidf(counts[:, :words], idf), char_columns),
            target,
            settings.nb_presence,
        )
        if settings.nb_weight
        else None
    )
    weighted = _all_features(counts, words, idf, char_columns, ratio, settings, vector_dim)
    # Newton steps for two labels (liblinear's problem, its tolerance 1e-3: the same accuracy
    # to the third decimal in cross-validation as 1e-4); L-BFGS for three, at 1e-4
    model = fit_logistic(
        weighted,
        target,
        settings.c,
        tol=1e-3 if len(set(labels)) == 2 else 1e-4,
        sample_weight=balanced_weights(target) if settings.balanced else None,
    )
    return FittedWeights(idf, ratio, model, char_columns, settings, vector_dim)


def _char_columns(vectorizer: FeatureVectorizer) -> np.ndarray | None:
    """Boolean mask of the vocabulary's character n-gram columns (None if it has none)."""
    mask = vectorizer.char_column_mask()
    return mask.copy() if mask.any() else None


def _vectorizer(language: str, settings: ClassifierSettings) -> FeatureVectorizer:
    return FeatureVectorizer(language, settings.char_low, settings.char_high)


def cross_validated_accuracy(
    texts: list[str],
    labels: list[str],
    language: str,
    settings: ClassifierSettings = DEFAULT_SETTINGS,
    *,
    folds: int = 5,
    groups: list[str] | None = None,
    seed: int = 0,
) -> float:
    """Accuracy of ``settings`` by stratified k-fold on the given data (vocabulary per fold);
    with ``groups`` (e.g. source review per sentence) a group never spans two folds. ``seed``
    shuffles the folds."""
    # scikit-learn only here (benchmarks and offline tuning): it costs ~1 s to import
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    target = np.asarray(labels)
    splits = (
        StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(
            np.zeros(len(labels)), target, groups
        )
        if groups is not None
        else StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(
            np.zeros(len(labels)), target
        )
    )
    correct = 0
    for train_idx, test_idx in splits:
        fitted = train_classifier(
            [texts[i] for i in train_idx], list(target[train_idx]), language, settings
        )
        probabilities = fitted.probabilities(fitted.counts([texts[i] for i in test_idx]))
        predicted = [fitted.classes[i] for i in np.argmax(probabilities, axis=1)]
        correct += sum(p == g for p, g in zip(predicted, target[test_idx], strict=True))
    return correct / len(labels)


def train_classifier(
    texts: list[str],
    labels: list[str],
    language: str,
    settings: ClassifierSettings = DEFAULT_SETTINGS,
) -> SentimentClassifier:
    """Fit one classifier with fixed settings (needs at least two labels)."""
    if len(set(labels)) < 2:
        raise ValueError(f"{language}: need examples of at least two labels, got {set(labels)}")
    return TrainingCounts.of(texts, language, settings).fit(labels)


@dataclass(frozen=True)
class TrainingCounts:
    """Training texts' count rows, with the vectoriser fitted on them (its vocabulary: every
    feature of the texts) and the lexicon channels and word-vector columns that follow."""

    language: str
    settings: ClassifierSettings
    vectorizer: FeatureVectorizer
    counts: sp.csr_matrix
    channels: tuple[str, ...]
    vector_dim: int

    @classmethod
    def of(
        cls, texts: list[str], language: str, settings: ClassifierSettings = DEFAULT_SETTINGS
    ) -> TrainingCounts:
        vectorizer = _vectorizer(language, settings)
        tokens = token_lists(texts)
        channels = classifier_channels(language) if settings.lexicon_weight else ()
        # lemmatise once for the word features and the lexicon look-ups
        lemmatised = lemma_lists(texts, tokens, language)
        vectors = load_vectors(language) if settings.vector_weight else None
        vector_dim = vectors.dim if vectors is not None else 0
        counts = _joined(
            [
                vectorizer.fit_transform(tokens, lemmatised),
                *_lexicon_block(channels, language, tokens, lemmatised),
                *_vector_block(vector_dim, language, tokens),
            ]
        )
        return cls(language, settings, vectorizer, counts, channels, vector_dim)

    def fit(self, labels: list[str]) -> SentimentClassifier:
        """The classifier of these texts with their ``labels``."""
        return _fit_counts(
            self.vectorizer,
            self.counts,
            labels,
            self.language,
            self.settings,
            self.channels,
            self.vector_dim,
        )

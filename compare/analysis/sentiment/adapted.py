"""A base model corrected by the user's own ratings, kept only where it beats the base.

The correction is a logistic regression over the user's own vocabulary (lemma uni- and
bigrams with negation scope, as ``classifier``) plus one column holding the base model's
score, fitted with the base model's score as a fixed offset: with few ratings the
regularisation keeps the correction small and the base model decides; with many, the
user's words take over where they disagree. Two labels only (positive, negative).

The guard (``adapt_with_guard``): the correction, and (given enough ratings) a model trained
on the ratings alone, are fitted on part of the ratings and scored on the rest (stratified
k-fold repeated with other fold seeds, or one held-out fifth on large sets), so that every
rating is scored by models that did not see it; a candidate replaces the base model only on
a clear win over it on those out-of-fold scores, paired rating by rating (``clear_gain``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.base_models import base_name, load_base
from compare.analysis.sentiment.classifier import (
    ClassifierSettings,
    SentimentClassifier,
    _char_columns,
    _weighted_features,
    _with_lexicon,
    train_classifier,
)
from compare.analysis.sentiment.features import POOLED
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon_features import classifier_channels
from compare.analysis.sentiment.logistic import LinearModel, fit_logistic, idf_weights
from compare.analysis.sentiment.ratings_counts import CorrectionCounts, RatingsCounts
from compare.analysis.sentiment.vectorizer import FeatureVectorizer, lemma_lists, token_lists

ADAPT_SETTINGS = ClassifierSettings(
    c=3.0, char_low=0, char_high=0, lexicon_weight=0.0, vector_weight=0.0
)
"""The correction's settings from FEW_RATINGS ratings on: lemma n-grams only, C chosen by
``benchmarks/sentiment_curve.py --choose-c`` (ratings drawn from one half of each train
split, scored on the rest of it; dev never read): at 200 and 1,000 ratings C=3 was best or
within 0.01 of it on en, no and pl. No character n-grams and no lexicon features (the base
model has both): with them the correction cost 50 % more CPU in ``analyze`` (a second
character n-gram pass), without them 8 %, for a little less accuracy on the learning curve
(dev, all 372 en ratings 0.832 against 0.847; 1,000 pl ratings 0.805 against 0.820)..."""
FEW_RATINGS = 150
FEW_SETTINGS = ClassifierSettings(
    c=0.3, char_low=0, char_high=0, lexicon_weight=0.0, vector_weight=0.0
)
"""...and C=0.3 below FEW_RATINGS (at 50 ratings it led or tied on no and pl: a stronger
pull towards the base model while the ratings are few)."""


def adapt_settings(ratings: int) -> ClassifierSettings:
    """The correction's settings for a number of ratings."""
    return FEW_SETTINGS if ratings < FEW_RATINGS else ADAPT_SETTINGS


CORRECTION_CS: tuple[float, ...] = (1.0,)
"""Regularisation strengths of the corrections the guard weighs side by side (empty: the
one of ``adapt_settings``). Chosen with LOSS_Z and SIGN_Z on the learning curve's ratings
half (ratings drawn from it, the choice scored on the rest of it; dev not read; en, no, pl;
50, 200, 1,000 ratings; 10 draws): C=1 with LOSS_Z=3 was never below the base model on
average at any size but Polish at 1,000 (-0.001; +0.006 no at 1,000); C=3, or C=0.3/3 by
size as before, lost 0.0014 on no at 200, and so did all four C side by side. Lower
LOSS_Z (0, 1, 2) lost up to 0.003 somewhere (one k-fold, no sign test)."""


def correction_settings(ratings: int) -> list[ClassifierSettings]:
    """The corrections the guard tries for a number of ratings."""
    if not CORRECTION_CS:
        return [adapt_settings(ratings)]
    return [replace(ADAPT_SETTINGS, c=c) for c in CORRECTION_CS]


BASE_COLUMN_SCALE = 0.25
"""The base score's column is the score times this (base scores run to about +-8)."""
MIN_ADAPT = 20
"""Positive and negative ratings needed before a correction is tried at all..."""
MIN_ADAPT_PER_LABEL = 5
"""...with at least this many of each."""
KFOLD_UP_TO = 2_000
"""Up to this many ratings the guard uses 5-fold cross-validation; above, one held-out fifth
(capped at HOLDOUT_MAX) so that retraining stays a few fits."""
HOLDOUT_MAX = 2_000
FOLDS = 5
REPEAT_FROM_Z = 1.0
"""After the first k-fold only candidates whose log-loss gain is at least this many standard
errors run again: on the learning curve's draws a gain moved from one k-fold to the mean of
three by +1.0 standard errors at most, and none of the 90 draws chose differently than
with every candidate repeated (half of them repeated nothing)."""
REPEATS = 3
"""Repetitions of the k-fold with other fold seeds (up to KFOLD_UP_TO ratings); a rating's
held-out gain is its mean over them. One k-fold's verdict hangs on how the ratings fell into
folds: on the demo's 249 English ratings the ratings-only model's log-loss gain was 2.4,
3.5 and 3.2 standard errors under three fold seeds, 3.1 averaged over them."""
BINARY = (NEGATIVE, POSITIVE)


def base_decision(base: SentimentClassifier, counts: sp.csr_matrix) -> np.ndarray:
    """The base model's score (log-odds of positive) per count row."""
    return _base_decision_of(base, base._features(counts))


def _base_decision_of(base: SentimentClassifier, features: sp.csr_matrix) -> np.ndarray:
    scores = base.model.decision_function(features)[:, 0]
    return np.asarray(scores if base.classes[1] == POSITIVE else -scores)


@dataclass
class AdaptedClassifier:
    """Base model plus the user's correction; the interface of ``SentimentClassifier``."""

    language: str
    base_name: str
    correction: SentimentClassifier
    """Vectoriser, idf and weights of the correction (its model has one column more than its
    features: the base score)."""
    label_counts: dict[str, int] = field(default_factory=dict)
    cv_accuracy: float | None = None
    """The correction's held-out accuracy on the user's ratings."""
    base_accuracy: float | None = None
    """The base model's accuracy on the same held-out ratings."""
    base: SentimentClassifier | None = None
    """The shipped base model (not pickled: attached again on load)."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["base"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.base is None:
            self.base = load_base(self.language)
        if self.base is None or self.base_name != base_name():
            raise ValueError(
                f"the correction for {self.language} was trained on base model "
                f"{self.base_name!r}, this rivalscope ships {base_name() or 'none'!r}"
            )

    @property
    def classes(self) -> list[str]:
        return list(BINARY)

    @property
    def vectorizer(self) -> FeatureVectorizer:
        """The base model's vectoriser (its ``language`` tells callers which lemmas to pass)."""
        return self._base.vectorizer

    @property
    def _base(self) -> SentimentClassifier:
        assert self.base is not None
        return self.base

    def token_counts(
        self, tokens: list[list[str]], lemmas: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        """Base counts beside the correction's counts (both additive, so rows still sum)."""
        return sp.hstack(
            [
                self._base.token_counts(tokens, lemmas),
                self.correction.token_counts(tokens, lemmas),
            ],
            format="csr",
        )

    def counts(self, texts: list[str]) -> sp.csr_matrix:
        tokens = token_lists(texts)
        return self.token_counts(tokens, lemma_lists(texts, tokens, self.language))

    def count_blocks(
        self, tokens: list[list[str]], lemmas: list[list[str]] | None = None
    ) -> list[sp.csr_matrix]:
        """``token_counts``' column blocks, not joined: the base model's, then the
        correction's (``SentimentClassifier.count_blocks``)."""
        return [
            *self._base.count_blocks(tokens, lemmas),
            *self.correction.count_blocks(tokens, lemmas),
        ]

    def decision(self, counts: sp.csr_matrix) -> np.ndarray:
        """Log-odds of positive per count row: base score plus correction."""
        width = _count_width(self._base)
        offset = base_decision(self._base, counts[:, :width])
        return offset + _correction_scores(self.correction, counts[:, width:], offset)

    def block_decision(self, blocks: list[sp.csr_matrix]) -> np.ndarray:
        """``decision`` of the counts whose blocks (``count_blocks``) these are."""
        base_blocks = self._base.block_count()
        offset = _base_decision_of(self._base, self._base.block_features(blocks[:base_blocks]))
        correction = self.correction.block_features(blocks[base_blocks:])
        return offset + _correction_scores_of(self.correction, correction, offset)

    def probabilities(self, counts: sp.csr_matrix) -> np.ndarray:
        return _positive_probabilities(self.decision(counts))

    def block_probabilities(self, blocks: list[sp.csr_matrix]) -> np.ndarray:
        """``probabilities`` of the counts whose blocks (``count_blocks``) these are."""
        return _positive_probabilities(self.block_decision(blocks))

    def polarity_and_label(self, probabilities: np.ndarray) -> list[tuple[float, str, float]]:
        return self._base.polarity_and_label(probabilities)

    def score(self, texts: list[str]) -> list[tuple[float, str, float]]:
        if not texts:
            return []
        return self.polarity_and_label(self.probabilities(self.counts(texts)))


def _count_width(classifier: SentimentClassifier) -> int:
    """Columns of the classifier's count rows."""
    return classifier.count_width()


def _positive_probabilities(decision: np.ndarray) -> np.ndarray:
    positive = 1.0 / (1.0 + np.exp(-decision))
    return np.column_stack([1.0 - positive, positive])


def _with_offset_column(features: sp.csr_matrix, offset: np.ndarray) -> sp.csr_matrix:
    column = sp.csr_matrix((offset * BASE_COLUMN_SCALE)[:, None])
    return sp.hstack([features, column], format="csr")


def _correction_scores(
    correction: SentimentClassifier, counts: sp.csr_matrix, offset: np.ndarray
) -> np.ndarray:
    return _correction_scores_of(correction, correction._features(counts), offset)


def _correction_scores_of(
    correction: SentimentClassifier, features: sp.csr_matrix, offset: np.ndarray
) -> np.ndarray:
    """The correction's score per row of its ``features`` beside the base ``offset``."""
    scores = correction.model.decision_function(_with_offset_column(features, offset))
    return np.asarray(scores[:, 0] if correction.model.classes[1] == POSITIVE else -scores[:, 0])


def fit_adapted(
    base: SentimentClassifier,
    texts: list[str],
    labels: list[str],
    settings: ClassifierSettings | None = None,
) -> AdaptedClassifier:
    """Fit the correction on positive/negative examples (both labels needed); settings by
    the number of examples unless given."""
    prepared = _Prepared.of(base, texts)
    return _fit_prepared(base, prepared, labels, settings or adapt_settings(len(texts)))


@dataclass(frozen=True)
class _Prepared:
    """Texts tokenised and lemmatised once, with the base model's scores: the guard's folds
    and the final fit share them (the base model's vectorisation is most of the cost)."""

    texts: list[str]
    tokens: list[list[str]]
    lemmas: list[list[str]]
    offset: np.ndarray
    language: str

    @classmethod
    def of(
        cls, base: SentimentClassifier, texts: list[str], counted: RatingsCounts | None = None
    ) -> _Prepared:
        """``counted``: the ratings-only model's count rows of these texts (and maybe more),
        the base model's word and character counts renumbered from them when it can
        (``RatingsCounts.word_rows``: the same rows, not counted a second time)."""
        prepared = cls.with_offset(base, texts, np.zeros(0))
        words = (
            counted.word_rows(base.vectorizer, prepared.texts, prepared.tokens)
            if counted is not None
            else None
        )
        blocks = base.count_blocks(prepared.tokens, prepared.lemmas, words)
        offset = _base_decision_of(base, base.block_features(blocks))
        return replace(prepared, offset=offset)

    def counted(self) -> CorrectionCounts:
        """The texts' count rows for the corrections' folds and fit (counted on first use;
        the lemmas are the base model's language's)."""
        return CorrectionCounts(self.texts, self.tokens, self.lemmas, self.language)

    @classmethod
    def with_offset(
        cls, base: SentimentClassifier, texts: list[str], offset: np.ndarray
    ) -> _Prepared:
        """Texts tokenised and lemmatised, with the base model's scores already known."""
        language = base.vectorizer.language
        tokens = token_lists(texts)
        return cls(list(texts), tokens, lemma_lists(texts, tokens, language), offset, language)


def _fit_prepared(
    base: SentimentClassifier,
    prepared: _Prepared,
    labels: list[str],
    settings: ClassifierSettings,
    counted: tuple[FeatureVectorizer, sp.csr_matrix] | None = None,
) -> AdaptedClassifier:
    """``counted``: the vectoriser fitted on the prepared texts and their count rows, when
    known (``CorrectionCounts``)."""
    language = base.vectorizer.language
    tokens, lemmatised, offset = prepared.tokens, prepared.lemmas, prepared.offset
    if counted is None:
        vectorizer = FeatureVectorizer(language, settings.char_low, settings.char_high)
        word_counts = vectorizer.fit_transform(tokens, lemmatised)
    else:
        vectorizer, word_counts = counted
    channels = classifier_channels(language) if settings.lexicon_weight else ()
    counts = _with_lexicon(word_counts, channels, language, tokens, lemmatised)
    words = len(vectorizer.vocabulary)
    idf = idf_weights(counts, words)
    char_columns = _char_columns(vectorizer) if settings.separate_norms else None
    features = _weighted_features(counts, words, idf, char_columns, None, settings.lexicon_weight)
    column = sp.csr_matrix((offset * BASE_COLUMN_SCALE)[:, None])
    model = fit_logistic(
        sp.hstack([features, column], format="csr"),
        np.asarray(labels),
        settings.c,
        tol=1e-3,
        offset=offset,
    )
    correction = SentimentClassifier(
        language=language,
        vectorizer=vectorizer,
        idf=idf,
        model=LinearModel(model.classes, model.coef, model.intercept),
        label_counts=dict(Counter(labels)),
        settings=settings,
        lexicon_channels=channels,
        char_columns=char_columns,
    )
    return AdaptedClassifier(
        language=language,
        base_name=base_name(),
        correction=correction,
        label_counts=dict(Counter(labels)),
        base=base,
    )


def binary_examples(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """The positive and negative examples (a correction learns only these two labels)."""
    kept = [(t, lab) for t, lab in zip(texts, labels, strict=True) if lab in BINARY]
    return [t for t, _ in kept], [lab for _, lab in kept]


def adaptable(labels: list[str]) -> bool:
    counts = Counter(lab for lab in labels if lab in BINARY)
    return sum(counts.values()) >= MIN_ADAPT and all(
        counts[lab] >= MIN_ADAPT_PER_LABEL for lab in BINARY
    )


def held_out_splits(
    labels: np.ndarray, seed: int = 0, groups: list[str] | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, held-out rows) pairs: stratified k-fold, or one stratified fifth. With
    ``groups`` (e.g. the review each rated sentence came from), a group's rows stay in one
    fold: words of one document on both sides would flatter the correction."""
    rng = np.random.default_rng(seed)
    fold_of = np.zeros(len(labels), dtype=int)
    if groups is not None:
        # groups dealt round-robin within each majority label, in shuffled order
        names = sorted(set(groups))
        rng.shuffle(names)
        votes: dict[str, Counter[str]] = {name: Counter() for name in names}
        for group, label in zip(groups, labels.tolist(), strict=True):
            votes[group][label] += 1
        folds: dict[str, int] = {}
        for label in np.unique(labels).tolist():
            mine = [name for name in names if votes[name].most_common(1)[0][0] == label]
            folds.update({name: i % FOLDS for i, name in enumerate(mine)})
        fold_of = np.asarray([folds[g] for g in groups], dtype=int)
    else:
        for label in np.unique(labels):
            rows = np.flatnonzero(labels == label)
            rng.shuffle(rows)
            fold_of[rows] = np.arange(len(rows)) % FOLDS
    if len(labels) <= KFOLD_UP_TO:
        return [(np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)) for k in range(FOLDS)]
    held = np.flatnonzero(fold_of == 0)
    if len(held) > HOLDOUT_MAX:
        held = np.sort(rng.choice(held, HOLDOUT_MAX, replace=False))
    train = np.setdiff1d(np.arange(len(labels)), held)
    return [(train, held)]


def _accuracy(decisions: np.ndarray, gold: np.ndarray) -> float:
    """Share of ratings a candidate's scores get right (over every repetition of the folds)."""
    return float(((decisions > 0) == (gold == POSITIVE)).mean())


def _log_loss(decisions: np.ndarray, gold: np.ndarray) -> float:
    """Log loss of log-odds scores per repetition of the folds, summed over the ratings."""
    sign = np.where(gold == POSITIVE, 1.0, -1.0)
    return float(np.logaddexp(0.0, -sign * np.atleast_2d(decisions)).sum(axis=1).mean())


LOSS_Z = 2.5
"""A candidate replaces the base model only when its held-out log loss is lower than the
base model's by more than LOSS_Z standard errors of the per-rating differences..."""
SIGN_Z: float | None = 1.25
"""...and (if set) it gets more held-out ratings right than the base model, by at least one
and by SIGN_Z standard deviations of a sign test over the ratings where the two disagree.
At least one more: a correction fitted to ratings that disagree with the text at random
lowers the log loss by only tempering the base model's confidence.

Chosen with ``benchmarks/sentiment_guard_study.py`` (the learning curve's draws, en, no, pl
at 50, 200, 1,000 ratings, 10 draws; scored on the rest of the ratings half, dev only
reported). Log loss alone at 2-2.5 standard errors lost on Norwegian at 200 ratings (a worst
draw -0.012 on the rest, -0.016 on dev): its wins there were better probabilities, not more
ratings right; with the sign test at 1.25 no cell is below the base model on average and
no worst draw is below the 3-standard-error rule's (-0.006 no, -0.004 pl against -0.013).
The price: Polish at 1,000 ratings gains less on dev (0.809 against 0.817; base 0.808)."""


def _rating_gains(candidate: np.ndarray, base: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Per rating, the base model's log loss minus the candidate's (mean over repetitions)."""
    sign = np.where(gold == POSITIVE, 1.0, -1.0)
    loss = np.logaddexp(0.0, -sign * np.atleast_2d(base)).mean(axis=0)
    return np.asarray(loss - np.logaddexp(0.0, -sign * np.atleast_2d(candidate)).mean(axis=0))


def loss_z_score(candidate: np.ndarray, base: np.ndarray, gold: np.ndarray) -> float:
    """The mean per-rating log-loss gain of a candidate over the base model, in standard
    errors (infinite when every rating gains alike)."""
    gain = _rating_gains(candidate, base, gold)
    mean = float(gain.mean())
    spread = float(gain.std(ddof=1) / np.sqrt(len(gain))) if len(gain) > 1 else 0.0
    if spread > 0:
        return mean / spread
    return 0.0 if mean == 0 else math.copysign(math.inf, mean)


@dataclass(frozen=True)
class GuardRule:
    """What a clear win is (``clear_gain``)."""

    loss_z: float = LOSS_Z
    sign_z: float | None = SIGN_Z


def clear_gain(
    candidate: np.ndarray, base: np.ndarray, gold: np.ndarray, rule: GuardRule = GuardRule()
) -> float | None:
    """Mean log-loss gain per held-out rating of a candidate's scores over the base model's,
    if the candidate wins clearly (``LOSS_Z``, ``SIGN_Z``), else None. Scores are one row
    per repetition of the folds (or one row): a rating's gain is its mean over them.

    Accuracy alone decides on the handful of ratings where the two disagree: the guard that
    kept the most accurate on held-out ratings lost 0.003 on unseen Norwegian sentences at
    50 and 200 ratings (10 draws). The log loss weighs every rating, and its standard error
    says how far to trust the difference."""
    candidate, base = np.atleast_2d(candidate), np.atleast_2d(base)
    gain = _rating_gains(candidate, base, gold)
    if len(gain) < 2 or loss_z_score(candidate, base, gold) <= rule.loss_z:
        return None
    if rule.sign_z is None:
        return float(gain.mean())
    right, right_base = (candidate > 0) == (gold == POSITIVE), (base > 0) == (gold == POSITIVE)
    disagree = float((right != right_base).sum(axis=1).mean())
    more_right = float(right.sum(axis=1).mean() - right_base.sum(axis=1).mean())
    if more_right < max(1.0, rule.sign_z * np.sqrt(disagree)):
        return None
    return float(gain.mean())


BASE, CORRECTED, OWN, POOLED_RATINGS = "base", "corrected", "own", "pooled"
"""The guard's candidates, simplest first (a tie goes to the simpler one); OWN and
POOLED_RATINGS are the two kinds of ratings-only model (one competes at a time)."""


@dataclass(frozen=True)
class GuardResult:
    adapted: AdaptedClassifier | None
    """The correction fitted on every rating, when the guard chose it."""
    base_accuracy: float
    adapted_accuracy: float
    held_out: int
    own: SentimentClassifier | None = None
    """A model trained on the ratings alone (the language's, or with ``others`` every
    language's), fitted on every rating, when the guard chose it."""
    own_accuracy: float | None = None
    """The ratings-only model's held-out accuracy (None: not a candidate)."""
    chosen: str = BASE
    """BASE, CORRECTED, OWN or POOLED_RATINGS."""
    ratings_model: str | None = None
    """Which ratings-only model competed (OWN or POOLED_RATINGS), None: none."""
    baseline: str = BASE
    """What the candidates had to beat: BASE (the shipped base model), or ``"lexicon"``
    for a language scored by its lexicons (``lexicon_guard``)."""

    @property
    def classifier(self) -> AdaptedClassifier | SentimentClassifier | None:
        """What scores the language instead of the base model (None: the base model)."""
        return self.adapted if self.chosen == CORRECTED else self.own


def train_ratings_model(
    texts: list[str],
    labels: list[str],
    extra: list[tuple[str, str]],
    language: str,
    counted: RatingsCounts | None = None,
) -> SentimentClassifier:
    """A model of the ratings alone: ``texts`` and ``labels`` plus the ``extra`` rows
    (neutral ratings, other languages' for the pooled model), trained for ``language``
    (from ``counted`` when those are its rows)."""
    all_texts, all_labels = texts + [t for t, _ in extra], labels + [lab for _, lab in extra]
    fitted = counted.fit(all_texts, all_labels) if counted is not None else None
    return fitted or train_classifier(all_texts, all_labels, language)


def own_decision(classifier: SentimentClassifier, texts: list[str]) -> np.ndarray:
    """Log-odds of positive against negative of a ratings-only model (2 or 3 classes), so it
    is judged on positive/negative ratings by the same sign and log loss as the base model."""
    return _log_odds(classifier.classes, classifier.probabilities(classifier.counts(texts)))


def _log_odds(classes: list[str] | tuple[str, ...], probabilities: np.ndarray) -> np.ndarray:
    positive = probabilities[:, list(classes).index(POSITIVE)]
    negative = probabilities[:, list(classes).index(NEGATIVE)]
    return np.asarray(np.log(np.maximum(positive, 1e-12)) - np.log(np.maximum(negative, 1e-12)))


@dataclass(frozen=True)
class HeldOut:
    """Out-of-fold log-odds of positive per candidate on the positive/negative ratings:
    ``scores[name]`` has one row per repetition of the k-fold (different fold seeds) and
    one column per rating; every rating is scored once per repetition by a model that did
    not see it."""

    gold: np.ndarray
    scores: dict[str, np.ndarray]


def held_out_scores(
    base: SentimentClassifier,
    prepared: _Prepared,
    labels: list[str],
    corrections: list[ClassifierSettings],
    *,
    ratings_only: tuple[str, str, list[tuple[str, str]]] | None = None,
    groups: list[str] | None = None,
    repeats: int = 1,
) -> HeldOut:
    """``held_out`` of prepared ratings."""
    return held_out(
        base,
        prepared.texts,
        prepared.offset,
        labels,
        corrections,
        ratings_only=ratings_only,
        groups=groups,
        repeats=repeats,
    )


BaseRef = SentimentClassifier | str
"""A base model, or the language whose shipped base model it is (``load_base``)."""


def _base_model(base: BaseRef) -> SentimentClassifier:
    if not isinstance(base, str):
        return base
    found = load_base(base)
    assert found is not None, f"no base model for {base}"
    return found


def base_offsets(
    base: BaseRef, texts: list[str], counted: RatingsCounts | None = None
) -> np.ndarray:
    """The base model's log-odds of positive per text (``counted``: ``_Prepared.of``)."""
    return _Prepared.of(_base_model(base), texts, counted).offset


def corrected_fold(
    base: BaseRef,
    settings: ClassifierSettings,
    train: tuple[list[str], list[str], np.ndarray],
    test: tuple[list[str], np.ndarray],
    counted: CorrectionCounts | None = None,
) -> np.ndarray:
    """A correction fitted on ``train`` (texts, labels, base offsets) and its log-odds of
    positive on ``test`` (texts, base offsets): one fold of ``held_out``. With ``counted``
    (holding every text), from its count rows (the same rows and vocabulary)."""
    model = _base_model(base)
    texts, labels, offset = train
    prepared = _Prepared.with_offset(model, texts, offset)
    tested = _Prepared.with_offset(model, *test)
    fold = (
        counted.fold(settings.char_low, settings.char_high, texts, test[0])
        if counted is not None
        else None
    )
    if fold is None:
        fitted = _fit_prepared(model, prepared, labels, settings)
        counts = fitted.correction.token_counts(tested.tokens, tested.lemmas)
    else:
        vectorizer, train_counts, test_counts = fold
        fitted = _fit_prepared(model, prepared, labels, settings, (vectorizer, train_counts))
        correction = fitted.correction
        counts = _with_lexicon(
            test_counts,
            correction.lexicon_channels,
            correction.language,
            tested.tokens,
            tested.lemmas,
        )
    return tested.offset + _correction_scores(fitted.correction, counts, tested.offset)


def ratings_only_fold(
    language: str,
    train: tuple[list[str], list[str]],
    extra: list[tuple[str, str]],
    test_texts: list[str],
    counted: RatingsCounts | None = None,
) -> np.ndarray:
    """A ratings-only model fitted on ``train`` (texts, labels) and the ``extra`` rows, and
    its log-odds of positive on ``test_texts``: one fold of ``held_out`` (and of the
    lexicon guard). With ``counted`` (holding every text), from its count rows."""
    if counted is not None:
        rows = (train[0] + [t for t, _ in extra], train[1] + [lab for _, lab in extra])
        found = counted.fold_probabilities(rows, test_texts)
        if found is not None:
            return _log_odds(*found)
    return own_decision(train_ratings_model(*train, extra, language), test_texts)


def fit_corrected(
    base: BaseRef,
    texts: list[str],
    labels: list[str],
    offset: np.ndarray,
    settings: ClassifierSettings,
    counted: CorrectionCounts | None = None,
) -> AdaptedClassifier:
    """The correction fitted on every rating (given the base model's offsets; from
    ``counted``'s count rows when those are the texts)."""
    model = _base_model(base)
    whole = (
        counted.whole(settings.char_low, settings.char_high)
        if counted is not None and counted.texts == texts
        else None
    )
    return _fit_prepared(
        model, _Prepared.with_offset(model, texts, offset), labels, settings, whole
    )


def held_out(
    base: BaseRef,
    texts: list[str],
    offset: np.ndarray,
    labels: list[str],
    corrections: list[ClassifierSettings],
    *,
    ratings_only: tuple[str, str, list[tuple[str, str]]] | None = None,
    groups: list[str] | None = None,
    repeats: int = 1,
    counted: RatingsCounts | None = None,
    corrected: CorrectionCounts | None = None,
) -> HeldOut:
    """Score every positive/negative rating (``texts``, with the base model's ``offset``)
    with the base model and with each candidate fitted on the other folds
    (``corrections``; with ``ratings_only`` = (candidate name, classifier language, extra
    rows), a ratings-only model whose training folds also hold the extra rows: neutral
    ratings and other languages', never scored); the k-fold runs again with other fold
    seeds, up to ``repeats`` times in all, for the candidates still in reach of a clear win
    after the first (``REPEAT_FROM_Z``). ``counted``: the ratings-only model's count rows
    (``RatingsCounts``), shared by its folds; ``corrected``: the corrections' count rows
    (``CorrectionCounts``), shared by theirs."""
    gold = np.asarray(labels)

    def fold_scores(name: str, train_rows: np.ndarray, test_rows: np.ndarray) -> np.ndarray:
        train_texts, test_texts = [texts[i] for i in train_rows], [texts[i] for i in test_rows]
        train_labels = [labels[i] for i in train_rows]
        if name.startswith(CORRECTED):
            settings = corrections[int(name.split(":")[1])]
            train = (train_texts, train_labels, offset[train_rows])
            test = (test_texts, offset[test_rows])
            return corrected_fold(base, settings, train, test, corrected)
        assert ratings_only is not None
        _, language, extra = ratings_only
        return ratings_only_fold(language, (train_texts, train_labels), extra, test_texts, counted)

    def one_kfold(names: list[str], seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        tested = np.zeros(len(labels), dtype=bool)
        rows = {name: np.zeros(len(labels)) for name in names}
        for train_rows, test_rows in held_out_splits(gold, seed=seed, groups=groups):
            tested[test_rows] = True
            for name in names:
                rows[name][test_rows] = fold_scores(name, train_rows, test_rows)
        return tested, rows

    names = [f"{CORRECTED}:{i}" for i in range(len(corrections))]
    names += [ratings_only[0]] if ratings_only else []
    tested, first = one_kfold(names, 0)
    scores = {name: [row] for name, row in first.items()}
    if len(labels) <= KFOLD_UP_TO:  # (one held-out fifth is not repeated: other rows)
        in_reach = [n for n in names if loss_z_score(first[n], offset, gold) >= REPEAT_FROM_Z]
        for seed in range(1, repeats if in_reach else 1):
            for name, row in one_kfold(in_reach, seed)[1].items():
                scores[name].append(row)
    held = {BASE: offset[None, :]} | {n: np.vstack(rows) for n, rows in scores.items()}
    return HeldOut(gold[tested], {name: rows[:, tested] for name, rows in held.items()})


def choose(held: HeldOut) -> tuple[str, dict[str, float | None]]:
    """The candidate with the largest clear gain over the base model (``BASE`` if none wins
    clearly), and every candidate's gain (None: not a clear win)."""
    gains = {
        name: clear_gain(scores, held.scores[BASE], held.gold)
        for name, scores in held.scores.items()
        if name != BASE
    }
    winners = {name: gain for name, gain in gains.items() if gain is not None}
    return (max(winners, key=winners.__getitem__) if winners else BASE), gains


def adapt_with_guard(
    base: BaseRef,
    texts: list[str],
    labels: list[str],
    settings: ClassifierSettings | None = None,
    *,
    own_model: bool = False,
    others: list[tuple[str, str]] | None = None,
    groups: list[str] | None = None,
) -> GuardResult:
    """Choose between the base model, the base model plus a correction (one per
    ``correction_settings``, or ``settings`` alone when given) and (with ``own_model``) a
    model trained on the ratings alone (``train_classifier``, every label given, neutral
    too), all scored on the same held-out positive/negative ratings; a candidate replaces
    the base model only when it wins clearly (``clear_gain``), and the one with the largest
    gain is fitted again on every rating.

    The ratings-only model is the one users had before the base models shipped: with many
    ratings of a domain the base model does not know, it can beat both. With ``others``
    (other languages' ratings) it is the pooled model instead (``features.POOLED``), trained
    on them and this language's ratings, as languages with too few ratings for their own
    model had before. ``groups`` (one per text, e.g. the document a rated sentence came
    from) keep a group in one fold; without them every rating is its own group (a review)."""
    language = base if isinstance(base, str) else base.vectorizer.language
    extra = [(t, lab) for t, lab in zip(texts, labels, strict=True) if lab not in BINARY]
    own_model = own_model or others is not None
    ratings_only, own_language = (OWN, language) if others is None else (POOLED_RATINGS, POOLED)
    extra += others or []
    all_texts, all_labels = texts, labels
    if groups is not None:
        groups = [g for g, lab in zip(groups, labels, strict=True) if lab in BINARY]
    texts, labels = binary_examples(texts, labels)
    if not adaptable(labels):
        return GuardResult(None, 0.0, 0.0, 0)
    corrections = [settings] if settings is not None else correction_settings(len(texts))
    # the ratings-only model's folds and its fit on every rating count the rows once, and
    # so do the corrections' folds and fit; when the ratings-only model is the language's
    # own, the base model's counts of the ratings are its counts renumbered
    counted = RatingsCounts(all_texts + [t for t, _ in others or []], own_language)
    offset = base_offsets(base, texts, counted if own_model else None)
    corrected = _Prepared.with_offset(_base_model(base), texts, offset).counted()
    held = held_out(
        base,
        texts,
        offset,
        labels,
        corrections,
        ratings_only=(ratings_only, own_language, extra) if own_model else None,
        groups=groups,
        repeats=REPEATS,
        counted=counted,
        corrected=corrected,
    )
    chosen, _ = choose(held)
    # the correction reported: the chosen one, else the one that came closest
    names = list(held.scores)
    shown = (
        chosen
        if chosen.startswith(CORRECTED)
        else max(
            names[1 : 1 + len(corrections)],
            key=lambda name: -_log_loss(held.scores[name], held.gold),
        )
    )
    right = {name: _accuracy(held.scores[name], held.gold) for name in names}
    result = GuardResult(
        None,
        right[BASE],
        right[shown],
        len(held.gold),
        own_accuracy=right[ratings_only] if own_model else None,
        chosen=chosen.split(":")[0],
        ratings_model=ratings_only if own_model else None,
    )
    if chosen.startswith(CORRECTED):
        correction = corrections[int(chosen.split(":")[1])]
        final = replace(
            fit_corrected(base, texts, labels, offset, correction, corrected),
            cv_accuracy=result.adapted_accuracy,
            base_accuracy=result.base_accuracy,
        )
        return replace(result, adapted=final)
    if chosen == ratings_only:
        own = train_ratings_model(all_texts, all_labels, others or [], own_language, counted)
        own.cv_accuracy = result.own_accuracy
        return replace(result, own=own)
    return result

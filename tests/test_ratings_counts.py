"""A guard's ratings-only model counts every rating once (``RatingsCounts``): its folds and
its fit on every rating are the ones ``train_classifier`` makes from the texts."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from compare.analysis.sentiment import classifier
from compare.analysis.sentiment.adapted import (
    GuardResult,
    _Prepared,
    base_offsets,
    corrected_fold,
    correction_settings,
    fit_corrected,
    own_decision,
    ratings_only_fold,
)
from compare.analysis.sentiment.base_models import load_base
from compare.analysis.sentiment.classifier import train_classifier
from compare.analysis.sentiment.ratings_counts import RatingsCounts
from compare.analysis.sentiment.vectorizer import FeatureVectorizer
from compare.analysis.training import TrainingJob, train_job

GOOD = ["great", "lovely", "sturdy", "fast", "worth it", "not bad at all"]
BAD = ["awful", "broken", "slow", "not good", "a waste", "flimsy"]
THINGS = ["kettle", "lid", "handle", "delivery", "price", "box", "cable"]


def _rows(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        label = ("positive", "negative", "neutral")[i % 3]
        words = GOOD if label == "positive" else BAD if label == "negative" else THINGS
        text = f"The {rng.choice(THINGS)} is {rng.choice(words)}, {rng.choice(words)} {i % 7}."
        out.append((text, label))
    return out


@pytest.mark.parametrize("with_neutral", [False, True])
def test_a_fold_from_the_counted_rows_is_the_fold_train_classifier_fits(
    with_neutral: bool,
) -> None:
    rows = _rows(90, 1)
    binary = [(t, lab) for t, lab in rows if lab != "neutral"]
    extra = [(t, lab) for t, lab in rows if lab == "neutral"] if with_neutral else []
    train, test = binary[:40], binary[40:]
    # held-out texts with words no training text has: the fold's vocabulary drops them
    test += [("A wobbly teapot, quite dreadful.", "negative")]
    counted = RatingsCounts([t for t, _ in binary + test[-1:] + extra], "en")

    fold = ratings_only_fold(
        "en", ([t for t, _ in train], [lab for _, lab in train]), extra, [t for t, _ in test]
    )
    from_counts = ratings_only_fold(
        "en",
        ([t for t, _ in train], [lab for _, lab in train]),
        extra,
        [t for t, _ in test],
        counted,
    )
    assert np.array_equal(fold, from_counts)
    fitted = train_classifier(
        [t for t, _ in train + extra], [lab for _, lab in train + extra], "en"
    )
    assert np.array_equal(own_decision(fitted, [t for t, _ in test]), from_counts)


def test_the_fit_on_every_rating_is_the_one_train_classifier_makes() -> None:
    rows = _rows(60, 2)
    texts, labels = [t for t, _ in rows], [lab for _, lab in rows]
    whole = RatingsCounts(texts, "en").fit(texts, labels)
    direct = train_classifier(texts, labels, "en")
    assert whole is not None
    assert whole.vectorizer.vocabulary == direct.vectorizer.vocabulary
    assert np.array_equal(whole.model.coef, direct.model.coef)
    assert np.array_equal(whole.idf, direct.idf)
    assert RatingsCounts(texts, "en").fit(texts[1:], labels[1:]) is None  # other rows


def test_a_lexicon_guard_counts_its_ratings_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's five folds and its final fit each built a vectoriser and counted their
    texts (six fits and five held-out counts); now the ratings are counted once."""
    fitted: list[int] = []
    original = classifier.FeatureVectorizer.fit_transform

    def counting(self: classifier.FeatureVectorizer, *args: object) -> object:
        fitted.append(1)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(classifier.FeatureVectorizer, "fit_transform", counting)
    rows = [(t, lab) for t, lab in _rows(150, 3)]
    result = train_job(TrainingJob("fr", rows, lexicon=True))
    assert isinstance(result, GuardResult) and result.held_out == 100
    assert len(fitted) == 1


def test_a_correction_fold_from_the_counted_rows_is_the_fold_of_its_own_vectoriser() -> None:
    """A correction's fold fitted from the guard's ratings counted once (``CorrectionCounts``)
    scores its held-out ratings as the fold fitted on its own vectoriser did, held-out words
    the fold never saw dropped alike; and the fit on every rating is the same model."""
    rows = [(t, lab) for t, lab in _rows(120, 4) if lab != "neutral"]
    rows += [("A wobbly teapot, quite dreadful.", "negative")]
    texts, labels = [t for t, _ in rows], [lab for _, lab in rows]
    base = load_base("en")
    assert base is not None
    offset = base_offsets(base, texts)
    counted = _Prepared.with_offset(base, texts, offset).counted()
    settings = correction_settings(len(texts))[0]
    train = (texts[:50], labels[:50], offset[:50])
    test = (texts[50:], offset[50:])
    alone = corrected_fold(base, settings, train, test)
    assert np.array_equal(corrected_fold(base, settings, train, test, counted), alone)
    direct = fit_corrected(base, texts, labels, offset, settings)
    whole = fit_corrected(base, texts, labels, offset, settings, counted)
    assert whole.correction.vectorizer.vocabulary == direct.correction.vectorizer.vocabulary
    assert np.array_equal(whole.correction.model.coef, direct.correction.model.coef)


def test_a_guarded_correction_counts_its_ratings_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corrections' five folds (up to three k-folds) and the final fit each built a
    vectoriser and counted their ratings; now the guard counts them once for the
    corrections (and once for the ratings-only model)."""
    fitted: list[int] = []
    original = FeatureVectorizer.fit_transform

    def counting(self: FeatureVectorizer, *args: object) -> object:
        fitted.append(1)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(FeatureVectorizer, "fit_transform", counting)
    result = train_job(TrainingJob("en", _rows(150, 5), adapt=True))
    assert isinstance(result, GuardResult) and result.held_out == 100
    assert len(fitted) == 2


def test_the_base_models_rows_of_the_ratings_are_the_ratings_only_rows_renumbered() -> None:
    """The base model's word and character counts of the ratings, taken from the
    ratings-only model's count rows (``RatingsCounts.word_rows``), are those its vectoriser
    counts, its character n-gram columns cached alike (the analysis is handed them), and
    its scores the same; texts not among the ratings, or another language's, are not."""
    rows = _rows(90, 6)
    texts = [t for t, _ in rows] + ["A wobbly teapot, quite dreadful."]
    scored = [t for t, lab in rows if lab != "neutral"][:40] + texts[-1:]
    base = load_base("en")
    assert base is not None
    counted = RatingsCounts(texts, "en")
    prepared = _Prepared.with_offset(base, scored, np.zeros(0))
    renumbering = pickle.loads(pickle.dumps(base.vectorizer))
    counting = pickle.loads(pickle.dumps(base.vectorizer))
    words = counted.word_rows(renumbering, scored, prepared.tokens)
    expected = counting.transform(prepared.tokens, prepared.lemmas)
    assert words is not None and words.shape == expected.shape
    assert np.array_equal(words.indptr, expected.indptr)
    assert np.array_equal(words.indices, expected.indices)
    assert np.array_equal(words.data, expected.data)
    assert renumbering.new_char_columns() == counting.new_char_columns()
    assert np.array_equal(base_offsets(base, scored, counted), base_offsets(base, scored))
    assert counted.word_rows(renumbering, ["not a rating"], [["not"]]) is None
    assert RatingsCounts(texts, "fr").word_rows(renumbering, scored, prepared.tokens) is None


def test_a_guard_with_its_own_ratings_model_counts_the_ratings_once_for_the_base_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The base model scored the ratings through its own vectoriser, counting them a second
    time beside the ratings-only model's count; now from that count, and the guard's
    result is the same."""
    job = TrainingJob("en", _rows(150, 7), adapt=True)
    before = pickle.dumps(train_job(job))
    transformed: list[int] = []
    original = FeatureVectorizer.transform

    def counting(self: FeatureVectorizer, *args: object) -> object:
        transformed.append(len(args[0]))  # type: ignore[arg-type]
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(FeatureVectorizer, "transform", counting)
    monkeypatch.setattr(RatingsCounts, "word_rows", lambda *args: None)
    assert pickle.dumps(train_job(job)) == before
    assert transformed  # without word_rows the base model counts the ratings itself
    monkeypatch.undo()
    monkeypatch.setattr(FeatureVectorizer, "transform", counting)
    transformed.clear()
    assert pickle.dumps(train_job(job)) == before
    assert not transformed

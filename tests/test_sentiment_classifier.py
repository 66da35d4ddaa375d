from __future__ import annotations

import pickle

import numpy as np
import pytest

from compare.analysis.sentiment.classifier import ClassifierSettings, train_classifier
from compare.analysis.sentiment.features import CHAR_PREFIX

TRAIN = [
    ("great coffee and friendly service", "positive"),
    ("lovely beans, fast delivery", "positive"),
    ("the grinder works great", "positive"),
    ("friendly staff, lovely shop", "positive"),
    ("awful coffee and rude service", "negative"),
    ("stale beans, slow delivery", "negative"),
    ("the grinder broke after a week", "negative"),
    ("rude staff, dirty shop", "negative"),
]
TEXTS = ["great friendly grinder", "awful slow delivery of stale beans and a broken grinder"]


def _block_norms(settings: ClassifierSettings) -> tuple[np.ndarray, np.ndarray]:
    """Per scored text: L2 norm of its word features and of its character n-gram features."""
    model = train_classifier([t for t, _ in TRAIN], [lab for _, lab in TRAIN], "en", settings)
    features = model._features(model.counts(TEXTS)).toarray()
    names = sorted(model.vectorizer.vocabulary, key=model.vectorizer.vocabulary.__getitem__)
    chars = np.asarray([n.startswith(CHAR_PREFIX) for n in names])
    tfidf = features[:, : len(names)]
    return np.linalg.norm(tfidf[:, ~chars], axis=1), np.linalg.norm(tfidf[:, chars], axis=1)


def test_word_and_character_blocks_are_normalised_separately() -> None:
    words, chars = _block_norms(ClassifierSettings())
    np.testing.assert_allclose(words, 1.0)
    np.testing.assert_allclose(chars, 1.0)


def test_one_norm_over_both_blocks_leaves_the_words_small() -> None:
    words, chars = _block_norms(ClassifierSettings(separate_norms=False))
    np.testing.assert_allclose(words**2 + chars**2, 1.0)
    # a word gives one or two word features but a dozen character n-grams
    assert (words < 0.5).all()


def test_words_only_model_has_one_block_and_survives_pickling() -> None:
    settings = ClassifierSettings(char_low=0, char_high=0)
    model = train_classifier([t for t, _ in TRAIN], [lab for _, lab in TRAIN], "en", settings)
    assert model.char_columns is None
    loaded = pickle.loads(pickle.dumps(model))
    words = loaded._features(loaded.counts(TEXTS)).toarray()[:, : len(loaded.vectorizer.vocabulary)]
    np.testing.assert_allclose(np.linalg.norm(words, axis=1), 1.0)
    assert loaded.score(TEXTS) == model.score(TEXTS)


def test_separate_norms_keep_the_training_labels() -> None:
    model = train_classifier([t for t, _ in TRAIN], [lab for _, lab in TRAIN], "en")
    assert model.char_columns is not None and model.char_columns.any()
    scores = model.score([t for t, _ in TRAIN])
    assert [label for _, label, _ in scores] == [lab for _, lab in TRAIN]


def _ratios(settings: ClassifierSettings, *words: str) -> list[float]:
    model = train_classifier([t for t, _ in TRAIN], [lab for _, lab in TRAIN], "en", settings)
    assert model.nb_ratio is not None
    return [float(model.nb_ratio[model.vectorizer.vocabulary[w]]) for w in words]


def test_presence_ratio_counts_the_sentences_a_feature_occurs_in() -> None:
    # "great" and "lovely" are each in two positive sentences and no negative one: by
    # presence their ratios are equal; by summed TF-IDF mass they differ (their sentences'
    # lengths differ, so do their values); "coffee", in one sentence of each, is below both
    great, lovely, coffee = _ratios(
        ClassifierSettings(nb_weight=True, nb_presence=True), "great", "lovely", "coffee"
    )
    assert great == pytest.approx(lovely)
    assert coffee < great
    great, lovely = _ratios(ClassifierSettings(nb_weight=True), "great", "lovely")
    assert great != pytest.approx(lovely)

"""A training job's memo (``featurise_once``): same features, each distinct text once."""

from __future__ import annotations

import numpy as np
import pytest

from compare.analysis.sentiment import adapted, classifier, vectorizer
from compare.analysis.sentiment.adapted import GuardResult
from compare.analysis.sentiment.featurise_once import featurising_once, memo
from compare.analysis.sentiment.lexicon_features import lexicon_channels, lexicon_counts
from compare.analysis.sentiment.vectorizer import FeatureVectorizer, token_lists
from compare.analysis.text import lemmas
from compare.analysis.training import TrainingJob, train_job

TEXTS = [
    "Great coffee, but the lid is not good at all.",
    "I do not like it. Never again!",
    "Great coffee, but the lid is not good at all.",
    "It isn't bad, very good value.",
    "I do not like it. Never again!",
]


def _features() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tokens = token_lists(TEXTS)
    lemma_lists = [lemmas(t, "en") for t in tokens]
    fitted = FeatureVectorizer("en", 2, 4)
    counts = fitted.fit_transform(tokens, lemma_lists).toarray()
    again = fitted.transform(tokens).toarray()  # lemmatised here: the same features
    sums = lexicon_counts(lexicon_channels("en"), "en", tokens, lemma_lists).toarray()
    return counts, again, sums


def test_the_memo_lives_for_the_outermost_block_only() -> None:
    assert memo("word features") is None
    with featurising_once():
        inner = memo("word features")
        assert inner == {}
        with featurising_once():
            assert memo("word features") is inner
        assert memo("word features") is inner
    assert memo("word features") is None


def test_features_are_the_same_with_the_memo_and_each_text_is_featurised_once() -> None:
    plain = _features()
    with featurising_once():
        remembered = _features()
        distinct = len(set(TEXTS))
        assert len(memo("tokens") or {}) == distinct
        assert len(memo("word features") or {}) == distinct
        assert len(memo("lexicon sums") or {}) == distinct
        again = _features()  # from the memo
    for without, within, repeated in zip(plain, remembered, again, strict=True):
        assert np.array_equal(without, within)
        assert np.array_equal(without, repeated)
    assert plain[2].any()  # the texts have opinion words: the sums are compared for real


def test_a_guarded_training_job_lemmatises_each_rated_text_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The guard's base scores, folds and final fit lemmatised the same ratings again (up to
    five times per text); within the job's memo each distinct text is lemmatised once."""

    lemmatised: list[list[str]] = []

    def counted(tokens: list[str], language: str | None) -> list[str]:
        lemmatised.append(tokens)
        return lemmas(tokens, language)

    # every module's binding (before, adapted and classifier called ``lemmas`` themselves)
    monkeypatch.setattr(vectorizer, "lemmatize", counted)
    monkeypatch.setattr(adapted, "lemmas", counted, raising=False)
    monkeypatch.setattr(classifier, "lemmas", counted, raising=False)
    rows = [
        (f"Great kettle number {i}, love it." if i % 2 else f"Awful kettle {i}, it broke.", lab)
        for i, lab in ((i, "positive" if i % 2 else "negative") for i in range(60))
    ]
    result = train_job(TrainingJob("en", rows, adapt=True))
    assert isinstance(result, GuardResult) and result.held_out == 60  # every rating scored
    assert len(lemmatised) == 60  # 60 distinct texts (960 before)

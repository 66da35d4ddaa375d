"""Sentences without an opinion: the shipped opinion detectors label them neutral."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from compare.analysis.review import ReviewInput, analyze_reviews
from compare.analysis.sentiment import lexicon_features
from compare.analysis.sentiment.base_models import BASE_DIR, load_base
from compare.analysis.sentiment.opinion import NO_OPINION_ABOVE, load_detector, no_opinion
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.sentiment.vectorizer import FeatureVectorizer, token_lists
from compare.analysis.taxonomy import load_taxonomy

DETECTED = ("pl",)

DAY_ONE_LABELS = [
    # facts: a positive/negative model alone put them on a side (the first at 0.97)
    ("pl", "Paczka przyszła następnego dnia.", "neutral"),
    ("pl", "Kupiłem go w poniedziałek.", "neutral"),
    ("pl", "Produkt jest czarny.", "neutral"),
    # opinions keep their side
    ("pl", "Świetna jakość, polecam.", "positive"),
    ("pl", "Fatalna jakość, jestem rozczarowany.", "negative"),
    ("pl", "Bardzo głośny i ciężko go wyczyścić. Jestem rozczarowany.", "negative"),
    # a word of the lexicons keeps a sentence's side where the detector saw no opinion
    ("pl", "Konfiguracja jest skomplikowana.", "negative"),
    ("pl", "Paczka przyszła uszkodzona.", "negative"),
]


def test_a_detector_ships_for_pl_with_its_data_and_licence() -> None:
    meta = json.loads((BASE_DIR / "meta.json").read_text("utf-8"))
    assert sorted(meta["opinion"]) == list(DETECTED)
    readme = (BASE_DIR / "README.md").read_text("utf-8")
    for language in DETECTED:
        info = meta["opinion"][language]
        assert info["examples"] > 1000 and set(info["label_counts"]) == {"neutral", "opinion"}
        path = BASE_DIR / f"{language}.opinion.pkl.xz"
        assert path.stat().st_size < 2_000_000
        assert path.name in (BASE_DIR / f"{language}.LICENCE.txt").read_text("utf-8")
        assert path.name in readme
    assert load_detector("en") is None and load_detector("no") is None
    assert load_detector(None) is None


@pytest.mark.parametrize(("language", "text", "label"), DAY_ONE_LABELS)
def test_day_one_labels_facts_neutral_and_opinions_by_their_side(
    language: str, text: str, label: str
) -> None:
    assert SentimentScorer().score([text], language)[0][1] == label


@pytest.mark.parametrize("language", DETECTED)
def test_the_detector_keeps_every_sign_of_the_base_model(language: str) -> None:
    texts = [t for lang, t, _ in DAY_ONE_LABELS if lang == language]
    base = load_base(language)
    assert base is not None
    before = np.array([s[0] for s in base.score(texts)])
    after = np.array([s[0] for s in SentimentScorer().score(texts, language)])
    assert (np.sign(after) == np.sign(before)).all()
    assert (np.abs(after) <= np.abs(before)).all()


def test_analyze_labels_a_fact_sentence_neutral_beside_an_opinion() -> None:
    review = ReviewInput(
        review_id=1,
        company_id=1,
        text="Paczka przyszła następnego dnia. Fatalna jakość, jestem rozczarowany.",
        language="pl",
    )
    (result,) = analyze_reviews([review], SentimentScorer(), load_taxonomy())
    assert [s.label for s in result.sentences] == ["neutral", "negative"]
    assert result.label == "negative"
    # the same label as scoring the sentence alone
    alone = SentimentScorer().score([result.sentences[0].text], "pl")[0]
    assert result.sentences[0].polarity == pytest.approx(alone[0])


def test_a_lexicon_word_means_an_opinion_whatever_the_detector_learnt() -> None:
    detector = load_detector("pl")
    assert detector is not None
    damaged, next_day = "Paczka przyszła uszkodzona.", "Paczka przyszła następnego dnia."
    # the medicine reviews' detector finds no opinion in either; "uszkodzony" is in the
    # Polish lexicon, so the first keeps the base model's label
    none = no_opinion(detector, token_lists([damaged, next_day]), None)
    assert none[0] == 0.0 and none[1] > NO_OPINION_ABOVE


def test_analyze_featurises_a_sentence_once_for_the_model_and_the_detector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The base model and the detector share word features and lexicon sums (pure functions
    of the language and the tokens): each sentence's are computed once, not once each."""
    calls: Counter[str] = Counter()
    words, sums = FeatureVectorizer.word_features, lexicon_features._lexicon_row

    def counted_words(self: FeatureVectorizer, *args: object) -> object:
        calls["word features"] += 1
        return words(self, *args)  # type: ignore[arg-type]

    def counted_sums(*args: object) -> object:
        calls["lexicon sums"] += 1
        return sums(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(FeatureVectorizer, "word_features", counted_words)
    monkeypatch.setattr(lexicon_features, "_lexicon_row", counted_sums)
    polish = [t for lang, t, _ in DAY_ONE_LABELS if lang == "pl"]
    reviews = [
        ReviewInput(review_id=i, company_id=1, text=" ".join(texts), language="pl")
        for i, texts in enumerate([polish[:4], polish[4:]])
    ]
    results = analyze_reviews(reviews, SentimentScorer(), load_taxonomy())
    sentences = [s for r in results for s in r.sentences]
    assert len(sentences) > len(reviews)
    assert calls == {"word features": len(sentences), "lexicon sums": len(sentences)}
    # the scores as each sentence scored alone (with no memo)
    monkeypatch.undo()
    alone = SentimentScorer().score([s.text for s in sentences], "pl")
    assert [s.label for s in sentences] == [label for _, label, _ in alone]
    assert [s.polarity for s in sentences] == pytest.approx([p for p, _, _ in alone])

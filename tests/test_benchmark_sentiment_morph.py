"""The word-side variants of benchmarks/sentiment_morph_cv.py (the morphology study)."""

from __future__ import annotations

import pytest

from compare.analysis.sentiment import classifier as classifier_module
from compare.analysis.sentiment.classifier import ClassifierSettings, train_classifier
from compare.analysis.text import tokenize
from tests.benchmark_scripts import load_benchmark

study = load_benchmark("sentiment_morph_cv")

TOKENS = ["the", "cars", "are", "not", "working"]


@pytest.mark.parametrize(
    ("variant", "present", "absent"),
    [
        ("lemma", {"car", "NOT_work", "car be"}, {"cars", "=cars"}),
        ("surface", {"cars", "NOT_working", "cars are"}, {"car", "=cars"}),
        ("lemma+surface", {"car", "=cars", "=working"}, {"cars", "=the"}),
        ("prefix5", {"cars", "NOT_worki"}, {"car", "NOT_work"}),
        ("lemma+prefix5", {"car", ">worki", ">the"}, {"worki"}),
    ],
)
def test_word_side_of_each_variant(variant: str, present: set[str], absent: set[str]) -> None:
    vectorizer = study.MorphVectorizer("en", 3, 5)
    vectorizer.variant = variant
    features = set(vectorizer.word_features(TOKENS))
    assert present <= features
    assert not absent & features


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Great!!! Really?", ["great", "zcuebang", "really", "zcuequery"]),
        ("meh... :(", ["meh", "zcuedots", "zcuefrown"]),
        ("super :) ok", ["super", "zcuesmile", "ok"]),
        ("top \U0001f600", ["top", "zcueemojibpgaa"]),
        ("plain words", ["plain", "words"]),
    ],
)
def test_cues_become_letter_tokens(text: str, tokens: list[str]) -> None:
    assert tokenize(study.with_cues(text)) == tokens


def test_variant_in_use_trains_with_it_and_restores_the_product_vectorizer() -> None:
    product = classifier_module._vectorizer
    texts = ["the cars are great", "the cars are awful", "great car", "awful car"]
    labels = ["positive", "negative", "positive", "negative"]
    with study.variant_in_use("lemma+surface") as prepare:
        model = train_classifier([prepare(t) for t in texts], labels, "en", ClassifierSettings())
    assert "=cars" in model.vectorizer.vocabulary
    assert classifier_module._vectorizer is product
    with pytest.raises(ValueError, match="unknown variant"), study.variant_in_use("stems"):
        pass
    assert classifier_module._vectorizer is product

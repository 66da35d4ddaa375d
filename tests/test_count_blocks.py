"""A classifier's count blocks score as its joined counts do, sentence rows and summed rows."""

from __future__ import annotations

import random

import numpy as np
import pytest
import scipy.sparse as sp

from compare.analysis.sentiment.adapted import AdaptedClassifier, adapt_with_guard
from compare.analysis.sentiment.base_models import load_base
from compare.analysis.sentiment.classifier import SentimentClassifier
from compare.analysis.sentiment.opinion import load_detector, no_opinion_of_blocks, no_opinion_rows
from compare.analysis.text import lemmas, split_units, tokenize

TEXTS = {
    "en": "Fast delivery, but the lid cracked. I would not buy it again! Great price.",
    "no": "Levering var rask. Men lokket sprakk, ikke bra. Veldig fornøyd med prisen.",
    "pl": "Szybka dostawa, ale pokrywka pękła. Nie polecam. Cena jest świetna.",
}


def _adapted_no() -> AdaptedClassifier:
    base = load_base("no")
    assert base is not None
    rng = random.Random(3)
    lines = ["Pakken kom i dag.", "Jeg kjøpte den i går.", "Den er blå.", "Vi har to."]
    texts = [f"{rng.choice(lines)} Dom {'zorblat' if i % 2 else 'quimzy'}." for i in range(200)]
    labels = ["positive" if i % 2 else "negative" for i in range(200)]
    adapted = adapt_with_guard(base, texts, labels).adapted
    assert adapted is not None
    return adapted


def _classifier(name: str) -> SentimentClassifier | AdaptedClassifier:
    language, kind = name.split(":")
    found = {"base": load_base, "detector": load_detector}.get(kind)
    classifier = found(language) if found is not None else _adapted_no()
    assert classifier is not None
    return classifier


@pytest.mark.parametrize(
    "name",
    [
        "en:base",  # lexicon channels
        "no:base",  # lexicon channels and word vectors
        "pl:base",
        "pl:detector",
        "no:adapted",  # the base model's blocks, then the correction's
    ],
)
def test_count_blocks_score_as_the_joined_counts(name: str) -> None:
    classifier = _classifier(name)
    language = classifier.vectorizer.language
    units = [u for text in TEXTS[language].split(". ") for u in split_units(text, language)]
    tokens = [tokenize(u) for u in units]
    lemma_lists = [lemmas(t, language) for t in tokens]
    counts = classifier.token_counts(tokens, lemma_lists)
    blocks = classifier.count_blocks(tokens, lemma_lists)
    assert (sp.hstack(blocks, format="csr") != counts).nnz == 0
    # sentence rows, and rows summed per review (the first two units, then the others)
    summing = sp.csr_matrix(
        (np.ones(len(units)), ([0, 0] + [1] * (len(units) - 2), np.arange(len(units)))),
        shape=(2, len(units)),
    )
    for rows, row_blocks in [(counts, blocks), (summing @ counts, [summing @ b for b in blocks])]:
        assert np.array_equal(
            classifier.block_probabilities(row_blocks), classifier.probabilities(rows)
        )
        if isinstance(classifier, SentimentClassifier) and name.endswith("detector"):
            assert np.array_equal(
                no_opinion_of_blocks(classifier, row_blocks), no_opinion_rows(classifier, rows)
            )

"""A language its lexicons score (French: no shipped base model) keeps them until a model
of the database's ratings beats them on held-out ratings; before, 20 French ratings put
French into the pooled model of every language's ratings, unguarded."""

from __future__ import annotations

import random

import numpy as np
import pytest

from compare.analysis.sentiment.adapted import BASE, OWN
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon_guard import LEXICON, guard_lexicon, wins
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.training import train_bundle, training_jobs

_FR_PRAISE = [
    "C'est excellent, je recommande vivement.",
    "Superbe qualité, vraiment génial.",
    "Parfait, très content de mon achat.",
    "Magnifique et très efficace, bravo.",
]
_FR_BLAME = [
    "C'est horrible, quelle déception.",
    "Nul, cassé au bout d'une semaine, honteux.",
    "Très mauvais, je regrette cet achat.",
    "Une arnaque, produit défectueux et décevant.",
]
_PT = [("Muito bom, entrega rápida.", POSITIVE), ("Péssimo, chegou partido.", NEGATIVE)]


def _french_agreeing_with_lexicons(count: int) -> list[tuple[str, str]]:
    rng = random.Random(count)
    rows = []
    for i in range(count):
        if i % 2:
            rows.append((f"{rng.choice(_FR_PRAISE)} Commande {i}.", POSITIVE))
        else:
            rows.append((f"{rng.choice(_FR_BLAME)} Commande {i}.", NEGATIVE))
    return rows


def _english(count: int) -> list[tuple[str, str]]:
    return [
        (f"Great kettle number {i}, love it." if i % 2 else f"Awful kettle {i}, broke.", lab)
        for i, lab in ((i, POSITIVE if i % 2 else NEGATIVE) for i in range(count))
    ]


def test_few_french_ratings_keep_the_lexicons_not_the_pooled_model() -> None:
    examples = {"fr": _french_agreeing_with_lexicons(40), "en": _english(300), "pt": _PT * 15}
    jobs, pooled = training_jobs(examples)
    (french,) = [job for job in jobs if job.key == "fr"]
    assert french.lexicon and french.others is not None  # the pooled model competes
    assert "fr" not in pooled and pooled == {"pt": 30}  # no lexicon: pooled as before
    bundle = train_bundle(examples, "test data")
    assert bundle.guard["fr"]["baseline"] == LEXICON and bundle.guard["fr"]["chosen"] == BASE
    assert SentimentScorer(bundle).method("fr").startswith("lexicon-")


# Ratings whose sentiment lies in words no lexicon rates: only a model of them reads them.
_CODED = {POSITIVE: "zorblax", NEGATIVE: "quibbon"}


def _french_the_lexicons_cannot_read(count: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    rows = []
    for i in range(count):
        label = POSITIVE if i % 2 else NEGATIVE
        filler = rng.choice(["la machine", "le colis", "la cafetière", "le moulin"])
        rows.append((f"Pour {filler} {i} : {_CODED[label]} {_CODED[label]}.", label))
    return rows


def test_a_model_that_reads_the_ratings_better_replaces_the_lexicons() -> None:
    rows = _french_the_lexicons_cannot_read(160)
    result = guard_lexicon("fr", [t for t, _ in rows], [lab for _, lab in rows])
    assert result.chosen == OWN and result.own is not None
    assert result.own_accuracy is not None and result.own_accuracy > result.base_accuracy
    bundle = train_bundle({"fr": rows}, "test data")
    assert SentimentScorer(bundle).method("fr").startswith("classifier:fr@")


@pytest.mark.parametrize(
    ("only_candidate", "only_lexicon", "expected"),
    [
        # Ratings only one of the two gets right (both get 60 others right): the model must
        # get at least as many right as the lexicons.
        (15, 10, True),
        (10, 10, True),  # a tie goes to the model of the ratings
        (10, 15, False),
        (0, 1, False),
    ],
)
def test_the_model_needs_at_least_as_many_ratings_right(
    only_candidate: int, only_lexicon: int, expected: bool
) -> None:
    gold = np.asarray([POSITIVE] * 100)
    index = np.arange(100)
    candidate = np.where((index < 60) | ((index >= 60) & (index < 60 + only_candidate)), 1.0, -1.0)
    lexicon_rows = (index >= 60 + only_candidate) & (index < 60 + only_candidate + only_lexicon)
    lexicon = np.where((index < 60) | lexicon_rows, 1.0, -1.0)
    assert wins(candidate, lexicon, gold) is expected


def test_no_opinion_from_the_lexicons_is_never_right() -> None:
    """A neutral lexicon answer (0) is no positive or negative label: counted as wrong, it
    is not credited to the lexicons on negative ratings as a sign test on ``> 0`` would."""
    gold = np.asarray([NEGATIVE] * 30)
    assert wins(np.full(30, -1.0), np.zeros(30), gold)


def test_above_the_k_fold_the_lexicons_score_only_the_held_out_ratings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With more ratings than a k-fold takes, one held-out fifth is compared: the lexicons
    read those ratings only (they read every rating before), and decide as before."""
    from compare.analysis.sentiment import adapted, lexicon_guard

    monkeypatch.setattr(adapted, "KFOLD_UP_TO", 50)
    monkeypatch.setattr(lexicon_guard, "KFOLD_UP_TO", 50)
    read: list[str] = []
    scores = lexicon_guard.lexicon_scores

    def counted(texts: list[str], language: str) -> list[tuple[float, str, float]]:
        read.extend(texts)
        return scores(texts, language)

    monkeypatch.setattr(lexicon_guard, "lexicon_scores", counted)
    rows = _french_the_lexicons_cannot_read(160)
    result = guard_lexicon("fr", [t for t, _ in rows], [lab for _, lab in rows])
    assert result.held_out == 32 and len(read) == 32
    assert result.chosen == OWN and result.base_accuracy == 0.0

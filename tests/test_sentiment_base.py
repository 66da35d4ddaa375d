"""The shipped base models (package data, licences) and their correction by user ratings."""

from __future__ import annotations

import json
import pickle
import random

import numpy as np
import pytest

from compare.analysis.sentiment.adapted import (
    BASE,
    CORRECTED,
    MIN_ADAPT,
    OWN,
    POOLED_RATINGS,
    AdaptedClassifier,
    GuardResult,
    adapt_with_guard,
    base_decision,
    clear_gain,
)
from compare.analysis.sentiment.base_models import (
    BASE_DIR,
    base_languages,
    base_name,
    load_base,
)
from compare.analysis.sentiment.classifier import SentimentClassifier
from compare.analysis.sentiment.logistic import fit_logistic
from compare.analysis.training import TrainingJob, train_job, training_jobs

SHIPPED = ("en", "no", "pl")
CLEAR = {
    "en": ("Excellent quality, I love it.", "Awful, it broke after a day."),
    "no": ("Fantastisk kvalitet, anbefales.", "Elendig, den gikk i stykker."),
    "pl": ("Świetna jakość, polecam.", "Fatalna jakość, jestem rozczarowany."),
}


def test_base_models_ship_for_en_no_pl_with_licence_and_attribution() -> None:
    assert base_languages() == SHIPPED and base_name()
    meta = json.loads((BASE_DIR / "meta.json").read_text("utf-8"))
    readme = (BASE_DIR / "README.md").read_text("utf-8")
    for language in SHIPPED:
        info = meta["languages"][language]
        assert info["licence"] and info["licence_url"].startswith("https://creativecommons.org/")
        assert info["attribution"] and info["model_terms"] and info["examples"] > 500
        note = (BASE_DIR / f"{language}.LICENCE.txt").read_text("utf-8")
        assert info["licence"] in note and info["attribution"] in note
        assert info["licence"] in readme
        assert (BASE_DIR / f"{language}.pkl.xz").stat().st_size < 3_000_000


@pytest.mark.parametrize("language", SHIPPED)
def test_a_base_model_loads_from_package_data_and_scores(language: str) -> None:
    model = load_base(language)
    assert isinstance(model, SentimentClassifier) and model.vectorizer.language == language
    good, bad = model.score(list(CLEAR[language]))
    assert good[1] == "positive" and bad[1] == "negative"
    assert good[2] > 0.5 and bad[2] > 0.5


def test_no_base_model_for_other_languages() -> None:
    assert load_base("fr") is None and load_base("xx") is None and load_base(None) is None


def test_an_offset_is_a_fixed_part_of_the_score() -> None:
    rows = np.eye(4)
    labels = ["negative", "negative", "positive", "positive"]
    offset = np.array([-5.0, -5.0, 5.0, 5.0])  # already right: nothing left to learn
    model = fit_logistic(rows, labels, 1.0, offset=offset)
    assert np.abs(model.coef).max() < 0.05 and abs(model.intercept[0]) < 0.05
    with pytest.raises(ValueError, match="offset needs two classes"):
        fit_logistic(rows, ["a", "b", "c", "c"], 1.0, offset=offset)


NEUTRAL_LINES = [
    "I ordered it on Monday.",
    "The box was blue.",
    "We use it in the office.",
    "It came with a manual.",
    "My brother has one too.",
    "It sits next to the window.",
    "The colour is grey.",
    "I bought two of them.",
]


def _marked(count: int, seed: int) -> tuple[list[str], list[str]]:
    """Ratings whose label only a shop's own jargon tells (unknown to the base model)."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(count):
        good = i % 2 == 0
        marker = "zorblat" if good else "quimzy"
        texts.append(f"{rng.choice(NEUTRAL_LINES)} Verdict {marker}.")
        labels.append("positive" if good else "negative")
    return texts, labels


def _accuracy(
    model: SentimentClassifier | AdaptedClassifier, texts: list[str], gold: list[str]
) -> float:
    return float(
        np.mean([s[0] > 0 for s in model.score(texts)] == (np.asarray(gold) == "positive"))
    )


def test_a_correction_that_helps_is_kept_and_beats_the_base_on_held_out_ratings() -> None:
    base = load_base("en")
    assert base is not None
    texts, labels = _marked(200, seed=1)
    result = adapt_with_guard(base, texts, labels)
    assert result.adapted is not None
    assert result.adapted_accuracy > result.base_accuracy
    held_texts, held_gold = _marked(60, seed=2)  # held out: never seen by the fit
    assert _accuracy(result.adapted, held_texts, held_gold) > _accuracy(base, held_texts, held_gold)
    assert _accuracy(result.adapted, held_texts, held_gold) >= 0.9
    # pickled without the base model, which is attached again on load
    loaded = pickle.loads(pickle.dumps(result.adapted))
    assert loaded.base is base
    assert loaded.score(held_texts) == result.adapted.score(held_texts)


def test_a_correction_from_noise_is_refused_and_the_base_model_scores() -> None:
    base = load_base("en")
    assert base is not None
    good, bad = CLEAR["en"]
    rng = random.Random(3)
    # clear texts with ratings unrelated to them: no correction can beat the base model
    texts = [f"{rng.choice((good, bad))} {rng.choice(NEUTRAL_LINES)}" for _ in range(120)]
    labels = [rng.choice(("positive", "negative")) for _ in texts]
    result = adapt_with_guard(base, texts, labels)
    assert result.adapted is None
    assert result.held_out == len(texts)


def test_too_few_ratings_are_not_used() -> None:
    base = load_base("pl")
    assert base is not None
    texts, labels = _marked(MIN_ADAPT - 1, seed=4)
    assert adapt_with_guard(base, texts, labels).adapted is None


def test_the_corrected_score_is_the_base_score_plus_what_the_ratings_taught() -> None:
    base = load_base("no")
    assert base is not None
    texts, labels = _marked(200, seed=5)
    adapted = adapt_with_guard(base, texts, labels).adapted
    assert adapted is not None
    counts = adapted.counts(["Verdict zorblat.", "Verdict quimzy."])
    width = base.count_width()
    before = base_decision(base, counts[:, :width])
    after = adapted.decision(counts)
    # the base model cannot tell the two apart; the correction learnt the shop's jargon
    assert abs(before[0] - before[1]) < 0.5
    assert after[0] - after[1] > 2.0


GOOD_LINES = [
    "Excellent quality, I love it.",
    "Great value, works perfectly.",
    "Fantastic, highly recommended.",
    "Brilliant and reliable.",
]
BAD_LINES = [
    "Awful, it broke after a day.",
    "Terrible quality, very disappointed.",
    "Useless, a waste of money.",
    "Poor and unreliable.",
]


def _rated(
    count: int, seed: int, *, inverted: bool = False, flipped: float = 0.0
) -> list[tuple[str, str]]:
    """Clear reviews rated as they read, or ``inverted`` (a domain whose ratings disagree
    with what general text teaches), with a share of ratings ``flipped`` at random (noise)."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        good = i % 2 == 0
        text = f"{rng.choice(NEUTRAL_LINES)} {rng.choice(GOOD_LINES if good else BAD_LINES)}"
        rated_good = (good != inverted) != (rng.random() < flipped)
        rows.append(
            (f"{text} {rng.choice(NEUTRAL_LINES)}", "positive" if rated_good else "negative")
        )
    return rows


@pytest.mark.parametrize(
    ("rows", "chosen", "ratings_model_competes"),
    [
        # many ratings of a domain the base model reads the other way: only a model of the
        # ratings alone gets them right
        (_rated(300, 1, inverted=True), {OWN}, True),
        # many ratings, 30 % of them noise: nothing beats the base model on held-out ratings
        (_rated(300, 2, flipped=0.3), {BASE}, True),
        # few ratings: too few for a model of their own; the base model decides (alone or
        # with a small correction of its probabilities)
        (_rated(40, 3), {BASE, CORRECTED}, False),
    ],
    ids=["domain-disagrees", "noisy", "few"],
)
def test_the_guard_chooses_by_held_out_ratings(
    rows: list[tuple[str, str]], chosen: set[str], ratings_model_competes: bool
) -> None:
    result = train_job(TrainingJob("en", rows, adapt=True))
    assert isinstance(result, GuardResult)
    assert result.chosen in chosen
    assert (result.own_accuracy is not None) == ratings_model_competes
    accuracies = {BASE: result.base_accuracy, CORRECTED: result.adapted_accuracy}
    if result.own_accuracy is not None:
        accuracies[OWN] = result.own_accuracy
    # another model replaces the base model only with more held-out ratings right
    assert result.chosen == BASE or accuracies[result.chosen] > accuracies[BASE]
    if result.chosen == OWN:
        assert isinstance(result.classifier, SentimentClassifier)
        held = _rated(60, 9, inverted=True)  # never seen by the fit
        texts, gold = [t for t, _ in held], [lab for _, lab in held]
        base = load_base("en")
        assert base is not None
        assert _accuracy(result.classifier, texts, gold) >= 0.9 > _accuracy(base, texts, gold)
    elif result.chosen == BASE:
        assert result.classifier is None


def test_a_base_language_too_small_for_its_own_model_has_the_pooled_one_compete() -> None:
    # another language's ratings of the same domain (only what they share matters here)
    others = _rated(200, 4, inverted=True)
    few = {"en": _rated(60, 5, inverted=True), "xx": others}
    many = {"en": _rated(300, 6, inverted=True), "xx": others}
    (few_job,) = [job for job in training_jobs(few)[0] if job.key == "en"]
    (many_job,) = [job for job in training_jobs(many)[0] if job.key == "en"]
    assert few_job.adapt and few_job.others is not None and len(few_job.others) == 200
    assert many_job.adapt and many_job.others is None
    result = train_job(few_job)
    assert isinstance(result, GuardResult)
    assert result.chosen == POOLED_RATINGS
    assert isinstance(result.classifier, SentimentClassifier)


def _scores(right: int, wrong: int, confidence: float = 2.0) -> np.ndarray:
    """Log-odds for ``right`` + ``wrong`` positive ratings (wrong ones read negative)."""
    return np.asarray([confidence] * right + [-confidence] * wrong)


_GOLD = np.asarray(["positive"] * 100)
_BASE = _scores(80, 20)


@pytest.mark.parametrize(
    ("candidate", "wins"),
    [
        # 10 more ratings right, nothing else moved: a clear win
        (_scores(90, 10), True),
        # the same ratings right, only less sure of its mistakes: better log loss, no more
        # right, refused
        (np.concatenate([_BASE[:80], _BASE[80:] * 0.2]), False),
        # 8 fixed, 7 newly wrong (unsure) and the other mistakes unsure: log loss 3.8
        # standard errors lower, but one more right of 15 disagreements is a coin toss
        (
            np.concatenate(
                [_scores(73, 0), _scores(0, 7, 0.3), _scores(8, 0, 4.0), _scores(0, 12, 0.3)]
            ),
            False,
        ),
        # as the first, over three repetitions of the folds, one of them lucky: the mean decides
        (np.vstack([_scores(90, 10), _scores(90, 10), _scores(100, 0)]), True),
    ],
    ids=["fixes-ten", "calibration-only", "coin-toss", "repeated-folds"],
)
def test_a_clear_win_needs_lower_log_loss_and_more_ratings_right(
    candidate: np.ndarray, wins: bool
) -> None:
    assert (clear_gain(candidate, _BASE, _GOLD) is not None) is wins

"""benchmarks/polish_halves.py and the base models that learn from both halves of their data
(``train_base.BOTH_HALVES``), on made-up sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compare.analysis.sentiment.base_models import (
    BOTH_SPLITS,
    TRAIN_SPLIT,
    BaseSource,
    base_saw_dev,
    write_base_models,
)
from compare.analysis.sentiment.classifier import train_classifier
from tests.benchmark_scripts import load_benchmark

halves = load_benchmark("polish_halves")
training = load_benchmark("train_base")
sentiment = load_benchmark("sentiment")

PRAISE = ["Bardzo dobry lekarz, polecam", "Wspaniała i miła pani doktor", "Świetna opieka"]
BLAME = ["Fatalna wizyta, nie polecam", "Okropny i niemiły lekarz", "Strata czasu i pieniędzy"]


def _rows(copies: int, start: int = 0) -> list[tuple[str, str]]:
    return [
        (f"{text} {n}", label)
        for n in range(start, start + copies)
        for texts, label in ((PRAISE, "positive"), (BLAME, "negative"))
        for text in texts
    ]


def test_the_study_fits_each_part_and_scores_unseen_dev_sentences() -> None:
    rows = halves.halves_study(_rows(4), _rows(2, start=10), draws=2)
    assert [name for name, _ in rows] == [
        "train split",
        "half of the train split, draw 0",
        "half of the train split, draw 1",
        "dev halves, draw 0: train split alone",
        "dev halves, draw 0: train split + the other half",
        "dev halves, draw 1: train split alone",
        "dev halves, draw 1: train split + the other half",
    ]
    assert rows[0][1] == 1.0 and all(0.0 <= value <= 1.0 for _, value in rows)


@pytest.mark.parametrize(("language", "expected"), [("pl", 18 + 6), ("en", 18), ("no", 18)])
def test_only_the_languages_named_learn_from_both_halves(language: str, expected: int) -> None:
    neutral = [("Wizyta trwała godzinę", "neutral")]
    corpus = sentiment.Corpus(language, "made up", _rows(3) + neutral, _rows(1, 7) + neutral)
    both = {"pl": "both halves"}
    assert len(training.base_rows(corpus, both)) == expected
    assert ("Wizyta trwała godzinę", "neutral") not in training.base_rows(corpus, both)
    # none learns from dev as shipped (the Polish study read the demo's reviews worse)
    assert len(training.base_rows(corpus)) == 18


def test_what_a_model_learnt_from_is_written_beside_it(tmp_path: Path) -> None:
    rows = _rows(3)
    model = train_classifier([t for t, _ in rows], [lab for _, lab in rows], "pl")
    source = BaseSource("made up", "CC BY 4.0", "https://creativecommons.org/", "us", "CC BY")
    write_base_models(
        {"pl": model, "en": model},
        {"pl": BaseSource(**{**source.__dict__, "splits": BOTH_SPLITS}), "en": source},
        tmp_path,
        "test",
    )
    languages = json.loads((tmp_path / "meta.json").read_text("utf-8"))["languages"]
    assert languages["pl"]["splits"] == BOTH_SPLITS
    assert languages["en"]["splits"] == TRAIN_SPLIT
    # benchmarks/sentiment.py then measures Polish dev with a fit on the train half
    assert base_saw_dev("pl", tmp_path)
    assert not base_saw_dev("en", tmp_path) and not base_saw_dev("fr", tmp_path)
    assert not base_saw_dev("pl")  # the shipped models learnt from their train halves

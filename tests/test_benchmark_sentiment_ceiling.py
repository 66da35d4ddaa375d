"""benchmarks/sentiment_ceiling.py (why pl and fr stay short) runs its studies and prints
their tables, on made-up sentences."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tests.benchmark_scripts import load_benchmark

study = load_benchmark("sentiment_ceiling")

PRAISE = [
    "Bardzo dobry lekarz, polecam",
    "Wspaniała i miła pani doktor",
    "Świetna opieka, dziękuję",
]
BLAME = ["Fatalna wizyta, nie polecam", "Okropny i niemiły lekarz", "Strata czasu i pieniędzy"]


def _polish() -> tuple[list[str], np.ndarray]:
    texts = [f"{t} {n}" for n in range(4) for t in PRAISE + BLAME]
    labels = [lab for _ in range(4) for lab in ["positive"] * 3 + ["negative"] * 3]
    return texts, np.asarray(labels)


def _table(out: str, title: str) -> dict[str, float]:
    block = out[out.index(f"| {title} |") :].split("\n\n")[0]
    rows = re.findall(r"^\| (.+?) \| (\d\.\d{4}) \|$", block, re.MULTILINE)
    return {name: float(value) for name, value in rows}


def test_learners_each_score_the_base_models_features(capsys: pytest.CaptureFixture[str]) -> None:
    study.polish_learners(*_polish(), seeds=1)
    table = _table(capsys.readouterr().out, "pl: learner on the base model's features")
    assert list(table) == ["shipped (our logistic regression)", *study.LEARNERS]
    assert table["shipped (our logistic regression)"] == 1.0
    assert all(0.5 <= value <= 1.0 for value in table.values())


def test_data_part_fits_each_fraction(capsys: pytest.CaptureFixture[str]) -> None:
    study.polish_data(*_polish(), seeds=1)
    table = _table(capsys.readouterr().out, "pl: training sentences")
    assert list(table) == [f"{f:.0%} of each training fold" for f in study.FRACTIONS]
    assert table["100% of each training fold"] == 1.0


def test_self_training_rows(capsys: pytest.CaptureFixture[str]) -> None:
    study.polish_self_training(*_polish(), seeds=1)
    table = _table(capsys.readouterr().out, "pl: self-training on the held-out sentences")
    assert len(table) == 1 + len(study.CONFIDENCES)
    assert table["base model"] == 1.0
    tweets = [f"{t} {n}" for n in range(5) for t in ("C'est super génial", "Quelle horreur, nul")]
    gold = np.asarray(["positive", "negative"] * 5)
    study.french_self_training(tweets, gold, seeds=1)
    out = capsys.readouterr().out
    assert "fr: lexicon fallback 1.0000 on 10 tweets" in out
    assert len(re.findall(r"^fr: \|polarity\| > ", out, re.MULTILINE)) == len(study.LEXICON_MARGINS)


def test_usage_and_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert study.main(["sentiment_ceiling.py", "--help"]) == 0
    assert "Usage: python benchmarks/sentiment_ceiling.py" in capsys.readouterr().out
    assert study.main(["sentiment_ceiling.py", str(tmp_path / "none")]) == 2

"""benchmarks/sentiment_paired_cv.py: paired differences by folds and by source reviews."""

from __future__ import annotations

import numpy as np
import pytest

from compare.analysis.sentiment.classifier import ClassifierSettings
from tests.benchmark_scripts import load_benchmark

bench = load_benchmark("sentiment_paired_cv")

# two shufflings of six sentences from three reviews, two folds each
FOLDS = np.array([[0, 0, 1, 1, 0, 1], [1, 1, 0, 0, 0, 1]])
GROUPS = ["a", "a", "b", "b", "c", "c"]
BASE = np.array([[1, 0, 1, 1, 0, 1], [1, 0, 1, 1, 0, 1]], dtype=float)


@pytest.mark.parametrize(
    ("right", "difference", "up", "down"),
    [
        (BASE, 0.0, 0, 0),
        # one more sentence right in each shuffling: +1/3 in the fold holding it, 0 in the other
        (np.array([[1, 1, 1, 1, 0, 1], [1, 1, 1, 1, 0, 1]], dtype=float), 1 / 6, 2, 0),
        # one sentence lost in the first shuffling only
        (np.array([[0, 0, 1, 1, 0, 1], [1, 0, 1, 1, 0, 1]], dtype=float), -1 / 12, 0, 1),
    ],
)
def test_paired_differences(right: np.ndarray, difference: float, up: int, down: int) -> None:
    result = bench.paired(right, BASE, FOLDS, GROUPS, draws=200)
    assert result.accuracy == pytest.approx(right.mean())
    assert result.difference == pytest.approx(difference)
    assert (result.up, result.down) == (up, down)
    assert result.bootstrap_se >= 0.0


def test_a_gain_inside_one_review_has_the_bootstrap_spread_of_that_review() -> None:
    # the same gain repeated over shufflings shrinks the fold s.e., not the review s.e.
    right = BASE.copy()
    right[:, 1] = 1.0
    few = bench.paired(right[:1], BASE[:1], FOLDS[:1], GROUPS, draws=500)
    many = bench.paired(
        np.repeat(right, 5, axis=0),
        np.repeat(BASE, 5, axis=0),
        np.repeat(FOLDS, 5, axis=0),
        GROUPS,
        draws=500,
    )
    assert many.fold_se < few.fold_se
    assert many.bootstrap_se == pytest.approx(few.bootstrap_se, abs=0.03)
    assert many.bootstrap_se > 0.0


def test_variants_change_only_the_fit() -> None:
    shipped = ClassifierSettings(c=30.0, nb_weight=True, nb_presence=True, balanced=True)
    found = bench.variants(shipped)
    assert found["shipped"] == shipped
    assert found["nb"].nb_presence is False
    assert found["balanced toggled"].balanced is False
    for settings in found.values():
        assert (settings.char_low, settings.char_high, settings.lexicon_weight) == (
            shipped.char_low,
            shipped.char_high,
            shipped.lexicon_weight,
        )

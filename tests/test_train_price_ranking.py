"""The price-ranking trainer: the conditional logit learns which feature marks the right
candidate, stays at its prior without evidence, and scores pages as the extractor would."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import candidate_training as training
import train_price_ranking as trainer

FEATURES = trainer.FEATURES


def _page(right_feature: str, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Six candidates; the right one alone has ``right_feature``, all have random noise."""
    rng = np.random.default_rng(seed)
    x = np.zeros((6, len(FEATURES)))
    x[:, 0] = 1.0
    x[:, FEATURES.index("heading_distance")] = rng.random(6) * noise
    x[2, FEATURES.index(right_feature)] = 1.0
    y = np.zeros(6, dtype=bool)
    y[2] = True
    return x, y, 1.0


@pytest.mark.parametrize("feature", ["price_named", "first_after_heading", "currency_sign"])
def test_fit_learns_the_marking_feature(feature: str) -> None:
    pages = [_page(feature, 0.5, seed) for seed in range(20)]
    weights = training.fit(pages, np.ones(len(FEATURES)))
    assert weights[FEATURES.index(feature)] > 1.0
    assert training.ranking_accuracy(pages, weights, take=-10.0) == 1.0


def test_masked_feature_stays_zero_and_prior_holds_without_evidence() -> None:
    pages = [_page("price_named", 0.0, seed) for seed in range(5)]
    mask = np.ones(len(FEATURES))
    mask[FEATURES.index("price_named")] = 0.0
    prior = np.zeros(len(FEATURES))
    prior[FEATURES.index("old_named")] = -6.0  # no candidate is old-named: nothing moves it
    weights = training.fit(pages, mask, prior)
    assert weights[FEATURES.index("price_named")] == 0.0
    assert weights[FEATURES.index("old_named")] == pytest.approx(-6.0)


@pytest.mark.parametrize(("take", "expected"), [(-10.0, 1.0), (10.0, 0.0)])
def test_ranking_accuracy_needs_the_threshold(take: float, expected: float) -> None:
    pages = [_page("price_named", 0.0, 0)]
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("price_named")] = 2.0
    assert training.ranking_accuracy(pages, weights, take) == expected

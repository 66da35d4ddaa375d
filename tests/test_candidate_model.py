"""The ranking models: shipped weights, scores, and replacement for held-out training."""

from __future__ import annotations

import lxml.html
import pytest

from spiders.extract.candidate_model import CandidateModel, load_model, model, use_model
from spiders.extract.visible_price import PRICE_MODEL, price_candidates


def test_shipped_price_model_scores_every_feature_it_names() -> None:
    shipped = load_model(PRICE_MODEL)
    assert shipped.weights and shipped.threshold < shipped.overrule
    features = dict.fromkeys(shipped.weights, 1.0)
    assert shipped.score(features) == pytest.approx(sum(shipped.weights.values()))
    assert shipped.score({"unknown": 5.0}) == 0.0


@pytest.mark.parametrize(
    ("weights", "expected"),
    [({"price_named": 1.0}, "19.99"), ({"price_named": -1.0}, "5.00")],
)
def test_replacement_model_ranks_and_is_undone(weights: dict[str, float], expected: str) -> None:
    root = lxml.html.document_fromstring(
        "<html><body><h1>Kettle</h1><p>Shipping 5.00 €</p>"
        "<span class='price'>19.99 €</span></body></html>"
    )
    use_model(PRICE_MODEL, CandidateModel(weights, -10.0, 10.0))
    try:
        best = max(price_candidates(root, None), key=lambda c: c.score)
    finally:
        use_model(PRICE_MODEL, None)
    assert best.price == expected
    assert model(PRICE_MODEL) == load_model(PRICE_MODEL)

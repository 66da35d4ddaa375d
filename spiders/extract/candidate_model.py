"""Linear models that rank a page's candidates (prices it shows) by general features.

A model is a JSON file in ``spiders/extract/data/``: feature names, one weight each, and
the score a candidate needs to be taken. Weights are learned on saved pages under folds
grouped by site (``benchmarks/train_price_ranking.py``); a feature keeps its place only
while leaving it out loses accuracy on held-out sites.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CandidateModel:
    """Weights per feature name; a candidate's score is their sum over its features."""

    weights: dict[str, float]
    threshold: float
    """The score below which a candidate is not taken."""
    overrule: float
    """The score a visible price needs to overrule a markup price shown only as old."""

    def score(self, features: dict[str, float]) -> float:
        weights = self.weights
        return sum(weights.get(name, 0.0) * value for name, value in features.items())

    def as_json(self, features: Sequence[str], source: str) -> str:
        table = {
            "source": source,
            "weights": {name: round(self.weights.get(name, 0.0), 4) + 0.0 for name in features},
            "threshold": round(self.threshold, 4),
            "overrule": round(self.overrule, 4),
        }
        return json.dumps(table, indent=1) + "\n"


def load_model(name: str) -> CandidateModel:
    table = json.loads((_DATA / f"{name}.json").read_text("utf-8"))
    return CandidateModel(
        dict(table["weights"]), float(table["threshold"]), float(table["overrule"])
    )


_MODELS: dict[str, CandidateModel] = {}


def model(name: str) -> CandidateModel:
    """The shipped model ``name`` (loaded once), or the one ``use_model`` put in its place."""
    if name not in _MODELS:
        _MODELS[name] = load_model(name)
    return _MODELS[name]


def use_model(name: str, replacement: CandidateModel | None) -> None:
    """Rank with ``replacement`` instead of the shipped model (None: the shipped one again);
    for training and held-out evaluation, never during a crawl."""
    if replacement is None:
        _MODELS.pop(name, None)
    else:
        _MODELS[name] = replacement

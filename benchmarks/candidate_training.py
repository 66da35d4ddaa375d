"""Learning a candidate ranking (``spiders.extract.candidate_model``) on saved pages: shared by
``train_price_ranking.py`` and ``train_code_ranking.py``.

A page is its candidates' features (candidates x features), which of them are right, and the
page's weight. The model is a conditional logistic regression (numpy, Newton steps): per
page a softmax over its candidates whose likelihood is the share it gives the right ones,
with an L2 penalty drawing the weights to a prior (the hand weights).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import numpy as np

from spiders.extract.candidate_model import CandidateModel

L2 = 0.3
STEPS = 50
MAX_STEP = 2.0

Page = tuple[np.ndarray, np.ndarray, float]
"""Features (candidates x features), right or not (candidates), the page's weight (each site
weighs the same, whatever its number of pages)."""


def fit(pages: list[Page], mask: np.ndarray, prior: np.ndarray | None = None) -> np.ndarray:
    """Weights of a conditional logistic regression: per page, a softmax over its candidates
    whose likelihood is the share it gives the right ones (pages weighted, see ``Page``);
    Newton steps with an L2 penalty that draws the weights to ``prior`` (with 26 sites,
    weights learned from zero swung by 0.1 of held-out accuracy between candidate sets;
    drawn to the hand weights they stayed at or above them). The first feature is the bias,
    not drawn to its prior (constant within a page, it moves nothing unless a page has a
    candidate of all-zero features, such as "no candidate at all")."""
    size = len(mask)
    usable = [(x * mask, y, w) for x, y, w in pages if y.any() and not y.all()]
    prior = np.zeros(size) if prior is None else prior * mask
    weights = prior.copy()
    penalty = L2 * np.diag((np.arange(size) > 0).astype(float) + (mask == 0))
    for _ in range(STEPS):
        gradient = penalty @ (weights - prior)
        hessian = penalty.copy()
        for x, y, w in usable:
            scores = x @ weights
            p = np.exp(scores - scores.max())
            p /= p.sum()
            q = np.where(y, np.exp(scores - scores[y].max()), 0.0)
            q /= q.sum()  # the softmax over the right candidates only
            gradient += w * (x.T @ (p - q))
            mean_p, mean_q = x.T @ p, x.T @ q
            hessian += w * ((x.T * p) @ x - np.outer(mean_p, mean_p))
            hessian -= w * ((x.T * q) @ x - np.outer(mean_q, mean_q))
        step = np.linalg.solve(hessian + 1e-6 * np.eye(size), gradient)
        step *= min(1.0, MAX_STEP / max(1e-12, float(np.abs(step).max())))
        weights -= step
        if np.abs(step).max() < 1e-6:
            break
    return weights * mask


def as_model(
    features: tuple[str, ...], weights: np.ndarray, take: float, overrule: float
) -> CandidateModel:
    return CandidateModel(dict(zip(features, map(float, weights), strict=True)), take, overrule)


def ranking_accuracy(pages: list[Page], weights: np.ndarray, take: float) -> float:
    """Share of pages whose best candidate (if it clears ``take``) is a right one."""
    right = 0
    for x, y, _ in pages:
        if len(y):
            scores = x @ weights
            best = int(scores.argmax())
            right += bool(y[best] and scores[best] >= take)
    return right / max(1, len(pages))


def hand_model(path: Path, features: tuple[str, ...]) -> tuple[np.ndarray, float, float]:
    """(weights, threshold, overrule) of a hand-weights JSON file, in ``features`` order."""
    hand = json.loads(path.read_text(encoding="utf-8"))
    weights = np.array([float(hand["weights"].get(n, 0.0)) for n in features])
    return weights, float(hand["threshold"]), float(hand["overrule"])


Hand = tuple[np.ndarray, float, float]
"""Hand weights, threshold and overrule (``hand_model``)."""


def trained(pages: list[Page], mask: np.ndarray, hand: Hand) -> Hand:
    """Weights learned from the hand weights; the hand thresholds (take, overrule) kept."""
    prior, take, overrule = hand
    return fit(pages, mask, prior), take, overrule


def held_out_rankings(
    pages: dict[tuple[str, str], Page],
    folds: list[list[str]],
    features: tuple[str, ...],
    hand: Hand,
    without: list[str],
    ablation: bool,
) -> tuple[dict[str, list[float]], list[Hand]]:
    """Per fold (grouped by site), trained on the other folds' pages (keyed (id, mode)):
    ranking accuracy of the hand weights, the learned ones and, with ``ablation``, the
    learned ones without each feature but the bias; and each fold's learned model."""
    everything = np.array([0.0 if name in without else 1.0 for name in features])
    rows: dict[str, list[float]] = {"hand weights": [], "learned": []}
    left_out = [n for n in features[1:] if n not in without] if ablation else []
    for name in left_out:
        rows[f"without {name}"] = []
    models = []
    for fold in folds:
        held = set(fold)
        train = [page for (i, _), page in pages.items() if i not in held]
        test = [page for (i, _), page in pages.items() if i in held]
        rows["hand weights"].append(ranking_accuracy(test, hand[0], hand[1]))
        learned = trained(train, everything, hand)
        rows["learned"].append(ranking_accuracy(test, learned[0], learned[1]))
        for name in left_out:
            mask = everything.copy()
            mask[features.index(name)] = 0
            weights, take, _ = trained(train, mask, hand)
            rows[f"without {name}"].append(ranking_accuracy(test, weights, take))
        models.append(learned)
    return rows, models


def print_rankings(rows: dict[str, list[float]]) -> None:
    """One line per row of ``held_out_rankings``: per-fold accuracy, mean, and the learned
    mean minus it (a feature whose removal does not lower it has not earned its place)."""
    learned = statistics.mean(rows["learned"])
    for name, accuracies in rows.items():
        cells = " ".join(f"{a:.3f}" for a in accuracies)
        gain = learned - statistics.mean(accuracies)
        print(f"ranking  {name:<32} folds=[{cells}] mean={statistics.mean(accuracies):.3f}"
              f" learned_minus_this={gain:+.3f}")  # fmt: skip


def add_training_arguments(parser: argparse.ArgumentParser, features: tuple[str, ...]) -> None:
    """The arguments every ranking trainer takes: pages, truth, folds, --write, ablation."""
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("ground_truth", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="train on all pages, write weights")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument(
        "--without", nargs="*", default=[], choices=features, help="features to leave out"
    )

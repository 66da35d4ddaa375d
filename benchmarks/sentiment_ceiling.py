"""Why Polish and French stay short of their day-one goals: three studies on the train splits.

Usage: python benchmarks/sentiment_ceiling.py DATA_DIR [--seeds 2] [--parts data,learners,self]

Dev is never read; every figure is positive-vs-negative accuracy on held-out train sentences
(stratified 5-fold, the mean over ``--seeds`` shufflings of the folds).

- ``data``: the Polish base model (shipped settings) fitted on 50 %, 75 % and 100 % of each
  training fold: how far more PolEmo-like sentences alone would carry it.
- ``learners``: other linear learners on the Polish base model's own weighted features (the
  vocabulary, idf and naive-Bayes ratios of each fold's fit): LinearSVC, ridge, and L2
  logistic regression by lbfgs. Is our regression the limit, or the features?
- ``self``: self-training on the unlabelled text a database holds (the held-out sentences
  stand for the database's reviews; their labels are only read to score). Polish: the base
  model's labels of the held-out fold (all, or those at confidence >= 0.8 / 0.9) added to its
  training sentences and the model fitted again. French (no base model ships): the lexicon
  fallback's labels of the tweets outside the fold whose |polarity| exceeds a threshold train
  a classifier that labels the fold; also the lexicon where it is that sure, else the model.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import SentimentClassifier, train_classifier
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_scores

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, data_folder, load_french, load_polish

LEARNERS: dict[str, Callable[[], Any]] = {
    "LinearSVC C=0.3": lambda: LinearSVC(C=0.3),
    "LinearSVC C=1": lambda: LinearSVC(C=1.0),
    "ridge alpha=1": lambda: RidgeClassifier(alpha=1.0),
    "logistic lbfgs C=30": lambda: LogisticRegression(C=30.0, max_iter=2000),
}
FRACTIONS = (0.5, 0.75, 1.0)
CONFIDENCES = (0.0, 0.8, 0.9)
LEXICON_MARGINS = (0.05, 0.2, 0.4)


def _predicted(model: SentimentClassifier, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Labels and their probabilities (the larger of the two) of ``texts``."""
    probabilities = model.probabilities(model.counts(texts))
    return np.asarray(model.classes)[probabilities.argmax(1)], probabilities.max(1)


def _folds(gold: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    split = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return list(split.split(np.zeros(len(gold)), gold))


def _print(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n| {title} | 5-fold accuracy (mean of {len(runs)} shufflings) |")
    print("|---|---|")
    for name in runs[0]:
        print(f"| {name} | {statistics.mean(r[name] for r in runs):.4f} |")


def polish_data(texts: list[str], gold: np.ndarray, seeds: int) -> None:
    runs = []
    for seed in range(seeds):
        right = dict.fromkeys([f"{f:.0%} of each training fold" for f in FRACTIONS], 0)
        rng = np.random.default_rng(seed)
        for train, test in _folds(gold, seed):
            order = rng.permutation(train)
            for fraction, name in zip(FRACTIONS, right, strict=True):
                part = order[: int(len(order) * fraction)]
                model = train_classifier(
                    [texts[i] for i in part], list(gold[part]), "pl", base_settings("pl")
                )
                right[name] += int(
                    (_predicted(model, [texts[i] for i in test])[0] == gold[test]).sum()
                )
        runs.append({name: n / len(texts) for name, n in right.items()})
        print(f"data, seed {seed}: {runs[-1]}", flush=True)
    _print("pl: training sentences", runs)


def polish_learners(texts: list[str], gold: np.ndarray, seeds: int) -> None:
    runs = []
    for seed in range(seeds):
        right = dict.fromkeys(["shipped (our logistic regression)", *LEARNERS], 0)
        for train, test in _folds(gold, seed):
            labels = list(gold[train])
            model = train_classifier([texts[i] for i in train], labels, "pl", base_settings("pl"))
            held = [texts[i] for i in test]
            right["shipped (our logistic regression)"] += int(
                (_predicted(model, held)[0] == gold[test]).sum()
            )
            fit_rows = model._features(model.counts([texts[i] for i in train]))
            test_rows = model._features(model.counts(held))
            for name, make in LEARNERS.items():
                learner = make().fit(fit_rows, labels)
                right[name] += int((learner.predict(test_rows) == gold[test]).sum())
        runs.append({name: n / len(texts) for name, n in right.items()})
        print(f"learners, seed {seed}: {runs[-1]}", flush=True)
    _print("pl: learner on the base model's features", runs)


def polish_self_training(texts: list[str], gold: np.ndarray, seeds: int) -> None:
    runs = []
    for seed in range(seeds):
        names = ["base model", *(f"+ own labels at confidence >= {c}" for c in CONFIDENCES)]
        right = dict.fromkeys(names, 0)
        for train, test in _folds(gold, seed):
            fit_texts, labels = [texts[i] for i in train], list(gold[train])
            held = [texts[i] for i in test]
            model = train_classifier(fit_texts, labels, "pl", base_settings("pl"))
            predicted, confidence = _predicted(model, held)
            right["base model"] += int((predicted == gold[test]).sum())
            for threshold, name in zip(CONFIDENCES, names[1:], strict=True):
                sure = np.flatnonzero(confidence >= threshold)
                again = train_classifier(
                    fit_texts + [held[i] for i in sure],
                    labels + list(predicted[sure]),
                    "pl",
                    base_settings("pl"),
                )
                right[name] += int((_predicted(again, held)[0] == gold[test]).sum())
        runs.append({name: n / len(texts) for name, n in right.items()})
        print(f"self-training pl, seed {seed}: {runs[-1]}", flush=True)
    _print("pl: self-training on the held-out sentences", runs)


def french_self_training(texts: list[str], gold: np.ndarray, seeds: int) -> None:
    polarity = np.asarray([p for p, _, _ in lexicon_scores(texts, "fr")])
    lexicon = np.where(polarity > 0, POSITIVE, NEGATIVE)
    print(f"\nfr: lexicon fallback {float((lexicon == gold).mean()):.4f} on {len(texts)} tweets")
    for margin in LEXICON_MARGINS:
        sure = np.abs(polarity) > margin
        model_right, mixed_right = [], []
        for seed in range(seeds):
            predicted = np.empty(len(texts), dtype=object)
            for train, test in _folds(gold, seed):
                fit = [i for i in train if sure[i]]
                model = train_classifier([texts[i] for i in fit], list(lexicon[fit]), "fr")
                predicted[test] = _predicted(model, [texts[i] for i in test])[0]
            model_right.append(float((predicted == gold).mean()))
            mixed_right.append(float((np.where(sure, lexicon, predicted) == gold).mean()))
        print(
            f"fr: |polarity| > {margin}: {int(sure.sum())} tweets labelled by the lexicon "
            f"({float((lexicon[sure] == gold[sure]).mean()):.4f} right); a model of them "
            f"{statistics.mean(model_right):.4f}, lexicon where that sure else the model "
            f"{statistics.mean(mixed_right):.4f}",
            flush=True,
        )


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 2
    parts = (
        argv[argv.index("--parts") + 1].split(",")
        if "--parts" in argv
        else ["data", "learners", "self"]
    )
    rows = _binary(load_polish(root).train)
    texts, gold = [t for t, _ in rows], np.asarray([label for _, label in rows])
    if "data" in parts:
        polish_data(texts, gold, seeds)
    if "learners" in parts:
        polish_learners(texts, gold, seeds)
    if "self" in parts:
        polish_self_training(texts, gold, seeds)
        french = _binary(load_french(root).train)
        french_self_training(
            [t for t, _ in french], np.asarray([label for _, label in french]), seeds
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

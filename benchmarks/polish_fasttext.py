"""A small supervised embedding model (fastText-style) beside the Polish base model, TRAIN only.

Usage: python benchmarks/polish_fasttext.py DATA_DIR [--seeds 4] [--dim 32] [--epochs 10]
    [--rate-percent 50]

Per fold of a 5-fold stratified cross-validation of PolEmo's positive/negative train
sentences (``--seeds`` shufflings; dev never read), the base model (``base_settings("pl")``)
and, trained on the same four folds by our own numpy code (seeded, deterministic), a
fastText-style classifier: each sentence the mean of hashed embeddings of its lemmas, lemma
bigrams and the character 3-5-grams of its words, then a logistic output. Two ways to read a
word inside a negation scope (``features.NEGATION_SCOPE`` words after a negation word):
- ``plain``: negated lemmas and their n-grams hash apart (``NOT_`` features, as the base
  model's), nothing shared with the plain word;
- ``transform``: a negated word's features share the plain word's embeddings, passed through
  a learned d x d matrix (started at the identity): what the model learns about "zarzut"
  reaches "nie ... zarzutu" through the matrix, a negation-aware feature space that needs no
  word list.
Printed per variant: the embedding model alone, and its log-odds averaged with the base
model's at a few weights, paired against the base model over every fold (mean +- s.e. of the
fold differences; shufflings up / down).
"""

from __future__ import annotations

import statistics
import sys
import zlib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import TrainingCounts
from compare.analysis.sentiment.features import NEGATION_SCOPE, negation_words, word_char_ngrams
from compare.analysis.sentiment.labels import POSITIVE
from compare.analysis.sentiment.vectorizer import token_lists
from compare.analysis.text import lemmas as lemmatize

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, data_folder, load_polish

BUCKETS = 1 << 18
WEIGHTS = (0.2, 0.35, 0.5)


@dataclass
class Sentence:
    plain: np.ndarray
    negated: np.ndarray
    """Bucket of each feature read through the negation matrix (``transform``)."""


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


def sentence_features(tokens: list[str], bases: list[str], transform: bool) -> Sentence:
    """Hashed features of one sentence, plain and negated."""
    negations = negation_words("pl")
    plain: list[int] = []
    negated: list[int] = []
    scope_end = -1
    for i, (token, base) in enumerate(zip(tokens, bases, strict=True)):
        features = ["w:" + base, *("c:" + g for g in word_char_ngrams(token, 3, 5))]
        if token in negations:
            scope_end = i + NEGATION_SCOPE
            plain.extend(_bucket(f) for f in features)
        elif i <= scope_end:
            if transform:
                negated.extend(_bucket(f) for f in features)
            else:
                plain.extend(_bucket("NOT_" + f) for f in features)
        else:
            plain.extend(_bucket(f) for f in features)
    plain.extend(_bucket("b:" + a + " " + b) for a, b in pairwise(bases))
    return Sentence(np.asarray(plain, dtype=np.int64), np.asarray(negated, dtype=np.int64))


class EmbeddingModel:
    """Mean of hashed embeddings -> logistic; SGD, linearly decaying rate, seeded."""

    def __init__(self, dim: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.embed = rng.uniform(-1 / dim, 1 / dim, size=(BUCKETS, dim))
        self.negation = np.eye(dim)
        self.out = np.zeros(dim)
        self.bias = 0.0
        self.seed = seed

    def _hidden(self, s: Sentence) -> tuple[np.ndarray, np.ndarray, int]:
        n = max(1, len(s.plain) + len(s.negated))
        neg_sum = self.embed[s.negated].sum(0)
        h = (self.embed[s.plain].sum(0) + self.negation @ neg_sum) / n
        return h, neg_sum, n

    def fit(self, sentences: list[Sentence], y: np.ndarray, epochs: int, rate: float) -> None:
        positives = float(y.mean())
        weight = np.where(y == 1, 0.5 / positives, 0.5 / (1 - positives))
        order_rng = np.random.default_rng(self.seed + 1)
        steps = epochs * len(sentences)
        step = 0
        for _ in range(epochs):
            for i in order_rng.permutation(len(sentences)):
                lr = rate * (1 - step / steps)
                step += 1
                s = sentences[i]
                h, neg_sum, n = self._hidden(s)
                p = 1 / (1 + np.exp(-(self.out @ h + self.bias)))
                g = (p - y[i]) * weight[i]
                gh = g * self.out
                self.out -= lr * g * h
                self.bias -= lr * g
                np.subtract.at(self.embed, s.plain, lr * gh / n)
                if len(s.negated):
                    np.subtract.at(self.embed, s.negated, lr * (self.negation.T @ gh) / n)
                    self.negation -= lr * np.outer(gh, neg_sum) / n

    def log_odds(self, sentences: list[Sentence]) -> np.ndarray:
        return np.asarray([self.out @ self._hidden(s)[0] + self.bias for s in sentences])


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root

    def option(name: str, default: int) -> int:
        return int(argv[argv.index(name) + 1]) if name in argv else default

    seeds, dim, epochs = option("--seeds", 4), option("--dim", 32), option("--epochs", 10)
    rate = option("--rate-percent", 50) / 100
    rows = _binary(load_polish(root).train)
    texts = [text for text, _ in rows]
    gold = np.asarray([label == POSITIVE for _, label in rows], dtype=float)
    tokens = token_lists(texts)
    bases = [lemmatize(t, "pl") for t in tokens]
    variants = {
        name: [
            sentence_features(t, b, name == "transform") for t, b in zip(tokens, bases, strict=True)
        ]
        for name in ("plain", "transform")
    }
    right: dict[str, list[float]] = {}
    for seed in range(seeds):
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        for train, held in folds.split(np.zeros(len(gold)), gold):
            counts = TrainingCounts.of([texts[i] for i in train], "pl", base_settings("pl"))
            model = counts.fit(["positive" if gold[i] else "negative" for i in train])
            probabilities = model.probabilities(model.counts([texts[i] for i in held]))
            p = np.clip(probabilities[:, model.classes.index(POSITIVE)], 1e-6, 1 - 1e-6)
            base = np.log(p / (1 - p))
            truth = gold[held] == 1
            right.setdefault("base", []).append(float(np.mean((base > 0) == truth)))
            for name, sentences in variants.items():
                ft = EmbeddingModel(dim, seed)
                ft.fit([sentences[i] for i in train], gold[train], epochs, rate)
                odds = ft.log_odds([sentences[i] for i in held])
                right.setdefault(name, []).append(float(np.mean((odds > 0) == truth)))
                for w in WEIGHTS:
                    mixed = (1 - w) * base + w * odds
                    key = f"{name} mixed {w}"
                    right.setdefault(key, []).append(float(np.mean((mixed > 0) == truth)))
            print(f"seed {seed} fold {len(right['base'])} base {right['base'][-1]:.4f}", flush=True)
    base_folds = np.asarray(right["base"])
    print(f"\nbase {base_folds.mean():.4f} over {len(base_folds)} folds")
    print("| variant | accuracy | paired gain +- s.e. | shufflings up/down |")
    for key, values in right.items():
        if key == "base":
            continue
        diff = np.asarray(values) - base_folds
        by_seed = diff.reshape(seeds, 5).mean(1)
        up, down = int((by_seed > 0).sum()), int((by_seed < 0).sum())
        se = statistics.stdev(diff) / np.sqrt(len(diff))
        print(f"| {key} | {np.mean(values):.4f} | {diff.mean():+.4f} +- {se:.4f} | {up}/{down} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

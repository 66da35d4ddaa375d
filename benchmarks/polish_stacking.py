"""Stacking the Polish base model with what its negated words mean unnegated, TRAIN only.

Usage: python benchmarks/polish_stacking.py DATA_DIR [--seeds 4] [--fasttext]

PolEmo's praise with a negation is the largest group of the Polish model's errors (102 of
247 positive train sentences with "nie" wrong: "nie mam nic do zarzucenia"): the base model
reads a negated lemma as a feature of its own (``NOT_zarzut``), learnt from the few
sentences that hold it. Here a general, word-list-free reading is stacked on it: a logistic
regression over lemma presence in unnegated positions only gives every lemma a learnt sign
("zarzut" negative); a sentence's negated lemmas (the ``features.NEGATION_SCOPE`` words
after a negation word) are summed by those weights, split by sign (negated complaint words,
negated praise words), and a small second-stage logistic regression reads the base model's
log-odds and these two sums (and optionally the two sums of the unnegated lemmas;
``--fasttext``: and the log-odds of ``polish_fasttext.py``'s embedding model, negation
matrix on, 32 dimensions, 10 epochs).

Per shuffling: 5-fold stratified, both first-stage models fitted on four folds, the held
fold's out-of-fold base log-odds and sums kept; the second stage is then cross-validated over
the same folds on those out-of-fold rows (its 3-5 weights see nothing of their held fold but
through first-stage models that did: a small, common leak). Paired against the base model's
own out-of-fold accuracy over every fold (mean +- s.e.; shufflings up / down). Dev never read.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import TrainingCounts
from compare.analysis.sentiment.features import NEGATION_SCOPE, negation_words
from compare.analysis.sentiment.labels import POSITIVE
from compare.analysis.sentiment.vectorizer import token_lists
from compare.analysis.text import lemmas as lemmatize

sys.path.insert(0, str(Path(__file__).parent))
from polish_fasttext import EmbeddingModel, sentence_features
from sentiment import _binary, data_folder, load_polish


def split_lemmas(tokens: list[str], bases: list[str]) -> tuple[list[str], list[str]]:
    """(unnegated lemmas, negated lemmas) of one sentence; negation words in neither."""
    negations = negation_words("pl")
    plain: list[str] = []
    negated: list[str] = []
    scope_end = -1
    for i, (token, base) in enumerate(zip(tokens, bases, strict=True)):
        if token in negations:
            scope_end = i + NEGATION_SCOPE
        elif i <= scope_end:
            negated.append(base)
        else:
            plain.append(base)
    return plain, negated


def presence(lists: list[list[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    rows, cols = [], []
    for r, words in enumerate(lists):
        for c in {vocabulary[w] for w in words if w in vocabulary}:
            rows.append(r)
            cols.append(c)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lists), len(vocabulary)))


def lemma_sums(
    plain: list[list[str]], negated: list[list[str]], train: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Per sentence: negated lemmas' unnegated weights summed (negative, positive part), and
    the same for its unnegated lemmas; weights from ``train`` sentences' unnegated lemmas."""
    vocabulary: dict[str, int] = {}
    for i in train:
        for w in plain[i]:
            vocabulary.setdefault(w, len(vocabulary))
    x = presence([plain[i] for i in train], vocabulary)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    model.fit(x, y[train])
    weight = model.coef_[0]
    out = np.zeros((len(plain), 4))
    for r in range(len(plain)):
        for k, words in ((0, negated[r]), (2, plain[r])):
            values = [weight[vocabulary[w]] for w in set(words) if w in vocabulary]
            out[r, k] = sum(v for v in values if v < 0)
            out[r, k + 1] = sum(v for v in values if v > 0)
    return out


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 4
    rows = _binary(load_polish(root).train)
    texts = [text for text, _ in rows]
    gold = np.asarray([label == POSITIVE for _, label in rows], dtype=int)
    tokens = token_lists(texts)
    split = [split_lemmas(t, lemmatize(t, "pl")) for t in tokens]
    plain = [p for p, _ in split]
    negated = [n for _, n in split]
    has_negation = np.asarray([bool(n) for n in negated])
    columns = {
        "base recalibrated (control)": [0],
        "base + negated sums": [0, 1, 2],
        "base + negated and plain sums": [0, 1, 2, 3, 4],
        "base + plain sums": [0, 3, 4],
    }
    if "--fasttext" in argv:
        columns["base + fastText"] = [0, 5]
        columns["base + fastText + negated sums"] = [0, 1, 2, 5]
        embedded = [sentence_features(t, lemmatize(t, "pl"), True) for t in tokens]
    right: dict[str, list[float]] = {}
    negated_right: dict[str, list[float]] = {}
    for seed in range(seeds):
        folds = list(
            StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(
                np.zeros(len(gold)), gold
            )
        )
        stack = np.zeros((len(gold), 6))
        for train, held in folds:
            counts = TrainingCounts.of([texts[i] for i in train], "pl", base_settings("pl"))
            model = counts.fit(["positive" if gold[i] else "negative" for i in train])
            probabilities = model.probabilities(model.counts([texts[i] for i in held]))
            p = np.clip(probabilities[:, model.classes.index(POSITIVE)], 1e-6, 1 - 1e-6)
            stack[held, 0] = np.log(p / (1 - p))
            stack[held, 1:5] = lemma_sums(plain, negated, train, gold)[held]
            if "--fasttext" in argv:
                ft = EmbeddingModel(32, seed)
                ft.fit([embedded[i] for i in train], gold[train].astype(float), 10, 0.5)
                stack[held, 5] = ft.log_odds([embedded[i] for i in held])
        for train, held in folds:
            truth = gold[held] == 1
            base_right = (stack[held, 0] > 0) == truth
            right.setdefault("base", []).append(float(base_right.mean()))
            negated_right.setdefault("base", []).append(
                float(base_right[has_negation[held]].mean())
            )
            for name, cols in columns.items():
                second = LogisticRegression(C=1.0, max_iter=1000)
                second.fit(stack[np.ix_(train, cols)], gold[train])
                guess = second.predict(stack[np.ix_(held, cols)]) == 1
                right.setdefault(name, []).append(float((guess == truth).mean()))
                negated_right.setdefault(name, []).append(
                    float((guess == truth)[has_negation[held]].mean())
                )
        print(f"seed {seed}: base {np.mean(right['base'][-5:]):.4f}", flush=True)
    base_folds = np.asarray(right["base"])
    print(f"\nbase {base_folds.mean():.4f} over {len(base_folds)} folds")
    print("| variant | accuracy | paired gain +- s.e. | shufflings up/down | with a negation |")
    for key, values in right.items():
        diff = np.asarray(values) - base_folds
        by_seed = diff.reshape(seeds, 5).mean(1)
        up, down = int((by_seed > 0).sum()), int((by_seed < 0).sum())
        se = statistics.stdev(diff) / np.sqrt(len(diff)) if key != "base" else 0.0
        print(
            f"| {key} | {np.mean(values):.4f} | {diff.mean():+.4f} +- {se:.4f} | {up}/{down} "
            f"| {np.mean(negated_right[key]):.4f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Bagged base models: the regression averaged over fits on subsamples (TRAIN splits only).

Usage: python benchmarks/sentiment_bagging.py DATA_DIR [--langs en,no,pl] [--seeds 4] [--first-seed 0]
                                               [--bags 10] [--variants a,b,...]

A base model's logistic regression is fitted on ~2,500-3,900 sentences with tens of
thousands of features at C=10-30, so a train split's draw may be what limits it (variance,
not bias). Bagging fits the same regression on ``--bags`` subsamples of the training rows
and averages the fits' scores. With the vectoriser, the idf and the naive-Bayes ratio
taken from all training rows, each fit's score is ``w_b . x + b_b`` on the same feature
rows ``x``, so the average is one linear model (the mean weights): it ships in the same
file size and scores at the same CPU as one fit. Variants (each fit as the shipped
settings, ``base_models.base_settings``, on the same count rows):

- ``half``: ``--bags`` subsamples of half the rows, drawn without replacement;
- ``80%``: of 80 % of the rows;
- ``bootstrap``: ``--bags`` bootstrap draws (as many rows, with replacement);
- ``half own-ratio``: as ``half``, but each fit's naive-Bayes ratio from its own rows
  (Polish only; the average is still one linear model: ``mean(w_b * r_b) / r``);
- ``half C-x2``: as ``half`` with twice the C (a subsample of half the rows weighs half
  as much against the same penalty);
- ``chars x0.5`` / ``x0.7`` / ``x2``: no bagging; the character n-gram block (block-normalised)
  scaled by 0.5 / 0.7 / 2 before the one fit, i.e. a penalty of its own on the character
  features (4 / 2 / 0.25 times the word features'), still one linear model.

``--first-seed N``: the shufflings N, N+1, ... (more shufflings of an earlier run's
variants without repeating its own). Folds as ``sentiment_paired_cv.py`` makes them
(5-fold stratified, grouped by source review where the data says so), the same folds for
every variant; printed as there: accuracy over all held-out sentences of all shufflings,
the difference from the shipped fit paired over the folds (mean +- s.e.), shufflings
up/down, and the s.e. by bootstrap over source reviews (or sentences). Subsamples are drawn by a seeded generator, so a run is
reproducible. The dev splits are never read.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import (
    ClassifierSettings,
    TrainingCounts,
    _all_features,
    _block_normalised,
    _char_columns,
    _nb_ratio,
)
from compare.analysis.sentiment.labels import POSITIVE
from compare.analysis.sentiment.logistic import (
    balanced_weights,
    fit_logistic,
    idf_weights,
    sublinear_tfidf,
)

sys.path.insert(0, str(Path(__file__).parent))
from script_arguments import script_parser
from sentiment_paired_cv import LOADERS, binary_train_rows, print_paired, shuffled_splits

Scorer = Callable[[sp.csr_matrix], np.ndarray]


@dataclasses.dataclass(frozen=True)
class Bagging:
    """How a variant draws its fits' rows (``fraction`` 0: no bagging, one fit on all)."""

    fraction: float = 0.0
    replace: bool = False
    own_ratio: bool = False
    c_factor: float = 1.0
    char_scale: float = 1.0
    """The character n-gram block scaled by this (no bagging): a penalty of its own."""


VARIANTS: dict[str, Bagging] = {
    "shipped": Bagging(),
    "half": Bagging(fraction=0.5),
    "80%": Bagging(fraction=0.8),
    "bootstrap": Bagging(fraction=1.0, replace=True),
    "half own-ratio": Bagging(fraction=0.5, own_ratio=True),
    "half C-x2": Bagging(fraction=0.5, c_factor=2.0),
    "chars x0.5": Bagging(char_scale=0.5),
    "chars x0.7": Bagging(char_scale=0.7),
    "chars x2": Bagging(char_scale=2.0),
}


def bagged_scorer(
    counts: TrainingCounts,
    labels: np.ndarray,
    settings: ClassifierSettings,
    bagging: Bagging,
    bags: int,
    seed: int,
) -> Scorer:
    """A function from held-out count rows to the (averaged) score of the positive class."""
    words = len(counts.vectorizer.vocabulary)
    chars = _char_columns(counts.vectorizer) if settings.separate_norms else None
    idf = idf_weights(counts.counts, words)
    normed = _block_normalised(sublinear_tfidf(counts.counts[:, :words], idf), chars)

    def ratio_of(rows: np.ndarray) -> np.ndarray | None:
        if not settings.nb_weight:
            return None
        return _nb_ratio(normed[rows], labels[rows], settings.nb_presence)

    every = np.arange(len(labels))
    full_ratio = ratio_of(every)

    def features(rows: sp.csr_matrix, ratio: np.ndarray | None) -> sp.csr_matrix:
        out = _all_features(rows, words, idf, chars, ratio, settings, counts.vector_dim)
        if bagging.char_scale == 1.0 or chars is None:
            return out
        scale = np.ones(out.shape[1])
        scale[:words][chars] = bagging.char_scale
        return sp.csr_matrix(out.multiply(scale))

    def fit(rows: np.ndarray, ratio: np.ndarray | None, c: float) -> tuple[np.ndarray, float]:
        target = labels[rows]
        model = fit_logistic(
            features(counts.counts[rows], ratio),
            target,
            c,
            tol=1e-3,
            sample_weight=balanced_weights(target) if settings.balanced else None,
        )
        sign = 1.0 if model.classes[1] == POSITIVE else -1.0
        return sign * model.coef[0], sign * float(model.intercept[0])

    if bagging.fraction == 0.0:
        coef, bias = fit(every, full_ratio, settings.c)
        return lambda held: np.asarray(features(held, full_ratio) @ coef) + bias
    rng = np.random.default_rng(seed)
    size = max(2, round(bagging.fraction * len(labels)))
    coefs, biases = [], []
    for _ in range(bags):
        rows = np.sort(rng.choice(len(labels), size=size, replace=bagging.replace))
        ratio = ratio_of(rows) if bagging.own_ratio else full_ratio
        coef, bias = fit(rows, ratio, settings.c * bagging.c_factor)
        if ratio is not None and full_ratio is not None and bagging.own_ratio:
            coef = np.concatenate([coef[:words] * ratio / full_ratio, coef[words:]])
        coefs.append(coef)
        biases.append(bias)
    mean_coef = np.mean(coefs, axis=0)
    mean_bias = float(np.mean(biases))
    return lambda held: np.asarray(features(held, full_ratio) @ mean_coef) + mean_bias


def main(argv: list[str]) -> int:
    parser = script_parser(__doc__)
    parser.add_argument("data_dir", type=Path, metavar="DATA_DIR")
    parser.add_argument("--langs", default="en,no,pl")
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--bags", type=int, default=10)
    parser.add_argument("--variants", default=",".join(list(VARIANTS)[1:]))
    args = parser.parse_args(argv[1:])
    langs = args.langs.split(",")
    names = ["shipped", *(n for n in args.variants.split(",") if n != "shipped")]
    for name in names:
        if name not in VARIANTS:
            parser.error(f"unknown variant {name!r} (known: {', '.join(VARIANTS)})")
    for lang in langs:
        if lang not in LOADERS or lang == "fr":
            parser.error(f"no base model to bag for {lang!r} (en, no, pl)")
    if args.seeds < 1 or args.bags < 1:
        parser.error("--seeds and --bags need at least 1")
    if args.first_seed < 0:
        parser.error("--first-seed is a shuffling's number, 0 or more")
    if not args.data_dir.is_dir():
        parser.error(f"{args.data_dir} is not a folder (the shared sentiment data)")
    root, seeds, bags = args.data_dir, args.seeds, args.bags
    for lang in langs:
        texts, target, groups = binary_train_rows(root, lang)
        settings = base_settings(lang)
        right = {name: np.zeros((seeds, len(texts))) for name in names}
        fold_of = np.zeros((seeds, len(texts)), dtype=int)
        for shuffling, seed in enumerate(range(args.first_seed, args.first_seed + seeds)):
            for k, (train_idx, test_idx) in enumerate(shuffled_splits(target, groups, seed)):
                fold_of[shuffling, test_idx] = k
                counts = TrainingCounts.of([texts[i] for i in train_idx], lang, settings)
                fitted = counts.fit(list(target[train_idx]))
                held = fitted.counts([texts[i] for i in test_idx])
                gold = target[test_idx] == POSITIVE
                for name in names:
                    scorer = bagged_scorer(
                        counts, target[train_idx], settings, VARIANTS[name], bags, 1000 * seed + k
                    )
                    right[name][shuffling, test_idx] = (scorer(held) > 0) == gold
            print(
                f"  {lang} shuffling {seed}: "
                + ", ".join(f"{n} {right[n][shuffling].mean():.4f}" for n in names),
                flush=True,
            )
        print(f"{lang}: {len(texts)} sentences, {seeds} shufflings x 5 folds, {bags} bags")
        print_paired(right, fold_of, groups or [str(i) for i in range(len(texts))])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

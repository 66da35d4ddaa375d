"""Do word vectors learnt from unlabelled Norwegian reviews help the Norwegian classifier?

Usage: python benchmarks/norwegian_vectors.py DATA_DIR UNLABELLED.jsonl.gz [--dim 100]
         [--vocabulary 30000] [--save] [--measure-only]
  --save          write the vectors into the package data (no.vectors.npz)
  --measure-only  no training: measure the vectors already there (with --save: shipped ones)
  DATA_DIR           the labelled sentences (../shared/eval/sentiment)
  UNLABELLED         ../shared/eval/unlabelled/no_norec_train_docs.jsonl.gz ({"id", "text"})

Vectors by our own code, no download (``compare.analysis.sentiment.word_vectors``: PPMI of
word pairs within four tokens, truncated SVD), stored as int8 and read back as shipped.
Then, on the Norwegian train split only (folds grouped by source review, like
``sentiment_cv.py``; dev never read), the classifier with default settings is compared with
the same classifier plus the mean vector of a sentence's known words as extra features,
at a few weights.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import StratifiedGroupKFold

from compare.analysis.sentiment.classifier import ClassifierSettings, train_classifier
from compare.analysis.sentiment.logistic import fit_logistic
from compare.analysis.sentiment.word_vectors import (
    VECTORS_DIR,
    WordVectors,
    mean_vector_features,
    read_vectors,
    save_vectors,
    train_vectors,
    vector_sums,
)
from compare.analysis.text import tokenize

sys.path.insert(0, str(Path(__file__).parent))
from script_arguments import script_parser
from sentiment import _binary, binary_train_groups, load_norwegian

WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def read_tokens(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [tokenize(json.loads(line)["text"]) for line in handle]


def mean_vectors(texts: list[str], vectors: WordVectors) -> np.ndarray:
    sums = vector_sums(vectors, [tokenize(t) for t in texts])
    return mean_vector_features(sums, 1.0).toarray()


def cross_validated(
    texts: list[str], labels: list[str], groups: list[str], dense: np.ndarray, seed: int
) -> dict[float, float]:
    gold = np.asarray(labels)
    right = dict.fromkeys(WEIGHTS, 0)
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed)
    for train, test in folds.split(np.zeros(len(texts)), gold, groups):
        # the classifier without vectors (the shipped ones would come in by default)
        model = train_classifier(
            [texts[i] for i in train], list(gold[train]), "no", ClassifierSettings(vector_weight=0)
        )
        features = model._features(model.counts(texts))
        for weight in WEIGHTS:
            both = sp.hstack([features, sp.csr_matrix(dense * weight)], format="csr")
            fitted = fit_logistic(both[train], gold[train], model.settings.c, tol=1e-3)
            predicted = np.asarray(fitted.classes)[np.argmax(fitted.predict_proba(both[test]), 1)]
            right[weight] += int((predicted == gold[test]).sum())
    return {w: n / len(texts) for w, n in right.items()}


def main(argv: list[str]) -> int:
    parser = script_parser(__doc__)
    parser.add_argument("data_dir", type=Path, metavar="DATA_DIR")
    parser.add_argument("unlabelled", type=Path, nargs="?", metavar="UNLABELLED")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--vocabulary", type=int, default=30_000)
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args(argv[1:])
    if args.unlabelled is None and not args.measure_only:
        parser.error("UNLABELLED is needed to train the vectors (or pass --measure-only)")
    dim, size = args.dim, args.vocabulary
    path = VECTORS_DIR / "no.vectors.npz" if args.save else Path("/tmp/no.vectors.npz")
    started = time.perf_counter()
    if args.measure_only:  # the vectors at the path as they are
        vectors = read_vectors(path)
        words = sorted(vectors.index, key=vectors.index.__getitem__)
        dim = vectors.dim
    else:
        docs = read_tokens(args.unlabelled)
        print(f"{len(docs)} documents, {sum(map(len, docs)):,} tokens")
        words, matrix = train_vectors(docs, size, dim)
        del docs
        save_vectors(path, words, matrix)
        vectors = read_vectors(path)
    print(
        f"{len(words)} vectors of {dim} ({time.perf_counter() - started:.0f} s), "
        f"{path} {path.stat().st_size / 1e6:.2f} MB"
    )
    for word in ("god", "dårlig", "kjedelig"):
        if word in vectors.index:
            sims = np.argsort(-(vectors.matrix @ vectors.matrix[vectors.index[word]]))[1:8]
            print(f"  near {word}: {', '.join(words[i] for i in sims)}")
    corpus = load_norwegian(args.data_dir)
    rows = _binary(corpus.train)
    texts, labels = [t for t, _ in rows], [lab for _, lab in rows]
    groups = binary_train_groups(corpus)
    assert groups is not None
    dense = mean_vectors(texts, vectors)
    results = [cross_validated(texts, labels, groups, dense, seed) for seed in range(3)]
    print("| vector weight | grouped 5-fold accuracy on no train (mean of 3 shufflings) |")
    print("|---|---|")
    for weight in WEIGHTS:
        print(f"| {weight} | {statistics.mean(r[weight] for r in results):.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Do word vectors learnt from unlabelled Norwegian reviews help the Norwegian classifier?

Usage: python benchmarks/norwegian_vectors.py DATA_DIR UNLABELLED.jsonl.gz [--dim 128]
  DATA_DIR           the labelled sentences (../shared/eval/sentiment)
  UNLABELLED         ../shared/eval/unlabelled/no_norec_train_docs.jsonl.gz ({"id", "text"})

Vectors by our own code, no download: counts of word pairs within WINDOW tokens (weighted
1/distance) over the VOCABULARY most frequent tokens, positive PMI (context distribution
smoothed by 0.75), truncated SVD, rows scaled to unit length (Levy & Goldberg's recipe,
which matches word2vec on similarity tasks at this corpus size).
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
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds
from sklearn.model_selection import StratifiedGroupKFold

from compare.analysis.sentiment.classifier import train_classifier
from compare.analysis.sentiment.logistic import fit_logistic
from compare.analysis.text import tokenize

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, binary_train_groups, load_norwegian

VOCABULARY = 40_000
WINDOW = 4
WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def read_tokens(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [tokenize(json.loads(line)["text"]) for line in handle]


def word_vectors(docs: list[list[str]], dim: int) -> dict[str, np.ndarray]:
    frequency = Counter(token for doc in docs for token in doc)
    words = [w for w, _ in frequency.most_common(VOCABULARY)]
    index = {w: i for i, w in enumerate(words)}
    size = len(words)
    cooc = sp.csr_matrix((size, size))
    ids = [np.asarray([index.get(t, -1) for t in doc], dtype=np.int64) for doc in docs]
    stream = np.concatenate([np.append(d, -1) for d in ids])  # -1 also separates documents
    for distance in range(1, WINDOW + 1):
        left, right = stream[:-distance], stream[distance:]
        keep = (left >= 0) & (right >= 0)
        pairs = sp.coo_matrix(
            (np.full(int(keep.sum()), 1.0 / distance), (left[keep], right[keep])),
            shape=(size, size),
        ).tocsr()
        cooc = cooc + pairs + pairs.T
    rows = np.asarray(cooc.sum(axis=1)).ravel()
    contexts = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    coo = cooc.tocoo()
    pmi = np.log(coo.data * contexts.sum() / (rows[coo.row] * contexts[coo.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(size, size))
    u, s, _ = svds(ppmi, k=dim)
    vectors = u * np.sqrt(s)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return {w: vectors[i] for i, w in enumerate(words)}


def mean_vectors(texts: list[str], vectors: dict[str, np.ndarray], dim: int) -> np.ndarray:
    out = np.zeros((len(texts), dim))
    for r, text in enumerate(texts):
        known = [vectors[t] for t in tokenize(text) if t in vectors]
        if known:
            mean = np.mean(known, axis=0)
            out[r] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out


def cross_validated(
    texts: list[str], labels: list[str], groups: list[str], dense: np.ndarray, seed: int
) -> dict[float, float]:
    gold = np.asarray(labels)
    right = dict.fromkeys(WEIGHTS, 0)
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed)
    for train, test in folds.split(np.zeros(len(texts)), gold, groups):
        model = train_classifier([texts[i] for i in train], list(gold[train]), "no")
        features = model._features(model.counts(texts))
        for weight in WEIGHTS:
            both = sp.hstack([features, sp.csr_matrix(dense * weight)], format="csr")
            fitted = fit_logistic(both[train], gold[train], model.settings.c, tol=1e-3)
            predicted = np.asarray(fitted.classes)[np.argmax(fitted.predict_proba(both[test]), 1)]
            right[weight] += int((predicted == gold[test]).sum())
    return {w: n / len(texts) for w, n in right.items()}


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    dim = int(argv[argv.index("--dim") + 1]) if "--dim" in argv else 128
    started = time.perf_counter()
    docs = read_tokens(Path(argv[2]))
    print(
        f"{len(docs)} documents, {sum(map(len, docs)):,} tokens ({time.perf_counter() - started:.0f} s)"
    )
    started = time.perf_counter()
    vectors = word_vectors(docs, dim)
    del docs
    print(f"{len(vectors)} vectors of {dim} ({time.perf_counter() - started:.0f} s)")
    for word in ("god", "dårlig", "kjedelig"):
        if word in vectors:
            sims = sorted(vectors, key=lambda w: -float(vectors[w] @ vectors[word]))[1:8]
            print(f"  near {word}: {', '.join(sims)}")
    corpus = load_norwegian(Path(argv[1]))
    rows = _binary(corpus.train)
    texts, labels = [t for t, _ in rows], [lab for _, lab in rows]
    groups = binary_train_groups(corpus)
    assert groups is not None
    dense = mean_vectors(texts, vectors, dim)
    results = [cross_validated(texts, labels, groups, dense, seed) for seed in range(3)]
    print("| vector weight | grouped 5-fold accuracy on no train (mean of 3 shufflings) |")
    print("|---|---|")
    for weight in WEIGHTS:
        print(f"| {weight} | {statistics.mean(r[weight] for r in results):.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

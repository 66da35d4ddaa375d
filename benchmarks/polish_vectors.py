"""Do word vectors learnt from PolEmo's own sentences help the Polish base model?

Usage: python benchmarks/polish_vectors.py DATA_DIR [--dim 100] [--seeds 2]

PolEmo's train half has positive, negative, neutral and ambivalent sentences; all of their
text (labels unused) is the only Polish text we may learn from. Per fold of a 5-fold
cross-validation of the positive/negative train sentences (the Polish base model's settings;
dev never read), vectors are learnt by our own code (``word_vectors.train_vectors``: PPMI
within four tokens, truncated SVD) from every train-half sentence outside the held-out fold,
and the base model is compared with the same model plus the unit mean vector of a sentence's
known words at a few weights (as ``norwegian_vectors.py`` did for Norwegian).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import StratifiedKFold

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import train_classifier
from compare.analysis.sentiment.logistic import fit_logistic
from compare.analysis.sentiment.word_vectors import (
    WordVectors,
    mean_vector_features,
    train_vectors,
    vector_sums,
)
from compare.analysis.text import tokenize

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, data_folder, load_polish

WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def train_half_texts(root: Path) -> list[str]:
    """Every PolEmo sentence of the seeded train half, whatever its label (ambivalent too)."""
    lines = (root / "pl_polemo_medicine" / "sentences.txt").read_text("utf-8").splitlines()
    texts = [line.strip().strip('"').rpartition(" __label__")[0].strip('"') for line in lines]
    texts = [t for t in texts if t]
    known = {t for t, _ in load_polish(root).dev}
    # ambivalent sentences are in neither half: they are unlabelled text here too
    return [t for t in texts if t not in known]


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    dim = int(argv[argv.index("--dim") + 1]) if "--dim" in argv else 100
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 2
    corpus = load_polish(root)
    rows = _binary(corpus.train)
    texts, gold = [t for t, _ in rows], np.asarray([lab for _, lab in rows])
    unlabelled = train_half_texts(root)
    tokens_all = [tokenize(t) for t in unlabelled]
    print(
        f"{len(unlabelled)} unlabelled train-half sentences, {sum(map(len, tokens_all)):,} "
        f"tokens; {len(texts)} positive/negative train sentences"
    )
    settings = base_settings("pl")
    results: list[dict[float, float]] = []
    for seed in range(seeds):
        right = dict.fromkeys(WEIGHTS, 0)
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
        for train, test in folds.split(np.zeros(len(texts)), gold):
            held = {texts[i] for i in test}
            docs = [t for t, text in zip(tokens_all, unlabelled, strict=True) if text not in held]
            words, matrix = train_vectors(docs, 30_000, dim)
            vectors = WordVectors({w: i for i, w in enumerate(words)}, matrix)
            dense = mean_vector_features(
                vector_sums(vectors, [tokenize(t) for t in texts]), 1.0
            ).toarray()
            model = train_classifier([texts[i] for i in train], list(gold[train]), "pl", settings)
            features = model._features(model.counts(texts))
            for weight in WEIGHTS:
                both = sp.hstack([features, sp.csr_matrix(dense * weight)], format="csr")
                fitted = fit_logistic(both[train], gold[train], settings.c, tol=1e-3)
                probabilities = fitted.predict_proba(both[test])
                predicted = np.asarray(fitted.classes)[np.argmax(probabilities, 1)]
                right[weight] += int((predicted == gold[test]).sum())
        results.append({w: n / len(texts) for w, n in right.items()})
        print(f"seed {seed}: " + ", ".join(f"{w}: {a:.4f}" for w, a in results[-1].items()))
    print(f"| vector weight | 5-fold accuracy on pl train (mean of {seeds} shufflings) |")
    print("|---|---|")
    for weight in WEIGHTS:
        print(f"| {weight} | {statistics.mean(r[weight] for r in results):.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

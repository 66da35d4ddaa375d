"""Word vectors learnt by our own code from unlabelled text, as classifier features.

A few thousand labelled sentences never show a classifier most words; vectors learnt from
millions of unlabelled words place unseen words near seen ones ("uinspirert" near
"kjedelig"). Recipe (Levy & Goldberg): counts of word pairs within WINDOW tokens weighted
1/distance over the most frequent words, positive PMI with the context distribution
smoothed by 0.75, truncated SVD, rows scaled to unit length.

As features: per text, the sum of its known words' vectors (additive, so a review's row is
the sum of its sentences' rows, like the other counts); at scoring time that sum scaled to
unit length (the direction of the mean vector), times the classifier's ``vector_weight``.
Vectors ship as package data, ``compare/analysis/data/sentiment_base/<lang>.vectors.npz``
(int8 with one scale per row: a quarter of float32's size).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.features import CLAUSE_BREAK, NEGATION_SCOPE

VECTORS_DIR = Path(__file__).resolve().parent.parent / "data" / "sentiment_base"
WINDOW = 4


@dataclass(frozen=True)
class WordVectors:
    index: dict[str, int]
    matrix: np.ndarray
    """One unit-length row per word (float32 values, held as float64: the sums are float64,
    and SciPy converted the whole matrix for every product with float32 rows), in C order:
    SciPy's sparse-by-dense product copies a matrix in any other order, every call."""

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])


def train_vectors(
    token_docs: list[list[str]], vocabulary: int, dim: int
) -> tuple[list[str], np.ndarray]:
    """(words, unit-length vectors) for the ``vocabulary`` most frequent tokens."""
    from scipy.sparse.linalg import svds  # training only

    frequency = Counter(token for doc in token_docs for token in doc)
    words = [w for w, _ in frequency.most_common(vocabulary)]
    index = {w: i for i, w in enumerate(words)}
    size = len(words)
    stream = np.concatenate(
        [np.asarray([index.get(t, -1) for t in doc] + [-1], dtype=np.int64) for doc in token_docs]
    )  # -1: a word outside the vocabulary, and the gap between two documents
    cooc = sp.csr_matrix((size, size))
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
    u, s, _ = svds(ppmi, k=dim, random_state=0)
    vectors = u[:, ::-1] * np.sqrt(s[::-1])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return words, vectors.astype(np.float32)


def save_vectors(path: Path, words: list[str], vectors: np.ndarray) -> None:
    """int8 rows with one float scale each, and the words, in one compressed npz."""
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    quantised = np.round(vectors / scale[:, None]).astype(np.int8)
    np.savez_compressed(
        path, words=np.asarray(words), vectors=quantised, scale=scale.astype(np.float32)
    )


def read_vectors(path: Path) -> WordVectors:
    with np.load(path, allow_pickle=False) as data:
        matrix = data["vectors"].astype(np.float32) * data["scale"][:, None]
        words = [str(w) for w in data["words"]]
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    # (the stored int8 rows may be in Fortran order, as the SVD gave them)
    return WordVectors(
        {w: i for i, w in enumerate(words)}, np.ascontiguousarray(matrix, dtype=np.float64)
    )


@lru_cache(maxsize=4)
def load_vectors(language: str) -> WordVectors | None:
    """The language's shipped vectors, or None."""
    path = VECTORS_DIR / f"{language}.vectors.npz"
    return read_vectors(path) if path.is_file() else None


def _signs(tokens: list[str], negations: frozenset[str]) -> list[float]:
    """Per token, how its vector counts: -1 for the NEGATION_SCOPE words after a negation
    (up to its clause's end, ``CLAUSE_BREAK``), as the word features mark them ``NOT_``;
    1 for the others."""
    out = [1.0] * len(tokens)
    for i, token in enumerate(tokens):
        if token in negations or token.endswith("n't"):
            for j in range(i + 1, min(len(tokens), i + 1 + NEGATION_SCOPE)):
                if tokens[j] == CLAUSE_BREAK or tokens[j] in negations:
                    break
                out[j] = -1.0
    return out


def vector_sums(
    vectors: WordVectors, token_lists: list[list[str]], negations: frozenset[str] = frozenset()
) -> sp.csr_matrix:
    """Per token list: the sum of its known words' vectors, those a negation among
    ``negations`` scopes subtracted (``_signs``): "ikke noe å klage på" summed the vector of
    the complaint word as if it were said, and one of the pronoun's that lies near
    complaints, so a mean vector that read these as complaint outweighed the lexicon's
    praise (issue #17). Grouped cross-validation on the Norwegian train split (5 folds,
    2 shufflings): .7875 -> .7898; dropping the scoped words instead .7886, subtracting them
    and dropping the negation .7892."""
    flat = list(chain.from_iterable(token_lists))
    # one look-up per token in C (map), -1 for words without a vector
    found = np.fromiter(map(vectors.index.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    owner = np.repeat(np.arange(len(token_lists)), [len(tokens) for tokens in token_lists])
    known = found >= 0
    if negations.isdisjoint(flat) and "n't" not in " ".join(flat):
        signs = np.ones(len(flat))  # most texts: nothing to negate
    else:
        signs = np.fromiter(
            chain.from_iterable(_signs(tokens, negations) for tokens in token_lists),
            dtype=np.float64,
            count=len(flat),
        )
    hits = sp.csr_matrix(
        (signs[known], (owner[known], found[known])),
        shape=(len(token_lists), len(vectors.index)),
    )
    return sp.csr_matrix(np.asarray(hits @ vectors.matrix, dtype=np.float64))


def mean_vector_features(sums: sp.csr_matrix, weight: float) -> sp.csr_matrix:
    """Unit-length mean vector (zero without a known word) times ``weight``."""
    vectors = sums.toarray()
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return sp.csr_matrix(np.where(norms > 0, vectors / np.maximum(norms, 1e-12), 0.0) * weight)

"""Word vectors trained by our code: neighbours, int8 storage, additive features, shipped."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from compare.analysis.sentiment.base_models import load_base
from compare.analysis.sentiment.word_vectors import (
    load_vectors,
    mean_vector_features,
    read_vectors,
    save_vectors,
    train_vectors,
    vector_sums,
)


def _corpus() -> list[list[str]]:
    """Words that share their neighbours: "tasty"/"delicious" and "slow"/"late"."""
    rng = random.Random(0)
    docs = []
    for _ in range(400):
        food = rng.choice(["tasty", "delicious"])
        wait = rng.choice(["slow", "late"])
        docs.append(["the", "coffee", "was", food, "and", "warm"])
        docs.append(["the", "delivery", "was", wait, "and", "expensive"])
    return docs


def test_words_with_the_same_neighbours_get_close_vectors(tmp_path: Path) -> None:
    words, matrix = train_vectors(_corpus(), vocabulary=50, dim=4)
    row = {w: matrix[i] for i, w in enumerate(words)}
    assert float(row["tasty"] @ row["delicious"]) > float(row["tasty"] @ row["late"]) + 0.3
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, rtol=1e-5)
    save_vectors(tmp_path / "v.npz", words, matrix)
    loaded = read_vectors(tmp_path / "v.npz")
    assert [w for w, _ in sorted(loaded.index.items(), key=lambda kv: kv[1])] == words
    assert np.abs(loaded.matrix - matrix).max() < 0.02  # int8 with a scale per row
    # float32 values held as float64 (the products with the float64 sums converted them)
    assert loaded.matrix.dtype == np.float64
    assert np.array_equal(loaded.matrix, loaded.matrix.astype(np.float32))
    # in C order: a sparse-by-dense product copies a matrix in any other order, each call
    assert loaded.matrix.flags["C_CONTIGUOUS"]


def test_vector_sums_add_up_like_the_other_counts(tmp_path: Path) -> None:
    words, matrix = train_vectors(_corpus(), vocabulary=50, dim=4)
    save_vectors(tmp_path / "v.npz", words, matrix)
    vectors = read_vectors(tmp_path / "v.npz")
    parts = vector_sums(vectors, [["tasty", "coffee"], ["unknownword"], ["late"]]).toarray()
    whole = vector_sums(vectors, [["tasty", "coffee", "unknownword", "late"]]).toarray()
    np.testing.assert_allclose(parts.sum(axis=0), whole[0], atol=1e-9)
    assert not parts[1].any()
    features = mean_vector_features(vector_sums(vectors, [["tasty"], []]), 2.0).toarray()
    np.testing.assert_allclose(np.linalg.norm(features, axis=1), [2.0, 0.0], atol=1e-6)


def test_vector_sums_count_each_occurrence_and_keep_every_row(tmp_path: Path) -> None:
    words, matrix = train_vectors(_corpus(), vocabulary=50, dim=4)
    save_vectors(tmp_path / "v.npz", words, matrix)
    vectors = read_vectors(tmp_path / "v.npz")
    tasty = vectors.matrix[vectors.index["tasty"]].astype(np.float64)
    late = vectors.matrix[vectors.index["late"]].astype(np.float64)
    cases: list[tuple[list[list[str]], list[np.ndarray]]] = [
        ([], []),
        ([[], []], [np.zeros(4), np.zeros(4)]),
        ([["tasty", "tasty"]], [2 * tasty]),
        ([[], ["nope", "late"], ["tasty", "nope", "late"]], [np.zeros(4), late, tasty + late]),
    ]
    for token_lists, expected in cases:
        sums = vector_sums(vectors, token_lists)
        assert sums.shape == (len(token_lists), 4)
        np.testing.assert_allclose(sums.toarray(), np.reshape(expected, (-1, 4)), atol=1e-12)


def test_norwegian_vectors_ship_and_the_norwegian_base_model_uses_them() -> None:
    vectors = load_vectors("no")
    assert vectors is not None and len(vectors.index) >= 10_000
    assert vectors.matrix.flags["C_CONTIGUOUS"]
    assert load_vectors("pl") is None
    model = load_base("no")
    assert model is not None and model.vector_dim == vectors.dim
    assert model.count_width() == model.counts(["Kaffen er god."]).shape[1]


def test_negated_words_count_against_the_mean_vector(tmp_path: Path) -> None:
    """Issue #17: "ikke noe å klage på" summed the complaint word's vector as if unnegated.
    The NEGATION_SCOPE words after a negation, up to its clause's end, count negatively."""
    words = ["ikke", "bra", "dårlig", "levering", ","]
    save_vectors(tmp_path / "v.npz", words, np.eye(len(words), dtype=np.float32))
    vectors = read_vectors(tmp_path / "v.npz")
    negations = frozenset({"ikke"})
    rows = vector_sums(
        vectors,
        [["ikke", "dårlig"], ["ikke", "bra", ",", "levering"], ["bra", "levering"]],
        negations,
    ).toarray()
    np.testing.assert_allclose(rows[0], [1, 0, -1, 0, 0])
    np.testing.assert_allclose(rows[1], [1, -1, 0, 1, 1])
    np.testing.assert_allclose(rows[2], [0, 1, 0, 1, 0])

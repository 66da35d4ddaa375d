"""Our logistic regression and TF-IDF against scikit-learn's, on the same problems.

The analyser fits its own (``compare.analysis.sentiment.logistic``) to keep scikit-learn's
import out of every run; these tests hold it to scikit-learn's solutions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight

from compare.analysis.sentiment.logistic import (
    _with_ones_column,
    balanced_weights,
    fit_logistic,
    idf_weights,
    sublinear_tfidf,
)

NAMES3 = ["negative", "neutral", "positive"]


def _problem(
    classes: int, rows: int = 400, columns: int = 300, seed: int = 0
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sparse non-negative rows with a planted linear signal, and their labels."""
    rng = np.random.default_rng(seed)
    features = sp.csr_matrix(sp.random(rows, columns, density=0.05, random_state=seed) * 3)
    truth = rng.normal(size=(classes, columns))
    scores = np.asarray(features @ truth.T) + rng.gumbel(size=(rows, classes))
    names = np.array(["negative", "positive"] if classes == 2 else NAMES3)
    return features, names[np.argmax(scores, axis=1)]


@pytest.mark.parametrize("c", [0.1, 1.0, 10.0])
def test_two_classes_match_liblinear(c: float) -> None:
    features, labels = _problem(2)
    ours = fit_logistic(features, labels, c, tol=1e-6)
    theirs = LogisticRegression(C=c, solver="liblinear", tol=1e-8, max_iter=10_000)
    theirs.fit(features, labels)
    assert ours.classes == tuple(theirs.classes_)
    scale = np.abs(theirs.coef_).max()
    assert np.abs(ours.coef - theirs.coef_).max() < 1e-5 * scale
    assert ours.intercept == pytest.approx(theirs.intercept_, abs=1e-5 * scale)
    assert np.abs(ours.predict_proba(features) - theirs.predict_proba(features)).max() < 1e-5


def test_three_classes_match_lbfgs_multinomial() -> None:
    features, labels = _problem(3)
    ours = fit_logistic(features, labels, 10.0, tol=1e-8)
    theirs = LogisticRegression(C=10.0, solver="lbfgs", tol=1e-10, max_iter=10_000)
    theirs.fit(features, labels)
    assert ours.classes == tuple(theirs.classes_) == ("negative", "neutral", "positive")
    assert np.abs(ours.predict_proba(features) - theirs.predict_proba(features)).max() < 1e-5


def test_probabilities_are_distributions_over_sorted_classes() -> None:
    features, labels = _problem(3, seed=1)
    model = fit_logistic(features, labels, 1.0)
    probabilities = model.predict_proba(features)
    assert probabilities.shape == (features.shape[0], 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0) and (probabilities >= 0).all()
    predicted = np.asarray(model.classes)[np.argmax(probabilities, axis=1)]
    assert (predicted == labels).mean() > 0.7  # the planted signal is learnt


def test_balanced_weights_match_scikit_learn() -> None:
    labels = np.array(["positive"] * 7 + ["negative"] * 2 + ["neutral"])
    assert np.allclose(balanced_weights(labels), compute_sample_weight("balanced", labels))


def test_sample_weights_shift_the_decision() -> None:
    features, labels = _problem(2, seed=2)
    plain = fit_logistic(features, labels, 1.0)
    heavy = np.where(labels == "positive", 5.0, 1.0)
    weighted = fit_logistic(features, labels, 1.0, sample_weight=heavy)
    assert (
        weighted.predict_proba(features)[:, 1].mean() > plain.predict_proba(features)[:, 1].mean()
    )


def test_sublinear_tfidf_matches_scikit_learn() -> None:
    counts = sp.csr_matrix(np.array([[1, 0, 3, 0], [2, 1, 0, 0], [0, 0, 1, 5]], dtype=np.float64))
    theirs = TfidfTransformer(sublinear_tf=True, norm=None).fit(counts)
    idf = idf_weights(counts)
    assert np.allclose(idf, theirs.idf_)
    assert np.allclose(sublinear_tfidf(counts, idf).toarray(), theirs.transform(counts).toarray())


def test_one_class_is_refused() -> None:
    features, _ = _problem(2)
    with pytest.raises(ValueError, match="two classes"):
        fit_logistic(features, ["positive"] * features.shape[0], 1.0)


def _separable() -> tuple[sp.csr_matrix, np.ndarray]:
    features = sp.csr_matrix(np.vstack([np.eye(20), 2 * np.eye(20)]))
    return features, np.array(["negative", "positive"] * 20)


def _empty_rows() -> tuple[sp.csr_matrix, np.ndarray]:
    features = sp.csr_matrix(np.vstack([np.zeros((5, 4)), np.eye(4)]))
    return features, np.array(["negative", "positive"] * 4 + ["positive"])


def _lone_negative() -> tuple[sp.csr_matrix, np.ndarray]:
    features = sp.csr_matrix(sp.random(50, 30, density=0.2, random_state=1))
    return features, np.array(["positive"] * 49 + ["negative"])


@pytest.mark.parametrize("make", [_separable, _empty_rows, _lone_negative])
@pytest.mark.parametrize("c", [1.0, 10_000.0])
def test_degenerate_problems_match_liblinear(
    make: Callable[[], tuple[sp.csr_matrix, np.ndarray]], c: float
) -> None:
    features, labels = make()
    ours = fit_logistic(features, labels, c, tol=1e-6)
    theirs = LogisticRegression(C=c, solver="liblinear", tol=1e-8, max_iter=100_000)
    theirs.fit(features, labels)
    assert np.abs(ours.predict_proba(features) - theirs.predict_proba(features)).max() < 1e-5


@pytest.mark.parametrize("positives", [200, 40])
def test_the_default_tolerance_stops_where_liblinear_does(positives: int) -> None:
    """At tol 1e-3 both solvers stop early; the stopping rule is liblinear's, so both land
    about as far from the exact optimum (imbalanced labels make the rule stricter)."""
    features, _ = _problem(2, rows=400, columns=2000, seed=3)
    labels = np.array(["positive"] * positives + ["negative"] * (400 - positives))
    exact = fit_logistic(features, labels, 10.0, tol=1e-10).predict_proba(features)
    ours = fit_logistic(features, labels, 10.0, tol=1e-3).predict_proba(features)
    theirs = LogisticRegression(C=10.0, solver="liblinear", tol=1e-3).fit(features, labels)
    their_error = np.abs(theirs.predict_proba(features) - exact).max()
    assert np.abs(ours - exact).max() <= max(2 * their_error, 1e-4)


def test_labels_of_any_type_are_compared_as_text() -> None:
    features = sp.csr_matrix(np.eye(6))
    as_numbers = fit_logistic(features, np.array([0, 1, 1, 1, 0, 1]), 1.0)
    as_text = fit_logistic(features, ["0", "1", "1", "1", "0", "1"], 1.0)
    assert as_numbers.classes == ("0", "1")
    assert np.allclose(as_numbers.coef, as_text.coef)
    assert as_numbers.predict_proba(features)[1, 1] > 0.5  # row 1 is labelled 1


@pytest.mark.parametrize("canonical", [True, False])
def test_ones_column_is_what_hstack_with_a_dense_column_builds(canonical: bool) -> None:
    rng = np.random.default_rng(3)
    rows, columns = rng.integers(0, 30, 200), rng.integers(0, 12, 200)
    data = rng.random(200)
    x = sp.csr_matrix((data, (rows, columns)), shape=(30, 12))  # canonical
    if not canonical:  # each row's entries reversed, and the last row's last entry twice
        order = np.concatenate([np.arange(x.indptr[r], x.indptr[r + 1])[::-1] for r in range(30)])
        indptr = x.indptr.copy()
        indptr[-1] += 1
        x = sp.csr_matrix(
            (np.r_[x.data[order], 1.0], np.r_[x.indices[order], x.indices[-1]], indptr), (30, 12)
        )
        assert not x.has_canonical_format
    before = (x.data.copy(), x.indices.copy())
    expected = sp.hstack([x, np.ones((30, 1))], format="csr")
    got = _with_ones_column(x)
    assert got.indptr.tolist() == expected.indptr.tolist()
    assert got.indices.tolist() == expected.indices.tolist()
    assert got.data.tolist() == expected.data.tolist()
    assert x.data.tolist() == before[0].tolist() and x.indices.tolist() == before[1].tolist()


@pytest.mark.parametrize("classes", [2, 3])
def test_a_fit_runs_on_one_blas_thread_and_restores_the_setting(
    classes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The solvers' dense products are vector products, which OpenBLAS threads above 10,000
    entries and whose helper threads then spin between calls (``one_blas_thread``): a fit
    runs with one BLAS thread, SciPy's optimiser's BLAS included, and leaves the setting it
    found."""
    import scipy.optimize
    from threadpoolctl import threadpool_info, threadpool_limits

    from compare.analysis.sentiment import logistic

    def blas_threads() -> list[int]:
        return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]

    seen: list[list[int]] = []
    solver_name = "_newton_binary" if classes == 2 else "_lbfgs_multinomial"
    solver = getattr(logistic, solver_name)

    def recording(*args: object) -> object:
        seen.append(blas_threads())
        return solver(*args)

    monkeypatch.setattr(logistic, solver_name, recording)
    assert scipy.optimize.minimize  # its BLAS is loaded, as in a three-label fit
    features, labels = _problem(classes)
    with threadpool_limits(limits=2, user_api="blas"):
        fit_logistic(features, labels, 1.0)
        after = blas_threads()
    assert len(seen) == 1 and len(seen[0]) >= (2 if classes == 3 else 1)
    assert seen[0] == [1] * len(seen[0])
    assert after == [2] * len(after)

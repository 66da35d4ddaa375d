"""L2-regularised logistic regression on sparse rows, and the idf weights of TF-IDF.

Why not scikit-learn here: importing it (with the SciPy modules it pulls in) and tearing it
down at exit cost ~1.2 s of every ``rivalscope analyze`` and ``sentiment score`` run, more
than scoring 2,000 reviews, while the fit itself is a few sparse products. The objectives
are scikit-learn's, so the solutions are the same up to the solvers' tolerance
(``tests/test_logistic.py`` compares them):
- two classes: liblinear's primal problem, ``0.5 |w|^2 + C sum_i s_i log(1 + exp(-y_i w.x_i))``
  with the bias as one more (regularised) feature of value 1, solved by Newton steps with
  conjugate gradients and a backtracking line search (liblinear uses a trust region), and
  liblinear's stopping rule: ``|g| <= tol * max(min(positives, negatives), 1) / n * |g0|``;
- three or more: the multinomial (softmax) loss with an unregularised bias, by L-BFGS as
  scikit-learn's ``lbfgs`` solver does (SciPy's optimiser, imported only then), with its
  gradient tolerance on scikit-learn's scale (the objective divided by ``C * sum(s)``).

A fit runs with one BLAS thread (``one_blas_thread``): its dense products are of vectors
(one weight per feature), which OpenBLAS splits over every core above 10,000 entries, and
its helper threads then spin between the solver's thousands of short calls.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

log = logging.getLogger(__name__)

NEWTON_STEPS = 100
CG_STEPS = 250
CG_FORCING = 0.1
"""A Newton step's conjugate gradients stop at this fraction of the gradient's norm."""
ARMIJO = 1e-4


@dataclass(frozen=True)
class LinearModel:
    """A fitted linear classifier: ``classes`` sorted; ``coef`` one row per class (one row in
    all for two classes: the second class's score), ``intercept`` one per row."""

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray

    def decision_function(self, features: sp.csr_matrix) -> np.ndarray:
        """Scores, shape (rows, len(coef))."""
        return np.asarray(features @ self.coef.T) + self.intercept

    def predict_proba(self, features: sp.csr_matrix) -> np.ndarray:
        """Class probabilities, columns in ``classes`` order."""
        scores = self.decision_function(features)
        if len(self.classes) == 2:
            second = _sigmoid(scores[:, 0])
            return np.column_stack([1.0 - second, second])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def idf_weights(counts: sp.csr_matrix, columns: int | None = None) -> np.ndarray:
    """Smoothed idf per column, ``ln((1 + n) / (1 + df)) + 1`` (scikit-learn's default), of
    the first ``columns`` columns (all by default; the others' entries are only left out of
    the count, where slicing them off copied the matrix)."""
    rows = counts.shape[0]
    width = counts.shape[1] if columns is None else columns
    indices = counts.indices if columns is None else counts.indices[counts.indices < columns]
    df = np.bincount(indices, minlength=width)
    return np.asarray(exact_log((1.0 + rows) / (1.0 + df)) + 1.0)


def sublinear_tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """``(1 + ln count) * idf`` on the stored entries (counts >= 1), no row norm."""
    data = idf[counts.indices]
    # most counts are 1, whose factor is exactly 1: the logarithm only where it is not
    # (the same values; the log of every entry was a third of this function's time)
    repeated = np.flatnonzero(counts.data != 1.0)
    data[repeated] *= exact_log(counts.data[repeated]) + 1.0
    return sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)


def fit_logistic(
    features: sp.csr_matrix,
    labels: list[str] | np.ndarray,
    c: float,
    *,
    tol: float = 1e-3,
    sample_weight: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> LinearModel:
    """Fit on rows and their labels (at least two distinct); see the module docstring.

    ``offset`` (two classes only): a fixed score per row added to ``w.x + b``, e.g. another
    model's decision; the fit then learns a correction to it, pulled towards none by the
    regularisation."""
    target = np.asarray(labels).astype(str)
    classes = tuple(str(x) for x in np.unique(target))
    if len(classes) < 2:
        raise ValueError(f"need at least two classes, got {classes}")
    if offset is not None and len(classes) != 2:
        raise ValueError("an offset needs two classes")
    weights = np.ones(len(target)) if sample_weight is None else np.asarray(sample_weight)
    matrix = sp.csr_matrix(features, dtype=np.float64)
    with one_blas_thread(optimiser=len(classes) > 2):
        if len(classes) == 2:
            sign = np.where(target == classes[1], 1.0, -1.0)
            fixed = np.zeros(len(target)) if offset is None else np.asarray(offset, dtype=float)
            coef, bias = _newton_binary(matrix, sign, c * weights, tol, fixed)
            return LinearModel(classes, coef[None, :], np.array([bias]))
        coef_k, bias_k = _lbfgs_multinomial(matrix, target, classes, c * weights, tol)
        return LinearModel(classes, coef_k, bias_k)


@contextmanager
def one_blas_thread(*, optimiser: bool = False) -> Iterator[None]:
    """Within: the BLAS libraries numpy and SciPy loaded use one thread (as before on exit);
    ``optimiser``: SciPy's optimisers' too (``scipy.optimize`` loads a BLAS of its own).

    The solvers' dense products are dot products and norms of vectors of one weight per
    feature (~70,000-160,000 on 2,000-4,000 rated reviews with character n-grams): OpenBLAS
    splits a dot product of more than 10,000 entries over every core, and between two of
    the solvers' thousands of calls its helper thread spins, waiting for the next. On a
    2-core machine a 150,000-entry dot product took 0.52 CPU-ms threaded, 0.05 alone, and
    the Newton fits of a 1,929-rating guard 9.7 CPU-s, 1.5 alone (the training jobs of
    benchmarks/analyze.py --text-from 34.9 -> 19.6 CPU-s, serially in one process); two
    training processes on two cores also lost the cores their helpers spun on. (The solvers'
    dot products and norms do not go through BLAS at all, ``_dot``: one thread alone did not
    make a fit the same on every machine, OpenBLAS's kernel, chosen by CPU, sums in its own
    order.)"""
    with _blas_controller(optimiser).limit(limits=1, user_api="blas"):
        yield


@cache
def _blas_controller(optimiser: bool) -> ThreadpoolController:
    """The thread pools loaded in this process, with ``scipy.optimize``'s if ``optimiser``
    (found once: ~2 ms; a limit then ~0.06 ms)."""
    if optimiser:
        import scipy.optimize  # noqa: F401  (its BLAS, which L-BFGS-B calls)
    return ThreadpoolController()


def balanced_weights(labels: list[str] | np.ndarray) -> np.ndarray:
    """Per-row weights ``n / (classes * count of the row's class)`` (class_weight='balanced')."""
    target = np.asarray(labels).astype(str)
    values, inverse, counts = np.unique(target, return_inverse=True, return_counts=True)
    return np.asarray(len(target) / (len(values) * counts[inverse]))


def by_libm(function: Callable[[float], float], values: np.ndarray) -> np.ndarray:
    """``function`` (``math.log``, ``math.log1p``) of each value, by the C library, once per
    distinct value: numpy's own ``log``, ``log1p`` and ``exp`` take other last bits on a CPU
    with AVX-512 than on one without (its SIMD versions), and a fit must be the same
    everywhere (``_dot``). The values here are few distinct ones (document frequencies,
    counts, lexicon sums) or one vector per fit."""
    distinct, inverse = np.unique(values, return_inverse=True)
    found = np.fromiter(map(function, distinct.tolist()), dtype=np.float64, count=len(distinct))
    return np.asarray(found[inverse].reshape(np.shape(values)))


def exact_log(values: np.ndarray) -> np.ndarray:
    """``np.log`` of positive values, the same on every CPU (``by_libm``)."""
    return by_libm(math.log, values)


def _exact_sigmoid(z: np.ndarray) -> np.ndarray:
    """``_sigmoid`` with the C library's ``exp`` (``exact_log``; ``logaddexp`` is numpy's
    scalar code on every CPU): one value per training row, per Newton step."""
    exponent = (-np.logaddexp(0.0, -z)).tolist()
    return np.fromiter(map(math.exp, exponent), dtype=np.float64, count=len(exponent))


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a @ b`` of two vectors, summed by numpy (pairwise, in an order fixed by the length
    alone), not by BLAS: a BLAS dot product sums in an order that depends on its kernel
    (the CPU: OpenBLAS's SkylakeX and Haswell kernels) and on its thread count, and the
    solvers' stopping tests turn those last bits into whole steps. The Norwegian base
    model trained on two CPUs differed by up to 0.07 in a weight (1.3 %); the English one,
    by 1e-8 (issue #17: a shipped model must rebuild byte for byte from the repository)."""
    return float(np.add.reduce(a * b))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(np.exp(-np.logaddexp(0.0, -z)))


def _newton_binary(
    x: sp.csr_matrix, y: np.ndarray, cw: np.ndarray, tol: float, offset: np.ndarray
) -> tuple[np.ndarray, float]:
    """Minimise ``0.5 |w|^2 + sum_i cw_i log(1 + exp(-y_i (w.x_i + b + offset_i)))`` with b
    regularised like a weight (a column of ones)."""
    x = _with_ones_column(x)
    xt = x.T.tocsr()
    w = np.zeros(x.shape[1])

    def objective(weights: np.ndarray) -> tuple[float, np.ndarray]:
        margin = y * (x @ weights + offset)
        return 0.5 * _dot(weights, weights) + _dot(cw, np.logaddexp(0.0, -margin)), margin

    value, margin = objective(w)
    positives = int((y > 0).sum())
    scale = max(min(positives, len(y) - positives), 1) / len(y)  # liblinear's
    first_norm: float | None = None
    for _ in range(NEWTON_STEPS):
        s = _exact_sigmoid(margin)
        gradient = w + xt @ (cw * (s - 1.0) * y)
        norm = float(np.sqrt(_dot(gradient, gradient)))
        first_norm = norm if first_norm is None else first_norm
        if norm <= tol * scale * first_norm or norm == 0.0:
            break
        step = _conjugate_gradient(_hessian_product(x, xt, cw * s * (1.0 - s)), -gradient, norm)
        slope = _dot(gradient, step)
        size = 1.0
        while True:
            candidate = w + size * step
            new_value, new_margin = objective(candidate)
            if new_value <= value + ARMIJO * size * slope:
                break
            size *= 0.5
            if size < 1e-10:  # no descent left at this precision: w is as good as it gets
                return w[:-1], float(w[-1])
        w, value, margin = candidate, new_value, new_margin
    else:
        log.warning("logistic regression: %d Newton steps without converging", NEWTON_STEPS)
    return w[:-1], float(w[-1])


def _with_ones_column(x: sp.csr_matrix) -> sp.csr_matrix:
    """``x`` with a last column of ones, as ``sp.hstack([x, np.ones((n, 1))], format="csr")``
    builds it (canonical: sorted indices, duplicates summed) but through SciPy's CSR-only
    fast path: a dense block sent hstack through COO and a sort, 1.2 % of ``analyze``."""
    if not x.has_canonical_format:
        x = x.copy()
        x.sum_duplicates()
    ones = sp.csr_matrix(
        (np.ones(x.shape[0]), np.zeros(x.shape[0], dtype=np.int32), np.arange(x.shape[0] + 1)),
        shape=(x.shape[0], 1),
    )
    return sp.hstack([x, ones], format="csr")


def _hessian_product(
    x: sp.csr_matrix, xt: sp.csr_matrix, curvature: np.ndarray
) -> Callable[[np.ndarray], np.ndarray]:
    """v -> (I + X^T diag(curvature) X) v, the objective's Hessian times v."""
    return lambda v: np.asarray(v + xt @ (curvature * (x @ v)))


def _conjugate_gradient(
    hessian_times: Callable[[np.ndarray], np.ndarray], rhs: np.ndarray, gradient_norm: float
) -> np.ndarray:
    """Approximately solve ``H p = rhs`` (H positive definite), from p = 0."""
    solution = np.zeros_like(rhs)
    residual = rhs.copy()
    direction = residual.copy()
    squared = _dot(residual, residual)
    for _ in range(CG_STEPS):
        product = hessian_times(direction)
        alpha = squared / _dot(direction, product)
        solution += alpha * direction
        residual -= alpha * product
        new_squared = _dot(residual, residual)
        if np.sqrt(new_squared) <= CG_FORCING * gradient_norm:
            break
        direction = residual + (new_squared / squared) * direction
        squared = new_squared
    return solution


def _lbfgs_multinomial(
    x: sp.csr_matrix, target: np.ndarray, classes: tuple[str, ...], cw: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise ``0.5 |W|^2 + sum_i cw_i (-log softmax(W x_i + b)[y_i])`` (b not penalised)."""
    from scipy.optimize import minimize  # only three-label models need it

    k, d = len(classes), x.shape[1]
    onehot = (target[:, None] == np.asarray(classes)[None, :]).astype(np.float64)
    xt = x.T.tocsr()

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        weights = flat.reshape(k, d + 1)
        coef, bias = weights[:, :d], weights[:, d]
        scores = np.asarray(x @ coef.T) + bias
        scores -= scores.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scores).sum(axis=1, keepdims=True))
        log_prob = scores - log_norm
        loss = -_dot(cw, (onehot * log_prob).sum(axis=1))
        residual = (np.exp(log_prob) - onehot) * cw[:, None]
        grad_coef = np.asarray(xt @ residual).T + coef
        grad_bias = residual.sum(axis=0)
        value = loss + 0.5 * float((coef * coef).sum())
        return value, np.column_stack([grad_coef, grad_bias]).ravel()

    result = minimize(
        objective,
        np.zeros(k * (d + 1)),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 3000, "gtol": tol * float(cw.sum()), "ftol": 64 * np.finfo(float).eps},
    )
    if not result.success:
        log.warning("logistic regression (L-BFGS) stopped early: %s", result.message)
    weights = result.x.reshape(k, d + 1)
    return np.ascontiguousarray(weights[:, :d]), weights[:, d].copy()

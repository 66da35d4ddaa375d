"""Intervals and tests for proportions and net sentiment, by closed-form score methods.

Net sentiment is ``(pos - neg) / (pos + neg)``. With ``p = pos / (pos + neg)`` it equals
``2p - 1``, so its interval is the Wilson score interval of ``p`` mapped through ``2p - 1``
(exact for the mapping, no bootstrap noise, sensible at 0 or n). The gap between two
nets is ``2 (p_a - p_b)``; its interval is Newcombe's hybrid score interval for a
difference of independent proportions (Newcombe 1998, method 10) times two. A gap is
*significant* when its interval excludes 0, and nothing is judged on fewer than
``min_sample`` opinions on either side.

A report compares many gaps at once (aspects x competitors x segments): at 95 % each, one
gap in twenty would look significant by chance. The gaps a report judges are one family:
``fdr_level`` selects them by Benjamini-Hochberg (false discovery rate 5 %) on p-values
read off the interval itself (``gap_p_value``), and gives the false-coverage-rate adjusted
level (Benjamini & Yekutieli 2005) at which exactly the selected intervals exclude 0, so
"significant when its interval excludes 0" stays true of every printed interval.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from statistics import NormalDist

Z_95 = 1.959963984540054
"""Two-sided 95 % normal quantile."""
DEFAULT_MIN_SAMPLE = 20
"""Fewest opinions (positive + negative mentions) on each side before we call a gap."""


@dataclass(frozen=True)
class Interval:
    """A point estimate with its lower and upper confidence bounds."""

    value: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def wilson_interval(successes: int, n: int, z: float = Z_95) -> Interval:
    """Wilson score interval for ``successes / n``; ``n == 0`` gives the vacuous [0, 1]."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if n == 0:
        return Interval(0.0, 0.0, 1.0)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At the edges the bound is exact (0/n: low 0, n/n: high 1); float noise left
    # 0.9999999999999999, a net sentiment of 10 of 10 reading [.., 0.9999999999999998].
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(p, low, high)


def bonferroni_z(tests: int, alpha: float = 0.05) -> float:
    """Two-sided normal quantile for ``tests`` simultaneous tests at family level ``alpha``
    (Bonferroni): 1.96 for one test, about 2.81 for ten."""
    return NormalDist().inv_cdf(1 - alpha / (2 * max(tests, 1)))


def net_sentiment(positive: int, negative: int, z: float = Z_95) -> Interval:
    """Net sentiment ``(pos - neg) / (pos + neg)`` in -1..1 with its Wilson-based interval."""
    share = wilson_interval(positive, positive + negative, z)
    return Interval(2 * share.value - 1, 2 * share.low - 1, 2 * share.high - 1)


def proportion_difference(
    successes_a: int, n_a: int, successes_b: int, n_b: int, z: float = Z_95
) -> Interval:
    """``p_a - p_b`` with Newcombe's hybrid score interval (method 10)."""
    a = wilson_interval(successes_a, n_a, z)
    b = wilson_interval(successes_b, n_b, z)
    difference = a.value - b.value
    low = difference - math.sqrt((a.value - a.low) ** 2 + (b.high - b.value) ** 2)
    high = difference + math.sqrt((a.high - a.value) ** 2 + (b.value - b.low) ** 2)
    return Interval(difference, low, high)


def net_difference(
    positive_a: int, negative_a: int, positive_b: int, negative_b: int, z: float = Z_95
) -> Interval:
    """Net sentiment of A minus net sentiment of B (-2..2) with its interval."""
    share = proportion_difference(
        positive_a, positive_a + negative_a, positive_b, positive_b + negative_b, z
    )
    return Interval(2 * share.value, 2 * share.low, 2 * share.high)


@dataclass(frozen=True)
class GapTest:
    """Net sentiment of A against B: the gap ``A - B``, whether it may be judged at all
    (both samples at least ``min_sample``) and whether it is significant."""

    gap: Interval
    n_a: int
    n_b: int
    enough_data: bool
    significant: bool


def compare_nets(
    positive_a: int,
    negative_a: int,
    positive_b: int,
    negative_b: int,
    *,
    min_sample: int = DEFAULT_MIN_SAMPLE,
    z: float = Z_95,
) -> GapTest:
    """The gap test the report uses: never significant below ``min_sample`` on either side."""
    n_a, n_b = positive_a + negative_a, positive_b + negative_b
    gap = net_difference(positive_a, negative_a, positive_b, negative_b, z)
    enough = n_a >= min_sample and n_b >= min_sample
    return GapTest(gap, n_a, n_b, enough, enough and gap.excludes_zero())


def gap_p_value(
    positive_a: int, negative_a: int, positive_b: int, negative_b: int, cap: float = 1.0
) -> float:
    """Two-sided p-value of the gap test, by inverting its interval: the ``alpha`` at which
    the interval of ``net_difference`` just touches 0 (1 when the gap is 0). Interval
    bounds move monotonically with ``z``, so bisection finds it. A p-value above ``cap``
    is returned as 1 without the bisection (a selection at false discovery rate ``cap``
    never takes it, whatever it is: most gaps of a report, for a fifth of the time)."""
    counts = (positive_a, negative_a, positive_b, negative_b)
    if net_difference(*counts, 0.0).value == 0:
        return 1.0
    low, high = 0.0, 40.0
    if cap < 1:
        low = NormalDist().inv_cdf(1 - cap / 2)
        if not net_difference(*counts, low).excludes_zero():
            return 1.0
    for _ in range(50):
        middle = (low + high) / 2
        if net_difference(*counts, middle).excludes_zero():
            low = middle
        else:
            high = middle
    return 2 * NormalDist().cdf(-low)


def proportion_p_value(
    successes_a: int, n_a: int, successes_b: int, n_b: int, cap: float = 1.0
) -> float:
    """Two-sided p-value of ``p_a - p_b`` by inverting Newcombe's interval (see
    ``gap_p_value``)."""
    return gap_p_value(successes_a, n_a - successes_a, successes_b, n_b - successes_b, cap)


FDR = 0.05
"""False discovery rate of the findings: of the gaps called significant, at most this share
is expected to be chance."""


@dataclass(frozen=True)
class FamilyLevel:
    """How a family of ``tests`` comparisons is judged: ``significant`` of them selected by
    Benjamini-Hochberg at ``FDR``, and the normal quantile ``z`` of the adjusted intervals
    (confidence ``confidence``) that exclude 0 for exactly those."""

    tests: int
    significant: int
    z: float
    p_values: tuple[float, ...] = field(default=(), compare=False)
    """The family's p-values, ascending (as ``fdr_level`` read them; those above the rate
    may be capped, which changes neither the level nor a selected one's adjusted value)."""

    @property
    def confidence(self) -> float:
        return 1 - 2 * NormalDist().cdf(-self.z)

    def adjusted(self, p_value: float) -> float:
        """The Benjamini-Hochberg adjusted p-value of one of the family's ``p_value``: the
        lowest false discovery rate at which the family's selection takes it (at most
        ``FDR`` exactly when it is selected). Exact for the selected ones; p-values above
        ``FDR`` read with a cap (``gap_p_value``) give at least their own."""
        ordered = self.p_values
        rank = bisect_right(ordered, p_value)
        if rank == 0:
            raise ValueError(f"{p_value} is not one of the family's p-values")
        tests = len(ordered)
        return min(1.0, min(tests * ordered[j - 1] / j for j in range(rank, tests + 1)))


def fdr_level(p_values: list[float], rate: float = FDR) -> FamilyLevel:
    """Benjamini-Hochberg over ``p_values`` and the matching false-coverage-rate adjusted
    interval level ``1 - R * rate / m`` (R selected of m; with none selected, the Bonferroni
    level ``1 - rate / m``). One test is the usual 95 % interval."""
    tests = len(p_values)
    if tests == 0:
        return FamilyLevel(0, 0, Z_95)
    ordered = sorted(p_values)
    selected = max(
        (r for r in range(1, tests + 1) if ordered[r - 1] <= r * rate / tests), default=0
    )
    z = NormalDist().inv_cdf(1 - max(selected, 1) * rate / (2 * tests))
    z = Z_95 if tests == 1 and rate == FDR else z
    return FamilyLevel(tests, selected, z, tuple(ordered))


def geometric_mean_ratio(ratios: list[float], z: float = Z_95) -> Interval:
    """Geometric mean of positive ratios with a normal-theory interval on the log scale.

    Used for price indices (competitor price / own price over matched products).
    Fewer than two ratios give a point with no spread (low = high = value).
    """
    if not ratios or any(r <= 0 for r in ratios):
        raise ValueError("ratios must be a non-empty list of positive numbers")
    logs = [math.log(r) for r in ratios]
    mean = sum(logs) / len(logs)
    if len(logs) < 2:
        return Interval(math.exp(mean), math.exp(mean), math.exp(mean))
    variance = sum((x - mean) ** 2 for x in logs) / (len(logs) - 1)
    half = _t_quantile(len(logs) - 1, z) * math.sqrt(variance / len(logs))
    return Interval(math.exp(mean), math.exp(mean - half), math.exp(mean + half))


def t_two_sided_p(t: float, degrees: int) -> float:
    """``P(|T| >= |t|)`` for Student's t with integer ``degrees``, by the finite series of
    Abramowitz & Stegun 26.7.3-4 (exact; no scipy: importing scipy.stats alone takes
    seconds)."""
    if degrees < 1:
        raise ValueError(f"need at least one degree of freedom, got {degrees}")
    theta = math.atan(abs(t) / math.sqrt(degrees))
    cos2 = math.cos(theta) ** 2
    if degrees % 2:
        term, total = 1.0, 1.0 if degrees > 1 else 0.0
        for k in range(1, (degrees - 1) // 2):
            term *= cos2 * (2 * k) / (2 * k + 1)
            total += term
        inside = 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    else:
        term, total = 1.0, 1.0
        for k in range(1, degrees // 2):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        inside = math.sin(theta) * total
    return min(1.0, max(0.0, 1 - inside))


def _t_quantile(degrees: int, z: float) -> float:
    """Student t quantile with the two-sided level of the normal quantile ``z`` (small
    samples need wider): the ``t`` with ``t_two_sided_p(t) = 2 * (1 - Phi(z))``, by
    bisection on the exact distribution function."""
    alpha = 2 * NormalDist().cdf(-z)
    low, high = z, max(2 * z, 1.0)
    while t_two_sided_p(high, degrees) > alpha:
        low, high = high, 2 * high
    for _ in range(100):
        middle = (low + high) / 2
        if t_two_sided_p(middle, degrees) > alpha:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def log_ratio_p_value(ratios: list[float]) -> float:
    """Two-sided p-value of the one-sample t test that the mean log ratio is 0 (the test
    ``geometric_mean_ratio``'s interval inverts); 1 on fewer than two ratios."""
    if len(ratios) < 2:
        return 1.0
    logs = [math.log(r) for r in ratios]
    mean = sum(logs) / len(logs)
    variance = sum((x - mean) ** 2 for x in logs) / (len(logs) - 1)
    if variance == 0:
        return 1.0 if mean == 0 else 0.0
    return t_two_sided_p(mean / math.sqrt(variance / len(logs)), len(logs) - 1)

"""Report statistics against hand-computed and published values, and product matching."""

from __future__ import annotations

import math

import pytest

from compare.report.csv_safety import safe_cell
from compare.report.matching import CatalogueItem, match_catalogues, name_similarity
from compare.report.stats import (
    _t_quantile,
    bonferroni_z,
    compare_nets,
    geometric_mean_ratio,
    log_ratio_p_value,
    net_difference,
    net_sentiment,
    proportion_difference,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), single proportion example
        (0, 10, 0.0, 0.2775),  # hand: z²/(n+z²) = 3.8415/13.8415
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),  # hand: centre 0.5, half 1.96*sqrt(.025+.0096)/1.3842
        (0, 0, 0.0, 1.0),  # no data: vacuous interval
    ],
)
def test_wilson_interval(successes: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(successes, n)
    assert interval.low == pytest.approx(low, abs=5e-4)
    assert interval.high == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize(
    ("tests", "z"),
    [
        (1, 1.95996),  # no correction: the usual 95 % quantile
        (0, 1.95996),  # nothing tested: treated as one test
        (10, 2.80703),  # printed normal tables: z for two-sided 0.005
        (50, 3.29053),  # two-sided 0.001
    ],
)
def test_bonferroni_z(tests: int, z: float) -> None:
    assert bonferroni_z(tests) == pytest.approx(z, abs=1e-4)


def test_wilson_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_net_sentiment_is_twice_the_positive_share_minus_one() -> None:
    net = net_sentiment(5, 5)
    assert net.value == 0
    assert net.low == pytest.approx(2 * 0.2366 - 1, abs=1e-3)
    assert net.high == pytest.approx(2 * 0.7634 - 1, abs=1e-3)
    assert net_sentiment(10, 0).value == 1
    assert net_sentiment(0, 10).high == pytest.approx(2 * 0.2775 - 1, abs=1e-3)


def test_newcombe_difference_matches_published_example() -> None:
    # Newcombe (1998) method 10, 56/70 - 48/80: 0.2000 (0.0524, 0.3339)
    d = proportion_difference(56, 70, 48, 80)
    assert d.value == pytest.approx(0.2)
    assert d.low == pytest.approx(0.0524, abs=5e-4)
    assert d.high == pytest.approx(0.3339, abs=5e-4)
    net = net_difference(56, 14, 48, 32)
    assert (net.value, net.low, net.high) == pytest.approx((0.4, 0.1048, 0.6677), abs=1e-3)


@pytest.mark.parametrize(
    ("a", "b", "min_sample", "enough", "significant", "sign"),
    [
        ((90, 10), (20, 80), 20, True, True, 1),  # clear gap in our favour
        ((20, 80), (90, 10), 20, True, True, -1),  # clear gap against us
        ((50, 50), (52, 48), 20, True, False, -1),  # no real difference
        ((9, 1), (1, 9), 20, False, False, 1),  # big but below the minimum sample
        ((9, 1), (1, 9), 10, True, True, 1),  # same counts, lower minimum: significant
    ],
)
def test_gap_test_min_sample_and_significance(
    a: tuple[int, int],
    b: tuple[int, int],
    min_sample: int,
    enough: bool,
    significant: bool,
    sign: int,
) -> None:
    test = compare_nets(*a, *b, min_sample=min_sample)
    assert test.enough_data is enough
    assert test.significant is significant
    assert math.copysign(1, test.gap.value) == sign


def test_geometric_mean_ratio() -> None:
    index = geometric_mean_ratio([1.2, 1.3, 1.25])
    assert index.value == pytest.approx((1.2 * 1.3 * 1.25) ** (1 / 3))
    assert index.low > 1
    single = geometric_mean_ratio([2.0])
    assert (single.value, single.low, single.high) == (2.0, 2.0, 2.0)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ("Fjord Drip 8 kaffetrakter", "Cafetière filtre Fjord Drip 8", True),
        ("Fjord Drip 8 kaffetrakter", "Ekspres przelewowy Fjord Drip8", True),
        ("Fjord Drip 8", "Fjord Drip-8 Filter Coffee Maker", True),
        ("Fjord Drip 8", "Fjord Drip 8 Mk2", False),  # numbers must agree
        ("Nordlys Duo espressomaskin", "Machine expresso Lumière Duo", False),  # one word
        ("Vela Mousse melkeskummer", "Spieniacz do mleka Vela Mousse", True),
        # Roman numerals are generations, as digits are: "Mark III" is not "Mark II".
        ("Canon EOS 5D Mark II", "Canon EOS 5D Mark III", False),
        ("Canon EOS 5D Mark II", "Canon EOS 5D Mk2 body", True),
        ("Vela Mousse", "Vela Mousse II", False),
        ("Sony A7 IV camera", "Sony Alpha A7 IV", True),
        ("Hario V60 Drip Decanter", "Hario V60 Drip Kettle Decanter", True),  # "v" is a word
        ("Vi elsker Kaffe Duo", "Kaffe Duo vi elsker", True),  # "vi" is a word
    ],
)
def test_name_similarity(a: str, b: str, match: bool) -> None:
    assert (name_similarity(a, b) >= 0.6) is match


def test_catalogue_matching_prefers_identifiers_and_is_one_to_one() -> None:
    def item(
        pid: int, name: str, gtin: str | None = None, plan: str | None = None
    ) -> CatalogueItem:
        return CatalogueItem(pid, "x", name, gtin, None, plan, None, 10.0, "EUR")

    own = [item(1, "Aurora One", gtin="123"), item(2, "Basic box", plan="Basic, monthly")]
    other = [
        item(10, "Totally different name", gtin="123"),
        item(11, "Aurora One", gtin="999"),
        item(12, "Abonnement Basic", plan="basic, monthly"),
    ]
    matches = {
        (m.own.product_id, m.competitor.product_id, m.method) for m in match_catalogues(own, other)
    }
    assert matches == {(1, 10, "gtin"), (2, 12, "plan")}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain text", "plain text"),
        (-0.5, -0.5),  # numbers stay numbers
    ],
)
def test_csv_formula_cells_are_neutralised(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("degrees", "z", "t"),
    [
        # scipy.stats.t.ppf(1 - scipy.stats.norm.sf(z), degrees)
        (1, 1.959964, 12.706205),
        (2, 1.959964, 4.302653),
        (30, 1.959964, 2.042272),
        (2, 2.807034, 14.089052),  # Bonferroni over 10: Cornish-Fisher gave 9.14
        (1, 2.807034, 127.321428),  # ... and 105 more than this
        (5, 2.394, 3.534162),
        (200, 1.959964, 1.971896),
    ],
)
def test_t_quantile_matches_scipy(degrees: int, z: float, t: float) -> None:
    assert _t_quantile(degrees, z) == pytest.approx(t, rel=1e-5)


def test_log_ratio_p_value_is_the_one_sample_t_test() -> None:
    # scipy.stats.ttest_1samp(log([1.2, 1.1, 1.3]), 0).pvalue
    assert log_ratio_p_value([1.2, 1.1, 1.3]) == pytest.approx(0.064906, rel=1e-4)
    assert log_ratio_p_value([1.5]) == 1.0


@pytest.mark.parametrize("n", [1, 3, 7, 10, 49, 1000])
def test_wilson_bounds_are_exact_at_0_and_n(n: int) -> None:
    assert wilson_interval(0, n).low == 0.0
    assert wilson_interval(n, n).high == 1.0
    assert net_sentiment(n, 0).high == 1.0
    assert net_sentiment(0, n).low == -1.0

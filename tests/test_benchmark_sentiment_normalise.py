"""benchmarks/sentiment_normalise.py: the fallback with the normalisation rules swapped."""

from __future__ import annotations

from compare.analysis.sentiment import normalise
from tests.benchmark_scripts import load_benchmark

study = load_benchmark("sentiment_normalise")


def test_steps_in_use_swap_the_rules_and_restore_them() -> None:
    shipped = normalise.STEPS
    texts, gold = ["Franchement decevant", "Une livraison nulllle"], ["negative", "negative"]
    assert study.right_or_wrong(texts, gold, "fr") == [True, True]
    with study.steps_in_use(frozenset()):
        assert study.right_or_wrong(texts, gold, "fr") == [False, False]
    with study.steps_in_use(frozenset({"elongation"})):
        assert study.right_or_wrong(texts, gold, "fr") == [False, True]
    assert shipped == normalise.STEPS

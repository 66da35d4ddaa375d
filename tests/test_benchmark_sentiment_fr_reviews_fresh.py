"""benchmarks/sentiment_fr_reviews_fresh.py: the second, held-out French review table."""

from __future__ import annotations

import pytest

from tests.benchmark_scripts import load_benchmark

fresh = load_benchmark("sentiment_fr_reviews_fresh")
first = load_benchmark("sentiment_fr_reviews")


def test_the_table_is_balanced_and_shares_nothing_with_the_first() -> None:
    assert len(fresh.PRAISE) == len(fresh.COMPLAINTS) == 25
    texts = set(fresh.PRAISE) | set(fresh.COMPLAINTS)
    assert len(texts) == 50
    assert texts.isdisjoint(first.PRAISE + first.COMPLAINTS)


def test_it_prints_the_counts_of_each_half(capsys: pytest.CaptureFixture[str]) -> None:
    praise, complaints = first.right_counts(False, fresh.PRAISE, fresh.COMPLAINTS)
    assert fresh.main(["sentiment_fr_reviews_fresh.py"]) == 0
    assert capsys.readouterr().out == (
        f"French review sentences (fresh): praise {praise}/25, complaints {complaints}/25, "
        f"all {praise + complaints}/50\n"
    )

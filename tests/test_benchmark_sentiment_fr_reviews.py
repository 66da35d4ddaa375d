"""benchmarks/sentiment_fr_reviews.py: the French shop-review sentences and their counts."""

from __future__ import annotations

import pytest

from tests.benchmark_scripts import load_benchmark

study = load_benchmark("sentiment_fr_reviews")


def test_the_table_is_balanced_and_holds_no_sentence_twice() -> None:
    assert len(study.PRAISE) == len(study.COMPLAINTS) == 15
    assert len(set(study.PRAISE) | set(study.COMPLAINTS)) == 30


def test_the_french_fallback_reads_most_of_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    # 29 of 30 when the table was written (2026-12-07): a change that loses two of them
    # breaks what French reviews read on day one
    praise, complaints = study.right_counts()
    assert praise >= 14 and complaints >= 13 and praise + complaints >= 28
    assert study.main(["sentiment_fr_reviews.py"]) == 0
    assert capsys.readouterr().out.startswith(
        f"French review sentences: praise {praise}/15, complaints {complaints}/15"
    )

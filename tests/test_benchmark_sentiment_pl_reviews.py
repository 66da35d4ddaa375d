"""benchmarks/sentiment_pl_reviews.py: the Polish shop-review sentences and what day one reads."""

from __future__ import annotations

import pytest

from compare.analysis.sentiment.scorer import SentimentScorer
from tests.benchmark_scripts import load_benchmark

study = load_benchmark("sentiment_pl_reviews")


@pytest.mark.parametrize(
    ("table", "size"), [("reviews", 20), ("short facts", 10)], ids=["reviews", "short-facts"]
)
def test_each_table_is_balanced_and_holds_no_sentence_twice(table: str, size: int) -> None:
    praise, complaints = study.TABLES[table]
    assert len(praise) == len(complaints) == size
    assert len(set(praise) | set(complaints)) == 2 * size


def test_the_tables_share_no_sentence() -> None:
    texts = [set(p) | set(c) for p, c in study.TABLES.values()]
    assert texts[0].isdisjoint(texts[1])


@pytest.mark.parametrize(
    ("table", "fewest"), [("reviews", 38), ("short facts", 12)], ids=["reviews", "short-facts"]
)
def test_day_one_reads_what_it_read_when_the_table_was_written(table: str, fewest: int) -> None:
    # 39/40 and 13/20 when the tables were written (2026-12-07): a change that loses two
    # reviews, or two short facts, reads Polish shops worse on day one
    praise, complaints = study.TABLES[table]
    scores = SentimentScorer().score(praise + complaints, "pl")
    assert sum(study.right_counts(praise, complaints, scores)) >= fewest


def test_it_prints_a_line_per_table_and_method(capsys: pytest.CaptureFixture[str]) -> None:
    assert study.main(["sentiment_pl_reviews.py"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Polish reviews, day one (shipped base model)",
        "Polish reviews, lexicon alone",
        "Polish short facts, day one (shipped base model)",
        "Polish short facts, lexicon alone",
    ]

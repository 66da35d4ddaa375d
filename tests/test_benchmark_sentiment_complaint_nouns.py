"""benchmarks/sentiment_complaint_nouns.py: the table of praise said by negating a complaint
noun or by "neither ... nor" over faults, and what day one reads of it."""

from __future__ import annotations

import pytest

from compare.analysis.sentiment.scorer import SentimentScorer
from tests.benchmark_scripts import load_benchmark

table = load_benchmark("sentiment_complaint_nouns")
fresh = load_benchmark("sentiment_litotes_fresh")
first = load_benchmark("sentiment_litotes")
phrases = load_benchmark("sentiment_phrases_fresh")

LANGUAGES = ["en", "fr", "no", "pl"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_groups_and_no_sentence_of_the_older_tables(
    language: str,
) -> None:
    groups = [group[language] for _, group, _ in table.GROUPS]
    assert [len(texts) for texts in groups] == [13, 9, 2, 3]
    texts = {text for group in groups for text in group}
    assert len(texts) == 27
    older = set(first.PRAISE[language]) | set(first.COMPLAINTS[language])
    for group in (fresh.PRAISE, fresh.COMPLAINTS, fresh.NEGATED_PRAISE):
        older |= set(group[language])
    for _, group, _ in phrases.GROUPS:
        older |= set(group[language])
    assert texts.isdisjoint(older)


# Right of 27 on day one when sent-pl-neg was merged (2026-12-07): en 19, fr 24, no 22,
# pl 17 (main before it: 18, 14, 15, 13); pl 19 with base-2026-12.7 (Polish complaint nouns,
# "zero", the presence ratio). Losing two is a regression.
@pytest.mark.parametrize(("language", "fewest"), [("en", 17), ("fr", 22), ("no", 20), ("pl", 17)])
def test_day_one_reads_the_table_as_when_it_was_merged(language: str, fewest: int) -> None:
    scorer = SentimentScorer()
    right = 0
    for _, group, wanted in table.GROUPS:
        right += sum(label == wanted for _, label, _ in scorer.score(group[language], language))
    assert right >= fewest

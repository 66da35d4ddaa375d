"""benchmarks/sentiment_phrases_fresh.py: the held-out table of fixed opinion phrases and
controls, and what day one reads of it."""

from __future__ import annotations

import pytest

from tests.benchmark_scripts import load_benchmark

fresh = load_benchmark("sentiment_phrases_fresh")
litotes = load_benchmark("sentiment_litotes")
litotes_fresh = load_benchmark("sentiment_litotes_fresh")

LANGUAGES = ["en", "fr", "no", "pl"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_four_groups_of_five_and_no_sentence_of_another_table(
    language: str,
) -> None:
    groups = [table[language] for _, table, _ in fresh.GROUPS]
    assert [len(g) for g in groups] == [5, 5, 5, 5]
    texts = {text for group in groups for text in group}
    assert len(texts) == 20
    for other in (litotes, litotes_fresh):
        assert texts.isdisjoint(other.PRAISE.get(language, []) + other.COMPLAINTS.get(language, []))


# Right of 20 on day one when sent-multiword was merged (2026-12-07): en 16, fr 20, no 18,
# pl 18 (main before it: 12, 13, 15, 12). Losing two is a regression; the controls alone
# read as on main (en 7, fr 10, no 10, pl 8 of 10).
@pytest.mark.parametrize(
    ("language", "fewest", "controls"),
    [("en", 14, 7), ("fr", 18, 10), ("no", 16, 10), ("pl", 16, 8)],
)
def test_day_one_reads_the_table_as_when_it_was_merged(
    language: str, fewest: int, controls: int
) -> None:
    right = fresh.right_counts(language)
    assert sum(right.values()) >= fewest
    assert right["control praise"] + right["control complaints"] >= controls


def test_it_prints_a_line_per_language_and_method(capsys: pytest.CaptureFixture[str]) -> None:
    assert fresh.main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["en", "en", "fr", "no", "no", "pl"]
    assert all(line.endswith("/20") for line in lines)

"""benchmarks/sentiment_lexicons.py: candidate lexicon files and swapping French channels."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.analysis.sentiment.lexicon import lexicon_name, lexicon_scores
from compare.analysis.sentiment.lexicon_features import CHANNELS, lexicon_channels
from tests.benchmark_scripts import load_benchmark

study = load_benchmark("sentiment_lexicons")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # AFINN-style JSON: scaled by 0.8; phrases and one-letter entries left out
        ("list.json", '{"Génial": 3, "pas mal": 2, "x": -2, "nul": -3, "neutre": 0}',
         {"génial": 2.4, "nul": -2.4}),
        ("list.txt", "# comment\nsuperbe\t2.5\nbof->-0.5\ntrès bien\t2\n",
         {"superbe": 2.5, "bof": -0.5}),
    ],
)  # fmt: skip
def test_candidate_files_read_as_valences(
    tmp_path: Path, name: str, text: str, expected: dict[str, float]
) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert study.read_candidate(path) == pytest.approx(expected)


def test_channels_in_use_swap_the_french_fallback_and_restore_it() -> None:
    shipped = lexicon_channels("fr")
    before = lexicon_scores(["zorglub"], "fr")[0][1]
    with study.channels_in_use("fr", ("made-up",), {"made-up": lambda: {"zorglub": -3.0}}):
        assert lexicon_name("fr") == "lexicon-made-up"
        assert lexicon_scores(["zorglub"], "fr")[0][1] == "negative"
    assert before != "negative"
    assert lexicon_channels("fr") == shipped == CHANNELS["fr"]
    assert lexicon_scores(["zorglub"], "fr")[0][1] == before

"""English opinion words carried to French cognates by spelling rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.analysis.sentiment import cognates
from compare.analysis.sentiment.cognates import cognate_lexicon, english_candidates

ENGLISH = {"horror": -2.8, "glorious": 3.2, "furious": -2.9, "catastrophe": -3.4,
           "adore": 2.9, "detest": -3.1, "pain": -2.3, "tragedy": -3.0, "cruelty": -2.9}  # fmt: skip


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("horreur", "horror"),
        ("glorieux", "glorious"),
        ("furieux", "furious"),
        ("catastrophe", "catastrophe"),
        ("adorer", "adore"),
        ("détester", "detest"),
        ("tragédie", "tragedy"),
        ("cruauté", None),
    ],
)
def test_cognates_by_spelling(french: str, english: str | None) -> None:
    lexicon = cognate_lexicon([french], ENGLISH)
    assert lexicon.get(french) == (ENGLISH[english] if english else None)


def test_short_words_and_names_are_left_out() -> None:
    # "pain" is bread in French: short false friends are why short words are skipped
    assert cognate_lexicon(["pain", "Horreur", "horreur"], ENGLISH) == {"horreur": -2.8}


def test_the_word_itself_comes_first() -> None:
    assert english_candidates("Détester")[0] == "detester"


def test_the_mapped_lexicon_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIVALSCOPE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cognates, "dictionary_lemmas", lambda language: ["horreur", "pain"])
    calls: list[int] = []

    def english() -> dict[str, float]:
        calls.append(1)
        return ENGLISH

    first = cognates.cached_cognate_lexicon("fr", "test-1", english)
    again = cognates.cached_cognate_lexicon("fr", "test-1", english)
    assert first == again == {"horreur": -2.8}
    assert len(calls) == 1 and list(tmp_path.rglob("cognates-fr-test-1.json"))

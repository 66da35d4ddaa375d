"""Aspect matching on inflected forms, need extraction, sentence splitting (per language)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.analysis.errors import AnalysisInputError
from compare.analysis.needs import need_kind
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.text import lemmas, split_sentences, tokenize


def aspects_of(sentence: str, language: str, extra: Path | None = None) -> set[str]:
    taxonomy = load_taxonomy(extra)
    return {a for a, _ in taxonomy.match(lemmas(tokenize(sentence), language), language)}


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("pl", "Czekałem na dostawę dwa tygodnie.", {"delivery"}),
        ("pl", "Jestem zadowolony z dostawy i z ceny.", {"delivery", "price"}),
        (
            "pl",
            "Kurier z dostawą spóźnił się, obsługa klienta milczy.",
            {"delivery", "customer_service"},
        ),
        ("pl", "Reklamację rozpatrzono szybko.", {"returns"}),
        ("no", "Leveringen tok altfor lang tid.", {"delivery"}),
        ("no", "Leveransen kom fram i god stand.", {"delivery"}),
        ("no", "Kundeservicen var hjelpsom, prisen grei.", {"customer_service", "price"}),
        ("no", "Leveringstiden var kort.", {"delivery"}),
        ("fr", "Les livraisons sont toujours en retard.", {"delivery"}),
        ("fr", "Le service client était injoignable.", {"customer_service"}),
        ("fr", "Remboursement obtenu sans problème.", {"returns"}),
        ("en", "Deliveries were late and the prices too high.", {"delivery", "price"}),
        ("en", "The customer service agent was rude.", {"customer_service"}),
        ("en", "It broke after a week.", {"quality"}),
        ("en", "Lovely colours.", set()),
    ],
)
def test_aspects_match_inflected_forms(language: str, sentence: str, expected: set[str]) -> None:
    assert aspects_of(sentence, language) == expected


def test_user_taxonomy_merges_new_aspect(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[aspect.battery]\nlabel = "Battery"\nen = ["battery"]\nno = ["batteri"]\n')
    assert aspects_of("The batteries die fast.", "en", extra) == {"battery"}
    assert aspects_of("Batteriet varer lenge.", "no", extra) == {"battery"}
    assert aspects_of("Fast delivery.", "en", extra) == {"delivery"}


@pytest.mark.parametrize("content", ["not toml [", "[aspect]\n", '[aspect.x]\nen = "price"\n'])
def test_bad_taxonomy_file_is_a_user_error(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    with pytest.raises(AnalysisInputError, match=r"bad\.toml"):
        load_taxonomy(bad)


@pytest.mark.parametrize(
    ("language", "sentence", "kind"),
    [
        ("en", "I wish the app had a dark mode.", "wish"),
        ("en", "Would be nice if they offered free returns.", "wish"),
        ("en", "The manual is missing.", "missing"),
        ("en", "Please add PayPal at checkout.", "request"),
        ("fr", "J'aimerais une livraison le samedi.", "wish"),
        ("fr", "Ce serait bien d'avoir un suivi du colis.", "wish"),
        ("fr", "Il manque une notice en français.", "missing"),
        ("pl", "Brakuje instrukcji po polsku.", "missing"),
        ("pl", "Chciałbym płacić BLIKiem.", "wish"),
        ("pl", "Chciałabym szybszej dostawy.", "wish"),
        ("pl", "Przydałaby się aplikacja mobilna.", "request"),
        ("no", "Jeg savner en app.", "missing"),
        ("no", "Skulle ønske leveringen var raskere.", "wish"),
        ("no", "Jeg ønsker meg flere farger.", "wish"),
        ("no", "Det hadde vært fint med gratis frakt.", "wish"),
        ("en", "Great shop, fast delivery.", None),
        ("pl", "Wszystko w porządku.", None),
    ],
)
def test_need_kinds(language: str, sentence: str, kind: str | None) -> None:
    assert need_kind(sentence, language) == kind


def test_sentences_split_on_end_marks_and_lines() -> None:
    assert split_sentences("Great!  Fast delivery... Would buy again?\nYes") == [
        "Great!",
        "Fast delivery...",
        "Would buy again?",
        "Yes",
    ]
    assert split_sentences("   ") == []

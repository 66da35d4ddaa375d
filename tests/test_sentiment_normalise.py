"""Lexicon fallbacks read informal spellings: letters repeated for emphasis, missing accents."""

from __future__ import annotations

import pytest

from compare.analysis.sentiment import normalise
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_scores
from compare.analysis.sentiment.lexicon_features import lexicon_channels, lookup_words
from compare.analysis.sentiment.normalise import lexicon_tokens


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        # missing accents: the lexicon's word spelt the same without them
        ("fr", "Le livreur était genial", POSITIVE),
        ("fr", "Franchement decevant", NEGATIVE),
        ("fr", "Un accueil tres desagreable", NEGATIVE),
        # letters repeated for emphasis, also without the accents
        ("fr", "Une livraison nulllle", NEGATIVE),
        ("fr", "Produit geniaaaal", POSITIVE),
        ("no", "Helt elendiiig", NEGATIVE),
        ("en", "Baaaad service", NEGATIVE),
        ("en", "The coffee was awfullll", NEGATIVE),
    ],
)
def test_fallback_reads_informal_spellings(language: str, text: str, label: str) -> None:
    assert lexicon_scores([text], language)[0][1] == label


@pytest.mark.parametrize(
    ("language", "text", "tokens"),
    [
        ("fr", "Trooop génialllll", ["trop", "génial"]),
        ("fr", "Vraiment decu", ["vraiment", "déçu"]),
        ("pl", "Lekarz bardzo zyczliwy", ["lekarz", "bardzo", "życzliwy"]),
        ("pl", "To była porazka", ["to", "była", "porażka"]),
        # "ł" written "l" (a letter of its own, which Unicode does not decompose)
        ("pl", "Lekarz bardzo mily", ["lekarz", "bardzo", "miły"]),
        ("no", "Kaffen er kjempegoood", ["kaffen", "er", "kjempegod"]),
        ("en", "Sooooo good", ["so", "good"]),
        # a word of the language is read as itself, not as the lexicon's accented word:
        # "sur" (on) is no "sûr" (sure), "passe" (passes) no "passé"
        ("fr", "Posé sur la table", ["posé", "sur", "la", "table"]),
        ("fr", "Il passe devant", ["il", "passe", "devant"]),
        # neither a word of the language nor of a lexicon: left as written
        ("fr", "Brrrmpf alors", ["brrrmpf", "alors"]),
    ],
)
def test_tokens_are_read_as_the_lexicon_spells_them(
    language: str, text: str, tokens: list[str]
) -> None:
    words = lookup_words(lexicon_channels(language))
    assert lexicon_tokens(text, language, words)[0] == tokens


def test_an_elongated_word_weighs_more() -> None:
    plain, stressed = lexicon_scores(["Un service génial", "Un service génialllll"], "fr")
    assert stressed[0] > plain[0] > 0


@pytest.mark.parametrize(
    ("text", "tokens", "stressed"),
    [
        # hashtags split at their capitals, or into dictionary words
        ("#PasContent du tout", ["pas", "content", "du", "tout"], []),
        ("#jadore ce café", ["j", "adore", "ce", "café"], []),
        # a word in capitals is stressed, unless the whole text is in capitals
        ("Le service est NUL", ["le", "service", "est", "nul"], ["nul"]),
        ("LE SERVICE EST NUL", ["le", "service", "est", "nul"], []),
    ],
)
def test_rules_measured_and_left_out_still_work(
    text: str, tokens: list[str], stressed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(normalise, "STEPS", normalise.RULES)
    found, emphasis = lexicon_tokens(text, "fr", lookup_words(lexicon_channels("fr")))
    assert found == tokens
    assert [t for t, e in zip(found, emphasis, strict=True) if e] == stressed

"""Fixed multi-word opinion phrases in the lexicons (issue #17): found as units on forms or
lemmas (``lexicon_features.phrase_spans``), their valence in place of their words', negated
as a unit."""

from __future__ import annotations

import pytest

from compare.analysis.sentiment.features import CLAUSE_BREAK
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_scores
from compare.analysis.sentiment.lexicon_features import (
    _negation_sets,
    lexicon_channels,
    lexicon_counts,
    load_lexicon,
    phrase_index,
    phrase_spans,
    unscoped_negations,
)
from compare.analysis.sentiment.normalise import sentiment_tokens
from compare.analysis.text import lemma


def _phrases(text: str, language: str) -> list[str]:
    tokens = sentiment_tokens(text)
    negations, post_negations = _negation_sets(language)
    index = phrase_index(lexicon_channels(language), language)
    lemmas = [lemma(token, language) for token in tokens]
    stops = negations | post_negations | {CLAUSE_BREAK}
    return [key for _, _, key in phrase_spans(tokens, lemmas, index, stops)]


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("fr", "La finition laisse à désirer", ["laisser * à désirer"]),
        ("fr", "Les finitions laissent vraiment à désirer", ["laisser * à désirer"]),
        ("fr", "Le service ne laisse rien à désirer", ["laisser rien à désirer"]),
        # the optional word is no negation: "pas" does not stand in for "vraiment"
        ("fr", "Le service ne laisse pas à désirer", []),
        ("fr", "Le son est pas terrible", ["pas terrible"]),
        ("fr", "Le bruit est terrible", []),
        ("fr", "Mon casque marche plus", ["marche plus"]),
        ("fr", "Mon casque ne marche plus", ["ne marche plus"]),
        ("fr", "La machine marche très bien", []),
        ("fr", "Ca vaut pas le coup", ["valoir pas le coup"]),
        ("fr", "Ça vaut vraiment le coup", ["valoir * le coup"]),
        ("en", "The packaging could be better", ["could * be better"]),
        ("en", "It couldn't be better", ["couldn't * be better"]),
        ("en", "Much better than my old one", []),
        ("en", "The handle fell apart", ["fall apart"]),
        ("en", "The finish leaves a lot to be desired", ["leave a lot to be desired"]),
        # a clause ends the phrase's chance
        ("en", "Could, be better", []),
        ("no", "Ikke noe å skrive hjem om", ["ikke noe å skrive hjem om"]),
        ("no", "Kvaliteten lar mye tilbake å ønske", ["la * tilbake å ønske"]),
        ("no", "Jeg skrev hjem om det", []),
        ("pl", "Szkoda pieniędzy na ten toster", ["szkoda pieniędzy"]),
        ("pl", "szkoda pieniedzy", ["szkoda pieniędzy"]),  # no accents
        ("pl", "Specjalnie zapłaciłem za wysyłkę", []),
        ("pl", "Nic specjalnego, zwykły kubek", ["nic specjalnego"]),
    ],
)
def test_phrases_are_found_on_forms_and_lemmas(language: str, text: str, found: list[str]) -> None:
    assert _phrases(text, language) == found


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        # a phrase's valence replaces its words': "désirer", "better", "terrible" no more
        ("fr", "La finition laisse à désirer.", NEGATIVE),
        ("fr", "L'emballage ne laisse rien à désirer.", POSITIVE),
        ("fr", "Le son est pas terrible.", NEGATIVE),
        # "ne" before a phrase with its own negation flips nothing
        ("fr", "Ce n'est pas terrible.", NEGATIVE),
        ("fr", "Mon casque marche plus depuis hier.", NEGATIVE),
        ("fr", "Mon casque ne marche plus.", NEGATIVE),
        ("en", "The packaging could be better.", NEGATIVE),
        ("en", "Couldn't be happier with this kettle.", POSITIVE),
        ("en", "Honestly nothing to write home about.", NEGATIVE),
        ("no", "Ikke noe å skrive hjem om.", NEGATIVE),
        ("no", "Ingenting å utsette på den.", POSITIVE),
        # a phrase without a negation of its own is negated as a word
        ("no", "Han er ikke til å stole på.", NEGATIVE),
        ("no", "Butikken er til å stole på.", POSITIVE),
    ],
)
def test_the_fallbacks_read_a_phrase_as_a_unit(language: str, text: str, label: str) -> None:
    assert lexicon_scores([text], language)[0][1] == label


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Nic specjalnego.", -1),
        ("Szkoda pieniędzy.", -1),
        ("Jakość pozostawia wiele do życzenia.", -1),
        ("Obsługa na medal.", 1),
        ("Nie ma się do czego przyczepić.", 1),
    ],
)
def test_polish_phrases_count_in_the_seed_sums(text: str, sign: int) -> None:
    positive, negative = lexicon_counts(("seed-pl",), "pl", [sentiment_tokens(text)]).toarray()[0]
    assert (positive - negative) * sign > 0


def test_a_negation_inside_a_phrase_is_no_unscoped_complaint() -> None:
    channels = lexicon_channels("no")
    read = [sentiment_tokens("Ingenting å utsette på den.")]
    assert unscoped_negations(channels, "no", read).tolist() == [0.0]


def test_english_phrases_count_with_vader_words_and_stay_out_of_the_french_cognates() -> None:
    assert load_lexicon("vader-en")["could * be better"] < 0
    assert not [word for word in load_lexicon("cognate-fr") if " " in word]

"""The analysis shortcuts give what the plain definitions give: tokens from a text lower-cased
once, clause cutting skipped when no contrast word occurs, one scan for needs, per-lemma
aspect hits, and key phrases cut short."""

from __future__ import annotations

import pytest

from compare.analysis.keyphrases import candidate_phrases
from compare.analysis.need_phrases import need_kind
from compare.analysis.need_topics import need_topic
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.text import (
    _TOKEN,
    lemmas,
    split_clauses,
    split_sentences,
    split_units,
    tokenize,
)


@pytest.mark.parametrize(
    "text",
    [
        "Great PRODUCT, fast Delivery!",
        "İstanbul'da ÇOK güzel",  # "İ" lower-cases to two characters
        "ΟΔΟΣ.Α and ΣΟΦΟΣ",  # final sigma depends on what follows
        "Straße GROSS ẞ naïve CAFÉ",
        "don't-care It’s L'ÉTÉ",
        "ǅemal Ⓐⓑ Ⅻ",
        "",
    ],
)
def test_tokens_are_the_lower_cased_matches(text: str) -> None:
    assert tokenize(text) == [t.lower() for t in _TOKEN.findall(text)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Fast delivery. Good price but the lid cracked. Great!"),
        ("en", "Fast delivery BUT the lid cracked, HOWEVER support helped."),
        ("en", "But this starts a sentence. And butter is not a contrast."),
        ("en", "Nothing to cut here. Nice."),
        ("no", "Rask levering,men lokket sprakk.\nMen ellers bra"),
        ("fr", "Livraison rapide mais SAV nul. Bien que cher, top."),
        ("pl", "Szybka dostawa, ale obsługa fatalna."),
        ("de", "Schnell, aber teuer."),
        (None, "Fast, but expensive."),
    ],
)
def test_units_are_the_sentences_cut_into_clauses(language: str | None, text: str) -> None:
    expected = [c for s in split_sentences(text) for c in split_clauses(s, language)]
    assert split_units(text, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence", "kind"),
    [
        # the first kind in the list wins wherever the kinds match
        ("en", "It is missing a timer, I wish it had one.", "wish"),
        ("en", "Never again, please add a timer.", "request"),
        ("en", "Never again.", "complaint"),
        ("en", "Great coffee.", None),
        ("pl", "Brakuje timera, chciałbym go mieć.", "wish"),
        ("pl", "Nie polecam, brakuje opcji.", "missing"),
        ("fr", "Il manque un minuteur, j’aimerais en avoir un.", "wish"),
        ("no", "Mangler timer, skulle ønske den hadde.", "wish"),
        ("de", "Ich wünschte, es gäbe einen Timer.", None),
    ],
)
def test_need_kind_follows_the_kind_order(language: str, sentence: str, kind: str | None) -> None:
    assert need_kind(sentence, language) == kind


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        (
            "The customer service was slow, the customer was angry and the price high.",
            [("customer_service", "customer service"), ("price", "price")],
        ),
        (
            "Easy to use and well made, good value for money.",
            [("usability", "easy to use"), ("quality", "well made"), ("price", "value for money")],
        ),
        (
            "Price, delivery, price again and customer support.",
            [("price", "price"), ("delivery", "delivery"), ("customer_service", "support")],
        ),
        # the words of a multi-word term are not matched on their own
        ("The build quality is poor.", [("quality", "build quality")]),
        ("Delivery.", [("delivery", "delivery")]),
        ("Lovely colours.", []),
        # "complaint" is criticism of anything, not a returns claim
        ("My only complaint is the short cord.", []),
        ("I asked for a refund.", [("returns", "refund")]),
    ],
)
def test_aspects_in_order_of_first_mention(sentence: str, found: list[tuple[str, str]]) -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.match(lemmas(tokenize(sentence), "en"), "en") == found


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The water tank leaks and the steam wand is weak, sadly."),
        ("fr", "Le réservoir fuit, la buse vapeur est faible."),
        ("en", "a an the"),
        ("en", ""),
    ],
)
@pytest.mark.parametrize("limit", [0, 1, 2, 5])
def test_key_phrases_cut_short_are_the_first_ones(language: str, sentence: str, limit: int) -> None:
    tokens = tokenize(sentence)
    sentence_lemmas = lemmas(tokens, language)
    everything = candidate_phrases(tokens, sentence_lemmas, language)
    assert candidate_phrases(tokens, sentence_lemmas, language, limit) == everything[:limit]


@pytest.mark.parametrize(
    ("language", "sentence", "topic"),
    [
        ("en", "I wish the steam wand were longer.", "milk frother"),
        ("en", "I wish the wand were longer.", "wand"),
        ("fr", "Il manque un mode d'emploi.", "manual"),
    ],
)
def test_need_topic_phrases(language: str, sentence: str, topic: str) -> None:
    tokens = tokenize(sentence)
    assert need_topic(tokens, lemmas(tokens, language), language) == topic


@pytest.mark.parametrize(
    ("language", "sentence", "phrases"),
    [
        ("en", "Unfortunately the lid leaks.", ["lid leak", "lid", "leak"]),
        ("pl", "Niestety pokrywka przecieka.", ["pokrywka przeciekać", "pokrywka", "przeciekać"]),
        ("no", "Dessverre lekker lokket.", ["lekk lokk", "lekk", "lokk"]),
        ("fr", "Malheureusement le couvercle fuit.", ["couvercle fuir", "couvercle", "fuir"]),
    ],
)  # fmt: skip
def test_a_sentence_adverb_is_no_part_of_a_key_phrase(
    language: str, sentence: str, phrases: list[str]
) -> None:
    tokens = tokenize(sentence)
    assert candidate_phrases(tokens, lemmas(tokens, language), language) == phrases

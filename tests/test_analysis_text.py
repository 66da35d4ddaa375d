"""Aspect matching on inflected forms, need extraction, sentence splitting (per language)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.analysis.input_errors import AnalysisInputError
from compare.analysis.need_phrases import need_kind
from compare.analysis.need_topics import need_topic
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.text import lemmas, split_clauses, split_sentences, tokenize


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
        # "łatwy w obsłudze" is easy to operate, not a word on customer service ("obsługa")
        ("pl", "Bardzo łatwy w obsłudze i w czyszczeniu.", {"usability"}),
        ("pl", "Wygodna w obsłudze.", {"usability"}),
        ("pl", "Nikt w obsłudze klienta nie potrafił mi pomóc.", {"customer_service"}),
        ("pl", "Obsługa sklepu była miła.", {"customer_service"}),
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
        # "cheap" names price alone, but describes another aspect's noun beside it
        ("en", "Cheap and cheerful.", {"price"}),
        ("en", "The plastic feels cheap and the lid already cracked.", {"quality"}),
        ("en", "Cheap plastic, and the price was high anyway.", {"quality", "price"}),
        ("no", "Plasten føles billig og lokket har allerede sprukket.", {"quality"}),
        ("no", "Billig og god.", {"price"}),
        ("fr", "Le plastique fait bon marché.", {"quality"}),
        ("pl", "Tani plastik, pokrywka pękła.", {"quality"}),
        ("pl", "Bardzo tani i dobry.", {"price"}),
        # a verb of arriving names delivery unless its subject names another aspect
        ("en", "It arrived damaged.", {"delivery"}),
        ("en", "The refund arrived within three days.", {"returns"}),
        ("fr", "Le remboursement est arrivé en trois jours.", {"returns"}),
        ("fr", "Elle est arrivée cassée.", {"delivery", "quality"}),
        ("en", "It arrived late and broke after a week.", {"delivery", "quality"}),
        ("pl", "Zwrot pieniędzy dotarł po trzech dniach.", {"returns"}),
        ("pl", "Przesyłka dotarła szybko.", {"delivery"}),
        ("no", "Refusjonen kom frem etter tre dager.", {"returns"}),
        ("no", "Den ankom knust.", {"delivery"}),
        # the languages scored by translated lexicons name their aspects too
        ("de", "Die Lieferung war schnell, aber der Preis ist zu hoch.", {"delivery", "price"}),
        ("de", "Der Kundenservice hat nie geantwortet.", {"customer_service"}),
        ("de", "Nach zwei Wochen kaputt, schlechte Qualität.", {"quality"}),
        ("sv", "Leveransen tog två veckor och priset var för högt.", {"delivery", "price"}),
        ("sv", "Kundtjänst svarade aldrig på min reklamation.", {"customer_service", "returns"}),
        ("es", "El envío llegó tarde y el servicio fue pésimo.", {"delivery", "customer_service"}),
        ("it", "La consegna è stata veloce, ottimo prezzo.", {"delivery", "price"}),
        ("nl", "De bezorging was snel en de kwaliteit is goed.", {"delivery", "quality"}),
        # "easy", "difficult" judge what the clause names; alone they judge its use
        ("no", "Enkel retur og rask levering.", {"returns", "delivery"}),
        ("pl", "Łatwy zwrot, szybka dostawa.", {"returns", "delivery"}),
        ("fr", "Retour facile.", {"returns"}),
        ("en", "Easy returns, no questions asked.", {"returns"}),
        ("sv", "Svår att få tag på kundtjänst.", {"customer_service"}),
        ("en", "It is easy to set up and easy to use.", {"usability"}),
        ("no", "Veldig enkel å bruke.", {"usability"}),
        ("pl", "Bardzo łatwy.", {"usability"}),
    ],
)
def test_aspects_match_inflected_forms(language: str, sentence: str, expected: set[str]) -> None:
    assert aspects_of(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence", "kind"),
    [
        ("sv", "Jag saknar en timer.", "missing"),
        ("sv", "Det hade varit bra med en större tank.", "wish"),
        ("de", "Leider fehlt eine Warmhaltefunktion.", "missing"),
        ("de", "Schade, dass es keinen Timer gibt.", "wish"),
        ("de", "Nie wieder bei diesem Shop.", "complaint"),
        ("nl", "Jammer dat er geen timer op zit.", "wish"),
        ("es", "Me gustaría que tuviera un temporizador.", "wish"),
        ("es", "Falta un temporizador.", "missing"),
        ("it", "Manca il timer.", "missing"),
        ("it", "Per favore aggiungete un timer.", "request"),
        ("de", "Die Kaffeemaschine ist gut.", None),
        ("sv", "Kaffet är gott.", None),
    ],
)
def test_needs_in_the_languages_read_by_translated_lexicons(
    language: str, sentence: str, kind: str | None
) -> None:
    assert need_kind(sentence, language) == kind


@pytest.mark.parametrize(
    ("name", "aspects"),
    [
        ("dostawa", ["delivery"]),
        ("Livraison", ["delivery"]),
        ("kundeservice", ["customer_service"]),
        ("obsługa klienta", ["customer_service"]),
        ("cena", ["price"]),
        ("customer service", ["customer_service"]),
        ("the", []),
        ("", []),
    ],
)
def test_aspects_named_in_any_language(name: str, aspects: list[str]) -> None:
    assert load_taxonomy().aspects_named(name) == aspects


def test_user_taxonomy_merges_new_aspect(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[aspect.battery]\nlabel = "Battery"\nen = ["battery"]\nno = ["batteri"]\n')
    assert aspects_of("The batteries die fast.", "en", extra) == {"battery"}
    assert aspects_of("Batteriet varer lenge.", "no", extra) == {"battery"}
    assert aspects_of("Fast delivery.", "en", extra) == {"delivery"}


def test_user_taxonomy_weak_term_yields_to_another_aspect(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[aspect.battery]\nen = ["battery", "~weak"]\n')
    assert aspects_of("It feels weak.", "en", extra) == {"battery"}
    assert aspects_of("The delivery was weak.", "en", extra) == {"delivery"}
    assert aspects_of("Weak battery, slow delivery.", "en", extra) == {"battery", "delivery"}


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


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Great! :)", ["Great! :)"]),
        ("Great! :) Fast delivery.", ["Great! :)", "Fast delivery."]),
        (
            "Colis arrivé cassé... :( :(\nJamais plus.",
            ["Colis arrivé cassé... :( :(", "Jamais plus."],
        ),
        ("Super levering! 👍🏽 Anbefales.", ["Super levering! 👍🏽", "Anbefales."]),
        ("Polecam.\n❤️", ["Polecam. ❤️"]),
        # a face opening the text, or one inside a sentence, stays where it is
        (":) Great. Thanks", [":) Great.", "Thanks"]),
        ("Nice :) fast. Thanks", ["Nice :) fast.", "Thanks"]),
    ],
)
def test_faces_after_a_sentence_end_belong_to_that_sentence(
    text: str, sentences: list[str]
) -> None:
    """Issue #17: "Great! :)" was two sentences, the face one of its own."""
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("language", "sentence", "topic"),
    [
        ("en", "A programmable timer would be nice.", "timer"),
        ("fr", "J'aimerais une application pour la piloter.", "app"),
        ("fr", "Il manque une appli mobile.", "app"),
        ("pl", "Przydałaby się aplikacja na telefon.", "app"),
        ("pl", "Brakuje polskiej instrukcji.", "manual"),
        ("no", "Skulle ønske den var stillere.", "quieter"),
        ("no", "Den kunne godt vært mindre bråkete.", "quieter"),
        ("en", "I wish the grinder had more settings.", "grinder"),  # no bundled topic: head
        ("fr", "Il manque un couvercle en verre.", "couvercle"),
        ("pl", "Brakuje uchwytu na kubek.", "uchwyt"),  # lemma of the inflected form
        ("en", "I wish.", None),
        ("de", "Leider fehlt ein Timer.", "timer"),
        ("sv", "Jag saknar en app.", "app"),
        ("es", "Me gustaría un depósito más grande.", "water tank"),
        ("it", "Manca il montalatte.", "milk frother"),
        ("nl", "Jammer dat er geen timer op zit.", "timer"),
        ("de", "Schade, dass die Maschine so laut ist.", "quieter"),
    ],
)
def test_need_topics(language: str, sentence: str, topic: str | None) -> None:
    tokens = tokenize(sentence)
    assert need_topic(tokens, lemmas(tokens, language), language) == topic


@pytest.mark.parametrize(
    ("language", "sentence", "clauses"),
    [
        ("en", "Fast delivery but the lid cracked.", ["Fast delivery", "but the lid cracked."]),
        ("no", "Rask levering, men lokket sprakk.", ["Rask levering", "men lokket sprakk."]),
        ("pl", "Szybka dostawa, ale obsługa fatalna.", ["Szybka dostawa", "ale obsługa fatalna."]),
        ("fr", "Livraison rapide mais SAV nul.", ["Livraison rapide", "mais SAV nul."]),
        ("en", "Good but slow.", ["Good but slow."]),  # too short to stand alone
        ("pt", "Rápido, mas caro.", ["Rápido, mas caro."]),  # no list: unchanged
        (
            "de",
            "Schnelle Lieferung, aber der Deckel ist gebrochen.",
            ["Schnelle Lieferung", "aber der Deckel ist gebrochen."],
        ),
        ("sv", "Snabb leverans men locket sprack.", ["Snabb leverans", "men locket sprack."]),
    ],
)
def test_contrast_clauses(language: str, sentence: str, clauses: list[str]) -> None:
    assert split_clauses(sentence, language) == clauses


def test_lemma_store_answers_like_simplemma(tmp_path: Path) -> None:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    from compare.analysis.lemma_store import SqliteLemmaMap, _build

    _build("en", tmp_path / "en.sqlite")
    stored = SqliteLemmaMap(tmp_path / "en.sqlite")
    original = DefaultDictionaryFactory().get_dictionary("en")
    for word in ("deliveries", "broke", "quieter", "parcels", "notaword"):
        assert stored.get(word) == original.get(word)
    assert len(stored) == len(original) and "deliveries" in stored


@pytest.mark.parametrize(
    ("language", "sentence", "topic"),
    [
        # The cue's own words ("complaint", "complain") are never the topic ...
        ("en", "My only complaint is the short power cord.", "cord"),
        ("en", "Some people complain about the scroll wheel.", "wheel"),
        # ... nor a sentence adverb or a clause before the cue: the object sits beside it.
        ("en", "Unfortunately, the phone does not offer voice dialing.", "dial"),
        ("en", "Although I like it, it lacks a carrying case.", "case"),
        # Nothing after the cue: the object is before it.
        ("en", "A programmable timer would be nice.", "timer"),
        ("en", "The glass lid is missing.", "lid"),
        ("en", "I wish the grinder had more settings.", "grinder"),
        ("no", "Dessverre mangler den et lokk.", "lokk"),
        ("pl", "Niestety brakuje uchwytu na kubek.", "uchwyt"),
        ("fr", "Malheureusement il manque un couvercle.", "couvercle"),
        ("en", "I wish.", None),
    ],
)  # fmt: skip
def test_need_topics_are_read_beside_the_cue_of_the_sentence(
    language: str, sentence: str, topic: str | None
) -> None:
    from compare.analysis.review import ReviewInput, analyze_reviews
    from compare.analysis.sentiment.scorer import SentimentScorer
    from compare.analysis.taxonomy import load_taxonomy

    review = ReviewInput(1, 1, sentence, language=language)
    (result,) = analyze_reviews([review], SentimentScorer(None), load_taxonomy())
    (found,) = result.sentences
    assert found.need is not None
    assert found.need_topic == topic


@pytest.mark.parametrize(
    ("language", "sentence", "phrase"),
    [
        ("de", "Die Lieferung war sehr schnell und die Kaffeemaschine ist super.", "lieferung"),
        ("sv", "Leveransen var väldigt snabb och kaffebryggaren är bra.", "kaffebryggare"),
        ("es", "La entrega fue muy rápida y la cafetera es buena.", "cafetera"),
    ],
)
def test_key_phrases_of_the_newer_languages_leave_their_function_words_out(
    language: str, sentence: str, phrase: str
) -> None:
    from compare.analysis.keyphrases import candidate_phrases

    tokens = tokenize(sentence)
    found = candidate_phrases(tokens, lemmas(tokens, language), language)
    assert phrase in found
    assert not {"und", "och", "y", "die", "la", "var", "fue", "war"} & {
        word for candidate in found for word in candidate.split()
    }, found


def _needs(language: str, text: str) -> list[tuple[str | None, str | None]]:
    from compare.analysis.review import ReviewInput, analyze_reviews
    from compare.analysis.sentiment.scorer import SentimentScorer
    from compare.analysis.taxonomy import load_taxonomy

    review = ReviewInput(1, 1, text, language=language)
    (result,) = analyze_reviews([review], SentimentScorer(None), load_taxonomy())
    return [(s.need, s.need_topic) for s in result.sentences]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        # a lack of nothing, or a negated lack
        ("en", "Nothing is missing."),
        ("pl", "Niczego nie brakuje."),
        ("no", "Mangler ingenting."),
        ("no", "Jeg savner ikke noe."),
        ("en", "I can't complain."),
        ("no", "Ingenting å klage på."),
        # a lack of a fault (a word the language's lexicons score negative): praise
        ("pl", "Polecam, brak problemów z dostawą."),
        ("pl", "Wady: brak."),
        # the cue alone names nothing lacking
        ("pl", "Brak."),
    ],
)  # fmt: skip
def test_a_lack_of_nothing_or_of_a_fault_is_no_need(language: str, sentence: str) -> None:
    """ "Wady: brak" (cons: none), "brak problemów" (no problems), "mangler ingenting"
    (nothing is missing) were counted as missing features, with "wada", "problem" or
    "ingenting" as the unmet need."""
    assert _needs(language, sentence) == [(None, None)]


@pytest.mark.parametrize(
    ("language", "sentence", "need"),
    [
        ("pl", "Brak instrukcji.", ("missing", "manual")),
        ("en", "Lack of instructions.", ("missing", "manual")),
        ("no", "Mangel på bruksanvisning.", ("missing", "manual")),
        # "lack of X" in the languages that had no such phrase
        ("fr", "Absence de notice.", ("missing", "manual")),
        ("sv", "Brist på instruktioner.", ("missing", "manual")),
        ("sv", "Avsaknad av instruktioner.", ("missing", "manual")),
        ("de", "Mangel an Anleitung.", ("missing", "manual")),
        ("nl", "Gebrek aan instructies.", ("missing", "manual")),
        ("it", "Mancanza di istruzioni.", ("missing", "manual")),
        # kept: a cue with a negation of its own, a lack named after a clause of its own
        ("fr", "Je ne reviendrai plus jamais.", ("complaint", "revenir")),
        ("en", "No lid, and the handle is missing.", ("missing", "lid")),
        ("en", "It does not have a timer.", ("missing", "timer")),
    ],
)  # fmt: skip
def test_lack_of_x_is_a_missing_feature_in_each_language(
    language: str, sentence: str, need: tuple[str, str]
) -> None:
    assert _needs(language, sentence) == [need]

"""Lexicon features of the sentiment classifier: VADER-style rules on our tokens, the
channels per language, and what they add to a model trained on very little data."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

import compare.analysis
from compare.analysis.sentiment.classifier import ClassifierSettings, train_classifier
from compare.analysis.sentiment.features import elided_negation
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_scores
from compare.analysis.sentiment.lexicon_features import (
    CHANNELS,
    NEGATED_CHANNEL,
    dense_lexicon_features,
    lexicon_channels,
    lexicon_counts,
    load_lexicon,
    unscoped_negations,
)
from compare.analysis.sentiment.normalise import clause_tokens
from compare.analysis.text import tokenize


def _sums(text: str, language: str, channel: str) -> tuple[float, float]:
    row = lexicon_counts((channel,), language, [tokenize(text)]).toarray()[0]
    return float(row[0]), float(row[1])


@pytest.mark.parametrize(
    ("language", "channel", "text", "sign"),
    [
        ("en", "vader-en", "The screen is good", 1),
        ("en", "vader-en", "The screen is not good", -1),
        ("en", "vader-en", "It isn't good at all", -1),
        ("en", "vader-en", "Never good", -1),
        ("en", "vader-en", "The screen is bad", -1),
        ("en", "vader-en", "The screen is not bad", 1),
        ("en", "vader-en", "The battery is good but the screen is awful", -1),
        ("en", "vader-en", "The battery is awful but the screen is good", 1),
        ("en", "vader-en", "The battery is bad", -1),
        ("fr", "pattern-fr", "Le café est bon", 1),
        ("fr", "pattern-fr", "Le café n'est pas bon", -1),
        ("fr", "pattern-fr", "Le café est mauvais", -1),
        ("fr", "seed-fr", "Livraison rapide, je recommande", 1),
        ("fr", "seed-fr", "Quelle arnaque, je suis déçu", -1),
        ("fr", "seed-fr", "Je ne recommande pas", -1),
        # a negation after the finite verb it negates: "ne" dropped or elided into the verb
        ("fr", "seed-fr", "J'aime pas ce café", -1),
        ("fr", "seed-fr", "Je n'apprécie pas ce service", -1),
        ("fr", "seed-fr", "Le café est bon, pas cher", 1),
        # feminine forms of seed adjectives simplemma reads as another word (a noun, a verb)
        ("fr", "seed-fr", "Une livraison lente", -1),
        ("fr", "seed-fr", "La boîte est arrivée abîmée", -1),
        ("fr", "seed-fr", "Une vendeuse malpolie", -1),
        # nouns and verbs Pattern's French adjectives lack, through their English cognates
        ("fr", "cognate-fr", "Une vraie catastrophe", -1),
        ("fr", "cognate-fr", "Le service était une horreur", -1),
        ("fr", "cognate-fr", "Un service glorieux", 1),
        # nouns and verbs of VADER's lexicon translated to French (vaderSentiment_fr)
        ("fr", "vader-fr", "Ils nous ont volés", -1),
        ("fr", "vader-fr", "Une vraie escroquerie", -1),
        ("fr", "vader-fr", "Ce n'est pas une escroquerie", 1),
        ("fr", "vader-fr", "Ça marche à merveille", 1),
        ("no", "afinn-da", "Kaffen er god", 1),
        ("no", "afinn-da", "Kaffen er ikke god", -1),
        ("no", "afinn-da", "Leveringen var dårlig", -1),
        ("da", "afinn-da", "Kaffen er ikke dårlig", 1),
        ("no", "seed-no", "Kjempebra kaffe og rask levering", 1),
        ("no", "seed-no", "Leveringen var ikke rask", -1),
        ("no", "seed-no", "Jeg anbefaler ikke denne kaffen", -1),
        # inflected forms reach the seed words through their lemmas
        ("pl", "seed-pl", "Dostawa była bardzo szybka", 1),
        ("pl", "seed-pl", "Obsługa była nieuprzejma i niekompetentna", -1),
        ("pl", "seed-pl", "Nie polecam", -1),
        ("pl", "seed-pl", "Produkt dobry, ale obsługa fatalna", -1),
    ],
)
def test_net_valence_sign(language: str, channel: str, text: str, sign: int) -> None:
    positive, negative = _sums(text, language, channel)
    assert np.sign(positive - negative) == sign


@pytest.mark.parametrize(
    ("language", "channel", "text", "sign"),
    [
        # "neither ... nor" negates: over faults it is praise, over praise a complaint
        ("pl", "seed-pl", "Ani głośny, ani drogi", 1),
        ("pl", "seed-pl", "Ani tani, ani wygodny", -1),
        ("fr", "seed-fr", "Ni bruyant ni cher", 1),
        ("fr", "seed-fr", "Ni rapide ni efficace", -1),
        ("en", "vader-en", "Neither ugly nor noisy", 1),
        ("en", "vader-en", "Neither good nor comfortable", -1),
        # "verken/hverken/varken/weder ... eller/noch": the first word's scope reaches both
        ("no", "seed-no", "Verken dyr eller tungvint", 1),
        ("no", "seed-no", "Verken pen eller praktisk", -1),
        ("da", "afinn-da", "Hverken dårlig", 1),
        ("sv", "seed-sv", "Varken dålig eller dyr", 1),
        ("de", "seed-de", "Weder schlecht noch teuer", 1),
        ("nl", "seed-nl", "Noch slecht noch duur", 1),
        # the cases of Polish "żaden" negate too (negations are read from tokens)
        ("pl", "seed-pl", "Żadnych usterek", 1),
        ("pl", "seed-pl", "Żadnego problemu", 1),
        ("pl", "seed-pl", "Żadnej awarii w ciągu roku", 1),
    ],
)
def test_neither_nor_words_negate(language: str, channel: str, text: str, sign: int) -> None:
    positive, negative = _sums(text, language, channel)
    assert np.sign(positive - negative) == sign


@pytest.mark.parametrize(
    ("language", "channel", "text", "sign"),
    [
        # complaint nouns are opinion words: negated they are praise, plain a complaint
        ("no", "seed-no", "Ingen innvendinger", 1),
        ("no", "seed-no", "Flere innvendinger", -1),
        ("no", "seed-no", "Aldri noe trøbbel", 1),
        ("fr", "seed-fr", "Aucune réclamation", 1),
        ("fr", "seed-fr", "Une réclamation déposée", -1),
        ("fr", "seed-fr", "Pas de bémol", 1),
        ("en", "vader-en", "No issues", 1),
        ("en", "vader-en", "Lots of issues", -1),
        ("en", "vader-en", "Not one glitch", 1),
        ("pl", "seed-pl", "Nie mam zastrzeżeń", 1),
        ("pl", "seed-pl", "Mam poważne zastrzeżenia", -1),
        ("pl", "seed-pl", "Obsługa bez zarzutów", 1),
        ("pl", "seed-pl", "Mam wiele zarzutów", -1),
        ("pl", "seed-pl", "Nie było niedociągnięć", 1),
        ("pl", "seed-pl", "Złożyłem skargę", -1),
        # "zero" negates what follows it: a complaint noun is praise, a praise word not
        ("pl", "seed-pl", "Zero problemów", 1),
        ("pl", "seed-pl", "Zero kłopotów z dostawą", 1),
        ("pl", "seed-pl", "Zero profesjonalizmu", -1),
    ],
)
def test_complaint_nouns_are_opinion_words(
    language: str, channel: str, text: str, sign: int
) -> None:
    positive, negative = _sums(text, language, channel)
    assert np.sign(positive - negative) == sign


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # shop-review words no French lexicon knew (seed_lexicon.toml's review vocabulary)
        ("Service client injoignable depuis une semaine", NEGATIVE),
        ("Suivi de commande inexistant", NEGATIVE),
        ("Travail bâclé", NEGATIVE),
        ("Je déconseille ce vendeur", NEGATIVE),
        ("Une vraie camelote", NEGATIVE),
        ("Tarifs exorbitants", NEGATIVE),
        ("Vendeur serviable", POSITIVE),
        ("Emballage nickel", POSITIVE),
        ("Finitions irréprochables", POSITIVE),
        ("Application fluide et intuitive", POSITIVE),
    ],
)
def test_french_fallback_reads_shop_review_words(text: str, label: str) -> None:
    assert lexicon_scores([text], "fr")[0][1] == label


def test_boosters_strengthen_and_dampeners_weaken() -> None:
    plain = _sums("the coffee is good", "en", "vader-en")[0]
    assert _sums("the coffee is very good", "en", "vader-en")[0] > plain
    assert _sums("the coffee is slightly good", "en", "vader-en")[0] < plain


def test_inflected_forms_are_found_through_lemmas() -> None:
    # "loved" is not in the lexicon as such; its lemma "love" is
    assert _sums("We loved it", "en", "vader-en")[0] > 0


@pytest.mark.parametrize(
    ("language", "channels"),
    [
        ("en", ("vader-en", "pattern-en")),
        ("fr", ("seed-fr", "pattern-fr", "cognate-fr", "vader-fr")),
        ("no", ("afinn-da", "seed-no")),
        ("da", ("afinn-da",)),
        ("pl", ("seed-pl",)),
        ("multi", ()),
        ("xx", ()),
    ],
)
def test_channels_per_language(language: str, channels: tuple[str, ...]) -> None:
    assert lexicon_channels(language) == channels


def test_dense_features_are_bounded_and_signed() -> None:
    sums = lexicon_counts(
        ("vader-en",), "en", [tokenize("great great great superb"), tokenize("awful"), []]
    )
    dense = dense_lexicon_features(sums).toarray()
    compound = dense[:, 0]
    assert 0 < compound[0] < 1
    assert -1 < compound[1] < 0
    assert compound[2] == 0
    assert dense.shape == (3, 3)


TINY_TRAIN = [
    ("good coffee", "positive"),
    ("good service", "positive"),
    ("the coffee was good", "positive"),
    ("bad coffee", "negative"),
    ("bad service", "negative"),
    ("the coffee was bad", "negative"),
]


@pytest.mark.parametrize("weight", [1.0, 0.0])
def test_lexicon_scores_opinion_words_the_training_data_never_had(weight: float) -> None:
    model = train_classifier(
        [t for t, _ in TINY_TRAIN],
        [label for _, label in TINY_TRAIN],
        "en",
        # words only: character n-grams would tell the unseen words apart by their letters
        ClassifierSettings(char_low=0, char_high=0, lexicon_weight=weight),
    )
    (superb, _, _), (dreadful, _, _) = model.score(
        ["the grinder is superb", "the grinder is dreadful"]
    )
    if weight:
        assert model.lexicon_channels == ("vader-en", "pattern-en", NEGATED_CHANNEL)
        assert superb > 0 > dreadful
    else:
        # without the lexicon the two unseen words look the same to the model
        assert model.lexicon_channels == ()
        assert superb == pytest.approx(dreadful)


def test_lexicon_model_survives_pickling_and_sums_sentence_rows() -> None:
    model = train_classifier(
        [t for t, _ in TINY_TRAIN], [label for _, label in TINY_TRAIN], "en", ClassifierSettings()
    )
    loaded = pickle.loads(pickle.dumps(model))
    sentences = [tokenize("Superb grinder."), tokenize("Dreadful delivery, not good.")]
    rows = loaded.token_counts(sentences)
    # the lexicon columns (two channels and the negated words') follow the words and add up
    # like the word counts do
    assert rows.shape[1] == len(loaded.vectorizer.vocabulary) + 6
    review = loaded.token_counts([sentences[0] + sentences[1]])
    np.testing.assert_allclose(
        (rows[0] + rows[1]).toarray()[:, -6:], review.toarray()[:, -6:], atol=1e-9
    )


def test_three_labels_train_and_give_each_class_a_probability() -> None:
    texts = [t for t, _ in TINY_TRAIN] + ["the box is brown", "it has a lid", "a coffee grinder"]
    labels = [label for _, label in TINY_TRAIN] + ["neutral"] * 3
    model = train_classifier(texts, labels, "en")
    assert sorted(model.classes) == ["negative", "neutral", "positive"]
    (polarity, label, confidence), *_ = model.score(["good coffee, good service"])
    assert label == "positive" and polarity > 0 and 0 < confidence <= 1


def test_the_shipped_french_lexicon_reads_as_french_valences() -> None:
    lexicon = load_lexicon("vader-fr")
    assert len(lexicon) > 8_000
    assert lexicon["excellent"] > 1.0 > 0.0 > -1.0 > lexicon["escroquerie"]
    assert all(len(word) >= 2 and " " not in word for word in lexicon)


def test_shipped_lexicons_sit_beside_their_licence() -> None:
    folder = Path(compare.analysis.__file__).parent / "data" / "lexicons"
    words = [p for p in sorted(folder.glob("*.txt")) if not p.name.endswith(".LICENCE.txt")]
    assert words, "no shipped lexicon"
    for path in words:
        assert path.with_name(f"{path.stem}.LICENCE.txt").is_file(), path.name
        header = [line for line in path.read_text("utf-8").splitlines() if line.startswith("#")]
        assert any(line.startswith("# Licence:") for line in header), path.name


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # French day one: opinion words only the translated VADER lexicon knows
        ("Ils nous ont volés", "negative"),
        ("Une vraie escroquerie", "negative"),
        ("Ça marche à merveille", "positive"),
    ],
)
def test_french_fallback_reads_translated_vader_words(text: str, label: str) -> None:
    (_, found, _), *_ = lexicon_scores([text], "fr")
    assert found == label


def test_every_language_s_lexicons_stay_loaded_while_others_are_read() -> None:
    # a batch of four languages reads every channel in turn: none may be parsed again
    loaded = {source: load_lexicon(source) for sources in CHANNELS.values() for source in sources}
    for language in CHANNELS:
        lexicon_channels(language)
    assert all(load_lexicon(source) is lexicon for source, lexicon in loaded.items())


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a negated event, no opinion word: a customer's complaint (it leaned positive)
        ("en", "The refund never came."),
        ("en", "The courier didn't ring the bell."),
        ("fr", "Le vendeur ne répond pas à mes messages."),
        ("de", "Die Bestellung ist nie angekommen."),
        ("nl", "De bestelling is nooit geleverd."),
        ("it", "Il pacco non è mai arrivato."),
        ("da", "Ordren kom aldrig frem."),
    ],
)
def test_fallback_reads_a_negated_event_as_a_complaint(language: str, text: str) -> None:
    (polarity, label, _), *_ = lexicon_scores([text], language)
    assert label == "negative" and polarity < 0


@pytest.mark.parametrize(
    ("language", "text", "count"),
    [
        ("fr", "Le vendeur ne répond pas à mes messages.", 1),  # "ne ... pas" counts once
        ("en", "It never arrived and nobody answers, no refund either.", 2),
        # a negation of an opinion word is the lexicons' rule, not a complaint of its own
        ("fr", "Ce n'est pas mauvais du tout.", 0),
        ("en", "Not bad at all.", 0),
        ("en", "The parcel came on Tuesday.", 0),
    ],
)
def test_unscoped_negations_count_negations_of_no_opinion_word(
    language: str, text: str, count: int
) -> None:
    found = unscoped_negations(lexicon_channels(language), language, [tokenize(text)])
    assert found.tolist() == [count]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Ce n'est pas mauvais du tout."),
        ("en", "Not bad at all."),
        ("en", "Never a problem."),
    ],
)
def test_fallback_still_reads_a_negated_complaint_word_as_praise(language: str, text: str) -> None:
    (_, label, _), *_ = lexicon_scores([text], language)
    assert label == "positive"


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        # praise said by negating a complaint, then an opinion of its own after a comma: the
        # negation's scope stops at the comma (it flipped "parfait" and "recommande")
        ("fr", "Rien à dire, parfait.", "positive"),
        ("fr", "Aucun problème, je recommande.", "positive"),
        ("fr", "Aucun regret, excellent achat.", "positive"),
        ("no", "Ingen problemer, anbefales.", "positive"),
        ("no", "Ingen feil, fungerer perfekt.", "positive"),
        ("en", "No complaints, works perfectly.", "positive"),
        ("en", "Never a problem; thanks!", "positive"),
        # a complaint after a negated event is no praise either
        ("fr", "Rien ne marche, très mauvaise expérience.", "negative"),
        ("no", "Ikke som beskrevet, skuffet.", "negative"),
        ("en", "Customer service never answers - terrible.", "negative"),
        # within a clause a negation still flips what follows it
        ("fr", "Je ne recommande pas.", "negative"),
        ("en", "Not good at all, sadly.", "negative"),
    ],
)
def test_fallback_negation_stops_at_the_end_of_its_clause(
    language: str, text: str, label: str
) -> None:
    (_, found, _), *_ = lexicon_scores([text], language)
    assert found == label


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Rien à dire, parfait.", ["rien", "à", "dire", ",", "parfait"]),
        (
            "No issues!! Fast (very) - thanks",
            ["no", "issues", ",", "fast", ",", "very", ",", "thanks"],
        ),
        ("Well-made; 4.5 stars", ["well-made", ",", "stars"]),
        ("plain words only", ["plain", "words", "only"]),
    ],
)
def test_clause_tokens_mark_clause_ends_once_and_never_at_the_ends(
    text: str, tokens: list[str]
) -> None:
    assert clause_tokens(text) == tokens


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # an elided "n'" negates what follows as "ne" does: "ne ... plus" with no "pas"
        ("Ce produit n'est plus fiable.", "negative"),
        ("Je n'achèterai plus jamais ici.", "negative"),
        ("Ce n’est plus efficace.", "negative"),  # typographic apostrophe
        ("Je ne suis plus satisfait.", "negative"),  # as "ne" did already
        ("N'importe quel modèle convient, parfait.", "positive"),  # "n'importe": "any"
    ],
)
def test_an_elided_ne_opens_a_negation_scope(text: str, label: str) -> None:
    (_, read, _), *_ = lexicon_scores([text], "fr")
    assert read == label


@pytest.mark.parametrize(
    ("token", "language", "negates"),
    [
        ("n'est", "fr", True),
        ("n’a", "fr", True),
        ("n'importe", "fr", False),
        ("nest", "fr", False),
        ("n'est", "en", False),  # no elided negation outside French
    ],
)
def test_elided_negation_is_french_n_apostrophe(token: str, language: str, negates: bool) -> None:
    assert elided_negation(token, language) is negates


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Le vendeur n'a jamais répondu.", 1),  # "n'... jamais" counts once
        ("Il n'y a personne au téléphone.", 1),  # "n'" alone now counts
    ],
)
def test_an_elided_ne_counts_once_as_an_unscoped_negation(text: str, count: int) -> None:
    found = unscoped_negations(lexicon_channels("fr"), "fr", [tokenize(text)])
    assert found.tolist() == [count]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Prix correct mais la qualité n'est pas au rendez-vous.", "negative"),
        ("La qualité n'est plus au rendez-vous.", "negative"),
        ("Le service client n'est pas à la hauteur.", "negative"),
        ("Qualité au rendez-vous pour ce prix.", "positive"),
        ("C'est du grand n'importe quoi.", "negative"),
    ],
)
def test_french_expectation_phrases(text: str, label: str) -> None:
    (_, read, _), *_ = lexicon_scores([text], "fr")
    assert read == label

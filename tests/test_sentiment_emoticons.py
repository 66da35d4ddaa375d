"""Emoticons and emoji: in the lexicon fallbacks tokens of their own, found before the
punctuation they are made of ends a clause, scored in every fallback language; in the
classifiers' tokens after the words, counted by their lexicon sums."""

from __future__ import annotations

import pytest

from compare.analysis.review import ReviewInput, analyze_reviews
from compare.analysis.sentiment.emoticons import split_faces
from compare.analysis.sentiment.lexicon import lexicon_scores
from compare.analysis.sentiment.normalise import clause_tokens, sentiment_tokens
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.taxonomy import load_taxonomy
from tests.benchmark_scripts import load_benchmark


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        # no opinion word: the face is the only cue (these leaned positive, or neutral)
        ("fr", "Colis arrivé :(", "negative"),
        ("fr", "Colis arrivé:(((", "negative"),
        ("fr", "Deuxième retour ce mois-ci 😡", "negative"),
        ("fr", "Livré en deux jours :D", "positive"),
        ("en", "Package arrived :(", "negative"),
        ("en", "Order arrived 👎🏻", "negative"),
        ("en", "Delivered on Tuesday 😀", "positive"),
        ("no", "Pakken kom i dag :-(", "negative"),
        ("no", "Levert på to dager ❤️", "positive"),
        ("da", "Pakken kom i dag :'(", "negative"),
        ("de", "Paket heute angekommen 💔", "negative"),
        ("es", "Paquete recibido hoy :)", "positive"),
        # guards: a negation before the face does not flip it (a clause of its own)
        ("fr", "Toujours pas de réponse :(", "negative"),
        ("en", "Still no reply :(", "negative"),
    ],
)
def test_fallback_reads_emoticons_and_emoji(language: str, text: str, label: str) -> None:
    (_, found, _), *_ = lexicon_scores([text], language)
    assert found == label


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Colis arrivé :(", ["colis", "arrivé", ",", ":("]),
        ("arrivé:))) merci", ["arrivé", ",", ":)", ",", "merci"]),
        ("Top ❤️👍🏽 merci", ["top", ",", "❤", ",", "👍", ",", "merci"]),
        ("lol xD!", ["lol", ",", "xD"]),
        ("pas content :-(", ["pas", "content", ",", ":-("]),
        # no face: a link's "://", a time, letters inside a word
        ("see https://example.org/a", ["see", "https", ",", "example", ",", "org", "a"]),
        ("open 10:30 boxD", ["open", ",", "boxd"]),
    ],
)
def test_faces_are_tokens_and_clauses_of_their_own(text: str, tokens: list[str]) -> None:
    assert clause_tokens(text) == tokens


def test_emoticon_benchmark_counts_each_language_s_sentences(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = load_benchmark("sentiment_emoticons")
    for language, praise in bench.PRAISE.items():
        sentences = praise + bench.COMPLAINTS[language]
        assert len(sentences) == 10
        assert all(len(split_faces(s)) == 3 for s in sentences), language
    bench.report({"fr": ["Colis arrivé :)"]}, {"fr": ["Colis arrivé :("]}, ["--show"])
    out = capsys.readouterr().out
    assert "fr day one lexicon-" in out
    assert "total 2/2" in out


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        # the shipped base models' lexicon sums count the faces too
        ("en", "Package arrived :(", "negative"),
        ("en", "Delivered in two days 😀", "positive"),
        ("no", "Levert på to dager 😀", "positive"),
        ("no", "Ordren ble kansellert uten beskjed 👎", "negative"),
        ("pl", "Paczka doszła :)", "positive"),
        ("pl", "Paczka doszła :(", "negative"),
    ],
)
def test_day_one_models_read_faces_in_the_cli_and_the_analysis_alike(
    language: str, text: str, label: str
) -> None:
    scorer = SentimentScorer(None)
    assert scorer.method(language).startswith("base:")
    ((_, found, _),) = scorer.score([text], language)
    assert found == label
    review = ReviewInput(review_id=1, company_id=1, text=text, title=None, language=language)
    (result,) = analyze_reviews([review], scorer, load_taxonomy())
    assert [s.label for s in result.sentences] == [label]


def test_classifier_tokens_keep_the_words_and_add_the_faces_after_them() -> None:
    # the face ends a clause where it stood (CLAUSE_BREAK, ``test_sentiment_clauses``)
    assert sentiment_tokens("Not happy :( at all") == ["not", "happy", ",", "at", "all", ":("]
    assert sentiment_tokens("plain words") == ["plain", "words"]

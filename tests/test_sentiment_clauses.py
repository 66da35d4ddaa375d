"""The classifiers' lexicon sums stop a negation at the end of its clause, as the lexicon
fallbacks do (``normalise.sentiment_tokens``: one reading of clauses for training, the
analysis and single-text scoring), while their word features read the words alone."""

from __future__ import annotations

import pytest

from compare.analysis.review import ReviewInput, analyze_reviews
from compare.analysis.sentiment.base_models import load_base
from compare.analysis.sentiment.features import CLAUSE_BREAK
from compare.analysis.sentiment.lexicon_features import (
    NEGATED_CHANNEL,
    classifier_channels,
    lexicon_channels,
    lexicon_counts,
)
from compare.analysis.sentiment.normalise import sentiment_tokens
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.sentiment.vectorizer import token_lists
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.text import tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "No complaints, works perfectly.",
            ["no", "complaints", CLAUSE_BREAK, "works", "perfectly"],
        ),
        ("Not happy :( at all", ["not", "happy", CLAUSE_BREAK, "at", "all", ":("]),
        ("Rien à dire... parfait !", ["rien", "à", "dire", CLAUSE_BREAK, "parfait"]),
    ],
)
def test_classifier_tokens_mark_clause_ends_and_put_faces_after_the_words(
    text: str, tokens: list[str]
) -> None:
    assert sentiment_tokens(text) == tokens
    assert [t for t in tokens if t != CLAUSE_BREAK and t != ":("] == tokenize(text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "No problems, good."),
        ("no", "Ingen feil, fungerer perfekt."),
        ("pl", "Brak wad, działa świetnie."),
    ],
)
def test_a_base_model_s_lexicon_sums_end_a_negation_with_its_clause(
    language: str, text: str
) -> None:
    """The praise after the comma is no longer flipped into complaint, as it is when the
    same words run on in one clause."""
    channels = lexicon_channels(language)
    one_clause = text.replace(",", "")
    marked, run_on = lexicon_counts(channels, language, token_lists([text, one_clause])).toarray()
    assert marked[0::2].sum() > run_on[0::2].sum()
    assert marked[1::2].sum() < run_on[1::2].sum()


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        # praise said by negating a complaint, then a clause of praise (from
        # benchmarks/sentiment_litotes.py); the old models read the praise as negated
        ("en", "No complaints, works perfectly.", "positive"),
        ("en", "No regrets, great purchase.", "positive"),
        ("no", "Ingen klager, rask levering.", "positive"),
        ("no", "Ingen feil, fungerer perfekt.", "positive"),
        # a complaint after a negated clause: the old models negated the complaint word
        ("en", "Customer service never answers, terrible.", "negative"),
        ("en", "Not as described, disappointed.", "negative"),
        ("no", "Ingenting fungerer, veldig dårlig opplevelse.", "negative"),
        # Polish has an opinion detector: the analysis featurises it and the model once
        ("pl", "Obsługa klienta nie odpowiada, skandal.", "negative"),
    ],
)
def test_a_sentence_scores_the_same_in_the_analysis_and_alone(
    language: str, text: str, label: str
) -> None:
    scorer = SentimentScorer(None)
    assert load_base(language) is not None
    ((polarity, found, _),) = scorer.score([text], language)
    assert found == label
    review = ReviewInput(review_id=1, company_id=1, text=text, title=None, language=language)
    (result,) = analyze_reviews([review], scorer, load_taxonomy())
    assert [(s.polarity, s.label) for s in result.sentences] == [
        (pytest.approx(polarity, abs=1e-12), label)
    ]
    assert result.label == label


@pytest.mark.parametrize(
    ("language", "tokens"),
    [
        # "no" is a word of VADER's lexicon (-1.2), "brak" one of our Polish seed words
        ("en", ["no", "problems"]),
        ("en", ["no", "issues", CLAUSE_BREAK, "fast", "delivery"]),
        ("pl", ["brak", "wad"]),
    ],
)
def test_a_negation_that_is_a_lexicon_word_counts_only_as_a_negation(
    language: str, tokens: list[str]
) -> None:
    """Issue #17: the negation's own negative valence outweighed the negated complaint."""
    row = lexicon_counts(lexicon_channels(language), language, [tokens]).toarray()[0]
    assert row[1::2].sum() == 0.0


@pytest.mark.parametrize(
    ("language", "text", "praise", "complaint"),
    [
        ("en", "Nothing to complain about.", True, False),
        ("no", "Ikke noe å klage på.", True, False),
        ("en", "Not good, great price.", False, True),
        ("no", "Ikke bra.", False, True),
        ("en", "Great price.", False, False),
    ],
)
def test_classifiers_read_negated_opinion_words_in_a_channel_of_their_own(
    language: str, text: str, praise: bool, complaint: bool
) -> None:
    """Issue #17: the classifiers' last lexicon channel sums the negated opinion words only
    (a negated complaint word as praise, a negated praise word as complaint), so a model
    learns their weight apart from the plain opinion words'."""
    channels = classifier_channels(language)
    assert channels == (*lexicon_channels(language), NEGATED_CHANNEL)
    row = lexicon_counts(channels, language, [sentiment_tokens(text)]).toarray()[0]
    assert (row[-2] > 0, row[-1] > 0) == (praise, complaint)
    assert row[-2] <= row[:-2:2].max() and row[-1] <= row[1:-2:2].max()

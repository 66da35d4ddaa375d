"""A review's title is scored as a sentence of its own, never glued to the first one."""

from __future__ import annotations

import pytest

from compare.analysis.review import ReviewInput, analyze_reviews
from compare.analysis.sentiment.scorer import SentimentScorer
from compare.analysis.taxonomy import load_taxonomy


@pytest.mark.parametrize(
    ("title", "text", "sentences"),
    [
        ("Avoid", "The coffee is great.", ["Avoid.", "The coffee is great."]),
        ("Avoid!", "The coffee is great.", ["Avoid!", "The coffee is great."]),
        (None, "The coffee is great.", ["The coffee is great."]),
        ("Terrible delivery", None, ["Terrible delivery."]),
        ("  ", "Fine coffee.", ["Fine coffee."]),
    ],
)
def test_title_is_its_own_sentence(
    title: str | None, text: str | None, sentences: list[str]
) -> None:
    review = ReviewInput(review_id=1, company_id=1, text=text, title=title, language="en")
    (result,) = analyze_reviews([review], SentimentScorer(None), load_taxonomy())
    assert [s.text for s in result.sentences] == sentences


def test_a_negative_title_does_not_make_the_first_sentence_negative() -> None:
    review = ReviewInput(
        review_id=1, company_id=1, text="The coffee is great.", title="Awful", language="en"
    )
    (result,) = analyze_reviews([review], SentimentScorer(None), load_taxonomy())
    title, first = result.sentences
    assert title.label == "negative"
    assert first.label == "positive"

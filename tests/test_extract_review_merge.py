"""One review once across layers and copies; a markup review's text when it has no body."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from settings.records import ReviewItem
from spiders.extract.auto import extract_auto
from spiders.extract.markup import unclaimed_text
from spiders.extract.review_merge import merge_reviews, same_review, text_key

URL = "https://shop.example/p/kettle-9"
TEXT = "Boils fast and the handle stays cool, very happy with it."


def review(text: str | None = TEXT, layer: str = "json-ld", **fields: object) -> ReviewItem:
    item = ReviewItem(url=URL, text=text, **fields)  # type: ignore[arg-type]
    item.explain = {name: layer for name in ("text", *fields) if name != "text" or text}
    return item


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Boils  FAST ", "boils fast"),
        ("Boils fast, the handle…", "boils fast, the handle"),
        ("Boils fast...", "boils fast"),
        (None, ""),
    ],
)
def test_text_key(text: str | None, key: str) -> None:
    assert text_key(text) == key


def other(text: str | None = TEXT, **fields: object) -> ReviewItem:
    """The same review as read by another layer."""
    return review(text, "embedded-json", **fields)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (review(), other(), True),
        (review(), other(TEXT.upper()), True),
        (review(), other(TEXT[:30] + "…"), True),  # a cut teaser of the same review
        (review(), other(TEXT[:12] + "…"), False),  # too short to tell
        (review(), other(TEXT + " Buy it."), True),
        (review(rating_normalized=1.0), other(rating_normalized=1.0), True),
        (review(rating_normalized=1.0), other(rating_normalized=0.25), False),
        (review(author="Ann"), other(author="Bo"), False),
        (review(author="Ann"), other(), True),  # a missing field does not conflict
        (review(published=date(2024, 3, 2)), other(published=date(2024, 3, 3)), False),
        (review("Great"), other("Great value"), False),
        (review(None, rating=4.0, author="Ann"), other(None, rating=4.0, author="Ann"), True),
        (review(None, rating=4.0), other(None, rating=4.0), False),  # nothing to tell them by
        (review(None, rating=4.0, author="Ann"), other(None, rating=5.0, author="Ann"), False),
        (review(None, rating=4.0, author="Ann"), other(rating=4.0, author="Ann"), False),
        # within one layer only clones are copies
        (
            review(author="Ann", date_raw="2019-06-18 20:01:45"),
            review(author="Ann", date_raw="2019-06-18 20:01:45"),
            True,
        ),
        (
            review(author="Ann", date_raw="2019-06-18 20:01:45"),
            review(author="Ann", date_raw="2019-06-18 20:01:28"),
            False,
        ),
        (review(TEXT + "."), review(TEXT), False),
    ],
)
def test_same_review(a: ReviewItem, b: ReviewItem, same: bool) -> None:
    assert same_review(a, b) is same
    assert same_review(b, a) is same


def test_merge_keeps_the_most_trusted_copy_and_fills_its_gaps() -> None:
    markup = [review(rating=5.0, rating_normalized=1.0)]
    state = [
        review(TEXT, "embedded-json", author="Ann", external_id="r-1", rating_normalized=1.0),
        review("Another one entirely, not a copy of the first.", "embedded-json"),
    ]
    merged = merge_reviews(markup, state)
    assert [r.text for r in merged] == [TEXT, "Another one entirely, not a copy of the first."]
    first = merged[0]
    assert (first.author, first.external_id, first.rating) == ("Ann", "r-1", 5.0)
    assert first.explain["text"] == "json-ld" and first.explain["author"] == "embedded-json"


def test_merge_prefers_more_trusted_fields_and_the_full_text() -> None:
    teaser = review(TEXT[:40] + "…", "heuristic", title="Short", rating_normalized=1.0)
    full = review(TEXT, "json-ld", title="Great kettle")
    (merged,) = merge_reviews([teaser], [full])
    assert (merged.text, merged.title) == (TEXT, "Great kettle")
    assert merged.explain["text"] == merged.explain["title"] == "json-ld"


def test_merge_drops_carousel_clones_within_a_layer() -> None:
    slides = [review(author="Ann"), review("Second slide review text here.", author="Bo")]
    merged = merge_reviews([*slides, review(author="Ann"), *slides])
    assert [r.author for r in merged] == ["Ann", "Bo"]
    assert merge_reviews() == [] and merge_reviews([]) == []


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            "<div itemscope itemtype='https://schema.org/Review'><span itemprop='author'>Ann"
            "</span><div itemprop='reviewRating' itemscope><meta itemprop='ratingValue' "
            "content='4'>Quality <b>good</b></div><div> Boils <b>fast</b> and the handle"
            " stays cool. </div><small>rated 4/5</small></div>",
            "Boils fast and the handle stays cool.",
        ),
        (
            "<div itemscope itemtype='https://schema.org/Review'><b itemprop='name'>T</b></div>",
            None,
        ),
        ("<div itemscope><span>42</span></div>", None),
        ("<div itemscope><b itemprop='author'>Ann</b> · <span>4. februar 2026</span></div>", None),
    ],
)
def test_unclaimed_text(body: str, text: str | None) -> None:
    root = lxml.html.fragment_fromstring(body)
    assert unclaimed_text(root) == text


def test_a_microdata_review_without_body_gets_its_shown_text() -> None:
    html = (
        "<html><body><div itemscope itemtype='https://schema.org/Product'>"
        "<h1 itemprop='name'>Kettle</h1>"
        "<div itemprop='review' itemscope itemtype='https://schema.org/Review'>"
        "<span itemprop='author'>Ann</span><meta itemprop='datePublished' content='2024-03-02'>"
        "<div itemprop='reviewRating' itemscope itemtype='https://schema.org/Rating'>"
        "<meta itemprop='ratingValue' content='8'><meta itemprop='bestRating' content='10'></div>"
        f"<p>{TEXT}</p></div></div></body></html>"
    )
    (item,) = extract_auto(html, URL).reviews
    assert (item.text, item.rating, item.best_rating, item.author) == (TEXT, 8.0, 10.0, "Ann")
    assert item.explain["text"] == "microdata"


def test_a_jsonld_review_with_only_a_title_and_rating_keeps_the_title_as_text() -> None:
    html = (
        "<html><body><script type='application/ld+json'>"
        '{"@type": "Review", "name": "Great kettle", "reviewRating": {"ratingValue": 5}}'
        "</script><script type='application/ld+json'>"
        '{"@type": "Review", "name": "Title only, no rating"}</script></body></html>'
    )
    assert [(r.text, r.title) for r in extract_auto(html, URL).reviews] == [
        ("Great kettle", "Great kettle")
    ]

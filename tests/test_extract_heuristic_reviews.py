"""Review lists found by layout (no schema.org markup): snippets and the demo plain shop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.extract.auto import extract_auto

URL = "https://shop.example.com/p/kettle-9"
FIXTURE = Path(__file__).parent / "fixtures" / "demo-plain" / "product-page"
TEXT_A = "Boils fast and the handle stays cool, very happy with it."
TEXT_B = "The lid broke after two weeks and support never answered my emails."


def page(body: str) -> str:
    return f"<!doctype html><html lang='en'><body><h1>Kettle</h1>{body}</body></html>"


def two_reviews(rating_a: str, rating_b: str, tag: str = "div") -> str:
    return (
        f"<{tag} class='review'>{rating_a}<p>{TEXT_A}</p></{tag}>"
        f"<{tag} class='review'>{rating_b}<p>{TEXT_B}</p></{tag}>"
    )


@pytest.mark.parametrize(
    ("body", "ratings", "best"),
    [
        pytest.param(
            two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>"),
            [5.0, 2.0],
            5.0,
            id="data-rating",
        ),
        pytest.param(
            two_reviews(
                "<i aria-label='4 out of 5 stars'></i>", "<i aria-label='1 out of 5 stars'></i>"
            ),
            [4.0, 1.0],
            5.0,
            id="aria-label",
        ),
        pytest.param(
            two_reviews("<span>★★★★☆</span>", "<span>★☆☆☆☆</span>", tag="li"),
            [4.0, 1.0],
            5.0,
            id="star-glyphs",
        ),
        pytest.param(
            two_reviews("<b class='score'>8/10</b>", "<b class='score'>3/10</b>"),
            [8.0, 3.0],
            10.0,
            id="rating-named-number",
        ),
        pytest.param(
            two_reviews(
                "<div class='stars' style='width:80%'></div>",
                "<div class='stars' style='width: 40%'></div>",
            ),
            [80.0, 40.0],
            100.0,
            id="star-bar-width",
        ),
    ],
)
def test_rating_forms(body: str, ratings: list[float], best: float) -> None:
    reviews = extract_auto(page(body), URL).reviews
    assert [r.rating for r in reviews] == ratings
    assert [r.text for r in reviews] == [TEXT_A, TEXT_B]
    assert {r.best_rating for r in reviews} == {best}
    assert all(r.explain["text"] == "heuristic" for r in reviews)


def test_title_author_date_and_id() -> None:
    block = (
        "<article class='rv' id='r{n}'><h4>Great kettle</h4><span class='author'>Ann</span>"
        "<time datetime='2024-05-0{n}'>May {n}</time><span data-rating='4'></span>"
        "<div class='rv-body'>{text}</div></article>"
    )
    body = block.format(n=1, text=TEXT_A) + block.format(n=2, text=TEXT_B)
    first = extract_auto(page(body), URL).reviews[0]
    assert (first.title, first.author, first.external_id) == ("Great kettle", "Ann", "r1")
    assert str(first.published) == "2024-05-01"
    assert first.product_name == "Kettle"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            two_reviews("<span data-rating='5'></span>", "<span data-rating='4'></span>").replace(
                "</p>", "</p><span class='price'>19,99 €</span>"
            ),
            id="product-cards-with-prices",
        ),
        pytest.param(
            "<div class='card'><a href='/p/1'><img src='1.jpg'></a><span data-rating='4'></span>"
            f"<p>{TEXT_A}</p></div><div class='card'><a href='/p/2'><img src='2.jpg'></a>"
            f"<span data-rating='3'></span><p>{TEXT_B}</p></div>",
            id="product-cards-with-image-links",
        ),
        pytest.param(
            f"<div class='summary'><span data-rating='4.5'></span><p>{TEXT_A}</p></div>",
            id="lone-summary-rating",
        ),
        pytest.param(
            f"<div class='c'><p>{TEXT_A}</p></div><div class='c'><p>{TEXT_B}</p></div>",
            id="comments-without-ratings",
        ),
        pytest.param(
            two_reviews("<span data-rating='5'></span>", "<span data-rating='4'></span>").replace(
                TEXT_B, "ok"
            ),
            id="a-block-without-text",
        ),
    ],
)
def test_no_reviews_without_a_review_list(body: str) -> None:
    assert extract_auto(page(body), URL).reviews == []


def test_schema_reviews_win_over_layout() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Kettle", "review":'
        ' {"@type": "Review", "reviewBody": "From markup", "reviewRating": {"ratingValue": 3}}}'
        "</script>"
    )
    body = ld + two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>")
    reviews = extract_auto(page(body), URL).reviews
    assert [r.text for r in reviews] == ["From markup"]


def test_demo_plain_product_page_reviews_found_in_auto_mode() -> None:
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    url = (FIXTURE / "url.txt").read_text(encoding="utf-8").strip()
    page_html = (FIXTURE / "page.html").read_text(encoding="utf-8")
    reviews = extract_auto(page_html, url).reviews
    assert len(reviews) == expected["reviews_on_page"]
    for got, want in zip(reviews, expected["reviews"], strict=False):
        assert (got.text, got.rating, got.best_rating) == (
            want["text"],
            want["rating"],
            want["best_rating"],
        )
        assert (got.title, got.external_id, got.language) == (
            want["title"],
            want["external_id"],
            want["language"],
        )

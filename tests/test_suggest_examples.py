"""``targets suggest`` learns its selectors from the reviews auto extraction reads: the body
is the element that holds an example's text, whatever the class names say; short and long
reviews, a lone review, and reviews that are not in the HTML at all."""

from __future__ import annotations

import json

import pytest

from settings.targets import Selectors
from spiders.extract.selectors import extract_with_selectors
from spiders.extract.suggest import suggest_selectors

URL = "http://127.0.0.1/p/kettle"
BODIES = (
    "Boils a full litre in three minutes and the handle stays cool.",
    "Far too loud, sadly.",  # a short body sits in a different wrapper on many sites
    "The lid broke after two weeks and the shop never answered my emails.",
    "Pours without dripping, looks good on the counter, fair price.",
)


def _page(blocks: str, reviews: list[str], scripts: str = "") -> str:
    """A product page whose JSON-LD states ``reviews`` and whose body holds ``blocks``."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kettle",
        "review": [
            {"@type": "Review", "reviewBody": body, "reviewRating": {"ratingValue": 4},
             "author": {"@type": "Person", "name": f"R{n}"}}
            for n, body in enumerate(reviews)
        ],
    }  # fmt: skip
    return (
        '<html><head><script type="application/ld+json">'
        f"{json.dumps(data)}</script></head><body><h1>Kettle</h1>"
        f"<section>{blocks}</section>{scripts}</body></html>"
    )


def _block(body: str, n: int) -> str:
    # The "Helpful" button's label is classed "button-text", the class-name word that misled
    # the structural suggestion; the body's class sits one level deeper on a short review.
    wrapped = (
        f'<div class="body"><p>{body}</p></div>'
        if len(body) > 20
        else f'<p class="body">{body}</p>'
    )
    return (
        f'<div class="rv-{n % 2} review-card"><span class="stars" title="4/5">★★★★☆</span>'
        f'<span class="who">R{n}</span>{wrapped}'
        '<button><span class="button-text">Helpful</span></button></div>'
    )


def _read(html: str) -> list[str | None]:
    suggestion = suggest_selectors(html, URL)
    selectors = Selectors(review=suggestion.review, review_fields=suggestion.review_fields)
    return [r.text for r in extract_with_selectors(html, URL, selectors).reviews]


def test_the_body_is_where_the_examples_are_not_where_the_class_names_point() -> None:
    html = _page("".join(_block(b, n) for n, b in enumerate(BODIES)), list(BODIES))
    suggestion = suggest_selectors(html, URL)
    assert suggestion.review == "div.review-card"
    assert "button" not in suggestion.review_fields["text"]
    assert _read(html) == list(BODIES)
    assert (suggestion.reviews_read, suggestion.auto_reviews) == (4, 4)


def test_a_lone_review_gets_its_list_item_as_block() -> None:
    body = BODIES[2]
    html = _page(
        '<ol class="reviews"><li class="item"><div class="head"><span title="2/5">★★☆☆☆</span>'
        f'</div><div class="content"><p>{body}</p></div><a href="#">Report</a></li></ol>',
        [body],
    )
    suggestion = suggest_selectors(html, URL)
    assert suggestion.review == "li.item"
    assert _read(html) == [body]


@pytest.mark.parametrize("shown", [1, 2])
def test_reviews_only_in_a_script_are_counted_as_not_read(shown: int) -> None:
    blocks = "".join(_block(b, n) for n, b in enumerate(BODIES[:shown]))
    html = _page(blocks, list(BODIES))  # the other reviews are in the JSON-LD only
    suggestion = suggest_selectors(html, URL)
    assert (suggestion.reviews_read, suggestion.auto_reviews) == (shown, len(BODIES))

"""Aggregate ratings a rating widget keeps in its data attributes (no markup, no text)."""

from __future__ import annotations

import pytest

from spiders.extract.auto import extract_auto

URL = "https://recipes.example/r/soup-4"
WIDGET = "<div data-w-rating='4.8' data-w-votes='12'></div>"


def page(body: str) -> str:
    return f"<!doctype html><html lang='en'><body><h1>Soup</h1>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "<div class='w' data-w-rating='4.4' data-w-total-ratings='39'></div>",
            (4.4, 5.0, 39),
            id="rating-and-total-of-ratings",
        ),
        pytest.param(
            "<div data-average='4.29' data-count='276' data-total='1183'></div>",
            (4.29, 5.0, 276),
            id="the-count-not-the-sum-of-stars",
        ),
        pytest.param(
            "<article data-rating-average='8.5' data-rating-count='21'></article>",
            (8.5, 10.0, 21),
            id="scale-of-ten",
        ),
        pytest.param(
            "<span data-rating='1'></span><span data-rating='1'></span>" + WIDGET,
            (4.8, 5.0, 12),
            id="star-icons-before-the-widget",
        ),
        pytest.param(
            "<div data-sentiment_score='0.2' data-affiliate_link_count='1'></div>"
            "<div data-w-rating='3.5' data-review-count='2'></div>",
            (3.5, 5.0, 2),
            id="a-count-of-something-else-is-no-rating-count",
        ),
        *(
            pytest.param(decoy + WIDGET, (4.8, 5.0, 12), id=name)
            for decoy, name in (
                ("<div data-rating='4.5'></div>", "a-rating-without-a-count"),
                ("<div data-user-rating='4' data-rating-count='9'></div>", "the-readers-own"),
                ("<div data-rating='0' data-rating-count='0'></div>", "no-ratings-yet"),
            )
        ),
    ],
)
def test_aggregate_from_widget_attributes(
    body: str, expected: tuple[float, float, int] | None
) -> None:
    found = extract_auto(page(body), URL).aggregate_rating
    got = (found.rating_value, found.best_rating, found.rating_count) if found else None
    assert got == expected

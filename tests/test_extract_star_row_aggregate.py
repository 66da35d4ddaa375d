"""Aggregate ratings shown only as a row of star icons with the count beside it (no markup,
no "4.5 out of 5" text, no data attributes). Snippets written for these tests."""

from __future__ import annotations

import pytest

from spiders.extract.auto import extract_auto

URL = "https://shop.example/p/kettle-7"


def page(body: str, lang: str = "en") -> str:
    return f"<!doctype html><html lang='{lang}'><body><h1>Kettle</h1>{body}</body></html>"


def icons(*looks: str, tag: str = "span") -> str:
    return "".join(f"<{tag} class='{look}'></{tag}>" for look in looks)


ON, OFF, HALF = "st st-on", "st", "st st-part"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            f"<div class='r'>{icons(ON, ON, ON, ON, OFF)}</div><span>(133)</span>",
            (4.0, 5.0, 133),
            id="lit-icons-lead-count-in-brackets",
        ),
        pytest.param(
            "<ul><li class='a b'>★</li><li class='a b'>★</li><li class='a b'>★</li>"
            "<li class='a'>★</li><li class='a'>★</li><li>(12)</li></ul>",
            (3.0, 5.0, 12),
            id="glyphs-lit-by-a-class-count-in-the-same-list",
        ),
        pytest.param(
            f"<div>{icons(ON, ON, ON, HALF, OFF)}</div><p>27 ratings</p>",
            (3.5, 5.0, 27),
            id="half-star-count-with-its-noun",
        ),
        pytest.param(
            f"<div>{icons(OFF, ON, ON, ON, ON)}</div><div>(4)</div>",
            (4.0, 5.0, 4),
            id="lit-icons-drawn-last-are-the-ones-with-the-added-class",
        ),
        pytest.param(
            "<div><img src='/i/full.svg' alt='Star'><img src='/i/full.svg' alt='Star'>"
            "<img src='/i/full.svg' alt='Star'><img src='/i/full.svg' alt='Star'>"
            "<img src='/i/full.svg' alt='Star'></div><span>4.6</span><a href='#r'>61 Ratings</a>",
            (4.6, 5.0, 61),
            id="average-written-between-icons-and-count",
        ),
        pytest.param(
            f"<div><div>{icons(OFF, OFF, OFF, OFF, OFF)}</div>"
            f"<div style='width: 84%'><div>{icons(OFF, OFF, OFF, OFF, OFF)}</div></div></div>"
            "<a href='#c'>(95)</a>",
            (4.2, 5.0, 95),
            id="lit-copy-clipped-to-a-width",
        ),
        pytest.param(
            f"<div>{icons(ON, ON, ON, ON, ON)}</div><span>5</span><span>from 3</span>",
            (5.0, 5.0, 3),
            id="average-from-count-without-noun",
        ),
        pytest.param(
            f"<div class='x'>{icons(ON, ON, OFF, OFF, OFF)}<b>1234</b></div>",
            (2.0, 5.0, 1234),
            id="a-number-alone-beside-the-icons",
        ),
        pytest.param(
            f"<div>{icons('st qa on', 'st qb on', 'st qc on', 'st qd', 'st qe')}</div>(31)",
            (3.0, 5.0, 31),
            id="names-of-each-place-say-nothing",
        ),
        pytest.param(
            f"<div>{icons(ON, ON, ON, ON, OFF)}</div><span>(8 avis)</span>",
            (4.0, 5.0, 8),
            id="count-noun-of-the-page-language",
        ),
    ],
)
def test_star_row_aggregate(body: str, expected: tuple[float, float, int]) -> None:
    lang = "fr" if "avis" in body else "en"
    found = extract_auto(page(body, lang), URL).aggregate_rating
    assert found is not None
    assert (found.rating_value, found.best_rating, found.rating_count) == expected
    assert found.explain["rating_value"] == "heuristic"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(f"<div>{icons(ON, ON, ON, ON, OFF)}</div><p>Great kettle.</p>", id="no-count"),
        pytest.param(
            f"<div>{icons(ON, ON, ON, OFF)}</div><span>(133)</span>", id="four-icons-no-row"
        ),
        pytest.param(
            f"<div>{icons('a', 'b', 'c', 'd', 'e')}</div><span>(3)</span>", id="five-looks"
        ),
        pytest.param(
            f"<div>{icons(ON, OFF, ON, OFF, ON)}</div><span>(3)</span>", id="alternating-looks"
        ),
        pytest.param(
            "<svg><use href='#s'/><use href='#s'/><use href='#s'/><use href='#s'/>"
            "<use href='#s'/></svg><p>4 comments</p>",
            id="the-shapes-of-one-drawing",
        ),
        pytest.param(
            "<form><div>" + icons(OFF, OFF, OFF, OFF, OFF, tag="button") + "</div></form>"
            "<span>(3)</span>",
            id="a-star-picker",
        ),
        pytest.param(
            f"<div>{icons(ON, ON, ON, ON, OFF)}</div><span>5</span><p>Great kettle.</p>",
            id="average-without-count",
        ),
        pytest.param(
            "<section><h2>Also bought</h2><div class='card'><h3><a href='/p/mug'>Mug</a></h3>"
            f"<div>{icons(ON, ON, ON, ON, OFF)}</div><span>(40)</span></div></section>",
            id="a-card-of-another-product",
        ),
        pytest.param(
            f"<a href='/p/mug'><span>{icons(ON, ON, ON, ON, ON)}</span><span>(4)</span>"
            "<span>Mug</span></a>",
            id="in-a-link-to-another-product",
        ),
        pytest.param(
            f"<div class='x'>{icons(ON, ON, OFF, OFF, OFF)}<b>3</b></div>",
            id="a-lone-number-the-scale-holds-is-no-count",
        ),
    ],
)
def test_not_a_star_row_aggregate(body: str) -> None:
    assert extract_auto(page(body), URL).aggregate_rating is None


def test_markup_and_text_come_first() -> None:
    body = (
        f"<div>{icons(ON, ON, OFF, OFF, OFF)}</div><span>(9)</span><p>4.4 out of 5 (21 reviews)</p>"
    )
    found = extract_auto(page(body), URL).aggregate_rating
    assert found is not None
    assert (found.rating_value, found.rating_count or found.review_count) == (4.4, 21)

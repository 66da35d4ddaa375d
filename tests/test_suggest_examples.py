"""``targets suggest`` learns its selectors from the reviews auto extraction reads: the body
is the element that holds an example's text, whatever the class names say; short and long
reviews, a lone review, and reviews that are not in the HTML at all."""

from __future__ import annotations

import json

import pytest

from settings.targets import Selectors
from spiders.extract.selectors import extract_with_selectors
from spiders.extract.suggest import SuggestError, suggest_selectors
from spiders.extract.suggest_examples import MAX_EXAMPLES

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


@pytest.mark.parametrize(
    ("shown", "stored"),
    [
        ("Too loud.<br>Broke in a week, sadly.", "Too loud. Broke in a week, sadly."),
        ("Too loud<br/><br/>and it broke in a week.", "Too loud and it broke in a week."),
        (
            "Too loud,<script>var x = 1;</script> it broke in a week.",
            "Too loud, it broke in a week.",
        ),
        ("Too <b>loud</b>, it broke<br>in a week.", "Too loud, it broke in a week."),
    ],
)
def test_a_line_break_parts_words_where_the_selectors_read_them(shown: str, stored: str) -> None:
    bodies = [stored, *BODIES[:3]]
    blocks = "".join(_block(b, n) for n, b in enumerate([shown, *BODIES[:3]]))
    html = _page(blocks, bodies)
    suggestion = suggest_selectors(html, URL)
    assert (suggestion.reviews_read, suggestion.auto_reviews) == (4, 4)
    assert suggestion.blocks == 4
    assert _read(html) == bodies


def test_the_block_count_is_what_the_selector_matches_on_the_page() -> None:
    # The last card's text is not the JSON-LD's (translated), so it is not an example; a
    # crawl still reads it, and the count says so.
    cards = [*BODIES[:3], "Un texte traduit que la page montre en plus des autres."]
    html = _page("".join(_block(b, n) for n, b in enumerate(cards)), list(BODIES[:3]))
    suggestion = suggest_selectors(html, URL)
    assert suggestion.review == "div.review-card"
    assert suggestion.blocks == 4


@pytest.mark.parametrize(
    "teasers",
    [
        # Related-article cards with a star row and a long blurb: repeated, rating-like, and
        # not the reviews (which are in the JSON-LD only).
        "".join(
            f'<li class="card"><span class="stars">★★★★☆</span><p class="blurb">Another '
            f"recipe you may like, number {n}, with a long enough description.</p></li>"
            for n in range(6)
        ),
        "<div><p>No repeated blocks at all on this page.</p></div>",
    ],
)
def test_reviews_only_in_a_script_are_not_guessed_from_other_blocks(teasers: str) -> None:
    html = _page(teasers, list(BODIES))
    with pytest.raises(SuggestError, match=r'reads 4 reviews .* use mode = "auto"'):
        suggest_selectors(html, URL)


@pytest.mark.parametrize("count", [MAX_EXAMPLES + 1, 3 * MAX_EXAMPLES])
def test_more_reviews_than_examples_still_get_their_block_selector(count: int) -> None:
    # Only the first MAX_EXAMPLES reviews are examples: the cards after them are reviews
    # too, not elements the block selector wrongly matches.
    bodies = [f"Review number {n:04d} of this kettle, long enough to count." for n in range(count)]
    cards = "".join(f'<div class="card"><p class="txt">{b}</p></div>' for b in bodies)
    html = _page(cards + '<div class="card"><p>Newsletter</p></div>', bodies)
    suggestion = suggest_selectors(html, URL)
    assert suggestion.review == "div.card"
    assert (suggestion.reviews_read, suggestion.auto_reviews) == (count, count)


@pytest.mark.parametrize(
    ("rated", "rating"),
    [
        ("", None),  # no rating shown: an avatar image is not one
        ('<span class="mark">4/5</span>', ".mark"),
        ('<span class="mark" data-rating="4"></span>', ".mark::attr(data-rating)"),
    ],
)
def test_an_element_without_text_is_no_rating(rated: str, rating: str | None) -> None:
    cards = "".join(
        f'<li class="comment"><img class="avatar" src="a{n}.png">{rated}'
        f'<div class="content"><p>{b}</p></div></li>'
        for n, b in enumerate(BODIES)
    )
    suggestion = suggest_selectors(_page(cards, list(BODIES)), URL)
    assert suggestion.review_fields.get("rating") == rating


@pytest.mark.parametrize(
    ("stated", "shown"),
    [
        # The page's JSON glues the words a line break parts in its HTML, and back.
        (
            "Wants exactMeasurements: a recipe is a roadmap.",
            "Wants exact<br>Measurements: a recipe is a roadmap.",
        ),
        (
            "Wants exact Measurements: a recipe is a roadmap.",
            "Wants exact<b>Measurements</b>: a recipe is a roadmap.",
        ),
        (
            "Wants exact  measurements: a recipe is a roadmap.",
            "Wants exact measurements: a recipe is a roadmap.",
        ),
    ],
)
def test_a_review_whose_spaces_differ_from_auto_is_still_read(stated: str, shown: str) -> None:
    blocks = "".join(_block(b, n) for n, b in enumerate([shown, *BODIES[:3]]))
    suggestion = suggest_selectors(_page(blocks, [stated, *BODIES[:3]]), URL)
    assert (suggestion.reviews_read, suggestion.auto_reviews) == (4, 4)


@pytest.mark.parametrize(
    "pager",
    [
        '<a class="pager-link" href="/p/kettle?strona=2">Następna</a>',  # the class is shared
        '<a class="pager-link" href="/p/kettle?page=2">\n  Suivant ›\n</a>',
        '<a href="/p/kettle?side=2">Neste</a>',
        '<a class="dalej" href="/p/kettle?strona=2">Dalej »</a>',  # its class alone names it
        '<a href="/p/kettle?page=2">Next "page" it\'s</a>',  # both quotes
    ],
)
def test_the_next_page_selector_finds_the_pages_own_next_link(pager: str) -> None:
    # The label in the page's language: the selector proposed for every labelled pager was
    # one for English labels, which matched nothing on a Polish or French page.
    blocks = "".join(_block(body, n) for n, body in enumerate(BODIES))
    pagers = f'<nav><a class="pager-link" href="/p/kettle?page=1">1</a>{pager}</nav>'
    html = _page(blocks + pagers, list(BODIES))
    suggestion = suggest_selectors(html, URL)
    assert suggestion.next_page is not None
    selectors = Selectors(review=suggestion.review, next_page=suggestion.next_page)
    page = extract_with_selectors(html, URL, selectors)
    assert page.next_page is not None and page.next_page.endswith("=2")


@pytest.mark.parametrize(
    ("stamp", "query", "read"),
    [
        ("<time>{n} grudnia 2025</time>", "time", "1 grudnia 2025"),
        (
            '<time datetime="2025-12-0{n}">{n}. desember</time>',
            "time::attr(datetime)",
            "2025-12-01",
        ),
    ],
)
def test_an_unclassed_time_element_is_the_date(stamp: str, query: str, read: str) -> None:
    # HTML's date element, often without a class: only classed elements were candidates,
    # and the suggestion had no date at all.
    blocks = "".join(
        _block(body, n).replace("</div>", stamp.format(n=n + 1) + "</div>", 1)
        for n, body in enumerate(BODIES)
    )
    html = _page(blocks, list(BODIES))
    suggestion = suggest_selectors(html, URL)
    assert suggestion.review_fields.get("date") == query
    selectors = Selectors(review=suggestion.review, review_fields=suggestion.review_fields)
    reviews = extract_with_selectors(html, URL, selectors).reviews
    assert reviews[0].date_raw == read


@pytest.mark.parametrize(
    ("attribute", "label"),
    [("aria-label", "Vurdert til {n} av 5"), ("title", "{n} z 5 gwiazdek"), ("title", "{n}/5")],
)
def test_an_empty_star_image_labelled_with_its_rating_is_the_rating(
    attribute: str, label: str
) -> None:
    # The rating said only in the label of an empty element (stars drawn by CSS), under a
    # class name in the page's language: only the element's text was looked at.
    blocks = "".join(
        f'<li class="omtale"><div class="gw" {attribute}="{label.format(n=n % 5 + 1)}"></div>'
        f'<p class="tekst">{body}</p></li>'
        for n, body in enumerate(BODIES)
    )
    html = _page(f"<ul>{blocks}</ul>", list(BODIES))
    suggestion = suggest_selectors(html, URL)
    assert suggestion.review_fields.get("rating") == f".gw::attr({attribute})"
    assert suggestion.rating_scale == 5
    selectors = Selectors(
        review=suggestion.review,
        review_fields=suggestion.review_fields,
        rating_scale=suggestion.rating_scale,
    )
    reviews = extract_with_selectors(html, URL, selectors).reviews
    assert [r.rating_raw for r in reviews][:2] == [label.format(n=1), label.format(n=2)]

"""Hostile pages through the review and rating layers: results stay right and nothing
escapes (self-written fixtures; worst-case timings live in benchmarks/extract_worst.py)."""

from __future__ import annotations

import json
import sys

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.heuristic_reviews import _ratings
from spiders.extract.json_text import LinelessText
from spiders.extract.jsonld import JSON_TOO_DEEP, parse_jsonld_block
from spiders.extract.layout_rating import attributes_rating_named, rating_of
from spiders.extract.script_json import MAX_SCRIPT_CHARS, script_json_values

URL = "https://shop.example/p/kettle-9"
BODY = "Boils fast and the handle stays cool, very happy with it."


def _page(body: str, head: str = "") -> str:
    return f"<html lang=en><head>{head}</head><body><h1>Kettle</h1>{body}</body></html>"


def _failed(page_warnings: list[str]) -> list[str]:
    return [w for w in page_warnings if w.startswith("extraction failed")]


def _state(reviews: int) -> str:
    data = [{"author": f"user {i}", "rating": 4, "text": f"{BODY} ({i})"} for i in range(reviews)]
    return json.dumps({"props": {"reviews": data}})


def test_lineless_text_decodes_like_str() -> None:
    decoder = json.JSONDecoder()
    text = 'x = {"a": [1, "b\\n"]}\n'
    assert decoder.raw_decode(LinelessText(text), 4) == decoder.raw_decode(text, 4)
    with pytest.raises(ValueError):
        decoder.raw_decode(LinelessText("a\n= {x"), 3)


def test_many_failed_assignments_before_the_state_still_find_it() -> None:
    code = "var a = {x: 1};\n" * 20_000 + f"window.__STATE__ = {_state(2)};"
    values = script_json_values(lxml.html.fromstring(_page(f"<script>{code}</script>")))
    assert values == [json.loads(_state(2))]


def test_a_script_over_the_limit_is_skipped_and_the_rest_read() -> None:
    huge = f'<script type="application/json">{_state(MAX_SCRIPT_CHARS // 60)}</script>'
    small = f'<script type="application/json">{_state(1)}</script>'
    page = extract_auto(_page(huge + small), URL)
    assert not _failed(page.warnings)
    assert [r.text for r in page.reviews] == [f"{BODY} (0)"]


@pytest.mark.parametrize("depth", [50, 900, 5_000])
def test_deep_json_everywhere_is_no_failure(depth: int) -> None:
    deep = '{"a":' * depth + "1" + "}" * depth
    head = (
        f'<script type="application/ld+json">{deep}</script>'
        f'<script type="application/json">{deep}</script><script>var s = {deep};</script>'
    )
    page = extract_auto(_page("<p>Nothing to see</p>", head), URL)
    assert not _failed(page.warnings)
    assert page.reviews == []


def test_json_ld_nested_past_the_stack_is_a_warning_and_a_reason() -> None:
    deep = "[" * (sys.getrecursionlimit() + 100) + "]" * (sys.getrecursionlimit() + 100)
    skipped: list[str] = []
    objects, warning = parse_jsonld_block(deep, skipped)
    assert objects == []
    assert warning is not None and "too deep" in warning
    assert skipped == [JSON_TOO_DEEP]


_DEEP = "[" * 200_000 + "]" * 200_000
_OFFER = json.dumps({"@context": "https://schema.org", "@type": "Product", "name": "Kettle",
                     "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"}})  # fmt: skip


@pytest.mark.parametrize(
    ("head", "skipped"),
    [
        (f'<script type="application/ld+json">{_DEEP}</script>', [JSON_TOO_DEEP]),
        (f'<script type="application/ld+json">{_DEEP},</script>', [JSON_TOO_DEEP]),
        (f'<script type="application/json">{_DEEP}</script>', [JSON_TOO_DEEP]),
        (f"<script>window.state = {_DEEP};</script>", [JSON_TOO_DEEP]),
        (f"<script>var s = JSON.parse('{_DEEP}');</script>", [JSON_TOO_DEEP]),
        (f'<script type="application/ld+json">{"[" * 50 + "]" * 50}</script>', []),
        ("<script>var s = [[[1]]];</script>", []),
    ],
)
def test_json_nested_past_the_stack_is_skipped_with_its_reason(
    head: str, skipped: list[str]
) -> None:
    """200,000 nested arrays were read as nothing and the crawl recorded nothing."""
    ld = f'<script type="application/ld+json">{_OFFER}</script>'
    page = extract_auto(_page("<p>49.00 EUR</p>", ld + head), URL)
    assert page.skipped == skipped
    assert not _failed(page.warnings)
    assert [o.name for o in page.offers] == ["Kettle"]  # the rest of the page is read


def _word(i: int) -> str:
    return "".join("kettlbosfa"[int(d)] for d in str(i))


def test_many_sibling_reviews_are_all_read() -> None:
    # Bodies that differ from their first word (a shared lead-in reads as template chrome).
    blocks = "".join(
        f"<div class='review'><i aria-label='{1 + i % 5} out of 5 stars'></i>"
        f"<small>{1 + i % 28} March 2024</small><p>{_word(i)} says {BODY} {_word(i * 7)}.</p>"
        "</div>"
        for i in range(300)
    )
    page = extract_auto(_page(f"<div>{blocks}</div>"), URL)
    assert not _failed(page.warnings)
    assert len(page.reviews) == 300
    assert [r.rating for r in page.reviews[:5]] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_100k_plain_siblings_give_nothing_and_no_failure() -> None:
    page = extract_auto(_page("<div>" + "<div class=c></div>" * 100_000 + "</div>"), URL)
    assert not _failed(page.warnings)
    assert page.reviews == [] and page.aggregate_rating is None


@pytest.mark.parametrize(
    "text",
    [
        "4.5 out of 5 " * 20_000,
        "1,2.3 4/5 " * 20_000 + "9" * 100_000,
        "123 ratings 4 reviews (5) stars " * 5_000,
        "★" * 50_000,
        # one long word in brackets after a rating: splitting it into "words" backtracked
        # for minutes (the suite's time limit fails it)
        "4,5 / 5 (27 " + "a" * 4_000,
        "4.4 от 5 (61 " + "б" * 4_000,
        "4,5 · " + "a" * 4_000,
    ],
)
def test_rating_like_text_runs_are_no_failure(text: str) -> None:
    page = extract_auto(_page(f"<p>{text}</p>"), URL)
    assert not _failed(page.warnings)


def test_text_aggregate_still_read_after_noise() -> None:
    noise = "<p>" + "1,2.3 4/5 " * 5_000 + "</p>"
    page = extract_auto(_page(noise + "<p>4.3 out of 5 stars · 1,234 ratings</p>"), URL)
    assert page.aggregate_rating is not None
    assert (page.aggregate_rating.rating_value, page.aggregate_rating.rating_count) == (4.3, 1234)


# The walk asks rating_of only where it can find a rating; these are the ways it can.
@pytest.mark.parametrize(
    "html",
    [
        '<div><span data-review-score="8"></span></div>',
        '<div><span aria-label="4 of 5"></span></div>',
        '<div><img alt="4,0 von 5"></div>',
        '<div><span title="3 out of 5"></span></div>',
        "<div><span>★★★★☆</span></div>",
        '<div><span class="Rating">4.5</span></div>',
        '<div><span class="ſtars">4 out of 5</span></div>',
        '<div class="RATING-box"><b>4/5</b></div>',
        '<div><span role="img" aria-valuenow="4" class="stars" aria-valuemax="5"></span></div>',
        '<div><span class="ratıng">4.5</span></div>',
        '<div><span class="İ RATİNG">4.5</span></div>',
        '<div class="justify-start stars"><b>4/5</b></div>',
        '<div class="start"><span data-rated="4" class="justify-start"></span></div>',
        '<div class="startstar"><b>4/5</b></div>',
    ],
)
def test_the_ratings_walk_finds_what_rating_of_reads(html: str) -> None:
    root = lxml.html.fromstring(f"<html><body>{html}</body></html>")
    everywhere = [e for e in root.iter() if isinstance(e.tag, str) and rating_of(e)]
    found = [element for element, _ in _ratings(root)]
    assert found and found[0] is everywhere[0]


@pytest.mark.parametrize(
    ("names", "named"),
    [
        ("justify-start start-date", False),
        ("separator", False),
        ("pirate", True),
        ("restart stars", True),
        ("ſcore", True),
    ],
)
def test_attributes_that_cannot_name_a_rating_are_not_read_as_named(
    names: str, named: bool
) -> None:
    element = lxml.html.fromstring(f'<div class="{names}">x</div>')
    assert attributes_rating_named(element) is named


def test_many_reviews_starting_alike_are_each_kept_once() -> None:
    reviews = [
        {"@type": "Review", "reviewBody": f"{BODY} Number {i}.", "author": f"a{i}",
         "reviewRating": {"@type": "Rating", "ratingValue": 1 + i % 5}}
        for i in range(3_000)
    ]  # fmt: skip
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Kettle"}
    data = json.dumps({**product, "review": reviews + reviews[:10]})  # ten printed twice
    head = f'<script type="application/ld+json">{data}</script>'
    page = extract_auto(_page("<p>Kettle</p>", head), URL)
    assert [r.text for r in page.reviews] == [f"{BODY} Number {i}." for i in range(3_000)]


def _reviews_ld(count: int) -> str:
    reviews = [{"@type": "Review", "reviewBody": f"{BODY} ({i})"} for i in range(count)]
    data = {"@context": "https://schema.org", "@type": "Product", "name": "K", "review": reviews}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(("count", "left"), [(8, True), (5, False), (2, False)])
def test_reviews_past_the_limit_are_not_built_and_the_page_says_so(
    monkeypatch: pytest.MonkeyPatch, count: int, left: bool
) -> None:
    """200,000 JSON-LD reviews in 8 MB were all built (584 MB) before the crawl kept 50,000."""
    import spiders.extract.schema_reviews as schema_reviews

    built: list[object] = []
    build = schema_reviews.review_item

    def counted(*args: object, **kwargs: object) -> object:
        built.append(args[0])
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(schema_reviews, "review_item", counted)
    page = extract_auto(_page("<p>x</p>", _reviews_ld(count)), URL, max_reviews=5)
    assert [r.text for r in page.reviews] == [f"{BODY} ({i})" for i in range(min(count, 5))]
    assert len(built) <= 6  # the limit, and the one that tells more were there
    assert page.skipped == (["reviews_over_limit"] if left else [])
    assert any("only the first 5 read" in w for w in page.warnings) is left


def test_selected_reviews_past_the_limit_are_left_with_their_reason() -> None:
    from settings.targets import Selectors
    from spiders.extract.selectors import extract_with_selectors

    selectors = Selectors.model_validate({"review": "li", "review_fields": {"text": "::text"}})
    html = "<html><body><ul>" + "<li>fine</li>" * 7 + "</ul></body></html>"
    page = extract_with_selectors(html, URL, selectors, max_reviews=3)
    assert len(page.reviews) == 3 and page.skipped == ["reviews_over_limit"]
    assert len(extract_with_selectors(html, URL, selectors, max_reviews=7).reviews) == 7

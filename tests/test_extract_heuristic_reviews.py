"""Review lists found by layout (no schema.org markup): snippets and the demo plain shop."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.heuristic_reviews import _class_shape

URL = "https://shop.example.com/p/kettle-9"
FIXTURE = Path(__file__).parent / "fixtures" / "demo-plain" / "product-page"
TEXT_A = "Boils fast and the handle stays cool, very happy with it."
TEXT_B = "The lid broke after two weeks and support never answered my emails."


def page(body: str) -> str:
    return f"<!doctype html><html lang='en'><body><h1>Kettle</h1>{body}</body></html>"


def two_reviews(rating_a: str, rating_b: str, tag: str = "div") -> str:
    """Two blocks of one template; reviews say when (a list without who or when is not one)."""
    return (
        f"<{tag} class='review'>{rating_a}<small>3 March 2024</small><p>{TEXT_A}</p></{tag}>"
        f"<{tag} class='review'>{rating_b}<small>9 May 2024</small><p>{TEXT_B}</p></{tag}>"
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
            [4.0, 2.0],
            5.0,
            id="star-bar-width-read-as-stars",
        ),
        # Class names hashed (CSS modules): the shapes say what the names no longer do.
        pytest.param(
            two_reviews(
                "<div class='x1f' aria-label='Rated 4 out of five stars'></div>",
                "<div class='x1f' aria-label='Rated 1 out of five stars'></div>",
            ),
            [4.0, 1.0],
            5.0,
            id="hashed-names-label-with-one-number-and-a-star-noun",
        ),
        pytest.param(
            two_reviews(
                "<div class='x2a'><div class='x3b' style='width: 80%'></div></div>",
                "<div class='x2a'><div class='x3b' style='width: 40%'></div></div>",
            ),
            [4.0, 2.0],
            5.0,
            id="hashed-names-lone-bar-in-an-empty-box",
        ),
        pytest.param(
            two_reviews(
                "<div class='x4c x9d'><i class='x3b' style='width: 100%'></i></div>",
                "<div class='x4c x9d'><i class='x3b' style='width: 100%'></i></div>",
            )
            + "<div class='review'><div class='x4c x8e'><i class='x3b' style='width: 40%'></i>"
            f"</div><small>1 June 2024</small><p>{TEXT_A}</p></div>",
            [5.0, 5.0, 2.0],
            5.0,
            id="hashed-names-a-class-per-value-splits-no-list",
        ),
    ],
)
def test_rating_forms(body: str, ratings: list[float], best: float) -> None:
    reviews = extract_auto(page(body), URL).reviews
    assert [r.rating for r in reviews] == ratings
    assert [r.text for r in reviews] == [TEXT_A, TEXT_B, TEXT_A][: len(ratings)]
    assert {r.best_rating for r in reviews} == {best}
    assert all(r.explain["text"] == "heuristic" for r in reviews)


def test_title_author_date_and_id() -> None:
    block = (
        "<article class='rv' id='r{n}'><h4>{title}</h4><span class='author'>{name}</span>"
        "<time datetime='2024-05-0{n}'>May {n}</time><span data-rating='4'></span>"
        "<div class='rv-body'>{text}</div></article>"
    )
    body = block.format(n=1, text=TEXT_A, title="Great kettle", name="Ann") + block.format(
        n=2, text=TEXT_B, title="Broke quickly", name="Bob"
    )
    first = extract_auto(page(body), URL).reviews[0]
    assert (first.title, first.author, first.external_id) == ("Great kettle", "Ann", "r1")
    assert str(first.published) == "2024-05-01"
    assert first.product_name == "Kettle"


@pytest.mark.parametrize(
    ("title_line", "titles"),
    [
        # The rating shown inside the title line, before or after the title, is not the title.
        ("<a class='review-title' href='/review/{n}'><i class='stars'><span>{n}.0 out of 5 stars</span></i> <b>{title}</b></a>",
         ["Great kettle", "Broke quickly"]),
        ("<h4><b>{title}</b> <span class='stars'>{n}.0 out of 5 stars</span></h4>",
         ["Great kettle", "Broke quickly"]),
        # A rating beside the title line leaves the title whole.
        ("<span class='stars'>{n}.0 out of 5 stars</span><h4>{title}</h4>",
         ["Great kettle", "Broke quickly"]),
    ],
)  # fmt: skip
def test_a_rating_inside_the_title_line_is_not_part_of_the_title(
    title_line: str, titles: list[str]
) -> None:
    block = "<div class='rv'>" + title_line + "<small>{n} May 2024</small><p>{text}</p></div>"
    body = block.format(n=5, title="Great kettle", text=TEXT_A) + block.format(
        n=2, title="Broke quickly", text=TEXT_B
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [r.title for r in reviews] == titles
    assert [r.rating for r in reviews] == [5.0, 2.0]


def dated_reviews(date_a: str, date_b: str) -> str:
    return (
        f"<div class='review'><span data-rating='5'></span>{date_a}<p>{TEXT_A}</p></div>"
        f"<div class='review'><span data-rating='2'></span>{date_b}<p>{TEXT_B}</p></div>"
    )


@pytest.mark.parametrize(
    ("lang", "date_a", "date_b", "published"),
    [
        pytest.param(
            "en",
            "<span class='date'>12 March 2024</span>",
            "<span class='date'>3 April 2024</span>",
            ["2024-03-12", "2024-04-03"],
            id="en-text",
        ),
        pytest.param(
            "en",
            "<p class='meta'>Reviewed in the United Kingdom on 12 March 2024</p>",
            "<p class='meta'>Reviewed in the United Kingdom on 1 May 2024</p>",
            ["2024-03-12", "2024-05-01"],
            id="en-line-without-date-name",
        ),
        pytest.param(
            "fr",
            "<span class='review-date'>Publié le 12 mars 2024</span>",
            "<span class='review-date'>Publié le 4 déc. 2023</span>",
            ["2024-03-12", "2023-12-04"],
            id="fr-text",
        ),
        pytest.param(
            "pl",
            "<small>Anna, 12 marca 2024</small>",
            "<small>Jan, 5 września 2024</small>",
            ["2024-03-12", "2024-09-05"],
            id="pl-with-author",
        ),
        pytest.param(
            "nb-NO",
            "<span class='posted'>12. mars 2024</span>",
            "<span class='posted'>1. mai 2024</span>",
            ["2024-03-12", "2024-05-01"],
            id="no-dotted-day",
        ),
        pytest.param(
            "de",
            "<span class='datum'>12. März 2024</span>",
            "<span class='datum'>03.12.2024</span>",
            ["2024-03-12", "2024-12-03"],
            id="de-text-and-dotted",
        ),
        pytest.param(
            "fr",
            "<span class='date'>03/12/2024</span>",
            "<span class='date'>25/12/2024</span>",
            ["2024-12-03", "2024-12-25"],
            id="numeric-day-first-language",
        ),
        pytest.param(
            "en-US",
            "<span class='date'>03/12/2024</span>",
            "<span class='date'>12/25/2024</span>",
            ["2024-03-12", "2024-12-25"],
            id="numeric-en-us",
        ),
        pytest.param(
            "en",
            "<span class='date'>03/12/2024</span>",
            "<span class='date'>25/12/2024</span>",
            [None, "2024-12-25"],
            id="numeric-unclear-order-left-null",
        ),
        pytest.param(
            "en",
            "<span class='date'>2 days ago</span>",
            "<span class='date'>yesterday</span>",
            [None, None],  # relative: the pipeline reads them against the crawl's clock
            id="relative-left-to-the-pipeline",
        ),
    ],
)
def test_review_dates_as_text(
    lang: str, date_a: str, date_b: str, published: list[str | None]
) -> None:
    html = f"<!doctype html><html lang='{lang}'><body><h1>Kettle</h1>{dated_reviews(date_a, date_b)}</body></html>"
    reviews = extract_auto(html, URL).reviews
    assert [str(r.published) if r.published else None for r in reviews] == published
    assert [r.text for r in reviews] == [TEXT_A, TEXT_B]


def test_date_in_review_text_is_not_the_review_date() -> None:
    text = "Bought it on 3 March 2024 and it still boils fast, very happy with it."
    body = dated_reviews("<span>Ann</span>", "<span>Bob</span>").replace(TEXT_A, text)
    reviews = extract_auto(page(body), URL).reviews
    assert [r.published for r in reviews] == [None, None]


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


def pair(template: str) -> str:
    """Two blocks of ``template`` ({n}: 1 or 2, {t}: a review text)."""
    return "".join(template.format(n=n, t=t) for n, t in ((1, TEXT_A), (2, TEXT_B)))


def marketplace_block(name: str, stars: str, date: str, text: str, votes: str) -> str:
    """A marketplace-style review: avatar link, profile name, star icon in a link, a
    variant line and a helpful-votes line around the body."""
    return (
        f"<div class='rv-card'><a href='/profile/{name}'><div><img src='/avatar.png'></div>"
        f"<div><span class='nick'>{name}</span></div></a>"
        f"<div><a title='{stars} out of 5 stars' href='/review/{name}'><i class='icon-star'>"
        f"<span>{stars} out of 5 stars</span></i></a></div>"
        f"<span>Reviewed in Norway on {date}</span>"
        f"<div><span>Review written for variant 45 cl</span></div>"
        f"<div><span>{text}</span></div>"
        f"<div>{votes}</div><div><a href='#' role='button'>Helpful</a> <a href='#'>Report</a></div>"
        "</div>"
    )


MARKETPLACE = (
    marketplace_block("Ann", "4.0", "3 March 2024", "Good.", "12 people found this helpful")
    + marketplace_block("Bob", "1.0", "9 May 2024", TEXT_B, "One person found this helpful")
    + marketplace_block("Cy", "5.0", "1 June 2024", TEXT_A, "3 people found this helpful")
)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        pytest.param("text", ["Good.", TEXT_B, TEXT_A], id="body-not-variant-or-votes-line"),
        pytest.param("author", ["Ann", "Bob", "Cy"], id="author-from-profile-not-votes"),
        pytest.param("rating", [4.0, 1.0, 5.0], id="rating-from-label"),
        pytest.param("best_rating", [5.0, 5.0, 5.0], id="scale"),
        pytest.param("published", ["2024-03-03", "2024-05-09", "2024-06-01"], id="date"),
    ],
)
def test_marketplace_blocks_with_avatar_links(field: str, expected: list[object]) -> None:
    reviews = extract_auto(page(MARKETPLACE), URL).reviews
    got = [getattr(r, field) for r in reviews]
    assert [str(v) if field == "published" else v for v in got] == expected


@pytest.mark.parametrize(
    ("ratings", "values", "best", "worst", "normalized"),
    [
        pytest.param(
            ("data-score='8'", "data-score='3'"),
            [8.0, 3.0],
            10.0,
            0.0,
            [0.8, 0.3],
            id="x-of-10-inferred",
        ),
        pytest.param(
            ("data-score='80'", "data-score='35'"),
            [80.0, 35.0],
            100.0,
            0.0,
            [0.8, 0.35],
            id="0-100-inferred",
        ),
        pytest.param(
            ("data-review-rating='4' data-max='5'", "data-review-rating='2' data-max='5'"),
            [4.0, 2.0],
            5.0,
            1.0,
            [0.75, 0.25],
            id="stated-best",
        ),
        pytest.param(
            ("aria-label='4,0 von 5 Sternen'", "aria-label='2,0 von 5 Sternen'"),
            [4.0, 2.0],
            5.0,
            1.0,
            [0.75, 0.25],
            id="label-in-any-language",
        ),
    ],
)
def test_rating_scale_inferred_and_normalised(
    ratings: tuple[str, str],
    values: list[float],
    best: float,
    worst: float,
    normalized: list[float],
) -> None:
    body = two_reviews(f"<span {ratings[0]}></span>", f"<span {ratings[1]}></span>")
    reviews = extract_auto(page(body), URL).reviews
    assert [r.rating for r in reviews] == values
    assert {(r.best_rating, r.worst_rating) for r in reviews} == {(best, worst)}
    assert [r.rating_normalized for r in reviews] == pytest.approx(normalized)
    assert all(r.rating_raw for r in reviews)


def test_star_bar_keeps_the_width_as_raw_rating() -> None:
    body = two_reviews(
        "<div class='stars'><div style='width: 80%'></div></div>",
        "<div class='stars'><div style='width: 100%'></div></div>",
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [(r.rating, r.best_rating, r.rating_raw) for r in reviews] == [
        (4.0, 5.0, "width: 80%"),
        (5.0, 5.0, "width: 100%"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>") * 2,
            id="carousel-clones",
        ),
        pytest.param(
            "<div class='desktop'>"
            + two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>")
            + "</div><div class='mobile'><ul>"
            + two_reviews(
                "<span data-rating='5'></span>", "<span data-rating='2'></span>", tag="li"
            )
            + "</ul></div>",
            id="desktop-and-mobile-copies",
        ),
    ],
)
def test_copies_of_a_review_are_one_review(body: str) -> None:
    reviews = extract_auto(page(body), URL).reviews
    assert [r.text for r in reviews] == [TEXT_A, TEXT_B]


def test_line_break_counts_as_a_space() -> None:
    body = two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>").replace(
        "Boils fast and", "Boils fast<br>and"
    )
    assert extract_auto(page(body), URL).reviews[0].text == TEXT_A


@pytest.mark.parametrize(
    ("block", "found"),
    [
        pytest.param(
            "<div class='rv'><b>Ann</b><span data-rating='4'></span><small>3 March 2024</small>"
            f"<p>{TEXT_A}</p><a href='#' role='button'>Reply</a></div>",
            [TEXT_A],
            id="lone-dated-review",
        ),
        pytest.param(
            f"<div class='summary'><span data-rating='4.5'></span><p>{TEXT_A}</p></div>",
            [],
            id="lone-undated-summary",
        ),
        pytest.param(
            "<table><tr><th>Customer rating</th><td><span title='4.7 out of 5'>★★★★★</span>"
            "</td></tr><tr><th>First available on 3 March 2024 in every store</th><td>x</td></tr>"
            "</table>",
            [],
            id="details-table",
        ),
    ],
)
def test_a_page_with_one_review(block: str, found: list[str]) -> None:
    assert [r.text for r in extract_auto(page(block), URL).reviews] == found


@pytest.mark.parametrize(
    "heading",
    [
        "<h1>Wool scarf grey</h1>",
        "<h2>Wool scarf grey</h2>",
        "<div class='n' style='font-size:24px'>Wool scarf grey</div>",
    ],
    ids=["h1", "h2", "styled-div"],
)
def test_the_block_naming_the_product_is_no_lone_review(heading: str) -> None:
    """The product's own block (its name, a rating, a date, prose) is no review, however
    the page heads it: a lone review's block never holds the page's main heading."""
    html = (
        "<html><head><title>Wool scarf grey | Kaste</title></head><body>"
        f"<header><a href='/'>Kaste</a></header><div class='item'>{heading}"
        "<span data-rating='4'></span><small>Added 3 March 2024</small>"
        "<p>Soft merino wool, knitted in one piece and washed by hand before it leaves.</p>"
        "</div></body></html>"
    )
    assert extract_auto(html, URL).reviews == []


def test_a_lone_review_holding_its_aspect_ratings() -> None:
    """One review rated overall and per aspect: the list of aspect ratings sits whole in the
    review's block, so the block still grows from the overall rating to the text."""
    aspects = "".join(
        f"<li>{aspect} <span data-rating='{n}'></span></li>"
        for aspect, n in (("Quality", 4), ("Comfort", 5), ("Fit", 3))
    )
    block = (
        "<div class='rv'><div class='head'><small>3 March 2024</small> by <span>Ann</span>"
        f"</div><ul>{aspects}</ul><p>{TEXT_A}</p><div>Rated <b class='score'>8</b>/10"
        " <span class='reviewer-badge'></span></div></div>"
    )
    reviews = extract_auto(page(block), URL).reviews
    # A lone review's author is a line named so; the rating's line is not one, whatever
    # its empty badge is named.
    assert [(r.text, r.rating, r.best_rating, r.author) for r in reviews] == [
        (TEXT_A, 8.0, 10.0, None)
    ]


HISTOGRAM = "".join(
    f"<li><a href='#r{n}' title='{n} of 5 stars'>{n}</a></li>" for n in (5, 4, 3, 2, 1)
)
NUMBERED_STARS = "".join(
    f"<span class='star star-{'full' if n <= 3 else 'empty'}' data-rating='{n}'></span>"
    for n in range(1, 6)
)


@pytest.mark.parametrize(
    "summary", [f"<ul>{HISTOGRAM}</ul>", f"<div>{NUMBERED_STARS}</div>"], ids=["histogram", "stars"]
)
def test_a_lone_review_beside_the_summary_keeps_its_own_text(summary: str) -> None:
    """Ratings that step by one (a histogram's rows, the numbered stars of the page's
    average) are the summary, not the review's own ratings: the lone review's block does
    not grow over them to the summary's text."""
    body = (
        f"<section><p>Average satisfaction level of all our customers</p>{summary}"
        "<div class='rv'><span data-rating='5'></span><small>3 March 2024</small>"
        "<p>Easy to use, good quality.</p></div></section>"
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [(r.text, r.title) for r in reviews] == [("Easy to use, good quality.", None)]


def hashed_pair_reviews(shown: tuple[str, str]) -> str:
    """Two reviews whose classes say nothing (hashed) and whose rating is only a number
    over its scale, written across two elements; short bodies."""
    return "".join(
        f"<div class='x7a'><div class='x1c'><div>{day} March 2024</div> by <span>{who}</span>"
        f"</div><div>{text}</div><div>Rated <b><span class='x9c'>{n}</span>/10</b></div></div>"
        for day, who, text, n in (
            (3, "Ann", "Good value for money.", shown[0]),
            (9, "Bob", "Soft fabric and nice cut.", shown[1]),
        )
    )


def test_hashed_reviews_rated_by_a_number_over_its_scale() -> None:
    reviews = extract_auto(page(hashed_pair_reviews(("7", "9"))), URL).reviews
    assert [(r.text, r.rating, r.best_rating, r.author) for r in reviews] == [
        ("Good value for money.", 7.0, 10.0, "Ann"),
        ("Soft fabric and nice cut.", 9.0, 10.0, "Bob"),
    ]


@pytest.mark.parametrize(
    "shown", [("7", "19"), ("1", "2")], ids=["over-the-scale", "a-step-counter"]
)
def test_numbers_over_a_scale_that_are_no_ratings(shown: tuple[str, str]) -> None:
    assert extract_auto(page(hashed_pair_reviews(shown)), URL).reviews == []


def test_product_cards_with_prices_and_review_list_on_one_page() -> None:
    cards = "".join(
        f"<div class='tile'><span data-rating='{n}'></span><p>Kettle model {n} with a"
        f" steel body</p><span>Ann {n}</span><span>{n}9,99 €</span></div>"
        for n in (3, 4)
    )
    body = cards + two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>")
    reviews = extract_auto(page(body), URL).reviews
    assert [(r.text, r.rating) for r in reviews] == [(TEXT_A, 5.0), (TEXT_B, 2.0)]


def icons(filled: int, half: int, total: int = 5) -> str:
    shapes = ["i-full"] * filled + ["i-half"] * half + ["i-empty"] * (total - filled - half)
    return "<div class='stars'>" + "".join(f"<i class='{c}'></i>" for c in shapes) + "</div>"


@pytest.mark.parametrize(
    ("rating_a", "rating_b", "values", "best"),
    [
        pytest.param(icons(4, 0), icons(2, 0), [4.0, 2.0], 5.0, id="filled-icons-counted"),
        pytest.param(icons(3, 1), icons(1, 0), [3.5, 1.0], 5.0, id="half-icon"),
        pytest.param(icons(7, 0, 10), icons(2, 0, 10), [7.0, 2.0], 10.0, id="ten-icons"),
        pytest.param(
            "<p class='ratings'>"
            + "".join(
                f"<span class='star star-{i}' data-rating='{i}'><svg></svg></span>"
                for i in range(1, 6)
            )
            + "</p>",
            "<p class='ratings'>"
            + "".join(
                f"<span class='star star-{i}{' off' if i > 2 else ''}' data-rating='{i}'><svg></svg></span>"
                for i in range(1, 6)
            )
            + "</p>",
            [5.0, 2.0],
            5.0,
            id="numbered-stars-all-lit-or-some",
        ),
        pytest.param(
            "<p class='ratings'>" + "<span>★</span>" * 4 + "<span>☆</span></p>",
            "<p class='ratings'>" + "<span>★</span>" * 2 + "<span>☆</span>" * 3 + "</p>",
            [4.0, 2.0],
            5.0,
            id="a-glyph-per-element",
        ),
        pytest.param(
            "<span class='rating stars-4'></span>",
            "<span class='rating stars-4-5'></span>",
            [4.0, 4.5],
            5.0,
            id="number-in-class",
        ),
    ],
)
def test_star_icons_and_class_numbers(
    rating_a: str, rating_b: str, values: list[float], best: float
) -> None:
    reviews = extract_auto(page(two_reviews(rating_a, rating_b)), URL).reviews
    assert [(r.rating, r.best_rating) for r in reviews] == [(v, best) for v in values]


@pytest.mark.parametrize(
    ("row", "rating"),
    [
        pytest.param(icons(5, 0).replace("i-full", "i"), 5.0, id="alike-icons-are-all-lit"),
        pytest.param(
            icons(5, 0).replace("i-full", "i").replace("'stars'", "'stars stars-3'"),
            3.0,
            id="a-number-on-the-row-wins-over-alike-icons",
        ),
    ],
)
def test_alike_icons(row: str, rating: float) -> None:
    reviews = extract_auto(page(two_reviews(row, row)), URL).reviews
    assert [r.rating for r in reviews] == [rating, rating]


def byline_block(byline: str, rating: int, text: str) -> str:
    return (
        f"<div class='rv'><span data-rating='{rating}'></span><p>{text}</p>"
        f"<span class='line'>{byline}</span></div>"
    )


@pytest.mark.parametrize(
    ("bylines", "authors"),
    [
        pytest.param(
            ("by <span class='reviewer-name'>Ann B.</span> from Oslo 03.03.2024",
             "by <span class='reviewer-name'>Bob</span> from Bergen 09.05.2024"),
            ["Ann B.", "Bob"],
            id="name-inside-a-dated-byline",
        ),
        pytest.param(("anna82", "Bob_77"), ["anna82", "Bob_77"], id="nicknames-with-digits"),
    ],
)  # fmt: skip
def test_author_from_byline(bylines: tuple[str, str], authors: list[str]) -> None:
    body = byline_block(bylines[0], 5, TEXT_A) + byline_block(bylines[1], 2, TEXT_B)
    reviews = extract_auto(page(body), URL).reviews
    assert [r.author for r in reviews] == authors


def test_author_read_where_a_badge_moves_it() -> None:
    plain = "<div class='rv'><div class='who'><span class='nick'>{n}</span></div>{r}<small>{d}</small><p>{t}</p></div>"  # fmt: skip
    badged = "<div class='rv'><div class='who'><div class='badge'><span class='nick'>{n}</span></div></div>{r}<small>{d}</small><p>{t}</p></div>"  # fmt: skip
    body = (
        plain.format(n="Ann", r="<span data-rating='5'></span>", d="3 March 2024", t=TEXT_A)
        + plain.format(n="Bob", r="<span data-rating='2'></span>", d="9 May 2024", t=TEXT_B)
        + badged.format(n="Cy", r="<span data-rating='4'></span>", d="1 June 2024", t="Fine kettle, a bit loud but it does the job well.")
    )  # fmt: skip
    reviews = extract_auto(page(body), URL).reviews
    assert [r.author for r in reviews] == ["Ann", "Bob", "Cy"]


def test_a_long_reply_in_one_block_is_not_the_body() -> None:
    reply = (
        "<div class='reply'>Thank you for your feedback! We are sorry to hear about the lid and"
        " have passed this on to our quality team, who will contact you within two working days"
        " to arrange a replacement or a full refund, whichever you prefer.</div>"
    )
    blocks = [
        ("Ann", 5, "3 March 2024", TEXT_A, ""),
        ("Bob", 2, "9 May 2024", TEXT_B, reply),
        ("Cy", 4, "1 June 2024", "Fine kettle, a bit loud but it does the job.", ""),
    ]
    body = "".join(
        f"<div class='rv'><b class='by'>{n}</b><span data-rating='{r}'></span><small>{d}</small>"
        f"<div class='txt'>{t}</div>{extra}</div>"
        for n, r, d, t, extra in blocks
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [r.text for r in reviews] == [b[3] for b in blocks]


def test_a_body_in_several_paragraphs_is_one_text() -> None:
    body = two_reviews("<span data-rating='5'></span>", "<span data-rating='2'></span>").replace(
        f"<p>{TEXT_A}</p>", f"<p>{TEXT_A}</p><p>Second paragraph, still the review.</p>"
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [r.text for r in reviews] == [f"{TEXT_A} Second paragraph, still the review.", TEXT_B]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "<h2>Ratings</h2>"
            + pair(
                "<div class='c'><span class='q' aria-label='1/{n} cup'>1/{n} cup</span>"
                "<span>Ann{n}</span><small>3 March 2024</small><p>{t}</p></div>"
            ),
            id="fractions-in-labels-are-not-ratings",
        ),
        pytest.param(
            "<h2>Ratings</h2>"
            + pair(
                "<div class='c'><div class='when' title='Posted: 07/2{n}/24'>0{n}.07.24</div>"
                "<b class='who'>Ann{n}</b><p>{t}</p></div>"
            ),
            id="dates-in-titles-are-not-ratings",
        ),
        pytest.param(
            pair(
                "<div class='c'><b class='who'>Ann{n}</b><small>3 March 2024</small><p>{t}</p>"
                "<form><input type='radio' name='r' value='4' aria-label='Rate 4 out of 5'>"
                "</form></div>"
            ),
            id="rating-inputs-are-not-ratings",
        ),
        pytest.param(
            pair(
                "<div class='tile'><a href='/recipe/{n}'><span class='title'>Recipe {n}</span>"
                "<span data-rating='4'></span><span>Ann</span><span>3 March 2024</span>"
                "<span>{t}</span></a></div>"
            ),
            id="cards-that-are-links",
        ),
        pytest.param(
            "<div class='byline'><div class='average-rating' data-rating='4'></div>"
            f"<span class='author'>Ann</span><small>3 March 2024</small><p>{TEXT_A}</p></div>",
            id="lone-average-rating",
        ),
        pytest.param(
            "<div class='byline'><span data-rating='4.3'></span><span class='author'>Ann</span>"
            f"<small>3 March 2024</small><p>{TEXT_A}</p></div>",
            id="lone-rating-that-is-not-whole-or-half",
        ),
        pytest.param(
            two_reviews("<span data-rating='5'></span>", "<span data-rating='4'></span>").replace(
                "</p>", "</p><span class='price'>19,99 €</span>"
            ),
            id="product-cards-with-prices",
        ),
        pytest.param(
            "<div class='card'><a href='/p/1'><img src='1.jpg'>Steel kettle with a cool handle,"
            " 1.7 litres</a><span data-rating='4'></span><small>Ann</small></div>"
            "<div class='card'><a href='/p/2'><img src='2.jpg'>Glass kettle with blue light and"
            " filter</a><span data-rating='3'></span><small>Bob</small></div>",
            id="product-cards-whose-text-links-elsewhere",
        ),
        pytest.param(
            "<div class='card'><span data-rating='4'></span><p>Steel kettle with a cool handle,"
            " 1.7 litres</p></div><div class='card'><span data-rating='3'></span><p>Glass kettle"
            " with blue light and filter</p></div>",
            id="teasers-without-author-or-date",
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
                f"<p>{TEXT_B}</p>", ""
            ),
            id="a-block-without-text",
        ),
        pytest.param(
            two_reviews(
                "<div class='x2a'><div class='x3b' style='width: 24%'></div></div>",
                "<div class='x2a'><div class='x3b' style='width: 62%'></div></div>",
            ),
            id="unnamed-bars-off-whole-and-half-stars-are-progress-bars",
        ),
        pytest.param(
            two_reviews(
                "<div class='x1f' aria-label='2 items in your basket'></div>",
                "<div class='x1f' aria-label='3 items in your basket'></div>",
            ),
            id="unnamed-label-with-a-number-and-no-star-noun",
        ),
        pytest.param(
            "<section><div class='x7'><div id='slot' style='z-index:1;width:100%'></div></div>"
            f"<b>Ann</b><small>3 March 2024</small><p>{TEXT_A}</p></section>",
            id="a-lone-unnamed-full-width-box-is-a-placeholder",
        ),
        pytest.param(
            two_reviews(
                "<div class='x2a'><img class='x3b' style='width:100%' src='a.jpg'></div>",
                "<div class='x2a'><img class='x3b' style='width:100%' src='b.jpg'></div>",
            ),
            id="an-image-as-wide-as-its-frame-is-no-star-bar",
        ),
    ],
)
def test_no_reviews_without_a_review_list(body: str) -> None:
    assert extract_auto(page(body), URL).reviews == []


def test_reply_link_is_not_the_author() -> None:
    body = (
        "<div class='c'><span class='author'>Ann</span><span data-rating='5'></span><small>3 March"
        f" 2024</small><p>{TEXT_A}</p><a href='?replyto=1#respond'>Reply</a></div>"
    )
    assert [r.author for r in extract_auto(page(body), URL).reviews] == ["Ann"]


def test_bold_author_is_not_a_title() -> None:
    body = "".join(
        f"<div class='c'><b class='comment-author'>{n}</b><span data-rating='5'></span>"
        f"<small>{d}</small><p>{t}</p></div>"
        for n, d, t in (("Ann", "3 March 2024", TEXT_A), ("Bob", "9 May 2024", TEXT_B))
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [(r.author, r.title) for r in reviews] == [("Ann", None), ("Bob", None)]


def test_a_reply_nested_in_a_review_is_not_its_text() -> None:
    """A shop's reply to every review, built like the review and nested in it."""
    replies = (
        "So glad it suits your kitchen, Ann, thank you for telling us how you use it every day!",
        "Sorry about the lid, Bob: our team will send a new one today, please check your mail.",
    )
    body = "".join(
        f"<li class='c'><article class='body'><b class='fn'>{name}</b><span data-rating='5'>"
        f"</span><small>3 March 2024</small><p>{text}</p></article><ol><li class='c'>"
        f"<article class='body'><b class='fn'>Shop</b><p>{reply}</p></article></li></ol></li>"
        for name, text, reply in zip(("Ann", "Bob"), (TEXT_A, TEXT_B), replies, strict=True)
    )
    reviews = extract_auto(page(f"<ol>{body}</ol>"), URL).reviews
    assert [r.text for r in reviews] == [TEXT_A, TEXT_B]


BARE_REVIEWS = (
    "<h2>Customer ratings</h2><div class='xa1'><b class='xb2'>Great kettle</b><span class='xc3'>Ann12</span>"
    f"<span class='xd4'>{TEXT_A}</span><span class='xe5'>5</span></div>"
    "<div class='xa1'><b class='xb2'>Broke fast</b><span class='xc3'>Bob_7</span>"
    f"<span class='xd4'>{TEXT_B}</span><span class='xe5'>2</span></div>"
)


def rows(template: str, *values: tuple[str, ...]) -> str:
    """One block of ``template`` per tuple of values."""
    return "".join(template.format(*v) for v in values)


STEP = "Stir it well and leave it to rest for ten minutes."


@pytest.mark.parametrize(
    "decoy",
    [
        pytest.param("", id="no-decoy"),
        pytest.param(
            rows(
                "<div class='xf6'><span class='xg7'>{}</span><span>cups</span><span>{}</span></div>",
                ("2", "flour"),
                ("1", "sugar"),
                ("3", "warm milk"),
            ),
            id="ingredient-amounts",
        ),
        pytest.param(
            rows(
                "<div class='xf6'><span class='xg7'>{}</span><b>{}</b><p>{}</p></div>",
                ("1", "Dough", STEP),
                ("2", "Filling", STEP),
                ("3", "Glaze", STEP),
            ),
            id="numbered-steps",
        ),
        pytest.param(
            rows(
                "<div class='xf6'><b>{}</b><p>{}</p><span class='xg7'>{}</span></div>",
                ("Cleo", TEXT_A, "0"),
                ("Dan", TEXT_B, "4"),
            ),
            id="comment-like-counters",
        ),
        pytest.param(
            rows(
                "<div class='xf6'><b>{}</b><p>{}</p><a href='/u/{}'>{}</a></div>",
                ("Cleo", TEXT_A, "1", "3"),
                ("Dan", TEXT_B, "2", "5"),
            ),
            id="numbers-in-links",
        ),
    ],
)
def test_ratings_shown_as_bare_digits(decoy: str) -> None:
    """Class names hashed, no labels: a lone digit at one place of every block of a
    template with a name line and a prose text is the rating; amounts, steps, like
    counters and linked numbers beside it are not."""
    reviews = extract_auto(page(decoy + BARE_REVIEWS), URL).reviews
    assert [(r.text, r.rating, r.best_rating, r.author) for r in reviews] == [
        (TEXT_A, 5.0, 5.0, "Ann12"),
        (TEXT_B, 2.0, 5.0, "Bob_7"),
    ]


def test_author_in_a_button_that_opens_the_profile() -> None:
    """Dates written as "8 days ago" (not a written date): the reviews say who, with names
    that are buttons; buttons whose words repeat in every block are actions."""
    body = rows(
        "<div class='r'><span data-rating='{}'></span><button>{}</button><span>{} days ago</span>"
        "<p>{}</p><button>Helpful ({})</button></div>",
        ("5", "Ann12", "8", TEXT_A, "3"),
        ("2", "Bob_7", "9", TEXT_B, "0"),
        ("4", "cleo", "12", "Nice enough, though the cord could be a little longer.", "1"),
    )
    reviews = extract_auto(page(body), URL).reviews
    assert [(r.rating, r.author) for r in reviews] == [
        (5.0, "Ann12"),
        (2.0, "Bob_7"),
        (4.0, "cleo"),
    ]


def test_a_class_list_has_one_shape_however_long() -> None:
    # Short class lists' shapes are remembered, long ones read each time: the same shape.
    short = lxml.html.fromstring('<span class="star-4 b a">x</span>')
    many = " ".join(f"c{i}x" for i in range(100))
    long = lxml.html.fromstring(f'<div class="star-5 {many} a">x</div>')
    assert _class_shape(short) == "span.a.b.star"
    assert len(long.get("class")) > 200
    assert _class_shape(long) == "div.a.cx.star"


# A widget drawing one review's stars twice: a lit copy (clipped by CSS) over an unlit one,
# both labelled; its classes hashed.
TWIN_STARS = (
    "<span class='x1'><abbr title='4 out of 5 stars.' class='x2'>★★★★★</abbr>"
    "<abbr title='4 out of 5 stars.' class='x2 x3'>★★★★★</abbr></span>"
)


@pytest.mark.parametrize(
    ("stars", "when"),
    [
        pytest.param(TWIN_STARS, "3 March 2024", id="stars-drawn-twice"),
        pytest.param(
            "<span title='4 out of 5 stars.'>★★★★★</span>", "2 months ago", id="relative-date"
        ),
        pytest.param(TWIN_STARS, "il y a 2 mois", id="both"),
    ],
)
def test_a_lone_review_with_its_stars_drawn_twice_or_a_relative_date(stars: str, when: str) -> None:
    """One review: its widget's two copies of the same rating are one rating, not two
    reviews' (whose blocks would hold each other's); a relative date says when as a
    written one does."""
    block = (
        f"<ol><li class='x4'><div class='x5'>{stars}<div class='x6'><div>Ann</div>"
        f"<div>{when}</div></div><h3>Cute</h3></div><div class='x7'><p>{TEXT_A}</p></div>"
        "</li></ol>"
    )
    reviews = extract_auto(page(block), URL).reviews
    assert [(r.text, r.rating, r.best_rating) for r in reviews] == [(TEXT_A, 4.0, 5.0)]
    assert reviews[0].date_raw == when


@pytest.mark.parametrize(
    "line",
    [
        "<span>Size 42</span>",  # a number and a word that say no date
        "<span>twin stars</span>",
    ],
)
def test_a_lone_review_says_when(line: str) -> None:
    block = (
        f"<ol><li class='x4'><div class='x5'>{TWIN_STARS}<div class='x6'>{line}</div>"
        f"<h3>Cute</h3></div><div class='x7'><p>{TEXT_A}</p></div></li></ol>"
    )
    assert extract_auto(page(block), URL).reviews == []

"""Aggregate ratings written only as text, in the page's language (self-written phrases)."""

from __future__ import annotations

import lxml.html
import pytest

from settings.records import AggregateRatingItem
from spiders.extract.auto import extract_auto
from spiders.extract.rating_words import WORDS, rating_patterns
from spiders.extract.text_aggregate import (
    TextRating,
    add_text_counts,
    choose_text_rating,
    page_text,
    text_aggregate_rating,
    text_ratings,
)

URL = "https://shop.example/p/kettle-9"


def _page(body: str, lang: str = "en") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html lang='{lang}'><body>{body}</body></html>")


@pytest.mark.parametrize(
    ("text", "language", "value", "best", "ratings", "reviews"),
    [
        ("4.3 out of 5 stars · 1,234 ratings", "en", 4.3, 5, 1234, None),
        ("Rated 4.3 out of 5 based on 87 customer reviews", "en", 4.3, 5, None, 87),
        ("4.3 out of 5 stars 230 global ratings", "en", 4.3, 5, 230, None),
        ("4,3/5 (123 avis)", "fr", 4.3, 5, None, 123),
        ("3,6 sur 5 étoiles 8 évaluations", "fr", 3.6, 5, 8, None),
        ("4,5 von 5 Sternen 2.345 Bewertungen", "de", 4.5, 5, 2345, None),
        ("4,8 basierend auf 120 Bewertungen", "de", 4.8, 5, 120, None),
        ("4,2 de 5 estrellas 87 valoraciones", "es", 4.2, 5, 87, None),
        ("4,4 su 5 stelle 45 recensioni", "it", 4.4, 5, None, 45),
        ("4,1 van 5 sterren (12 beoordelingen)", "nl", 4.1, 5, 12, None),
        ("4,6 av 5 stjärnor 31 betyg", "sv", 4.6, 5, 31, None),
        ("4,3 av 5 stjerner, 78 vurderinger", "no", 4.3, 5, 78, None),
        ("4,3 ud af 5 stjerner 9 anmeldelser", "da", 4.3, 5, None, 9),
        ("4,3 z 5 gwiazdek (56 opinii)", "pl", 4.3, 5, None, 56),
        ("4,7 de 5 estrelas 1 234 avaliações", "pt", 4.7, 5, 1234, None),
        ("8,2/10 · 1 204 avis", "fr", 8.2, 10, None, 1204),
        ("4.7 from 23 votes", "en", 4.7, 5, 23, None),
        ("Reviews (14) 4.5/5", "en", None, None, None, None),  # the count is before: not read
        ("4.5 out of 5 stars: Reviews (14)", "en", 4.5, 5, None, 14),
        ("4,3 z 5 (56 opinii)", None, 4.3, 5, None, 56),  # no language declared: all words
        # No scale written: the count of ratings right after the average says what it is.
        ("4.96 stars (1806 ratings)", "en", 4.96, 5, 1806, None),
        ("4,03 (2231 Bewertungen)", "de", 4.03, 5, 2231, None),
        ("Rated 4.5 (2 reviews)", "en", 4.5, 5, None, 2),
        ("8,7 (120 votes)", "fr", 8.7, 10, 120, None),
        ("5 stars based on 2400 votes", "en", 5.0, 5, 2400, None),  # a star noun between
        ("4.34 van 59 stemmen", "nl", 4.34, 5, 59, None),  # 59 is a count, not "of 5" and 9
        ("80/100 (12 ratings)", "en", 80.0, 100, 12, None),  # 100 is no scale 10 and a 0
        ("Average rating 4.6 / 5. Vote count: 12", "en", 4.6, 5, 12, None),
        # The noun's number is a rating, not a count: the count comes after it.
        ("Rating: 4/5 Rating: 4/5 1 review", "en", 4.0, 5, None, 1),
        # One label says the count, then the average with its star noun.
        ("43 Bewertungen, 4,7 von 5 Sternen, Link zu Bewertungen", "de", 4.7, 5, 43, None),
        ("4.5 de 10 opiniones", "es", 4.5, 5, None, 10),  # 10 counts, it is no scale
        ("Rating: 3 stars 3 Ratings", "en", 3.0, 5, 3, None),  # a whole number of stars
    ],
)
def test_text_aggregate_rating(
    text: str,
    language: str | None,
    value: float | None,
    best: float | None,
    ratings: int | None,
    reviews: int | None,
) -> None:
    found = text_aggregate_rating(_page(f"<h1>Kettle</h1><p>{text}</p>"), language)
    if value is None:
        assert found is None
        return
    assert found is not None
    assert (found.rating_value, found.best_rating) == (value, best)
    assert (found.rating_count, found.review_count) == (ratings, reviews)
    assert found.explain["rating_value"] == "heuristic"


@pytest.mark.parametrize(
    "body",
    [
        "<p>4.5 out of 5 stars</p>",  # a review's own rating or a product card's: no count
        "<p>Page 1 of 5</p><p>Showing 1-10 of 50 reviews</p>",
        "<p>0 out of 5 stars 0 ratings</p>",  # nothing rated yet
        "<p>7 out of 5 stars 12 ratings</p>",  # above its scale
        # a star picker: every option says what clicking it would give
        "<span>1 out of 5 stars (12 ratings)</span><span>2 out of 5 stars (12 ratings)</span>"
        "<span>3 out of 5 stars (12 ratings)</span>",
        "<span role='button' aria-label='Rate 4 out of 5 stars (12 ratings)'></span>",
        "<button>4.5 out of 5 stars 12 ratings</button>",
        "<script>var r = '4.5 out of 5 stars 12 ratings';</script>",
        "<p>4 (12 reviews)</p><p>3 (2 reviews)</p>",  # histogram rows: whole numbers
        "<p>Speed 12.5 (3 ratings)</p>",  # a decimal above ten
        "<p>Review 1 of 10 reviews</p>",  # a place in a list, not "4.5 of 10 reviews"
        "<p>Ann 12 reviews 5 out of 5 stars</p>",  # a reviewer's count, then her stars
        # a histogram's rows: a whole number of stars with a count, twice close together
        "<p>5 stars 12 ratings</p><p>3 stars 2 ratings</p>",
        "<form><select><option>Give it 4/5</option></select>(12 ratings)</form>",  # options
    ],
)
def test_text_that_is_not_an_aggregate(body: str) -> None:
    assert text_aggregate_rating(_page(body), "en") is None


def test_the_first_rating_with_a_count_is_the_products() -> None:
    body = (
        "<div>Other kettle 4.5 out of 5 stars 1,234</div>"  # a carousel card: a bare number
        "<h1>Kettle</h1><span aria-label='4.2 out of 5 stars'></span><a>230 global ratings</a>"
        "<div>Cup 3.9 out of 5 stars 88 ratings</div>"
    )
    found = text_aggregate_rating(_page(body), "en")
    assert found is not None and (found.rating_value, found.rating_count) == (4.2, 230)


def test_the_page_language_chooses_the_words() -> None:
    text = "4,3 z 5 (56 opinii)"
    assert rating_patterns("pl").value.search(text)
    assert not rating_patterns("de").value.search(text)  # German writes "von"
    assert rating_patterns("xx") == rating_patterns(None)  # unknown: every language
    assert set(WORDS) >= {"en", "fr", "pl", "no", "de", "es", "it", "nl", "sv"}


def test_page_text_reads_labels_and_skips_code() -> None:
    root = _page(
        "<div title='Top pick'>A<img alt='4 of 5 stars'><b>B</b>C</div>"
        "<style>.x{}</style><script>var x = 1;</script><p>D<button>no</button>E<i></i>F</p>"
        "<span role='radio'>no</span>G"
    )
    assert page_text(root) == "Top pick A 4 of 5 stars B C D E F G"


def _rating(value: float, position: int, *, count: int | None = None) -> TextRating:
    return TextRating(value, 5.0, True, count, None, position)


def test_choose_and_pickers() -> None:
    assert choose_text_rating([_rating(4.5, 0), _rating(4.2, 10, count=3)]) == _rating(
        4.2, 10, count=3
    )
    assert choose_text_rating([_rating(4.5, 0)]) is None
    patterns = rating_patterns("en")
    stars = " ".join(f"{n} out of 5 stars" for n in range(1, 6))
    assert text_ratings(f"{stars} 4.6 from 12 votes", patterns) == [
        TextRating(4.6, 5.0, False, 12, None, len(stars) + 1)
    ]


@pytest.mark.parametrize(
    ("markup", "text", "counts"),
    [
        (AggregateRatingItem(4.3), AggregateRatingItem(4.3, rating_count=12), (12, None)),
        (AggregateRatingItem(4.3), AggregateRatingItem(4.0, rating_count=12), (None, None)),
        (
            AggregateRatingItem(4.3, review_count=3),
            AggregateRatingItem(4.3, rating_count=12),
            (None, 3),
        ),
        (AggregateRatingItem(4.3), None, (None, None)),
    ],
)
def test_add_text_counts(
    markup: AggregateRatingItem,
    text: AggregateRatingItem | None,
    counts: tuple[int | None, int | None],
) -> None:
    add_text_counts(markup, text)
    assert (markup.rating_count, markup.review_count) == counts


def test_markup_aggregates_take_precedence() -> None:
    jsonld = (
        '<script type=\'application/ld+json\'>{"@type": "Product", "name": "Kettle",'
        ' "aggregateRating": {"ratingValue": "4.1", "reviewCount": "9"}}</script>'
    )
    html = f"<html><body>{jsonld}<p>4.3 out of 5 stars 12 ratings</p></body></html>"
    found = extract_auto(html, URL).aggregate_rating
    assert found is not None
    assert (found.rating_value, found.review_count, found.rating_count) == (4.1, 9, None)
    text_only = extract_auto("<html><body><p>4.3 out of 5 stars 12 ratings</p></body></html>", URL)
    assert text_only.aggregate_rating is not None
    assert text_only.aggregate_rating.rating_value == 4.3


def test_aggregate_item_explains_what_the_layer_set() -> None:
    from spiders.extract.aggregate import aggregate_item
    from spiders.extract.layers import EMBEDDED_JSON

    item = aggregate_item(8.0, 10.0, None, 3, EMBEDDED_JSON)
    assert (item.rating_value, item.best_rating, item.review_count) == (8.0, 10.0, 3)
    assert set(item.explain) == {"rating_value", "best_rating", "worst_rating", "review_count"}
    assert set(item.explain.values()) == {"embedded-json"}


FAR = "<p>" + "Stainless steel body, boils 1.7 litres in three minutes. " * 12 + "</p>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "<div>Mug 4.5 out of 5 stars. (12)</div><h1>Kettle</h1><p>£ 40</p>"
            "<button aria-label='Review: 4.2 out of 5 stars.'><span>(230)</span></button>"
            + FAR
            + "<div>Cup 3.9 out of 5 stars. (88)</div>",
            (4.2, 230),
            id="a-button-after-the-heading-not-the-cards-around",
        ),
        pytest.param("<h1>Soup</h1><p>3.2 (292) 9 comments</p>", (3.2, 292), id="bare-decimal"),
        pytest.param(
            "<h1>温泉卵</h1><p>4.1 ( 490件 )</p>", (4.1, 490), id="a-unit-in-the-brackets"
        ),
        pytest.param(
            "<h1>Soup</h1><p>4.6 (<a href='/r/soup/reviews'>171</a>)</p>",
            (4.6, 171),
            id="a-count-that-links-to-the-reviews",
        ),
    ],
)
def test_a_count_in_brackets_just_after_the_main_heading(
    body: str, expected: tuple[float, int]
) -> None:
    found = text_aggregate_rating(_page(body), None)
    assert found is not None and (found.rating_value, found.rating_count) == expected


def _titled(title: str, body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        f"<html><head><title>{title} | Kaste</title></head><body>{body}</body></html>"
    )


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        pytest.param(
            "Kettle Lumi 1.7 l",
            "<header><a href='/'>Kaste</a></header><main><h2>Kettle Lumi 1.7 l</h2>"
            "<p>4.6 (171)</p><p>£ 40</p></main>",
            (4.6, 171),
            id="an-h2-the-title-names",
        ),
        pytest.param(
            "Kettle Lumi",
            "<div><h2>Mugs</h2><ul><li>Mug 4.5 (12)</li></ul></div>"
            + FAR
            + "<div><h2>Kettle Lumi electric 1.7 l</h2><span>4.2</span> <span>(230)</span></div>",
            (4.2, 230),
            id="the-first-h2-heading-no-list",
        ),
        pytest.param(
            "Kettle Lumi",
            "<div style='font-size:28px'>Kettle Lumi</div><button>4.3 (88)</button>" + FAR,
            (4.3, 88),
            id="a-styled-div-the-title-names",
        ),
    ],
)
def test_a_count_in_brackets_after_a_main_heading_that_is_no_h1(
    title: str, body: str, expected: tuple[float, int]
) -> None:
    """A page heading its product without an ``<h1>``: its main heading is the one every
    reader places things by (``page_heading.main_heading``), the rating written after it
    the page's."""
    found = text_aggregate_rating(_titled(title, body), None)
    assert found is not None and (found.rating_value, found.rating_count) == expected


def test_a_count_in_brackets_far_from_the_heading_or_in_a_card_is_another_products() -> None:
    card = "<a href='/p/mug'>Mug £ 9 <span aria-label='5 out of 5 stars.'>(4)</span></a>"
    root = _page(
        f"<h1>Kettle</h1><p>£ 40</p>{card}{FAR}<div>Cup 3.9 out of 5 stars. (88)</div><p>4.4 (7)</p>"
    )
    bracketed = [r for r in text_ratings(page_text(root), rating_patterns("en")) if r.bracketed]
    assert [(r.value, r.rating_count) for r in bracketed] == [(5, 4), (3.9, 88), (4.4, 7)]
    assert text_aggregate_rating(root, "en") is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "<h1>Lasagna</h1><form><select><option>Give it 4/5</option></select>"
            "<div>Average: <span>3.2</span> (<span>60</span> votes)</div></form>",
            (3.2, 60),
            # the average beside a voting form's picker: its text shows, its options do not
            id="a-summary-inside-a-voting-form",
        ),
        pytest.param(
            "<div aria-label='12 ratings, 4.5 out of 5 stars'></div><h1>Kettle</h1>"
            "<p>4.2 out of 5 stars 230 ratings</p>",
            (4.2, 230),
            # a count after its rating is preferred to one before (a card's label)
            id="count-after-before-count-before",
        ),
    ],
)
def test_which_rating_is_the_pages(body: str, expected: tuple[float, int]) -> None:
    found = text_aggregate_rating(_page(body), "en")
    assert found is not None and (found.rating_value, found.rating_count) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Kettle is rated 4.0 out of 5 by 8.", "en", (4.0, 8)),
        ("Rated 4.5 out of 5 stars by 1,204 customers.", "en", (4.5, 1204)),
        ("Cette bouilloire est notée 4,2 sur 5 par 31.", "fr", (4.2, 31)),
        ("Wasserkocher wird mit 4,6 von 5 von 17 bewertet.", "de", (4.6, 17)),
        ("Rated 4.5 out of 5 by 12 happy customers Shipping", "en", None),  # no end after
    ],
)
def test_a_rating_and_the_count_of_those_who_gave_it(
    text: str, language: str, expected: tuple[float, int] | None
) -> None:
    """A count without a noun after the word that says who ("rated X out of 5 by N")."""
    found = text_aggregate_rating(_page(f"<h1>Kettle</h1><p>{text}</p>"), language)
    if expected is None:
        assert found is None
        return
    assert found is not None and (found.rating_value, found.rating_count) == expected


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        ("<div><span>Avg: 5</span></div><p>Any questions?</p>", "en", (5.0, 5.0)),
        ("<h6>Average member rating</h6><p><i></i><i></i> (3.4 / 5)</p>", "en", (3.4, 5.0)),
        ("<em>Voti totali: <b>210</b>, Media voti: <b>4.1</b></em>", "it", (4.1, 5.0)),
        ("<p>Die durchschnittliche Bewertung liegt bei <b>4,50 Sternen</b>.</p>", "de", (4.5, 5.0)),
        ("<p>Note moyenne : <b>8,4</b></p>", "fr", (8.4, 10.0)),
        ("<p>Średnia ocen: 4,2/5</p>", "pl", (4.2, 5.0)),
        ("<p>Average cooking time: 5 min</p>", "en", None),  # a unit after the number
        ("<p>Average price 4.99</p><p>in stock</p>", "en", None),  # words that name no rating
        ("<p>Average: 4.567</p>", "en", None),  # more decimals than an average shows
        ("<p>Average: 7</p>", "en", None),  # a whole number above 5 without its scale
        ("<p>Average rating: 0</p>", "en", None),
    ],
)
def test_an_average_under_its_label(
    body: str, language: str, expected: tuple[float, float] | None
) -> None:
    """The last way read: an average under its label, without a count."""
    page = extract_auto(f"<html lang='{language}'><body><h1>Soup</h1>{body}</body></html>", URL)
    found = page.aggregate_rating
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.rating_value, found.best_rating, found.rating_count) == (*expected, None)
    assert found.explain["rating_value"] == "heuristic"


def test_a_counted_rating_wins_over_a_labelled_average() -> None:
    body = "<h1>Soup</h1><p>Average: 3.0</p><p>4.2 out of 5 stars 230 ratings</p>"
    found = extract_auto(f"<html lang='en'><body>{body}</body></html>", URL).aggregate_rating
    assert found is not None and (found.rating_value, found.rating_count) == (4.2, 230)


def test_a_template_placeholder_is_no_labelled_average() -> None:
    body = "<h1>Soup</h1><p>Ø {{rating.avg.toFixed(2)}}</p><p>Rate this recipe</p>"
    assert extract_auto(f"<html lang='de'><body>{body}</body></html>", URL).aggregate_rating is None


def test_a_labelled_average_is_in_its_label_s_piece_or_the_next() -> None:
    """A label of a table of scores ("Average", then a row's own label and value) or a
    score out of 100 is no rating's average."""
    body = (
        "<h1>Phone</h1><div>Spec score</div><div>Average</div><div>This phone:</div>"
        "<div>11/100</div><div>Group avg:</div><div>12/100</div><div>Best:</div><div>42/100</div>"
    )
    assert extract_auto(f"<html lang='en'><body>{body}</body></html>", URL).aggregate_rating is None


# Written before the reader was changed: the count's noun is in no word list, the rating's
# shape says what it is (a decimal at most its scale, the scale next to it, the count
# right after it in brackets or after a separator), or a star glyph stands for the scale.
@pytest.mark.parametrize(
    ("text", "language", "value", "best", "count"),
    [
        ("Keskiarvo 4,6 / 5 (31 arviota)", "fi", 4.6, 5, 31),
        ("4,2 / 5 · 17 recenzii", "ro", 4.2, 5, 17),
        ("4.7 ★ (88 отзывов)", "ru", 4.7, 5, 88),
        ("5 üzrə 4,3 · 41 rəy", "az", 4.3, 5, 41),
        ("8,6 / 10 | 1 204 ocjena", "hr", 8.6, 10, 1204),
    ],
)
def test_a_rating_told_by_its_shape(
    text: str, language: str, value: float, best: float, count: int
) -> None:
    found = text_aggregate_rating(_page(f"<h1>Kettle</h1><p>{text}</p>", language), language)
    assert found is not None
    assert (found.rating_value, found.best_rating) == (value, best)
    assert (found.rating_count or found.review_count) == count


@pytest.mark.parametrize(
    "body",
    [
        "<p>4,99 / 5 pcs</p>",  # a price per pack
        "<p>Pack 5 pcs 4,99 · 12 sold</p>",  # a pack size, then a price
        "<ul><li>5 of 5 stars Great kettle</li><li>4 of 5 stars Fine</li></ul>",  # reviews'
        "<p>4/5/2026 · 12 comments</p>",  # a date
        "<p>1 of 5 items</p>",
        "<p>Step 2 / 5 (3 photos)</p>",  # a whole step of a wizard
    ],
)
def test_shapes_that_are_no_aggregate(body: str) -> None:
    assert text_aggregate_rating(_page(body, "ro"), "ro") is None

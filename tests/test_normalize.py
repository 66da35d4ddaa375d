"""Normalisation and validation of review and offer fields, as tables of cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from settings.content_keys import product_key, review_content_key
from settings.languages import normalize_language_code
from settings.records import OfferItem, ReviewItem
from spiders.extract.auto import extract_auto
from spiders.pipelines.normalize import normalize_offer, normalize_review
from spiders.pipelines.validate import offer_problem, review_problem
from spiders.raw_fields import (
    clean_text,
    day_first,
    find_date,
    infer_scale,
    is_relative_date,
    normalize_rating,
    parse_rating,
    parse_review_date,
)


@pytest.mark.parametrize(
    ("raw", "hint", "expected"),
    [
        ("4", None, (4.0, None)),
        ("4", 10.0, (4.0, 10.0)),
        ("4/5", None, (4.0, 5.0)),
        ("8 out of 10", None, (8.0, 10.0)),
        ("4,5 sur 5", None, (4.5, 5.0)),
        ("3 av 6", None, (3.0, 6.0)),
        ("★★★★☆", None, (4.0, 5.0)),
        ("★★★", None, (3.0, 5.0)),
        ("80%", None, (80.0, 100.0)),
        ("Ocena: 2 na 5", None, (2.0, 5.0)),
        ("4 z 5", None, (4.0, 5.0)),
        ("4,5 de 5", None, (4.5, 5.0)),
        ("4 op 5", None, (4.0, 5.0)),
        ("4 ud af 5", None, (4.0, 5.0)),
        ("4.5 of 5 stars", None, (4.5, 5.0)),
        ("-1", None, (-1.0, None)),  # the sign is kept: validation refuses it
        ("\u22124", 5.0, (-4.0, 5.0)),  # a minus sign
        ("Rating: -4", None, (-4.0, None)),
        ("4-5", None, (4.0, None)),  # a range: no sign
        ("A-4", None, (4.0, None)),  # a dash joined to a word: no sign
        ("1e400", None, (None, None)),  # an exponent form is no rating (was read as 1)
        ("4.5E1", None, (None, None)),
        ("⭐⭐⭐⭐", None, (4.0, 5.0)),
        ("", None, (None, None)),
        ("great!", None, (None, None)),
        (None, None, (None, None)),
        (4, 5.0, (4.0, 5.0)),
    ],
)
def test_parse_rating(
    raw: str | None, hint: float | None, expected: tuple[float | None, float | None]
) -> None:
    assert parse_rating(raw, hint) == expected


@pytest.mark.parametrize(
    ("rating", "best", "worst", "expected"),
    [
        (5, 5, None, (1.0, 1.0)),
        (1, 5, None, (0.0, 1.0)),
        (3, 5, None, (0.5, 1.0)),
        (8, 10, None, (7 / 9, 1.0)),
        (0, 5, None, (-0.25, 1.0)),  # star scales start at 1: "0 of 5" is out of scale
        (0, 5, 0, (0.0, 0)),  # unless the page says the scale starts at 0
        (80, 100, None, (0.8, 0.0)),
        (7, 5, None, (1.5, 1.0)),  # out of scale: kept for validation to reject
        (3, 1, 1, (None, 1)),  # degenerate scale
        (None, 5, None, (None, None)),
    ],
)
def test_normalize_rating(
    rating: float | None,
    best: float,
    worst: float | None,
    expected: tuple[float | None, float | None],
) -> None:
    value, used_worst = normalize_rating(rating, best, worst)
    assert used_worst == expected[1]
    assert value == pytest.approx(expected[0]) if expected[0] is not None else value is None


@pytest.mark.parametrize(
    ("rating", "best", "worst", "expected"),
    [
        (4.0, None, None, (5.0, 1.0)),  # no scale stated: the smallest usual one holding it
        (0.5, None, None, (5.0, 0.0)),  # below 1: the scale starts at 0
        (9.0, None, None, (10.0, 0.0)),  # a score out of 10
        (85.0, None, None, (100.0, 0.0)),
        (7.0, 5.0, None, (5.0, 1.0)),  # a stated scale is kept: 7 of 5 stays out of scale
        (8.0, 10.0, None, (10.0, 1.0)),  # schema.org's worst is 1 when the page omits it
        (8.0, 10.0, 0.0, (10.0, 0.0)),
        (3.0, 3.0, 3.0, (3.0, 1.0)),  # a worst at the top is no worst
    ],
)
def test_infer_scale(
    rating: float, best: float | None, worst: float | None, expected: tuple[float, float]
) -> None:
    assert infer_scale(rating, best, worst) == expected


@pytest.mark.parametrize(
    ("rating_json", "normalized", "problem"),
    [
        ('"ratingValue": "4", "bestRating": "5"', 0.75, None),
        ('"ratingValue": "9"', 0.9, None),  # no scale stated: read as 9 of 10
        ('"ratingValue": "7", "bestRating": "5"', 1.5, "rating_outside_scale"),
        ('"ratingValue": "0", "bestRating": "5"', -0.25, "rating_outside_scale"),
    ],
)
def test_extracted_ratings_reach_validation_unclamped(
    rating_json: str, normalized: float, problem: str | None
) -> None:
    review_ld = f'{{"@type": "Review", "reviewBody": "ok", "reviewRating": {{{rating_json}}}}}'
    html = f'<html><head><script type="application/ld+json">{review_ld}</script></head></html>'
    (review,) = extract_auto(html, "https://shop.example.com/p/1").reviews
    assert review.rating_normalized == pytest.approx(normalized)
    normalize_review(review)
    assert review.rating_normalized == pytest.approx(normalized)
    assert review_problem(review) == problem


MONTH_TABLE_DATES = [
    # written before the month table was read (main read 1 of 16: "4. märts 2026")
    ("2026. március 4.", "hu", date(2026, 3, 4)),
    ("2026. márc. 4.", "hu", date(2026, 3, 4)),
    ("Értékelés: 2025. december 18.", None, date(2025, 12, 18)),
    ("4 Mart 2026", "tr", date(2026, 3, 4)),
    ("17 Ağustos 2025 Pazar", None, date(2025, 8, 17)),
    ("4. března 2026", "cs", date(2026, 3, 4)),
    ("12. listopadu 2025", None, date(2025, 11, 12)),
    ("18. júla 2025", "sk", date(2025, 7, 18)),
    ("4. maaliskuuta 2026", "fi", date(2026, 3, 4)),
    ("Arvosteltu 18. heinäkuuta 2025", None, date(2025, 7, 18)),
    ("4. märts 2026", "et", date(2026, 3, 4)),
    ("4. marec 2026", "sl", date(2026, 3, 4)),
    ("4 марта 2026 г.", "ru", date(2026, 3, 4)),
    ("4 березня 2026", "uk", date(2026, 3, 4)),
    ("4 Μαρτίου 2026", "el", date(2026, 3, 4)),
    ("4 март 2026 г.", "bg", date(2026, 3, 4)),
]
"""Review dates in languages whose month names the date parser reads from its month table
(``spiders/extract/data/month_names.json``); dateparser is asked in the registered languages
only."""


@pytest.mark.parametrize(("raw", "lang", "expected"), MONTH_TABLE_DATES)
def test_review_dates_with_month_names_of_the_table(
    raw: str, lang: str | None, expected: date
) -> None:
    assert parse_review_date(raw, lang) == expected


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("2026-03-12", None, date(2026, 3, 12)),
        ("2026-03-12T10:20:00+01:00", "en", date(2026, 3, 12)),
        ("12. mars 2026", "no", date(2026, 3, 12)),
        ("3 janvier 2026", "fr", date(2026, 1, 3)),
        ("5 lutego 2026", "pl", date(2026, 2, 5)),
        ("12 marca 2026", None, date(2026, 3, 12)),
        ("March 3, 2026", "en", date(2026, 3, 3)),
        ("3rd March 2026", None, date(2026, 3, 3)),
        ("1. mai 2026", "no", date(2026, 5, 1)),
        ("23. desember 2025", None, date(2025, 12, 23)),
        ("16 décembre 2025", "fr", date(2025, 12, 16)),
        ("5 września 2024", "pl", date(2024, 9, 5)),
        # text forms inside longer lines, as review lists write them
        ("Reviewed in the United Kingdom on 12 March 2024", "en", date(2024, 3, 12)),
        ("Publié le 12 mars 2024", "fr", date(2024, 3, 12)),
        ("Dodano 12 marca 2024 r.", "pl", date(2024, 3, 12)),
        ("Skrevet 12. mars 2024", "no", date(2024, 3, 12)),
        ("Verfasst am 12. März 2024", "de", date(2024, 3, 12)),
        ("12 de marzo de 2024", "es", date(2024, 3, 12)),
        ("12th March 2024", None, date(2024, 3, 12)),
        ("4 déc. 2023", "fr", date(2023, 12, 4)),
        ("sexta 18 setembro 2020", "pt", date(2020, 9, 18)),
        ("19 Iun 2020", "ro", date(2020, 6, 19)),
        ("Posted 2024-03-12", None, date(2024, 3, 12)),
        # numeric: the language orders day and month only when both could be either
        ("03/12/2024", "fr", date(2024, 12, 3)),
        ("03/12/2024", "pl", date(2024, 12, 3)),
        ("03/12/2024", "en-US", date(2024, 3, 12)),
        ("03/12/2024", "en-GB", date(2024, 12, 3)),
        ("03/12/2024", "en", None),  # en: US or UK? not clear
        ("03/12/2024", None, None),
        ("25/12/2024", "en", date(2024, 12, 25)),  # 25 cannot be a month
        ("12/25/2024", None, date(2024, 12, 25)),
        ("05/05/2024", None, date(2024, 5, 5)),  # the same either way
        ("12.03.2024", "en", date(2024, 3, 12)),  # dotted dates are day first
        ("12.03.24", "de", date(2024, 3, 12)),
        ("2024/03/12", None, date(2024, 3, 12)),
        ("31/02/2024", "fr", None),
        ("31 février 2026", "fr", None),
        ("2026-13-45", None, None),
        ("not a date at all", "en", None),
        ("", None, None),
        # a bare number is no date (dateparser reads "-1" as 1 January, "5" as the 5th)
        ("-1", None, None),
        ("5", "en", None),
        ("20", "de", None),
        ("1.5", None, None),
        ("2024", None, None),
        ("1710000000", None, date(2024, 3, 9)),  # an epoch timestamp still is one
    ],
)
def test_parse_review_date(raw: str, lang: str | None, expected: date | None) -> None:
    assert parse_review_date(raw, lang) == expected


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("3 weeks ago", "en", True),
        ("il y a 2 mois", "fr", True),
        ("vor 3 Tagen", None, True),
        ("hace 2 años", "es", True),
        ("3 March 2024", "en", False),  # a written date
        ("5 from", "en", False),  # read as 5 o'clock of the day it is read
        ("Size 42", "en", False),
        ("4 of 5", "en", False),
        ("", None, False),
    ],
)
def test_is_relative_date(raw: str, lang: str | None, expected: bool) -> None:
    assert is_relative_date(raw, lang) is expected


# Relative dates in languages dateparser is not asked in (its CLDR-based words, as a table),
# and texts with a number and a word that are no date.
@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("há 5 dias", "pt", True),
        ("há 3 semanas", "pt-BR", True),
        ("3 тижні тому", "uk", True),
        ("2 місяці тому", None, True),
        ("3주 전", "ko", True),
        ("2개월 전", "ko", True),
        ("pred 3 dňami", "sk", True),
        ("pred 2 mesiacmi", "sk", True),
        ("منذ ٣ أيام", "ar", True),
        ("منذ شهر", "ar", True),
        ("3日前", "ja", True),
        ("2か月前", None, True),
        ("3 gün önce", "tr", True),
        ("2 hafta önce", None, True),
        ("πριν από 3 ημέρες", "el", True),
        ("πριν από 2 μήνες", None, True),
        ("včera", "sk", True),
        ("вчора", "uk", True),
        # no dates
        ("R$ 199,90", "pt", False),
        ("199,90 zł", "pl", False),
        ("Tamanho 42", "pt", False),
        ("Размер 42", "uk", False),
        ("5 estrelas", "pt", False),
        ("5 stars", "en", False),
        ("2 de 5", "pt", False),
        ("2 of 5", None, False),
        ("5점 만점에 4점", "ko", False),
        ("5 üzerinden 4", "tr", False),
        ("em 3 dias", "pt", False),  # a time to come is no review's date
        ("hoje", "pt", False),  # the day it is read, as dateparser's own reading
    ],
)
def test_is_relative_date_every_language(raw: str, lang: str | None, expected: bool) -> None:
    assert is_relative_date(raw, lang) is expected


@pytest.mark.parametrize(
    ("raw", "lang", "days"),
    [
        ("há 5 dias", "pt", 5),
        ("3日前", "ja", 3),
        ("pred 2 týždňami", "sk", 14),
        ("вчора", "uk", 1),
        ("منذ ٣ أيام", "ar", 3),
    ],
)
def test_parse_review_date_relative_every_language(raw: str, lang: str, days: int) -> None:
    before = date.today()
    found = parse_review_date(raw, lang)
    # (read across midnight, either day's reading is right)
    assert found in {before - timedelta(days=days), date.today() - timedelta(days=days)}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", True), ("nb_NO", True), ("en-GB", True), ("en-US", False), ("en", None), (None, None)],
)
def test_day_first(language: str | None, expected: bool | None) -> None:
    assert day_first(language) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna, 12 mars 2024", date(2024, 3, 12)),
        ("4 stars, 12 people found this helpful", None),
        ("2 days ago", None),  # relative dates are dateparser's job, not a written date
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text, "fr") == expected


def test_clean_text() -> None:
    assert clean_text("  Hello\u00a0\n\t world\x00 ") == "Hello world"
    assert clean_text("   ") is None
    assert clean_text(None) is None


@pytest.mark.parametrize(
    "text",
    [
        "a\u2009b\u202fc\u3000d\u2028e\u0085f",  # thin, narrow, ideographic, line separators
        "a\x1cb\x1dc\x1ed\x1ff\x0bg\x0ch",  # separators that are also control characters
        "\u200bzero\u200bwidth\ufeff",  # not spaces: kept
        "  Mixed \r\n\t text\u00a0 ",
    ],
)
def test_clean_text_collapses_exactly_the_regex_whitespace(text: str) -> None:
    import re
    import unicodedata

    printable = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\n\t ")
    assert clean_text(text) == (re.sub(r"\s+", " ", printable).strip() or None)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("nb-NO", "no"),
        ("nn", "no"),
        ("fr_FR", "fr"),
        ("EN", "en"),
        ("xyz", None),
        ("", None),
        (None, None),
    ],
)
def test_language_codes(code: str | None, expected: str | None) -> None:
    assert normalize_language_code(code) == expected


def test_product_key_prefers_gtin_then_sku_then_name() -> None:
    assert product_key(gtin="0123", sku="A1", name="X") == "gtin:0123"
    assert product_key(sku=" A1 ", name="X") == "sku:A1"
    assert product_key(name="  Barista   ONE! ") == "name:barista one"
    assert product_key(name="  ") is None


def test_review_key_is_stable_and_discriminating() -> None:
    base = dict(
        external_id=None,
        text="Great",
        title=None,
        rating_raw="5",
        date_raw="2026-01-01",
        author="Ann",
        product="P",
    )
    key = review_content_key(**base)  # type: ignore[arg-type]
    assert key == review_content_key(**{**base, "text": "  great "})  # type: ignore[arg-type]
    assert key != review_content_key(**{**base, "author": "Bob"})  # type: ignore[arg-type]
    assert key != review_content_key(**{**base, "rating_raw": "4"})  # type: ignore[arg-type]
    with_id = review_content_key(**{**base, "external_id": "r-1"})  # type: ignore[arg-type]
    assert with_id == review_content_key(**{**base, "external_id": "r-1", "text": "edited"})  # type: ignore[arg-type]
    assert len(key) == 32


@pytest.mark.parametrize(
    ("review", "problem"),
    [
        (ReviewItem(text="ok", rating_raw="4"), None),
        (ReviewItem(text="ok", rating_raw="7", best_rating=5), "rating_outside_scale"),
        (ReviewItem(text="ok", rating_raw="-1"), "negative_rating"),  # never stored as 1
        (ReviewItem(text="ok", rating=-4.0, best_rating=5), "negative_rating"),
        (ReviewItem(text="ok", rating_raw="-4", best_rating=0), "negative_rating"),
        (ReviewItem(text="ok", rating_raw="4", best_rating=0), None),  # scale inferred: 5
        (ReviewItem(text=None, rating_raw=None), "review_without_text_or_rating"),
        (ReviewItem(text="ok", date_raw="2099-01-01"), "date_in_future"),
        (ReviewItem(text="ok", date_raw="1970-01-01"), "date_too_old"),
        (ReviewItem(text="x" * 60_000), "review_text_too_long"),
        (ReviewItem(text=None, rating_raw="5"), None),
    ],
)
def test_review_validation(review: ReviewItem, problem: str | None) -> None:
    normalize_review(review)
    assert review_problem(review) == problem


@pytest.mark.parametrize(
    ("rating_raw", "best", "expected"),
    [
        # (rating, best, worst, normalised, why the stated best was ignored)
        ("4", 5.0, (4.0, 5.0, 1.0, 0.75, None)),
        ("4", None, (4.0, 5.0, 1.0, 0.75, None)),
        ("4", 0.0, (4.0, 5.0, 1.0, 0.75, "best_rating_not_positive")),  # was 5 silently
        ("3", -5.0, (3.0, 5.0, 1.0, 0.5, "best_rating_not_positive")),
        ("8", 0.0, (8.0, 10.0, 0.0, 0.8, "best_rating_not_positive")),  # as if unstated
        ("7", 5.0, (7.0, 5.0, 1.0, 1.5, None)),  # kept: out of scale, validation drops it
        ("-4", 5.0, (-4.0, 5.0, 1.0, -1.25, None)),  # refused by validation, not flipped
    ],
)
def test_a_stated_scale_of_zero_or_below_is_ignored_with_its_reason(
    rating_raw: str, best: float | None, expected: tuple[object, ...]
) -> None:
    review = normalize_review(ReviewItem(text="ok", rating_raw=rating_raw, best_rating=best))
    got = (
        review.rating,
        review.best_rating,
        review.worst_rating,
        review.rating_normalized,
        review.scale_ignored,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("offer", "problem"),
    [
        (OfferItem(name="A", price="10.00", currency="EUR"), None),
        (OfferItem(name="A", price="-1.00"), "negative_price"),
        (OfferItem(name="A", price="1000000000"), "absurd_price"),
        (OfferItem(name="A", price="abc"), "price_not_a_number"),
        (OfferItem(name="A", price="1", currency="euro"), "currency_not_iso4217"),
        (OfferItem(price="1"), "offer_without_name_or_id"),
        (OfferItem(sku="S1"), None),
        (normalize_offer(OfferItem(name="A", price_raw="-£5.00")), "negative_price"),
        (normalize_offer(OfferItem(name="A", price_raw="£-5.00")), "negative_price"),
        (normalize_offer(OfferItem(name="A", price_raw="£5.00")), None),
    ],
)
def test_offer_validation(offer: OfferItem, problem: str | None) -> None:
    assert offer_problem(offer) == problem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Great grinder.<br>Arrived late though.", "Great grinder. Arrived late though."),
        ("<p>Fast &amp; friendly</p><p>Would buy again", "Fast & friendly Would buy again"),
        ("Nice<script>alert(1)</script> kettle", "Nice kettle"),
        ("Broken <b>markup <i>still reads", "Broken markup still reads"),
        ("5 < 6 and I <3 it", "5 < 6 and I <3 it"),
        ("Caf&eacute; cr&#232;me", "Café crème"),
        ("plain text", "plain text"),
        # words in angle brackets open no HTML element: a customer's text, kept (met by a
        # QA walk: "<gratis frakt>" vanished from an imported review)
        ("Ikke kjøp! <gratis frakt> var løgn", "Ikke kjøp! <gratis frakt> var løgn"),
        ("Sa: <vi ringer deg> men <b>ingen</b> ringte", "Sa: <vi ringer deg> men ingen ringte"),
        ("Fin <span-x>sekk</span-x> &amp; <Wish list>", "Fin sekk & <Wish list>"),
    ],
)
def test_review_html_becomes_plain_text(raw: str, expected: str) -> None:
    review = normalize_review(ReviewItem(text=raw, title=raw))
    assert review.text == expected and review.title == expected

from __future__ import annotations

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.price import (
    counts_before_amount,
    currency_from_locale,
    currency_from_url,
    detect_currency,
    minor_units_to_decimal,
    normalize_price,
)


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("1.299,00 €", None, ("1299.00", "EUR")),
        ("1 099,-", "NOK", ("1099", "NOK")),
        ("1 099,-", None, ("1099", None)),
        ("$1,299.99", None, ("1299.99", "USD")),
        ("1 299 kr", "SEK", ("1299", "SEK")),
        ("1 299 kr", "NOK", ("1299", "NOK")),
        ("99,90 zł", None, ("99.90", "PLN")),
        ("99,90 PLN", None, ("99.90", "PLN")),
        ("CHF 1'299.–", None, ("1299", "CHF")),
        ("CHF 1’299.50", None, ("1299.50", "CHF")),
        ("£12", None, ("12", "GBP")),
        ("1\u00a0299,00\u00a0€", None, ("1299.00", "EUR")),
        ("1\u2009299,00\u202f€", None, ("1299.00", "EUR")),
        ("¥1,200", None, ("1200", "JPY")),
        ("₹ 2,433", None, ("2433", "INR")),
        ("173,34 Lei", None, ("173.34", "RON")),
        ("C$ 15.00", None, ("15.00", "CAD")),
        ("$15", "CAD", ("15", "CAD")),
        ("4,99 €", None, ("4.99", "EUR")),
        ("1.234.567,89 €", None, ("1234567.89", "EUR")),
        ("1,234,567.89", None, ("1234567.89", None)),
        ("0,99", None, ("0.99", None)),
        ("EUR 12", None, ("12", "EUR")),
        (12.5, "EUR", ("12.5", "EUR")),
        (1299, None, ("1299", None)),
        ("free", None, (None, None)),
        ("3.34/5", None, (None, None)),  # a rating
        ("8,5 / 10", None, (None, None)),
        ("€12/kg", None, ("12", "EUR")),  # a unit price stays a price
        ("23.450", "PKR", ("23450", "PKR")),  # dot-grouped thousands
        ("1.250", "KWD", ("1.250", "KWD")),  # three-decimal currency
        ("", "EUR", (None, "EUR")),
        (None, None, (None, None)),
        # The amount beside the sign, not a count before it.
        ("or 4 interest-free payments of $199.75", None, ("199.75", "USD")),
        ("12 cuotas de $ 1.250", "ARS", ("1250", "ARS")),
        ("2 x 19,99 €", None, ("19.99", "EUR")),
        ("19,99 € – 29,99 €", None, ("19.99", "EUR")),
        ("$.99", None, ("0.99", "USD")),  # cents without their zero
        ("Nr.12 €", None, ("12", "EUR")),
        ("\u0661\u066c\u0662\u0660\u0660\u066b\u0665\u0660 ر.س", None, ("1200.50", "SAR")),
        ("\uff11\uff0c\uff12\uff10\uff10円", None, ("1200", "JPY")),
    ],
)
def test_normalize_price(
    text: str | float | int | None, hint: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert normalize_price(text, hint) == expected


# A mark before exactly three digits is a thousands mark unless the currency has three minor
# units (CLDR's digits): no two-decimal or zero-decimal currency writes thousandths. Guards
# against reading "$8.000" as eight because some label set says so.
@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("1.299 €", "EUR", ("1299", "EUR")),  # a German shop's grouping dot
        ("$12.990", "CLP", ("12990", "CLP")),
        ("$8.000", "CLP", ("8000", "CLP")),
        ("$1.299", "USD", ("1299", "USD")),  # cents have two digits: the dot groups
        ("$1.299", None, ("1299", "USD")),
        ("$1.29", "USD", ("1.29", "USD")),
        ("1.299,00", None, ("1299.00", None)),
        ("Rs 48,990", "PKR", ("48990", "PKR")),
        ("KWD 1.250", None, ("1.250", "KWD")),  # fils: three minor units
        ("1.250 KWD", None, ("1.250", "KWD")),
        ("KWD 1.299.000", None, ("1299000", "KWD")),  # two dots: grouping
        ("BHD 1,250.500", None, ("1250.500", "BHD")),
        ("12,500 TND", None, ("12.500", "TND")),
        ("25.000", "IQD", ("25000", "IQD")),  # ISO 4217 says three, CLDR (in use) none
        ("0,125 €", None, ("0.125", "EUR")),  # a leading zero: decimals whatever the count
    ],
)
def test_a_mark_before_three_digits_follows_the_currency_minor_units(
    text: str, hint: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert normalize_price(text, hint) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("12999", "129.99"), (5, "0.05"), ("abc", None), ("-3", None)]
)
def test_minor_units(value: str | int, expected: str | None) -> None:
    assert minor_units_to_decimal(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.example.no/p/1", "NOK"),
        ("https://www.example.pl/", "PLN"),
        ("https://example.de/x", "EUR"),
        ("https://example.com/x", None),
        ("https://item.example.cn/1.html", "CNY"),  # where "￥" is the yuan, not the yen
        ("https://example.co.il/p", "ILS"),
        ("https://example.vn/p", "VND"),
        ("https://example.ae/ar/p", "AED"),
    ],
)
def test_currency_from_url(url: str, expected: str | None) -> None:
    assert currency_from_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100元起", ("100", "CNY")),
        ("12 990 тг", ("12990", "KZT")),
        ("₸ 12 990", ("12990", "KZT")),
        ("Rp 150.000", ("150000", "IDR")),
        ("150 грн", ("150", "UAH")),
        ("S/ 35.90", ("35.90", "PEN")),
        ("TOP 19,99 €", ("19.99", "EUR")),  # an upper-case word that is also a code
        ("5 km", (None, None)),  # no currency sign, no hint: not a price
        ("৳ 1,200", ("1200", "BDT")),  # signs from the CLDR table
        ("₾ 45", ("45", "GEL")),
        ("12,50 Kč", ("12.50", "CZK")),
        ("Lekë 12 to go", ("12", "ALL")),  # a letter sign beside an amount
        ("Lekë of 12", (None, None)),  # ... not away from it
        ("1 290,- Kč", ("1290", "CZK")),  # the dash of a whole amount before a letter sign
        ("1 290,-Kč", ("1290", "CZK")),
        ("250.000 đ", ("250000", "VND")),  # signs shops write that CLDR's locales do not
        ("89 ש״ח", ("89", "ILS")),
        ('89 ש"ח', ("89", "ILS")),
        ("1.299,90 TL", ("1299.90", "TRY")),
        ("89,000원", ("89000", "KRW")),
        ("đ 12", ("12", "VND")),
        ("Số đ", (None, None)),  # a one-letter sign away from an amount is a letter
    ],
)
def test_symbols_of_more_currencies(text: str, expected: tuple[str | None, str | None]) -> None:
    price, currency = normalize_price(text)
    assert (price if currency else None, currency) == expected


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Lieferung bis Mittwoch, den 5. Mai", None),  # "den" before a day and month name
        ("den 5 maja", None),  # Polish month
        ("Versand den 12.05.", None),  # numeric day and month
        ("den 05/12/2021", None),
        ("lei 3 mars", None),
        ("den 5.99", "MKD"),  # an amount, not a date
        ("den 12.50.", "MKD"),  # 50 is no month
        ("1.299 den", "MKD"),
        ("12 lei", "RON"),
        ("lei 12 mere", "RON"),  # a word after the amount that is no month
    ],
)
def test_letter_signs_before_dates_are_words(text: str, currency: str | None) -> None:
    assert detect_currency(text)[0] == currency


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("or 4 interest-free payments of $199.75", True),
        ("3 x 19,99 €", True),
        ("2 for £5", True),
        ("$199.75", False),
        ("1 299 kr", False),  # a grouped amount, not a count
        ("19,99 € – 29,99 €", False),
        ("From $19.99", False),
    ],
)
def test_counts_before_amount(text: str, counted: bool) -> None:
    assert counts_before_amount(text) is counted


def test_a_remembered_currency_answers_each_hint_and_any_length() -> None:
    """Short texts' currencies are remembered per text and hint; long texts are read."""
    for _ in range(2):
        assert detect_currency("kr 100", "SEK") == ("SEK", "kr")
        assert detect_currency("kr 100", "NOK") == ("NOK", "kr")
        assert detect_currency("kr 100") == (None, "kr")
        assert detect_currency("x" * 300 + " 12 €") == ("EUR", "€")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("nb", "NOK"),
        ("nb-NO", "NOK"),
        ("sv_FI", "EUR"),  # the region first: Finland's Swedish shops price in euros
        ("en-GB", "GBP"),
        ("pl", "PLN"),
        ("ja", "JPY"),  # a language of one country
        ("he", "ILS"),
        ("zh-CN", "CNY"),
        ("zh", None),  # China, Taiwan, Hong Kong, Singapore
        ("en", None),  # a language of many countries names no currency
        ("fr", None),
        (None, None),
    ],
)
def test_currency_from_locale(locale: str | None, expected: str | None) -> None:
    assert currency_from_locale(locale) == expected


@pytest.mark.parametrize(
    ("lang", "shown", "expected"),
    [
        ("nb", "kr 1 299,-", ("1299", "NOK")),
        ("sv-SE", "1 299 kr", ("1299", "SEK")),
        ("pl", "1 299,00 €", ("1299.00", "EUR")),
    ],
)
def test_a_shared_currency_sign_takes_the_page_language_s_currency(
    lang: str, shown: str, expected: tuple[str, str]
) -> None:
    """Met by a QA walk: a Norwegian shop on a domain naming no country (here an address)
    showing "kr 1 299,-" stored its price with no currency, so the report could compare it
    with no other; a sign of one currency keeps its own."""
    page = (
        f'<html lang="{lang}"><head><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "Product", "name": "Turbag 40L", '
        '"sku": "T40"}</script></head><body><h1>Turbag 40L</h1>'
        f'<div class="price">{shown}</div><button>Kjøp</button></body></html>'
    )
    offer = extract_auto(page, "http://127.0.0.1:8811/p/0.html").offers[0]
    assert (offer.price, offer.currency) == expected

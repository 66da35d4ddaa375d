"""Prices, dates and stock labels written the way each demo shop's locale writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

NBSP = "\u00a0"

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    # Polish dates use the genitive month names.
    "pl": [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    "no": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
}

_AVAILABILITY = {
    "en": {"InStock": "In stock", "OutOfStock": "Out of stock"},
    "fr": {"InStock": "En stock", "OutOfStock": "Rupture de stock"},
    "pl": {"InStock": "Dostępny", "OutOfStock": "Niedostępny"},
    "no": {"InStock": "På lager", "OutOfStock": "Utsolgt"},
}


def _group_thousands(whole: int, separator: str) -> str:
    return f"{whole:,}".replace(",", separator)


def format_price(amount: Decimal, currency: str) -> str:
    """The visible price text, e.g. ``"1 299,00 kr"``, ``"1 299,00 €"``, ``"£1,299.99"``."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"))
    whole = int(amount)
    cents = f"{int((amount - whole) * 100):02d}"
    if currency == "GBP":
        return f"{sign}£{whole:,}.{cents}"
    if currency == "NOK":
        return f"{sign}{_group_thousands(whole, NBSP)},{cents}{NBSP}kr"
    if currency == "EUR":
        return f"{sign}{_group_thousands(whole, NBSP)},{cents}{NBSP}€"
    if currency == "PLN":
        return f"{sign}{_group_thousands(whole, ' ')},{cents} zł"
    raise ValueError(f"no demo price format for currency {currency!r}")


def format_date(day: date, language: str) -> str:
    """The visible date text: ``"12. mars 2026"``, ``"3 janvier 2026"``, ``"5 lutego 2026"``,
    ``"12 March 2026"``."""
    month = _MONTHS[language][day.month - 1]
    if language == "no":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def availability_label(availability: str, language: str) -> str:
    """Visible stock text for a schema.org availability name."""
    return _AVAILABILITY[language][availability]


def rating_stars(rating: int, scale: int) -> str:
    """Stars for 5-point scales (``"★★★★☆"``); ``"8/10"`` style text for 10-point ones."""
    if scale == 5 and 0 <= rating <= 5:
        return "★" * rating + "☆" * (5 - rating)
    return f"{rating}/{scale}"

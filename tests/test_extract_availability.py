from __future__ import annotations

import pytest

from spiders.extract.availability import availability_in_text, normalize_availability


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://schema.org/InStock", "InStock"),
        ("https://schema.org/OutOfStock", "OutOfStock"),
        ("schema.org/PreOrder", "PreOrder"),
        ("https://schema.org/BackOrder/", "BackOrder"),
        ("InStock", "InStock"),
        ("instock", "InStock"),
        ("OUTOFSTOCK", "OutOfStock"),
        ("SoldOut", "OutOfStock"),
        ("LimitedAvailability", "LimitedAvailability"),
        ("Discontinued", "Discontinued"),
        ("In stock", "InStock"),
        ("Only a few left", "LimitedAvailability"),
        ("Currently unavailable.", "OutOfStock"),
        ("Add to cart", "InStock"),
        ("En stock", "InStock"),
        ("Disponible", "InStock"),
        ("Rupture de stock", "OutOfStock"),
        ("Actuellement indisponible", "OutOfStock"),
        ("Dostępny", "InStock"),
        ("Niedostępny", "OutOfStock"),
        ("Brak w magazynie", "OutOfStock"),
        ("På lager", "InStock"),
        ("Ikke på lager", "OutOfStock"),
        ("Utsolgt", "OutOfStock"),
        ("Auf Lager", "InStock"),
        ("Ausverkauft", "OutOfStock"),
        ("Nicht verfügbar", "OutOfStock"),
        ("Disponibile", "InStock"),
        ("Non disponibile", "OutOfStock"),
        ("Esaurito", "OutOfStock"),
        # schema.org values in odd casing, spacing and prefixes
        (" http://schema.org/InStock ", "InStock"),
        ("HTTP://SCHEMA.ORG/OUTOFSTOCK", "OutOfStock"),
        ("schema:InStock", "InStock"),
        ("http://schema.org/OutofStock", "OutOfStock"),
        # feed-style values (Facebook/Google catalogues)
        ("in_stock", "InStock"),
        ("OUT_OF_STOCK", "OutOfStock"),
        ("available for order", "InStock"),
        # en: "notify me" prompts are out-of-stock signals despite "in stock" in them
        ("Not in stock", "OutOfStock"),
        ("Email me when back in stock", "OutOfStock"),
        ("Notify me when available", "OutOfStock"),
        # fr / pl / no / de / it
        ("Pas disponible", "OutOfStock"),
        ("Hors stock", "OutOfStock"),
        ("Nie ma w magazynie", "OutOfStock"),
        ("Midlertidig utsolgt", "OutOfStock"),
        ("Vergriffen", "OutOfStock"),
        ("Nicht mehr verfügbar", "Discontinued"),
        ("Momentaneamente non disponibile", "OutOfStock"),
        # es / nl / pt / cs / sk
        ("Disponibilidad inmediata", "InStock"),
        ("Fuera de stock", "OutOfStock"),
        ("Op voorraad", "InStock"),
        ("Niet op voorraad", "OutOfStock"),
        ("Uitverkocht", "OutOfStock"),
        ("Tijdelijk niet leverbaar", "OutOfStock"),
        ("Esgotado", "OutOfStock"),
        ("Není skladem", "OutOfStock"),
        ("Skladem", "InStock"),
        ("Nedostupné", "OutOfStock"),
        ("", None),
        (None, None),
        ("Blue, size M", None),
    ],
)
def test_normalize_availability(value: str | None, expected: str | None) -> None:
    assert normalize_availability(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Free delivery over 50 €. Sold out online, ask your store. Add to basket", "OutOfStock"),
        ("Size: 7 8 9 10 Add to your basket Add to wish list", "InStock"),
        ("Colour: blue. Material: leather, sole: rubber. " * 10, None),
    ],
)
def test_availability_in_longer_text(text: str, expected: str | None) -> None:
    assert availability_in_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Нет в наличии", "OutOfStock"),
        ("В наличии", "InStock"),
        ("缺货", "OutOfStock"),
        ("在庫切れ", "OutOfStock"),
        ("품절", "OutOfStock"),  # Hangul decomposes when folded: phrases are folded too
        ("Stokta yok", "OutOfStock"),
        ("Hết hàng", "OutOfStock"),
        ("Ei varastossa", "OutOfStock"),
        ("Varastossa", "InStock"),
        ("Raktáron", "InStock"),
        ("Laos", None),
    ],
)
def test_stock_phrases_in_more_languages(text: str, expected: str | None) -> None:
    assert normalize_availability(text) == expected

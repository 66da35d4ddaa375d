from __future__ import annotations

import pytest

from spiders.extract.availability import normalize_availability


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
        ("", None),
        (None, None),
        ("Blue, size M", None),
    ],
)
def test_normalize_availability(value: str | None, expected: str | None) -> None:
    assert normalize_availability(value) == expected

"""A percentage in the block around two amounts makes the higher one a list price only when
it is their gap (issue #13): "-25%" beside 199,00 € and 149,00 € is a discount, while a
fabric's "100 % wool", a "0% instalments" line or a tax rate in the product's block says
nothing about a lower amount elsewhere in it (a free-delivery threshold). Hand-written
pages without markup, in several languages and currency positions; the controls passed
before the fix as well."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto

URL = "https://shop.test/p/item"


def _page(lang: str, price: str, lines: list[str]) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Item</title>'
        f'</head><body><header><a href="/">Shop</a></header><main><h1>Item</h1>'
        f'<div class="buy">{price}<p>In stock</p></div>{body}'
        f'<button type="submit">Add</button></main></body></html>'
    ).encode()


# (lang, price block, lines elsewhere in the product's block, price to read)
CASES = [
    # a percentage that is no gap between the price and a lower amount in the block
    (
        "da",
        "<span>1.299,00</span> <span>kr.</span>",
        ["Fri fragt over 499 kr.", "Vævet af 100 % lammeuld."],
        "1299.00",
    ),
    (
        "en",
        "<span>£89.00</span>",
        ["Free delivery on orders over £50", "100% cotton, machine washable."],
        "89.00",
    ),
    (
        "de",
        "<span>79,90 €</span>",
        ["Versandkostenfrei ab 50 €", "Material: 95 % Baumwolle, 5 % Elasthan"],
        "79.90",
    ),
    (
        "pl",
        "<span>249,00 zł</span>",
        ["Darmowa dostawa od 199 zł", "Raty 0% – zapytaj w sklepie."],
        "249.00",
    ),
    (
        "pt",
        "<span>R$ 399,90</span>",
        ["Frete grátis acima de R$ 299", "Composição: 100% algodão"],
        "399.90",
    ),
    ("fr", "<span>59,00 €</span>", ["Livraison offerte dès 39 €", "TVA 20 % incluse"], "59.00"),
    (
        "cs",
        "<span>1 490 Kč</span>",
        ["Doprava zdarma nad 1 000 Kč", "Složení: 80 % vlna, 20 % polyamid"],
        "1490",
    ),
    # controls: the percentage is the gap, the higher amount is the list price
    ("en", "<span>$129.00</span> <span>$99.00</span>", ["Save 23%"], "99.00"),
    ("de", "<span>199,00 €</span><span>149,00 €</span>", ["-25%"], "149.00"),
    ("pl", "<span>59,99 zł</span> <span>44,99 zł</span>", ["Rabat 25%"], "44.99"),
]


@pytest.mark.parametrize(("lang", "price", "lines", "want"), CASES)
def test_price_beside_an_unrelated_percentage(
    lang: str, price: str, lines: list[str], want: str
) -> None:
    page = extract_auto(_page(lang, price, lines), URL)
    assert page.offers and Decimal(page.offers[0].price or "0") == Decimal(want)


def _nested_page(lang: str, old: str, new: str, percent: str) -> bytes:
    """The old price in a block of its own, the new one and the percentage a level deeper
    in the next (a theme's discount block), class names saying nothing."""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Item</title>'
        f'</head><body><header><a href="/">Shop</a></header><main><h1>Item</h1><div class="k1">'
        f'<div class="k2"><span class="k3">{old}</span></div><div class="k4"><div class="k5">'
        f'<span class="k6">{new}</span> <span class="k7">{percent}</span></div></div></div>'
        f'<button type="submit">Add</button></main></body></html>'
    ).encode()


@pytest.mark.parametrize(
    ("lang", "old", "new", "percent", "want"),
    [
        ("tr", "1.200,00 TL", "900,00 TL", "-%25", "900.00"),  # the sign before the number
        ("en", "$80.00", "$60.00", "-25%", "60.00"),
        ("de", "80,00 €", "60,00 €", "inkl. 19% MwSt.", "80.00"),  # a tax rate: no gap
    ],
)
def test_an_old_price_above_a_deeper_sale_block_with_its_percentage(
    lang: str, old: str, new: str, percent: str, want: str
) -> None:
    page = extract_auto(_nested_page(lang, old, new, percent), URL)
    assert page.offers and Decimal(page.offers[0].price or "0") == Decimal(want)

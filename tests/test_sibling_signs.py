"""An amount whose currency sign sits in an adjacent sibling element, only whitespace
between, is one priced amount read on the amount's own element (issue #13): "<span>1.299,00
</span> <span>kr.</span>", "<span>€</span><span>49,90</span>", whatever the sign or its side.
The pieces of a split amount stay with their block ("<span>1.299</span><span>99</span>
<span>kr.</span>" is 1299.99, "<b>12</b><sup>,99</sup> <i>€</i>" is 12.99) and two amounts stay
two. Hand-written tables."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.visible_price import candidate_text, price_candidates

URL = "https://shop.test/p/item"

# (lang, price markup, amount read on the element with id "a")
SIGNED = [
    ("da", '<span id="a">1.299,00</span> <span>kr.</span>', "1299.00"),
    ("pl", '<span id="a">249,00</span> <span>zł</span>', "249.00"),
    ("cs", '<span id="a">1 490</span>\n  <span>Kč</span>', "1490"),
    ("de", '<span>€</span> <span id="a">49,90</span>', "49.90"),
    ("en", '<span>$</span><span id="a">1,299.00</span>', "1299.00"),
    ("pt", '<span>R$</span> <span id="a">399,90</span>', "399.90"),
    ("bg", '<span id="a">89,00</span> <span>лв.</span>', "89.00"),
    ("en", '<b>USD</b> <b id="a">15.50</b>', "15.50"),
]


@pytest.mark.parametrize(("lang", "markup", "want"), SIGNED)
def test_amount_with_its_sign_in_a_sibling(lang: str, markup: str, want: str) -> None:
    root = lxml.html.fromstring(f"<html><body><p>{markup}</p></body></html>")
    text = candidate_text(root.get_element_by_id("a"))
    assert text is not None
    found = {Decimal(c.price) for c in price_candidates(root, None) if c.element.get("id") == "a"}
    assert found == {Decimal(want)}


# A product block whose parent also holds a stock line: read whole, the parent's text has
# words; the amount's own element is the clean price (a free-delivery threshold and a
# fabric's percentage elsewhere on the page).
PAGES = [
    ("da", "<span>1.299,00</span> <span>kr.</span>", "På lager", "Fri fragt over 499 kr.",
     "1299.00"),
    ("sv", "<span>1 195</span> <span>kr</span>", "I lager", "Fri frakt över 499 kr", "1195"),
    ("pl", "<span>349,00</span> <span>zł</span>", "Dostępny", "Darmowa dostawa od 199 zł",
     "349.00"),
    ("en", "<span>£</span><span>89.00</span>", "In stock", "Free delivery over £50", "89.00"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "price", "stock", "shipping", "want"), PAGES)
def test_page_price_with_its_sign_in_a_sibling(
    lang: str, price: str, stock: str, shipping: str, want: str
) -> None:
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Item</title>'
        f"</head><body><main><h1>Item</h1><div>{price}<p>{stock}</p></div>"
        f"<p>{shipping}</p><p>Material: 100 % wool</p><button>Buy</button></main></body></html>"
    )
    page = extract_auto(html.encode(), URL)
    assert page.offers and Decimal(page.offers[0].price or "0") == Decimal(want)


# Split amounts and two amounts keep their reading (controls, passing before the fix; the
# last row read no amount before it: the second amount with its sign is one now).
CONTROLS = [
    ("<span>1.299</span><span>99</span> <span>kr.</span>", {"1299.99"}),
    ("<b>12</b><sup>,99</sup> <i>€</i>", {"12.99"}),
    ("<span>€</span> <span>12</span><sup>99</sup>", {"12.99"}),
    ("<s>129,99</s> <b>99,99</b> zł", {"129.99", "99.99"}),
    ("<span>Art.</span> <span>118</span>", set()),
    ("<span>129,99</span> <span>99,99</span> <span>zł</span>", {"99.99"}),
]


@pytest.mark.parametrize(("markup", "want"), CONTROLS)
def test_split_and_paired_amounts_keep_their_reading(markup: str, want: set[str]) -> None:
    root = lxml.html.fromstring(f"<html><body><div><p>{markup}</p></div></body></html>")
    found = {Decimal(c.price) for c in price_candidates(root, None)}
    assert found == {Decimal(w) for w in want}

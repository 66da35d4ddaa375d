"""Two amounts side by side are two amounts (issue #13): an old price and a new one shown
as sibling elements, or in one text with a space between, are never glued into one number
("129,99 99,99 zł" is no 1299999.99), while one amount grouped by spaces ("1 299,00 zł")
or split across elements ("<span>1</span><span>299</span>", "99<sup>99</sup>") still
reads as one. Hand-written tables; the controls passed before the fix as well."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.element_text import flat_text
from spiders.extract.price import amounts_side_by_side, normalize_price
from spiders.extract.visible_price import joined_text, price_candidates

URL = "https://shop.test/p/kettle"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        # two complete amounts with a space between: the one beside the sign, else the first
        ("129,99 99,99 zł", "99.99"),
        ("1.299 999 €", "999"),
        ("1.299,00 999,00 €", "999.00"),
        ("€ 49,99 39,95", "49.99"),
        ("129,99 99,99", "129.99"),
        ("19.99 14.99 USD", "14.99"),
        ("1 299,00 999,00 Kč", "999.00"),
        # controls: one amount grouped by spaces (plain, non-breaking, thin)
        ("1 299,00 zł", "1299.00"),
        ("1 234 567 Ft", "1234567"),
        ("12 345,67 €", "12345.67"),
        ("1\u00a0299,00\u00a0zł", "1299.00"),
        ("1\u2009234,56 €", "1234.56"),
        ("kr 1 299,-", "1299"),
        ("CHF 1'299.–", "1299"),
        ("$1,299.99", "1299.99"),
        ("1.299.000 ₫", "1299000"),
        ("12 990 ₽", "12990"),
    ],
)
def test_amounts_in_one_text(text: str, amount: str) -> None:
    assert normalize_price(text)[0] == amount


@pytest.mark.parametrize(
    ("text", "apart"),
    [
        ("129,99 99,99 zł", True),
        ("1.299 999 €", True),
        ("$19.99 14.99", True),
        # controls: one amount, or amounts with something between
        ("1 299,00 zł", False),
        ("1 234 567 Ft", False),
        ("3 x 19,99 €", False),
        ("€ 49,99 € 39,95", False),
        ("$300 - $500", False),
    ],
)
def test_amounts_side_by_side(text: str, apart: bool) -> None:
    assert amounts_side_by_side(text) is apart


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # a complete amount ends at its element: the next element's digits are another
        ("<div><span>1.299</span><span>999 €</span></div>", "1.299 999 €"),
        ("<div><span>129,99</span><span>99,99 zł</span></div>", "129,99 99,99 zł"),
        ("<div><s>19.99</s><b>14.99 $</b></div>", "19.99 14.99 $"),
        # controls: one amount split across elements
        ("<div><span>1</span><span>299</span> €</div>", "1299 €"),
        ("<div><span>1 </span><span>299,00</span> €</div>", "1 299,00 €"),
        ("<div><span>12</span><span>,99</span> €</div>", "12,99 €"),
        ("<div><span>1.</span><span>299</span> €</div>", "1.299 €"),
        ("<div><span>99</span><sup>99</sup> €</div>", "99.99 €"),
        ("<div><span>1.299</span><sup>99</sup> €</div>", "1.299.99 €"),
        ("<div><span>1.299</span><sup>,99</sup> €</div>", "1.299,99 €"),
    ],
)
def test_element_boundaries_in_joined_text(html: str, text: str) -> None:
    assert joined_text(lxml.html.fragment_fromstring(html)) == text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<div><s>129,99</s><b>99,99 zł</b></div>", "129,99 99,99 zł"),
        ("<div><span>1.299</span><span>999 €</span></div>", "1.299 999 €"),
        # controls
        ("<div><span>1</span><span>299</span> €</div>", "1299 €"),
        ("<div><span>12</span><span>,99</span> €</div>", "12,99 €"),
        ("<div><b>4.5</b>/<b>5</b></div>", "4.5/5"),
        ("<div><b>v2.0</b>b</div>", "v2.0b"),
    ],
)
def test_element_boundaries_in_flat_text(html: str, text: str) -> None:
    assert flat_text(lxml.html.fragment_fromstring(html)) == text


def page(body: str) -> str:
    return (
        "<html><head><title>Kettle</title></head><body><main><h1>Acme kettle 2000</h1>"
        f"{body}<p>A kettle that boils water.</p></main></body></html>"
    )


@pytest.mark.parametrize(
    ("body", "price"),
    [
        ("<div><s>129,99</s> <b>99,99 zł</b></div>", "99.99"),
        ("<div><span>1.299</span><span>999 €</span></div>", "999"),
        ("<div><del>1 299,00</del> <ins>999,00 Kč</ins></div>", "999.00"),
        # controls: one amount, split or grouped
        ("<div><b>1 299,00 zł</b></div>", "1299.00"),
        ("<div><span>1</span><span>299</span> €</div>", "1299"),
        ("<div class='price'><span>99</span><sup>99</sup> zł</div>", "99.99"),
        ("<div><span>€</span><span>12</span><sup>.99</sup></div>", "12.99"),
        ("<p><del>€59.00</del> <ins>€49.00</ins></p>", "49.00"),
    ],
)
def test_page_price(body: str, price: str) -> None:
    offers = extract_auto(page(body), URL).offers
    assert offers, "no offer"
    assert offers[0].price is not None
    assert Decimal(offers[0].price) == Decimal(price)


@pytest.mark.parametrize(
    "body",
    [
        "<div><s>129,99</s> <b>99,99 zł</b></div>",
        "<div><span>1.299</span><span>999 €</span></div>",
        "<div><del>1 299,00</del> <ins>999,00 Kč</ins></div>",
        "<div class='price'><s>129,99</s> <b>99,99</b> zł</div>",
    ],
)
def test_no_candidate_glues_two_amounts(body: str) -> None:
    root = lxml.html.document_fromstring(page(body))
    amounts = {Decimal(c.price) for c in price_candidates(root, None)}
    assert amounts <= {Decimal("129.99"), Decimal("99.99"), Decimal("1299"), Decimal("999")}

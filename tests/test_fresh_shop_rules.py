"""General causes of misses found on a second table of invented shop pages
(tests/fixtures/fresh-shops, ``benchmarks/offers_unseen_shops.py tests/fixtures/fresh-shops``),
each on hand-written pages of its own: the markup's product that states this page's address
among several products, currency letters inside a code, signs written in abbreviation case,
a saving beside the sale price, and code labels in scripts with vowel signs."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.price import normalize_price

URL = "https://shop.test/products/lamp-20"


def page(body: str, head: str = "", lang: str = "en") -> str:
    return (
        f"<html lang='{lang}'><head><title>Lamp</title>{head}</head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/cart'>Cart</a></nav></header>"
        f"<main><h1>Desk lamp 20</h1>{body}</main><footer>Shop</footer></body></html>"
    )


def product(name: str, sku: str, price: str, url: str | None) -> dict[str, object]:
    node: dict[str, object] = {"@type": "Product", "name": name, "sku": sku}
    offer = {"@type": "Offer", "price": price, "priceCurrency": "EUR"}
    if url is not None:
        node["url"] = url
    node["offers"] = offer
    return node


def graph(*nodes: dict[str, object], key: str = "@graph") -> str:
    data: object = {"@context": "https://schema.org", key: list(nodes)} if key else list(nodes)
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


RELATED_A = product("Bulb", "B-1", "4.50", "https://shop.test/products/bulb")
RELATED_B = product("Shade", "S-2", "12.00", "/products/shade")


@pytest.mark.parametrize(
    ("markup", "sku", "price"),
    [
        # The page's own product third in a @graph, after the related items' nodes.
        pytest.param(graph(RELATED_A, RELATED_B, product("Desk lamp 20", "L-20", "39.95", URL)), "L-20", "39.95", id="third-in-graph"),
        # A top-level list; the own product states a relative address, with a trailing slash.
        pytest.param(graph(RELATED_A, product("Desk lamp 20", "L-20", "39.95", "/products/lamp-20/"), key=""), "L-20", "39.95", id="relative-in-list"),
        # The address in the offer, written with www.
        pytest.param(
            graph(RELATED_B, {**product("Desk lamp 20", "L-20", "39.95", None),
                              "offers": {"@type": "Offer", "price": "39.95", "priceCurrency": "EUR",
                                         "url": "https://www.shop.test/products/lamp-20"}}),
            "L-20", "39.95", id="in-offer-with-www",
        ),
        # No product states this page: markup order as before.
        pytest.param(graph(RELATED_A, RELATED_B), "B-1", "4.50", id="none-states-this-page"),
        # No product states another page: markup order as before.
        pytest.param(graph(product("Desk lamp 20", "L-20", "39.95", None), product("Bulb", "B-1", "4.50", None)), "L-20", "39.95", id="none-states-another"),
    ],
)  # fmt: skip
def test_the_product_stating_this_page_comes_first(markup: str, sku: str, price: str) -> None:
    offer = extract_auto(page("<p>In stock</p>", head=markup).encode(), URL).offers[0]
    assert (offer.sku, offer.price) == (sku, price)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("SKU: CG-DB20", None),  # "Db" (dobra) inside a code
        ("Art. XL-KR500", None),  # "kr" inside a code
        ("Ref. AB_LE7", None),  # "Le" inside a code
        ("Kod: ZX/DH40", None),
        ("1 290,- Kč", "CZK"),  # a whole amount's dash is no code
        ("kr 2 490,-", None),  # a sign shared by several currencies: no code either way
        ("12 Ft", "HUF"),
    ],
)
def test_currency_letters_inside_a_code_are_no_sign(text: str, currency: str | None) -> None:
    assert normalize_price(text)[1] == currency


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("KSh 2,499", "2499", "KES"),
        ("TSh 15,000", "15000", "TZS"),
        ("Ksh 2,499", "2499", "KES"),
        ("KSH 2,499", "2499", "KES"),
    ],
)
def test_signs_in_abbreviation_case(text: str, price: str, currency: str) -> None:
    assert normalize_price(text) == (price, currency)


def test_a_word_in_sentence_case_stays_a_word() -> None:
    assert normalize_price("ksh 20")[1] is None


@pytest.mark.parametrize(
    ("pair", "want"),
    [
        (
            "<del class='x3f9a'>$1,899.00</del> <span class='x81c2'>$1,299.00</span>"
            " <span class='xd40e'>You save $600.00</span>",
            "1299.00",
        ),
        (
            "<s class='a1'>£120.00</s> <b class='b2'>£90.00</b> <i class='c3'>Save £30.00</i>",
            "90.00",
        ),
        (
            "<span class='q7'><del>2 490 kr</del></span> <span class='r8'>1 990 kr</span>"
            " <span class='s9'>Spara 500 kr</span>",
            "1990",
        ),
        # No class names at all: the sale price and the saving are siblings of one layout.
        ("<del>$1,899.00</del> <span>$1,299.00</span> <span>You save $600.00</span>", "1299.00"),
        ("<s>£120.00</s> <b>£90.00</b> <b>Save £30.00</b>", "90.00"),
    ],
)
def test_a_sale_price_beside_its_saving_is_no_list_price(pair: str, want: str) -> None:
    """Class names that say nothing (hashed, or none): the struck list price, the sale
    price, the saving in one block; the saving beside the sale price does not make it a higher price beside a lower."""
    html = page(f"<div>{pair}</div><p>Ships in 2 days</p><button>Add</button>")
    offer = extract_auto(html.encode(), URL).offers[0]
    assert offer.price is not None and Decimal(offer.price) == Decimal(want)


@pytest.mark.parametrize(
    ("label", "lang"),
    [
        ("পণ্য কোড:", "bn"),
        ("उत्पाद कोड:", "hi"),
        ("รหัสสินค้า:", "th"),
        ("தயாரிப்பு குறியீடு:", "ta"),
    ],
)
def test_code_labels_with_vowel_signs(label: str, lang: str) -> None:
    html = page(f"<div>৳ 3,450</div><div>{label} GB-RC28</div><button>+</button>", lang=lang)
    assert extract_auto(html.encode(), "https://shop.test/p/rice-cooker").offers[0].sku == "GB-RC28"

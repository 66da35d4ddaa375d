"""Hard offer cases written from general knowledge of how shops show prices and variants
(not from any evaluation page): local number formats, instalments, superscript cents,
blocks holding an old and a current price, digits of other scripts, currencies without
minor units in markup, variant URLs and variant skus. One hand-written page per form."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from spiders.extract.auto import extract_auto

NBSP = "\u00a0"
NNBSP = "\u202f"


def page(body: str, *objects: Any, lang: str = "en") -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(o)}</script>' for o in objects
    )
    return (
        f'<html lang="{lang}"><head><title>Shop</title>{scripts}</head><body>'
        '<header><a href="/">Shop</a><nav><a href="/c">All products</a></nav></header>'
        f"<main>{body}</main><footer>Terms</footer></body></html>"
    )


def product(name: str, **fields: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "Product", "name": name, **fields}


def offer(sku: str, price: str, stock: str = "InStock", **fields: Any) -> dict[str, Any]:
    return {"@type": "Offer", "sku": sku, "price": price, "priceCurrency": "USD",
            "availability": f"https://schema.org/{stock}", **fields}  # fmt: skip


VISIBLE_PRICES = [
    pytest.param(
        page(f"<h1>Wanderschuh</h1><div><del>129,99{NBSP}€</del> <span>99,99{NBSP}€</span></div>"
             "<button>In den Warenkorb</button>", lang="de"),
        "https://shop.test/p/wanderschuh", "99.99", id="de-struck-then-sale",
    ),
    pytest.param(
        page(f"<h1>Veste</h1><div><span>1{NNBSP}299,99{NBSP}€</span> "
             f"<s>1{NNBSP}499,99{NBSP}€</s></div><button>Ajouter</button>", lang="fr"),
        "https://shop.test/p/veste", "1299.99", id="fr-narrow-spaces-sale-then-struck",
    ),
    pytest.param(
        page("<h1>Kurtka</h1><div><span style='text-decoration: line-through'>499,00 zł</span>"
             " <span>349,00 zł</span></div><button>Dodaj</button>", lang="pl"),
        "https://shop.test/p/kurtka", "349.00", id="pl-line-through-style",
    ),
    pytest.param(
        page(f"<h1>Sovepose</h1><div><span>kr{NBSP}1{NBSP}299,-</span></div>", lang="no"),
        "https://shop.test/p/sovepose", "1299", id="no-kr-before-dash-cents",
    ),
    pytest.param(
        page(f"<h1>Batoh</h1><div><span>1{NBSP}299{NBSP}Kč</span></div>", lang="cs"),
        "https://shop.test/p/batoh", "1299", id="cs-koruna-after",
    ),
    pytest.param(
        page("<h1>Uhr</h1><div><span>CHF 1'299.–</span></div>", lang="de"),
        "https://shop.test/p/uhr", "1299", id="ch-apostrophe-grouping",
    ),
    pytest.param(
        page("<h1>Poster</h1><div>From $19.99</div><button>Add to cart</button>"),
        "https://shop.test/p/poster", "19.99", id="from-price",
    ),
    pytest.param(
        page("<h1>Socks</h1><div>$12.00 – $18.00</div>"),
        "https://shop.test/p/socks", "12.00", id="range-lower-end",
    ),
    pytest.param(
        page("<h1>Bike</h1><p>or 4 interest-free payments of $199.75</p>"
             "<div><span>$799.00</span></div><button>Add to cart</button>"),
        "https://shop.test/p/bike", "799.00", id="instalment-before-the-price",
    ),
    pytest.param(
        page("<h1>Toaster</h1><div class='price'>$19<sup>99</sup></div>"),
        "https://shop.test/p/toaster", "19.99", id="superscript-cents-after-the-sign",
    ),
    pytest.param(
        page("<h1>Tisch</h1><div class='product-price'>1.299<sup>,99</sup> €</div>", lang="de"),
        "https://shop.test/p/tisch", "1299.99", id="superscript-cents-with-their-mark",
    ),
    pytest.param(
        page("<h1>Chair</h1><div class='prices'><span class='price price--old'>€149,00</span>"
             "<span class='price price--sale'>€99,00</span></div>"),
        "https://shop.test/p/chair", "99.00", id="block-whose-first-amount-is-named-old",
    ),
    pytest.param(
        page("<h1>ساعة</h1><div><span>١٬٢٠٠ ر.س</span></div>", lang="ar"),
        "https://shop.test/p/watch", "1200", id="arabic-indic-digits",
    ),
    pytest.param(
        page("<h1>急須</h1><div><span>１，２００円</span></div>", lang="ja"),
        "https://shop.test/p/kyusu", "1200", id="full-width-digits",
    ),
    pytest.param(
        page("<h1>Monitor</h1><div><span>€299.00</span> incl. VAT</div>"
             "<div><span>€243.09</span> excl. VAT</div>"),
        "https://shop.test/p/monitor", "299.00", id="first-of-vat-pair",
    ),
    # Shops whose class names are hashes (CSS modules): layout and text alone tell.
    pytest.param(
        page('<h1>Bag</h1><div class="a1"><div class="b2"><span class="c3">EUR219.99</span> '
             '<span class="d4">-50%</span></div> <div class="e5"><span class="f6">EUR110.00'
             "</span></div></div>"),
        "https://shop.test/p/bag", "110.00", id="list-price-beside-sale-price-and-percentage",
    ),
    pytest.param(
        page("<h1>Lamp</h1><div><div>Estimate $300 - $500</div><div><span>$200</span></div></div>"),
        "https://shop.test/p/lamp", "200", id="price-in-a-sentence-is-not-the-price",
    ),
    pytest.param(
        page('<h1>Ghost costume</h1><ul><li><a href="/sale">Everything under 10€</a></li></ul>'
             "<div><span>15,00€</span></div>"),
        "https://shop.test/p/costume", "15.00", id="price-in-a-menu-link",
    ),
    pytest.param(
        page("<h1>Olivenöl</h1><div><small>14,98 € / l</small> <strong>7,49 €</strong></div>",
             lang="de"),
        "https://shop.test/p/oel", "7.49", id="unit-price-before-the-price",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "url", "price"), VISIBLE_PRICES)
def test_visible_price(html: str, url: str, price: str) -> None:
    found = extract_auto(html, url).offers
    assert found and found[0].price is not None
    assert Decimal(found[0].price) == Decimal(price)


MARKUP_PRICES = [
    pytest.param("12.990", "CLP", "12990", id="zero-exponent-currency-groups-thousands"),
    pytest.param("12.990", "ISK", "12990", id="krona-without-minor-units"),
    pytest.param("1200.0", "JPY", "1200", id="zero-exponent-plain-decimal"),
    pytest.param("12.500", "KWD", "12.500", id="three-decimal-currency"),
    pytest.param("23.45", "USD", "23.45", id="two-decimal-currency-as-written"),
    pytest.param("1.299,00", "EUR", "1299.00", id="locale-string-in-markup"),
]


@pytest.mark.parametrize(("value", "currency", "price"), MARKUP_PRICES)
def test_markup_price(value: str, currency: str, price: str) -> None:
    markup = product("Item", sku="IT-100", offers={"@type": "Offer", "price": value,
                                                   "priceCurrency": currency})  # fmt: skip
    found = extract_auto(page("<h1>Item</h1>", markup), "https://shop.test/p/item").offers
    assert found[0].price is not None and Decimal(found[0].price) == Decimal(price)


def test_the_variant_the_url_names_by_the_offers_own_url() -> None:
    """Offers per colour, each with its own ``?variant=`` URL: the page's URL names one."""
    markup = product("Cap", offers=[
        offer("CAP-RED", "30.00", url="https://shop.test/products/cap?variant=111"),
        offer("CAP-BLU", "32.00", url="/products/cap?variant=222"),
    ])  # fmt: skip
    html = page("<h1>Cap</h1><p>$30.00</p>", markup)
    named = extract_auto(html, "https://shop.test/products/cap?variant=222").offers
    assert (named[0].price, named[0].sku) == ("32.00", "CAP-BLU")
    unnamed = extract_auto(html, "https://shop.test/products/cap").offers
    assert (unnamed[0].price, unnamed[0].sku) == ("30.00", "CAP-RED")


def test_variant_offers_sharing_one_url_name_none() -> None:
    shared = "https://shop.test/products/cap?variant=222"
    markup = product("Cap", offers=[
        offer("CAP-RED", "30.00", url=shared), offer("CAP-BLU", "32.00", url=shared),
    ])  # fmt: skip
    found = extract_auto(page("<h1>Cap</h1>", markup), shared).offers
    assert found[0].price == "30.00"  # the cheapest available, as without URLs


@pytest.mark.parametrize(
    ("sku", "url", "expected"),
    [
        pytest.param("RJ5512-BLK-M", "https://shop.test/rain-jacket/RJ5512", "RJ5512",
                     id="colour-and-size-suffix"),
        pytest.param("2041877-001", "https://shop.test/p/sneaker/2041877", "2041877",
                     id="numeric-code-and-colour-number"),
        pytest.param("RJ5512-BLK-M", "https://shop.test/rain-jacket", "RJ5512-BLK-M",
                     id="no-code-in-the-url"),
        pytest.param("AB1234", "https://shop.test/p/AB1234-red", "AB1234",
                     id="sku-is-the-url-code"),
        pytest.param("RJ5512-BLACK-XXLARGE", "https://shop.test/p/RJ5512", "RJ5512-BLACK-XXLARGE",
                     id="too-long-a-suffix-is-another-code"),
    ],
)  # fmt: skip
def test_one_variant_sku_in_markup_gives_way_to_the_urls_code(
    sku: str, url: str, expected: str
) -> None:
    markup = product("Jacket", sku=sku, offers=offer(sku, "120.00"))
    found = extract_auto(page("<h1>Jacket</h1>", markup), url).offers
    assert found[0].sku == expected


@pytest.mark.parametrize(
    ("offers", "price", "sku", "availability"),
    [
        pytest.param([offer("TR-100-40", "89.00", "OutOfStock"), offer("TR-100-41", "89.00"),
                      offer("TR-100-42", "89.00")], "89.00", "TR-100", "InStock",
                     id="offer-per-size-first-sold-out"),
        pytest.param([offer("PR-1-S", "15.00", "OutOfStock"), offer("PR-1-M", "25.00"),
                      offer("PR-1-L", "35.00")], "25.00", "PR-1", "InStock",
                     id="cheapest-available-size"),
        pytest.param([offer("PR-1-S", "25.00", "OutOfStock"), offer("PR-1-M", "25.00", "SoldOut")],
                     "25.00", "PR-1", "OutOfStock", id="every-size-sold-out"),
        pytest.param([offer("RG-7-5", "0.00"), offer("RG-7-6", "250.00")], "250.00", "RG-7",
                     "InStock", id="placeholder-zero-size"),
    ],
)  # fmt: skip
def test_offer_per_size(
    offers: list[dict[str, Any]], price: str, sku: str, availability: str
) -> None:
    markup = product("Trail runner", offers=offers)
    found = extract_auto(page("<h1>Trail runner</h1>", markup), "https://shop.test/p/tr").offers
    assert (found[0].price, found[0].sku, found[0].availability) == (price, sku, availability)


SOLD_OUT_LINES = [
    ("en", "Sold out"), ("de", "Nicht auf Lager"), ("fr", "Épuisé"), ("pl", "Brak w magazynie"),
    ("no", "Ikke på lager"), ("cs", "Vyprodáno"), ("es", "Agotado"), ("it", "Esaurito"),
    ("sv", "Slutsåld"), ("nl", "Uitverkocht"), ("pt", "Esgotado"), ("da", "Udsolgt"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "line"), SOLD_OUT_LINES)
def test_unnamed_sold_out_line_without_markup(lang: str, line: str) -> None:
    """No markup and no element named for stock: a short line after the heading that says
    the product is sold out, amid the description's paragraphs, is evidence."""
    html = page(f"<h1>Shirt</h1><p>20,00 €</p><p>Soft cotton shirt.</p><p>{line}</p>"
                "<p>Machine wash.</p><p>Made in Portugal.</p>", lang=lang)  # fmt: skip
    found = extract_auto(html, "https://shop.test/p/shirt").offers
    assert found[0].availability == "OutOfStock"


def test_sold_out_lines_of_other_products_cards_say_nothing() -> None:
    cards = "".join(
        f'<div><a href="/p/{n}">Shirt {n}</a><span>{n}0,00 €</span><p>Sold out</p></div>'
        for n in range(2, 7)
    )
    html = page(f"<h1>Shirt</h1><p>20,00 €</p><button>Add to cart</button><div>{cards}</div>")
    assert extract_auto(html, "https://shop.test/p/shirt").offers[0].availability == "InStock"


def test_markup_stock_stands_against_an_unnamed_line() -> None:
    markup = product("Shirt", sku="SH-1", offers=offer("SH-1", "20.00"))
    html = page("<h1>Shirt</h1><p>$20.00</p><p>Sold out</p>", markup)
    assert extract_auto(html, "https://shop.test/p/shirt").offers[0].availability == "InStock"

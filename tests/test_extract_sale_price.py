"""The price a customer pays: sale over list price in markup, no placeholder 0, no hidden
price texts. Hand-written pages, one per form."""

from __future__ import annotations

import pytest

from spiders.extract.auto import extract_auto

URL = "https://shop.test/p/kettle"


LD = '{{"@type":"Product","name":"Kettle","offers":{{"@type":"Offer","price":"{}","priceCurrency":"{}"}}}}'


def page(ld: str, body: str = "<h1>Kettle</h1>") -> str:
    script = f'<script type="application/ld+json">{ld}</script>' if ld else ""
    return f"<html><head>{script}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "price"),
    [
        pytest.param(
            page('{"@type":"Product","name":"Kettle","offers":{"@type":"Offer",'
                 '"price":["49.00","39.00"],"priceCurrency":"EUR"}}'),
            "39.00",
            id="two-prices-lower-is-the-sale",
        ),
        pytest.param(
            page('{"@type":"Product","name":"Kettle","offers":{"@type":"Offer","price":"49.00",'
                 '"priceCurrency":"EUR","priceSpecification":['
                 '{"@type":"UnitPriceSpecification","priceType":"https://schema.org/ListPrice",'
                 '"price":"49.00"},{"@type":"UnitPriceSpecification","price":"35.50"}]}}'),
            "35.50",
            id="offer-price-is-the-list-price",
        ),
        pytest.param(
            page('{"@type":"Product","name":"Kettle","offers":{"@type":"Offer","price":"0",'
                 '"priceCurrency":"EUR"}}', '<h1>Kettle</h1><p class="price">24,90 €</p>'),
            "24.90",
            id="placeholder-zero-gives-way-to-the-shown-price",
        ),
        pytest.param(
            page("", '<h1>Kettle</h1><p class="price" hidden>99,00 €</p>'
                 '<p class="price">24,90 €</p>'),
            "24.90",
            id="hidden-price-text-ignored",
        ),
        pytest.param(
            page("", '<h1>Kettle</h1><div style="display: none"><span class="price">5 €</span>'
                 '</div><span class="price">7 €</span>'),
            "7",
            id="price-in-hidden-block-ignored",
        ),
        # A markup list price the page shows only beside a lower amount and a percentage, or
        # labelled old in a page with no English sign of old prices: told without class names.
        pytest.param(
            page(LD.format("80.00", "EUR"), '<h1>Kettle</h1><div class="q7f"><div class="k2a">'
                 '<span class="z1">EUR80.00</span> <span class="m4">-25%</span></div>'
                 '<div class="x0"><span class="t5">EUR60.00</span></div></div>'),
            "60.00",
            id="hashed-classes-list-price-beside-sale-and-percentage",
        ),
        pytest.param(
            page(LD.format("129.00", "USD"), '<h1>Kettle</h1><div class="a"><span class="b">'
                 '$129.00</span><span class="c">$99.00</span><em class="d">Save 23%</em></div>'),
            "99.00",
            id="list-and-sale-amount-in-one-line-with-percentage",
        ),
        pytest.param(
            page(LD.format("80.00", "EUR"), '<h1>Kettle</h1><div class="q7f"><div class="k2a">'
                 '<span class="z1">€80,00</span> <span class="m4">-25%</span></div><div '
                 'class="x0"><span class="t5">€60,00</span> <small>incl. 19% VAT</small></div>'
                 "</div>"),
            "60.00",
            id="the-percentage-that-is-the-gap-not-the-tax-rate",
        ),
        pytest.param(
            page(LD.format("59.00", "PLN"), '<h1>Kettle</h1><p class="c1"><span class="c2">'
                 'zamiast 59,00 zł</span></p><p class="c3"><span class="price">49,00 zł</span></p>'),
            "49.00",
            id="markup-price-labelled-old-in-a-page-without-english-signs",
        ),
        # Pages without markup: the layout alone tells the price to pay.
        pytest.param(
            page("", '<h1>Kettle</h1><p class="price"><del><span class="amount"><span class="sym">'
                 '€</span>&nbsp;49.90</span></del> <ins><span class="amount"><span class="sym">€'
                 '</span>&nbsp;39.90</span></ins></p>'),
            "39.90",
            id="struck-amount-written-as-the-sign-s-tail",
        ),
        pytest.param(
            page("", '<h1>Kettle</h1><div class="product-price"><span class="price-item '
                 'price-item--regular">€ 49,90</span></div><aside class="recommend"><a>Mug</a>'
                 '<span class="price">€ 9,90</span></aside>'),
            "49.90",
            id="regular-named-price-with-no-sale-price-beside-it",
        ),
        pytest.param(
            page("", '<h1>Kettle</h1><div class="price__regular"><span class="price-item '
                 'price-item--regular">€ 49,90</span></div><div class="price__sale"><span '
                 'class="price-item price-item--regular">€ 49,90</span><span class="price-item '
                 'price-item--sale">€ 39,90</span></div>'),
            "39.90",
            id="regular-named-price-beside-a-sale-price-stays-old",
        ),
        pytest.param(
            page("", '<h1>Kettle</h1><div class="price-box"><span>MRP Rs. 799</span> <span>Rs. 649'
                 "</span></div>"),
            "649",
            id="two-amounts-side-by-side-read-one-by-one",
        ),
    ],
)  # fmt: skip
def test_price_paid(html: str, price: str) -> None:
    assert extract_auto(html, URL).offers[0].price == price


@pytest.mark.parametrize(
    ("lang", "old", "now", "price"),
    [
        ("cs", "Běžná cena 1 590 Kč", "1 290 Kč", "1290"),
        ("zh-CN", "市场价：498元", "368元", "368"),
        ("ja", "定価 4,400円", "3,980円", "3980"),
        ("tr", "Piyasa Fiyatı: 999,00 TL", "749,00 TL", "749.00"),
        ("el", "Αρχική τιμή: 429,00 €", "349,00 €", "349.00"),
        ("en-IN", "MRP: ₹799", "₹649", "649"),
    ],
)
def test_a_list_price_labelled_in_the_page_s_language(
    lang: str, old: str, now: str, price: str
) -> None:
    """Neither struck nor named (hashed classes): the label alone says the first amount is
    the list price, in the words shops of each language use (shop_labels' old_price)."""
    html = (
        f'<html lang="{lang}"><body><h1>Kettle</h1><div class="a1"><span class="b2">{old}</span>'
        f'</div><div class="c3"><span class="d4">{now}</span></div></body></html>'
    )
    assert extract_auto(html, URL).offers[0].price == price

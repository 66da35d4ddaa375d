"""Price shapes unseen shops write, on hand-written pages: prices split across elements,
non-breaking and thin spaces, Indian grouping, the currency after the number, "from"
prices, was/now pairs, a placeholder 0, markup attributes against the visible text, and
per-unit prices that are never the product's price."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.page_heading import document_position, heading_position, main_heading
from spiders.extract.page_regions import FAR_DEPTH, ancestors, hidden_among, is_hidden
from spiders.extract.visible_price import (
    attribute_prices,
    joined_text,
    price_candidates,
)

URL = "https://shop.test/p/kettle"


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>Kettle</title>{head}</head><body>"
        "<header><nav><a href='/'>Home</a></nav></header>"
        f"<main><h1>Acme kettle 2000 steel</h1>{body}<p>A kettle that boils water.</p></main>"
        "<footer>Shop</footer></body></html>"
    )


def ld(price: str, currency: str = "EUR") -> str:
    return (
        '<script type="application/ld+json">{"@type":"Product","name":"Acme kettle",'
        f'"offers":{{"@type":"Offer","price":"{price}","priceCurrency":"{currency}"}}}}</script>'
    )


def microdata(content: str, shown: str) -> str:
    return (
        '<div itemscope itemtype="https://schema.org/Product"><div itemprop="offers" itemscope '
        'itemtype="https://schema.org/Offer"><meta itemprop="priceCurrency" content="EUR">'
        f'<span itemprop="price" content="{content}">{shown}</span></div></div>'
    )


# A few short blocks between two prices (an auction's countdown, a choice of sizes).
TIMER = "<ul><li>3d</li><li>22h</li><li>58m</li><li>52s</li></ul><ul><li>a</li><li>b</li></ul>"

CASES = [
    # split across elements
    ("sup-cents", page('<div class="price"><span>12</span><sup>99</sup> €</div>'), "12.99"),
    ("sup-after-comma", page("<div class='cost'><b>12</b>,<sup>99</sup> €</div>"), "12.99"),
    (
        "split-spans",
        page('<div class="product-price"><span>12</span><span>,99</span> €</div>'),
        "12.99",
    ),
    (
        "split-no-price-name",
        page("<div><span>€</span><span>12</span><sup>.99</sup></div>"),
        "12.99",
    ),
    # spaces as thousands separators
    ("nbsp", page('<p class="price">1\u00a0234,56\u00a0€</p>'), "1234.56"),
    ("thin-space", page('<p class="price">1\u2009234,56 €</p>'), "1234.56"),
    ("narrow-nbsp", page("<span>1\u202f234,56 €</span>"), "1234.56"),
    # Indian grouping, currency after the number
    ("indian-grouping", page("<span>₹1,23,456.00</span>"), "123456.00"),
    ("indian-grouping-bold", page("<div>Price: <b>₹ 1,23,456</b></div>"), "123456"),
    ("sign-after", page("<span>49,90 zł</span>"), "49.90"),
    ("code-after", page("<span>1 299 SEK</span>"), "1299"),
    # ranges and was/now
    ("from", page("<p>from <span>€9.99</span></p>"), "9.99"),
    ("from-in-one-text", page('<p class="price">from €9.99</p>'), "9.99"),
    ("was-now-labels", page("<p>Was <span>€59.00</span> Now <span>€49.00</span></p>"), "49.00"),
    # the label in the cell before the amount's (a table row, a definition list)
    (
        "rrp-in-previous-cell",
        page(
            "<table><tr><td>RRP:</td><td><span>£55.00</span></td></tr>"
            "<tr><td>Price:</td><td><span>£48.99</span></td></tr></table>"
        ),
        "48.99",
    ),
    (
        "was-in-dt",
        page("<dl><dt>Was</dt><dd><b>€59.00</b></dd><dt>Price</dt><dd><b>€49.00</b></dd></dl>"),
        "49.00",
    ),
    ("was-now-del", page("<p><del>€59.00</del> <ins>€49.00</ins></p>"), "49.00"),
    (
        "was-now-style",
        page(
            '<p><span style="text-decoration: line-through">€59.00</span> <span>€49.00</span></p>'
        ),
        "49.00",
    ),
    # a placeholder 0
    ("zero-in-json-ld", page("<span>€19.99</span>", ld("0")), "19.99"),
    ("zero-shown", page('<span class="price">€0.00</span><span>€19.99</span>'), "19.99"),
    # markup attributes against the text: the machine-readable value is the shop's statement
    # of the amount (the text is formatted for people), so it wins when they differ; only a
    # markup price the page shows solely as an old price gives way (test_extract_sale_price)
    ("microdata-content", page(microdata("19.99", "19,99 €")), "19.99"),
    ("microdata-content-wins", page(microdata("18.99", "19,99 €")), "18.99"),
    (
        "og-meta-and-text",
        page(
            '<span class="price">€24.99</span>',
            '<meta property="product:price:amount" content="24.99"><meta property="product:price:currency" content="EUR">',
        ),
        "24.99",
    ),
    (
        "data-attribute-and-text",
        page('<div data-price="2499"><span class="price">€24.99</span></div>'),
        "24.99",
    ),
    # a markup number written with the shop's thousands dot: read as the page shows it
    ("markup-grouped-shown", page("<span>1.299 €</span>", ld("1.299")), "1299"),
    ("markup-grouped-peso", page("<b>$12.990</b>", ld("12.990", "CLP")), "12990"),
    ("markup-three-decimals-unshown", page("<p>Kettle</p>", ld("1.299")), "1.299"),
    ("markup-dinar-three-decimals", page("<b>1.299 KWD</b>", ld("1.299", "KWD")), "1.299"),
    # per-unit prices
    ("unit-after", page('<div class="price">€12.50</div><div>€2.50 / kg</div>'), "12.50"),
    ("unit-before", page("<div>€2.50 / kg</div><div>€12.50</div>"), "12.50"),
    ("unit-in-brackets", page("<div><span>€12.50</span> <small>(€2.50/kg)</small></div>"), "12.50"),
    ("unit-per-100-g", page("<span>€1.20 per 100 g</span><p></p><b>€3.60</b>"), "3.60"),
    # a slash then a unit, whatever its language or script
    ("unit-any-word", page("<span>2,50 € / Stück</span><span>12,50 €</span>"), "12.50"),
    ("unit-cyrillic", page("<span>120 ₽/шт</span><span>1 440 ₽</span>"), "1440"),
    ("unit-squared-sign", page("<span>₩3,000/㎡</span><span>₩45,000</span>"), "45000"),
    ("unit-litre-first", page("<span>(3,98 €/l)</span><b>1,99 €</b>"), "1.99"),
    # two different amounts joined by a dash or a slash (a range, a cost and its share) come
    # second to an amount shown alone, even first after the heading and whatever the words
    (
        "estimate-then-bid",
        page(f"<div><p>Estimate $300 - $500</p></div>{TIMER}<div><p>$200</p></div>"),
        "200",
    ),
    (
        "range-sign-after",
        page(f"<div><p>Set 1,78 € – 8,69 € each</p></div>{TIMER}<div><p>6,50 €</p></div>"),
        "6.50",
    ),
    (
        "cost-and-share",
        page(f"<div><p>$11.85 box / $2.96 cup</p></div>{TIMER}<div><p>$9.99</p></div>"),
        "9.99",
    ),
    ("range-no-words", page("<div><p>¥1,000～¥2,000</p></div><div><p>¥1,500</p></div>"), "1500"),
]


@pytest.mark.parametrize(("html", "price"), [pytest.param(h, p, id=i) for i, h, p in CASES])
def test_price_shape(html: str, price: str) -> None:
    page_ = extract_auto(html, URL)
    assert page_.offers, "no offer"
    assert page_.offers[0].price is not None
    assert Decimal(page_.offers[0].price) == Decimal(price)


@pytest.mark.parametrize(
    ("text", "several"),
    [
        ("$11.85 recipe / $2.96 serving", True),
        ("Estimate $300 - $500", True),
        ("1,78 € - 8,69 € ", True),
        ("¥1,000～¥2,000", True),
        ("EUR 10 — EUR 20", True),
        # not a range: a discount, a price and its delivery, a unit price, one price twice
        ("EUR219.99 -50% EUR110.00", False),
        ("Price: £220.00 + £12.00 delivery", False),
        ("45,99 € (28,92 €/kg)", False),
        ("109€109€109", False),
        ("$5 - $5", False),
        ("£3/ 3 pack", False),
        ("€ 49,99 € 39,95", False),
    ],
)
def test_several_amounts_feature(text: str, several: bool) -> None:
    root = lxml.html.document_fromstring(f"<html><body><h1>Kettle</h1><p>{text}</p></body></html>")
    found = [c for c in price_candidates(root, None) if c.text == text.strip()]
    assert found, "not a candidate"
    assert all(c.features.get("several_amounts", 0.0) == float(several) for c in found)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<div><span>12</span><sup>99</sup> €</div>", "12.99 €"),
        ("<div>€<b>1 299<sup>00</sup></b></div>", "€1 299.00"),
        ("<div><b>12</b>,<sup>99</sup></div>", "12,99"),
        ("<div><span>12</span><span>,99</span></div>", "12,99"),
        ("<div>10 m<sup>2</sup> 5 €</div>", "10 m2 5 €"),  # an exponent after a letter
        ("<div><span>1 299</span><sup>,-</sup></div>", "1 299,-"),
    ],
)
def test_joined_text_reads_superscript_cents(html: str, text: str) -> None:
    assert joined_text(lxml.html.fragment_fromstring(html)) == text


def test_attribute_prices_reads_price_named_data_attributes() -> None:
    root = lxml.html.fromstring(
        '<html><body><div data-price="12.99" data-old-price="15" data-unit-price="3">'
        '<b data-Product-Price-Cents="2450" data-price-label="abc" data-size="7">x</b>'
        "</div></body></html>"
    )
    assert attribute_prices(root) == {Decimal("12.99"), Decimal("24.50")}


def test_a_shown_price_agreeing_with_a_data_attribute_is_marked() -> None:
    root = lxml.html.fromstring(
        page('<div data-price="19.99"><b>€19.99</b></div><div><b>€17.50</b></div>')
    )
    features = {c.price: c.features for c in price_candidates(root, "EUR", every_feature=True)}
    assert features["19.99"]["attribute_agrees"] == 1.0
    assert "attribute_agrees" not in features["17.50"]


@pytest.mark.parametrize(
    ("attribute", "amounts"),
    [
        ('data-price="49.00"', {Decimal("49.00")}),
        ('data-price-cents="4900"', {Decimal("49.00")}),
        ('data-oldPrice="59.00"', set()),  # an old price, however the name is written
        ('data-old-price="59.00"', set()),
        ('data-price="from 49"', set()),
        ('data-price="0"', set()),
    ],
)
def test_amounts_stated_in_price_attributes(attribute: str, amounts: set[Decimal]) -> None:
    root = lxml.html.fromstring(f"<html><body><div {attribute}>x</div></body></html>")
    assert attribute_prices(root) == amounts


def test_candidates_sharing_ancestors_are_judged_each_on_its_own() -> None:
    """The hidden and other-products judgements are kept per ancestor for the page's
    candidates: one candidate's hidden or related block says nothing of its neighbours'."""
    root = lxml.html.fromstring(
        page(
            "<div><section><b>€10.00</b><div hidden><b>€20.00</b></div>"
            "<div class='related-items'><b>€30.00</b></div><b>€40.00</b></section></div>"
        )
    )
    features = {c.price: c.features for c in price_candidates(root, "EUR", every_feature=True)}
    assert set(features) == {"10.00", "30.00", "40.00"}
    assert features["30.00"]["other_products_named"] == 1.0
    assert features["10.00"]["other_products_named"] == 0.0
    assert features["40.00"]["other_products_named"] == 0.0


def test_hidden_among_judged_ancestors_agrees_with_is_hidden() -> None:
    root = lxml.html.fromstring(
        "<html><body><div style='display: none'><p><b>a</b></p></div>"
        "<div><p class='x hidden'><i>b</i></p><p><i>c</i></p></div></body></html>"
    )
    judged: dict[lxml.html.HtmlElement, bool] = {}
    for element in root.iter():
        far = ancestors(element, FAR_DEPTH)
        assert hidden_among(element, far, judged) == is_hidden(element)
        assert hidden_among(element, far) == is_hidden(element)
    assert [e.text for e in root.iter("i") if not is_hidden(e)] == ["c"]


def test_main_heading_and_its_position_are_each_pages_own() -> None:
    """The heading found for a page (kept while its tree lives) is never another page's."""
    first = lxml.html.fromstring(page("<b>€10.00</b>"))
    second = lxml.html.fromstring(
        "<html><body><h1><img src='logo.png'></h1><div><p>x</p></div>"
        "<h1>Blue teapot 1 l</h1></body></html>"
    )
    no_heading = lxml.html.fromstring("<html><body><p>Teapots</p></body></html>")
    for _ in range(2):  # asked again, the same answers
        assert main_heading(first) is first.find(".//h1")
        assert heading_position(first) == document_position(first.find(".//h1"))
        assert main_heading(second) is second.findall(".//h1")[1]
        assert heading_position(second) == 6  # html, body, h1, img, div, p before it
        assert main_heading(no_heading) is None
        assert heading_position(no_heading) is None


@pytest.mark.parametrize(
    "before",
    ["<!-- price block -->", "<?php echo 1 ?>"],
)
def test_a_comment_before_a_price_labels_nothing(before: str) -> None:
    # A tree parsed with comments kept (lxml's default, unlike extract_auto's parser): the
    # label reader took text_content() of the comment before the amount, which raises.
    root = lxml.html.document_fromstring(
        f"<html><body><h1>Kettle</h1><div>{before}<span>€ 49,99</span></div></body></html>"
    )
    assert [c.price for c in price_candidates(root, None)] == ["49.99"]

"""The visible reading of a product page with no markup at all (no JSON-LD, microdata,
meta tags or script state): what a shop without markup shows. Hand-written pages, one per
form, written from general knowledge of shop layouts (not from any evaluation page)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto
from tests.test_extract_offer_hard_cases import page

CARDS = (
    '<section><h2>You may also like</h2>'
    '<div class="tile"><a href="/p/garden-rake-77">Garden rake steel</a><span class="price">€ 24,95</span></div>'
    '<div class="tile"><a href="/p/hand-trowel-78">Hand trowel set</a><span class="price">€ 12,50</span></div>'
    "</section>"
)  # fmt: skip

VISIBLE_PRICES = [
    pytest.param(
        page('<h1>Kettle</h1><p class="product-price">49<sup>95</sup> <span>zł</span></p>'
             "<button>Add to basket</button>", lang="pl"),
        "https://shop.test/p/kettle", "49.95", id="price-named-digits-superscript-cents",
    ),
    pytest.param(
        page('<h1>Lamp</h1><div class="cost">129<sup>90</sup> <span>lei</span></div>'
             "<button>Add to basket</button>", lang="ro"),
        "https://shop.test/p/lamp", "129.90", id="cost-named-superscript-cents-currency-after",
    ),
    pytest.param(
        page('<h1>Pressure washer K5</h1><div class="buy"><a href="/brand/acme">Acme Power Tools'
             '</a><div><span class="price">€ 119,01</span></div><button>Add to basket</button>'
             f'</div>{CARDS}<div class="bar"><span class="price">€ 119,01</span></div>',
             lang="de"),
        "https://shop.test/p/pressure-washer-k5", "119.01",
        id="brand-link-before-price-repeated-outside-cards",
    ),
    pytest.param(
        page('<h1>Chelsea boot</h1><div class="product-prices"><span>136</span></div>'
             "<button>Add to bag</button>"),
        "https://shop.test/p/chelsea-boot", "136", id="price-named-block-number-in-a-child",
    ),
    # Amounts beside the price that are not it, each shown where it alone decides.
    *(
        pytest.param(page(body, lang=lang), f"https://shop.test/p/{slug}", price, id=case)
        for body, lang, slug, price, case in [
            ('<h1>Desk lamp</h1><div class="product-price"><del>€ 99,00</del>'
             '<span class="discount-price">€ 88,00</span><span class="badge">-11%</span></div>'
             f"<button>Add to basket</button>{CARDS}",
             "it", "desk-lamp", "88.00", "discount-named-price-is-the-one-to-pay"),
            ("<h1>Paper napkins</h1><div><span>-50%</span><span><span>Was</span> 4.50</span>"
             "<span>$2.25</span></div><p>Delivery <span>$7.95</span></p>"
             "<button>Add to basket</button>",
             "en", "napkins", "2.25", "old-label-of-the-amount-before-is-not-this-ones"),
            ('<h1>Face paint kit</h1><div class="buy"><span id="amount">GBP 1.99</span>'
             '<div class="converted">Approximately <span class="price">US $2.66</span></div>'
             "</div><button>Buy it now</button>",
             "en", "face-paint", "1.99", "conversion-to-another-currency-is-not-the-price"),
            ('<h1>Hip pads</h1><div>Price: <span id="amount">$11.19</span></div>'
             '<div>Shipping: <span class="shipCost">$2.00</span></div>'
             "<button>Buy it now</button>",
             "en", "hip-pads", "11.19", "cost-named-shipping-amount-is-not-the-price"),
        ]
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "url", "price"), VISIBLE_PRICES)
def test_visible_price_without_markup(html: str, url: str, price: str) -> None:
    found = extract_auto(html, url).offers
    assert found and found[0].price is not None
    assert Decimal(found[0].price) == Decimal(price)
    assert not found[0].listing


def test_a_single_linked_card_shown_once_is_still_no_main_price() -> None:
    html = page(
        "<h1>Garden tools</h1><p>Everything for the garden.</p>"
        '<div class="tile"><a href="/p/garden-rake-77">Garden rake steel</a>'
        '<span class="price">€ 24,95</span></div>'
    )
    offers = extract_auto(html, "https://shop.test/c/garden").offers
    assert all(o.price is None or o.listing for o in offers)


VISIBLE_SKUS = [
    pytest.param(
        page('<h1>Pressure washer K5</h1><a href="/p/washer-4471023/reviews">Reviews</a>'
             '<a href="/p/washer-4471023/photos">Photos</a><div>Art.-Nr. <span>88123456</span>'
             '</div><span class="price">€ 119,01</span>', lang="de"),
        "https://shop.test/p/washer-4471023", "88123456",
        id="labelled-shop-code-over-url-number-in-links",
    ),
    pytest.param(
        page('<h1>Sofa</h1><a href="/p/sofa/30029377?tab=reviews">Reviews</a>'
             '<a href="/p/sofa/30029377?tab=size">Sizes</a>'
             '<p class="code">Product code: 300.293.77</p><span class="price">£ 499</span>'),
        "https://shop.test/p/sofa/30029377", "300.293.77",
        id="labelled-code-written-with-dots-over-url-digits",
    ),
    pytest.param(
        page('<h1>Headphones</h1><a href="/dp/B0ABC12345/reviews">Reviews</a>'
             "<table><tr><th>Listing</th><td>B0ABC12345</td></tr>"
             "<tr><th>SKU</th><td>QX737</td></tr></table><span>$ 59.00</span>"),
        "https://shop.test/dp/B0ABC12345", "B0ABC12345",
        id="url-code-shown-as-its-own-cell-over-a-labelled-code",
    ),
    pytest.param(
        page('<h1>Drill</h1><a href="/p/drill-5550123/reviews">Reviews</a>'
             '<a href="/p/drill-5550123/photos">Photos</a>'
             "<span>$ 89.00</span>"),
        "https://shop.test/p/drill-5550123", "5550123", id="url-number-repeated-no-label",
    ),
    # A page whose price and stock the reading misses (sold out, a language no list knows)
    # still shows its code where its URL names it as an id; a page with a price takes the
    # code its URL alone names. (A page offering nothing: ``OFFERING_NOTHING``.)
    pytest.param(
        page("<h1>Qorvu tlam 25 m</h1><p>Zqvor tlam blen.</p>"
             "<table><tr><td>Vrenk</td><td>QX4812GH90</td></tr></table>", lang="xx"),
        "https://shop.test/item/QX4812GH90", "QX4812GH90",
        id="no-price-nor-stock-read-code-shown-and-in-url",
    ),
    pytest.param(
        page("<h1>Garden hose 25 m</h1><span class='price'>€ 24,95</span>"),
        "https://shop.test/item/93133869", "93133869", id="priced-code-in-the-url-only",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "url", "sku"), VISIBLE_SKUS)
def test_visible_sku_without_markup(html: str, url: str, sku: str) -> None:
    found = extract_auto(html, url).offers
    assert found and found[0].sku == sku


# Labels in a language no label list knows (made-up words): the code is read from the page's
# structure (a short label ending in ":" or " - ", a cell of its own, its digits in the URL).
UNKNOWN_LANGUAGE_SKUS = [
    pytest.param(
        page('<h1>Qwerty zxcv</h1><span class="price">€ 19,00</span>'
             "<p>Vbnmq qwrtz: QK-40112</p><footer><p>Zvbnq: 012363240 "
             '<a href="mailto:desk@shop.test">desk@shop.test</a></p></footer>'),
        "https://shop.test/p/qwerty-zxcv", "QK-40112",
        id="colon-label-of-any-language-not-the-contact-number",
    ),
    pytest.param(
        page('<h1>Plmbr lamp</h1><span class="price">£ 25</span>'
             "<div><span>Plmbr</span><span>904.230.19</span></div>"),
        "https://shop.test/p/plmbr-lamp-90423019/", "904.230.19",
        id="code-written-with-dots-whose-digits-are-the-urls",
    ),
    pytest.param(
        page('<h1>Qwerty zxcv</h1><span class="price">€ 19,00</span>'
             "<ul><li><b>Vbnmq qwrtz - </b>55120348</li><li><b>Zvbnq - </b>Plmbr</li></ul>"),
        "https://shop.test/qwerty-zxcv/k7730012", "55120348",
        id="label-ending-in-a-dash-over-a-url-id",
    ),
]  # fmt: skip


# What a code is and how it is written, whatever the words around it: a price written
# against its sign is code-shaped and its text before it names it as a label would, but it is
# the offer's price, no code; a code whose digits the URL writes without its letter prefix is
# the shown code, prefix kept; a GTIN written in hyphenated groups is its run of digits.
CODE_FORMS = [
    pytest.param(
        page("<h1>Qwerty zxcv</h1><div>Vbnmq plor <span>Rp89.500</span></div>"
             "<div>Zvbnq: QW-KL-07</div>", lang="xx"),
        "https://shop.test/p/qwerty-zxcv", "QW-KL-07",
        id="price-against-its-sign-after-words-is-no-code",
    ),
    pytest.param(
        page("<h1>Qwerty zxcv</h1><span class='price'>€ 19,00</span>"
             "<ul><li>Vbnmq qwrtz: KL-40377</li><li>Zvbnq: Plmbr</li></ul>", lang="xx"),
        "https://shop.test/qwerty-zxcv-p-40377", "KL-40377",
        id="shown-code-whose-digits-the-url-writes-without-its-prefix",
    ),
    pytest.param(
        page("<h1>Qwerty zxcv</h1><span class='price'>€ 19,00</span>"
             "<table><tr><td>Plmbr</td><td>978-1-234-56789-7</td></tr></table>", lang="xx"),
        "https://shop.test/vrenk/978-1-234-56789-7", "9781234567897",
        id="hyphenated-isbn-written-as-its-digits",
    ),
    pytest.param(
        page("<h1>Qwerty zxcv</h1><span class='price'>$ 19.00</span>"
             "<p>Vbnmq: 0-36000-29145-2</p>", lang="xx"),
        "https://shop.test/p/qwerty-zxcv", "036000291452",
        id="hyphenated-upc-with-its-check-digit-written-as-its-digits",
    ),
    pytest.param(
        page("<h1>Qwerty zxcv</h1><span class='price'>$ 19.00</span>"
             "<p>Vbnmq: 1234-5678-9013</p>", lang="xx"),
        "https://shop.test/p/qwerty-zxcv", "1234-5678-9013",
        id="hyphenated-code-failing-the-check-digit-kept-as-written",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "url", "sku"), [*UNKNOWN_LANGUAGE_SKUS, *CODE_FORMS])
def test_sku_under_labels_of_an_unknown_language(html: str, url: str, sku: str) -> None:
    found = extract_auto(html, url).offers
    assert found and found[0].sku == sku


@pytest.mark.parametrize(
    ("value", "price", "is_price"),
    [
        ("Rp89.500", "89500", True),
        ("89.500", "89500", True),
        ("EUR1234", "1234", True),
        ("Rp99.500", "89500", False),
        ("KL-40377", "40377", False),
        ("QW-KL-07", "89500", False),
        ("Rp89.500", None, False),
    ],
)
def test_is_price_token(value: str, price: str | None, is_price: bool) -> None:
    from spiders.extract.shown_codes import is_price_token

    assert is_price_token(value, price) is is_price


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("978-1-234-56789-7", "9781234567897"),
        ("979-0-00-000000-0", "9790000000000"),
        ("0-36000-29145-2", "036000291452"),
        ("4 006381 333931", "4006381333931"),
        ("1234-5678-9013", None),
        ("804.023.81", None),
        ("4006381333931", None),
        ("AB-4006381333931", None),
    ],
)
def test_grouped_gtin(code: str, digits: str | None) -> None:
    from spiders.extract.identifiers import grouped_gtin

    assert grouped_gtin(code) == digits


# A date after a label ("Updated: ...", in any language) is named as a code would be; no
# date is a product code.
DATED_PAGES = [
    pytest.param(
        page("<h1>Garden chair</h1><span class='price'>€ 49,00</span>"
             "<p><span>Updated:</span> <time>05/24/2024</time></p>"),
        None, id="month-first-date-after-a-colon-label",
    ),
    pytest.param(
        page("<h1>Qwerty lamp</h1><span>£ 25</span><p><b>Zvbnq:</b> <span>12.05.2024</span></p>"),
        None, id="dotted-date-in-a-cell-of-its-own-unknown-language",
    ),
    pytest.param(
        page("<h1>Rake</h1><span>$ 19.00</span><p>Posted:<i>4/27/25</i></p>"
             "<p>Item no.: RK-20391</p>"),
        "RK-20391", id="the-labelled-code-not-the-date-before-it",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "sku"), DATED_PAGES)
def test_a_labelled_date_is_no_product_code(html: str, sku: str | None) -> None:
    found = extract_auto(html, "https://shop.test/p/item").offers
    assert found and found[0].price is not None
    assert found[0].sku == sku


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("05/24/2024", True),
        ("24.05.2024", True),
        ("2024-05-24", True),
        ("4/27/25", True),
        ("13/13/2020", False),
        ("2024-13-01", False),
        ("2016-11-0042", False),
        ("103.294.69", False),
        ("1234-12-12", False),
        ("05/24/1850", False),
    ],
)
def test_is_calendar_date(value: str, date: bool) -> None:
    from spiders.extract.shown_codes import is_calendar_date

    assert is_calendar_date(value) is date


# A page that offers nothing the reading finds (no price, no stock state, no markup): an
# article, a recipe, a blog post. Its URL's id names the page, and its labelled numbers are
# post ids, nutrition amounts or tags: none is a product code.
OFFERING_NOTHING = [
    pytest.param(
        page("<h1>How to store fresh herbs</h1><p>Keep them in a glass of water.</p>"),
        "https://news.test/articles/5839201/how-to-store-herbs", id="article-id-in-the-url-only",
    ),
    pytest.param(
        page("<h1>Lentil soup</h1><p>A warming soup.</p><p><span>Post ID:</span> "
             "<span>48213</span></p>"),
        "https://blog.test/lentil-soup/", id="labelled-post-id-shown",
    ),
    pytest.param(
        page("<h1>Lentil soup</h1><ul><li><span>Sodium:</span> <span>264mg</span></li>"
             "<li><span>Energy:</span> <span>320kcal</span></li></ul>"),
        "https://blog.test/lentil-soup/", id="labelled-nutrition-amounts",
    ),
    pytest.param(
        page("<h1>Qorvu falten</h1><p><b>Zvbnq:</b> <span>77120</span></p>", lang="xx"),
        "https://blog.test/p/99120-qorvu", id="labelled-number-unknown-language",
    ),
    pytest.param(
        page("<h1>Quick chicken bowls</h1><p><span>Diet:</span> <span>Paleo30</span></p>"),
        "https://blog.test/paleo30-quick-chicken-bowls/", id="tag-that-is-a-word-of-the-slug",
    ),
    pytest.param(
        page("<h1>Lentil soup</h1><p>Recipes by</p><p>Kitchen101.com</p>"),
        "https://kitchen101.com/lentil-soup/", id="the-hosts-name-shown",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("html", "url"), OFFERING_NOTHING)
def test_a_page_offering_nothing_has_no_code(html: str, url: str) -> None:
    found = extract_auto(html, url).offers
    assert not any(o.sku for o in found)


# Classes hashed by CSS modules, words of a language no label list knows: the test ids a
# shop's test suite finds elements by (Testing Library's data-testid, Cypress's data-cy /
# data-test, data-qa) still name the price.
TEST_ID_NAMED = [
    pytest.param(
        '<span class="x91ab" data-test="product-price"><span role="text">136</span></span>',
        "136", id="data-test-bare-amount",
    ),
    pytest.param(
        '<div class="x3c0d"><span data-testid="price">2 450</span></div>', "2450",
        id="data-testid-bare-amount",
    ),
    pytest.param(
        '<p data-cy="productPrice" class="xe0f1">18.90</p>', "18.90", id="data-cy-bare-amount",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("block", "price"), TEST_ID_NAMED)
def test_a_price_named_only_by_its_test_id_is_read(block: str, price: str) -> None:
    html = page(f'<h1 class="x7a2e">Qorvu falten zvbnq</h1><div class="x5d11">{block}</div>'
                '<div class="x0b9c"><button class="xa4f2">Bvmt vqz</button></div>', lang="xx")  # fmt: skip
    found = extract_auto(html, "https://shop.test/p/qorvu").offers
    assert found and Decimal(found[0].price or "0") == Decimal(price)

"""General cues of the markets and layouts of fresh-shops-4's gaps, each on a small page of
its own: currencies a country's domain or one-country language settles, currency names in
their own script and other scripts' digits, the West and Central African CFA francs, East
African shillings, pre-order and made-to-order words, a collection whose product links lie
under its own address, related cards of a shop naming its pages by the query, and a saving
shown apart from the old price."""

from __future__ import annotations

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.price import currency_from_locale, currency_from_url, normalize_price


def _offers(body: str, url: str, lang: str) -> list[dict[str, object]]:
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title>'
        f"</head><body>{body}</body></html>"
    )
    return [vars(offer) for offer in extract_auto(html.encode(), url).offers]


def _offer(body: str, url: str = "https://shop.example/p/1", lang: str = "en") -> dict[str, object]:
    offers = _offers(body, url, lang)
    return offers[0] if offers else {}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.shop.fo/products/x", "DKK"),
        ("https://www.shop.la/product/1", "LAK"),
        ("https://www.shop.com.mm/p/1", "MMK"),
        ("https://www.shop.co.tz/bidhaa/1", "TZS"),
        ("https://www.shop.sn/p/1", "XOF"),
        ("https://www.shop.co.ao/produto/1", "AOA"),
        ("https://www.shop.com.mo/zh/p/1", "MOP"),
        ("https://www.shop.kg/p/1", "KGS"),
    ],
)
def test_a_country_domain_names_its_currency(url: str, code: str) -> None:
    assert currency_from_url(url) == code


@pytest.mark.parametrize(("locale", "code"), [("lo", "LAK"), ("my", "MMK"), ("ky", "KGS")])
def test_a_language_of_one_country(locale: str, code: str) -> None:
    assert currency_from_locale(locale) == code


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("85,000 ກີບ", None, ("85000", "LAK")),
        ("၂၈,၅၀၀ ကျပ်", None, ("28500", "MMK")),
        ("Tsh 385,000/=", None, ("385000", "TZS")),
        ("24 900 FCFA", "XOF", ("24900", "XOF")),
        ("24 900 FCFA", None, ("24900", "XAF")),
    ],
)
def test_written_currency_forms(text: str, hint: str | None, expected: tuple[str, str]) -> None:
    assert normalize_price(text, hint) == expected


def test_burmese_digits_on_a_page() -> None:
    body = (
        "<h1>ချည်လုံချည်</h1><div class='p'><span>၂၈,၅၀၀ ကျပ်</span> <del>၃၅,၀၀၀ ကျပ်</del></div>"
        "<button>ခြင်းတောင်းထဲထည့်ရန်</button>"
    )
    offer = _offer(body, url="https://shop.example.com.mm/p/1", lang="my")
    assert (offer.get("price"), offer.get("currency")) == ("28500", "MMK")


@pytest.mark.parametrize(
    ("body", "lang", "availability"),
    [
        (
            "<h1>積木</h1><div>MOP$ 688.00</div><div class='stock'><b>預訂中</b>：預計 1 月到貨</div>"
            "<button>立即預訂</button>",
            "zh-Hant",
            "PreOrder",
        ),
        (
            "<h1>Silla Páramo</h1><div>$ 989.900</div><div><strong>Disponible sobre pedido</strong>"
            ": se despacha en 8 a 10 días</div><button>Encargar</button>",
            "es-CO",
            "BackOrder",
        ),
    ],
)
def test_stock_said_in_words(body: str, lang: str, availability: str) -> None:
    assert _offer(body, lang=lang).get("availability") == availability


def _card(slug: str, name: str, price: str) -> str:
    """A theme's card: the price five blocks below the name's link, "Regular price" said to
    screen readers before it, a sale card's laid out apart ("<s>was</s> now")."""
    if "|" in price:
        was, now = price.split("|")
        shown = f"<s>{was}</s> <span class='price-item--sale'>{now}</span>"
    else:
        shown = f"<span class='visually-hidden'>Regular price</span><span>{price}</span>"
    return (
        "<li><div class='c'><div class='i'><h3><a href='/collections/rain-jackets/products/"
        f"{slug}'>{name}</a></h3><div class='p'><div class='pc'><div class='pr'>"
        f"<div class='ps'>{shown}</div></div></div></div></div></div></li>"
    )


def test_a_collection_whose_products_lie_under_its_address_is_a_listing() -> None:
    cards = "".join(
        _card(slug, name, price)
        for slug, name, price in (
            ("achill-shell", "Achill Shell Jacket", "€189.00"),
            ("burren-pack", "Burren Packable Jacket", "€119.00|€89.00"),
            ("errigal-mountain", "Errigal Mountain Jacket", "€289.00"),
            ("fanad-poncho", "Fanad Rain Poncho", "€45.00"),
        )
    )
    body = f"<h1>Rain Jackets</h1><ul>{cards}</ul>"
    offers = _offers(body, "https://gear.example.ie/collections/rain-jackets", "en-IE")
    assert all(o["listing"] for o in offers)  # cards, or nothing: never a product


def test_related_cards_of_a_shop_naming_pages_by_the_query() -> None:
    body = (
        "<h1>Kente Stole</h1><ul><li>Product Code: KK-ADW-180</li></ul>"
        "<ul><li><s>GH₵1,150.00</s></li><li><h2>GH₵980.00</h2></li></ul>"
        "<button>Add to Cart</button><h3>Related Products</h3>"
        "<div><div><h4><a href='index.php?route=product/product&amp;product_id=150'>Kente Stole"
        " Sika</a></h4><p class='price'>GH₵1,050.00</p></div></div>"
        "<div><div><h4><a href='index.php?route=product/product&amp;product_id=161'>Krobo Bead"
        " Bracelet</a></h4><p class='price'>GH₵120.00</p></div></div>"
    )
    url = "https://shop.example.com.gh/index.php?route=product/product&product_id=142"
    assert _offer(body, url=url).get("price") == "980.00"


def test_a_saving_beside_the_price_with_the_old_price_apart() -> None:
    body = (
        "<h1>Ventilateur</h1><div class='product-prices'>"
        "<div class='product-discount'><span class='regular-price'>29 900 FCFA</span></div>"
        "<div class='product-price'><div class='current-price'><span>24 900 FCFA</span>"
        " <span>Économisez 5 000 FCFA</span></div></div></div><button>Ajouter au panier</button>"
    )
    assert _offer(body, url="https://shop.example.sn/p/1", lang="fr").get("price") == "24900"


@pytest.mark.parametrize(
    ("body", "sku"),
    [
        # A code of capital letters alone, in a text of its own after the label's.
        ("<p>€ 24,90</p><div><span>Art.-Nr.</span> <span>KB-HOLZ-NAT</span></div>", "KB-HOLZ-NAT"),
        # ... and in the label's own text.
        ("<p>€ 24,90</p><p>Référence : CS.BASTOGNE.BL</p>", "CS.BASTOGNE.BL"),
        # Sizes alone after the label, and no label: no code.
        ("<p>€ 24,90</p><p>SKU: XS-XL</p>", None),
        ("<p>€ 24,90</p><p>Collection</p><p>KB-HOLZ-NAT</p>", None),
        # A word the page also writes in small letters (a colour, a thing), in capitals here.
        ("<p>€ 24,90</p><p>SKU: T-SHIRT</p><p>Un t-shirt en coton.</p>", None),
    ],
)
def test_a_code_of_capital_letters_right_after_its_label(body: str, sku: str | None) -> None:
    assert _offer(f"<h1>Produit</h1>{body}").get("sku") == sku

"""General cues of the shop platforms' product pages (fresh-shops-3's gaps), each on a
small page of its own: class names that describe a neighbour or deny "sale", currency
abbreviations CLDR lacks, the variant a page's address or buy form names in its script
state, a chosen swatch's code, a disabled scripted buy button, label marks of other
scripts, and a script state's price behind 0 placeholders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.price import normalize_price
from spiders.extract.visible_price import names_say_current, names_say_not_current


def _offer(body: str, url: str = "https://shop.example/p/1", lang: str = "en") -> dict[str, object]:
    html = f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title></head><body>{body}</body></html>'
    page = extract_auto(html.encode(), url)
    return vars(page.offers[0]) if page.offers else {}


@pytest.mark.parametrize(
    ("names", "not_current", "current"),
    [
        ("product-detail-price with-list-price", False, False),
        ("product-price has-discount", False, False),
        ("price price--non-sale", True, False),
        ("price price--sale", False, True),
        ("list-price", True, False),
    ],
)
def test_price_names(names: str, not_current: bool, current: bool) -> None:
    assert names_say_not_current(names) is not_current
    assert names_say_current(names) is current


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("89,90 р.", "BYN", ("89.90", "BYN")),
        ("1 290 руб.", None, ("1290", "RUB")),
        ("189 000 so'm", None, ("189000", "UZS")),
        ("रु. ३,४५०", "NPR", ("3450", "NPR")),
    ],
)
def test_written_currency_forms(text: str, hint: str | None, expected: tuple[str, str]) -> None:
    assert normalize_price(text, hint) == expected


def test_byn_from_the_page_language() -> None:
    offer = _offer("<h1>Коўдра</h1><div>89,90 р.</div><button>У кошык</button>", lang="be")
    assert (offer.get("price"), offer.get("currency")) == ("89.90", "BYN")


_VARIANTS = (
    '<script type="application/json">[{"id":11,"sku":"CUP-250","available":true,"price":4900},'
    '{"id":12,"sku":"CUP-400","available":false,"price":5900}]</script>'
)


def test_the_variant_the_address_names_gives_sku_and_stock() -> None:
    body = f"<h1>Cup</h1><div class='price'>59,00 €</div>{_VARIANTS}"
    offer = _offer(body, url="https://shop.example/products/cup?variant=12")
    assert (offer.get("sku"), offer.get("availability")) == ("CUP-400", "OutOfStock")


def test_the_variant_the_buy_form_names() -> None:
    body = (
        f"<h1>Cup</h1><div class='price'>49,00 €</div>{_VARIANTS}"
        "<form action='/cart/add'><input type='hidden' name='id' value='11'>"
        "<button type='submit'>Add to cart</button></form>"
    )
    offer = _offer(body)
    assert (offer.get("sku"), offer.get("availability")) == ("CUP-250", "InStock")


def test_a_chosen_swatch_extends_the_shown_code() -> None:
    body = (
        "<h1>Scarf</h1><div>Code: BA-1203</div><div>49,90 €</div>"
        "<div role='radio' data-sku='BA-1203-GRY' aria-checked='false'>Grey</div>"
        "<div role='radio' data-sku='BA-1203-BLK' aria-checked='true'>Black</div>"
        "<button>Add to cart</button>"
    )
    assert _offer(body).get("sku") == "BA-1203-BLK"


def test_armenian_label_mark() -> None:
    body = "<h1>Լամպ</h1><div><span>Արտիկուլ՝</span> <b>HY-5512</b></div><div>25 900 ֏</div>"
    assert _offer(body, lang="hy").get("sku") == "HY-5512"


def test_a_disabled_scripted_button_in_unknown_words() -> None:
    body = (
        "<h1>Xhaketë</h1><div>4 500 Lekë</div><p>Nuk ka</p>"
        "<button type='button' disabled>Shto në shportë</button>"
    )
    assert _offer(body, lang="sq").get("availability") == "OutOfStock"


def test_an_arrow_button_disabled_says_nothing() -> None:
    body = "<h1>Jacket</h1><div>45,00 €</div><button type='button' disabled aria-label='Previous'>‹</button>"
    assert _offer(body).get("availability") in (None, "InStock")


def test_the_script_state_behind_zero_placeholders() -> None:
    body = (
        "<h1>Oolong 150g</h1><div><span class='price-sale'>NT$0</span></div>"
        "<button>加入購物車</button>"
        '<script>window.__INITIAL_STATE__={"product":{"title":"Oolong 150g","price":1280,'
        '"currency":"TWD"}};</script>'
    )
    offer = _offer(body, url="https://tea.example/products/oolong", lang="zh-Hant")
    assert (offer.get("price"), offer.get("currency")) == ("1280", "TWD")


def test_the_variation_a_buy_form_keeps_in_its_data_attribute() -> None:
    variations = (
        "[{&quot;variation_id&quot;:312,&quot;sku&quot;:&quot;KJ-100-S&quot;,"
        "&quot;display_price&quot;:1990,&quot;is_in_stock&quot;:true},"
        "{&quot;variation_id&quot;:313,&quot;sku&quot;:&quot;KJ-100-M&quot;,"
        "&quot;display_price&quot;:2190,&quot;is_in_stock&quot;:true}]"
    )
    body = (
        "<h1>Shirt</h1><p class='price'><span>1.990,00 din.</span> – <span>2.490,00 din.</span></p>"
        f"<form class='cart' data-product_variations=\"{variations}\">"
        "<div class='variation-price'><span>2.190,00 din.</span></div>"
        "<button type='submit'>Add to cart</button>"
        "<input type='hidden' name='variation_id' value='313'></form>"
        "<div>SKU: KJ-100</div>"
    )
    offer = _offer(body, lang="sr-RS")
    assert (Decimal(offer.get("price") or "nan"), offer.get("sku")) == (Decimal("2190"), "KJ-100-M")

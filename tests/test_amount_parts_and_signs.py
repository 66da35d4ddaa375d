"""Amounts shown in parts, and signs shared by currencies (issue #13). Hand-written tables
of fresh small pages; the controls passed before the change as well.

- A bare old price then a new one in one block whose currency sign stands in the block's
  own text ("<s>129,99</s> <b>99,99</b> zł"): each amount is read with the block's sign,
  the struck one as old.
- Cents in an element of their own right after a grouped whole part ("<span>1.299</span>
  <span>99</span>"): two digits adjacent to the digits before them are the fraction,
  while two complete amounts side by side ("129,99 99,99 zł") stay two.
- A sign several currencies share ("¥", "￥", "kr") is read in the page's language (its
  declared tag, else the script of its text: kana is Japanese, Han alone Chinese) by
  CLDR's locale of that language.
"""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.price import currency_from_shared_signs, normalize_price
from spiders.extract.visible_price import joined_text, price_candidates

URL = "https://shop.test/p/kettle"


def page(body: str, lang: str | None = None, heading: str = "Acme kettle 2000") -> str:
    lang_attribute = f' lang="{lang}"' if lang else ""
    return (
        f"<html{lang_attribute}><head><title>{heading}</title></head><body><main>"
        f"<h1>{heading}</h1>{body}<p>A kettle that boils water.</p></main></body></html>"
    )


def offer(html: str, url: str = URL) -> tuple[Decimal | None, str | None]:
    offers = extract_auto(html, url).offers
    assert offers, "no offer"
    price = offers[0].price
    return (Decimal(price) if price is not None else None), offers[0].currency


# 1. A bare old and new amount in one block, the sign in the block's own text.
@pytest.mark.parametrize(
    ("body", "price", "currency"),
    [
        ("<div class='price'><s>129,99</s> <b>99,99</b> zł</div>", "99.99", "PLN"),
        ("<div><s>129,99</s> <b>99,99</b> zł</div>", "99.99", "PLN"),
        ("<div><del>1 299,00</del> <strong>999,00</strong> Kč</div>", "999.00", "CZK"),
        ("<p>€ <s>59,00</s> <span>49,00</span></p>", "49.00", "EUR"),
        ("<div><span>119,00</span> <del>149,00</del> zł</div>", "119.00", "PLN"),
        # controls: one amount and the block's sign; two signed amounts
        ("<div class='price'><b>99,99</b> zł</div>", "99.99", "PLN"),
        ("<div><s>129,99 zł</s> <b>99,99 zł</b></div>", "99.99", "PLN"),
    ],
)
def test_bare_amounts_with_the_block_sign(body: str, price: str, currency: str) -> None:
    assert offer(page(body)) == (Decimal(price), currency)


def test_the_struck_bare_amount_is_the_old_price() -> None:
    root = lxml.html.document_fromstring(
        page("<div class='price'><s>129,99</s> <b>99,99</b> zł</div>")
    )
    read = {(Decimal(c.price), c.currency, c.old) for c in price_candidates(root, None)}
    assert (Decimal("129.99"), "PLN", True) in read
    assert (Decimal("99.99"), "PLN", False) in read
    assert not any(amount > Decimal("130") for amount, _, _ in read)  # nothing glued


# 2. Cents in an element of their own.
@pytest.mark.parametrize(
    ("html", "amount"),
    [
        ("<div><span>1.299</span><span>99</span> €</div>", "1299.99"),
        ("<div>$<span>1,299</span><span>99</span></div>", "1299.99"),
        ("<div><span>129</span><small>99</small> zł</div>", "129.99"),
        ("<div><b>12.990</b><small>00</small> Kč</div>", "12990.00"),
        # controls: the fraction marked or in a superscript; a three-digit group
        ("<div><span>1.299</span><sup>99</sup> €</div>", "1299.99"),
        ("<div><span>1.299</span><span>,99</span> €</div>", "1299.99"),
        ("<div><span>1</span><span>299</span> €</div>", "1299"),
    ],
)
def test_cents_in_their_own_element(html: str, amount: str) -> None:
    text = joined_text(lxml.html.fragment_fromstring(html))
    assert normalize_price(text)[0] == amount


@pytest.mark.parametrize(
    ("body", "price"),
    [
        ("<div class='price'><span>1.299</span><span>99</span> €</div>", "1299.99"),
        ("<div><span>1.299</span><span>99</span> €</div>", "1299.99"),
        # controls: two complete amounts side by side stay two
        ("<div><s>129,99</s> <b>99,99 zł</b></div>", "99.99"),
        ("<div><s>129,99</s><b>99,99 zł</b></div>", "99.99"),
        ("<div><span>1.299</span><span>999 €</span></div>", "999"),
    ],
)
def test_cents_on_a_page(body: str, price: str) -> None:
    assert offer(page(body))[0] == Decimal(price)


@pytest.mark.parametrize(
    "html",
    [
        "<div><s>129,99</s><b>99</b> zł</div>",  # a finished amount, then another
        "<div><span>1.299</span> <span>99</span> €</div>",  # a space parts them
        "<div><span>1.299</span><span>999</span> €</div>",
    ],
)
def test_not_cents(html: str) -> None:
    text = joined_text(lxml.html.fragment_fromstring(html))
    assert normalize_price(text)[0] not in {"129.99", "1299.99", "1299.999"}


# 3. Signs several currencies share, read in the page's language.
@pytest.mark.parametrize(
    ("lang", "heading", "body", "currency"),
    [
        ("zh", "电热水壶", "<p class='price'>¥199.00</p>", "CNY"),
        ("zh-Hans", "电热水壶", "<p class='price'>¥199.00</p>", "CNY"),
        (None, "不锈钢电热水壶", "<p class='price'>¥199.00</p>", "CNY"),
        (None, "电热水壶 大容量", "<p class='price'>￥199.00</p>", "CNY"),
        # controls: Japanese pages, a declared region, the English default
        ("ja", "電気ケトル", "<p class='price'>¥1,980</p>", "JPY"),
        (None, "ステンレス電気ケトル", "<p class='price'>¥1,980</p>", "JPY"),
        (None, "ステンレス電気ケトル", "<p class='price'>￥1,980</p>", "JPY"),
        ("zh-CN", "电热水壶", "<p class='price'>¥199.00</p>", "CNY"),
        ("en", "Electric kettle", "<p class='price'>¥1,980</p>", "JPY"),
        ("sv", "Vattenkokare", "<p class='price'>499 kr</p>", "SEK"),
    ],
)
def test_shared_sign_in_the_page_language(
    lang: str | None, heading: str, body: str, currency: str
) -> None:
    assert offer(page(body, lang, heading))[1] == currency


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("电热水壶 ¥199", None, "CNY"),
        (
            "不锈钢电热水壶 大容量 家用 自动断电 ￥199 にほんご",
            None,
            "CNY",
        ),  # a Japanese menu entry on a Chinese page
        ("ステンレス電気ケトル ¥1,980", None, None),  # JPY is the sign's default: no hint
        ("Kettle ¥1,980", None, None),
        ("kettle 499 kr", "sv", "SEK"),
        ("kettle 499 kr", "en", None),
        ("Kronen kr", "da", None),  # no amount beside the sign
        ("電熱水壺 ¥199", "zh-Hant", None),  # Traditional Chinese writes ¥ for JPY
    ],
)
def test_currency_from_shared_signs(text: str, language: str | None, code: str | None) -> None:
    assert currency_from_shared_signs(language, text) == code


def test_dinar_three_decimals_with_a_hint() -> None:
    # control: "KD" is in no CLDR locale's signs (not read as one); a hint reads the amount
    assert normalize_price("KD 12.500", "KWD") == ("12.500", "KWD")

"""A savings amount ("save 300", "-3.000 ¥") is never the price to pay: an amount equal,
within its rounding, to the difference of two other amounts shown beside each other (an old
and a new price) is the gap between them, told by the arithmetic whatever the language or
the class names (hashed here). Controls: a sale price lower than the saving it shows (a
percentage or words tell which is which), a lower amount that no pair of other amounts
makes, another product's price in a link. Invented pages, no markup."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto

_PAGE = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title></head>'
    '<body><div class="q0"><a href="/">Qvbt</a> <a href="/c">Korb</a></div>'
    '<div class="q1"><h1>Qwerty Zxcv 40 {lang}</h1>{banner}</div>{body}'
    '<div class="q9"><button>Qwtz</button></div></body></html>'
)

_DOMAINS = {"zh": "cn", "de": "de", "ja": "jp", "pl": "pl", "en": "com", "fr": "fr"}

CASES = {
    # A promotion line in the heading's block before an old/new pair; the old price a bare
    # number (its currency shown only beside the new one).
    "zh-banner-before-pair": (
        "zh",
        '<p class="b1">今日立省200元 赠品</p>',
        '<div class="p1"><dl><dt class="t">原价</dt><dd><span class="v">899.00</span></dd></dl>'
        '<dl><dt class="t">活动价</dt><dd><em class="y">¥</em><span class="v">699.00</span></dd></dl></div>',
        "699.00",
    ),
    "de-banner-before-pair": (
        "de",
        '<p class="b1">Sie sparen 40,00 € bis Sonntag</p>',
        '<div class="p1"><div class="p2"><span class="a">239,00</span></div>'
        '<div class="p3"><span class="b">199,00 €</span></div></div>',
        "199.00",
    ),
    "ja-off-before-pair": (
        "ja",
        '<p class="b1">3,000円OFF クーポン</p>',
        '<div class="p1"><span class="a">通常価格 12,800</span><span class="b">9,800円</span></div>',
        "9800",
    ),
    "pl-rounded-saving": (
        "pl",
        '<div class="b1">Oszczędzasz 30 zł</div>',
        '<div class="p1"><div class="p2"><span class="a">129,99</span></div>'
        '<div class="p3"><span class="b">99,99 zł</span></div></div>',
        "99.99",
    ),
    # Controls. A deep discount: the saving is higher than the price; the shown percentage
    # says which of the two lower amounts is the gap.
    "en-deep-discount-percentage": (
        "en",
        '<p class="b1">$70.00 -70%</p>',
        '<div class="p1"><div class="p2"><span class="a">$100.00</span> '
        '<span class="b">$30.00</span></div></div>',
        "30.00",
    ),
    # A price lower than the pair's gap with no percentage: the saving carries words.
    "en-deep-discount-words": (
        "en",
        "",
        '<div class="p1"><div class="p2"><span class="a">$100.00</span> '
        '<span class="b">$40.00</span></div><p class="p3">You save $60.00 today</p></div>',
        "40.00",
    ),
    # The sale price equals the list price less an amount shown nowhere: it stays.
    "fr-no-gap-shown": (
        "fr",
        "",
        '<div class="p1"><div class="p2"><s>250,00 €</s> <span class="b">200,00 €</span></div>'
        '<p class="p3">Livraison 4,90 €</p></div>',
        "200.00",
    ),
    # Another product's price in a link equals the list price less the sale price: it is
    # not a saving shown for this product, and the sale price stays.
    "en-accessory-in-link": (
        "en",
        "",
        '<div class="p1"><div class="p2"><s>$100.00</s> <span class="b">$40.00</span></div></div>'
        '<div class="p4"><a href="/p/2"><span class="c">$60.00</span> Qvbt cable</a></div>',
        "40.00",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_savings_amount_is_not_the_price(case: str) -> None:
    lang, banner, body, want = CASES[case]
    html = _PAGE.format(lang=lang, banner=banner, body=body).encode("utf-8")
    offers = extract_auto(html, f"https://shop.example.{_DOMAINS[lang]}/p/1").offers
    assert offers and offers[0].price is not None
    assert Decimal(offers[0].price) == Decimal(want)

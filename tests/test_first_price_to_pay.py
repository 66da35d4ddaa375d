"""The first price after the main heading is the first one a customer could pay: a struck or
old-labelled list price shown before the sale price in a block of its own (a price-cut
banner), or an estimate range ("$300 - $500"), does not take that place from the amount
after it. With class names that say nothing (hashed), the markup's list price, shown on the
page only struck, then gives way to the shown current price. Invented pages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto

_MARKUP = json.dumps(
    {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Qwerty Zxcv 40",
        "sku": "QX-4410",
        "offers": {"@type": "Offer", "price": "{markup}", "priceCurrency": "{currency}"},
    }
)
_PAGE = (
    '<!DOCTYPE html><html lang="xx"><head><meta charset="utf-8"><title>t</title>'
    '<script type="application/ld+json">{markup}</script></head>'
    '<body><header><a href="/">Qvbt</a> <a href="/c">0</a></header><main>'
    "<h1>Qwerty Zxcv 40</h1>{body}<button>Qwtz</button></main></body></html>"
)

CASES = {
    # A struck list price in a banner block of its own, then the sale price.
    "struck-banner-first": (
        "250.00",
        "USD",
        '<div class="x1"><div class="x2"><s>$250.00</s> <b>-20%</b></div></div>'
        '<p class="x3">Qvbt dmwp zxnt</p><div class="x4"><span class="x5">$200.00</span></div>',
        "200.00",
    ),
    # The same, the sign after the amount, struck by style, in a made-up language.
    "styled-strike-first": (
        "89.90",
        "EUR",
        '<div class="k1"><span style="text-decoration: line-through">89,90 €</span></div>'
        '<div class="k2"><div class="k3">69,90 €</div></div>',
        "69.90",
    ),
    # An estimate range, then the current amount, then the starting amount struck.
    "range-then-current": (
        "150",
        "USD",
        '<div class="e1"><div class="e2">Qvbtz $300 - $500</div></div>'
        '<div class="e3"><div class="e4">$200</div></div>'
        '<div class="e5"><div class="e6"><del>$150</del></div></div>',
        "200",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_first_price_to_pay_after_the_heading(case: str) -> None:
    markup_price, currency, body, want = CASES[case]
    markup = _MARKUP.replace("{markup}", markup_price).replace("{currency}", currency)
    html = _PAGE.format(markup=markup, body=body).encode("utf-8")
    offers = extract_auto(html, "https://shop.example/p/1").offers
    assert offers and offers[0].price is not None
    assert Decimal(offers[0].price) == Decimal(want)


def test_the_markup_price_shown_as_the_current_one_stays() -> None:
    """Guard: the markup's amount shown unstruck first, a struck amount after it."""
    markup = _MARKUP.replace("{markup}", "59.00").replace("{currency}", "EUR")
    body = '<div class="p1">59,00 €</div><div class="p2"><div class="p3"><s>79,00 €</s></div></div>'
    html = _PAGE.format(markup=markup, body=body).encode("utf-8")
    offers = extract_auto(html, "https://shop.example/p/1").offers
    assert offers and Decimal(offers[0].price or "0") == Decimal("59.00")

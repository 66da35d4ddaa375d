"""The variant a page shows as chosen is ``offers[0]``: a selected option, a checked radio,
a pressed or checked swatch, the URL naming a variant, the price the page shows; with no
such cue the cheapest variant in stock stays first (``spiders.extract.variant_choice``).
Small invented pages in several shop styles and languages, written before the rule."""

from __future__ import annotations

import json

import pytest

from spiders.extract.auto import extract_auto


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _offers(rows: list[tuple[str, str, str]], currency: str, url: str = "") -> list[dict]:
    return [
        {
            "@type": "Offer",
            "sku": sku,
            "price": price,
            "priceCurrency": currency,
            "availability": f"https://schema.org/{stock}",
            **({"url": f"{url}{sku[-3:]}"} if url else {}),
        }
        for sku, price, stock in rows
    ]


def _sized(name: str, rows: list[tuple[str, str, str]], currency: str) -> str:
    """A product in sizes: one offer per (sku, price, stock) row."""
    product = {"@context": "https://schema.org", "@type": "Product", "name": name}
    return _ld({**product, "offers": _offers(rows, currency)})


_SHIRT = _sized(
    "Trail shirt",
    [("TR-100-S", "19.99", "InStock"), ("TR-100-M", "24.99", "InStock"),
     ("TR-100-L", "29.99", "InStock")],
    "GBP",
)  # fmt: skip

_JACKE = _ld(
    {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Regenjacke Nordwind",
        "productGroupID": "NW-5501",
        "hasVariant": [
            {"@type": "Product", "name": "Regenjacke Nordwind rot", "sku": "NW-5501-ROT",
             "color": "rot", "offers": {"@type": "Offer", "price": "89.00",
                                        "priceCurrency": "EUR"}},
            {"@type": "Product", "name": "Regenjacke Nordwind blau", "sku": "NW-5501-BLAU",
             "color": "blau", "offers": {"@type": "Offer", "price": "99.00",
                                         "priceCurrency": "EUR"}},
        ],
    }
)  # fmt: skip

_KUTSU = _ld(
    {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "ランニングシューズ 風",
        "offers": [
            {"@type": "Offer", "sku": "KZ-7-" + c, "price": p, "priceCurrency": "JPY",
             "url": f"https://shop.example.jp/products/kaze?variant={v}"}
            for c, p, v in (("BK", "8800", "4101"), ("WH", "9900", "4102"),
                            ("RD", "9900", "4103"))
        ],
    }
)  # fmt: skip

_SAPATO = _ld(
    {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Sapato Douro",
        "offers": [
            {"@type": "Offer", "sku": f"SD-90{n}", "size": n, "price": p,
             "priceCurrency": "EUR", "availability": "https://schema.org/InStock"}
            for n, p in (("40", "59.00"), ("41", "59.00"), ("42", "64.00"))
        ],
    }
)  # fmt: skip

_KURTKA = _sized(
    "Kurtka Tatry",
    [("KT-300-S", "49.90", "InStock"), ("KT-300-M", "59.90", "InStock"),
     ("KT-300-L", "69.90", "InStock")],
    "PLN",
)  # fmt: skip


def _page(head: str, body: str, lang: str = "en") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


# (case, html, url, expected price, expected variant sku or None, expected sku)
CASES = [
    (
        "en-selected-option",
        _page(
            _SHIRT,
            "<h1>Trail shirt</h1><select name=size><option value=TR-100-S>S</option>"
            "<option value=TR-100-M selected>M</option><option value=TR-100-L>L</option>"
            "</select><p>£24.99</p><button>Add to basket</button>",
        ),
        "https://shop.example.co.uk/trail-shirt",
        "24.99",
        "TR-100-M",
        "TR-100",
    ),
    (
        "de-checked-radio-colour",
        _page(
            _JACKE,
            "<h1>Regenjacke Nordwind</h1><fieldset>"
            '<label><input type="radio" name="farbe" value="rot"> rot</label>'
            '<label><input type="radio" name="farbe" value="blau" checked> blau</label>'
            "</fieldset><p>99,00 €</p>",
            "de",
        ),
        "https://www.jacken.example.de/regenjacke-nordwind",
        "99.00",
        "NW-5501-BLAU",
        "NW-5501",
    ),
    (
        "ja-pressed-swatch-variant-id",
        _page(
            _KUTSU,
            "<h1>ランニングシューズ 風</h1><div>"
            '<button data-variant-id="4101" aria-pressed="false">黒</button>'
            '<button data-variant-id="4102" aria-pressed="true">白</button>'
            '<button data-variant-id="4103" aria-pressed="false">赤</button></div>'
            "<p>¥9,900</p>",
            "ja",
        ),
        "https://shop.example.jp/products/kaze",
        "9900",
        "KZ-7-WH",
        None,
    ),
    (
        "pt-aria-checked-size",
        _page(
            _SAPATO,
            '<h1>Sapato Douro</h1><div role="radiogroup">'
            '<span role="radio" aria-checked="false">40</span>'
            '<span role="radio" aria-checked="false">41</span>'
            '<span role="radio" aria-checked="true">42</span></div><p>64,00 €</p>',
            "pt",
        ),
        "https://www.sapatos.example.pt/sapato-douro",
        "64.00",
        "SD-9042",
        None,
    ),
    (
        "ja-url-variant-parameter",  # control: the URL's own variant already won on main
        _page(_KUTSU, "<h1>ランニングシューズ 風</h1><p>¥9,900</p>", "ja"),
        "https://shop.example.jp/products/kaze?variant=4103",
        "9900",
        "KZ-7-RD",
        None,
    ),
    (
        "en-placeholder-option",  # control: nothing chosen yet, the cheapest stays
        _page(
            _SHIRT,
            "<h1>Trail shirt</h1><select name=size>"
            '<option value="" selected>Choose a size</option><option value=TR-100-S>S</option>'
            "<option value=TR-100-M>M</option></select><p>From £19.99</p>",
        ),
        "https://shop.example.co.uk/trail-shirt",
        "19.99",
        "TR-100-S",
        "TR-100",
    ),
    (
        "pl-selected-tab-only",  # control: a selected tab names no variant
        _page(
            _KURTKA,
            '<h1>Kurtka Tatry</h1><div role="tablist">'
            '<button role="tab" aria-selected="true">Opis</button>'
            '<button role="tab" aria-selected="false">Wymiary</button></div>'
            "<p>od 49,90 zł</p>",
            "pl",
        ),
        "https://sklep.example.pl/kurtka-tatry",
        "49.90",
        "KT-300-S",
        "KT-300",
    ),
    (
        "pl-checked-radio-out-of-stock-cheapest",
        _page(
            _sized(
                "Kurtka Tatry",
                [("KT-300-S", "49.90", "OutOfStock"), ("KT-300-M", "59.90", "InStock"),
                 ("KT-300-L", "69.90", "InStock")],
                "PLN",
            ),
            '<h1>Kurtka Tatry</h1><input type="radio" name="r" value="KT-300-L" checked>'
            "<label>L</label><p>69,90 zł</p>",
            "pl",
        ),
        "https://sklep.example.pl/kurtka-tatry",
        "69.90",
        "KT-300-L",
        "KT-300",
    ),
    (
        "es-aggregate-selected-option-price",
        _page(
            _ld(
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Mochila Sierra",
                    "sku": "MS-200",
                    "offers": {"@type": "AggregateOffer", "lowPrice": "35.00",
                               "highPrice": "49.00", "priceCurrency": "EUR"},
                }
            ),
            "<h1>Mochila Sierra</h1><p>35,00 € - 49,00 €</p><select>"
            '<option value="MS-200-20" data-price="35.00">20 l</option>'
            '<option value="MS-200-30" data-price="42.00" selected>30 l</option>'
            '<option value="MS-200-40" data-price="49.00">40 l</option></select>'
            "<p>42,00 €</p><p>Referencia: MS-200-30</p>",
            "es",
        ),
        "https://www.mochilas.example.es/mochila-sierra",
        "42.00",
        None,
        "MS-200-30",
    ),
    (
        "pl-shown-price-only",  # no control chosen: the price shown is one variant's
        _page(
            _KURTKA,
            "<h1>Kurtka Tatry</h1><div><span>Rozmiar</span> <b>S</b> <b>M</b> <b>L</b></div>"
            "<p><strong>59,90 zł</strong></p><button>Do koszyka</button>",
            "pl",
        ),
        "https://sklep.example.pl/kurtka-tatry",
        "59.90",
        "KT-300-M",
        "KT-300",
    ),
    (
        "pt-gallery-slide-is-no-size",  # control: a chosen slide "2" is no size "2"
        _page(
            _ld(
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Sapato Douro infantil",
                    "offers": [
                        {"@type": "Offer", "sku": f"SDI-5{n}", "size": n, "price": p,
                         "priceCurrency": "EUR"}
                        for n, p in (("1", "29.00"), ("2", "31.00"), ("3", "33.00"))
                    ],
                }
            ),
            '<h1>Sapato Douro infantil</h1><div role="tablist">'
            '<button role="tab" aria-selected="false">1</button>'
            '<button role="tab" aria-selected="true">2</button></div>'
            "<p>desde 29,00 €</p>",
            "pt",
        ),
        "https://www.sapatos.example.pt/sapato-douro-infantil",
        "29.00",
        "SDI-51",
        None,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("html", "url", "price", "variant_sku", "sku"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_chosen_variant_first(
    html: str, url: str, price: str, variant_sku: str | None, sku: str | None
) -> None:
    first = extract_auto(html, url).offers[0]
    assert first.price == price
    assert (first.variant_sku or first.sku) == (variant_sku or sku)
    if sku is not None:
        assert first.sku == sku

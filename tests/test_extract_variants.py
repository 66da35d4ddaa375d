"""Variant pages: the product's own code as sku and the variant a shopper sees first.
Hand-written JSON-LD in the shapes shops use (offers per size, ProductGroup, one Product
per colour), checked field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from settings.records import OfferItem, ProductParent
from spiders.extract.auto import extract_auto
from spiders.extract.script_product import script_product
from spiders.extract.variants import common_stem


def page(*objects: Any) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(o)}</script>' for o in objects
    )
    return f"<html><head>{scripts}</head><body><h1>Trail shoe</h1></body></html>"


def offer(size: str, sku: str, price: str, stock: str) -> dict[str, Any]:
    return {"@type": "Offer", "sku": sku, "name": size, "price": price,
            "priceCurrency": "EUR", "availability": f"https://schema.org/{stock}"}  # fmt: skip


OFFERS_PER_SIZE = {
    "@type": "Product",
    "name": "Trail shoe",
    "offers": [
        offer("40", "TS-4410-40", "89.00", "OutOfStock"),
        offer("41", "TS-4410-41", "79.00", "InStock"),
        offer("42", "TS-4410-42", "69.00", "OutOfStock"),
    ],
}
PRODUCT_GROUP = {
    "@type": "ProductGroup",
    "name": "Trail shoe",
    "productGroupID": "TS4410",
    "hasVariant": [
        {"@type": "Product", "name": "Trail shoe red", "sku": "88001",
         "offers": offer("red", "88001", "99.00", "InStock")},
        {"@type": "Product", "name": "Trail shoe blue", "sku": "88002",
         "offers": offer("blue", "88002", "95.00", "InStock")},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        pytest.param(
            page(OFFERS_PER_SIZE),
            "https://shop.test/p/trail-shoe",
            ("TS-4410", "79.00", "InStock"),
            id="offers-per-size-common-stem-cheapest-in-stock",
        ),
        pytest.param(
            page({**OFFERS_PER_SIZE, "sku": "TS4410"}),
            "https://shop.test/p/trail-shoe",
            ("TS4410", "79.00", "InStock"),
            id="product-level-code-wins",
        ),
        pytest.param(
            page(OFFERS_PER_SIZE),
            "https://shop.test/p/trail-shoe?variant=TS-4410-42",
            ("TS-4410", "69.00", "OutOfStock"),
            id="variant-named-in-url",
        ),
        pytest.param(
            page(PRODUCT_GROUP),
            "https://shop.test/p/trail-shoe",
            ("TS4410", "95.00", "InStock"),
            id="product-group",
        ),
        pytest.param(
            page(
                {
                    "@type": "Product",
                    "name": "Trail shoe",
                    "sku": "77120-RD",
                    "offers": offer("red", "", "50.00", "OutOfStock"),
                },
                {
                    "@type": "Product",
                    "name": "Trail shoe",
                    "sku": "77120-BL",
                    "offers": offer("blue", "", "50.00", "InStock"),
                },
            ),
            "https://shop.test/p/trail-shoe",
            ("77120", "50.00", "InStock"),
            id="one-product-per-colour",
        ),
        pytest.param(
            page(
                {
                    "@type": "Product",
                    "name": "Trail shoe",
                    "sku": "A1",
                    "offers": offer("one", "SKU-1", "10.00", "InStock"),
                }
            ),
            "https://shop.test/p/trail-shoe",
            ("SKU-1", "10.00", "InStock"),
            id="single-offer-untouched",
        ),
    ],
)
def test_variant_page(html: str, url: str, expected: tuple[str, str, str]) -> None:
    first = extract_auto(html, url).offers[0]
    assert (first.sku, first.price, first.availability) == expected


@pytest.mark.parametrize(
    ("skus", "stem"),
    [
        (["KT-100-S", "KT-100-M", "KT-100-XL"], "KT-100"),
        (["KT100S", "KT100M"], "KT100"),
        (["12345", "12346"], None),  # numbers that share digits share no code
        (["AB", "AC"], None),
        (["X-1"], None),
    ],
)
def test_common_stem(skus: list[str], stem: str | None) -> None:
    assert common_stem(skus) == stem


SIZES = (
    [
        ("TS-4410", "TS-4410-41", "41", None, "79.00", "InStock"),
        ("TS-4410-41", None, "41", None, "79.00", "InStock"),
        ("TS-4410-40", None, "40", None, "89.00", "OutOfStock"),
        ("TS-4410-42", None, "42", None, "69.00", "OutOfStock"),
    ],
    ProductParent("TS-4410", "Trail shoe", "69.00", "89.00", "EUR", "InStock", 3),
)
"""``OFFERS_PER_SIZE``'s offers (sku, variant sku, size, colour, price, stock) and parent."""
GROUP_ROWS = [
    ("TS4410", "88002", None, "blue", "95.00", "InStock"),
    ("88002", None, None, "blue", "95.00", "InStock"),
    ("88001", None, None, "red", "99.00", "InStock"),
]
GROUP_PARENT = ProductParent("TS4410", "Trail shoe", "95.00", "99.00", "EUR", "InStock", 2)


def jacket(*offers: dict[str, Any], **product: str) -> str:
    return page({"@type": "Product", "name": "Rain jacket", "offers": list(offers), **product})


def _rows(offers: list[OfferItem]) -> list[tuple[str | None, ...]]:
    return [(o.sku, o.variant_sku, o.size, o.colour, o.price, o.availability) for o in offers]


@pytest.mark.parametrize(
    ("html", "url", "offers", "parent"),
    [
        pytest.param(
            page(OFFERS_PER_SIZE),
            "https://shop.test/p/trail-shoe",
            *SIZES,
            id="offers-per-size",
        ),
        pytest.param(
            page(PRODUCT_GROUP),
            "https://shop.test/p/trail-shoe",
            GROUP_ROWS,  # the group's own node (no price, no id) is no offer
            GROUP_PARENT,
            id="product-group-colours-from-names",
        ),
        pytest.param(
            page(PRODUCT_GROUP, PRODUCT_GROUP["hasVariant"][1]),  # type: ignore[index]
            "https://shop.test/p/trail-shoe",
            GROUP_ROWS,  # the shown colour's own product node too: still one offer of it
            GROUP_PARENT,
            id="product-group-and-the-shown-variants-own-node",
        ),
        pytest.param(
            page({**PRODUCT_GROUP, "sku": "88002"}),
            "https://shop.test/p/trail-shoe",
            GROUP_ROWS,  # the group node carrying the shown variant's sku is no offer of its own
            GROUP_PARENT,
            id="product-group-with-a-variants-sku",
        ),
        pytest.param(
            page(
                OFFERS_PER_SIZE,
                {
                    "@type": "Product",
                    "name": "Trail shoe",
                    "sku": "TS-4410-41",
                    "offers": offer("41", "TS-4410-41", "79.00", "InStock"),
                },
            ),
            "https://shop.test/p/trail-shoe",
            *SIZES,
            id="offers-per-size-and-the-shown-sizes-own-node",
        ),
        pytest.param(
            page(
                {
                    "@type": "Product",
                    "name": "Rain jacket",
                    "offers": [
                        {
                            **offer("x", "9001", "120.00", "OutOfStock"),
                            "size": "S",
                            "color": "Navy",
                        },
                        {
                            **offer("y", "9002", "120.00", "OutOfStock"),
                            "size": "M",
                            "color": "Navy",
                        },
                    ],
                }
            ),
            "https://shop.test/p/rain-jacket",
            [
                ("9001", None, "S", "Navy", "120.00", "OutOfStock"),
                ("9002", None, "M", "Navy", "120.00", "OutOfStock"),
            ],  # no code anywhere: no view under an invented code
            ProductParent(None, "Rain jacket", "120.00", "120.00", "EUR", "OutOfStock", 2),
            id="schema-size-and-color-nothing-buyable",
        ),
        pytest.param(
            jacket(
                offer("S", "RJ2201S", "120.00", "InStock"),
                offer("XL", "RJ2201XL", "130.00", "InStock"),
            ),
            "https://shop.test/jackets/rain-jacket-RJ2201.html",
            [
                ("RJ2201", "RJ2201S", "S", None, "120.00", "InStock"),
                ("RJ2201S", None, "S", None, "120.00", "InStock"),
                ("RJ2201XL", None, "XL", None, "130.00", "InStock"),
            ],
            ProductParent("RJ2201", "Rain jacket", "120.00", "130.00", "EUR", "InStock", 2),
            id="letter-sizes-stem",
        ),
        pytest.param(
            jacket(
                offer("small", "5550011", "120.00", "InStock"),
                offer("large", "8870012", "125.00", "InStock"),
                mpn="MFR-77",
            ),
            "https://shop.test/jackets/rain-jacket",
            [
                ("MFR-77", "5550011", None, "small", "120.00", "InStock"),
                ("5550011", None, None, "small", "120.00", "InStock"),
                ("8870012", None, None, "large", "125.00", "InStock"),
            ],  # a label without digits or a letter size reads as a colour (no word lists)
            ProductParent("MFR-77", "Rain jacket", "120.00", "125.00", "EUR", "InStock", 2),
            id="product-mpn-when-skus-share-no-stem",
        ),
        pytest.param(
            jacket(
                offer("one", "A7-1", "120.00", "InStock"), offer("two", "A7-2", "125.00", "InStock")
            ),
            "https://shop.test/p/a7-rain-jacket?id=A7",
            [
                ("A7-1", None, None, "one", "120.00", "InStock"),
                ("A7-2", None, None, "two", "125.00", "InStock"),
            ],  # "A7" is too short to be told from a word: no code
            ProductParent(None, "Rain jacket", "120.00", "125.00", "EUR", "InStock", 2),
            id="short-url-token-is-no-code",
        ),
    ],
)
def test_variant_page_field_by_field(
    html: str, url: str, offers: list[tuple[str | None, ...]], parent: ProductParent
) -> None:
    found = extract_auto(html, url).offers
    assert _rows(found) == offers
    assert all(o.parent == parent for o in found)


def test_variant_code_from_the_url() -> None:
    variants = {"@type": "Product", "name": "Kettle", "offers": [
        offer("white", "44120300", "49.00", "InStock"),
        offer("black", "44120311", "49.00", "InStock"),
    ]}  # fmt: skip
    found = extract_auto(page(variants), "https://shop.test/kettles/441203/kettle").offers
    assert (found[0].sku, found[0].variant_sku) == ("441203", "44120300")
    assert found[0].parent is not None and found[0].parent.code == "441203"


def test_product_gtin_read_into_every_variant_stays_on_the_view_only() -> None:
    shared = {**OFFERS_PER_SIZE, "gtin13": "4006381333931"}
    found = extract_auto(page(shared), "https://shop.test/p/trail-shoe").offers
    assert [o.gtin for o in found] == ["4006381333931", None, None, None]


MICRODATA_GROUP = (
    '<html><body><div itemscope itemtype="https://schema.org/ProductGroup">'
    '<h1 itemprop="name">Trail shoe</h1><meta itemprop="productGroupID" content="TS4410">'
    '<div itemprop="brand" itemscope itemtype="https://schema.org/Brand">'
    '<meta itemprop="name" content="Vandra"></div>'
    + "".join(
        f'<div itemprop="hasVariant" itemscope itemtype="https://schema.org/Product">'
        f'<meta itemprop="sku" content="{sku}"><meta itemprop="name" content="Trail shoe {colour}">'
        f'<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        f'<meta itemprop="price" content="{price}"><meta itemprop="priceCurrency" content="EUR">'
        f"</div></div>"
        for sku, colour, price in (("88001", "red", "99.00"), ("88002", "blue", "95.00"))
    )
    + "</div></body></html>"
)


@pytest.mark.parametrize(
    ("html", "brands"),
    [
        pytest.param(
            page({**PRODUCT_GROUP, "brand": {"@type": "Brand", "name": "Vandra"}}),
            ["Vandra", "Vandra", "Vandra"],
            id="product-group-brand-object",
        ),
        pytest.param(
            page({**PRODUCT_GROUP, "manufacturer": "Vandra Oy"}),
            ["Vandra Oy", "Vandra Oy", "Vandra Oy"],
            id="product-group-manufacturer",
        ),
        pytest.param(
            page({**PRODUCT_GROUP, "brand": "Vandra", "hasVariant": [
                {**PRODUCT_GROUP["hasVariant"][0], "brand": "Vandra Kids"},  # type: ignore[index]
                PRODUCT_GROUP["hasVariant"][1],  # type: ignore[index]
            ]}),
            ["Vandra", "Vandra", "Vandra Kids"],  # the cheaper blue shoe first
            id="a-variant-keeps-its-own-brand",
        ),
        pytest.param(MICRODATA_GROUP, ["Vandra", "Vandra", "Vandra"], id="microdata-group"),
        pytest.param(
            page({**OFFERS_PER_SIZE, "brand": "Vandra"}),
            ["Vandra", "Vandra", "Vandra", "Vandra"],
            id="product-with-offers-per-size",
        ),
        pytest.param(page(PRODUCT_GROUP), [None, None, None], id="no-brand-anywhere"),
    ],
)  # fmt: skip
def test_the_brand_of_a_variant_group_is_each_variants(html: str, brands: list[str | None]) -> None:
    found = extract_auto(html, "https://shop.test/p/trail-shoe").offers
    assert [o.brand for o in found] == brands
    for variant in found[1:]:
        assert variant.parent is not None
        if variant.brand is not None:
            assert variant.explain["brand"] in {"json-ld", "microdata"}


def ld_page(h1: str, *objects: Any) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(o)}</script>' for o in objects
    )
    return f"<html><head>{scripts}</head><body><h1>{h1}</h1></body></html>"


def product(name: str, price: str) -> dict[str, Any]:
    return {"@type": "Product", "name": name, "offers": offer("-", "", price, "InStock")}


@pytest.mark.parametrize(
    ("h1", "names", "listing"),
    [
        ("Rain jackets", ["Jacket one", "Jacket two", "Jacket three"], True),
        ("Jacket one", ["Jacket one", "Jacket two", "Jacket three"], False),  # related items
        ("Brand X Jacket one", ["Jacket one", "Jacket two", "Jacket three"], False),
        ("Rain jackets", ["Jacket one", "Jacket two"], False),  # two: a product and one other
    ],
)
def test_markup_listing(h1: str, names: list[str], listing: bool) -> None:
    html = ld_page(h1, *(product(n, f"{i + 1}0.00") for i, n in enumerate(names)))
    found = extract_auto(html, "https://shop.test/c/jackets").offers
    assert [o.listing for o in found] == [listing] * len(names)
    assert h1 not in [o.name for o in found] or not listing
    if listing:
        assert [(o.name, o.price) for o in found] == [
            (n, f"{i + 1}0.00") for i, n in enumerate(names)
        ]


def test_variants_of_one_product_are_no_listing() -> None:
    """Three variants of different names under a heading that names none of them: the
    variants of one product, not a listing."""
    group = {**PRODUCT_GROUP, "hasVariant": [
        *PRODUCT_GROUP["hasVariant"],  # type: ignore[misc]
        {"@type": "Product", "name": "Trail shoe green", "sku": "88003",
         "offers": offer("green", "88003", "97.00", "InStock")},
    ]}  # fmt: skip
    found = extract_auto(ld_page("Acme trail runner", group), "https://shop.test/p/ts").offers
    assert [(o.sku, o.listing) for o in found] == [
        ("TS4410", False), ("88002", False), ("88001", False), ("88003", False)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ({"product": {"id": 7301, "variants": [{"id": 99, "sku": "MW-3500"}]}}, "MW-3500"),
        ({"id": 7301, "variants": [{"sku": "KT-100-S"}, {"sku": "KT-100-M"}]}, "KT-100"),
        ({"id": 7301, "sku": "KT100", "variants": [{"sku": "KT-100-S"}]}, "KT100"),
        ({"id": 7301, "variants": [{"sku": "12345"}, {"sku": "67890"}]}, None),  # no stem
        ({"id": 7301, "variants": [{"id": 1}, {"title": "M"}]}, None),  # no sku at all
        ([{"cart": {"items": []}}], None),
    ],
)
def test_script_product_code(state: object, code: str | None) -> None:
    assert script_product([state], None).code == code


def test_script_state_code_when_markup_has_no_sku() -> None:
    """The shop's product state names the code; its internal product id does not count."""
    state = {"product": {"id": 1738600000001, "title": "Microwave 800 W",
                         "variants": [{"id": 15800000000001, "sku": "1200458"}]}}  # fmt: skip
    html = (
        '<html><head><script type="application/ld+json">{"@type": "Product", "name": '
        '"Microwave 800 W", "offers": {"@type": "Offer", "price": "109.00", '
        '"priceCurrency": "EUR"}}</script>'
        f"<script>var meta = {json.dumps(state)};</script></head>"
        "<body><h1>Microwave 800 W</h1></body></html>"
    )
    first = extract_auto(html, "https://shop.test/products/microwave-800-w").offers[0]
    assert (first.sku, first.explain["sku"]) == ("1200458", "embedded-json")

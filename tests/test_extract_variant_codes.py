"""The product's code on variant pages whose markup names only size/colour-level skus: the
code the page shows that every variant sku extends. Invented pages in the JSON-LD shapes
shops use (offers per size, ProductGroup/hasVariant, one Product per colour, one Product
with a size-level sku), labels in a made-up language, checked field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.variants import variant_stem_of

URL = "https://shop.test/p/vorla-jacket"


def page(shown: str, *objects: Any) -> bytes:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(o)}</script>' for o in objects
    )
    return (
        f"<html><head><title>Vorla jacket</title>{scripts}</head><body>"
        "<nav><a href='/'>Kelo</a> <a href='/p/other'>Other coat <span>KT5120</span></a></nav>"
        f"<main><h1>Vorla jacket</h1>{shown}<p>89,00 €</p><button>Plim</button></main>"
        "</body></html>"
    ).encode()


def offer(sku: str, price: str = "89.00", stock: str = "InStock") -> dict[str, Any]:
    return {"@type": "Offer", "sku": sku, "price": price, "priceCurrency": "EUR",
            "availability": f"https://schema.org/{stock}"}  # fmt: skip


def product(sku: str, name: str = "Vorla jacket", **more: Any) -> dict[str, Any]:
    return {"@type": "Product", "name": name, "sku": sku, "offers": offer(sku), **more}


# Sizes whose suffixes are too long for a common stem ("-BLACK-XL").
OFFERS_PER_SIZE = {
    "@type": "Product",
    "name": "Vorla jacket",
    "offers": [offer("KT5120-BLACK-XL", "95.00"), offer("KT5120-BLACK-M", "89.00"),
               offer("KT5120-WHITE-M", "89.00", "OutOfStock")],
}  # fmt: skip
# All of one colour: the common stem is the colour's code, the page shows the product's.
ONE_COLOUR = {
    "@type": "Product",
    "name": "Vorla jacket",
    "offers": [offer("KT5120-BLACK-M"), offer("KT5120-BLACK-L")],
}
# Digits only, the size appended without a separator: no common stem can be cut.
GROUP_WITHOUT_ID = {
    "@type": "ProductGroup",
    "name": "Vorla jacket",
    "hasVariant": [product("447120301", "Vorla jacket 38"), product("447120302", "Vorla jacket 40")],
}  # fmt: skip
PRODUCT_PER_COLOUR = [product("RX8812-red-40"), product("RX8812-blue-40")]

STEM_BESIDE_TITLE = "<span>KT5120</span>"
LABELLED = "<p><span>Qarn zup:</span> <span>{}</span></p>"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            page(STEM_BESIDE_TITLE, OFFERS_PER_SIZE),
            ("KT5120", "KT5120-BLACK-M", "89.00", "InStock"),
            id="offers-per-size-long-suffix-stem-beside-title",
        ),
        pytest.param(
            page(STEM_BESIDE_TITLE, ONE_COLOUR),
            ("KT5120", "KT5120-BLACK-M", "89.00", "InStock"),
            id="shown-code-shorter-than-common-stem",
        ),
        pytest.param(
            page(LABELLED.format("4471203"), GROUP_WITHOUT_ID),
            ("4471203", "447120301", "89.00", "InStock"),
            id="product-group-without-id-digits-suffix",
        ),
        pytest.param(
            page("<span>RX8812</span>", *PRODUCT_PER_COLOUR),
            ("RX8812", "RX8812-red-40", "89.00", "InStock"),
            id="product-list-per-colour",
        ),
        pytest.param(
            page(
                LABELLED.format("PL3390") + "<p><span>Vem:</span> <span>4006381333931</span></p>",
                product("PL3390-WHT-M", gtin13="4006381333931"),
            ),
            ("PL3390", None, "89.00", "InStock"),
            id="single-size-sku-labelled-stem-among-two-codes",
        ),
        pytest.param(
            page("", product("KT5120-M", "Vorla jacket M"), product("KT5120-L", "Vorla jacket L")),
            ("KT5120", "KT5120-M", "89.00", "InStock"),
            id="product-list-names-with-size",
        ),
        # Guards: what must not change.
        pytest.param(
            page("", product("KT5120-M", "Vorla jacket M"), product("KT6120-L", "Vorla jacket L")),
            ("KT5120-M", None, "89.00", "InStock"),
            id="product-list-without-shared-code",
        ),
        pytest.param(
            page("", product("KT5120-M"), product("KT5120-L", "Sela boots")),
            ("KT5120-M", None, "89.00", "InStock"),
            id="product-list-without-shared-name",
        ),
        pytest.param(
            page("", OFFERS_PER_SIZE),
            ("KT5120-BLACK-M", None, "89.00", "InStock"),
            id="stem-only-in-another-products-link",
        ),
        pytest.param(
            page("<span>KT5120</span>", product("KT5120-BLACK-M")),
            ("KT5120-BLACK-M", None, "89.00", "InStock"),
            id="single-sku-unlabelled-stem-too-weak",
        ),
        pytest.param(
            page(LABELLED.format("44712"), product("447120301")),
            ("447120301", None, "89.00", "InStock"),
            id="single-sku-digits-prefix-no-boundary",
        ),
    ],
)
def test_variant_level_skus(html: bytes, expected: tuple[str, str | None, str, str]) -> None:
    first = extract_auto(html, URL).offers[0]
    got = (first.sku, first.variant_sku, first.price, first.availability)
    assert got == expected


@pytest.mark.parametrize(
    ("code", "skus", "stem"),
    [
        ("KT5120", ["KT5120-BLACK-M", "KT5120-WHITE-XL"], True),
        ("kt5120", ["KT5120-BLACK-M"], True),
        ("KT5120", ["KT5120M"], True),  # letters after digits: a new part
        ("4471203", ["447120301", "447120302"], True),  # several variants share it
        ("4471203", ["447120301"], False),  # one: nothing tells where the part ends
        ("10023", ["100234-S", "100234-M"], False),  # the skus' part ends after "100234"
        ("KT512", ["KT5120-BLACK-M", "KT5120-WHITE-XL"], False),
        ("KT5120", ["KT5120"], False),  # the sku itself
        ("KT5120", ["KT5120-BLACK-M", "KT5121-BLACK-M"], False),
        ("KT51", ["KT5120-M"], False),  # "KT51" ends inside a number
        ("ABCD", ["ABCD-M", "ABCD-L"], False),  # no digit: a word, not a code
        ("KT5120", ["KT5120-SUPERLONGCOLOUR-XL"], False),  # more than a size/colour
    ],
)
def test_variant_stem_of(code: str, skus: list[str], stem: bool) -> None:
    assert variant_stem_of(code, skus) is stem


def test_products_named_by_size_are_one_product() -> None:
    html = page(
        "<span>KT5120</span>",
        product("KT5120-BLACK-M", "Vorla jacket black M"),
        product("KT5120-BLACK-L", "Vorla jacket black L"),
    )
    offers = extract_auto(html, URL).offers
    got = [(o.sku, o.variant_sku, o.name, o.size) for o in offers]
    assert got == [
        ("KT5120", "KT5120-BLACK-M", "Vorla jacket black", "M"),
        ("KT5120-BLACK-M", None, "Vorla jacket black M", "M"),
        ("KT5120-BLACK-L", None, "Vorla jacket black L", "L"),
    ]
    parent = offers[0].parent
    assert parent is not None
    assert (parent.code, parent.name, parent.variants) == ("KT5120", "Vorla jacket black", 2)


def aggregate(*members: dict[str, Any]) -> dict[str, Any]:
    return {"@type": "Product", "name": "Vorla jacket", "sku": "KT5120",
            "offers": {"@type": "AggregateOffer", "lowPrice": "79.00", "highPrice": "95.00",
                       "priceCurrency": "EUR", "offers": list(members)}}  # fmt: skip


def by_product_id(node: dict[str, Any]) -> dict[str, Any]:
    """The same variant with its code under ``productID`` instead of ``sku``."""
    return {("productID" if key == "sku" else key): value for key, value in node.items()}


def seller(price: str) -> dict[str, Any]:
    return {"@type": "Offer", "price": price, "priceCurrency": "EUR",
            "seller": {"@type": "Organization", "name": "Some seller"}}  # fmt: skip


@pytest.mark.parametrize(
    ("node", "offers"),
    [
        # An aggregate over sizes only sums them up: no offer of its own beside them (it
        # was one more product under the product's own code, priced at the low price).
        pytest.param(
            aggregate(offer("KT5120-M", "79.00"), offer("KT5120-L", "95.00", "OutOfStock")),
            [
                ("KT5120", "KT5120-M", "79.00", "InStock"),
                ("KT5120-M", None, "79.00", "InStock"),
                ("KT5120-L", None, "95.00", "OutOfStock"),
            ],
            id="aggregate-over-variants",
        ),
        # Variants known by productID only are variants all the same (as the grouping
        # counts them): the aggregate gives way to them too.
        pytest.param(
            aggregate(
                by_product_id(offer("KT5120-M", "79.00")),
                by_product_id(offer("KT5120-L", "95.00", "OutOfStock")),
            ),
            [
                ("KT5120", "KT5120-M", "79.00", "InStock"),
                ("KT5120-M", None, "79.00", "InStock"),
                ("KT5120-L", None, "95.00", "OutOfStock"),
            ],
            id="aggregate-over-variants-by-product-id",
        ),
        # Over the same product's sellers its low price comes first, as a shopper sees it.
        pytest.param(
            aggregate(seller("95.00"), seller("79.00")),
            [
                ("KT5120", None, "79.00", None),
                ("KT5120", None, "95.00", None),
                ("KT5120", None, "79.00", None),
            ],
            id="aggregate-over-sellers",
        ),
    ],
)
def test_an_aggregate_offer_gives_way_to_its_variants(
    node: dict[str, Any], offers: list[tuple[str | None, ...]]
) -> None:
    found = extract_auto(page("", node), URL).offers
    assert [(o.sku, o.variant_sku, o.price, o.availability) for o in found] == offers

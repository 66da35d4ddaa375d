"""Variant pages: the product's own code as sku and the variant a shopper sees first.
Hand-written JSON-LD in the shapes shops use (offers per size, ProductGroup, one Product
per colour), checked field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spiders.extract.auto import extract_auto
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

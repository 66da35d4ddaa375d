"""The demo's listing pages never become products, however few cards they show: they give
their cards as listing offers; its product pages still give their product (the same shops,
the same extraction)."""

from __future__ import annotations

import pytest

from rivalscope.demo.pages import (
    PRODUCTS_PER_LISTING_PAGE,
    listing_page,
    product_page,
    product_url,
    shop_url,
)
from rivalscope.demo.shops import generate_shops
from spiders.extract.auto import extract_auto

BASE = "http://127.0.0.1:8765"


@pytest.mark.parametrize("products", [1, 2, 6, 60])
def test_listing_pages_give_their_cards_as_listing_offers(products: int) -> None:
    for shop in generate_shops(products=products):
        page, html = 1, listing_page(shop, 1, BASE)
        while html is not None:
            found = extract_auto(html, f"{shop_url(BASE, shop)}?page={page}")
            per_page = PRODUCTS_PER_LISTING_PAGE
            shown = shop.products[(page - 1) * per_page : page * per_page]
            assert all(o.listing for o in found.offers), (shop.slug, page)
            assert [o.name for o in found.offers] == [p.name for p in shown], (shop.slug, page)
            assert [o.url for o in found.offers] == [product_url(BASE, shop, p) for p in shown], (
                shop.slug,
                page,
            )
            page += 1
            html = listing_page(shop, page, BASE)


@pytest.mark.parametrize("products", [1, 2])
def test_product_pages_still_give_their_product(products: int) -> None:
    for shop in generate_shops(products=products):
        for product in shop.products:
            html = product_page(shop, product, 1, BASE)
            assert html is not None
            offers = extract_auto(html, product_url(BASE, shop, product)).offers
            assert offers, (shop.slug, product.slug)
            assert offers[0].name == product.name

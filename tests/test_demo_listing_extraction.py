"""The demo's listing pages never become products, however few cards they show: they give
their cards as listing offers, priced in the shop's currency; its product pages still give their product (the same shops,
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
from rivalscope.demo.shops import generate_scripted_shops, generate_shops
from spiders.extract.auto import extract_auto

BASE = "http://127.0.0.1:8765"


@pytest.mark.parametrize("products", [1, 2, 6, 60])
def test_listing_pages_give_their_cards_as_listing_offers(products: int) -> None:
    for shop in [*generate_shops(products=products), *generate_scripted_shops(products=products)]:
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
            # the cards' currency, though a sign several currencies share ("kr") shows it: the
            # page's locale names the market, as a shop's domain does off the demo's 127.0.0.1
            assert {o.currency for o in found.offers} == {shop.currency}, (shop.slug, page)
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


def test_targets_check_sends_a_listing_page_to_a_product_page() -> None:
    """Tuning a source whose start URL is a category page: the "no reviews" warning says the
    page is a listing and names a card's product page to check instead; a product page with
    no reviews gets the plain warning."""
    from settings.targets import Source
    from spiders.target_check import check_page

    shop = generate_shops(products=6)[0]
    url = shop_url(BASE, shop)
    source = Source(name="shop", start_urls=[url], mode="auto")
    listing = check_page(listing_page(shop, 1, BASE) or "", url, source)
    first = product_url(BASE, shop, shop.products[0])
    assert (
        f"no reviews found on this page (a listing page with 6 product cards; check a product page, e.g. --url {first})"
        in listing.warnings
    )
    product = shop.products[0]
    html = product_page(shop, product, 1, BASE)
    single = check_page(html or "", first, Source(name="shop", start_urls=[first], mode="auto"))
    assert not any("listing page" in w for w in single.warnings)

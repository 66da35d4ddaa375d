"""Pages about something not sold on them (a recipe, an article) yield no product: the
amounts they show are costs or advertisements. Small self-written pages."""

from __future__ import annotations

import json

import pytest

from spiders.extract.auto import extract_auto


def _page(markup: object | None, body: str, head: str = "") -> str:
    script = ""
    if markup is not None:
        script = f'<script type="application/ld+json">{json.dumps(markup)}</script>'
    return f"""<html lang="en"><head><title>T</title>{script}{head}</head><body>
    <main><h1>Smash Burgers</h1>{body}</main></body></html>"""


_COST = '<div class="recipe-cost"><span class="cost">$11.85 recipe / $2.96 serving</span></div>'
_RECIPE = {"@context": "https://schema.org", "@type": "Recipe", "name": "Smash Burgers"}
_ARTICLE = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": "Smash"}


@pytest.mark.parametrize("markup", [_RECIPE, _ARTICLE, [_ARTICLE, _RECIPE]])
def test_recipe_or_article_page_is_no_product(markup: object) -> None:
    page = extract_auto(_page(markup, _COST), "https://food.test/recipes/smash-burger-12345/")
    assert page.offers == []


def test_recipe_page_that_sells_the_product_keeps_it() -> None:
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Burger press",
               "offers": {"@type": "Offer", "price": "24.00", "priceCurrency": "USD"}}  # fmt: skip
    page = extract_auto(_page([_RECIPE, product], _COST), "https://food.test/p/press")
    assert [o.price for o in page.offers] == ["24.00"]


def test_page_without_markup_still_shows_its_price() -> None:
    body = '<div class="price">$24.00</div><button>Add to cart</button>'
    page = extract_auto(_page(None, body), "https://shop.test/p/press")
    assert page.offers[0].price == "24.00"


def test_twitter_reading_time_is_no_price() -> None:
    head = (
        '<meta name="twitter:label1" content="Est. reading time">'
        '<meta name="twitter:data1" content="2 minutes">'
    )
    page = extract_auto(_page(None, "<p>Text</p>", head), "https://blog.test/post")
    assert all(o.price is None for o in page.offers)


def test_page_marked_only_as_article_keeps_its_price() -> None:
    """Some site builders mark every page "Article", shop pages too: that alone says nothing."""
    article = {"@context": "https://schema.org", "@type": "Article", "headline": "Burger press"}
    body = '<div class="price">$24.00</div><button>Add to cart</button>'
    page = extract_auto(_page(article, body), "https://shop.test/p/press")
    assert page.offers[0].price == "24.00"

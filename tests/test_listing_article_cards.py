"""Product cards an article shows are no listing (synthetic pages, no markup: as a shop or a
recipe site without schema.org reads)."""

from __future__ import annotations

from spiders.extract.auto import extract_auto

URL = "https://food.example.org/recipes/apple-cake"

CARD = '<div class="c"><a href="/shop/{n}">Pantry item {n}</a><span class="p">{n},49 €</span></div>'
CARDS = '<section class="g">' + "".join(CARD.format(n=n) for n in range(1, 5)) + "</section>"
SENTENCE = (
    "Whisk the eggs with the sugar until the mixture is pale and thick, then fold in the "
    "flour in three goes, scraping the bowl well each time. "
)


def page(body: str) -> str:
    return f'<!doctype html><html lang="en"><head></head><body>{body}</body></html>'


def test_cards_after_an_article_are_no_listing() -> None:
    """A recipe page, its markup gone: the heading, then paragraphs of method, then the
    ingredients shown as product cards. The cards are the article's, not a listing under
    the heading: no offer (the old code gave the four cards as listing offers)."""
    steps = "".join(f"<p>{SENTENCE * 2}</p>" for _ in range(6))
    body = f"<main><article><h1>Apple cake</h1>{steps}{CARDS}</article></main>"
    assert extract_auto(page(body), URL).offers == []


def test_cards_in_the_menu_are_no_listing() -> None:
    """Promotions in the site's menu (inside <nav>) are no listing of the page."""
    body = f"<header><nav>{CARDS}</nav></header><main><h1>Apple cake</h1><p>Serves 8.</p></main>"
    assert extract_auto(page(body), URL).offers == []


def test_a_listing_under_a_short_introduction_keeps_its_cards() -> None:
    """A category page: heading, a short introduction, filters, then the grid."""
    intro = f"<p>{SENTENCE}</p><ul><li>Sort</li><li>Brand</li><li>Price</li></ul>"
    body = f"<header><nav><a href='/'>Home</a></nav></header><main><h1>Pantry</h1>{intro}{CARDS}</main>"
    found = extract_auto(page(body), "https://food.example.org/shop/pantry").offers
    assert [(o.name, o.price, o.listing) for o in found] == [
        (f"Pantry item {n}", f"{n}.49", True) for n in range(1, 5)
    ]

"""The main heading of invented pages that name their product in an ``<h2>`` or a styled
``<div>``, not an ``<h1>``: found by the page's ``<title>`` (the shop's name split off),
never the shop's logo, a breadcrumb step or a link that say part of the same title; with
no element the title names, the first ``<h2>``/``<h3>`` that heads no list. The product's
name (``heuristics.heading_name``, the offer's name without markup) is read from the same
heading."""

from __future__ import annotations

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.heuristics import heading_name
from spiders.extract.page_heading import heading_position, main_heading

PAGES = {
    # Portuguese, shop's name first, the product in an <h2> after a breadcrumb saying it too
    "pt-h2-breadcrumb": (
        "<html><head><title>Loja Aurora - Chaleira elétrica Vidro 1,7 l</title></head><body>"
        "<div class='logo'>Loja Aurora</div>"
        "<ol><li><a href='/'>Início</a></li><li>Chaleira elétrica Vidro 1,7 l</li></ol>"
        "<div class='produto'><h2 class='nome'>Chaleira  elétrica Vidro 1,7 l</h2>"
        "<p>R$ 189,90</p></div></body></html>",
        "Chaleira elétrica Vidro 1,7 l",
    ),
    # Turkish, a big <div> after a link with the same words, the og:title naming it
    "tr-div-og-title": (
        "<html><head><title>Kettle Dünyası</title>"
        "<meta property='og:title' content='Çelik Termos 500 ml | Kettle Dünyası'></head><body>"
        "<header><a href='/u/termos'>Çelik Termos 500 ml</a></header>"
        "<main><div class='urun-baslik' style='font-size:28px'>Çelik Termos 500 ml</div>"
        "<span>349,00 TL</span></main></body></html>",
        "Çelik Termos 500 ml",
    ),
    # Finnish, an <h1> holding only the logo, the product in an <h3> inside a wrapper
    "fi-logo-h1-h3": (
        "<html><head><title>Villasukat harmaa 40–42 « Kauppa Lumo</title></head><body>"
        "<h1><img src='/logo.png' alt=''></h1><h2>Kauppa Lumo</h2>"
        "<section><div><h3><span>Villasukat</span> harmaa 40–42</h3></div>"
        "<p>24,90 €</p></section></body></html>",
        "Villasukat harmaa 40–42",
    ),
    # Polish, a title shortening the name (no element says it): the first <h2> that heads
    # no list, after a category list's own <h2>
    "pl-h2-short-title": (
        "<html><head><title>Czajnik Lumi | Sklep Ogród</title></head><body>"
        "<div class='kategorie'><h2>Kategorie</h2><ul><li><a href='/k/1'>Kuchnia</a></li></ul>"
        "</div><div class='karta'><h2>Czajnik elektryczny Lumi 1,5 l stal</h2>"
        "<p>129,99 zł</p></div></body></html>",
        "Czajnik elektryczny Lumi 1,5 l stal",
    ),
}


# Pages that show only the shop's part of their title (the product's name shortened), the
# shop's name declared as the site's: headed by their first section heading, never by it.
SHOP_PART_ONLY = {
    # Estonian: the product's name shortened on the page, the shop's name shown whole in
    # the page's header: the first section heading, never the shop's name
    "et-header-shop-name": (
        "<html><head><title>Villane sall hall 180 cm | Pood Kaste</title>"
        "<meta property='og:site_name' content='Pood Kaste'></head><body>"
        "<header><div class='logo'>Pood Kaste</div></header>"
        "<main><h2>Villane sall</h2><p>39,00 €</p></main></body></html>",
        "Villane sall",
    ),
    # Czech: the shop's name first, in a styled <div> and a <span> of the header
    "cs-shop-first-div": (
        "<html><head><title>Obchod Lípa – Keramický hrnek modrý 350 ml</title>"
        "<meta name='application-name' content='Obchod Lípa'></head><body>"
        "<header><div><span>Obchod Lípa</span></div></header>"
        "<section><h3>Keramický hrnek</h3><p>249 Kč</p></section></body></html>",
        "Keramický hrnek",
    ),
    # Hungarian: the <title> is the shop's name alone, the og:title names both
    "hu-title-is-shop": (
        "<html><head><title>Bolt Fénye</title>"
        "<meta property='og:title' content='Gyapjú takaró szürke 150x200 | Bolt Fénye'>"
        "<meta name='apple-mobile-web-app-title' content='Bolt Fénye'>"
        "</head><body><div class='fejlec' style='font-size:26px'>Bolt Fénye</div>"
        "<div><h2>Gyapjú takaró</h2><p>12 990 Ft</p></div></body></html>",
        "Gyapjú takaró",
    ),
    # Swedish: a one-part <title> equal to the site's declared name: nothing is titled
    "sv-site-name": (
        "<html><head><title>Butik Norrsken</title>"
        "<meta property='og:site_name' content='Butik Norrsken'></head><body>"
        "<div class='topp'>Butik Norrsken</div>"
        "<div><h2>Ylletröja grå</h2><p>499 kr</p></div></body></html>",
        "Ylletröja grå",
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES | SHOP_PART_ONLY))
def test_a_page_without_an_h1_is_headed_where_its_title_names_it(name: str) -> None:
    html, title = (PAGES | SHOP_PART_ONLY)[name]
    root = lxml.html.fromstring(html)
    heading = main_heading(root)
    assert heading is not None
    assert " ".join(heading.text_content().split()) == title
    assert heading_position(root) is not None


# Pages whose product heading was an <h1>, written as another element: the name column.
NAMED = {
    # Dutch: the <h1> turned into a styled <div>, the title naming it, the shop's name split off
    "nl-h1-made-div": (
        "<html><head><title>Waterkoker RVS 1,7 liter | Winkel Dijk</title></head><body>"
        "<header><a href='/'>Winkel Dijk</a></header>"
        "<main><div style='font-size:30px'>Waterkoker RVS 1,7 liter</div>"
        "<span>34,95 €</span><button>In winkelwagen</button></main></body></html>",
        "Waterkoker RVS 1,7 liter",
    ),
    # Spanish: the product in an <h2>, the title's parts in the other order
    "es-h2-shop-first": (
        "<html><head><title>Tienda Sol » Tetera de hierro 0,8 l</title></head><body>"
        "<div>Tienda Sol</div><section><h2>Tetera de hierro 0,8 l</h2>"
        "<p>29,90 €</p></section></body></html>",
        "Tetera de hierro 0,8 l",
    ),
}


# The name column where it differs from the main heading: a section heading is a name only
# where the page's titles say most of its words (a title that is the site's name alone says
# nothing of it: "Product details" would be named as well).
NO_NAME = {"sv-site-name"}


@pytest.mark.parametrize("name", sorted(PAGES | SHOP_PART_ONLY | NAMED))
def test_a_page_without_an_h1_is_named_by_its_main_heading(name: str) -> None:
    """The name column: what the page heads its product with, also where no ``<h1>`` is
    (the offer's name too, where no ``og:title`` names it first)."""
    html, title = (PAGES | SHOP_PART_ONLY | NAMED)[name]
    expected = "" if name in NO_NAME else title
    assert heading_name(lxml.html.fromstring(html)) == expected
    if "og:title" in html or not expected:
        return
    offers = extract_auto(html, f"https://shop.example.org/p/{name}").offers
    assert [offer.name for offer in offers[:1]] == [expected]


def test_a_section_heading_the_title_does_not_name_is_no_name() -> None:
    """No ``<h1>``, nothing the title names: the first section heading places things
    (``main_heading``) but names no product unless the title says most of its words."""
    html = (
        "<html><head><title>Mesa de roble 235x100 cm - Tienda</title></head><body>"
        "<div>Mesa de roble 235x100</div><h2>Detalles del producto</h2><p>399 €</p></body></html>"
    )
    root = lxml.html.fromstring(html)
    heading = main_heading(root)
    assert heading is not None and heading.text_content() == "Detalles del producto"
    assert heading_name(root) == ""

"""Availability from the page itself: stock texts about the main product and its buy button,
alone and as a check on the markup's availability. Hand-written snippets, one per form."""

from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from settings.records import OfferItem
from spiders.extract import visible_availability
from spiders.extract.auto import extract_auto
from spiders.extract.visible_availability import StockNamed, stock_line, stock_text

URL = "https://shop.example.com/p/kettle-9"


def page(body: str, availability: str | None = None) -> str:
    """A product page; with ``availability`` its JSON-LD offer states it."""
    head = ""
    if availability is not None:
        head = (
            '<script type="application/ld+json">{"@type": "Product", "name": "Kettle",'
            ' "sku": "K9", "offers": {"@type": "Offer", "price": "39.90",'
            f' "priceCurrency": "EUR", "availability": "https://schema.org/{availability}"}}}}'
            "</script>"
        )
    return f"<html><head>{head}</head><body>{body}</body></html>"


def offer(html: str) -> OfferItem:
    result = extract_auto(html, URL)
    assert not any(w.startswith("extraction failed") for w in result.warnings), result.warnings
    return result.offers[0]


def assert_read_from_page(body: str, availability: str | None) -> None:
    """The page without markup gives ``availability``, read from the page itself."""
    found = offer(page(body))
    assert found.availability == availability
    if availability is not None:
        assert found.explain["availability"] == "heuristic"


MAIN = '<h1>Kettle</h1><span class="price">39,90 €</span>'
CARDS = "".join(
    f'<div class="card"><a href="/p/{n}">Mug {n}</a><span class="card-price">5 €</span>'
    f'<p class="stock">Out of stock</p><button class="card-btn">Add to cart</button></div>'
    for n in range(3)
)


@pytest.mark.parametrize(
    ("body", "markup"),
    [
        pytest.param(
            f'{MAIN}<form><button name="addToBasket" disabled>Add to basket</button></form>',
            "InStock",
            id="disabled-buy-button-does-not-overrule-in-stock",
        ),
        pytest.param(
            f'{MAIN}<form><button class="btn add-to-cart" aria-disabled="true">Do košíka</button>'
            "</form>",
            "InStock",
            id="aria-disabled-button-does-not-overrule-in-stock",
        ),
        pytest.param(
            f'{MAIN}<form class="variations_form"><select name="attribute_size">'
            '<option value="">Choose</option><option>M</option></select>'
            '<button class="single_add_to_cart_button disabled">Add to cart</button></form>',
            "InStock",
            id="disabled-until-a-size-is-chosen",
        ),
        pytest.param(
            f'{MAIN}<div class="buy"><button disabled>Add to cart</button></div>'
            '<div class="size-picker"><button>S</button><button>M</button></div>',
            "InStock",
            id="disabled-with-size-buttons-nearby",
        ),
        pytest.param(
            f'{MAIN}<button id="buy" disabled>Add to cart</button>'
            '<div class="sticky-bar"><button class="sticky-buy">Add to cart</button></div>',
            "InStock",
            id="another-product-button-enabled",
        ),
        pytest.param(
            f"{MAIN}<form><button>Add to your basket</button></form>",
            "OutOfStock",
            id="enabled-buy-button-overrules-out-of-stock",
        ),
        pytest.param(
            f'{MAIN}<div class="buy-box"><p class="note">Sold out online</p>'
            "<button>Add to basket</button></div>",
            "OutOfStock",
            id="buy-box-says-sold-out",
        ),
        pytest.param(
            f'{MAIN}<p class="stock">Out of stock</p><section class="related">{CARDS}</section>',
            "OutOfStock",
            id="only-related-cards-have-buttons",
        ),
        pytest.param(
            f"{MAIN}<div>{CARDS}</div>",
            "OutOfStock",
            id="unnamed-repeated-cards-have-buttons",
        ),
        pytest.param(
            f'{MAIN}<button class="add-to-cart" hidden>Add to cart</button>',
            "OutOfStock",
            id="hidden-button",
        ),
        pytest.param(
            f'<main>{MAIN}</main><aside class="buy-box"><button>Add to basket</button></aside>',
            "OutOfStock",
            id="buy-box-in-a-sidebar",
        ),
        pytest.param(
            f'<header><button class="add-to-cart">Add to cart</button></header>{MAIN}',
            "OutOfStock",
            id="button-in-page-header",
        ),
    ],
)
def test_markup_availability_stands_whatever_the_buy_button(body: str, markup: str) -> None:
    """Buttons in saved HTML are disabled or enabled by scripts and size choices; on
    shops of other sites they contradicted right markup as often as wrong markup."""
    found = offer(page(body, markup))
    assert (found.availability, found.explain["availability"]) == (markup, "json-ld")


@pytest.mark.parametrize(
    ("body", "availability"),
    [
        pytest.param(f"{MAIN}<button>In winkelwagen</button>", "InStock", id="nl-button"),
        pytest.param(f"{MAIN}<button>Añadir al carrito</button>", "InStock", id="es-button"),
        pytest.param(f"{MAIN}<button>Legg i handlekurven</button>", "InStock", id="no-button"),
        pytest.param(f"{MAIN}<a class='btn' href='/buy'>Kaufen</a>", "InStock", id="verb-link"),
        pytest.param(
            f'{MAIN}<input type="submit" name="add" value="Ajouter au panier" disabled>',
            "OutOfStock",
            id="disabled-input",
        ),
        pytest.param(
            f'{MAIN}<form class="buy"><button name="add" disabled>Add to cart</button>'
            '<ul><li class="action spinner-size-s"><a href="/compare?add=9">Compare</a></li>'
            '<li class="action badge-size-lg"><a href="/wishlist?add=9">Save</a></li></ul>'
            "</form>",
            "OutOfStock",
            id="disabled-beside-styles-named-after-a-size",
        ),
        pytest.param(
            f'{MAIN}<form class="buy"><button name="add" disabled>Add to cart</button>'
            '<div class="size-s size-option"><a href="?size=s">S</a></div></form>',
            None,
            id="disabled-beside-a-size-option",
        ),
        pytest.param(
            f'{MAIN}<button name="add" class="product-form__submit">Sold out</button>',
            "OutOfStock",
            id="button-label-says-sold-out",
        ),
        pytest.param(
            f'{MAIN}<button class="add-to-cart" aria-label="Add to cart"><svg></svg></button>',
            "InStock",
            id="icon-button-by-name",
        ),
        pytest.param(
            f'{MAIN}<p class="availability">Niet op voorraad</p><button>In winkelwagen</button>',
            "OutOfStock",
            id="stock-text-before-button",
        ),
        pytest.param(
            f'{MAIN}<div class="recommendations"><p class="stock">Out of stock</p></div>'
            "<button>Add to cart</button>",
            "InStock",
            id="stock-text-of-recommended-product",
        ),
        pytest.param(
            f"{MAIN}<table><tr class='offer stock-a'><td>Shop A</td><td>Out of stock</td></tr>"
            "<tr class='offer stock-b'><td>Shop B</td><td>In stock</td></tr>"
            "<tr class='offer stock-c'><td>Shop C</td><td>In stock</td></tr></table>",
            None,
            id="rows-of-other-sellers",
        ),
        pytest.param(
            f'{MAIN}<div class="stock hidden">Sold out</div><p class="stock">In stock</p>',
            "InStock",
            id="hidden-stock-text",
        ),
        pytest.param(
            f'{MAIN}<div class="jl-focusmanager-hide"><p class="stock">Sold out</p></div>',
            "OutOfStock",
            id="hide-suffix-is-not-hidden",
        ),
        pytest.param(
            f"{MAIN}<div><div><span>Sold out</span><br>We do not know when it will be back."
            '</div><div><p><a href="/p/k10">Kettle 10</a> <em>In stock</em></p></div>'
            "<div><aside><small>In stock</small></aside></div></div>",
            "OutOfStock",
            id="unnamed-sold-out-line-beside-unlike-blocks",
        ),
        pytest.param(
            f"{MAIN}<button>Add to cart</button><table>"
            "<tr class='stock stock--out'> <td><a href='/p/kettle-9-red'>Kettle, red</a></td>"
            " <td>Out of stock, back in 2 weeks</td> <td>42,90 €</td> </tr></table>",
            "InStock",
            id="stock-word-in-a-row-with-its-own-price",
        ),
        pytest.param(
            f"{MAIN}<div class='stock-note'>Out of stock: 3 left next week</div>",
            "OutOfStock",
            id="stock-line-with-a-count",
        ),
        pytest.param(f"{MAIN}<section>{CARDS}</section>", None, id="cards-only"),
    ],
)
def test_visible_availability_without_markup(body: str, availability: str | None) -> None:
    assert_read_from_page(body, availability)


def unread_cards(stock_class: str) -> str:
    """Four product cards, each with a stock line in made-up words of ``stock_class``."""
    cards = "".join(
        f'<li class="card"><a href="/p/{n}">Gulbi {n}</a><span class="{stock_class}">Nuvo</span>'
        "</li>"
        for n in range(4)
    )
    return f"<ul>{cards}</ul>"


# A product page in a language no label list knows (made-up words), with its code shown.
UNREAD = "<h1>Vazo gulbi 12</h1><p>Kodo: VG-12</p>"
UNREAD_LINE = '<div id="availability"><span>Nuvo zentari. Ma klofte wen tavo.</span></div>'


@pytest.mark.parametrize(
    ("body", "availability"),
    [
        pytest.param(
            f'{UNREAD}{UNREAD_LINE}<form action="/cart/add"><input type="hidden" name="id"'
            ' value="12"><a href="/wishlist">Listo</a></form>',
            "OutOfStock",
            id="stock-line-without-price-or-buy-button",
        ),
        pytest.param(
            f"{UNREAD}<div><div class='stock-info'>Nuvo zentari.</div></div>",
            "OutOfStock",
            id="nested-stock-line-without-price-or-buy-button",
        ),
        pytest.param(
            f"{UNREAD}<div class='x9e01' data-testid='availability'>Nuvo zentari.</div>",
            "OutOfStock",
            id="stock-line-named-by-its-test-id-only",
        ),
        pytest.param(
            f'{UNREAD}{UNREAD_LINE}<form action="/cart/add">'
            '<button class="add-to-cart" type="submit">Pulo</button></form>',
            "InStock",
            id="buy-button-says-it-can-be-bought",
        ),
        pytest.param(
            f'{UNREAD}{UNREAD_LINE}<span class="price">12,50 €</span>',
            None,
            id="shown-price-says-it-can-be-bought",
        ),
        pytest.param(
            f'{UNREAD}<div id="availability">In stock</div>',
            "InStock",
            id="stock-line-reads-buyable",
        ),
    ],
)
def test_unpriced_product_without_buy_button(body: str, availability: str | None) -> None:
    """No price and no buy button beside a stock line: the product cannot be bought, in
    whatever language the line is written; a price, a buy button or a line that reads as
    buyable say otherwise."""
    assert_read_from_page(body, availability)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(UNREAD, id="no-stock-line"),
        pytest.param(f"{UNREAD}{unread_cards('stock')}", id="stock-lines-of-product-cards"),
    ],
)
def test_unpriced_page_without_stock_line_or_buy_button_offers_nothing(body: str) -> None:
    """A heading and a labelled code, no price, no stock line of its own, no buy button:
    nothing says anything is offered (the code, not in the URL, may be a post's id), so
    no offer, and no availability."""
    assert extract_auto(page(body), URL).offers == []


UNREAD_PRICED = f'{UNREAD}<span class="price">12,50 €</span>'


@pytest.mark.parametrize(
    ("body", "availability"),
    [
        pytest.param(
            f'{UNREAD_PRICED}<div class="stock-status stock-status--error">Nuvo zentari</div>',
            "OutOfStock",
            id="error-status-modifier",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<p id="availability"><span class="text-danger">Nuvo zentari</span>'
            "</p>",
            "OutOfStock",
            id="danger-colour-of-a-shown-child",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<p class="availability text-success">Zentari pulo</p>',
            "InStock",
            id="success-colour",
        ),
        pytest.param(
            f'{UNREAD}<p class="availability"><span class="color-green">Zentari pulo vo</span></p>',
            "InStock",
            id="success-colour-without-price-or-buy-button",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<p class="availability"><span class="msg-error" hidden>Nuvo</span>'
            "<span>Zentari pulo</span></p>",
            None,
            id="hidden-error-message",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<p class="availability"><span class="badge-success">Pulo</span>'
            '<span class="badge-danger">Nuvo</span></p>',
            None,
            id="both-colours",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<p class="availability state-error">In stock</p>',
            "InStock",
            id="words-that-read-win",
        ),
        pytest.param(
            f"{UNREAD_PRICED}{unread_cards('stock stock--error')}",
            None,
            id="error-colour-of-product-cards",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<div class="availability out">Nuvo zentari</div>',
            "OutOfStock",
            id="out-state-class",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<p class="stock-code">Kodo: VG-12</p>'
            '<div class="stock-status"><span class="sold">Nuvo</span></div>',
            "OutOfStock",
            id="sold-state-after-a-stock-code",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<div class="stock"><span class="sold">1200 nuvo</span></div>',
            None,
            id="count-of-sales-is-no-state",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<table><tr class="stock_OUT_OF_STOCK"><td>Vazo 8</td>'
            "<td>9,90 €</td></tr></table>",
            None,
            id="an-offer-row-with-its-own-price",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<div class="availability not-available">Nuvo zentari</div>',
            None,
            id="available-is-no-status-word",
        ),
    ],
)
def test_stock_line_status_colour(body: str, availability: str | None) -> None:
    """A stock line whose words no label list reads tells its state by the status words
    of its class names (a UI's success / error colours), whatever the page's language."""
    assert_read_from_page(body, availability)


_CARD = '<div class="card"><p class="stock">In stock</p></div>'
# (body, the stock text's (state, text), the stock line's (text, state, by status colour)):
# what the two readers gave when each walked the page's named elements on its own.
_STOCK_WALKS = [
    pytest.param(
        '<h1>Kettle</h1><p class="stock">In stock</p>',
        ("InStock", "In stock"),
        ("In stock", "InStock", False),
        id="one-line-for-both",
    ),
    pytest.param(
        '<h1>Kettle</h1><p class="availability text-success">Zentari pulo</p>',
        None,
        ("Zentari pulo", "InStock", True),
        id="unread-words-status-colour",
    ),
    pytest.param(
        '<h1>Kettle</h1><p class="availability">In stock and ready to ship from our warehouse'
        ' today</p><p class="stock">Sold out</p>',
        ("OutOfStock", "Sold out"),
        ("In stock and ready to ship from our warehouse today", "InStock", False),
        id="line-before-the-text",
    ),
    pytest.param(
        '<h1>Kettle</h1><p class="stock">In stock: 12,99 €</p>',
        None,
        ("In stock: 12,99 €", "InStock", False),
        id="an-amount-makes-an-offer-not-a-text",
    ),
    pytest.param(
        '<h1>Kettle</h1><span class="stock"></span><p class="stock-note">Pulo vo</p>',
        None,
        ("Pulo vo", None, True),
        id="empty-element-passed-over",
    ),
    pytest.param(
        '<header><p class="stock">Out of stock</p></header><h1>Kettle</h1>',
        None,
        None,
        id="page-chrome",
    ),
    pytest.param(f"<h1>Kettle</h1><div>{_CARD * 3}</div>", None, None, id="list-of-cards"),
    pytest.param(
        '<h1>Kettle</h1><p class="stock" hidden>Sold out</p><p class="stock">In stock</p>',
        ("InStock", "In stock"),
        ("In stock", "InStock", False),
        id="hidden-passed-over",
    ),
    pytest.param(
        '<h1>Kettle</h1><p class="stock">' + "word " * 25 + '</p><p class="availability">'
        "Out of stock</p>",
        ("OutOfStock", "Out of stock"),
        ("Out of stock", "OutOfStock", False),
        id="too-many-words-for-either",
    ),
    pytest.param('<h1>Kettle</h1><p class="note">Out of stock</p>', None, None, id="no-stock-name"),
]


@pytest.mark.parametrize(("body", "text", "line"), _STOCK_WALKS)
@pytest.mark.parametrize("text_first", [True, False], ids=["text-first", "line-first"])
def test_stock_text_and_line_share_one_walk(
    body: str,
    text: tuple[str, str] | None,
    line: tuple[str, str | None, bool] | None,
    text_first: bool,
) -> None:
    """The stock text and the stock line read one walk of the page's stock-named elements
    (whichever reads first, and however far it went) and find what each found on its own."""
    root = lxml.html.fromstring(f"<html><body>{body}</body></html>")
    stock = StockNamed(root.iter())
    if text_first:
        found_text, found_line = stock_text(stock), stock_line(stock)
    else:
        found_line, found_text = stock_line(stock), stock_text(stock)
    assert (found_text[:2] if found_text else None) == text
    assert (
        (found_line.text, found_line.state, found_line.by_status) if found_line else None
    ) == line


def test_stock_line_place_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line that is both the stock text and the stock line is placed on the page (chrome,
    lists of blocks) once."""
    judged: list[object] = []
    main_area = visible_availability.main_area

    def counted(element: lxml.html.HtmlElement) -> bool:
        judged.append(element)
        return main_area(element)

    monkeypatch.setattr(visible_availability, "main_area", counted)
    root = lxml.html.fromstring('<html><body><h1>Kettle</h1><p class="stock">In stock</p></body></html>')  # fmt: skip
    stock = StockNamed(root.iter())
    assert stock_text(stock) is not None
    assert stock_line(stock) is not None
    assert len(judged) == 1


_NESTED = (
    "<html><body><div id=a><p>1<b>2</b></p><p class=x>3</p></div><h1>Kettle</h1>"
    "<div><span>4<i>5</i></span><ul><li>6</li><li itemprop=name>7<em>8</em></li></ul></div>"
    "<footer><p>9</p></footer></body></html>"
)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 150])
def test_near_elements_are_xpath_axes(count: int) -> None:
    """The elements before and after one, read by walking the tree only as far as needed,
    are XPath's ``preceding::*`` and ``following::*`` (ancestors and descendants left out,
    document order), for every element of a nested page."""
    root = lxml.html.fromstring(_NESTED)
    preceding = lxml.etree.XPath("preceding::*[position() <= $n]")
    following = lxml.etree.XPath("following::*[position() <= $n]")
    for element in root.iter():
        assert visible_availability._preceding(element, count) == preceding(element, n=count)
        assert visible_availability._following(element, count) == following(element, n=count)


@pytest.mark.parametrize(
    ("body", "availability"),
    [
        pytest.param(
            f'{UNREAD_PRICED}<button class="notify">Zentari pulo</button>',
            "OutOfStock",
            id="notify-button-where-the-buy-button-was",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<a class="btn back-in-stock" href="#">Zentari pulo</a>',
            "OutOfStock",
            id="back-in-stock-link",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<form action="/product/notify"><input type="email" name="e">'
            "<button>Pulo</button></form>",
            "OutOfStock",
            id="notify-me-form",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<form class="wpforms"><input type="email" name="e">'
            "<button>Pulo</button></form>",
            None,
            id="bare-e-mail-field-is-no-notify-me",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<a class="price-notify" href="#">Zentari pulo</a>',
            None,
            id="price-drop-alert-is-no-notify-me",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<button class="notify" hidden>Zentari</button>'
            '<button class="add-to-cart">Pulo</button>',
            "InStock",
            id="hidden-notify-button",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<button class="add-to-cart">Pulo</button>'
            '<button class="notify">Zentari</button>',
            "InStock",
            id="enabled-buy-button-outweighs-it",
        ),
        pytest.param(
            f'{UNREAD_PRICED}<a class="btn-addtocart btn-disable" href="#">Pulo</a>',
            "OutOfStock",
            id="disabled-by-a-disable-class",
        ),
    ],
)
def test_unread_buy_box_state(body: str, availability: str | None) -> None:
    """Without markup or words that read, the buy box's controls tell the state: a
    notify-me control (by its names) says the product cannot be bought, unless an enabled
    buy button says it can; a disabled buy button says it cannot."""
    assert_read_from_page(body, availability)


def test_notify_me_control_does_not_overrule_markup() -> None:
    body = f'{UNREAD_PRICED}<button class="notify">Zentari pulo</button>'
    assert offer(page(body, "InStock")).availability == "InStock"

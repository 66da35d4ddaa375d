"""General cues that replaced site-fitted lists: name words, labels in many languages,
product codes in URLs, hidden button text. Small self-written pages, table tests."""

from __future__ import annotations

import lxml.html
import pytest

from spiders.extract.heuristics import labelled_identifier_pairs
from spiders.extract.identifiers import url_id_tokens
from spiders.extract.page_regions import shown_text
from spiders.extract.script_product import script_product
from spiders.extract.visible_availability import button_label, is_cart_control
from spiders.extract.visible_price import names_say_current, names_say_not_current


@pytest.mark.parametrize(
    ("names", "not_current"),
    [
        ("price price--old", True),
        ("oldPrice", True),
        ("list-price", True),
        ("price-compare-at", True),
        ("gold-edition price", False),  # "old" inside a word says nothing
        ("product-list price", False),  # a list of products, not a list price
        ("price-range-slider", False),
        ("min-height price", False),
        ("washable price", False),
        ("price per-unit", True),
    ],
)
def test_names_say_not_current(names: str, not_current: bool) -> None:
    assert names_say_not_current(names) is not_current


@pytest.mark.parametrize(
    ("names", "current"),
    [("price price--sale", True), ("finalPrice", True), ("news-price", False)],
)
def test_names_say_current(names: str, current: bool) -> None:
    assert names_say_current(names) is current


@pytest.mark.parametrize(
    ("html", "pairs"),
    [
        ("<span>SKU: AB-1234</span>", [("AB-1234", True)]),
        ("<li>Artikelnummer: 778899</li>", [("778899", True)]),
        ("<dd>Артикул: 55123</dd>", [("55123", True)]),
        ("<span>货号：XK2201</span>", [("XK2201", True)]),
        ("<span>Ürün kodu: TR4455</span>", [("TR4455", True)]),
        ("<span>Model: QX-900</span>", [("QX-900", False)]),
        ("<li><strong>Product code - </strong>4411220</li>", [("4411220", True)]),
        ("<p><b>Item no.</b> <span>HX-20</span></p>", [("HX-20", True)]),
        ("<span>Preferences 12345</span>", []),  # "ref" inside a word is no label
        ("<span>Product code: none</span>", []),  # an id has a digit
        # labels from the frameworks' catalogues (spiders/extract/data/shop_labels.json)
        ("<span>Prekės kodas: LT-40112</span>", [("LT-40112", True)]),
        ("<span>Toote kood: EE9001</span>", [("EE9001", True)]),
        ("<span>ΚΩΔΙΚΟΣ ΠΡΟΪΟΝΤΟΣ: GR-7781</span>", [("GR-7781", True)]),  # capitals drop accents
        ("<span>Код продукта: 778899</span>", [("778899", True)]),
        ("<span>Lagerkode 55-1234</span>", [("55-1234", True)]),
        ("<span>Ürün özellikleri: 100% pamuk</span>", []),  # a mistranslated "SKU", left out
    ],
)
def test_labelled_identifiers_in_many_languages(html: str, pairs: list[tuple[str, bool]]) -> None:
    root = lxml.html.fromstring(f"<html><body>{html}</body></html>")
    assert labelled_identifier_pairs(root) == pairs


@pytest.mark.parametrize(
    ("url", "tokens"),
    [
        ("https://shop.test/p/blue-kettle/QX7730B2", ["QX7730B2"]),
        ("https://shop.test/item?id=AB12345", ["AB12345", "12345"]),
        ("https://shop.test/p/infinix-hot-10-6128/", []),  # slug numbers are not codes
        ("https://shop.test/p/kettle-889911", ["889911"]),
        ("https://shop.test/p/ABCDEFGH", []),  # no digits: a word
    ],
)
def test_url_id_tokens(url: str, tokens: list[str]) -> None:
    assert url_id_tokens(url) == tokens


@pytest.mark.parametrize(
    ("html", "label", "cart"),
    [
        ('<button>Add to cart<span hidden>Sold out</span></button>', "Add to cart", True),
        ('<button><span style="display: none">Out</span>In den Warenkorb</button>', "In den Warenkorb", True),
        ("<button>加入购物车</button>", "加入购物车", True),
        ("<button>Sepete ekle</button>", "Sepete ekle", True),
        ("<button>Show more</button>", "Show more", False),
    ],
)  # fmt: skip
def test_cart_button_label_without_hidden_text(html: str, label: str, cart: bool) -> None:
    button = lxml.html.fragment_fromstring(html)
    assert (button_label(button), is_cart_control(button)) == (label, cart)


def test_shown_text_keeps_tails_of_hidden_children() -> None:
    element = lxml.html.fragment_fromstring('<p>a<b class="hidden">x</b>b<i>c</i></p>')
    assert shown_text(element) == "abc"


@pytest.mark.parametrize(
    ("values", "name", "sku"),
    [
        ([{"product": {"name": "Kettle 2 L", "sku": "KT-2"}}], "Kettle  2 L", "KT-2"),
        (
            [{"items": [{"name": "Mug", "sku": "M-1"}, {"name": "Kettle", "sku": 4711}]}],
            "Kettle",
            "4711",
        ),
        ([{"sku": "A-100"}, [{"sku": "A-100"}]], "Other name", "A-100"),  # one sku throughout
        ([{"sku": "A-100"}, {"sku": "B-200"}], "Other name", None),  # several, none named
        ([{"sku": "a b c"}], None, None),  # not an id
        ([{"sku": True}], None, None),
        ([], "Kettle", None),
    ],
)
def test_script_state_sku(values: list[object], name: str | None, sku: str | None) -> None:
    assert script_product(values, name).code == sku


@pytest.mark.parametrize(
    ("html", "pairs"),
    [
        ("<span>Art.-Nr.: 40-1177</span>", [("40-1177", True)]),
        ("<span>Art Nr 551200</span>", [("551200", True)]),
        ("<span>Réf. : FR-2231</span>", [("FR-2231", True)]),
        ("<span>Codigo del producto: 88123</span>", [("88123", True)]),  # accent left out
        ("<span>Part number: PN-4402</span>", [("PN-4402", False)]),
    ],
)
def test_hand_written_code_labels_from_the_table(html: str, pairs: list[tuple[str, bool]]) -> None:
    """The hand-written labels live in the shop-label table beside the catalogues'."""
    root = lxml.html.fromstring(f"<html><body>{html}</body></html>")
    assert labelled_identifier_pairs(root) == pairs


@pytest.mark.parametrize(
    ("label", "cart"),
    [
        ("Dodaj do koszyka", True),
        ("W koszyku", True),  # a stem: "koszyk*" takes its inflections
        ("Sepete ekle", True),
        ("Kjøp", True),  # a buying verb that is the whole label
        ("Kjøp gavekort til en venn", False),  # not the whole label
        ("Cartridge 2-pack", False),  # "cart" is a whole word, not a prefix
    ],
)
def test_cart_labels_from_the_table(label: str, cart: bool) -> None:
    button = lxml.html.fromstring(f"<button>{label}</button>")
    assert is_cart_control(button) is cart


@pytest.mark.parametrize(
    ("body", "title", "name"),
    [
        # the cart's status messages come first in the markup; the title names the product
        (
            "<h1>Adding to cart...</h1><h1>Added</h1><h1>Fjord Kettle 1.7 l, steel</h1>",
            "Fjord Kettle 1.7 l, steel : Home",
            "Fjord Kettle 1.7 l, steel",
        ),
        (
            "<h1>Mon compte</h1><h1>Bouilloire <b>Fjord</b> 1,7 l</h1>",
            "Bouilloire Fjord 1,7 l - noir | Boutique",
            "Bouilloire Fjord 1,7 l",
        ),
        # style and svg text inside a heading is no name; a line break is a space
        (
            "<h1><svg><style>.a{fill:#040}</style></svg>Fjord<br>Kettle</h1>",
            "Anything",
            "Fjord Kettle",
        ),
        ("<h1>Fjord Kettle</h1>", "Another page", "Fjord Kettle"),  # one heading: it
        ("<h1>First</h1><h1>Second</h1>", "", "First"),  # no title: the first
        ("<h1>First</h1><h1>Second</h1>", "Unrelated words", "First"),  # a tie: the first
        # no <h1>: the main heading (``page_heading``); a list's heading is none
        ("<div><h2>Fjord Kettle 1.7 l</h2><p>49 €</p></div>", "Fjord Kettle", "Fjord Kettle 1.7 l"),
        ("<h2>You may also like</h2><ul><li>Mug</li></ul>", "Fjord Kettle", ""),
    ],
)
def test_heading_name_is_the_heading_the_title_names(body: str, title: str, name: str) -> None:
    from spiders.extract.heuristics import heading_name

    page = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    assert heading_name(lxml.html.fromstring(page)) == name


def test_a_page_without_markup_is_named_by_its_title_s_heading() -> None:
    from spiders.extract.auto import extract_auto

    page = (
        "<html><head><title>Fjord Kettle 1.7 l | Shop</title></head><body>"
        "<div class='cart-status'><h1>Adding to cart...</h1></div>"
        "<main><h1>Fjord Kettle 1.7 l</h1><span class='price'>49,90 €</span>"
        "<button>Add to cart</button></main></body></html>"
    )
    offers = extract_auto(page.encode(), "http://127.0.0.1/p/fjord-kettle").offers
    assert [offer.name for offer in offers[:1]] == ["Fjord Kettle 1.7 l"]


def test_shown_codes_read_the_same_from_the_page_texts_listed_once() -> None:
    # One listing of the short texts serves the label reader and the code candidates: the
    # same candidates as each reader's own XPath, tails, options and text boxes included.
    from spiders.extract.heuristics import page_short_texts, shown_identifiers
    from spiders.extract.shown_codes import shown_code_candidates

    root = lxml.html.fromstring(
        "<html><head><title>Kettle KT-300</title></head><body><h1>Kettle KT-300</h1>"
        "<p>Art.-Nr.: <b>AB-1234</b> tail 99887766</p><select><option>OPT-5555</option>SE-9999</select>"
        "<div><option><b>y</b>OP-8888</option></div>"
        "<p><b>x</b>ZZ-7777</p><textarea>TX-4444</textarea><span> 7 </span>"
        "<p>Model <i>MX-2020</i></p><p>" + "long text 12345 " * 10 + "</p></body></html>"
    )
    texts = page_short_texts(root)
    assert shown_identifiers(root, texts) == shown_identifiers(root)
    labelled = dict(shown_identifiers(root)[0])
    listed = shown_code_candidates(
        root, "https://shop.test/p/kt-300", (), labelled, page_texts=texts
    )
    own = shown_code_candidates(root, "https://shop.test/p/kt-300", (), labelled)
    assert [(c.value, c.order, c.features, c.element) for c in listed] == [
        (c.value, c.order, c.features, c.element) for c in own
    ]
    assert "OPT-5555" not in {c.value for c in own} and "ZZ-7777" in {c.value for c in own}


@pytest.mark.parametrize(
    ("html", "contact"),
    [
        ('<p>Art: AB-1234 <a href=" tel:+4912345">call</a></p>', 1.0),  # a link beside it
        ('<div><p>Art: AB-1234</p><div><a href="mailto:a@b.test">mail</a></div></div>', 1.0),
        ('<div><div><p>Art: AB-1234</p></div><div><i><a href="tel:1">x</a></i></div></div>', 0.0),
        ('<p>Art: AB-1234 <a href="/contact">contact</a></p>', 0.0),
    ],
)
def test_a_code_beside_a_contact_link_is_in_a_contact_block(html: str, contact: float) -> None:
    from spiders.extract.shown_codes import shown_code_candidates

    root = lxml.html.fromstring(f"<html><body><h1>Kettle</h1>{html}</body></html>")
    (code,) = [c for c in shown_code_candidates(root, "https://shop.test/p/k", named_only=True)]
    assert (code.value, code.features["contact"]) == ("AB-1234", contact)

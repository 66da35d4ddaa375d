"""Shop labels (``shop_labels.json``: the hand-written source and the frameworks'
translation catalogues): read on pages in languages the hand-written source does not cover,
and the build's rules for short, ambiguous and negated phrases."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.availability import normalize_availability
from spiders.extract.shop_labels import HAND, ROLES, fold_label, phrase_pattern, shop_labels
from spiders.extract.visible_availability import is_cart_control
from tests.benchmark_scripts import load_benchmark

build = load_benchmark("build_shop_labels")


def _page(lang: str, title: str, price: str, stock: str, code: str, button: str = "") -> bytes:
    """A product page without markup: heading, price, a stock line, a labelled code."""
    return f"""<html lang="{lang}"><head><title>{title}</title></head><body>
    <header><nav><a href="/">Home</a></nav></header>
    <main><div class="product">
      <h1>{title}</h1>
      <div class="price">{price}</div>
      <p class="availability">{stock}</p>
      <ul class="details"><li>{code}</li><li>100% bavlna</li></ul>
      {button}
    </div></main></body></html>""".encode()


@pytest.mark.parametrize(
    ("lang", "stock", "code", "availability", "sku"),
    [
        ("cs", "Není k dispozici", "Kód produktu: CZ-4411", "OutOfStock", "CZ-4411"),
        ("tr", "Stokta değil", "SKU: TR-5521", "OutOfStock", "TR-5521"),
        ("el", "Σε απόθεμα", "Κωδικός προϊόντος: GR-7781", "InStock", "GR-7781"),
        ("ja", "在庫なし", "SKU：JP-1200", "OutOfStock", "JP-1200"),
        ("lt", "Nėra sandėlyje", "Prekės kodas: LT-40112", "OutOfStock", "LT-40112"),
        ("et", "Mitte saadaval", "Toote kood: EE-9001", "OutOfStock", "EE-9001"),
        ("ko", "재고 없음", "상품 코드: KR-3300", "OutOfStock", "KR-3300"),
        ("he", "לא במלאי", "SKU: IL-2020", "OutOfStock", "IL-2020"),
    ],
)
def test_unseen_language_page_reads_stock_and_code(
    lang: str, stock: str, code: str, availability: str, sku: str
) -> None:
    html = _page(lang, "Tričko Basic", "499 Kč", stock, code)
    offer = extract_auto(html, "https://shop.test/p/basic").offers[0]
    assert (offer.availability, offer.sku) == (availability, sku)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Skladem", "InStock"),
        ("Není k dispozici", "OutOfStock"),  # negation carried over from "není skladem"
        ("Stokta", "InStock"),
        ("Stokta değil", "OutOfStock"),
        ("Σε απόθεμα", "InStock"),
        ("Μη διαθέσιμο", "OutOfStock"),
        ("在庫あり", "InStock"),
        ("在庫なしです", "OutOfStock"),  # unspaced scripts match inside a sentence
        ("Pas de stock disponible", "OutOfStock"),  # once read as "disponible"
        ("Geen voorraad beschikbaar", "OutOfStock"),
        ("Ej tillgänglig i lager", "OutOfStock"),
        ("לא במלאי", "OutOfStock"),  # the hand-written "במלאי" alone said in stock
        ("Esgotat", "OutOfStock"),
        ("Đã bán hết", "OutOfStock"),
        ("ขายหมดแล้ว", "OutOfStock"),
        ("Non dispoñible", "OutOfStock"),
        ("Vândut și livrat de Shop", None),  # a "Sold out" that says "sold", left out
        ("Satıldı", None),
        ("Laos", None),  # four letters: Estonian "in stock", and a country
        ("Orga", None),
    ],
)
def test_outside_stock_phrases(text: str, state: str | None) -> None:
    assert normalize_availability(text) == state


@pytest.mark.parametrize(
    ("label", "cart"),
    [
        ("Vložit do košíku", True),
        ("Προσθήκη στο καλάθι", True),
        ("Pridėti į krepšelį", True),
        ("カートに入れる", True),
        ("Satın al", True),
        ("Orga", False),
    ],
)
def test_outside_cart_labels(label: str, cart: bool) -> None:
    button = lxml.html.fromstring(f"<button>{label}</button>")
    assert is_cart_control(button) is cart


def test_ambiguous_word_alone_does_not_flip_markup() -> None:
    """A common word some catalogue gives for "Available" ("uygun": also "suitable",
    "affordable") beside the heading does not overrule the markup's OutOfStock."""
    markup = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Gömlek", "sku": "G-1",'
        ' "offers": {"@type": "Offer", "price": "499", "priceCurrency": "TRY",'
        ' "availability": "https://schema.org/OutOfStock"}}</script>'
    )
    html = _page("tr", "Gömlek", "499 TL", "Uygun", "SKU: G-1").replace(
        b"</head>", markup.encode() + b"</head>"
    )
    assert extract_auto(html, "https://shop.test/p/g-1").offers[0].availability == "OutOfStock"


def test_short_word_alone_sets_no_stock_state() -> None:
    html = _page("et", "Särk", "19,99 €", "Laos", "Toote kood: EE-1")
    assert extract_auto(html, "https://shop.test/p/sark").offers[0].availability is None


def test_table_is_normalised_and_filtered() -> None:
    table = shop_labels()
    assert set(table) == set(ROLES)
    for languages in table.values():
        for phrases in languages.values():
            for phrase in phrases:
                assert phrase == " ".join(phrase.split()) and phrase == phrase.lower()
                assert build.long_enough(phrase), phrase
    assert "laos" not in table["in_stock"].get("et", ())
    assert "saatavilla" not in {p for ps in table["in_stock"].values() for p in ps}


@pytest.mark.parametrize(
    ("phrase", "enough"),
    [("laos", False), ("kurv", False), ("skladem", True), ("ni na voljo", True), ("在庫", True),
     ("缺", False), ("सल", False), ("टोकरी", True)],
)  # fmt: skip
def test_long_enough(phrase: str, enough: bool) -> None:
    assert build.long_enough(phrase) is enough


def test_catalogue_phrase_used_for_another_message_is_ambiguous() -> None:
    catalogue = {
        "In stock": "Stokta",
        "Available": "Uygun",
        "Apply": "Uygun",  # the same word for an unrelated message
        "In stock (%d available)": "Stokta (%d)",
        "Move to basket": "Sepete taşı",
        "Add to basket": "Sepete ekle",
    }
    messages = {"in_stock": ("In stock", "Available"), "add_to_cart": ("Add to basket",)}
    kept, dropped = build.catalogue_phrases(catalogue, messages, {})
    assert kept == {"in_stock": {"stokta"}, "add_to_cart": {"sepete ekle"}}
    assert dropped == [("in_stock", "uygun", "also means 'Apply'")]


def test_mistranslation_is_left_out() -> None:
    catalogue = {"SKU": "Ürün özellikleri"}
    kept, dropped = build.catalogue_phrases(catalogue, {"product_code": ("SKU",)}, {"SKU": "x"})
    assert not kept and dropped[0][:2] == ("product_code", "ürün özellikleri")


def test_negation_carries_over_within_a_language() -> None:
    negated = build.negated_forms({"na sklade", "k dispozícii"}, {"nie je k dispozícii"})
    assert negated == {"nie je na sklade"}
    # a "negation" holding a positive phrase's word is no negation ("geen voorraad")
    assert build.negated_forms({"op voorraad", "beschikbaar"}, {"geen voorraad beschikbaar"}) == set()  # fmt: skip


def test_translation_of_part_of_the_message_is_ambiguous() -> None:
    catalogue = {"Sold out": "Vândut", "Sold": "Vândut", "Sold Out": "Vândut"}
    kept, dropped = build.catalogue_phrases(catalogue, {"out_of_stock": ("Sold out",)}, {})
    assert not kept and dropped == [("out_of_stock", "vândut", "also means 'Sold'")]


def test_same_phrase_for_two_states_is_ambiguous() -> None:
    conflicts = build._state_conflicts({"in_stock": {"saatavilla"}, "out_of_stock": {"saatavilla"}})
    assert set(conflicts) == {"saatavilla"}


def test_fold_label_is_nfkc_casefold_without_accents() -> None:
    assert fold_label("  ＳＫＬＡＤＥＭ\u00a0Ne_ní ") == "skladem ne ni"
    assert fold_label("ΚΩΔΙΚΟΣ") == fold_label("κωδικός")


def test_data_records_its_sources() -> None:
    data = Path(__file__).resolve().parent.parent / "spiders" / "extract" / "data"
    table = json.loads((data / "shop_labels.json").read_text(encoding="utf-8"))
    readme = (data / "README.md").read_text(encoding="utf-8")
    for source in build.SOURCES:
        assert f"{source.package} {source.version}" in table["source"]
        assert source.package in readme and source.licence in readme


def test_hand_written_phrases_are_the_tables_named_source() -> None:
    """One place: the extractors' own phrases are the table's "hand" source, as the builder
    writes it from ``HAND_LABELS`` (``build_shop_labels.py --hand-only`` rewrites it)."""
    table = shop_labels(HAND)
    assert set(table) == set(ROLES) and set(build.HAND_LABELS) <= set(ROLES)
    assert {r: {lang: list(p) for lang, p in by.items()} for r, by in table.items() if by} == (
        build.hand_labels()
    )
    assert "out of stock" in table["out_of_stock"]["en"]
    assert "ikke på lager" in table["out_of_stock"]["no"]
    assert "statt" in table["old_price"]["de"] and "sku" in table["product_code"]["en"]


@pytest.mark.parametrize(
    ("text", "found"), [("do koszyka", True), ("koszyk", True), ("ekoszyk", False), ("kosz", False)]
)
def test_stem_phrase_takes_endings_not_prefixes(text: str, found: bool) -> None:
    assert (phrase_pattern(["koszyk*"]).search(text) is not None) is found


@pytest.mark.parametrize("text", ["Uygun fiyat", "可用的颜色", "دسترس"])
def test_loose_translations_of_available_say_no_stock(text: str) -> None:
    """Catalogue words for "Available" whose everyday sense is another ("suitable",
    "usable", "access") are left out of the table (``LOOSE_WORDS``)."""
    assert normalize_availability(text) is None

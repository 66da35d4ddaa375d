"""The page's product from its script state (``spiders.extract.script_offer``), on invented
pages whose data lives in script JSON (tests/fixtures/script-state-shops, and
tests/fixtures/script-state-later written after the layer, before it ran on them; each scored
as a whole by ``benchmarks/offers_unseen_shops.py``), and the layer's rules on small pages."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from spiders.extract import script_json
from spiders.extract.auto import extract_auto
from spiders.extract.script_json import attribute_json_values, script_call_values

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = (FIXTURES / "script-state-shops", FIXTURES / "script-state-later")
FIELDS = ("price", "currency", "sku", "availability")
# Fields read wrong still, with why: a fix makes its row pass, and the strict xfail fail.
KNOWN_MISSES: dict[tuple[str, str], str] = {}


def _folders() -> list[Path]:
    return sorted(p for t in TABLES for p in t.iterdir() if (p / "expected.json").is_file())


def _rows() -> list[Any]:
    """One row per page and field; a known miss is a strict xfail."""
    return [
        pytest.param(
            folder,
            field,
            marks=[
                pytest.mark.xfail(reason=KNOWN_MISSES[folder.name, field], strict=True)
                for _ in range((folder.name, field) in KNOWN_MISSES)
            ],
            id=f"{folder.name}-{field}",
        )
        for folder in _folders()
        for field in FIELDS
    ]


def _page(folder: Path) -> tuple[Any, dict[str, Any]]:
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return extract_auto((folder / "page.html").read_bytes(), url), expected


@pytest.mark.parametrize(("folder", "field"), _rows())
def test_script_state_page_field(folder: Path, field: str) -> None:
    page, expected = _page(folder)
    want = expected["offers"][0]
    got = vars(page.offers[0]).get(field) if page.offers else None
    if field == "price":
        assert got is not None and Decimal(got) == Decimal(want["price"])
    elif field == "availability":
        assert (got or "InStock") == want["availability"]
    else:
        assert got == want[field]


@pytest.mark.parametrize(
    "folder", [f for f in _folders() if "variants" in json.loads((f / "expected.json").read_text())]
)
def test_script_state_variants(folder: Path) -> None:
    page, expected = _page(folder)
    got = [(o.sku, Decimal(o.price), o.availability or "InStock") for o in page.offers[1:]]
    want = [(v["sku"], Decimal(v["price"]), v["availability"]) for v in expected["variants"]]
    assert got == want
    assert all(o.explain.get("price") == "embedded-json" for o in page.offers[1:])


def _shell(state: str, body: str = "", title: str = "Brass Lamp – Shop") -> str:
    return (
        f"<html><head><title>{title}</title></head><body><h1>Brass Lamp</h1>{body}"
        f"<script>window.__STATE__ = {state};</script></body></html>"
    )


def _offer(html: str, url: str = "https://shop.example/brass-lamp") -> Any:
    page = extract_auto(html, url)
    return page.offers[0] if page.offers else None


_LAMP = '{"product": {"name": "Brass Lamp", "sku": "BL-1", "price": 12900, "currency": "EUR"}}'


def test_integer_price_kept_without_evidence_of_cents() -> None:
    offer = _offer(_shell(_LAMP))
    assert offer.price == "12900" and offer.explain["price"] == "embedded-json"


def test_integer_price_read_as_cents_when_the_page_shows_it_so() -> None:
    offer = _offer(_shell(_LAMP, '<p class="p">129,00 €</p>'))
    assert Decimal(offer.price) == Decimal("129.00")


def test_integer_price_read_as_cents_with_a_money_format() -> None:
    html = _shell(_LAMP).replace(
        "</body>", '<script>var f = {"money_format": "€{{amount}}"};</script></body>'
    )
    assert Decimal(_offer(html).price) == Decimal("129.00")


def test_integer_price_shown_as_it_is_stays() -> None:
    offer = _offer(_shell(_LAMP, "<p>12 900 €</p>"))
    assert Decimal(offer.price) == Decimal("12900")


def test_list_price_is_not_the_price() -> None:
    state = '{"p": {"title": "Brass Lamp", "id": "x1", "regularPrice": 99, "finalPrice": 79}}'
    assert Decimal(_offer(_shell(state)).price) == Decimal("79")


def test_markup_price_wins_over_the_state() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Brass Lamp", '
        '"offers": {"price": "99.00", "priceCurrency": "EUR"}}</script>'
    )
    offer = _offer(_shell(_LAMP, ld))
    assert offer.price == "99.00" and offer.explain["price"] == "json-ld"


def test_state_product_not_named_by_the_page_is_not_read() -> None:
    state = '{"related": [{"name": "Oak Table", "sku": "OT-1", "price": 350.0}]}'
    offer = _offer(_shell(state))
    assert offer is None or offer.explain.get("price") != "embedded-json"


def test_call_arguments_read() -> None:
    root = lxml.html.fromstring(
        "<html><body><script>gtag('event', 'view_item', {\"items\": [1]});"
        'dataLayer.push({"a": {"b": 2}}); f(x, {"no": 1});</script></body></html>'
    )
    assert script_call_values(root) == [{"items": [1]}, {"a": {"b": 2}}]


def test_attribute_json_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    root = lxml.html.fromstring(
        "<html><body><form data-v='[{\"a\": 1}]' data-w='{\"b\": 2}' title='[1]'></form></body></html>"
    )
    assert attribute_json_values(root) == [[{"a": 1}], {"b": 2}]
    monkeypatch.setattr(script_json, "MAX_ATTRIBUTE_CHARS", 5)
    assert attribute_json_values(root) == []


_HOODIE = (
    '{"product": {"id": 500, "name": "Brass Lamp", "variants": ['
    '{"id": 501, "sku": "BL-S", "price": 25.5, "available": true},'
    '{"id": 502, "sku": "BL-M", "price": 27.5, "available": true}]}}'
)


@pytest.mark.parametrize(
    ("body", "url"),
    [
        # The buy form's hidden variant field: what the cart is sent.
        (
            '<form action="/cart/add"><input type="hidden" name="id" value="502">'
            "<button>Add</button></form>",
            "https://shop.example/brass-lamp",
        ),
        # A selected option naming the variant by its id (a control: read on main too).
        (
            '<select name="id"><option value="501">S</option>'
            '<option value="502" selected>M</option></select>',
            "https://shop.example/brass-lamp",
        ),
        # A query value other than "variant=".
        ("", "https://shop.example/brass-lamp?variation_id=502"),
        # The variant named by its sku, not its id (one list of variant id keys).
        ("", "https://shop.example/brass-lamp?sku=BL-M"),
    ],
    ids=["buy-form-field", "selected-option", "other-query-key", "named-by-sku"],
)
def test_state_variant_chosen_as_the_page_shows_it(body: str, url: str) -> None:
    """One reading of the chosen variant (``variant_choice.chosen_values``) for the state's
    variants and the markup's: its address's query, its buy form, its chosen controls."""
    offer = _offer(_shell(_HOODIE, body), url)
    assert (offer.variant_sku or offer.sku, Decimal(offer.price)) == ("BL-M", Decimal("27.5"))


def test_state_stock_flag_says_more_than_its_count() -> None:
    """A product that can be ordered with none in stock (a backorder) is in stock,
    whichever key the state writes first."""
    state = (
        '{"product": {"name": "Brass Lamp", "sku": "BL-1", "price": 129.5, '
        '"inventory": {"quantity": 0, "backorderable": true}}}'
    )
    assert _offer(_shell(state)).availability == "InStock"


def test_named_state_price_read_as_cents_on_evidence() -> None:
    """The price behind 0 placeholders (an object named like the product, without an id)
    is read as the state layer reads prices: cents only on evidence, here a money format."""
    state = '{"product": {"title": "Brass Lamp", "salePrice": 12900, "currency": "EUR"}}'
    html = _shell(state, '<p class="price">0,00 €</p><button>Add</button>').replace(
        "</body>", '<script>var f = {"money_format": "€{{amount}}"};</script></body>'
    )
    offer = _offer(html)
    assert (Decimal(offer.price), offer.currency) == (Decimal("129.00"), "EUR")


def test_chosen_state_variant_price_in_cents_replaces_the_layouts() -> None:
    """The chosen variant's integer price, shown divided by 100, replaces the price the
    layout read first (a regular price the markup keeps, hidden by hashed class names)."""
    variants = (
        '[{"id": 71, "sku": "BL-1", "price": 2999, "compare_at_price": 3999},'
        ' {"id": 72, "sku": "BL-2", "price": 3499, "compare_at_price": 3999}]'
    )
    body = (
        '<div class="x1"><span class="x2">39,99 $</span></div><div class="x3">34,99 $</div>'
        f'<script type="application/json">{variants}</script><button>Add</button>'
    )
    page = extract_auto(_shell("{}", body), "https://shop.example/brass-lamp?variant=72")
    assert Decimal(page.offers[0].price) == Decimal("34.99")


# An integer state price on a page that shows no price: the state's own written price (a
# formatted string, an HTML snippet beside the number) says whether the integer is cents.
# (row, state, whether the page carries a {{amount}} money format, the price to read)
WRITTEN_PRICE_ROWS = [
    ("formatted-sibling-cents",
     '{"product": {"name": "Brass Lamp", "sku": "BL-1", "price": 129900, '
     '"priceFormatted": "1 299,00 €", "currency": "EUR"}}', False, "1299.00"),
    ("nested-amount-formatted-cents",
     '{"product": {"name": "Brass Lamp", "sku": "BL-1", "price": {"amount": 4990, '
     '"formatted": "$49.90", "currencyCode": "USD"}}}', False, "49.90"),
    ("display-string-cents",
     '{"item": {"title": "Brass Lamp", "id": 77, "salePrice": 34900, '
     '"displayPrice": "349,00 kr", "currency": "SEK"}}', False, "349.00"),
    ("price-html-whole-units-despite-a-money-format",
     '{"product": {"name": "Brass Lamp", "sku": "BL-1", "price": 1290, '
     '"price_html": "<span class=\\"amount\\">1 290 Kč</span>", "currency": "CZK"}}', True, "1290"),
    ("no-written-price-stays-as-it-is",  # a control: nothing says cents (as on main)
     '{"product": {"name": "Brass Lamp", "sku": "BL-1", "price": 1280, "currency": "TWD"}}',
     False, "1280"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "money_format", "want"),
    [pytest.param(*row[1:], id=row[0]) for row in WRITTEN_PRICE_ROWS],
)
def test_integer_state_price_read_by_the_states_written_price(
    state: str, money_format: bool, want: str
) -> None:
    html = _shell(state)
    if money_format:
        html = html.replace("</body>", '<script>var f = {"money_format": "{{amount}} Kč"};</script></body>')  # fmt: skip
    offer = _offer(html)
    assert offer.explain["price"] == "embedded-json" and Decimal(offer.price) == Decimal(want)

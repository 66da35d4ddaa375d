"""Availability as weighed evidence: the markup, the script state's variants, a stock text
near the product heading and the buy button. Hand-written snippets, one per form."""

from __future__ import annotations

import json

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.script_product import script_product
from spiders.extract.visible_availability import AvailabilityEvidence, weigh_availability

URL = "https://shop.example.com/p/boot-4"
MAIN = '<h1>Chelsea boot</h1><span class="price">136,00 €</span>'


def page(body: str, availability: str | None = None, state: object = None) -> str:
    head = ""
    if availability is not None:
        head += (
            '<script type="application/ld+json">{"@type": "Product", "name": "Chelsea boot",'
            ' "sku": "B4", "offers": {"@type": "Offer", "price": "136.00",'
            f' "priceCurrency": "EUR", "availability": "https://schema.org/{availability}"}}}}'
            "</script>"
        )
    if state is not None:
        head += f'<script type="application/json" id="state">{json.dumps(state)}</script>'
    return f"<html><head>{head}</head><body>{body}</body></html>"


def sizes(*available: object, key: str = "available") -> dict[str, object]:
    return {"product": {"skus": [{"id": f"B4-{n}", key: a} for n, a in enumerate(available)]}}


@pytest.mark.parametrize(
    ("body", "markup", "state", "expected"),
    [
        pytest.param(
            MAIN,
            "OutOfStock",
            sizes(False, True, False),
            ("InStock", "embedded-json"),
            id="one-size-available-outweighs-markup",
        ),
        pytest.param(
            MAIN,
            "OutOfStock",
            sizes(False, False),
            ("OutOfStock", "json-ld"),
            id="no-size-available-agrees",
        ),
        pytest.param(
            MAIN,
            "InStock",
            sizes(False, False),
            ("InStock", "json-ld"),
            id="in-stock-markup-not-read-against-the-state",
        ),
        pytest.param(
            MAIN,
            "OutOfStock",
            {
                "skus": [
                    {"id": 1, "availability": {"stockLevel": 0, "availableToOrder": True}},
                    {"id": 2, "availability": {"stockLevel": 0, "availableToOrder": False}},
                ]
            },
            ("InStock", "embedded-json"),
            id="nested-stock-object",
        ),
        pytest.param(
            MAIN, "OutOfStock", sizes(True), ("OutOfStock", "json-ld"), id="one-variant-is-no-list"
        ),
        pytest.param(
            MAIN,
            "OutOfStock",
            sizes(True, False, key="soldOut"),
            ("InStock", "embedded-json"),
            id="sold-out-flag-read-negated",
        ),
        pytest.param(MAIN, None, sizes(False, True), ("InStock", "embedded-json"), id="no-markup"),
        pytest.param(
            MAIN,
            "OutOfStock",
            {"variants": [{"title": "S", "available": True}, {"title": "M", "available": True}]},
            ("OutOfStock", "json-ld"),
            id="variants-without-ids",
        ),
        pytest.param(
            f'{MAIN}<p class="stock-note">Sold out</p>',
            "InStock",
            None,
            ("OutOfStock", "heuristic"),
            id="short-negative-text-by-heading",
        ),
        pytest.param(
            f'{MAIN}<p class="availability">Unfortunately this item is out of stock in the '
            "colour you chose, other colours may still be there</p>",
            "InStock",
            None,
            ("InStock", "json-ld"),
            id="long-negative-text-does-not",
        ),
        pytest.param(
            f'{MAIN}<p class="stock">In stock</p>',
            "OutOfStock",
            None,
            ("OutOfStock", "json-ld"),
            id="positive-text-does-not",
        ),
        pytest.param(
            f'{MAIN}<p class="stock hidden">Sold out</p>',
            "InStock",
            None,
            ("InStock", "json-ld"),
            id="hidden-text-ignored",
        ),
        pytest.param(
            f'{MAIN}<form><button type="submit" disabled>Add to basket</button></form>',
            "InStock",
            None,
            ("InStock", "json-ld"),
            id="disabled-button-alone-does-not",
        ),
        pytest.param(
            f'{MAIN}<p class="stock">Sold out</p>'
            '<form><button type="submit" disabled>Add to basket</button></form>',
            "InStock",
            None,
            ("OutOfStock", "heuristic"),
            id="text-and-button-together",
        ),
    ],
)
def test_evidence_against_markup(
    body: str, markup: str | None, state: object, expected: tuple[str, str]
) -> None:
    offer = extract_auto(page(body, markup, state), URL).offers[0]
    assert (offer.availability, offer.explain["availability"]) == expected


@pytest.mark.parametrize(
    ("body", "availability"),
    [
        pytest.param(
            f'{MAIN}<a class="button" href="/cart">View basket</a>',
            None,
            id="link-to-the-cart-page-buys-nothing",
        ),
        pytest.param(
            f'{MAIN}<a class="button" href="/cart/add?id=4">Add to basket</a>',
            "InStock",
            id="add-link-with-the-product",
        ),
        pytest.param(
            f'{MAIN}<a class="button" href="#">Add to basket</a>', "InStock", id="scripted-link"
        ),
        pytest.param(
            f'{MAIN}<p class="stock">Out of stock</p><a class="button" href="/cart">Basket</a>',
            "OutOfStock",
            id="stock-text-beside-a-cart-page-link",
        ),
    ],
)
def test_cart_page_links_are_no_buy_buttons(body: str, availability: str | None) -> None:
    assert extract_auto(page(body), URL).offers[0].availability == availability


def evidence(state: str, **features: float) -> AvailabilityEvidence:
    return AvailabilityEvidence(state, state, "test", dict(features))


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], None),
        ([evidence("InStock", markup=1)], "InStock"),
        (
            [evidence("InStock", markup=1), evidence("OutOfStock", buy_button=1, button_action=1)],
            "InStock",
        ),
        (
            [
                evidence("OutOfStock", markup=1),
                evidence("InStock", stock_text=1, stock_text_short=1, stock_text_near=1),
            ],
            "OutOfStock",
        ),
        (
            [
                evidence("InStock", markup=1),
                evidence(
                    "OutOfStock",
                    stock_text=1,
                    stock_text_short=1,
                    stock_text_near=1,
                    stock_text_negative=1,
                ),
            ],
            "OutOfStock",
        ),
        (
            [
                evidence("InStock", stock_text=1, stock_text_short=1),
                evidence("OutOfStock", buy_button=1, button_action=1),
            ],
            "InStock",
        ),
        ([evidence("InStock", unknown_feature=1)], None),
    ],
)
def test_weigh_availability(items: list[AvailabilityEvidence], expected: str | None) -> None:
    chosen = weigh_availability(items)
    assert (chosen.state if chosen else None) == expected


@pytest.mark.parametrize(
    ("state", "states"),
    [
        (sizes(True, False), ["InStock", "OutOfStock"]),
        (
            sizes("https://schema.org/InStock", "OutOfStock", key="availability"),
            ["InStock", "OutOfStock"],
        ),
        (sizes(True, False, key="isSoldOut"), ["OutOfStock", "InStock"]),
        ({"variants": [{"sku": "A", "available": True}, {"sku": "B"}]}, []),  # one says nothing
        ({"variants": [{"sku": "A", "available": True}, "B"]}, []),
        ({"skus": [{"id": 1, "stock": 3}, {"id": 2, "stock": 0}]}, []),  # counts not read
        # The state layer's stock flags ("is_salable", "true"/"false" strings) read here too.
        (sizes(True, False, key="is_salable"), ["InStock", "OutOfStock"]),
        (sizes("true", "false", key="inStock"), ["InStock", "OutOfStock"]),
        ([], []),
    ],
)
def test_script_variant_states(state: object, states: list[str]) -> None:
    assert script_product([state], None).variant_states == states

"""The currency a shopper chose in the page's currency selector
(``spiders.extract.chosen_currency``), and a markup price in the shop's base currency giving
way to the price the page shows in the chosen one (``auto``)."""

from __future__ import annotations

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.chosen_currency import chosen_currency


def _select(*options: str, selected: str | None = None) -> str:
    return (
        "<select>"
        + "".join(
            f'<option value="{o}"{" selected" if o == selected else ""}>{o.lower()}</option>'
            for o in options
        )
        + "</select>"
    )


@pytest.mark.parametrize(
    ("body", "want"),
    [
        (_select("AUD", "NZD", "USD", selected="NZD"), "NZD"),
        (_select("eur", "chf", selected="chf"), "CHF"),
        (_select("AUD", "NZD"), None),  # none selected: the browser's first, not a choice
        (_select("NZD", selected="NZD"), None),  # one option chooses nothing
        (_select("S", "M", "L", selected="M"), None),  # sizes
        (_select("USD", "CAD", "XL", selected="CAD"), None),  # not all codes
        (_select("USD", "CAD", selected="CAD") + _select("USD", "CAD", selected="CAD"), "CAD"),
        (_select("USD", "CAD", selected="CAD") + _select("USD", "EUR", selected="EUR"), None),
        ("", None),
    ],
)
def test_chosen_currency(body: str, want: str | None) -> None:
    assert chosen_currency(lxml.html.fromstring(f"<html><body>{body}</body></html>")) == want


def _page(select: str, shown: str) -> str:
    ld = (
        '{"@context":"https://schema.org","@type":"Product","name":"Wool Hat","sku":"WH-1",'
        '"offers":{"@type":"Offer","price":"20.00","priceCurrency":"EUR"}}'
    )
    return (
        f'<html lang="en"><head><title>Wool Hat</title><script type="application/ld+json">{ld}'
        f"</script></head><body>{select}<h1>Wool Hat</h1><div class='price'>{shown}</div>"
        "<button>Add to cart</button></body></html>"
    )


@pytest.mark.parametrize(
    ("select", "shown", "want"),
    [
        (_select("EUR", "GBP", selected="GBP"), "£17.50", ("17.50", "GBP")),
        (_select("EUR", "SEK", selected="SEK"), "229 kr", ("229", "SEK")),
        # the markup stays: no choice, the markup's own choice, the same amount, or no
        # amount shown in the chosen currency
        (_select("EUR", "GBP"), "£17.50", ("20.00", "EUR")),
        (_select("EUR", "GBP", selected="EUR"), "€20.00", ("20.00", "EUR")),
        (_select("EUR", "GBP", selected="GBP"), "£20.00", ("20.00", "EUR")),
        (_select("EUR", "GBP", selected="GBP"), "€20.00", ("20.00", "EUR")),
    ],
)
def test_markup_price_in_base_currency_gives_way_to_the_chosen(
    select: str, shown: str, want: tuple[str, str]
) -> None:
    offer = extract_auto(_page(select, shown), "https://shop.example/p/wool-hat").offers[0]
    assert (offer.price, offer.currency) == want

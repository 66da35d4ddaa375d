"""The currency a shopper chose in the page's currency selector.

Shops that sell abroad convert prices into the shopper's currency on the page while their
structured data keeps the shop's base currency. The choice is read from the structure alone,
in any language: a ``<select>`` whose options' values are all ISO 4217 codes (two or more),
one of them marked selected.
"""

from __future__ import annotations

import lxml.html

from spiders.extract.price import ISO_CODES

MAX_SELECTS = 200
"""Selects looked at, at most (a page of thousands of controls is not walked)."""


def chosen_currency(root: lxml.html.HtmlElement) -> str | None:
    """The ISO code selected in the page's one currency selector, or None (no selector,
    none selected, or selectors choosing different currencies)."""
    chosen: set[str] = set()
    for count, select in enumerate(root.iter("select")):
        if count >= MAX_SELECTS:
            break
        codes, selected = [], []
        for option in select.iter("option"):
            value = (option.get("value") or "").strip().upper()
            codes.append(value)
            if option.get("selected") is not None:
                selected.append(value)
        if len(codes) >= 2 and len(selected) == 1 and all(c in ISO_CODES for c in codes):
            chosen.add(selected[0])
    return chosen.pop() if len(chosen) == 1 else None

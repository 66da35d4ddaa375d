"""Page heuristics: price, availability and sku from the visible page when markup is silent."""

from __future__ import annotations

import lxml.html

from spiders.items import OfferItem


def heuristic_offer_fields(
    root: lxml.html.HtmlElement, url: str, offer: OfferItem, currency_hint: str | None
) -> None:
    """Fill the fields of ``offer`` that are still None from the page layout."""
    return None

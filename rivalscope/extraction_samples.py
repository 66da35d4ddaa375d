"""What a page's extraction found, as tables a person tuning a source can check by eye:
the offers (price, stock, codes, the layer that read each) and the first reviews.

Scraped text is shown cleaned (control characters dropped, so a page cannot send escape
sequences to the terminal) and cut short; reviewers' names are never shown."""

from __future__ import annotations

from collections import Counter

from rich.table import Table
from rich.text import Text

from settings.records import AggregateRatingItem, OfferItem, ReviewItem
from spiders.raw_fields import clean_text

OFFER_ROWS = 10
"""Offers listed (a listing page can carry hundreds of cards)."""
REVIEW_ROWS = 3
"""Reviews listed: enough to see that text, rating and date line up."""
TEXT_CHARS = 70


def _short(value: str | None, chars: int = TEXT_CHARS) -> Text:
    text = clean_text(value) or ""
    return Text(text if len(text) <= chars else text[: chars - 1].rstrip() + "…")


def _layers(explain: dict[str, str]) -> str:
    """The layers that read an item, the one that read most fields first."""
    return ", ".join(layer for layer, _ in Counter(explain.values()).most_common()) or "-"


def _price(offer: OfferItem) -> str:
    if offer.price is None:
        return f"- ({offer.price_problem})" if offer.price_problem else "-"
    return f"{offer.price} {offer.currency or '?'}"


def _codes(offer: OfferItem) -> str:
    named = [(k, v) for k, v in (("sku", offer.sku), ("gtin", offer.gtin), ("mpn", offer.mpn)) if v]
    return ", ".join(f"{k} {clean_text(v)}" for k, v in named) or "-"


def _variant(offer: OfferItem) -> str:
    if offer.listing:
        return "listing card"
    parts = [clean_text(p) for p in (offer.size, offer.colour) if p]
    return " / ".join(p for p in parts if p) or "-"


def offers_table(offers: list[OfferItem]) -> Table:
    """The first ``OFFER_ROWS`` offers, one row each."""
    shown = offers[:OFFER_ROWS]
    title = (
        "Offers" if len(offers) == len(shown) else f"Offers (first {len(shown)} of {len(offers)})"
    )
    table = Table(title=title, title_justify="left")
    for column in ("name", "price", "availability", "codes", "variant", "read by"):
        table.add_column(column, justify="right" if column == "price" else "left")
    for offer in shown:
        table.add_row(
            _short(offer.name, 40),
            Text(_price(offer)),
            Text(offer.availability or "-"),
            Text(_codes(offer)),
            Text(_variant(offer)),
            Text(_layers(offer.explain)),
        )
    return table


def reviews_table(reviews: list[ReviewItem]) -> Table:
    """The first ``REVIEW_ROWS`` reviews: rating, date, title and text (no reviewer)."""
    shown = reviews[:REVIEW_ROWS]
    table = Table(title=f"Reviews (first {len(shown)} of {len(reviews)})", title_justify="left")
    for column in ("rating", "date", "title / text", "read by"):
        table.add_column(column, justify="right" if column == "rating" else "left")
    for review in shown:
        rating = "-"
        if review.rating is not None:
            best = review.best_rating
            rating = f"{review.rating:g}" + (f"/{best:g}" if best is not None else "")
        words = " — ".join(t for t in (clean_text(review.title), clean_text(review.text)) if t)
        table.add_row(
            Text(rating),
            Text(review.published.isoformat() if review.published else "-"),
            _short(words),
            Text(_layers(review.explain)),
        )
    return table


def aggregate_text(rating: AggregateRatingItem) -> str:
    """ "aggregate rating: 4.4/5 from 120 ratings (json-ld)"."""
    value = "-" if rating.rating_value is None else f"{rating.rating_value:g}"
    count = rating.rating_count if rating.rating_count is not None else rating.review_count
    counted = "" if count is None else f" from {count:,} {'rating' if count == 1 else 'ratings'}"
    return f"aggregate rating: {value}/{rating.best_rating:g}{counted} ({_layers(rating.explain)})"

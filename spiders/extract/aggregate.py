"""An aggregate rating item from what a layer read, with every field it set explained."""

from __future__ import annotations

from settings.records import AggregateRatingItem
from spiders.extract.layers import Layer
from spiders.raw_fields import default_worst

COUNT_DIGITS = 9
"""Digits a count of ratings or reviews has at most: more is an id, a phone number or a
hostile page (and overflows a database integer)."""


def plausible_count(number: float | None) -> int | None:
    """A count of ratings or reviews as a page gives it: a whole number from zero, of at most
    ``COUNT_DIGITS`` digits, else None."""
    if number is None or not 0 <= number < 10**COUNT_DIGITS or number != int(number):
        return None
    return int(number)


def aggregate_item(
    value: float, best: float, rating_count: int | None, review_count: int | None, layer: Layer
) -> AggregateRatingItem:
    """``AggregateRatingItem`` on the scale ``best`` (worst: the scale's usual bottom)."""
    item = AggregateRatingItem(
        rating_value=value,
        best_rating=best,
        worst_rating=default_worst(best),
        rating_count=rating_count,
        review_count=review_count,
    )
    item.explain = {
        name: layer.name
        for name in ("rating_value", "best_rating", "worst_rating", "rating_count", "review_count")
        if getattr(item, name) is not None
    }
    return item

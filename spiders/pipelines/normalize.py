"""Fills normalised fields from raw ones: prices, currencies, availability, ratings, dates."""

from __future__ import annotations

import re
from typing import Any

from scrapy.crawler import Crawler

from spiders.extract.availability import normalize_availability
from spiders.extract.price import normalize_price
from spiders.items import OfferItem, ReviewItem
from spiders.normalize import (
    clean_text,
    markup_to_text,
    normalize_rating,
    parse_rating,
    parse_review_date,
)

DEFAULT_BEST_RATING = 5.0


# A minus before the amount, possibly with a currency symbol on either side: "-£5", "£-5".
_NEGATIVE = re.compile(r"^\s*(?:[^\d\s\-\u2212]{1,4}\s*)?[-\u2212]\s*(?:[^\d\s]{1,4}\s*)?\d")


def normalize_offer(offer: OfferItem) -> OfferItem:
    """Normalise an offer in place (never overwriting values extraction already set)."""
    offer.name = clean_text(offer.name)
    if offer.price is None and offer.price_raw:
        offer.price, currency = normalize_price(
            offer.price_raw, offer.currency_raw or offer.currency
        )
        offer.currency = offer.currency or currency
        if offer.price and _NEGATIVE.match(offer.price_raw):
            # Keep the sign so that validation rejects the offer instead of storing a wrong price.
            offer.price = "-" + offer.price.lstrip("-")
    elif offer.price is not None:
        offer.price, currency = normalize_price(offer.price, offer.currency or offer.currency_raw)
        offer.currency = offer.currency or currency
    if offer.currency:
        offer.currency = offer.currency.strip().upper()
    if offer.availability is None and offer.availability_raw:
        offer.availability = normalize_availability(offer.availability_raw)
    for name in ("sku", "gtin", "mpn", "brand", "plan", "category"):
        setattr(offer, name, clean_text(getattr(offer, name)))
    return offer


def normalize_review(review: ReviewItem, language_hint: str | None = None) -> ReviewItem:
    """Normalise a review in place: text, rating on its scale and 0..1, publication date."""
    review.text = clean_text(markup_to_text(review.text))
    review.title = clean_text(markup_to_text(review.title))
    review.region = clean_text(review.region)
    if review.rating is None and review.rating_raw is not None:
        review.rating, best = parse_rating(review.rating_raw, review.best_rating)
        review.best_rating = review.best_rating or best
    if review.rating is not None:
        review.best_rating = review.best_rating or DEFAULT_BEST_RATING
        review.rating_normalized, review.worst_rating = normalize_rating(
            review.rating, review.best_rating, review.worst_rating
        )
    if review.published is None and review.date_raw:
        review.published = parse_review_date(review.date_raw, review.language or language_hint)
    return review


class NormalizePipeline:
    """Scrapy pipeline around ``normalize_offer`` / ``normalize_review``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, OfferItem):
            return normalize_offer(item)
        if isinstance(item, ReviewItem):
            source = getattr(self.crawler.spider, "source", None)
            return normalize_review(item, getattr(source, "language", None))
        return item

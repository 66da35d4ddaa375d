"""Fills normalised fields from raw ones: prices, currencies, availability, ratings, dates."""

from __future__ import annotations

from settings.records import OfferItem, ReviewItem, drop_unstorable
from spiders.extract.aggregate import plausible_count
from spiders.extract.availability import normalize_availability
from spiders.extract.price import normalize_price, price_refusal
from spiders.raw_fields import (
    clean_text,
    infer_scale,
    markup_to_text,
    normalize_rating,
    parse_rating,
    parse_review_date,
    scale_refusal,
)

DEFAULT_BEST_RATING = 5.0


def normalize_offer(offer: OfferItem) -> OfferItem:
    """Normalise an offer in place (never overwriting values extraction already set)."""
    drop_unstorable(offer)  # first, whatever path the offer came by (a page, a file)
    offer.name = clean_text(offer.name)
    # The sign is kept so that validation rejects a negative price instead of storing its
    # opposite; a refused number (exponent form, absurd magnitude) is dropped with its reason.
    if offer.price is None and offer.price_raw:
        hint = offer.currency_raw or offer.currency
        offer.price, currency = normalize_price(offer.price_raw, hint, keep_sign=True)
        offer.currency = offer.currency or currency
        if offer.price is None:
            offer.price_problem = offer.price_problem or price_refusal(offer.price_raw)
    elif offer.price is not None:
        offer.price, currency = normalize_price(
            offer.price, offer.currency or offer.currency_raw, keep_sign=True
        )
        offer.currency = offer.currency or currency
    if offer.currency:
        offer.currency = offer.currency.strip().upper()
    if offer.availability is None and offer.availability_raw:
        offer.availability = normalize_availability(offer.availability_raw)
    for name in ("sku", "gtin", "mpn", "brand", "plan", "category"):
        setattr(offer, name, clean_text(getattr(offer, name)))
    # Whatever layer counted them: a count no integer column holds is no count.
    offer.reviews_declared = plausible_count(offer.reviews_declared)
    return offer


def normalize_review(review: ReviewItem, language_hint: str | None = None) -> ReviewItem:
    """Normalise a review in place: text, rating on its scale and 0..1, publication date."""
    drop_unstorable(review)  # first, whatever path the review came by (a page, a file)
    review.text = clean_text(markup_to_text(review.text))
    review.title = clean_text(markup_to_text(review.title))
    review.region = clean_text(review.region)
    if review.rating is None and review.rating_raw is not None:
        review.rating, best = parse_rating(review.rating_raw, review.best_rating)
        review.best_rating = review.best_rating or best
    if review.rating is not None:
        refused = scale_refusal(review.best_rating)
        if refused is not None:  # a selector's or a caller's best: inferred instead
            review.scale_ignored = review.scale_ignored or refused
            review.best_rating, review.worst_rating = infer_scale(review.rating, None, None)
        review.best_rating = review.best_rating or DEFAULT_BEST_RATING
        review.rating_normalized, review.worst_rating = normalize_rating(
            review.rating, review.best_rating, review.worst_rating
        )
    if review.published is None and review.date_raw:
        review.published = parse_review_date(review.date_raw, review.language or language_hint)
    return review

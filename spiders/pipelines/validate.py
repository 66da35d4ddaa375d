"""Why an item cannot be stored: negative ratings or ratings off their scale, negative or
absurd prices, dates in the future, reviews with neither text nor rating (the crawl drops it
and counts the reason)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from settings.records import OfferItem, ReviewItem
from storage.since_dates import STORED_DAYS_AHEAD

MAX_PRICE = Decimal("100000000")  # above this a "price" is a phone number or an id
MAX_TEXT = 50_000
EARLIEST_REVIEW = date(1995, 1, 1)
STAT_PREFIX = "rivalscope/dropped/"


def offer_problem(offer: OfferItem, now: datetime | None = None) -> str | None:
    """Why an offer cannot be stored, or None."""
    if not (offer.name or offer.sku or offer.gtin):
        return "offer_without_name_or_id"
    if offer.url and urlsplit(offer.url).scheme.lower() not in ("", "http", "https"):
        return "url_not_http"  # e.g. javascript:, which a report or spreadsheet would open
    if offer.observed_at is not None:  # only imports date their offers
        now = now or datetime.now(UTC)
        if offer.observed_at > now + STORED_DAYS_AHEAD:
            return "date_in_future"
        if offer.observed_at.date() < EARLIEST_REVIEW:
            return "date_too_old"
    if offer.price_problem is not None:
        return offer.price_problem
    if offer.price is not None:
        try:
            price = Decimal(offer.price)
        except InvalidOperation:
            return "price_not_a_number"
        if price < 0:
            return "negative_price"
        if price > MAX_PRICE:
            return "absurd_price"
    if offer.currency is not None and not (len(offer.currency) == 3 and offer.currency.isalpha()):
        return "currency_not_iso4217"
    return None


def review_problem(review: ReviewItem, today: date | None = None) -> str | None:
    """Why a review cannot be stored, or None."""
    today = today or datetime.now(UTC).date()
    if not review.text and review.rating is None:
        return "review_without_text_or_rating"
    if review.text and len(review.text) > MAX_TEXT:
        return "review_text_too_long"
    if review.rating is not None:
        if review.rating < 0:
            return "negative_rating"  # never stored as its opposite
        norm = review.rating_normalized
        if norm is None:
            return "rating_scale_invalid"
        if not -1e-9 <= norm <= 1 + 1e-9:
            return "rating_outside_scale"
    if review.published is not None:
        if review.published > today + STORED_DAYS_AHEAD:
            return "date_in_future"
        if review.published < EARLIEST_REVIEW:
            return "date_too_old"
    return None

"""A source's selectors on top of ``auto``: single fields overridden, the rest kept.

A source with ``mode = "auto"`` and a ``[selectors]`` table gets auto extraction first;
then every offer field a selector finds replaces that field of the main offer, and when the
review block selector finds reviews they replace auto's list, each keeping the fields its
selectors did not give from the auto review with the same text. So a user fixes the one
field a site gets wrong (a price the markup states without tax, say) without describing
the whole page. Pure, like the rest of ``spiders.extract``.
"""

from __future__ import annotations

from dataclasses import fields

from parsel import Selector

from settings.records import OfferItem, PageExtraction, ReviewItem
from settings.targets import Selectors
from spiders.extract.layers import SELECTORS
from spiders.extract.review_limit import DEFAULT_MAX_REVIEWS, REVIEWS_OVER_LIMIT
from spiders.extract.selectors import extract_with_selectors, select_text, selected_blocks

# Selector field -> (raw OfferItem field it sets, normalised field it clears for the pipeline).
_OFFER_TARGETS: dict[str, tuple[str, str | None]] = {
    "price": ("price_raw", "price"),
    "currency": ("currency_raw", "currency"),
    "availability": ("availability_raw", "availability"),
    "name": ("name", None),
    "sku": ("sku", None),
    "gtin": ("gtin", None),
    "brand": ("brand", None),
    "plan": ("plan", None),
    "category": ("category", None),
}
# A selector's raw value makes these normalised review fields stale (the pipeline redoes them).
_DERIVED_REVIEW_FIELDS = {
    "rating_raw": ("rating", "best_rating", "worst_rating", "rating_normalized", "scale_ignored"),
    "date_raw": ("published",),
}


def overlay_selectors(
    page: PageExtraction,
    html: str,
    selectors: Selectors,
    max_reviews: int = DEFAULT_MAX_REVIEWS,
) -> PageExtraction:
    """``page`` (from auto) with the fields ``selectors`` find put over it, in place (at
    most ``max_reviews`` reviews)."""
    if selectors.offer_fields:
        _overlay_offer(page, html, selectors)
    wants_reviews = bool(selectors.review and selectors.review_fields)
    if wants_reviews or selectors.next_page:
        chosen = extract_with_selectors(html, page.url, selectors, max_reviews=max_reviews)
        if wants_reviews and chosen.reviews:
            page.reviews = [_with_auto_fields(review, page.reviews) for review in chosen.reviews]
            if REVIEWS_OVER_LIMIT in chosen.skipped and REVIEWS_OVER_LIMIT not in page.skipped:
                page.skipped.append(REVIEWS_OVER_LIMIT)
                page.warnings.extend(chosen.warnings)
        page.next_page = chosen.next_page or page.next_page
    return page


def _overlay_offer(page: PageExtraction, html: str, selectors: Selectors) -> None:
    root = Selector(text=html or "<html></html>")
    blocks = selected_blocks(root, selectors.offer) if selectors.offer else [root]
    if not blocks:
        return
    values = {name: select_text(blocks[0], q) for name, q in selectors.offer_fields.items()}
    if not any(values.values()):
        return
    if not page.offers:
        page.offers.append(OfferItem(url=page.url))
    main = page.offers[0]
    for name, value in values.items():
        if value is None or name not in _OFFER_TARGETS:
            continue
        raw_field, derived = _OFFER_TARGETS[name]
        setattr(main, raw_field, value)
        main.explain[name] = SELECTORS.name
        if derived is not None:
            setattr(main, derived, None)


def _with_auto_fields(chosen: ReviewItem, auto_reviews: list[ReviewItem]) -> ReviewItem:
    """A selector review, its missing fields filled from the auto review with the same text."""
    key = _text_key(chosen.text)
    twin = next((r for r in auto_reviews if key and _text_key(r.text) == key), None)
    if twin is None:
        return chosen
    chosen.explain = {name: SELECTORS.name for name in _given_fields(chosen)}
    stale = {
        d
        for raw, derived in _DERIVED_REVIEW_FIELDS.items()
        if getattr(chosen, raw)
        for d in derived
    }
    for item_field in fields(ReviewItem):
        name = item_field.name
        if name in ("explain", "url") or name in stale:
            continue
        if getattr(chosen, name) is None and getattr(twin, name) is not None:
            setattr(chosen, name, getattr(twin, name))
            if name in twin.explain:
                chosen.explain[name] = twin.explain[name]
    return chosen


def _given_fields(review: ReviewItem) -> list[str]:
    return [
        f.name
        for f in fields(ReviewItem)
        if f.name not in ("explain", "url", "product_name", "product_sku")
        and getattr(review, f.name) is not None
    ]


def _text_key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()[:60]

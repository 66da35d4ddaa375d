"""schema.org Review and AggregateRating nodes (any syntax) -> items."""

from __future__ import annotations

import re
from collections.abc import Iterator

from settings.languages import normalize_language_code
from settings.records import AggregateRatingItem, ReviewItem
from spiders.extract.aggregate import COUNT_DIGITS, plausible_count
from spiders.extract.layers import JSON_LD
from spiders.extract.markup import unclaimed_text
from spiders.extract.nodes import Node, as_list, first_text, first_value, node_types
from spiders.extract.review_limit import left_reviews
from spiders.extract.schema_offers import is_product
from spiders.raw_fields import (
    EXPONENT_FORM,
    find_date,
    infer_scale,
    normalize_rating,
    parse_number,
    parse_rating,
    scale_refusal,
)


def review_item(
    review: Node, url: str, product: Node | None, locale: str | None = None
) -> ReviewItem:
    layer = str(review.get("@layer", JSON_LD.name))
    item = ReviewItem(url=url)

    def put(field: str, value: object) -> None:
        if value is not None and value != "":
            setattr(item, field, value)
            item.explain[field] = layer

    title = first_text(review, "name", "headline")
    text = first_text(review, "reviewBody", "description", "text")
    element = review.get("@element")
    if text is None and element is not None:
        text = unclaimed_text(element)
    put("text", text)
    put("title", title)
    rating_node = first_value(review, "reviewRating")
    rating_source: Node = rating_node if isinstance(rating_node, dict) else review
    raw = first_value(rating_source, "ratingValue")
    if raw is None and not isinstance(rating_node, dict):
        raw = rating_node
    rating, stated_best = parse_rating(raw)
    if rating is not None:
        best, worst, ignored = _scale(rating_source, rating, stated_best)
        put("scale_ignored", ignored)
        item.rating_raw = str(raw)
        put("rating", rating)
        put("best_rating", best)
        put("worst_rating", worst)
        put("rating_normalized", normalize_rating(rating, best, worst)[0])
    if text is None and element is None and title is not None and item.rating is not None:
        # A rated JSON-LD review whose only words are its title: they are its text. (A
        # markup review shows its words in its element; with none there, the page was cut.)
        put("text", title)
    put("author", first_text(review, "author", "creator"))
    put("region", first_text(review, "locationCreated", "contentLocation"))
    review_id = first_text(review, "identifier", "@id")
    put("external_id", review_id)
    declared = first_text(review, "inLanguage") or review.get("@lang")
    put("language", normalize_language_code(declared))
    # schema.org asks for ISO 8601; pages also write "12 March 2024" or "03/12/2024".
    date_raw = first_text(review, "datePublished", "dateCreated", "dateModified")
    put("date_raw", date_raw)
    put("published", find_date(date_raw, declared or locale))
    reviewed = first_value(review, "itemReviewed")
    about = reviewed if isinstance(reviewed, dict) else product
    if about is not None:
        put("product_name", first_text(about, "name"))
        put("product_sku", first_text(about, "sku", "productID"))
    return item


def schema_review_items(
    nodes: list[Node],
    url: str,
    locale: str | None = None,
    *,
    limit: int | None = None,
    skipped: list[str] | None = None,
) -> list[ReviewItem]:
    """Reviews nested in products first (knowing their product), then standalone ones;
    ``locale`` is the page's language tag, for numeric dates of reviews without one. At most
    ``limit`` are built: one more found adds ``REVIEWS_OVER_LIMIT`` to ``skipped``."""
    items: list[ReviewItem] = []
    seen: set[int] = set()
    for review, product in _review_nodes(nodes):
        if id(review) in seen:
            continue
        seen.add(id(review))
        item = review_item(review, url, product, locale)
        # A title alone is what a truncated page leaves of a review: not a review.
        if not item.text and item.rating is None:
            continue
        if limit is not None and len(items) >= limit:
            left_reviews(skipped)
            break
        items.append(item)
    return items


def _review_nodes(nodes: list[Node]) -> Iterator[tuple[Node, Node | None]]:
    """Each review node with the product it is nested in: products' reviews first."""
    for node in nodes:
        if is_product(node):
            for review in as_list(node.get("review")) + as_list(node.get("reviews")):
                if isinstance(review, dict):
                    yield review, node
    for node in nodes:
        if "review" in node_types(node):
            yield node, None


# Who sells, not what is sold: their aggregateRating rates the shop.
_SELLER_TYPES = frozenset(
    {
        "organization",
        "corporation",
        "localbusiness",
        "store",
        "onlinestore",
        "onlinebusiness",
        "website",
    }
)


def aggregate_rating_item(nodes: list[Node], sells: bool = False) -> AggregateRatingItem | None:
    """The first product's aggregateRating, else the first AggregateRating node; on a
    page that sells something (``sells``: an offer was read) or marks a product, not a
    seller's (an Organization's or a WebSite's rating is the shop's, shown on every page
    of it, not the product's; a page about a business alone keeps it)."""
    candidates: list[Node] = []
    sellers: list[Node] = []
    for node in nodes:
        ratings = [r for r in as_list(node.get("aggregateRating")) if isinstance(r, dict)]
        if is_product(node):
            candidates.extend(ratings)
        elif not node_types(node).isdisjoint(_SELLER_TYPES):
            sellers.extend(ratings)
    if not sells and not any(is_product(node) for node in nodes):
        sellers = []
    candidates.extend(
        n for n in nodes if "aggregaterating" in node_types(n) and not any(n is s for s in sellers)
    )
    for node in candidates:
        value, stated_best = parse_rating(first_value(node, "ratingValue"))
        if value is None:
            continue
        best, worst, _ = _scale(node, value, stated_best)
        rating_count = _count(first_value(node, "ratingCount"))
        review_count = _count(first_value(node, "reviewCount"))
        layer = str(node.get("@layer", JSON_LD.name))
        item = AggregateRatingItem(
            rating_value=value,
            best_rating=best,
            worst_rating=worst,
            rating_count=rating_count,
            review_count=review_count,
        )
        item.explain = {key: layer for key in ("rating_value", "best_rating", "worst_rating")}
        return item
    return None


def _count(value: object) -> int | None:
    """``"1,234"`` / ``"1 234 avis"`` -> 1234; None for a negative or absurd count."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plausible_count(value)  # 1e30 is no 130
    text = str(value).strip() if value is not None else ""
    if text.startswith(("-", "\u2212")):
        return None
    if EXPONENT_FORM.fullmatch(text):  # "1e+30": a float dump, not the count 130
        return None
    digits = re.sub(r"\D", "", text)
    return plausible_count(int(digits)) if 0 < len(digits) <= COUNT_DIGITS else None


def _scale(node: Node, rating: float, stated_best: float | None) -> tuple[float, float, str | None]:
    """(best, worst, why the node's bestRating was ignored) of a rating: the node's
    bestRating unless it is 0 or below (``scale_refusal``), else the rating's own ("4/5"),
    else inferred."""
    declared = parse_number(first_value(node, "bestRating"))
    ignored = scale_refusal(declared)
    stated = declared if declared is not None and ignored is None else stated_best
    best, worst = infer_scale(rating, stated, parse_number(first_value(node, "worstRating")))
    return best, worst, ignored

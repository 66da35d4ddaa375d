"""``mode = "selectors"``: extraction with the CSS/XPath selectors of a target.

Pure: ``extract_with_selectors(html, url, selectors) -> PageExtraction``. A selector is
CSS unless it starts with ``xpath:``. A field selector without ``::text`` or
``::attr(...)`` yields the element's whole visible text.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml.etree import _Element
from parsel import Selector, SelectorList

from settings.records import OfferItem, PageExtraction, ReviewItem
from settings.targets import SELECTOR_ERRORS, Selectors, xpath_expression
from spiders.extract.element_text import flat_text
from spiders.extract.layers import SELECTORS
from spiders.extract.review_limit import DEFAULT_MAX_REVIEWS, left_reviews, within_review_limit
from spiders.raw_fields import clean_text, plain_number

LAYER = SELECTORS.name


def _select(root: Selector, query: str) -> SelectorList[Selector]:
    expression = xpath_expression(query)
    return root.css(query) if expression is None else root.xpath(expression)


def select_text(root: Selector, query: str) -> str | None:
    """First match of ``query`` under ``root`` as clean text (attribute or visible text)."""
    try:
        matches = _select(root, query)
    except SELECTOR_ERRORS:
        return None
    if not matches:
        return None
    first = matches[0]
    if isinstance(first.root, str):  # ::text, ::attr() or an XPath string result
        return clean_text(" ".join(m.get() for m in matches if isinstance(m.root, str)))
    if isinstance(first.root, _Element):  # a line break parts words, scripts are not text
        return clean_text(flat_text(first.root))
    return clean_text(first.xpath("string()").get())


def selected_blocks(root: Selector, query: str | None) -> list[Selector]:
    """The elements ``query`` matches under ``root`` ([] for no query or a broken one)."""
    if not query:
        return []
    try:
        return list(_select(root, query))
    except SELECTOR_ERRORS:
        return []


def extract_with_selectors(
    html: str,
    url: str,
    selectors: Selectors,
    *,
    language: str | None = None,
    max_reviews: int = DEFAULT_MAX_REVIEWS,
) -> PageExtraction:
    """Offers, reviews (at most ``max_reviews``) and the next-page link that the configured
    selectors find."""
    root = Selector(text=html or "<html></html>")
    page = PageExtraction(url=url)
    page.language = clean_text(root.xpath("/html/@lang").get())
    explain = {"*": LAYER}

    # Without an ``offer`` block selector the page is the one offer (a product page), as
    # under mode = "auto"'s overrides: offer_fields alone read it.
    offer_blocks = selected_blocks(root, selectors.offer) if selectors.offer else [root]
    for block in offer_blocks if selectors.offer_fields else []:
        values = {name: select_text(block, q) for name, q in selectors.offer_fields.items()}
        if not any(values.values()):
            continue
        if not selectors.offer and "price" in values and not values["price"]:
            continue  # a page without the price (the home page's heading is no product)
        page.offers.append(
            OfferItem(
                url=url,
                name=values.get("name"),
                price_raw=values.get("price"),
                currency_raw=values.get("currency"),
                availability_raw=values.get("availability"),
                sku=values.get("sku"),
                gtin=values.get("gtin"),
                brand=values.get("brand"),
                plan=values.get("plan"),
                category=values.get("category"),
                explain=dict(explain),
            )
        )

    main = page.offers[0] if page.offers else None
    for block in selected_blocks(root, selectors.review):
        values = {name: select_text(block, q) for name, q in selectors.review_fields.items()}
        if not values.get("text") and not values.get("rating"):
            continue
        if len(page.reviews) >= max_reviews:
            left_reviews(page.skipped)
            break
        page.reviews.append(
            ReviewItem(
                url=url,
                text=values.get("text"),
                title=values.get("title"),
                rating_raw=values.get("rating"),
                best_rating=_number(values.get("best_rating")) or selectors.rating_scale,
                date_raw=values.get("date"),
                author=values.get("author"),
                region=values.get("region"),
                external_id=values.get("id"),
                product_name=values.get("product") or (main.name if main else None),
                product_sku=main.sku if main else None,
                explain=dict(explain),
            )
        )
    within_review_limit(page, page.reviews, max_reviews)

    if selectors.next_page:
        page.next_page = _next_link(root, selectors.next_page, url)
    return page


def _next_link(root: Selector, query: str, url: str) -> str | None:
    matches = selected_blocks(root, query)
    if not matches:
        return None
    first = matches[0]
    href = first.get() if isinstance(first.root, str) else first.attrib.get("href")
    href = (href or "").strip()
    try:
        return urljoin(url, href) if href else None
    except ValueError:  # "http://[broken/": no usable link
        return None


def _number(text: str | None) -> float | None:
    # One number parser for markup and imports: sign kept, exponents and absurd sizes refused.
    return plain_number(text)

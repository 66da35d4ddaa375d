"""A review widget's JSON endpoint (``[company.source.review_api]``): which URL to request for
a product page, which next, and the reviews in a response. Pure functions; the spider does
the fetching.

Reviews are read from the parsed JSON by the embedded-JSON layer's reader (the same field
mapping as for ``<script>`` JSON in pages).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urljoin, urlparse

from settings.records import ReviewItem, drop_unstorable, storable_text
from settings.targets import DEFAULT_MAX_REVIEWS, ReviewApi

MAX_JSON_BYTES = 8 * 1024 * 1024
"""Larger responses are not parsed: memory stays bounded whatever a widget sends."""
_NEXT_KEY = re.compile(r"^(next|next_?page|next_?url|next_?link|next_?href)$", re.I)
_CONTAINER_KEYS = re.compile(r"^(links?|paging|pagination|meta|_links|page_?info)$", re.I)


def shop_wide(api: ReviewApi) -> bool:
    """Whether the API's URL names neither a product nor a page (``{product_id}``,
    ``{url}``): every page asks for the same reviews, the shop's own rather than a
    product's, so they belong to no product, and a shop's reviews page without a product on
    it asks for them too."""
    return "{product_id}" not in api.url and "{url}" not in api.url


def product_id(api: ReviewApi, html: str, page_url: str, sku: str | None) -> str | None:
    """The product id for the API: ``api.product_id``'s first group in the page's HTML,
    then in its URL; else the product's SKU; None if there is none."""
    if api.product_id is None:
        return sku.strip() if sku and sku.strip() else None
    pattern = re.compile(api.product_id)
    for haystack in (html, page_url):
        match = pattern.search(haystack)
        if match and match.group(1):
            return match.group(1)
    return None


def api_url(api: ReviewApi, pid: str, page_url: str, index: int) -> str:
    """The URL of the ``index``-th response (0-based) for one product."""
    return api.url.format(
        product_id=quote(pid, safe=""),
        url=quote(page_url, safe=""),
        page=api.first_page + index,
        offset=index * api.page_size,
    )


def next_url(api: ReviewApi, data: Any, response_url: str, pid: str, page_url: str,
             index: int, reviews_read: int) -> str | None:  # fmt: skip
    """The request after response ``index`` (0-based), or None when the reviews end or
    ``max_pages`` is reached."""
    if index + 1 >= api.max_pages or api.paginate == "none" or reviews_read == 0:
        return None
    if api.paginate == "next":
        link = find_next_link(data)
        return urljoin(response_url, link) if link else None
    return api_url(api, pid, page_url, index + 1)


def find_next_link(data: Any) -> str | None:
    """A "next page" link in a JSON response: a ``next``-like key at the top or inside a
    ``links``/``paging``/``meta``-like object, holding a URL (or an object with ``href``)."""
    if not isinstance(data, dict):
        return None
    candidates = [data] + [v for k, v in data.items() if _CONTAINER_KEYS.match(k)]
    for holder in candidates:
        if not isinstance(holder, dict):
            continue
        for key, value in holder.items():
            if not _NEXT_KEY.match(key):
                continue
            if isinstance(value, dict):
                value = value.get("href") or value.get("url")
            if isinstance(value, str) and _looks_like_link(value):
                return storable_text(value)  # a lone "\ud800" fails the request
    return None


def _looks_like_link(value: str) -> bool:
    value = value.strip()
    if not value:
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") or value.startswith(("/", "?"))


def parse_json(body: bytes) -> Any:
    """The parsed response, or None if it is too large or not JSON."""
    if len(body) > MAX_JSON_BYTES:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def reviews_in(
    data: Any, url: str, limit: int = DEFAULT_MAX_REVIEWS, skipped: list[str] | None = None
) -> list[ReviewItem]:
    """The reviews in a parsed JSON response (the embedded-JSON layer's reader), at most
    ``limit`` (one more found adds ``REVIEWS_OVER_LIMIT`` to ``skipped``)."""
    from spiders.extract.embedded_json import reviews_from_json

    reviews = reviews_from_json(data, url, limit=limit, skipped=skipped)
    for review in reviews:
        drop_unstorable(review)  # JSON's "\u0000" and lone "\ud800" escapes
    return reviews

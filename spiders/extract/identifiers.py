"""Which of the ids a page shows is the product's sku.

Shops expose several ids (variant sku, product id, GTIN, internal ids). The one the
shop uses to address the product is the one in its URL, so a candidate found in the
URL wins; without any candidate, an id-like URL token that the page repeats is used.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlparse

from spiders.extract.nodes import Node, first_text
from spiders.extract.schema_offers import is_product

ID_PROPERTIES = ("sku", "productID", "productId", "identifier")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_DIGITS = re.compile(r"\d{5,}")
_CODE_LENGTH = (6, 20)
_CODE_DIGITS = 3


def product_identifiers(nodes: list[Node]) -> list[str]:
    """Every sku / product id of the page's product nodes, in node order."""
    found: list[str] = []
    for node in nodes:
        if is_product(node):
            for key in ID_PROPERTIES:
                value = first_text(node, key)
                if value and 3 <= len(value) <= 60:
                    found.append(value)
    return found


def in_url(candidate: str, url: str) -> bool:
    """True if ``candidate`` appears in the URL as a whole token (or a digit run)."""
    address = unquote(url).casefold()
    value = candidate.strip().casefold()
    if len(value) < 4:
        return False
    boundary = r"\d" if value.isdigit() else r"[0-9a-z]"
    return re.search(rf"(?<!{boundary}){re.escape(value)}(?!{boundary})", address) is not None


def _is_code_segment(segment: str) -> bool:
    """A whole path segment or query value that reads as a product code: letters and at
    least three digits, no word separators ("X100-AB" is two tokens, "ab12c345" one)."""
    digits = sum(ch.isdigit() for ch in segment)
    return (
        _CODE_LENGTH[0] <= len(segment) <= _CODE_LENGTH[1]
        and segment.isalnum()
        and segment.isascii()
        and digits >= _CODE_DIGITS
        and digits < len(segment)
    )


def url_id_tokens(url: str) -> list[str]:
    """Id-looking parts of the URL path and query, last first (ids usually end a path):
    digit runs of five or more, and whole segments that are letter-and-digit codes."""
    parsed = urlparse(unquote(url))
    tokens: list[str] = []
    segments = [*parsed.path.split("/"), *(v for _, v in parse_qsl(parsed.query))]
    for segment in segments:
        for token in _TOKEN.findall(segment):
            if token.isdigit() and len(token) >= 5:
                tokens.append(token)
            elif any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token):
                tokens.extend(_DIGITS.findall(token))
        if _is_code_segment(segment):
            tokens.append(segment)  # after its digit runs: the whole code comes first
    return list(dict.fromkeys(reversed(tokens)))


def choose_sku(
    structured: list[str],
    other_ids: list[str],
    labelled_ids: list[str],
    url: str,
    page_text: str,
    shop_codes: list[str] | None = None,
    shown_texts: frozenset[str] = frozenset(),
) -> tuple[str | None, str]:
    """(sku, layer hint): the markup's sku; else an id the URL contains; else an id-like
    URL token the page shows as a text of its own (``shown_texts``: a table cell, a value
    after a label the table lacks); else the first id shown under a label of the shop's own
    code (``shop_codes``: "SKU", "Art.-Nr."); else an id-like URL token the page repeats;
    else a labelled id, a GTIN or an MPN. (The script state's code, ``script_product``, is
    taken before these when the markup names none.)

    A shown shop code comes before a URL token found only in the page's source: URLs carry
    catalogue, listing and variant-group numbers that the page repeats in its links, while
    the code the page labels as its own is what customers and the shop's search use.

    Ids of form inputs and ``data-sku``-like attributes are no candidates: on the
    development pages leaving them out raised the held-out sku F1 (0.957 -> 0.971); they
    hold variant, cart-line and internal ids as often as the product's."""
    if structured:
        return structured[0], "structured"
    for candidate in [*labelled_ids, *other_ids]:
        if in_url(candidate, url):
            return candidate, "structured" if candidate in other_ids else "heuristic"
    tokens = url_id_tokens(url)
    for token in tokens:
        if token in shown_texts:
            return token, "heuristic"
    if shop_codes:
        return shop_codes[0], "heuristic"
    for token in tokens:
        if page_text.count(token) >= 2:
            return token, "heuristic"
    if labelled_ids:
        return labelled_ids[0], "heuristic"
    if other_ids:
        return other_ids[0], "structured"
    return None, "none"

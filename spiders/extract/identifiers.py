"""Ids of the page's product markup and of its URL.

Shops expose several ids (variant sku, product id, GTIN, internal ids). The one the shop
uses to address the product is often the one in its URL: ``in_url`` and ``url_id_tokens``
are features of the shown-code ranking (``shown_codes``) that picks the product's code
when the markup names none.
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
    # The substring test first: most values are nowhere in the URL, and the pattern below,
    # new per value, is compiled anew once re's cache is full (0.7 of 3.4 CPU-s of the
    # shown-code ranking on the 73 offers pages, stripped).
    if len(value) < 4 or value not in address:
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


_GTIN_LENGTHS = (12, 13, 14)
_ISBN_PREFIXES = ("978", "979")
_DIGIT_GROUPS = re.compile(r"\d+(?:[- ]\d+)+")


def is_gtin(value: str) -> bool:
    """True for a run of 12, 13 or 14 ASCII digits (a UPC, an EAN or ISBN-13, a GTIN-14)
    whose last digit is its GS1 check digit: weights 1 and 3 from the right, the sum a
    multiple of ten. Shorter runs are left out: an eight-digit shop code passes the check
    one time in ten."""
    if len(value) not in _GTIN_LENGTHS or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(reversed(value)))
    return total % 10 == 0


def grouped_gtin(code: str) -> str | None:
    """The digits of a GTIN written in groups ("978-4-00-000000-2", "0 36000 29145 2") as
    one run, as markup and scanners write it; None for any other code. The groups are read
    as a GTIN when their digits pass the check digit (``is_gtin``) or are thirteen after an
    ISBN prefix (978, 979): a book's number is written grouped by hyphens, and a mistyped
    check digit does not make it a shop's own code. Dotted groups ("804.023.81") are shop
    item numbers, never read here."""
    if _DIGIT_GROUPS.fullmatch(code) is None:
        return None
    digits = code.replace("-", "").replace(" ", "")
    isbn = len(digits) == 13 and digits.startswith(_ISBN_PREFIXES)
    return digits if isbn or is_gtin(digits) else None

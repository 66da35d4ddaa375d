"""Stable identities: the de-duplication key of a review and the key of a product.

Keys are computed from what the page says (not from the URL, host or port), so the
same review crawled again, from a moved site or a re-served demo, gets the same key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lowercase, accents kept, punctuation and whitespace folded to single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def _folded_product(name: str | None) -> str:
    """``fold`` of a product name (a file or a page repeats a few names on every review)."""
    return fold(name)


def without_accents(text: str) -> str:
    """``text`` in compatibility decomposition (NFKD) without its combining marks: "é" is
    "e", "ﬁ" is "fi"; letters with no decomposition ("ł", "ø") stay as they are."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def product_key(
    *, gtin: str | None = None, sku: str | None = None, name: str | None = None
) -> str | None:
    """``gtin:…``, else ``sku:…``, else ``name:<folded name>``; None if nothing identifies it."""
    if gtin and gtin.strip():
        return f"gtin:{gtin.strip()}"
    if sku and sku.strip():
        return f"sku:{sku.strip()}"
    folded = fold(name)
    return f"name:{folded[:280]}" if folded else None


def review_content_key(
    *,
    external_id: str | None,
    text: str | None,
    title: str | None,
    rating_raw: str | float | None,
    date_raw: str | None,
    author: str | None,
    product: str | None,
) -> str:
    """Hex SHA-256 (32 chars) identifying one review within a company.

    The site's own review id wins when it has one; otherwise the review's visible
    content. The author's name only enters the hash, never the database.
    """
    if external_id and external_id.strip():
        basis = f"id\x1f{external_id.strip()}\x1f{_folded_product(product)}"
    else:
        basis = "\x1f".join(
            [
                "c",
                fold(text),
                fold(title),
                str(rating_raw if rating_raw is not None else "").strip(),
                (date_raw or "").strip(),
                fold(author),
                _folded_product(product),
            ]
        )
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

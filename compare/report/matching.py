"""Which competitor product is the same thing as one of ours: GTIN, else plan, else SKU,
else name similarity.

Name similarity works on normalised tokens (lower case, accents removed, letters and digits
split so "Drip8" = "Drip-8" = "Drip 8"). Two names match when they share at least
``MIN_SHARED_TOKENS`` tokens, the shared tokens cover at least ``MIN_OVERLAP`` of the shorter
name (overlap coefficient: shop names add local words like "kaffetrakter" or "Cafetière
filtre" around the model name), and their numbers agree exactly (so "Mk2" never matches the
original model, nor "Mark III" "Mark II": roman numerals II-XX count as numbers). One brand
word in common ("Duo", "Classic") is not enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from settings.content_keys import without_accents

MIN_SHARED_TOKENS = 2
MIN_OVERLAP = 0.6

_TOKEN = re.compile(r"[^\W\d_]+|\d+")

_ROMAN_NUMERALS = {
    token: str(number)
    for number, token in enumerate(
        [
            "ii",
            "iii",
            "iv",
            "v",
            "vi",
            "vii",
            "viii",
            "ix",
            "x",
            "xi",
            "xii",
            "xiii",
            "xiv",
            "xv",
            "xvi",
            "xvii",
            "xviii",
            "xix",
            "xx",
        ],
        start=2,
    )
    # Single letters stay words ("V60" splits into "v" and "60"); "vi" is a pronoun in
    # Norwegian and Danish. The rest are generation marks ("Mark II", "Series IV").
    if len(token) > 1 and token != "vi"
}
"""Roman numerals that read as a model's generation, as the number they stand for."""


@dataclass(frozen=True)
class CatalogueItem:
    """A product or plan of one company with its latest price."""

    product_id: int
    company: str
    name: str | None
    gtin: str | None
    sku: str | None
    plan: str | None
    category: str | None
    price: float
    currency: str


@dataclass(frozen=True)
class ProductMatch:
    own: CatalogueItem
    competitor: CatalogueItem
    method: str
    """``gtin``, ``plan``, ``sku`` or ``name``."""
    similarity: float
    """1.0 for identifier matches, the overlap coefficient for names."""


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> frozenset[str]:
    """Normalised tokens of a product name."""
    plain = without_accents(name.casefold()).replace("ł", "l")
    return frozenset(_ROMAN_NUMERALS.get(t, t) for t in _TOKEN.findall(plain))


def name_similarity(a: str, b: str) -> float:
    """Overlap coefficient of the names' tokens, 0 when they do not qualify as a match."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    numbers_a = {t for t in ta if t.isdigit()}
    numbers_b = {t for t in tb if t.isdigit()}
    shared = ta & tb
    if numbers_a != numbers_b or len(shared) < MIN_SHARED_TOKENS:
        return 0.0
    return len(shared) / min(len(ta), len(tb))


@lru_cache(maxsize=65536)
def _normal(value: str | None) -> str | None:
    """An identifier without spaces, dashes, dots, underscores and case (cached: matching
    compares every product of ours with every one of theirs, 1,000 x 1,000 = 2,000,000 pairs
    normalising the same few thousand identifiers)."""
    if value is None:
        return None
    cleaned = re.sub(r"[\s\-_.]+", "", value).casefold()
    return cleaned or None


def match_score(own: CatalogueItem, other: CatalogueItem) -> tuple[int, float, str] | None:
    """(priority, similarity, method) when the items match, higher priority first."""
    if own.gtin and other.gtin:
        # Both carry a GTIN: it decides, names never override it.
        return (4, 1.0, "gtin") if _normal(own.gtin) == _normal(other.gtin) else None
    if own.plan and other.plan:
        return (3, 1.0, "plan") if _normal(own.plan) == _normal(other.plan) else None
    if own.sku and other.sku and _normal(own.sku) == _normal(other.sku):
        return (2, 1.0, "sku")
    if own.name and other.name:
        similarity = name_similarity(own.name, other.name)
        if similarity >= MIN_OVERLAP:
            return (1, similarity, "name")
    return None


def match_catalogues(
    own_items: list[CatalogueItem], competitor_items: list[CatalogueItem]
) -> list[ProductMatch]:
    """Best one-to-one matches between our catalogue and one competitor's (greedy by score)."""
    candidates: list[tuple[tuple[int, float, str], CatalogueItem, CatalogueItem]] = []
    for own in own_items:
        for other in competitor_items:
            score = match_score(own, other)
            if score is not None:
                candidates.append((score, own, other))
    candidates.sort(key=lambda c: (c[0][0], c[0][1]), reverse=True)
    used_own: set[int] = set()
    used_other: set[int] = set()
    matches: list[ProductMatch] = []
    for (_, similarity, method), own, other in candidates:
        if own.product_id in used_own or other.product_id in used_other:
            continue
        used_own.add(own.product_id)
        used_other.add(other.product_id)
        matches.append(ProductMatch(own, other, method, similarity))
    return matches

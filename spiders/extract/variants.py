"""Variant pages: one product sold in sizes or colours, each with its own sku, price, stock.

Markup lists them as several offers of one product, as a ``ProductGroup`` with
``hasVariant``, or as several products of one name. A shopper sees one product: its own
code (the product node's id, the group id, or the variants' common stem) and the
variant the page shows first (the one the URL names, else the cheapest in stock).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from os.path import commonprefix

from settings.records import OfferItem
from spiders.extract.identifiers import in_url
from spiders.extract.nodes import Node, as_list, first_text, node_types
from spiders.extract.schema_offers import is_product, offers_of

_VARIANT_ID_KEYS = ("sku", "productID", "productId")
_GROUP_ID_KEYS = ("productGroupID", "sku", "productID", "productId")
_STEM_SEPARATORS = "-_./ "
# A common stem names the product only when this long, and each variant adds at most a
# short size/colour suffix to it.
_MIN_STEM = 4
_MAX_SUFFIX = 6
_AVAILABLE = frozenset({"InStock", "LimitedAvailability", "PreOrder", "BackOrder", None})


@dataclass
class VariantGroup:
    """The product a variant page is about, and its variants' skus in markup order."""

    code: str | None
    """The product's own code, or None when the markup does not tell it."""
    skus: list[str]


def _ids(node: Node, keys: tuple[str, ...]) -> str | None:
    value = first_text(node, *keys)
    return value if value and 2 <= len(value) <= 60 else None


def common_stem(skus: list[str]) -> str | None:
    """The variants' shared leading code ("KT-100-S", "KT-100-M" -> "KT-100"), if every
    variant only adds a short size/colour suffix to it after a separator or as letters."""
    if len(skus) < 2:
        return None
    prefix = commonprefix(skus)  # noqa: RUF071 - a character prefix is wanted
    at_boundary = prefix.endswith(tuple(_STEM_SEPARATORS)) or all(
        s[len(prefix) :][:1] in ("", *_STEM_SEPARATORS) for s in skus
    )
    lettered = prefix[-1:].isdigit() and all(
        s[len(prefix) :][:1].isalpha() for s in skus if s != prefix
    )
    if not at_boundary and not lettered:
        cut = max(prefix.rfind(separator) for separator in _STEM_SEPARATORS)
        if cut <= 0:
            return None  # "12345" and "12346" share "1234" but it is no code of theirs
        prefix = prefix[:cut]
    stem = prefix.rstrip(_STEM_SEPARATORS)
    if len(stem) < _MIN_STEM or any(len(s) - len(stem) > _MAX_SUFFIX for s in skus):
        return None
    return stem


def _variant_skus(nodes: list[Node]) -> list[str]:
    return list(dict.fromkeys(s for s in (_ids(n, _VARIANT_ID_KEYS) for n in nodes) if s))


def variant_group(nodes: list[Node]) -> VariantGroup | None:
    """The first product of the page that markup lists in several variants, or None."""
    products = [n for n in nodes if is_product(n)]
    for node in products:
        members = [v for v in as_list(node.get("hasVariant")) if isinstance(v, dict)]
        if "productgroup" in node_types(node) and members:
            skus = _variant_skus(members)
            code = _ids(node, _GROUP_ID_KEYS) or common_stem(skus)
            return VariantGroup(code, skus) if len(skus) >= 2 or code else None
        offers = [o for o in offers_of(node) if o is not node]
        skus = _variant_skus(offers)
        if len(skus) >= 2:
            own = _ids(node, _VARIANT_ID_KEYS)
            code = own if own and own not in skus else common_stem(skus) or own
            return VariantGroup(code, skus)
    named: dict[str, list[Node]] = {}
    for node in products:
        name = first_text(node, "name")
        if name:
            named.setdefault(name.casefold(), []).append(node)
    for same in named.values():
        skus = _variant_skus(same)
        if len(skus) >= 2:
            parents = {g for n in same if (g := _group_id(n))}
            code = parents.pop() if len(parents) == 1 else common_stem(skus)
            return VariantGroup(code, skus)
    return None


def _group_id(node: Node) -> str | None:
    group = node.get("isVariantOf")
    if isinstance(group, dict):
        return _ids(group, _GROUP_ID_KEYS)
    return first_text(node, "inProductGroupWithID")


def _price(offer: OfferItem) -> Decimal:
    try:
        return Decimal(offer.price) if offer.price is not None else Decimal("Infinity")
    except InvalidOperation:
        return Decimal("Infinity")


def shopper_variant_first(
    offers: list[OfferItem], group: VariantGroup, url: str
) -> list[OfferItem]:
    """``offers`` with the variant a shopper sees first moved to the front: the one whose
    sku the URL names, else the cheapest available, else the cheapest."""
    variants = [o for o in offers if o.sku in group.skus and o.price is not None]
    if len(variants) < 2:
        return offers
    named = [o for o in variants if o.sku and in_url(o.sku, url)]
    available = [o for o in variants if o.availability in _AVAILABLE]
    chosen = named[0] if named else min(available or variants, key=_price)
    return [chosen, *(o for o in offers if o is not chosen)]

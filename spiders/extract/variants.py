"""Variant pages: one product sold in sizes or colours, each with its own sku, price, stock.

Markup lists them as several offers of one product, as a ``ProductGroup`` with
``hasVariant``, as several products of one name, or as several products whose names are
one name and a size/colour ("Shoe red 40") and whose skus one stem and a suffix. A shopper sees one product: its own
code (the product node's id, the group id, or the variants' common stem) and the
variant the page shows first (the one the URL names, else the one its controls show chosen
(``variant_choice``), else the cheapest in stock).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from os.path import commonprefix
from urllib.parse import parse_qsl, unquote, urljoin, urlparse

from settings.records import OfferItem, ProductParent
from spiders.extract.identifiers import in_url
from spiders.extract.layers import JSON_LD
from spiders.extract.nodes import Node, as_list, first_text, node_types
from spiders.extract.schema_offers import bounded_id, is_product, offers_of, variant_code

_GROUP_ID_KEYS = ("productGroupID", "sku", "productID", "productId")
STEM_SEPARATORS = "-_./ "
# A common stem names the product only when this long, and each variant adds at most a
# short size/colour suffix to it.
MIN_STEM = 4
_MAX_SUFFIX = 6
_AVAILABLE = frozenset({"InStock", "LimitedAvailability", "PreOrder", "BackOrder", None})
# schema.org's own variant properties (vocabulary, not page words).
_SIZE_KEYS = ("size",)
_COLOUR_KEYS = ("color", "colour")
# A variant label reads as a size when it holds a digit or is a letter size code.
_LETTER_SIZE = re.compile(r"^(?:\d?X{0,3}[SL]|M|\d?XL)$", re.I)
_URL_TOKENS = re.compile(r"[^/?&=#._\-+~,;:]+")


@dataclass
class VariantGroup:
    """The product a variant page is about, and its variants' skus in markup order."""

    code: str | None
    """The product's own code, or None when the markup does not tell it."""
    skus: list[str]
    labels: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Variant sku -> (size, colour) as the markup names them."""
    name: str | None = None
    """The product's own name (a group's, not a variant's)."""
    addresses: dict[str, str] = field(default_factory=dict)
    """Variant sku -> the URL the markup gives that variant (``?variant=...``), if any."""
    brand: tuple[str, str] | None = None
    """The group's brand and the layer that read it: each variant's unless it has one."""

    @property
    def code_from_skus(self) -> bool:
        """True when no code is known or it is only the skus' common stem: a cut where the
        product's part of them probably ends, which a code the page shows tells better."""
        return self.code is None or self.code == common_stem(self.skus)


def common_stem(skus: list[str]) -> str | None:
    """The variants' shared leading code ("KT-100-S", "KT-100-M" -> "KT-100"), if every
    variant only adds a short size/colour suffix to it after a separator or as letters."""
    if len(skus) < 2:
        return None
    prefix = commonprefix(skus)  # noqa: RUF071 - a character prefix is wanted
    at_boundary = prefix.endswith(tuple(STEM_SEPARATORS)) or all(
        s[len(prefix) :][:1] in ("", *STEM_SEPARATORS) for s in skus
    )
    lettered = prefix[-1:].isdigit() and all(
        s[len(prefix) :][:1].isalpha() for s in skus if s != prefix
    )
    if not at_boundary and not lettered:
        cut = max(prefix.rfind(separator) for separator in STEM_SEPARATORS)
        if cut <= 0:
            return None  # "12345" and "12346" share "1234" but it is no code of theirs
        prefix = prefix[:cut]
    stem = prefix.rstrip(STEM_SEPARATORS)
    if len(stem) < MIN_STEM or any(len(s) - len(stem) > _MAX_SUFFIX for s in skus):
        return None
    return stem


_MAX_STEM_SUFFIX = 12
"""The longest suffix a variant sku adds to the product's code ("-BLACK-XXL")."""


def _at_boundary(code: str, following: str) -> bool:
    """True when a suffix starting with ``following`` begins a new part of the code: a
    separator, or letters after digits and digits after letters ("KT5120M", "AB12-3")."""
    return following in STEM_SEPARATORS or code[-1:].isdigit() != following.isdigit()


def variant_stem_of(code: str, skus: Sequence[str]) -> bool:
    """True when every sku of ``skus`` is ``code`` and a short suffix (case-folded), the
    suffix beginning a new part of the code in each. Only where the skus' shared part has
    no such place at all ("447120301", "447120302") may several distinct skus be cut
    anywhere in it: what they share says by itself where the product's part can end."""
    folded = code.casefold()
    if len(folded) < MIN_STEM or not any(ch.isdigit() for ch in folded) or not skus:
        return False
    folded_skus = [s.casefold() for s in skus]
    for sku in folded_skus:
        if not sku.startswith(folded) or not 0 < len(sku) - len(folded) <= _MAX_STEM_SUFFIX:
            return False
    if all(_at_boundary(folded, sku[len(folded)]) for sku in folded_skus):
        return True
    shared = commonprefix(folded_skus)  # noqa: RUF071 - a character prefix is wanted
    partless = not any(_at_boundary(shared[:at], shared[at]) for at in range(1, len(shared)))
    return len(set(folded_skus)) >= 2 and partless


def _variant_skus(nodes: list[Node]) -> list[str]:
    return list(dict.fromkeys(s for s in (variant_code(n) for n in nodes) if s))


def variant_group(nodes: list[Node], url: str = "") -> VariantGroup | None:
    """The first product of the page that markup lists in several variants, or None.

    The product's code, in order: the group's or product's own id (when no variant has
    it), the variants' common stem, a code in the URL that every variant sku begins with,
    the product's mpn."""
    products = [n for n in nodes if is_product(n)]
    for node in products:
        members = [v for v in as_list(node.get("hasVariant")) if isinstance(v, dict)]
        if "productgroup" in node_types(node) and members:
            skus = _variant_skus(members)
            code = bounded_id(node, _GROUP_ID_KEYS) or _fallback_code(skus, url, node)
            name = first_text(node, "name")
            group = VariantGroup(
                code, skus, _labels(members, name), name, _addresses(members), _brand(node)
            )
            return group if len(skus) >= 2 or code else None
        offers = [o for o in offers_of(node) if o is not node]
        skus = _variant_skus(offers)
        if len(skus) >= 2:
            own = variant_code(node)
            code = own if own and own not in skus else _fallback_code(skus, url, node) or own
            name = first_text(node, "name")
            labels = _labels(offers, name)
            return VariantGroup(code, skus, labels, name, _addresses(offers), _brand(node))
    named: dict[str, list[Node]] = {}
    for node in products:
        name = first_text(node, "name")
        if name:
            named.setdefault(name.casefold(), []).append(node)
    for same in named.values():
        skus = _variant_skus(same)
        if len(skus) >= 2:
            parents = {g for n in same if (g := _group_id(n))}
            code = parents.pop() if len(parents) == 1 else _fallback_code(skus, url, same[0])
            name = first_text(same[0], "name")
            return VariantGroup(code, skus, _labels(same, name), name, _addresses(same))
    return _named_by_size(products)


def _brand(node: Node) -> tuple[str, str] | None:
    brand = first_text(node, "brand", "manufacturer")
    return (brand, str(node.get("@layer", JSON_LD.name))) if brand else None


def _named_by_size(products: list[Node]) -> VariantGroup | None:
    """Several products that are one product's sizes or colours by their structure: every
    name is a shared name and a suffix ("Shoe red 40", "Shoe blue 41"), every sku a shared
    stem and a short suffix; the product is the shared name under the stem."""
    listed = [n for n in products if variant_code(n)]
    skus = _variant_skus(listed)
    stem = common_stem(skus)
    name = _shared_name([first_text(n, "name") for n in listed])
    if len(skus) < 2 or stem is None or name is None:
        return None
    return VariantGroup(stem, skus, _labels(listed, name), name, _addresses(listed))


_MIN_NAME = 3


def _shared_name(names: list[str | None]) -> str | None:
    """The words every name begins with (cut at a word's end), or None."""
    if len(names) < 2 or any(not n for n in names):
        return None
    known = [n for n in names if n]
    shared = commonprefix([n.casefold() for n in known])  # noqa: RUF071 - characters wanted
    if not all(n[len(shared) : len(shared) + 1] in ("", " ") for n in known):
        shared = shared[: shared.rfind(" ") + 1]
    name = known[0][: len(shared)].strip(" -,/|:")
    return name if len(name) >= _MIN_NAME else None


def url_code_of_variant(sku: str, url: str) -> str | None:
    """The code in the URL's path that ``sku`` extends by a separator and a short
    size/colour suffix ("RJ5512-BLK-M" on ".../RJ5512"): the product whose variant the
    markup names, as the URL addresses it. None when no path token is such a stem."""
    folded = sku.casefold()
    for token in reversed(_URL_TOKENS.findall(unquote(urlparse(url).path))):
        stem = token.casefold()
        if (
            len(token) >= MIN_STEM
            and any(c.isdigit() for c in token)
            and folded.startswith(stem)
            and folded[len(stem) : len(stem) + 1] in tuple(STEM_SEPARATORS)
            and len(sku) - len(token) <= _MAX_SUFFIX + 1
        ):
            return token
    return None


def _addresses(nodes: list[Node]) -> dict[str, str]:
    """Variant sku -> its own URL (the node's or its offer's ``url``), kept only when the
    variants' URLs differ (one shared URL names none of them)."""
    found: dict[str, str] = {}
    for node in nodes:
        sku = variant_code(node)
        offer = next(iter(o for o in as_list(node.get("offers")) if isinstance(o, dict)), {})
        address = first_text(node, "url") or first_text(offer, "url")
        if sku and address:
            found.setdefault(sku, address)
    return found if len(set(found.values())) == len(found) >= 2 else {}


def _same_page(address: str, url: str) -> bool:
    """True if ``address`` (possibly relative) and ``url`` name the same path and query."""
    one, other = urlparse(urljoin(url, address)), urlparse(url)
    return one.path.rstrip("/") == other.path.rstrip("/") and sorted(
        parse_qsl(one.query)
    ) == sorted(parse_qsl(other.query))


def _fallback_code(skus: list[str], url: str, product: Node) -> str | None:
    """The variants' common stem, else the URL's code that begins every variant sku,
    else the product's mpn when no variant has it as its sku."""
    stem = common_stem(skus)
    if stem is not None:
        return stem
    path = unquote(urlparse(url).path)
    for token in reversed(_URL_TOKENS.findall(path)):
        if len(token) >= MIN_STEM and any(c.isdigit() for c in token) and len(skus) >= 2:
            folded = token.casefold()
            if all(s.casefold().startswith(folded) and s.casefold() != folded for s in skus):
                return token
    mpn = bounded_id(product, ("mpn",))
    return mpn if mpn and mpn not in skus else None


def _labels(
    variants: list[Node], product_name: str | None
) -> dict[str, tuple[str | None, str | None]]:
    """Variant sku -> (size, colour): schema.org's ``size`` / ``color``, else what the
    variant's name adds to the product's (a size when it holds a digit or is a letter
    size, else a colour)."""
    labels: dict[str, tuple[str | None, str | None]] = {}
    for variant in variants:
        sku = variant_code(variant)
        if not sku or sku in labels:
            continue
        size, colour = first_text(variant, *_SIZE_KEYS), first_text(variant, *_COLOUR_KEYS)
        if size is None and colour is None:
            label = _name_suffix(first_text(variant, "name"), product_name)
            if label and (any(c.isdigit() for c in label) or _LETTER_SIZE.match(label)):
                size = label
            elif label:
                colour = label
        labels[sku] = (size, colour)
    return labels


def _name_suffix(name: str | None, product_name: str | None) -> str | None:
    """What a variant's name says beyond the product's ("Shoe red" of "Shoe" -> "red")."""
    if not name:
        return None
    if product_name and name.casefold().startswith(product_name.casefold()):
        name = name[len(product_name) :].strip(" -,/|:")
    elif product_name and name.casefold() == product_name.casefold():
        return None
    return name[:100] if name and len(name) <= 40 else None


def _group_id(node: Node) -> str | None:
    group = node.get("isVariantOf")
    if isinstance(group, dict):
        return bounded_id(group, _GROUP_ID_KEYS)
    return first_text(node, "inProductGroupWithID")


def _price(offer: OfferItem) -> Decimal:
    try:
        return Decimal(offer.price) if offer.price is not None else Decimal("Infinity")
    except InvalidOperation:
        return Decimal("Infinity")


def shopper_variant_first(
    offers: list[OfferItem], group: VariantGroup, url: str, chosen: str | None = None
) -> list[OfferItem]:
    """``offers`` with the variant a shopper sees first moved to the front: the one whose
    sku the URL names, else the one the page shows as ``chosen`` (its controls' state:
    ``spiders.extract.variant_choice``), else the cheapest available, else the cheapest."""
    variants = [o for o in offers if o.sku in group.skus and o.price is not None]
    if len(variants) < 2:
        return offers
    named = [o for o in variants if o.sku and in_url(o.sku, url)] or [
        o for o in variants if o.sku in group.addresses and _same_page(group.addresses[o.sku], url)
    ]
    named = named or [o for o in variants if chosen is not None and o.sku == chosen]
    available = [o for o in variants if o.availability in _AVAILABLE]
    first = named[0] if named else min(available or variants, key=_price)
    return [first, *(o for o in offers if o is not first)]


def parent_product(variants: list[OfferItem], code: str | None, name: str | None) -> ProductParent:
    """The product as a whole: its code and name, its variants' price range and whether
    any of them can be bought."""
    prices = sorted(p for o in variants if (p := _price(o)) != Decimal("Infinity"))
    stated = [o.availability for o in variants if o.availability is not None]
    availability = None
    if stated:
        buyable = any(a in _AVAILABLE for a in stated)
        availability = "InStock" if buyable else "OutOfStock"
    currencies = {o.currency for o in variants if o.currency}
    return ProductParent(
        code=code,
        name=name,
        price_low=format(prices[0], "f") if prices else None,
        price_high=format(prices[-1], "f") if prices else None,
        currency=currencies.pop() if len(currencies) == 1 else None,
        availability=availability,
        variants=len(variants),
    )


def variant_offers(
    offers: list[OfferItem], group: VariantGroup, url: str, shown: str | None = None
) -> tuple[list[OfferItem], list[OfferItem]]:
    """(offers with the shopper's view first, the variants): the view is a copy of the
    variant a shopper sees first, under the product's code and name; the variants follow,
    each with its own sku, size and colour. The group's own node, with no price or id of
    its own, is no offer."""
    ordered = [
        o for o in shopper_variant_first(offers, group, url, shown) if o.price or o.sku or o.gtin
    ]
    variants = [o for o in ordered if o.sku in group.skus]
    for variant in variants:
        variant.size, variant.colour = group.labels.get(variant.sku or "", (None, None))
        if variant.brand is None and group.brand is not None:
            # the group's: markup names the brand once, on the group, not on each size
            variant.brand, variant.explain["brand"] = group.brand
    result = ordered
    if ordered and ordered[0] in variants and group.code:
        chosen = ordered[0]
        view = replace(chosen, explain=dict(chosen.explain), variant_sku=chosen.sku, sku=group.code)
        view.name = group.name or view.name
        view.explain["sku"] = view.explain.get("sku", "json-ld")
        result = [view, *ordered]
    gtins = {o.gtin for o in variants}
    if len(variants) >= 2 and len(gtins) == 1 and None not in gtins:
        for variant in variants:  # the product's GTIN, read into each: no variant's own
            variant.gtin = None
            variant.explain.pop("gtin", None)
    return result, variants

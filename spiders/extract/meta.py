"""OpenGraph and product ``<meta>`` tags (``og:price:amount``, ``product:availability``, ...)."""

from __future__ import annotations

import lxml.html

from spiders.extract.layers import META, OPENGRAPH

# meta key -> OfferItem field; the first key present for a field wins.
META_FIELDS: dict[str, tuple[str, ...]] = {
    "price": ("product:price:amount", "og:price:amount", "product:price", "og:price",
              "product:sale_price:amount"),
    "currency": ("product:price:currency", "og:price:currency", "product:sale_price:currency"),
    "availability": ("product:availability", "og:availability", "availability"),
    "sku": ("product:retailer_item_id", "product:sku", "og:sku", "product:retailer_part_no"),
    "gtin": ("product:gtin", "product:ean", "product:upc", "og:upc", "og:ean", "product:isbn"),
    "mpn": ("product:mfr_part_no", "product:mpn"),
    "brand": ("product:brand", "og:brand"),
    "name": ("og:title", "twitter:title"),
    "category": ("product:category",),
    "image": ("og:image", "og:image:url", "twitter:image"),
}  # fmt: skip


def meta_tags(root: lxml.html.HtmlElement) -> dict[str, str]:
    """``property``/``name`` (lower-cased) -> ``content`` of the page's meta tags; first wins."""
    tags: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), content.strip())
    return tags


def meta_offer_fields(tags: dict[str, str]) -> dict[str, tuple[str, str]]:
    """OfferItem field -> (value, layer) from meta tags; layer is OpenGraph or meta."""
    fields: dict[str, tuple[str, str]] = {}
    for field_name, keys in META_FIELDS.items():
        for key in keys:
            if key in tags:
                layer = OPENGRAPH.name if key.startswith(("og:", "product:")) else META.name
                fields[field_name] = (tags[key], layer)
                break
    return fields


def declared_locale(root: lxml.html.HtmlElement, tags: dict[str, str]) -> str | None:
    """The language tag the page declares as written (``"en-GB"``, ``"nb_NO"``): ``<html
    lang>``, ``og:locale``, content-language, the first given; where it names no region, a
    later one of the same language that does (``lang="fr"`` with ``og:locale`` ``fr_CA``:
    ``fr_CA``). Its region tells how dates are written and which currency a bare price is."""
    given = (
        root.get("lang"),
        root.get("xml:lang"),
        tags.get("og:locale"),
        tags.get("content-language"),
        tags.get("language"),
    )
    declared = [tag.strip() for tag in given if tag and tag.strip()]
    if not declared:
        return None
    language, _, region = declared[0].replace("_", "-").partition("-")
    if not region:
        for other in declared[1:]:
            other_language, _, other_region = other.replace("_", "-").partition("-")
            if other_region and other_language.casefold() == language.casefold():
                return other
    return declared[0]

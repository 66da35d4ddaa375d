"""schema.org Product / Offer nodes (any syntax) -> OfferItem."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from settings.records import OfferItem
from spiders.extract.availability import normalize_availability
from spiders.extract.layers import JSON_LD
from spiders.extract.nodes import Node, as_list, first_text, first_value, node_types
from spiders.extract.price import ZERO_DECIMAL_CURRENCIES, normalize_price, price_refusal

PRODUCT_TYPES = frozenset(
    {"product", "productgroup", "productmodel", "individualproduct", "someproducts", "car",
     "vehicle", "motorcycle", "book", "event", "service", "softwareapplication", "menuitem",
     "course", "orphan", "dietarysupplement", "drug", "wearablemeasurement"}
)  # fmt: skip
OFFER_TYPES = frozenset({"offer", "aggregateoffer"})
# priceSpecification entries that are not what the customer pays now.
_NOT_CURRENT_PRICE = re.compile(r"list|strikethrough|msrp|srp|was|regular|original", re.I)
_PLAIN_DECIMAL = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
# "12.990": grouped thousands, the only reading in a currency without minor units.
_GROUPED_THOUSANDS = re.compile(r"^\s*[1-9]\d{0,2}\.\d{3}\s*$")
_GTIN = re.compile(r"^\d{8}$|^\d{12,14}$")
# The markup keys that give a variant (a size, a colour) a code of its own.
VARIANT_ID_KEYS = ("sku", "productID", "productId")


def schema_price(value: Any, currency: str | None) -> tuple[str | None, str | None]:
    """Price from markup: schema.org says ``.`` is the decimal mark, so plain numbers
    like ``"23.450"`` are read as written, except in a currency without minor units
    (ISO 4217 exponent 0: CLP, JPY, ISK), where three digits after the dot can only be
    grouped thousands (``"12.990"`` CLP is 12990); other texts go through ``normalize_price``."""
    if isinstance(value, str) and _PLAIN_DECIMAL.match(value) and price_refusal(value) is None:
        code = currency.strip().upper() if currency and currency.strip() else None
        if code in ZERO_DECIMAL_CURRENCIES and _GROUPED_THOUSANDS.match(value):
            return value.strip().replace(".", ""), code
        return format(Decimal(value.strip()), "f"), code
    if isinstance(value, str | int | float):
        # Markup states numbers: "-19.99" is negative (and dropped), not 19.99.
        return normalize_price(value, currency, keep_sign=True)
    return None, currency


def is_product(node: Node) -> bool:
    types = node_types(node)
    if types & PRODUCT_TYPES:
        return types != {"orphan"} or _has_offer_fields(node)
    return False


def _has_offer_fields(node: Node) -> bool:
    return any(k in node for k in ("price", "offers", "sku", "gtin13", "priceCurrency"))


def bounded_id(node: Node, keys: tuple[str, ...]) -> str | None:
    """The first of ``keys`` that holds a code of plausible length (2 to 60 characters)."""
    value = first_text(node, *keys)
    return value if value and 2 <= len(value) <= 60 else None


def variant_code(node: Node) -> str | None:
    """A variant's own code: what both the variant grouping and an AggregateOffer's
    members count as one."""
    return bounded_id(node, VARIANT_ID_KEYS)


def offers_of(product: Node) -> list[Node]:
    """The Offer/AggregateOffer nodes of a product (the product itself if it carries a price);
    an AggregateOffer that lists its variants' offers gives way to them."""
    found = [o for o in as_list(product.get("offers")) if isinstance(o, dict)]
    expanded: list[Node] = []
    for offer in found:
        # AggregateOffer may list its member offers; they are variants of this product.
        members = [o for o in as_list(offer.get("offers")) if isinstance(o, dict)]
        # Over members with codes of their own (sizes, colours) the aggregate only sums
        # them up: its low price is one of theirs, and as an offer of its own it would be
        # stored as one more product under the product's code. Over the same product's
        # sellers (no codes of their own) its low price is the one a shopper sees first.
        if len({code for m in members if (code := variant_code(m))}) < 2:
            expanded.append(offer)
        expanded.extend(members)
    if not expanded and ("price" in product or "lowPrice" in product):
        expanded = [product]
    return expanded


def _current_price_spec(offer: Node) -> Node | None:
    specs = [s for s in as_list(offer.get("priceSpecification")) if isinstance(s, dict)]
    current = [s for s in specs if not _NOT_CURRENT_PRICE.search(str(s.get("priceType", "")))]
    chosen = current or specs
    return chosen[0] if chosen else None


def _current_raw_price(source: Node, offer: Node | None, currency: str | None) -> Any:
    """The price a customer pays from one node: of several ``price`` values the lowest
    (markup giving list and sale price lists both); a price that the offer's price
    specifications call a list or strikethrough price gives way to their current one."""
    values = [
        v for v in as_list(source.get("price")) if v is not None and not isinstance(v, dict | list)
    ]
    if not values:
        low = first_value(source, "lowPrice", "highPrice")
        return None if low is None or isinstance(low, dict | list) else low
    numbers = [(schema_price(v, currency)[0], v) for v in values]
    positive = [(Decimal(p), v) for p, v in numbers if p is not None and Decimal(p) > 0]
    if not positive:
        return values[0]
    chosen = min(positive, key=lambda pair: pair[0])
    if source is offer and offer is not None:
        specs = [s for s in as_list(offer.get("priceSpecification")) if isinstance(s, dict)]
        listed = {_spec_price(s, currency) for s in specs if _is_list_spec(s)}
        current = [p for s in specs if not _is_list_spec(s) and (p := _spec_price(s, currency))]
        if chosen[0] in listed and current:
            return format(min(current), "f")
    return chosen[1]


def _is_list_spec(spec: Node) -> bool:
    return bool(_NOT_CURRENT_PRICE.search(str(spec.get("priceType", ""))))


def _spec_price(spec: Node, currency: str | None) -> Decimal | None:
    value = first_value(spec, "price")
    if value is None or isinstance(value, dict | list):
        return None
    price = schema_price(value, currency)[0]
    return Decimal(price) if price is not None and Decimal(price) > 0 else None


def offer_item(product: Node, offer: Node | None, url: str, currency_hint: str | None) -> OfferItem:
    """One OfferItem from a product node and one of its offers."""
    layer = str(product.get("@layer", JSON_LD.name))
    item = OfferItem(url=url)
    sources: list[Node] = [offer, product] if offer is not None else [product]
    spec = _current_price_spec(offer) if offer is not None else None
    if spec is not None:
        sources.insert(1, spec)

    def pick(*keys: str) -> str | None:
        for source in sources:
            text = first_text(source, *keys)
            if text:
                return text
        return None

    def put(field: str, value: str | None) -> None:
        if value and getattr(item, field) is None:
            setattr(item, field, value)
            item.explain[field] = layer

    put("name", first_text(product, "name") or pick("name"))
    currency_raw = pick("priceCurrency", "currency")
    raw_price, price, currency = None, None, None
    unusable: tuple[Any, str | None, str | None] | None = None
    for source in sources:
        raw_price = _current_raw_price(source, offer, currency_raw or currency_hint)
        if raw_price is None:
            continue
        price, currency = schema_price(raw_price, currency_raw or currency_hint)
        if price is not None and Decimal(price) > 0:
            break
        if unusable is None and (price is None or Decimal(price) != 0):
            # A negative, exponent-form or absurd price is kept as read, so that validation
            # drops the offer with its reason instead of storing it without a price.
            unusable = (raw_price, price, currency)
        raw_price, price = None, None  # a price of 0 is a template's placeholder
    if raw_price is None and unusable is not None:
        raw_price, price, currency = unusable
    if raw_price is not None:
        put("price", price)
        item.price_raw = str(raw_price)
        put("currency", currency if currency_raw or price else None)
        item.currency_raw = currency_raw
    availability_raw = pick("availability")
    put("availability", normalize_availability(availability_raw))
    item.availability_raw = availability_raw
    put("sku", pick("sku", "productID", "productId", "identifier"))
    gtin = pick("gtin13", "gtin", "gtin14", "gtin12", "gtin8", "ean", "upc", "isbn")
    put("gtin", gtin if gtin and _GTIN.match(gtin.replace(" ", "")) else None)
    put("mpn", pick("mpn"))
    put("brand", first_text(product, "brand", "manufacturer"))
    put("category", first_text(product, "category"))
    image = first_value(product, "image")
    if isinstance(image, dict):
        image = first_value(image, "url", "contentUrl", "@id")
    put("image", image if isinstance(image, str) else None)
    return item


def _address(value: str | None, url: str) -> tuple[str, str] | None:
    """The host and path an address names (``value`` read against the page's ``url``)."""
    if not value:
        return None
    parts = urlsplit(urljoin(url, value.strip()))
    if not parts.netloc:
        return None
    host = parts.netloc.casefold().removeprefix("www.")
    return host, unquote(parts.path).rstrip("/").casefold()


def _stated_address(product: Node, url: str) -> tuple[str, str] | None:
    """The page a product node says it is on: its own ``url``, else its offer's."""
    own = first_text(product, "url")
    if own:
        return _address(own, url)
    for offer in as_list(product.get("offers")):
        if isinstance(offer, dict) and (stated := first_text(offer, "url")):
            return _address(stated, url)
    return None


def _page_products_first(nodes: list[Node], url: str) -> list[Node]:
    """``nodes`` with the products that state this page's address first, when others state
    another page's: a ``@graph`` or a list of several products (the ones a related-items
    block shows) whose own product is not the first. Node order is kept otherwise."""
    page = _address(url, url)
    stated = {id(n): _stated_address(n, url) for n in nodes if is_product(n)}
    if page is None or not any(a is not None and a != page for a in stated.values()):
        return nodes
    here = [n for n in nodes if stated.get(id(n)) == page]
    if not here:
        return nodes
    chosen = {id(n) for n in here}
    return [*here, *(n for n in nodes if id(n) not in chosen)]


def schema_offer_items(nodes: list[Node], url: str, currency_hint: str | None) -> list[OfferItem]:
    """Every offer of every product node, products in node order; standalone offers last."""
    items: list[OfferItem] = []
    used: set[int] = set()
    for node in _page_products_first(nodes, url):
        if not is_product(node) or id(node) in used:
            continue
        used.add(id(node))
        offers = offers_of(node)
        # an aggregate that gave way to its members is no standalone offer either
        used.update(id(o) for o in as_list(node.get("offers")) if isinstance(o, dict))
        if not offers:
            items.append(offer_item(node, None, url, currency_hint))
        for offer in offers:
            used.add(id(offer))
            items.append(offer_item(node, offer, url, currency_hint))
    for node in nodes:
        if node_types(node) & OFFER_TYPES and id(node) not in used:
            offered = first_value(node, "itemOffered")
            product = offered if isinstance(offered, dict) else {"@layer": node.get("@layer")}
            product.setdefault("@layer", node.get("@layer"))
            items.append(offer_item(product, node, url, currency_hint))
    return items

"""Page heuristics for offers: price, availability and identifiers from the visible page.

Used only for fields the markup layers left empty. The price is the best-scoring
visible amount: inside price-named containers, near the top of the product area,
not struck through, not an old/unit/instalment price, not in headers, footers or
carousels of other products.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from spiders.extract.availability import normalize_availability
from spiders.extract.price import detect_currency, minor_units_to_decimal, normalize_price
from spiders.items import OfferItem

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "option", "select", "textarea"})  # fmt: skip
_PRICE_NAME = re.compile(r"price|prix|preis|prezzo|cena|pris|precio|preco|cost", re.I)
_NOT_CURRENT = re.compile(
    r"old|was|strike|regular|list|rrp|uvp|before|compare|crossed|original|saving|save|discount"
    r"|instal|monthly|month|per-?unit|unit-?price|base-?price|shipping|delivery|deposit"
    r"|range|min|max|filter|total|cart|basket|coupon|points|reward|retail|msrp|strk|lt-",
    re.I,
)
_ELSEWHERE = re.compile(
    r"related|recommend|carousel|similar|upsell|cross-?sell|also|bundle|accessor"
    r"|footer|header|navbar|menu|breadcrumb|sidebar|mini-?cart|sponsored|compare|history|reviews?",
    re.I,
)
_CURRENT = re.compile(r"new|sale|special|current|final|actual|now|offer|our-?price|buy", re.I)
_STRUCK_TAGS = frozenset({"del", "s", "strike"})
_UNIT_TEXT = re.compile(r"/\s*(?:kg|g|l|ml|m|m2|m²|st|stk|pc|pcs|unit|100\s?g|1\s?kg)\b|\bper\b|/\s*mo|mois|monat|miesi|month|x\s*\d|\d\s*x|%", re.I)  # fmt: skip
_AMOUNT = re.compile(r"\d")
_MAX_PRICE_TEXT = 40
_MIN_PRICE_SCORE = -1.5


@dataclass
class PriceCandidate:
    score: float
    order: int
    text: str
    price: str
    currency: str | None


def _names(element: lxml.html.HtmlElement) -> str:
    return f"{element.get('id') or ''} {element.get('class') or ''} {element.get('itemprop') or ''}"


def _own_text(element: lxml.html.HtmlElement) -> str:
    """Text directly inside the element (its children's tails too, not their text)."""
    parts = [element.text or "", *(child.tail or "" for child in element)]
    return " ".join(" ".join(parts).split())


def _ancestors(element: lxml.html.HtmlElement, depth: int) -> list[lxml.html.HtmlElement]:
    found: list[lxml.html.HtmlElement] = []
    parent = element.getparent()
    while parent is not None and len(found) < depth:
        found.append(parent)
        parent = parent.getparent()
    return found


def _main_heading_order(elements: list[lxml.html.HtmlElement]) -> int | None:
    for index, element in enumerate(elements):
        if element.tag == "h1":
            return index
    return None


def _score_price(
    element: lxml.html.HtmlElement, text: str, order: int, heading: int | None, total: int
) -> float:
    near = _ancestors(element, 3)
    far = _ancestors(element, 40)
    own_names = _names(element)
    near_names = " ".join(_names(a) for a in near)
    score = 0.0
    if _PRICE_NAME.search(own_names):
        score += 3
    elif _PRICE_NAME.search(near_names):
        score += 2
    if _NOT_CURRENT.search(own_names) or _NOT_CURRENT.search(near_names):
        score -= 4
    elif _CURRENT.search(own_names):
        score += 1
    if element.tag in _STRUCK_TAGS or any(a.tag in _STRUCK_TAGS for a in near):
        score -= 6
    if any(a.tag in ("header", "footer", "nav", "aside") for a in far):
        score -= 3
    if any(_ELSEWHERE.search(_names(a)) for a in far):
        score -= 3
    if _UNIT_TEXT.search(text):
        score -= 3
    if detect_currency(text)[1] is not None:
        score += 1
    # Prices of the main product sit close to its title; fall off with distance.
    if heading is not None:
        score -= min(3.0, abs(order - heading) / 150)
        if order < heading - 50:
            score -= 1
    else:
        score -= min(2.0, order / max(total, 1) * 4)
    return score


def best_visible_price(
    root: lxml.html.HtmlElement, currency_hint: str | None
) -> tuple[str, str | None, str] | None:
    """(price, currency, raw text) of the most plausible current price shown on the page."""
    body = root.find("body")
    elements = [
        e for e in (body if body is not None else root).iter()
        if isinstance(e.tag, str) and e.tag not in _SKIP
    ]  # fmt: skip
    heading = _main_heading_order(elements)
    candidates: list[PriceCandidate] = []
    for order, element in enumerate(elements):
        if any(a.tag in _SKIP for a in _ancestors(element, 6)):
            continue
        text = _candidate_text(element)
        if text is None:
            continue
        price, currency = normalize_price(text, currency_hint)
        if price is None or float(price) <= 0:
            continue
        score = _score_price(element, text, order, heading, len(elements))
        candidates.append(PriceCandidate(score, order, text, price, currency))
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, -c.order))
    if best.score < _MIN_PRICE_SCORE:
        return None
    return best.price, best.currency, best.text


def _candidate_text(element: lxml.html.HtmlElement) -> str | None:
    """The price-looking text an element shows, or None if it does not look like one."""
    names = _names(element)
    own = _own_text(element)
    if own and len(own) <= _MAX_PRICE_TEXT and _AMOUNT.search(own):
        if detect_currency(own)[1] is not None:
            return own
        if _PRICE_NAME.search(names) and re.fullmatch(r"[\d\s.,'’-]+", own):
            return own
    if _PRICE_NAME.search(names) and len(element) <= 6:
        # Split prices such as <span>12</span><sup>,99</sup> €: read the whole element.
        full = " ".join(element.text_content().split())
        plausible = full and len(full) <= _MAX_PRICE_TEXT and _AMOUNT.search(full)
        if plausible and full != own and detect_currency(full)[1] is not None:
            return full
    return None


def data_attribute_price(root: lxml.html.HtmlElement) -> tuple[str, str] | None:
    """(price, raw) from ``data-price``-like attributes; ``*-cents`` ones are minor units."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            lowered = name.lower()
            if not lowered.startswith("data-") or "price" not in lowered:
                continue
            if _NOT_CURRENT.search(lowered) or not re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", value):
                continue
            if "cent" in lowered or "minor" in lowered:
                price = minor_units_to_decimal(value)
            else:
                price = normalize_price(value)[0]
            if price and float(price) > 0:
                return price, value
    return None


_STOCK_NAMES = re.compile(r"(?<!un)availab|(?<!outof)stock|dostep|verfug|disponib|lager", re.I)
_HIDDEN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:hidden|hide|d-none|invisible|sr-only)(?:$|[\s_-])", re.I
)


def is_hidden(element: lxml.html.HtmlElement) -> bool:
    """True if the element or an ancestor is hidden by attribute, style or class."""
    for node in [element, *_ancestors(element, 40)]:
        style = (node.get("style") or "").replace(" ", "").lower()
        if node.get("hidden") is not None or "display:none" in style:
            return True
        if _HIDDEN_CLASS.search(node.get("class") or ""):
            return True
    return False


_CART_TEXT = re.compile(
    r"add to (?:cart|basket|bag)|buy now|ajouter au panier|dodaj do koszyka|legg i handlekurv"
    r"|in den warenkorb|aggiungi al carrello|añadir al carrito|lägg i varukorg|læg i kurv",
    re.I,
)


def visible_availability(root: lxml.html.HtmlElement) -> tuple[str, str] | None:
    """(availability, raw text) from an availability/stock element, else an add-to-cart button."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP:
            continue
        if not _STOCK_NAMES.search(_names(element)):
            continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > 120:
            continue
        availability = normalize_availability(text)
        if (availability and availability != "InStock") or (availability and len(text) < 40):
            return availability, text
    for element in root.iter("button", "input", "a"):
        label = element.get("value") if element.tag == "input" else element.text_content()
        label = " ".join((label or "").split())
        if label and len(label) < 40 and _CART_TEXT.search(label):
            return "InStock", label
    return None


_ID_INPUT_NAMES = re.compile(
    r"^(?:sku|asin|product_?id|productid|product-id|item_?id|itemid|id_product|pid|article_?id)$",
    re.I,
)
_ID_DATA_ATTRS = ("data-sku", "data-product-sku", "data-asin", "data-product-id", "data-productid", "data-item-id")  # fmt: skip
_ID_LABEL = re.compile(
    r"(?:\bsku|art(?:ikel)?\.?\s*-?\s*nr\.?|item\s*(?:no\.?|number|#)|product\s*(?:code|id|no\.?)|"
    r"kod\s+produktu|varenummer|varenr\.?|réf(?:érence)?\.?|ref\.?|codice|c[oó]digo|"
    r"numer\s+katalogowy|bestellnummer|asin|model\s*(?:no\.?|number)?)\s*[:#]?\s*"
    r"([A-Za-z0-9][A-Za-z0-9._/-]{2,30})",
    re.I,
)


def form_identifiers(root: lxml.html.HtmlElement) -> list[str]:
    """Product ids in id-named form inputs and ``data-sku``-like attributes."""
    found: list[str] = []
    for element in root.iter("input"):
        name = element.get("name") or element.get("id") or ""
        value = (element.get("value") or "").strip()
        if _ID_INPUT_NAMES.match(name) and 3 <= len(value) <= 40:
            found.append(value)
    for attr in _ID_DATA_ATTRS:
        for element in root.xpath(f"//*[@{attr}]")[:3]:
            value = (element.get(attr) or "").strip()
            if 3 <= len(value) <= 40:
                found.append(value)
    return list(dict.fromkeys(found))


def labelled_identifiers(root: lxml.html.HtmlElement) -> list[str]:
    """Ids shown after a label such as "SKU:", "Art.-Nr.", "Product code"."""
    found: list[str] = []
    for element in root.iter("span", "td", "dd", "li", "p", "div", "strong", "b"):
        text = element.text
        if text and len(text) < 80:
            match = _ID_LABEL.search(text)
            if match and any(ch.isdigit() for ch in match.group(1)):
                found.append(match.group(1).rstrip(".,"))
    return list(dict.fromkeys(found))


def heuristic_offer_fields(
    root: lxml.html.HtmlElement, url: str, offer: OfferItem, currency_hint: str | None
) -> None:
    """Fill the name, price, currency and availability of ``offer`` that are still None."""
    if offer.name is None:
        heading = next(root.iter("h1"), None)
        name = " ".join(heading.text_content().split()) if heading is not None else ""
        if name:
            offer.name = name[:500]
            offer.explain["name"] = "heuristic"
    if offer.price is None:
        visible = best_visible_price(root, offer.currency or currency_hint)
        if visible is not None:
            offer.price, currency, offer.price_raw = visible
            offer.explain["price"] = "heuristic"
            if offer.currency is None and currency:
                offer.currency = currency
                offer.explain["currency"] = "heuristic"
        else:
            attribute = data_attribute_price(root)
            if attribute is not None:
                offer.price, offer.price_raw = attribute
                offer.explain["price"] = "heuristic"
    if offer.currency is None and offer.price is not None and currency_hint:
        offer.currency = currency_hint
        offer.explain["currency"] = "heuristic"
    if offer.availability is None:
        found = visible_availability(root)
        if found is not None:
            offer.availability, offer.availability_raw = found
            offer.explain["availability"] = "heuristic"

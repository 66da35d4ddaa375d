"""Prices shown on the page: every price-looking text, scored for being the main current price.

The scan is XPath-driven (C speed): only elements whose own text holds a digit are read
in Python, and document positions are computed for the few that look like prices. A
candidate's score rises inside price-named containers and near the main heading, and
falls for struck-through, old, unit, instalment prices and for other products' blocks.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

import lxml.html

from spiders.extract.page_regions import ancestors, is_hidden
from spiders.extract.price import detect_currency, normalize_price

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "option", "select", "textarea"})  # fmt: skip
# Elements with a digit in their own text (their text or a child's tail).
_DIGIT_ELEMENTS = "//body//*[text()[translate(., '0123456789', '') != .]]"

PRICE_NAME = re.compile(r"price|prix|preis|prezzo|cena|pris|precio|preco|cost", re.I)
# Whole words of class/id names (split at separators and camelCase humps), so that "gold",
# "wash", "orange" or "admin" say nothing; no bare "list", "range", "min" or "max": those
# name product lists, price filters and layout widths as often as old prices.
_NOT_CURRENT_WORDS = frozenset(
    {"old", "was", "strike", "strikethrough", "striked", "struck", "regular", "rrp", "uvp",
     "before", "crossed", "original", "saving", "savings", "save", "discount", "instalment",
     "installment", "installments", "instalments", "monthly", "month", "unit", "unitprice",
     "baseprice", "shipping", "delivery", "deposit", "total", "coupon", "points", "reward",
     "retail", "msrp", "listprice", "oldprice", "wasprice", "compare", "compareat"}
)  # fmt: skip
_NOT_CURRENT_PAIRS = frozenset({("list", "price"), ("base", "price"), ("per", "unit")})
_CURRENT_WORDS = frozenset({"sale", "special", "current", "final", "actual", "now", "offer", "our"})
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def name_words(names: str) -> list[str]:
    """Lower-case words of class, id and itemprop names ("oldPrice" -> old, price)."""
    return [word.lower() for word in _NAME_WORD.findall(names)]


@functools.lru_cache(maxsize=4096)  # pages repeat a few class strings many times
def names_say_not_current(names: str) -> bool:
    """True if the names call a price old, list, unit, instalment or shipping."""
    words = name_words(names)
    if not _NOT_CURRENT_WORDS.isdisjoint(words):
        return True
    return any(
        not _NOT_CURRENT_PAIRS.isdisjoint(itertools.pairwise(name_words(name)))
        for name in names.split()
    )  # "list-price" is one name; "product-list price" are two


@functools.lru_cache(maxsize=4096)
def names_say_current(names: str) -> bool:
    return not _CURRENT_WORDS.isdisjoint(name_words(names))


# Words next to an amount that say it is not what the customer pays now.
_NOT_CURRENT_TEXT = re.compile(
    r"\b(?:was|statt|avant|before|rrp|uvp|msrp|list price|regular price|starting price"
    r"|prima era|zamiast|tidligere|förr|før)\b",
    re.I,
)
_ELSEWHERE = re.compile(
    r"related|recommend|carousel|similar|upsell|cross-?sell|also|bundle|accessor"
    r"|footer|header|navbar|menu|breadcrumb|sidebar|mini-?cart|sponsored|compare|history|reviews?",
    re.I,
)
_STRUCK_TAGS = frozenset({"del", "s", "strike"})
_STRUCK_STYLE = "line-through"
_UNIT_TEXT = re.compile(r"/\s*(?:kg|g|l|ml|m|m2|m²|st|stk|pc|pcs|unit|100\s?g|1\s?kg)\b|\bper\b|/\s*mo|mois|monat|miesi|month|x\s*\d|\d\s*x|%", re.I)  # fmt: skip
_MAX_PRICE_TEXT = 40
MIN_PRICE_SCORE = -1.5
"""Candidates scoring below this are not taken for the page's price."""
_FAR_DEPTH = 40


@dataclass
class PriceCandidate:
    """One price-looking text on the page and how plausible it is as the main current price."""

    score: float
    order: int
    text: str
    price: str
    currency: str | None
    old: bool
    """Struck through, old-price named or labelled ("was", "statt"): not the current price."""
    signature: str
    """Tags and classes of the element and its nearest ancestors: equal in repeated cards."""
    element: lxml.html.HtmlElement | None = None
    """Where the price is shown."""


def names_of(element: lxml.html.HtmlElement) -> str:
    """The id, class and itemprop of an element, the words layouts name things by."""
    return f"{element.get('id') or ''} {element.get('class') or ''} {element.get('itemprop') or ''}"


def own_text(element: lxml.html.HtmlElement) -> str:
    """Text directly inside the element (its children's tails too, not their text)."""
    parts = [element.text or "", *(child.tail or "" for child in element)]
    return " ".join(" ".join(parts).split())


def document_position(element: lxml.html.HtmlElement) -> int:
    """Index of the element in document order (counted in C by XPath)."""
    return int(element.xpath("count(preceding::*) + count(ancestor::*)"))


def main_heading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The first ``<h1>`` with words in it (a logo in an ``<h1>`` has none)."""
    for heading in root.iter("h1"):
        if len(" ".join(heading.text_content().split())) >= 3:
            return heading
    return None


def candidate_text(element: lxml.html.HtmlElement) -> str | None:
    """The price-looking text an element shows, or None if it does not look like one."""
    names = names_of(element)
    own = own_text(element)
    if own and len(own) <= _MAX_PRICE_TEXT and any(ch.isdigit() for ch in own):
        if detect_currency(own)[1] is not None:
            return own
        if PRICE_NAME.search(names) and re.fullmatch(r"[\d\s.,'’-]+", own):
            return own
    if PRICE_NAME.search(names) and len(element) <= 6:
        # Split prices such as <span>12</span><sup>,99</sup> €: read the whole element.
        full = " ".join(element.text_content().split())
        plausible = full and len(full) <= _MAX_PRICE_TEXT and any(ch.isdigit() for ch in full)
        if plausible and full != own and detect_currency(full)[1] is not None:
            return full
    return None


def _is_struck(element: lxml.html.HtmlElement, near: list[lxml.html.HtmlElement]) -> bool:
    for node in (element, *near):
        if node.tag in _STRUCK_TAGS or _STRUCK_STYLE in (node.get("style") or ""):
            return True
    return False


def _label_before(element: lxml.html.HtmlElement) -> str:
    """The short text just before the element (a preceding sibling or the parent's text)."""
    previous = element.getprevious()
    if previous is not None:
        text = previous.tail or ""
        if not text.strip():
            text = previous.text_content() if len(previous) <= 3 else ""
        return text[-40:]
    parent = element.getparent()
    return (parent.text or "")[-40:] if parent is not None else ""


def layout_signature(element: lxml.html.HtmlElement, near: list[lxml.html.HtmlElement]) -> str:
    return "/".join(f"{n.tag}.{n.get('class') or ''}" for n in (element, *near))


def _layout_score(element: lxml.html.HtmlElement, text: str) -> tuple[float, bool, str]:
    """(score from names, tags and text; is an old price; layout signature)."""
    near = ancestors(element, 3)
    far = ancestors(element, _FAR_DEPTH)
    own_names = names_of(element)
    near_names = " ".join(names_of(a) for a in near)
    score = 0.0
    if PRICE_NAME.search(own_names):
        score += 3
    elif PRICE_NAME.search(near_names):
        score += 2
    own_old = names_say_not_current(own_names)
    own_current = names_say_current(own_names)
    near_old = names_say_not_current(near_names)
    if own_old or near_old:
        score -= 4
    elif own_current:
        score += 1
    struck = _is_struck(element, near)
    if struck:
        score -= 6
    labelled_old = bool(_NOT_CURRENT_TEXT.search(text) or _NOT_CURRENT_TEXT.search(_label_before(element)))  # fmt: skip
    if labelled_old:
        score -= 4
    if any(a.tag in ("header", "footer", "nav", "aside") for a in far):
        score -= 3
    if any(_ELSEWHERE.search(names_of(a)) for a in far):
        score -= 3
    if _UNIT_TEXT.search(text):
        score -= 3
    if detect_currency(text)[1] is not None:
        score += 1
    # "original-price current-price" is an old price; "old-layout > price-now" is not.
    old = struck or labelled_old or own_old or (near_old and not own_current)
    return score, old, layout_signature(element, near)


def _heading_position(root: lxml.html.HtmlElement) -> int | None:
    heading = main_heading(root)
    return document_position(heading) if heading is not None else None


def _distance_penalty(root: lxml.html.HtmlElement, order: int, heading: int | None) -> float:
    """Prices of the main product sit close to its title; plausibility falls with distance."""
    if heading is not None:
        return min(3.0, abs(order - heading) / 150) + (1 if order < heading - 50 else 0)
    total = int(root.xpath("count(//*)"))
    return min(2.0, order / max(total, 1) * 4)


def price_candidates(
    root: lxml.html.HtmlElement, currency_hint: str | None
) -> list[PriceCandidate]:
    """Every visible price-looking text of the page, scored (document order, roughly)."""
    digit_elements = root.xpath(_DIGIT_ELEMENTS)
    if not digit_elements:
        return []
    # Split prices put the digits in children: their price-named parents are candidates too.
    elements: dict[lxml.html.HtmlElement, None] = {}
    for element in digit_elements:
        if element.tag in _SKIP_TAGS:
            continue
        for parent in ancestors(element, 2):
            if PRICE_NAME.search(names_of(parent)):
                elements[parent] = None
        elements[element] = None
    found: list[tuple[lxml.html.HtmlElement, str, str, str | None]] = []
    for element in elements:
        text = candidate_text(element)
        if text is None or any(a.tag in _SKIP_TAGS for a in ancestors(element, _FAR_DEPTH)):
            continue
        price, currency = normalize_price(text, currency_hint)
        if price is None or float(price) <= 0 or is_hidden(element):
            continue
        found.append((element, text, price, currency))
    if not found:
        return []
    heading = _heading_position(root)
    candidates = []
    for index, (element, text, price, currency) in enumerate(found):
        score, old, signature = _layout_score(element, text)
        order = len(found) + index  # placeholder: positions cost, losers need none
        if score >= MIN_PRICE_SCORE:
            order = document_position(element)
            score -= _distance_penalty(root, order, heading)
        candidates.append(
            PriceCandidate(score, order, text, price, currency, old, signature, element)
        )
    return candidates


def shown_prices(
    root: lxml.html.HtmlElement, amount: str, currency_hint: str | None
) -> list[PriceCandidate]:
    """Candidates showing ``amount`` (a decimal string), found through the text nodes that
    hold its last integer digits: a cheap look without scanning every price on the page."""
    digits = amount.split(".")[0][-3:] or "0"
    if not digits.isdigit():
        return []
    elements: dict[lxml.html.HtmlElement, None] = {}
    for element in root.xpath(f"//body//text()[contains(., '{digits}')]/.."):
        if element.tag in _SKIP_TAGS:
            continue
        elements[element] = None
        for parent in ancestors(element, 2):
            if PRICE_NAME.search(names_of(parent)):
                elements[parent] = None
    shown = []
    heading: int | None = None
    heading_known = False  # found on first need: most pages confirm nothing
    for element in elements:
        text = candidate_text(element)
        if text is None or any(a.tag in _SKIP_TAGS for a in ancestors(element, _FAR_DEPTH)):
            continue
        price, currency = normalize_price(text, currency_hint)
        if price is None or Decimal(price) != Decimal(amount):
            continue
        score, old, signature = _layout_score(element, text)
        order = 0
        if score >= MIN_PRICE_SCORE:
            order = document_position(element)
            if not heading_known:
                heading, heading_known = _heading_position(root), True
            score -= _distance_penalty(root, order, heading)
        shown.append(PriceCandidate(score, order, text, price, currency, old, signature))
    return shown

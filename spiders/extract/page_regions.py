"""Where an element sits on the page: hidden, in the page's chrome, or one of repeated blocks.

Availability signals count only for the main product: not in headers, footers and menus,
not hidden, and not in lists that repeat the same block (product cards, other sellers'
offers, variant tables).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.etree
import lxml.html

FAR_DEPTH = 40
"""How far up an element's ancestors are read (hidden, in the chrome, among skipped tags)."""
_FAR_DEPTH = FAR_DEPTH
# Not <aside>: shops put the buy box in a sidebar as often as other products.
_CHROME_TAGS = frozenset({"header", "footer", "nav"})
# Containers of other products, by a word starting a class or id ("related-products",
# "recommendations", "swiper-slide"); whole words, so "product-top compare1" is not one.
_OTHER_PRODUCTS = re.compile(
    r"(?:^|[\s_-])(?:related|recommend|carousel|slider|swiper|similar|upsell|up-sell|cross-?sell"
    r"|also|bundle|recently|viewed)",
    re.I,
)
_OTHER_PRODUCTS_DEPTH = 12
# Whole class tokens only: "mobile-hide" or "jl-focusmanager-hide" hide nothing on desktop.
_HIDDEN_CLASSES = frozenset({"hidden", "hide", "d-none", "invisible", "sr-only", "visually-hidden",
                             "is-hidden", "u-hidden", "hidden-all", "display-none"})  # fmt: skip
# A block this many levels up can be the repeated one (a shop row holding a variants table).
_LIST_DEPTH = 8
REPEATED_BLOCKS = 3
"""This many blocks of the same layout are a list (cards, offers, variants), not the product."""


def is_hidden(element: lxml.html.HtmlElement) -> bool:
    """True if the element or an ancestor is hidden by attribute, inline style or class."""
    return hidden_among(element, ancestors(element, _FAR_DEPTH))


def hidden_among(
    element: lxml.html.HtmlElement,
    far: list[lxml.html.HtmlElement],
    judged: dict[lxml.html.HtmlElement, bool] | None = None,
) -> bool:
    """``is_hidden`` for an element whose ancestors up to ``FAR_DEPTH`` (``far``, nearest
    first) a caller has already listed: one walk up the tree, not two. ``judged``: whether
    each element hides itself, for the elements judged so far (a caller that asks for many
    elements of a page, which share most of their ancestors, keeps it)."""
    if judged is None:
        return _hides_itself(element) or any(_hides_itself(node) for node in far)
    return any(_judged_hiding(node, judged) for node in (element, *far))


def _judged_hiding(node: lxml.html.HtmlElement, judged: dict[lxml.html.HtmlElement, bool]) -> bool:
    hides = judged.get(node)
    if hides is None:
        hides = judged[node] = _hides_itself(node)
    return hides


def ancestors(element: lxml.html.HtmlElement, depth: int) -> list[lxml.html.HtmlElement]:
    """Up to ``depth`` ancestors, nearest first."""
    found: list[lxml.html.HtmlElement] = []
    parent = element.getparent()
    while parent is not None and len(found) < depth:
        found.append(parent)
        parent = parent.getparent()
    return found


def _hides_itself(node: lxml.html.HtmlElement) -> bool:
    if node.get("hidden") is not None:
        return True
    style = node.get("style")
    if style:
        style = style.replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
    classes = node.get("class")
    return bool(classes) and not _HIDDEN_CLASSES.isdisjoint(classes.lower().split())


def shown_text(element: lxml.html.HtmlElement) -> str:
    """The element's text without its hidden descendants (a button's alternate-state
    label such as a hidden "Sold out" next to the shown "Add to cart")."""
    if not element.xpath(".//*[@hidden or @style or @class]"):
        return element.text_content()
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and not _hides_itself(child):
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def in_page_chrome(element: lxml.html.HtmlElement) -> bool:
    """True inside ``<header>``, ``<footer>`` or ``<nav>``."""
    return any(a.tag in _CHROME_TAGS for a in ancestors(element, _FAR_DEPTH))


def repeated_block(
    element: lxml.html.HtmlElement, is_alike: Callable[[lxml.html.HtmlElement], bool]
) -> bool:
    """True if the element sits in one of a list's repeated blocks: it or a near ancestor
    has ``REPEATED_BLOCKS`` siblings of its tag (itself included) that are, or hold on the
    same path of tags, an element passing ``is_alike`` (rows of an offers table, product
    cards with a stock line). Unlike blocks that say a state somewhere else (a widget's "In
    stock" beside the product's "Sold out") make no list: with class names hashed, which
    stock line is named so cannot tell them apart."""
    path: list[str] = []  # tags from the block down to the element
    for node in (element, *ancestors(element, _LIST_DEPTH)):
        parent = node.getparent()
        if parent is None:
            break
        # The sibling itself or an element on the same path of tags below it (compiled once
        # for all the siblings).
        below = lxml.etree.XPath(
            " | ".join("/".join(["self::*", *path[:n]]) for n in range(len(path) + 1))
        )
        alike = 0
        for sibling in parent:
            if sibling.tag == node.tag and any(is_alike(e) for e in below(sibling)):
                alike += 1
                if alike >= REPEATED_BLOCKS:
                    return True
        path.insert(0, _step(node.tag))
    return False


_NAME = re.compile(r"[A-Za-z_][\w.-]*")


def _step(tag: object) -> str:
    """An XPath step for a tag: its name, or any element for a name XPath cannot say
    ("o:p" of pasted office markup, comments' tags)."""
    return tag if isinstance(tag, str) and _NAME.fullmatch(tag) else "*"


def in_other_products(element: lxml.html.HtmlElement) -> bool:
    """True inside a block named for other products (related, recommended, carousels)."""
    return any(
        _OTHER_PRODUCTS.search(f"{a.get('class') or ''} {a.get('id') or ''}")
        for a in (element, *ancestors(element, _OTHER_PRODUCTS_DEPTH))
    )


def main_area(element: lxml.html.HtmlElement) -> bool:
    """Not hidden, not in the page's chrome and not among other products."""
    return not in_page_chrome(element) and not in_other_products(element) and not is_hidden(element)

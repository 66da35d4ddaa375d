"""Microdata (``itemscope``/``itemprop``) and RDFa Lite (``typeof``/``property``) -> nodes.

One pass over the tree that extruct would make twice (and RDFa through rdflib,
which is slow). Properties outside any item (``itemprop="price"`` on a bare span)
are kept in a loose node typed ``Orphan`` so later layers can still use them.
"""

from __future__ import annotations

from typing import Any

import lxml.html

from spiders.extract.layers import MICRODATA, RDFA
from spiders.extract.nodes import Node, short_name
from spiders.raw_fields import find_date

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_URL_ATTRS = {"a": "href", "link": "href", "area": "href", "img": "src", "audio": "src",
              "video": "src", "source": "src", "iframe": "src", "embed": "src", "object": "data"}  # fmt: skip


def property_value(element: lxml.html.HtmlElement) -> str:
    """The value an ``itemprop``/``property`` element carries (microdata rules)."""
    for attr in ("content", "datetime", "value"):
        value = element.get(attr)
        if value is not None:
            return value.strip()
    url_attr = _URL_ATTRS.get(element.tag) if isinstance(element.tag, str) else None
    if url_attr and element.get(url_attr) is not None:
        return (element.get(url_attr) or "").strip()
    return " ".join(element.text_content().split())


def _new_node(element: lxml.html.HtmlElement, layer: str, type_attr: str) -> Node:
    types = [short_name(t) for t in (element.get(type_attr) or "").split() if t]
    node: Node = {"@type": types, "@layer": layer}
    if any(t.lower() == "review" for t in types):
        node["@element"] = element  # a review without reviewBody shows its text there
    if element.get("itemid"):
        node["@id"] = element.get("itemid")
    lang = element.get("lang")
    if lang:
        node["@lang"] = lang
    return node


def _add(node: Node, names: str, value: Any) -> None:
    for name in names.split():
        key = short_name(name)
        if key:
            node.setdefault(key, []).append(value)


_PROPERTY_ATTRS = ("itemprop", "property", "itemscope", "typeof")
_BLOCK_MIN_CHARS = 2
_WRAPPER_SHARE = 0.9
_MAX_TEXT_DEPTH = 100
_DATE_LINE_CHARS = 40


def _claimed(element: lxml.html.HtmlElement) -> bool:
    return (
        not isinstance(element.tag, str)
        or element.tag in _SKIP_TAGS
        or any(element.get(a) is not None for a in _PROPERTY_ATTRS)
    )


def _free_text(element: lxml.html.HtmlElement, depth: int = 0) -> str:
    """The element's text without the parts properties or nested items claim."""
    pieces = [element.text or ""]
    for child in element:
        if not _claimed(child) and depth < _MAX_TEXT_DEPTH:
            pieces.append(_free_text(child, depth + 1))
        pieces.append(child.tail or "")
    return " ".join(" ".join(pieces).split())


def unclaimed_text(element: lxml.html.HtmlElement) -> str | None:
    """The body of a review whose markup names only its author, date and rating: the
    largest block of the item's text that no property claims. A child holding nearly all
    the text is a wrapper and is looked into; an element whose own text outweighs each
    child's (inline <b>, <br>) is the block itself."""
    current = element
    for _ in range(_MAX_TEXT_DEPTH):
        total = _free_text(current)
        children = [(_free_text(c), c) for c in current if not _claimed(c)]
        children = [(text, child) for text, child in children if text]
        if not children:
            break
        top_text, top = max(children, key=lambda pair: len(pair[0]))
        own = len(total) - sum(len(text) for text, _ in children)
        if own > len(top_text):
            break
        if len(top_text) < _WRAPPER_SHARE * len(total):
            total = top_text
            break
        current = top
    else:
        total = _free_text(current)
    if len(total) < _BLOCK_MIN_CHARS or not any(c.isalpha() for c in total):
        return None
    if len(total) <= _DATE_LINE_CHARS and find_date(total) is not None:
        return None  # a shown date ("4. februar 2026") is not the review's words
    return total


def markup_nodes(root: lxml.html.HtmlElement, *, microdata: bool, rdfa: bool) -> list[Node]:
    """Typed nodes (every item, nested ones included) from the chosen syntaxes,
    plus one ``Orphan`` node per syntax holding properties outside any item."""
    nodes: list[Node] = []
    orphans = {MICRODATA.name: {"@type": ["Orphan"], "@layer": MICRODATA.name},
               RDFA.name: {"@type": ["Orphan"], "@layer": RDFA.name}}  # fmt: skip
    tests = [*(["@itemscope", "@itemprop"] if microdata else []),
             *(["@typeof", "@property"] if rdfa else [])]  # fmt: skip
    if not tests:
        return nodes
    # Only elements carrying the syntax's attributes, in document order (XPath, in C;
    # descendant::, not "//", which libxml2 reads as the children of every node, merged);
    # an element's item is the node of its nearest ancestor that opened one.
    items: dict[lxml.html.HtmlElement, tuple[Node | None, Node | None]] = {}
    for element in root.xpath(f"/descendant::*[{' or '.join(tests)}]"):
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            continue
        md_item, rdfa_item, skipped = _enclosing_items(element, items)
        if skipped:
            continue
        child_md, child_rdfa = md_item, rdfa_item
        if microdata:
            child_md = _microdata_step(element, md_item, nodes, orphans[MICRODATA.name])
        if rdfa:
            child_rdfa = _rdfa_step(element, rdfa_item, nodes, orphans[RDFA.name])
        if child_md is not md_item or child_rdfa is not rdfa_item:
            items[element] = (child_md, child_rdfa)
    for orphan in orphans.values():
        if len(orphan) > 2:
            nodes.append(orphan)
    return nodes


def _enclosing_items(
    element: lxml.html.HtmlElement,
    items: dict[lxml.html.HtmlElement, tuple[Node | None, Node | None]],
) -> tuple[Node | None, Node | None, bool]:
    """(microdata item, RDFa item, inside a skipped tag) for an element's ancestors.
    The nearest ancestor that opened an item holds the whole state (inherited items too)."""
    nearest: tuple[Node | None, Node | None] | None = None
    for ancestor in element.iterancestors():
        if ancestor.tag in _SKIP_TAGS:
            return None, None, True
        if nearest is None:
            nearest = items.get(ancestor)
    md_item, rdfa_item = nearest if nearest is not None else (None, None)
    return md_item, rdfa_item, False


def _microdata_step(
    element: lxml.html.HtmlElement, item: Node | None, nodes: list[Node], orphan: Node
) -> Node | None:
    prop = element.get("itemprop")
    if element.get("itemscope") is not None:
        new = _new_node(element, MICRODATA.name, "itemtype")
        nodes.append(new)
        if prop:
            _add(item if item is not None else orphan, prop, new)
        return new
    if prop:
        _add(item if item is not None else orphan, prop, property_value(element))
    return item


def _rdfa_step(
    element: lxml.html.HtmlElement, item: Node | None, nodes: list[Node], orphan: Node
) -> Node | None:
    prop = element.get("property")
    if element.get("typeof") is not None:
        new = _new_node(element, RDFA.name, "typeof")
        if element.get("resource"):
            new["@id"] = element.get("resource")
        nodes.append(new)
        if prop:
            _add(item if item is not None else orphan, prop, new)
        return new
    if prop and not (element.tag == "meta" and item is None and ":" in prop):
        # Top-level <meta property="og:..."> is OpenGraph, read by the meta layer.
        value = element.get("resource") or element.get("href") or property_value(element)
        _add(item if item is not None else orphan, prop, value)
    return item

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
    # Only elements carrying the syntax's attributes, in document order (XPath, in C);
    # an element's item is the node of its nearest ancestor that opened one.
    items: dict[lxml.html.HtmlElement, tuple[Node | None, Node | None]] = {}
    for element in root.xpath(f"//*[{' or '.join(tests)}]"):
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

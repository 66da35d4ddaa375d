"""One shape for schema.org data from every syntax: a ``Node`` is a dict with
``@type`` (list of short type names), ``@layer`` (the syntax it came from) and the
properties as found (a value, a nested node, or a list of either)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from spiders.extract.layers import JSON_LD

Node = dict[str, Any]

_PREFIX = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:schema\.org/|data-vocabulary\.org/|[a-z]+:)", re.I
)


@lru_cache(maxsize=4096)  # pages repeat the same few property and type names
def short_name(term: str) -> str:
    """``"http://schema.org/Product"`` / ``"schema:price"`` -> ``"Product"`` / ``"price"``."""
    term = term.strip()
    term = _PREFIX.sub("", term)
    return term.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def node_types(node: Node) -> frozenset[str]:
    """Lower-cased short type names of a node (computed once, kept in ``@types``)."""
    value = node.get("@type")
    cached = node.get("@types")
    if cached is not None and cached[0] is value:
        return cached[1]
    if isinstance(value, str):
        names = frozenset({short_name(value).lower()} if value else ())
    elif isinstance(value, list):
        names = frozenset(short_name(str(t)).lower() for t in value if t)
    else:
        names = frozenset()
    node["@types"] = (value, names)
    return names


def as_list(value: Any) -> list[Any]:
    """A property value as a list (None -> [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first_value(node: Node, *keys: str) -> Any:
    """The first non-empty value of the first key present (lists give their first item)."""
    for key in keys:
        for value in as_list(node.get(key)):
            if value is None or value == "" or value == []:
                continue
            return value
    return None


def first_text(node: Node, *keys: str) -> str | None:
    """Like ``first_value`` but as collapsed text; a nested node gives its ``name``."""
    value = first_value(node, *keys)
    if isinstance(value, dict):
        value = first_value(value, "name", "@value", "value", "@id")
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None


def jsonld_nodes(values: list[Any]) -> list[Node]:
    """Every typed dict in JSON-LD values (``@graph`` and nesting included), with
    ``{"@id": ...}`` references replaced by the node they name."""
    by_id: dict[str, Node] = {}
    nodes: list[Node] = []
    for node in _walk(values):
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 1:
            by_id.setdefault(node_id, node)
        if "@type" in node:
            node["@layer"] = JSON_LD.name
            nodes.append(node)
    if by_id:
        for node in nodes:
            _resolve_references(node, by_id)
    return nodes


def _walk(value: Any) -> Iterator[Node]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, dict | list)]))


def _resolve_references(node: Node, by_id: dict[str, Node]) -> None:
    for key, value in node.items():
        if isinstance(value, dict) and set(value) == {"@id"}:
            node[key] = by_id.get(value["@id"], value)
        elif isinstance(value, list):
            node[key] = [
                by_id.get(v["@id"], v) if isinstance(v, dict) and set(v) == {"@id"} else v
                for v in value
            ]

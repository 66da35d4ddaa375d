"""A saved page with everything but its visible layout taken out: what a shop whose markup
is missing shows, for measuring the visible reading alone (``offers.py --strip-markup``).

Taken out: every ``<script>`` (JSON-LD and the shop's script state), the microdata and RDFa
attributes (``itemscope``, ``itemprop``, ``typeof``, ``property``, ...; ``content`` outside
``<meta>``), ``<link>`` tags that carry properties and ``<meta>`` tags (OpenGraph, ``product:``,
``twitter:``, itemprop metas: every ``<meta>``, the page is written back as UTF-8 with a
charset tag of its own). The visible text, classes, ids and other attributes stay.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from spiders.extract.document import parse_document

_MARKUP_ATTRIBUTES = ("itemscope", "itemprop", "itemtype", "itemid", "itemref", "typeof",
                      "property", "vocab", "prefix", "about", "resource", "datatype")  # fmt: skip


def strip_markup(html: bytes) -> bytes:
    """``html`` as UTF-8 bytes without structured data (see the module doc)."""
    root = parse_document(html).root
    if root is None:
        return html
    for element in list(root.iter("script")):
        _drop(element)
    for element in list(root.iter("meta", "link")):
        if element.tag == "link" and not (element.get("itemprop") or element.get("property")):
            continue
        _drop(element)  # every meta: the charset ones too, the page is written as UTF-8
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in _MARKUP_ATTRIBUTES:
            element.attrib.pop(name, None)
        if element.tag != "meta":
            element.attrib.pop("content", None)
    head = root.find("head")
    if head is not None:
        head.insert(0, lxml.html.Element("meta", charset="utf-8"))
    body: bytes = lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
    return body


def _drop(element: lxml.etree._Element) -> None:
    """Remove ``element`` and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail

"""An element's text as a reader sees it. Pure.

``text_content()`` and XPath ``string()`` glue the words either side of a ``<br>``
("quality.<br>Didn't" -> "quality.Didn't") and include scripts and styles; every reader of
an element's visible text (layout heuristics, ``mode = "selectors"``, ``targets suggest``)
reads it here instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml.etree import _Element

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})
"""Elements whose text no reader sees."""


def text_pieces(element: _Element) -> Iterator[str]:
    """The element's visible text in document order, a line break as a space (lazily: a
    reader of the first few words stops early)."""
    for node in element.iter():
        if node.tag == "br":
            yield " "
        elif isinstance(node.tag, str) and node.tag not in SKIP_TAGS and node.text:
            yield node.text
        if node is not element and node.tail:
            yield node.tail


def flat_text(element: _Element) -> str:
    """Whitespace-collapsed text, a line break counting as a space (as readers see it)."""
    return " ".join("".join(text_pieces(element)).split())

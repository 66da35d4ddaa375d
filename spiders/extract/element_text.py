"""An element's text as a reader sees it. Pure.

``text_content()`` and XPath ``string()`` glue the words either side of a ``<br>``
("quality.<br>Didn't" -> "quality.Didn't") and include scripts and styles; every reader of
an element's visible text (layout heuristics, ``mode = "selectors"``, ``targets suggest``)
reads it here instead.
"""

from __future__ import annotations

import re
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


# An amount complete with its decimal part or grouping ("129,99", "1.299") ending a text.
_COMPLETE_AMOUNT_END = re.compile(r"\d[.,'’]\d+$")


def starts_another_amount(before: str, piece: str) -> bool:
    """True if ``piece``, the text after an element boundary, opens another amount than the
    one ``before`` ends with: an amount complete with its decimal mark or grouping then
    digits ("<s>129,99</s><b>99,99</b>", "<span>1.299</span><span>999</span>") are two
    amounts, never one number. Digits without a mark before the boundary may still be
    the head of a split amount ("<span>1</span><span>299</span>", "<b>12</b><b>,99</b>")."""
    return piece[:1].isdigit() and _COMPLETE_AMOUNT_END.search(before[-12:]) is not None


def flat_text(element: _Element) -> str:
    """Whitespace-collapsed text, a line break counting as a space (as readers see it), a
    space between two amounts an element boundary parts (``starts_another_amount``)."""
    parts: list[str] = []
    for piece in text_pieces(element):
        if parts and starts_another_amount(parts[-1], piece):
            parts.append(" ")
        parts.append(piece)
    return " ".join("".join(parts).split())

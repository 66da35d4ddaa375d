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


# A whole amount ending a text: bare digits, or digits grouped by threes ("129", "1.299",
# "12 990"), not an amount finished by its decimal part ("129,99").
_WHOLE_AMOUNT_END = re.compile(r"(?:(?<![\d.,'’ ])\d{1,3}(?:[.,'’ ]\d{3})+|(?<![\d.,'’])\d+)$")
_TWO_DIGITS = re.compile(r"\d\d")


def cents_after(before: str, piece: str) -> bool:
    """True if ``piece``, the whole text of an element, is the cents of the whole amount
    ``before`` ends with: exactly two digits right after its digits, no space between
    ("<span>1.299</span><span>99</span>", "<b>129</b><small>99</small>"). Grouping never
    leaves two digits at an amount's end, so the two digits are its fraction; an amount
    already finished by its decimal part ("<s>129,99</s><b>99</b>"), or a space between,
    makes them another amount."""
    return (
        _TWO_DIGITS.fullmatch(piece) is not None
        and _WHOLE_AMOUNT_END.search(before[-16:]) is not None
    )


def flat_text(element: _Element) -> str:
    """Whitespace-collapsed text, a line break counting as a space (as readers see it), a
    space between two amounts an element boundary parts (``starts_another_amount``)."""
    parts: list[str] = []
    for piece in text_pieces(element):
        if parts and starts_another_amount(parts[-1], piece):
            parts.append(" ")
        parts.append(piece)
    return " ".join("".join(parts).split())

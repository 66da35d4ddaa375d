"""Text shown to a reader (a terminal, Markdown) with the characters that would change how
the rest reads made visible: bidirectional overrides and isolates (U+202A-U+202E,
U+2066-U+2069: "Evil\u202eoC" shows as "EvilCo" reversed) and control characters (escape
sequences, a bell, a carriage return), each written as its code, ``\\u202e``, ``\\x1b``.
Line breaks and tabs are kept. HTML output escapes on its own and keeps the text."""

from __future__ import annotations

import re

_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _code(match: re.Match[str]) -> str:
    point = ord(match[0])
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def visible_controls(text: str) -> str:
    """``text`` with each bidi override or isolate and each control character but a line
    break or a tab written as its code (``\\u202e``), so none reorders or restyles what an
    analyst reads; other text unchanged."""
    return _HIDDEN.sub(_code, text)


def visible_json(document: str) -> str:
    """A JSON document (``json.dumps(..., ensure_ascii=False)``) with each such character
    written as its JSON escape (``\\u202e``): shown as its code on a terminal, read back
    as the same text by any JSON reader."""
    return _HIDDEN.sub(lambda match: f"\\u{ord(match[0]):04x}", document)

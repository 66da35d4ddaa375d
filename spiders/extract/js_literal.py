"""JavaScript object and array literals read as data, never run.

Shops write their analytics events and state as JavaScript rather than JSON:
``dataLayer.push({event: 'view_item', items: [{item_id: 'KB-77', price: 89.00,}]})``.
``read_literal`` reads such a literal from where it starts: keys as identifiers, strings or
numbers; strings in single, double or back quotes (a template with ``${`` is refused);
trailing commas; ``//`` and ``/* */`` comments; ``true``, ``false``, ``null``, ``undefined``
(None), ``!0`` and ``!1`` (true and false); numbers as JSON reads them (plus hexadecimal).
Anything else is code, not data, and the whole literal is refused (``LiteralRefused``):
an identifier or call as a value (``price: p``, ``new Date()``), a spread, a method, a
computed or shorthand key, an elided array item, ``NaN``.

Bounded whatever a page sends: a literal longer than ``MAX_LITERAL_CHARS`` (about 8 ms of
reading) or nested deeper than ``MAX_DEPTH`` is refused, no recursion is used, and each refusal says how far the text
was scanned (``LiteralRefused.position``) so a caller trying many starts can skip those
already scanned and stay linear in the script's length.
"""

from __future__ import annotations

import json
import re

MAX_LITERAL_CHARS = 50_000
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 40

_SPACE = re.compile(r"[\s\ufeff]*")
_IDENTIFIER = re.compile(r"(?:[^\W\d]|\$)[\w$]*")
_NUMBER = re.compile(
    r"-?(?:0[xX][0-9a-fA-F]+|(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
)
# A string's body up to its closing quote (or to where it cannot go on: a bare line break).
_BODIES = {
    "'": re.compile(r"'([^'\\\n\r]*(?:\\(?:\r\n|[\s\S])[^'\\\n\r]*)*)"),
    '"': re.compile(r'"([^"\\\n\r]*(?:\\(?:\r\n|[\s\S])[^"\\\n\r]*)*)'),
    "`": re.compile(r"`([^`\\$]*(?:(?:\\[\s\S]|\$(?!\{))[^`\\$]*)*)"),
}
# A JavaScript escape, rewritten as JSON's: \x41 -> \u0041, \v, \0, \' and a line continued.
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|\r\n|[\s\S])|\"")
_JSON_ESCAPES = {"n": "\\n", "t": "\\t", "r": "\\r", "b": "\\b", "f": "\\f", "/": "/",
                 "\\": "\\\\", '"': '\\"', "v": "\\u000b", "0": "\\u0000"}  # fmt: skip
_LINE_BREAKS = frozenset({"\n", "\r", "\r\n", "\u2028", "\u2029"})
_WORDS: dict[str, object] = {"true": True, "false": False, "null": None, "undefined": None}
_NOT_AFTER_WORD = re.compile(r"[\w$]")
_DECODER = json.JSONDecoder(strict=False)


class LiteralRefused(ValueError):
    """The text at the start is no literal this reader takes; ``position``: how far it was
    scanned."""

    def __init__(self, reason: str, position: int) -> None:
        super().__init__(f"{reason} at {position}")
        self.position = position


def read_literal(text: str, start: int, max_chars: int | None = None) -> tuple[object, int]:
    """The object or array literal starting at ``text[start]`` (a ``{`` or ``[``) as JSON
    would give it (dicts, lists, str, int, float, bool, None), and the index after it;
    refused past ``max_chars`` (at most ``MAX_LITERAL_CHARS``)."""
    most = MAX_LITERAL_CHARS if max_chars is None else min(max_chars, MAX_LITERAL_CHARS)
    limit = min(len(text), start + most)
    if text[start : start + 1] not in ("{", "["):
        raise LiteralRefused("no object or array", start)
    # Each open container: (the container, the key its next value goes under).
    stack: list[tuple[dict[str, object] | list[object], str | None]] = []
    pos = start
    value: object = None
    while True:
        pos = _skip(text, pos, limit)
        char = text[pos]
        # A value starts here: open a container or read a scalar.
        if char in "{[":
            if len(stack) >= MAX_DEPTH:
                raise LiteralRefused("nested too deep", pos)
            container: dict[str, object] | list[object] = {} if char == "{" else []
            pos = _skip(text, pos + 1, limit)
            closer = "}" if char == "{" else "]"
            if text[pos] == closer:
                value, pos = container, pos + 1
            else:
                key = None
                if isinstance(container, dict):
                    key, pos = _key(text, pos, limit)
                stack.append((container, key))
                continue
        else:
            value, pos = _scalar(text, pos, limit)
        # A value is read: put it in its container, then close containers or go on.
        while True:
            if not stack:
                return value, pos
            container, key = stack[-1]
            if key is None:
                assert isinstance(container, list)
                container.append(value)
            else:
                assert isinstance(container, dict)
                container[key] = value
            closer = "]" if key is None else "}"
            pos = _skip(text, pos, limit)
            if text[pos] == ",":
                pos = _skip(text, pos + 1, limit)
                if text[pos] != closer:  # a trailing comma closes like no comma
                    break
            if text[pos] != closer:
                raise LiteralRefused(f"expected , or {closer}", pos)
            stack.pop()
            value, pos = container, pos + 1
        if key is not None:
            key, pos = _key(text, pos, limit)
            stack[-1] = (stack[-1][0], key)


def _skip(text: str, pos: int, limit: int) -> int:
    """The index after spaces and comments from ``pos``; refused at the end of the text."""
    while pos < limit:
        char = text[pos]
        if char == "/" and text.startswith("//", pos, limit):
            end = text.find("\n", pos, limit)
            pos = limit if end < 0 else end
        elif char == "/" and text.startswith("/*", pos, limit):
            end = text.find("*/", pos + 2, limit)
            if end < 0:
                raise LiteralRefused("unclosed comment", limit)
            pos = end + 2
        elif char.isspace() or char == "\ufeff":
            pos = _SPACE.match(text, pos, limit).end()  # type: ignore[union-attr]
        else:
            return pos
    raise LiteralRefused("ends unclosed", pos)


def _key(text: str, pos: int, limit: int) -> tuple[str, int]:
    """A property name and the index after its colon."""
    char = text[pos]
    if char in _BODIES:
        key, pos = _string(text, pos, limit)
    elif match := _IDENTIFIER.match(text, pos, limit) or _NUMBER.match(text, pos, limit):
        key, pos = match.group(), match.end()
    else:
        raise LiteralRefused("no property name", pos)
    pos = _skip(text, pos, limit)
    if text[pos] != ":":
        raise LiteralRefused("no colon after a name", pos)
    return key, pos + 1


def _scalar(text: str, pos: int, limit: int) -> tuple[object, int]:
    char = text[pos]
    if char in _BODIES:
        return _string(text, pos, limit)
    if char == "!" and text[pos + 1 : pos + 2] in ("0", "1") and pos + 2 <= limit:
        end = pos + 2
        if not _NOT_AFTER_WORD.match(text, end, limit):
            return text[pos + 1] == "0", end
    if match := _NUMBER.match(text, pos, limit):
        number, end = match.group(), match.end()
        if len(number) > MAX_NUMBER_CHARS or _NOT_AFTER_WORD.match(text, end, limit):
            raise LiteralRefused("not a number", end)
        digits = number.lstrip("-")
        if digits[:2] in ("0x", "0X"):
            return int(number.replace("0x", "").replace("0X", ""), 16), end
        if "." in number or "e" in number or "E" in number:
            return float(number), end
        return int(number), end
    if match := _IDENTIFIER.match(text, pos, limit):
        word = match.group()
        if word in _WORDS:
            return _WORDS[word], match.end()
        raise LiteralRefused("code, not data", match.end())
    raise LiteralRefused("code, not data", pos)


def _string(text: str, pos: int, limit: int) -> tuple[str, int]:
    """The string literal at ``pos`` and the index after its closing quote."""
    quote = text[pos]
    match = _BODIES[quote].match(text, pos, limit)
    assert match is not None  # the opening quote always matches
    end = match.end()
    if text[end : end + 1] != quote or end >= limit:
        raise LiteralRefused("unclosed string", end)
    body = match.group(1)
    if "\\" not in body and '"' not in body:
        return body, end + 1
    try:
        value = _DECODER.decode('"' + _ESCAPE.sub(_json_escape, body) + '"')
    except ValueError:
        raise LiteralRefused("bad escape", end) from None
    assert isinstance(value, str)
    return value, end + 1


def _json_escape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape is None:
        return '\\"'  # a bare double quote inside single or back quotes
    if escape in _JSON_ESCAPES:
        return _JSON_ESCAPES[escape]
    if escape in _LINE_BREAKS:
        return ""  # a line continued
    if escape[0] == "x" and len(escape) == 3:
        return "\\u00" + escape[1:]
    if escape.startswith("u{"):
        code = int(escape[2:-1], 16)
        if code > 0x10FFFF:
            raise ValueError("no such code point")
        return json.dumps(chr(code))[1:-1]
    if escape[0] == "u" and len(escape) == 5:
        return "\\" + escape
    return json.dumps(escape)[1:-1]  # \' or any other character stands for itself

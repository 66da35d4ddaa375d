"""JSON-LD blocks -> Python objects, repairing the mistakes real shops make.

Shops ship trailing commas, HTML entities, comments, raw newlines in strings and
several objects in one ``<script>``. ``json.loads`` is tried first (fast path); the
repairs run only when it fails, and each repaired block adds a warning.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import lxml.html

from spiders.extract.json_text import LinelessText

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LINE_COMMENT = re.compile(r"^\s*//[^\n]*$", re.MULTILINE)
_WRAPPERS = re.compile(r"<!--|-->|<!\[CDATA\[|\]\]>")
MAX_JSON_NUMBER_LENGTH = 40


def _json_int(text: str) -> int | str:
    # Python refuses int() of more than 4300 digits, which would lose the whole block;
    # a long number stays text, for the field's parser to refuse with a reason.
    return int(text) if len(text) <= MAX_JSON_NUMBER_LENGTH else text


def _json_float(text: str) -> float | str:
    # 1e400 would become infinity and 1e5 a float: exponent forms stay text, so that
    # prices refuse them with a reason instead of reading a wrong number.
    if "e" in text or "E" in text or len(text) > MAX_JSON_NUMBER_LENGTH:
        return text
    return float(text)


_DECODER = json.JSONDecoder(strict=False, parse_int=_json_int, parse_float=_json_float)


def jsonld_scripts(root: lxml.html.HtmlElement) -> list[str]:
    """Texts of the page's ``<script type="application/ld+json">`` elements."""
    texts = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind and script.text:
            texts.append(script.text)
    return texts


def parse_jsonld_block(text: str) -> tuple[list[Any], str | None]:
    """Objects in one JSON-LD block and a warning if it needed repair or was hopeless."""
    stripped = text.strip().rstrip(";")
    if not stripped:
        return [], None
    try:
        return [_DECODER.decode(stripped)], None
    except (ValueError, RecursionError):  # nested deeper than Python's stack: repaired or skipped
        pass
    repaired = _repair(stripped)
    objects = _decode_all(repaired)
    if not objects and "&" in repaired:
        objects = _decode_all(html.unescape(repaired))
    if objects:
        return objects, "repaired broken JSON-LD"
    return [], f"unreadable JSON-LD block skipped ({stripped[:40]!r}...)"


def _repair(text: str) -> str:
    text = _WRAPPERS.sub("", text)
    text = _BLOCK_COMMENT.sub("", text)
    text = _LINE_COMMENT.sub("", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    if "&quot;" in text or "&#34;" in text:
        text = html.unescape(text)
    return text.strip()


def _decode_all(text: str) -> list[Any]:
    """Every JSON value in ``text``, e.g. ``{...}{...}`` or ``{...},{...}``."""
    objects: list[Any] = []
    position = 0
    text = LinelessText(text)  # failures at many offsets stay linear
    while position < len(text):
        start = _next_value_start(text, position)
        if start < 0:
            break
        try:
            value, end = _DECODER.raw_decode(text, start)
        except RecursionError:
            break  # nested past Python's stack: every "{" inside would take as long again
        except ValueError:
            position = start + 1
            continue
        objects.append(value)
        position = end
    return objects


def _next_value_start(text: str, position: int) -> int:
    starts = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
    return min(starts) if starts else -1


def jsonld_objects(root: lxml.html.HtmlElement) -> tuple[list[Any], list[str]]:
    """All top-level JSON-LD values on the page, and warnings about broken blocks."""
    objects: list[Any] = []
    warnings: list[str] = []
    for text in jsonld_scripts(root):
        found, warning = parse_jsonld_block(text)
        objects.extend(found)
        if warning:
            warnings.append(warning)
    return objects, warnings

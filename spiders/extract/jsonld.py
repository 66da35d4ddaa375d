"""JSON-LD blocks -> Python objects, repairing the mistakes real shops make.

Shops ship trailing commas, HTML entities, comments, raw newlines in strings and
several objects in one ``<script>``. ``json.loads`` is tried first (fast path); the
repairs run only when it fails, and each repaired block adds a warning. A block nested deeper
than the decoder goes (Python's recursion limit, about 1,000 levels: no shop nests that deep)
is skipped at once, unrepaired, and counted as ``JSON_TOO_DEEP``.
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
JSON_TOO_DEEP = "json_too_deep"
"""The reason a JSON block nested past the decoder's recursion limit is skipped."""


def _json_int(text: str) -> int | str:
    # Python refuses int() of more than 4300 digits, which would lose the whole block;
    # a long number stays text, for the field's parser to refuse with a reason.
    return int(text) if len(text) <= MAX_JSON_NUMBER_LENGTH else text


def _json_float(text: str) -> float | str:
    # 1e400 would become infinity and 1e5 a float: exponent forms stay text, so that
    # prices refuse them with a reason instead of reading a wrong number. So do numbers a
    # float writes in exponent form (0.000000001 is 1e-09): refused for what they are.
    if "e" in text or "E" in text or len(text) > MAX_JSON_NUMBER_LENGTH:
        return text
    value = float(text)
    return text if "e" in repr(value) else value


_DECODER = json.JSONDecoder(strict=False, parse_int=_json_int, parse_float=_json_float)


def jsonld_scripts(root: lxml.html.HtmlElement) -> list[str]:
    """Texts of the page's ``<script type="application/ld+json">`` elements."""
    texts = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind and script.text:
            texts.append(script.text)
    return texts


def parse_jsonld_block(text: str, skipped: list[str] | None = None) -> tuple[list[Any], str | None]:
    """Objects in one JSON-LD block and a warning if it needed repair or was hopeless;
    a block nested too deep adds ``JSON_TOO_DEEP`` to ``skipped``."""
    stripped = text.strip().rstrip(";")
    if not stripped:
        return [], None
    try:
        return [_DECODER.decode(stripped)], None
    except RecursionError:
        # Nested deeper than Python's stack: repairs would not change that, and every
        # bracket inside would fail as deep again.
        if skipped is not None:
            skipped.append(JSON_TOO_DEEP)
        return [], f"JSON block nested too deep to read, skipped ({stripped[:40]!r}...)"
    except ValueError:
        pass
    repaired = _repair(stripped)
    objects = _decode_all(repaired, skipped)
    if not objects and "&" in repaired:
        objects = _decode_all(html.unescape(repaired), skipped)
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


def _decode_all(text: str, skipped: list[str] | None) -> list[Any]:
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
            if skipped is not None:
                skipped.append(JSON_TOO_DEEP)
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


def jsonld_objects(
    root: lxml.html.HtmlElement, skipped: list[str] | None = None
) -> tuple[list[Any], list[str]]:
    """All top-level JSON-LD values on the page, and warnings about broken blocks (the
    reasons of blocks not read added to ``skipped``)."""
    objects: list[Any] = []
    warnings: list[str] = []
    for text in jsonld_scripts(root):
        found, warning = parse_jsonld_block(text, skipped)
        objects.extend(found)
        if warning:
            warnings.append(warning)
    return objects, warnings

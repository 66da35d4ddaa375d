"""JSON values held in a page's ``<script>`` elements (not JSON-LD, read by ``jsonld``).

Shops keep their state in scripts: ``<script type="application/json">`` (``__NEXT_DATA__``
and the like), ``window.__INITIAL_STATE__ = {...}``, ``var reviews = [...]``,
``x = JSON.parse("...")``. Every value is parsed as strict JSON from where it starts; a
value that is JavaScript rather than JSON is skipped. Bounded whatever a site sends: scripts
over ``MAX_SCRIPT_CHARS`` are not read, reading stops after ``MAX_PAGE_CHARS`` of parsed
script text, a value nested past the decoder's recursion limit is skipped (``JSON_TOO_DEEP``),
and nothing raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import lxml.etree
import lxml.html

from spiders.extract.js_literal import LiteralRefused, read_literal
from spiders.extract.json_text import LinelessText
from spiders.extract.jsonld import JSON_TOO_DEEP, parse_jsonld_block

MAX_SCRIPT_CHARS = 3_000_000
MAX_PAGE_CHARS = 8_000_000
MAX_VALUES_PER_SCRIPT = 50
MAX_LITERAL_REFUSALS = 100
"""JavaScript literals a script's code may refuse before no more are tried in it."""
MAX_PAGE_LITERAL_CHARS = 200_000
"""Characters of a page's scripts read as JavaScript literals at most (about 30 ms)."""
# JavaScript literals are read (in Python, slower than JSON's C scanner) only in scripts that
# name a price or an amount ("price", "Price", "PRICE", "amount", ...): their one reader, the
# offer's script state, needs one. Plain substring searches: a case-blind regex is slower.
_PRICE_PARTS = ("rice", "RICE", "mount", "MOUNT")

_DECODER = json.JSONDecoder(strict=False)
# Script types that hold code or data we can read; templates (text/x-template, text/html)
# and other languages are not JSON.
_CODE_TYPES = frozenset(
    {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
     "application/ecmascript", "text/babel"}
)  # fmt: skip
# `name = {`, `a.b["c"] = [`: the value starts at the brace. The pattern starts with "=" so
# the scan jumps from one "=" to the next; `==`, `!=`, `<=`, `>=` are ruled out after.
_ASSIGNMENT = re.compile(r"=\s*[\[{]")
_NOT_ASSIGNMENT = frozenset("=!<>")
_JSON_PARSE = re.compile(r"""JSON\.parse\(\s*(["'])""")
# A single-quoted JavaScript string literal, escapes skipped (the unrolled loop: linear).
_SINGLE_QUOTED = re.compile(r"'([^'\\]*(?:\\.[^'\\]*)*)'", re.S)
# The first character JSON.parse('...') content must start with to be worth decoding.
_OPENERS = "{["


def script_json_values(
    root: lxml.html.HtmlElement, skipped: list[str] | None = None
) -> list[object]:
    """Every JSON object or array the page's non-JSON-LD scripts hold, in page order (the
    reasons of values not read added to ``skipped``)."""
    values: list[object] = []

    def readable(kind: str, text: str) -> bool:
        return "json" in kind or (kind in _CODE_TYPES and ("=" in text or "JSON.parse" in text))

    for kind, text in _script_texts(root, readable):
        if "json" in kind:
            found, _ = parse_jsonld_block(text, skipped)  # the same repairs suit any JSON block
            values.extend(v for v in found if isinstance(v, dict | list))
        else:
            values.extend(_values_in_code(text, skipped))
    return values


def _script_texts(
    root: lxml.html.HtmlElement, readable: Callable[[str, str], bool]
) -> Iterator[tuple[str, str]]:
    """(type, text) of the page's non-JSON-LD scripts that ``readable`` accepts, each at
    most ``MAX_SCRIPT_CHARS``, all together at most ``MAX_PAGE_CHARS``."""
    budget = MAX_PAGE_CHARS
    for script in root.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        text = script.text
        if not text or "ld+json" in kind or len(text) > MAX_SCRIPT_CHARS or len(text) > budget:
            continue
        if readable(kind, text):
            budget -= len(text)
            yield kind, text


def _values_in_code(text: str, skipped: list[str] | None) -> Iterator[object]:
    """JSON values assigned or passed to JSON.parse in JavaScript code (at most
    ``MAX_VALUES_PER_SCRIPT``)."""
    found = 0
    position = 0
    text = LinelessText(text)  # failures at many offsets stay linear
    for match in _ASSIGNMENT.finditer(text):
        start = match.end() - 1
        if start < position or text[match.start() - 1 : match.start()] in _NOT_ASSIGNMENT:
            continue  # inside a value already read, or a comparison
        try:
            value, position = _DECODER.raw_decode(text, start)
        except RecursionError:
            if skipped is not None:
                skipped.append(JSON_TOO_DEEP)
            continue
        except ValueError:
            continue
        yield value
        found += 1
        if found >= MAX_VALUES_PER_SCRIPT:
            return
    for match in _JSON_PARSE.finditer(text):
        value = _parsed_string(text, match.end() - 1, match.group(1), skipped)
        if value is not None:
            yield value
            found += 1
            if found >= MAX_VALUES_PER_SCRIPT:
                return


def _parsed_string(text: str, start: int, quote: str, skipped: list[str] | None) -> object | None:
    """The JSON value inside the JavaScript string literal at ``start``, or None."""
    try:
        if quote == '"':
            literal, _ = _DECODER.raw_decode(text, start)
        else:
            closed = _SINGLE_QUOTED.match(text, start)  # scanned in C, not char by char
            body = closed.group(1) if closed else text[start + 1 :]
            body = body.replace("\\'", "'")
            # A single-quoted literal leaves double quotes bare: escape them for JSON.
            literal = _DECODER.decode('"' + re.sub(r'(?<!\\)"', r'\\"', body) + '"')
        if not isinstance(literal, str) or literal.lstrip()[:1] not in _OPENERS:
            return None
        value = _DECODER.decode(literal)
    except RecursionError:
        if skipped is not None:
            skipped.append(JSON_TOO_DEEP)
        return None
    except ValueError:
        return None
    return value if isinstance(value, dict | list) else None


# A call's object argument after up to three string arguments: `dataLayer.push({...})`,
# `gtag('event', 'view_item', {...})`, `init("product", [...])`.
_CALL_ARGUMENT = re.compile(
    r"""\(\s*(?:(?:'[^'\\\n]{0,60}'|"[^"\\\n]{0,60}")\s*,\s*){0,3}(?=[\[{])"""
)
MAX_ATTRIBUTE_CHARS = 300_000
_JSON_ATTRIBUTE = (
    "@*[starts-with(name(), 'data-') and (starts-with(., '{') or starts-with(., '['))]"
)
_JSON_ATTRIBUTES = lxml.etree.XPath(f"//{_JSON_ATTRIBUTE}", smart_strings=False)
_FORM_JSON_ATTRIBUTES = lxml.etree.XPath(f"//form/{_JSON_ATTRIBUTE}", smart_strings=False)
MAX_PAGE_ATTRIBUTE_CHARS = 1_000_000


def script_call_values(root: lxml.html.HtmlElement) -> list[object]:
    """JSON values passed as arguments of calls in the page's scripts (``dataLayer.push``,
    ``gtag``), JavaScript object literals passed or assigned there (``js_literal``), and
    the JSON bodies of scripts of other declared types (``text/x-magento-init``): what
    ``script_json_values`` leaves out, read only where a reader needs it. Bounded by the
    same caps."""
    values: list[object] = []
    budget = _LiteralBudget()

    def readable(kind: str, text: str) -> bool:
        if kind in _CODE_TYPES:
            return "(" in text or "=" in text
        return "json" not in kind and text.lstrip()[:1] in _OPENERS

    for kind, text in _script_texts(root, readable):
        if kind in _CODE_TYPES:
            literals = budget if any(part in text for part in _PRICE_PARTS) else None
            values.extend(_call_arguments(LinelessText(text), literals))
            if literals is not None:
                values.extend(_assigned_literals(LinelessText(text), literals))
            continue
        try:
            value = _DECODER.decode(text.strip())
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict | list):
            values.append(value)
    return values


def _call_arguments(text: str, budget: _LiteralBudget | None) -> Iterator[object]:
    """Objects and arrays passed to calls, as JSON (or, with a budget, as JavaScript
    literals too)."""
    found = 0
    position = 0
    literals = _LiteralTries(text, budget or _LiteralBudget(0))
    for match in _CALL_ARGUMENT.finditer(text):
        start = match.end()
        if start < position:
            continue
        try:
            value, position = _DECODER.raw_decode(text, start)
        except (ValueError, RecursionError):
            if (read := literals.read(start)) is None:
                continue
            value, position = read
        if isinstance(value, dict | list):
            yield value
            found += 1
            if found >= MAX_VALUES_PER_SCRIPT:
                return


def _assigned_literals(text: str, budget: _LiteralBudget) -> Iterator[object]:
    """Objects and arrays assigned as JavaScript literals that are not JSON
    (``window.product = {sku: 'KB-77'}``): those JSON reads are ``script_json_values``'."""
    found = 0
    position = 0
    literals = _LiteralTries(text, budget)
    for match in _ASSIGNMENT.finditer(text):
        start = match.end() - 1
        if start < position or text[match.start() - 1 : match.start()] in _NOT_ASSIGNMENT:
            continue
        if literals.spent():
            return
        try:
            _, position = _DECODER.raw_decode(text, start)
            continue
        except (ValueError, RecursionError):
            if (read := literals.read(start)) is None:
                continue
        value, position = read
        yield value
        found += 1
        if found >= MAX_VALUES_PER_SCRIPT:
            return


class _LiteralBudget:
    """The characters a page's JavaScript literals may still be read over."""

    def __init__(self, left: int | None = None) -> None:
        self.left = MAX_PAGE_LITERAL_CHARS if left is None else left


class _LiteralTries:
    """JavaScript literals tried at starts in one script: none inside text one was refused
    for (how far it scanned), none after ``MAX_LITERAL_REFUSALS`` refusals or past the
    page's budget."""

    def __init__(self, text: str, budget: _LiteralBudget) -> None:
        self.text = text
        self.budget = budget
        self.scanned = 0
        self.refusals = 0

    def spent(self) -> bool:
        return self.refusals >= MAX_LITERAL_REFUSALS or self.budget.left <= 0

    def read(self, start: int) -> tuple[object, int] | None:
        if start < self.scanned or self.spent():
            return None
        try:
            value, end = read_literal(self.text, start, self.budget.left)
        except LiteralRefused as refused:
            self.scanned, self.refusals = refused.position, self.refusals + 1
            self.budget.left -= refused.position - start
            return None
        self.budget.left -= end - start
        return value, end


def attribute_json_values(root: lxml.html.HtmlElement, forms_only: bool = False) -> list[object]:
    """JSON objects and arrays held in ``data-*`` attributes (a WooCommerce form's
    ``data-product_variations``, Magento's ``data-mage-init``), in page order; an attribute
    over ``MAX_ATTRIBUTE_CHARS`` is not read, reading stops after
    ``MAX_PAGE_ATTRIBUTE_CHARS``. ``forms_only``: those of ``<form>`` elements alone (a buy
    form's variations), a cheaper walk for readers that need no more."""
    values: list[object] = []
    budget = MAX_PAGE_ATTRIBUTE_CHARS
    for text in (_FORM_JSON_ATTRIBUTES if forms_only else _JSON_ATTRIBUTES)(root):
        if len(text) > MAX_ATTRIBUTE_CHARS or len(text) > budget:
            continue
        budget -= len(text)
        try:
            value = _DECODER.decode(str(text))
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict | list):
            values.append(value)
    return values

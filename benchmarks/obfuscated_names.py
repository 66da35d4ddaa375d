"""A saved page whose class and id names say nothing: what a shop built with CSS modules or
hashed utility classes ships, for measuring how much the extraction leans on the words of
the dev shops' class names (``offers.py --obfuscate-classes``).

Each class token and each id is replaced by a stable hash token (the same name gives the
same token on every page, so repeated cards keep their shared layout); the attributes that
point at an id (``for``, ``aria-*`` references, ``href="#..."``) get the same token, so the
page's structure is unchanged. The page's own style sheets (``<style>`` blocks) get the
same tokens in their selectors (``.price``, ``#stock``, ``.md\\:flex`` as its class
``md:flex``), as a CSS-modules build rewrites them, so each rule still styles the elements it
styled; so do ``url(#...)`` references (an SVG gradient's ``fill``, a rule's mask) and
``xlink:href="#..."``. Tokens are ``x`` and hex digits: their letters (a-f) spell none of the
words the extractors look for. Tags, text, inline styles, declarations, ``data-*`` and
``name`` attributes stay. The page is written back as UTF-8 with a charset tag of its own.
"""

from __future__ import annotations

import functools
import hashlib
import re

import lxml.html

from spiders.extract.document import parse_document

_ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
                  "aria-activedescendant", "headers", "list", "form", "itemref")  # fmt: skip
_FRAGMENT_LINKS = ("href", "xlink:href")
# Presentation attributes that may point at an element by id (an SVG gradient, clip, mask).
_URL_ATTRIBUTES = ("fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid",
                   "marker-end", "style")  # fmt: skip


@functools.lru_cache(maxsize=65536)  # a page names its classes many times over
def hashed_name(name: str) -> str:
    """The stable token that stands for one class or id name."""
    return "x" + hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()


def _hashed_names(value: str) -> str:
    return " ".join(hashed_name(name) for name in value.split())


def obfuscate_names(html: bytes) -> bytes:
    """``html`` as UTF-8 bytes with every class and id replaced (see the module doc)."""
    root = parse_document(html).root
    if root is None:
        return html
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("class", "id", *_ID_REFERENCES):
            value = element.get(attribute)
            if value is not None:
                element.set(attribute, _hashed_names(value))
        for attribute in _FRAGMENT_LINKS:
            href = element.get(attribute)
            if href and href.startswith("#") and len(href) > 1:
                element.set(attribute, "#" + hashed_name(href[1:]))
        for attribute in _URL_ATTRIBUTES:
            value = element.get(attribute)
            if value and "url(" in value:
                element.set(attribute, _URL_REFERENCE.sub(_hashed_url, value))
        if element.tag == "style" and element.text:
            element.text = hashed_style_sheet(element.text)
    return written_as_utf8(root)


# CSS syntax (CSS Syntax Level 3, as much as selectors need): an escape, an identifier,
# and the tokens a style sheet is scanned by.
_ESCAPE = r"\\(?:[0-9a-fA-F]{1,6}[ \t\n\r\f]?|[^\n\r\f0-9a-fA-F])"
_IDENT = rf"-?(?:[_a-zA-Z\u0080-\U0010ffff-]|{_ESCAPE})(?:[\w\u0080-\U0010ffff-]|{_ESCAPE})*"
_URL = rf"url\(\s*(?P<quote>['\"]?)#(?P<url>{_IDENT})"
_CSS_TOKEN = re.compile(
    rf"{_URL}"  # url(#id): an element of the page (a gradient, a mask)
    r"|/\*.*?(?:\*/|\Z)"  # a comment
    r"|\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?"  # a string
    rf"|(?P<sign>[.#])(?P<name>{_IDENT})"  # .class or #id (or a colour, in a declaration)
    r"|[{};\[\]]",
    re.S,
)
_URL_REFERENCE = re.compile(_URL)
_UNESCAPE = re.compile(_ESCAPE)
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_AT_RULE = re.compile(r"@([\w-]+)")
_STATEMENT_END = re.compile(r"[{};]")
# At-rules whose block holds rules (selectors), not declarations.
_RULE_BLOCKS = frozenset({"media", "supports", "layer", "container", "document", "scope",
                          "starting-style", "-moz-document"})  # fmt: skip


def _unescaped(match: re.Match[str]) -> str:
    body = match.group(0)[1:]
    if body[0] in "0123456789abcdefABCDEF":
        code = int(body.rstrip(" \t\n\r\f"), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return body


def _css_name(escaped: str) -> str:
    """An identifier as an element's attribute spells it (``md\\:flex``: the class ``md:flex``)."""
    return _UNESCAPE.sub(_unescaped, escaped)


def _hashed_url(match: re.Match[str]) -> str:
    return f"url({match.group('quote')}#{hashed_name(_css_name(match.group('url')))}"


def hashed_style_sheet(css: str) -> str:
    """``css`` with each class and id of its selectors replaced by its token, and its
    ``url(#id)`` references; declarations, strings, comments and at-rule preludes stay."""
    out: list[str] = []
    blocks: list[bool] = []  # per open block: does it hold rules (True) or declarations?
    statement = 0  # where the current prelude or declaration began
    bracket = 0  # depth inside an attribute selector's [...]
    selector: bool | None = None  # is the current statement a selector (found when needed)
    position = 0
    for match in _CSS_TOKEN.finditer(css):
        token = match.group(0)
        out.append(css[position : match.start()])
        position = match.end()
        if match.group("url") is not None:
            out.append(_hashed_url(match))
            continue
        if token == "{":
            at_rule = _AT_RULE.match(_COMMENT.sub("", css[statement : match.start()]).strip())
            blocks.append(at_rule is not None and at_rule.group(1).lower() in _RULE_BLOCKS)
            statement, bracket, selector = position, 0, None
        elif token in ("}", ";"):
            if token == "}" and blocks:
                blocks.pop()
            statement, bracket, selector = position, 0, None
        elif token in ("[", "]"):
            bracket = bracket + 1 if token == "[" else max(0, bracket - 1)
        elif match.group("sign") and not bracket:
            if selector is None:
                selector = _in_selector(css, statement, blocks)
            if selector:
                token = match.group("sign") + hashed_name(_css_name(match.group("name")))
        out.append(token)
    out.append(css[position:])
    return "".join(out)


def _in_selector(css: str, start: int, blocks: list[bool]) -> bool:
    """True when the text from ``start`` is a rule's selector: at the top or in a block of
    rules, unless an at-rule's prelude ("@media (min-width: 10px)"); in declarations, a
    nested rule's (CSS nesting: it reaches a ``{`` before any ``;`` or ``}``)."""
    if blocks and not blocks[-1]:
        after = _STATEMENT_END.search(css, start)
        return after is not None and after.group(0) == "{"
    head = css[start : start + 200].lstrip()
    if head.startswith("/*"):
        head = _COMMENT.sub("", css[start : start + 2000]).lstrip()
    return not head.startswith("@")


def written_as_utf8(root: lxml.html.HtmlElement) -> bytes:
    """The page as UTF-8 bytes, its charset tags replaced by one saying so."""
    head = root.find("head")
    if head is not None:
        for meta in list(head.iter("meta")):
            says_charset = (meta.get("http-equiv") or "").lower() == "content-type"
            if meta.get("charset") is not None or says_charset:
                meta.getparent().remove(meta)  # the page is written as UTF-8 below
        head.insert(0, lxml.html.Element("meta", charset="utf-8"))
    written: bytes = lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
    return written

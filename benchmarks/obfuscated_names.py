"""A saved page whose class and id names say nothing: what a shop built with CSS modules or
hashed utility classes ships, for measuring how much the extraction leans on the words of
the dev shops' class names (``offers.py --obfuscate-classes``).

Each class token and each id is replaced by a stable hash token (the same name gives the
same token on every page, so repeated cards keep their shared layout); the attributes that
point at an id (``for``, ``aria-*`` references, ``href="#..."``) get the same token, so the
page's structure is unchanged. Tokens are ``x`` and hex digits: their letters (a-f) spell
none of the words the extractors look for. Tags, text, styles, ``data-*`` and ``name``
attributes stay. The page is written back as UTF-8 with a charset tag of its own.
"""

from __future__ import annotations

import hashlib

import lxml.html

from spiders.extract.document import parse_document

_ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns")


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
        href = element.get("href")
        if href and href.startswith("#") and len(href) > 1:
            element.set("href", "#" + hashed_name(href[1:]))
    return written_as_utf8(root)


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

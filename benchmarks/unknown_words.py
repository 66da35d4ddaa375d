"""A saved page written in a language nobody knows: every word of its visible text (and of
its controls' ``value``, ``aria-label``, ``title`` and ``alt``, of its ``<title>`` and of
the ``content`` of its meta tags that hold words: description, ``og:title``, microdata
``name``, brand...) replaced by a stable made-up word, for measuring how much the extraction
leans on the words of the languages its label lists know ("Add to cart", "Sold out", "SKU:",
"was"): ``offers.py --unknown-words``.

Numbers, chunks with a digit (ids such as ``AB-12``), punctuation and currency signs and codes
(``€``, ``zł``, ``EUR``; a sign with a mark between its letters, ``د.إ`` or ``ש״ח``, whole)
stay, so prices and codes still read as such; the same word
gives the same made-up word everywhere (a label repeated in every card stays repeated, a
heading still reads as its page's title). Made-up words are four letters or more of
consonants other than k, r and s, so they spell no label and no currency sign. Scripts,
styles, markup attributes and class names are left alone (``--strip-markup`` and
``--obfuscate-classes`` take those), so are meta tags holding URLs, amounts or codes.
"""

from __future__ import annotations

import hashlib
import re

from obfuscated_names import written_as_utf8

from spiders.extract.document import parse_document
from spiders.extract.price import CURRENCY_SYMBOLS, ISO_CODES

_CHUNK = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "bcdfghjlmnpqtvwxz"
_TEXT_ATTRIBUTES = ("value", "aria-label", "title", "alt", "placeholder")
_KEEP_TEXT_OF = frozenset({"script", "style", "template"})
_TEXT_META_KEYS = frozenset(
    {"title", "description", "keywords", "name", "site_name", "alt", "brand", "category"}
)
"""Last parts of the meta keys whose ``content`` is words ("og:title", "og:image:alt");
prices, currencies, URLs and locales are not."""
_CURRENCY_WORDS = frozenset(s.casefold() for s in CURRENCY_SYMBOLS) | frozenset(
    c.casefold() for c in ISO_CODES
)


def made_up_word(word: str) -> str:
    """The stable made-up word that stands for ``word`` (case-folded first)."""
    digest = hashlib.blake2b(word.casefold().encode("utf-8"), digest_size=8).digest()
    length = max(4, min(len(word), 10))
    return "".join(_LETTERS[b % len(_LETTERS)] for b in digest[:length].ljust(length, b"\0"))


def _replace_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if word.casefold() in _CURRENCY_WORDS else made_up_word(word)


# Currency signs written with a mark between letters ("د.إ", "ر.س", "ש״ח", "S/."): kept
# whole, where the word pattern would split them into letter runs and make each up.
_MARKED_SIGN = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(
        re.escape(sign)
        for sign in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
        if _WORD.search(sign) and not _WORD.fullmatch(sign)
    )
    + r")(?![^\W\d_])"
)


def _replace_words(text: str) -> str:
    return _WORD.sub(_replace_word, text)


def _replace_chunk(match: re.Match[str]) -> str:
    chunk = match.group(0)
    if any(ch.isdigit() for ch in chunk):
        return chunk  # an amount or a code ("AB-12", "59,00zł"), not words
    kept = [(m.start(), m.end()) for m in _MARKED_SIGN.finditer(chunk)]
    if not kept:
        return _replace_words(chunk)
    parts, end = [], 0
    for start, stop in kept:
        parts += [_replace_words(chunk[end:start]), chunk[start:stop]]
        end = stop
    return "".join([*parts, _replace_words(chunk[end:])])


def unknown_text(text: str) -> str:
    """``text`` with every word but currency signs and codes made up."""
    return _CHUNK.sub(_replace_chunk, text)


def unknown_words(html: bytes) -> bytes:
    """``html`` as UTF-8 bytes in a made-up language (see the module doc)."""
    root = parse_document(html).root
    if root is None:
        return html
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "meta":
            key = element.get("property") or element.get("name") or element.get("itemprop")
            content = element.get("content")
            if key and content and key.strip().lower().split(":")[-1] in _TEXT_META_KEYS:
                element.set("content", unknown_text(content))
        if element.text and element.tag not in _KEEP_TEXT_OF:
            element.text = unknown_text(element.text)
        if element.tail:
            element.tail = unknown_text(element.tail)
        for attribute in _TEXT_ATTRIBUTES:
            value = element.get(attribute)
            if value:
                element.set(attribute, unknown_text(value))
    return written_as_utf8(root)

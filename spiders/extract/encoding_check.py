"""A page's bytes against the encoding it is declared in: the bytes win where they are sure.

An HTTP ``Content-Type`` charset is the first word on a page's encoding (the HTML standard
puts it before the page's own ``<meta charset>``), and servers get it wrong: a default
``charset=iso-8859-1`` in front of a UTF-8 page turns every "ø" into "Ã¸", and a default
``charset=utf-8`` in front of a Windows-1250 page turns every "ą" into "�", for good: the
stored review keeps the garbled letters, and the analysis reads words nobody wrote.

The bytes settle it in two cases, both independent of the language:

- declared in a legacy encoding (Latin-1, Windows-125x, ...), read as UTF-8 when the bytes
  are valid UTF-8 and not all ASCII. Text in a one-byte encoding is almost never valid
  UTF-8: a letter above ASCII would have to be followed by one to three bytes between 0x80
  and 0xBF (in Windows-1252, mostly quotes and symbols, "Ã¸" rather than "ø"), every time.
- declared as UTF-8 but not valid UTF-8, read in the encoding the page's own
  ``<meta charset>`` names when that is a legacy one and the bytes decode in it.

A page cut short (a size limit) may end inside a UTF-8 sequence: that end does not count.

And the width of its characters: a UTF-16 page without a byte-order mark has a zero byte beside
every letter of its (ASCII) markup, which no page in UTF-8 or a one-byte encoding has: it is
read as UTF-16 in the byte order its zeros show, whatever it is declared in; a page declared
UTF-16 or UTF-32 without a zero byte in it is read as UTF-8 when its bytes are that.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, resolve_encoding

_UNICODE_PREFIX = "utf"
# A <meta> charset label near the top of a page (where browsers look: the first 1,024 bytes;
# a little more for pages with long heads): ``<meta charset="x">`` or ``content="...;
# charset=x"``.
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,500}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.I
)
_META_SAMPLE = 4096


def declared_encoding(body: bytes) -> str | None:
    """The Python codec of the encoding a page's ``<meta>`` declares: as w3lib reads the
    label (the WHATWG names, "latin1" -> cp1252 as browsers read it), else as Python does
    (since w3lib 2.6 a label outside the WHATWG list, such as "latin-1", is no label, and an
    unlabelled Latin-1 page is then guessed, "£" read as "Ł" in Windows-1250)."""
    declared = html_body_declared_encoding(body)
    if declared is not None:
        return declared
    match = _META_CHARSET.search(body[:_META_SAMPLE])
    if match is None:
        return None
    try:
        python = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return codec_name(python) or python


def codec_name(encoding: str | None) -> str | None:
    """Python's codec name for ``encoding`` as w3lib resolves a page's label ("latin1",
    "iso-8859-1": "cp1252", as browsers read it), or None: no label, or none known."""
    if not encoding:
        return None
    resolved = resolve_encoding(encoding)
    if resolved is None:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _valid_utf8(body: bytes) -> bool:
    """True when ``body`` is UTF-8, but for a sequence cut off at its very end."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.start >= len(body) - 3
    return True


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


_WIDE_SAMPLE = 8192
"""Bytes of a page's start that tell UTF-16 without a byte-order mark."""


def utf16_without_mark(body: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``body`` is UTF-16 without a byte-order mark
    (zero bytes at a quarter of one parity's positions and hardly any at the other's), else
    None."""
    if b"\x00" not in body[:_WIDE_SAMPLE] or body.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        return None
    sample = body[:_WIDE_SAMPLE]
    high, low = sample[1::2].count(0), sample[0::2].count(0)
    quarter = max(len(sample) // 8, 8)
    if high >= quarter and low * 4 <= high:
        return "utf-16-le"
    if low >= quarter and high * 4 <= low:
        return "utf-16-be"
    return None


def better_encoding(body: bytes, declared: str | None) -> str | None:
    """The encoding ``body`` is in when it is not ``declared`` (module docstring), else None."""
    name = codec_name(declared)
    wide = utf16_without_mark(body)
    if wide is not None:
        return None if name == wide or not _decodes(body[: len(body) // 2 * 2], wide) else wide
    if name is not None and name.startswith(("utf-16", "utf-32")):
        # declared UTF-16 or UTF-32 (a byte-order mark would have decided): its text would
        # have zero bytes
        no_zeros = b"\x00" not in body[:_WIDE_SAMPLE]
        return "utf-8" if no_zeros and _valid_utf8(body) else None
    if name is None or body.isascii():
        return None
    if name == "utf-8":
        if _valid_utf8(body):
            return None
        own = codec_name(declared_encoding(body))
        if own is None or own.startswith(_UNICODE_PREFIX) or not _decodes(body, own):
            return None
        return own
    return "utf-8" if _valid_utf8(body) else None

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
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, resolve_encoding

_UNICODE_PREFIX = "utf"


def _codec_name(encoding: str | None) -> str | None:
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


def better_encoding(body: bytes, declared: str | None) -> str | None:
    """The encoding ``body`` is in when it is not ``declared`` (module docstring), else None."""
    name = _codec_name(declared)
    if name is None or body.isascii():
        return None
    if name == "utf-8":
        if _valid_utf8(body):
            return None
        own = _codec_name(html_body_declared_encoding(body))
        if own is None or own.startswith(_UNICODE_PREFIX) or not _decodes(body, own):
            return None
        return own
    if name.startswith(_UNICODE_PREFIX):
        return None  # UTF-16 or UTF-32: a byte-order question, not this one
    return "utf-8" if _valid_utf8(body) else None

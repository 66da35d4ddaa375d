"""Bytes or text -> one parsed lxml tree, shared by every extraction layer."""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
from w3lib.encoding import html_to_unicode, read_bom

from spiders.extract.attribute_budget import within_attribute_budget
from spiders.extract.encoding_check import (
    better_encoding,
    codec_name,
    declared_encoding,
    utf16_without_mark,
)


def _html_class_lookup() -> lxml.etree.ElementNamespaceClassLookup:
    """The element classes of ``lxml.html.HTMLParser`` (``FormElement`` for "form", ...,
    ``HtmlElement`` for the rest), chosen in C: lxml.html's own lookup is a Python method
    called for every element proxy an extraction makes. The HTML parser lowercases tag
    names and gives them no namespace, which makes the two lookups the same."""
    fallback = lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
    lookup = lxml.etree.ElementNamespaceClassLookup(fallback)
    by_name = lookup.get_namespace(None)
    for name, element_class in lxml.html.HtmlElementClassLookup._default_element_classes.items():
        by_name[name] = element_class
    return lookup


_HTML_CLASSES = _html_class_lookup()


@dataclass
class Document:
    """A page decoded once and parsed once."""

    text: str
    """The decoded HTML, as parsed (within ``attribute_budget``)."""
    root: lxml.html.HtmlElement | None
    """The parsed tree, or None when nothing could be parsed (empty or binary input)."""
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Reasons of markup left unparsed (``spiders.extract.attribute_budget``)."""


def decode_html(html: str | bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text of ``html``: the given encoding, else BOM, else ``<meta charset>``, else UTF-8;
    but the encoding the bytes are surely in where they contradict the one declared
    (``encoding_check``)."""
    text, warnings, _ = _decoded(html, encoding)
    return text, warnings


def _decoded(html: str | bytes, encoding: str | None) -> tuple[str, list[str], str | None]:
    """``decode_html``, with the codec that decoded the whole of ``html`` (None for text, a
    byte-order mark or a failed decode)."""
    if isinstance(html, str):
        return html, [], None
    warnings: list[str] = []
    declared = encoding
    if not html.isascii() and read_bom(html)[0] is None:
        declared = encoding or declared_encoding(html)
        if _declared_utf8(html, declared):
            try:  # what ``better_encoding`` checks, and every path below then reads
                return html.decode("utf-8"), warnings, "utf-8"
            except UnicodeDecodeError:
                pass
        surely = better_encoding(html, declared)
        if surely is not None:
            return html.decode(surely, errors="replace"), warnings, surely
    if encoding:
        try:
            return html.decode(encoding), warnings, encoding
        except (LookupError, UnicodeDecodeError) as exc:
            warnings.append(f"could not decode as {encoding} ({exc.__class__.__name__}); sniffed")
    # the declared label w3lib may not know ("latin-1": ``declared_encoding``)
    content_type = f"text/html; charset={declared}" if declared else None
    try:
        used, text = html_to_unicode(content_type, html)
    except (LookupError, UnicodeDecodeError):
        text = html.decode("utf-8", errors="replace")
        warnings.append("undecodable bytes replaced")
        return text, warnings, None
    return text, warnings, None if read_bom(html)[0] is not None else used


def _declared_utf8(html: bytes, declared: str | None) -> bool:
    """Declared in UTF-8 by a name Python and w3lib both read so, no UTF-16 without a mark:
    when such bytes decode as UTF-8, ``better_encoding`` keeps the declared encoding and the
    declared decoding reads them as UTF-8 (one decoding instead of two)."""
    return (
        declared is not None
        and _codec(declared) == "utf-8"
        and codec_name(declared) == "utf-8"
        and utf16_without_mark(html) is None
    )


def _utf8_of(html: str | bytes, text: str, codec: str | None) -> bytes:
    """``text.encode("utf-8", errors="replace")``: ``html`` itself when ``text`` is its
    whole UTF-8 decoding without a replaced byte (most pages; the encoding of a page's
    text costs about as much as its decoding)."""
    if isinstance(html, bytes) and codec and _codec(codec) == "utf-8" and "\ufffd" not in text:
        return html  # decoded UTF-8 with nothing replaced: encoding it gives back the bytes
    return text.encode("utf-8", errors="replace")


@functools.lru_cache(maxsize=64)
def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def parse_document(html: str | bytes, encoding: str | None = None) -> Document:
    """Decode and parse; never raises (problems go to ``warnings``)."""
    text, warnings, codec = _decoded(html, encoding)
    if not text.strip():
        return Document(text, None, [*warnings, "empty page"])
    # The parser's cost grows with the square of an element's attributes: bounded first.
    parsed, skipped = within_attribute_budget(text)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    parser.set_element_class_lookup(_HTML_CLASSES)
    try:
        root = lxml.html.document_fromstring(
            _utf8_of(html, text, codec)
            if parsed is text
            else parsed.encode("utf-8", errors="replace"),
            parser=parser,
        )
    except (lxml.etree.ParserError, ValueError) as exc:
        return Document(parsed, None, [*warnings, f"unparseable HTML: {exc}"], skipped)
    return Document(parsed, root, warnings, skipped)

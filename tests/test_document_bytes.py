"""``parse_document`` hands the parser the page's own bytes when its text is their whole UTF-8
decoding, instead of encoding the text again: the bytes it parses must be the very bytes the
encoding would give, whatever the page's encoding, marks, broken bytes or declared charset."""

from __future__ import annotations

import codecs

import lxml.html
import pytest
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, read_bom

from spiders.extract.document import _decoded, _utf8_of, decode_html, parse_document
from spiders.extract.encoding_check import better_encoding

TEXT = "<html><head>{meta}</head><body><h1>Kaffe ærlig – 129,99 zł ★★★★☆ 元 😀</h1></body></html>"
UTF8 = TEXT.format(meta='<meta charset="utf-8">').encode()
LATIN = "<html><head><meta charset=iso-8859-1></head><body><p>Café déçu 12,50 £</p></body></html>"

PAGES: list[tuple[str | bytes, str | None]] = [
    (UTF8, None),  # declared in the page, valid
    (UTF8, "utf-8"),  # given by the server
    (UTF8, "utf8"),
    (UTF8, "iso-8859-1"),  # misdeclared: the bytes win (read as UTF-8)
    (codecs.BOM_UTF8 + UTF8, None),  # a byte-order mark is not part of the text
    (codecs.BOM_UTF8 + UTF8, "utf-8"),  # strict UTF-8 keeps the mark as U+FEFF
    (UTF8[:-60] + b"\xff\xfe" + UTF8[-60:], None),  # broken bytes replaced
    (UTF8[:-60] + b"\xff" + UTF8[-60:], "utf-8"),  # given, but not UTF-8: sniffed
    (UTF8[: UTF8.index("😀".encode()) + 2], None),  # cut inside a character
    (TEXT.format(meta="").replace("😀", "\ufffd").encode(), None),  # a real U+FFFD
    (LATIN.encode("latin-1"), None),
    (LATIN.encode("latin-1"), "cp1252"),
    (LATIN.encode("utf-16-le"), None),  # UTF-16 without a mark
    (codecs.BOM_UTF16_LE + LATIN.encode("utf-16-le"), None),
    (b"<html><body><p>plain ASCII</p></body></html>", None),
    (b"<html><body><p>plain ASCII</p></body></html>", "utf-16"),
    (TEXT.format(meta=""), None),  # text, not bytes
    (UTF8, "no-such-charset"),
    (UTF8, "unicode-1-1-utf-8"),  # UTF-8 to w3lib, unknown to Python
    (UTF8.replace(b"utf-8", b"unicode-1-1-utf-8"), None),
    (UTF8.replace(b"utf-8", b"UTF8"), None),
    (UTF8.replace(b"utf-8", b"utf-16"), None),
    (LATIN.replace("iso-8859-1", "utf-8").encode("utf-16-le"), None),  # wide, declared UTF-8
    ("<meta charset=utf-8><p>Zażółć gęślą jaźń</p>".encode("cp1250"), None),  # not UTF-8
]


def _decode_before(html: str | bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """``decode_html`` as it was before it decoded declared UTF-8 once."""
    if isinstance(html, str):
        return html, []
    warnings: list[str] = []
    if not html.isascii() and read_bom(html)[0] is None:
        surely = better_encoding(html, encoding or html_body_declared_encoding(html))
        if surely is not None:
            return html.decode(surely, errors="replace"), warnings
    if encoding:
        try:
            return html.decode(encoding), warnings
        except (LookupError, UnicodeDecodeError) as exc:
            warnings.append(f"could not decode as {encoding} ({exc.__class__.__name__}); sniffed")
    content_type = f"text/html; charset={encoding}" if encoding else None
    try:
        _, text = html_to_unicode(content_type, html)
    except (LookupError, UnicodeDecodeError):
        text = html.decode("utf-8", errors="replace")
        warnings.append("undecodable bytes replaced")
    return text, warnings


@pytest.mark.parametrize(("html", "encoding"), PAGES)
def test_decoding_is_unchanged(html: str | bytes, encoding: str | None) -> None:
    assert decode_html(html, encoding) == _decode_before(html, encoding)


@pytest.mark.parametrize(("html", "encoding"), PAGES)
def test_parsed_bytes_are_the_encoded_text(html: str | bytes, encoding: str | None) -> None:
    text, _, codec = _decoded(html, encoding)
    assert _utf8_of(html, text, codec) == text.encode("utf-8", errors="replace")


def test_valid_utf8_pages_are_parsed_from_their_own_bytes() -> None:
    text, _, codec = _decoded(UTF8, None)
    assert _utf8_of(UTF8, text, codec) is UTF8  # no copy made


@pytest.mark.parametrize(("html", "encoding"), PAGES)
def test_tree_is_the_tree_of_the_encoded_text(html: str | bytes, encoding: str | None) -> None:
    document = parse_document(html, encoding)
    assert document.root is not None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    expected = lxml.html.document_fromstring(
        document.text.encode("utf-8", errors="replace"), parser=parser
    )
    assert lxml.html.tostring(document.root) == lxml.html.tostring(expected)


@pytest.mark.parametrize(
    ("label", "codec", "words"),
    [
        ("latin-1", "iso-8859-1", "9,00 £ café"),
        ("LATIN-1", "iso-8859-1", "9,00 £ café"),
        ("latin1", "iso-8859-1", "9,00 £ café"),
        ("iso_8859_2", "iso-8859-2", "Łódź, 9,00 zł"),
    ],
)
def test_a_meta_label_python_knows_is_read_as_declared(label: str, codec: str, words: str) -> None:
    # w3lib 2.6 reads only the WHATWG labels: "latin-1" became no label, and the page was
    # guessed (Windows-1250: "9,00 £" shown as "9,00 Ł")
    body = f'<html><head><meta charset="{label}"></head><body>{words}</body></html>'
    text, _ = decode_html(body.encode(codec))
    assert words in text

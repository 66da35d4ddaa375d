"""Attributes are counted before parsing as the parser reads them, and bounded."""

from __future__ import annotations

import random

import lxml.html
import pytest

from spiders.extract.attribute_budget import (
    PAGE_REASON,
    TAG_REASON,
    within_attribute_budget,
)
from spiders.extract.document import parse_document

TAG_LIMIT, PAGE_LIMIT = 3, 8


@pytest.mark.parametrize(
    ("html", "bounded", "reasons"),
    [
        ("<p a b c>x</p>", "<p a b c>x</p>", []),
        ("<p a b c d>x</p>", "<p a b c>x</p>", [TAG_REASON]),
        ("<p a=1 a=2 a=3 a=4/>x", "<p a=1 a=2 a=3>x", [TAG_REASON]),
        # quotes delimit values only: ">" and spaces inside one are no new attribute
        ("<p a='x > y' b=\"c d\" e>x</p>", "<p a='x > y' b=\"c d\" e>x</p>", []),
        ('<p a"b c d e>x</p>', '<p a"b c d>x</p>', [TAG_REASON]),
        ('<p a=""b=""c=""d="">x', '<p a=""b=""c="">x', [TAG_REASON]),
        # a no-break space is no HTML space: one attribute
        ("<p a\u00a0b\u00a0c\u00a0d>x", "<p a\u00a0b\u00a0c\u00a0d>x", []),
        # script, style, title... hold text, comments hold nothing
        ("<script>var s = '<p a b c d>';</script>", "<script>var s = '<p a b c d>';</script>", []),
        ("<title><p a b c d></title>", "<title><p a b c d></title>", []),
        ("<!-- <p a b c d> -->", "<!-- <p a b c d> -->", []),
        # ... unless the element closes itself, as the parser reads <script/>
        ("<script/><p a b c d>", "<script/><p a b c>", [TAG_REASON]),
        ("<script a=/><p a b c d></script>", "<script a=/><p a b c d></script>", []),
        ("<!--><p a b c d>", "<!--><p a b c>", [TAG_REASON]),
        ("</<!--x><p a b c d>", "</<!--x><p a b c>", [TAG_REASON]),
        # the page: read up to the tag that passes its limit
        ("<p a b c><p d e f><p g h i>end", "<p a b c><p d e f>", [PAGE_REASON]),
        ("<p a b c d e><p f g h i j><p k l m>", "<p a b c><p f g h>", [TAG_REASON, PAGE_REASON]),
        ("<p a b c d e f g h>" + "x" * 10, "<p a b c>" + "x" * 10, [TAG_REASON]),
    ],
)
def test_attributes_are_counted_as_the_parser_reads_them_and_bounded(
    html: str, bounded: str, reasons: list[str]
) -> None:
    assert within_attribute_budget(html, TAG_LIMIT, PAGE_LIMIT) == (bounded, reasons)


_PIECES = [
    *("<div", "<p", "<b", "<i x=1 y=2 z=3", "</div", "</p a=1 b=2", "<svg>", "<noscript>"),
    *("<script", "</script>", "<SCRIPT", "</SCRIPT >", "</scriptx>", "<style", "</style >"),
    *("<title", "</title>", "<TITLE>", "</Title\t", "<textarea", "</textarea>", "<iframe"),
    *("</iframe>", "<xmp", "</xmp>", "<noembed>", "</noembed>", "<plaintext", "<br/>"),
    *("<!--", "-->", "<!-->", "<!---->", "--!>", "<!", "<?", "<![CDATA[", "]]>", "</ ", "</>"),
    *(">", "/>", "<<", " ", "\n", "\t", "\u00a0", "\x0b", '"', "'", "=", "='", '="', "/"),
    *("a", "b", "c", "q", 'a"b', "x'y", "z=1", "b=c/", "&amp;", '<a href="x"'),
]


def test_no_element_nor_page_parses_past_the_limits_whatever_the_markup() -> None:
    """Seeded tag soup: what the parser makes of the bounded text stays within the limits
    (the scan must never read as text what the parser reads as tags)."""
    rng = random.Random(14)
    trimmed = 0
    for _ in range(1500):
        html = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 300)))
        bounded, reasons = within_attribute_budget(html, TAG_LIMIT, PAGE_LIMIT)
        trimmed += bool(reasons)
        root = lxml.html.document_fromstring(("<html><body>" + bounded).encode())
        counts = [len(e.attrib) for e in root.iter() if isinstance(e.tag, str)]
        assert max(counts) <= TAG_LIMIT and sum(counts) <= PAGE_LIMIT, repr(html)
    assert trimmed > 300  # the soup does pass the limits


def test_a_page_parsed_for_extraction_keeps_its_reasons() -> None:
    html = "<html><body><div " + " ".join(f"a{i}=x" for i in range(5_000)) + ">x</div>"
    document = parse_document(html)
    assert document.skipped == [TAG_REASON]
    assert document.root is not None
    assert [len(d.attrib) for d in document.root.iter("div")] == [1_000]

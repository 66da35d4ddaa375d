"""At most ``MAX_TAG_ATTRIBUTES`` attributes of an element, ``MAX_PAGE_ATTRIBUTES`` of a page.

libxml2 checks each new attribute of an element against all the element's earlier ones, so an
element of n attributes costs n squared: one ``<div a0=x a1=x ...>`` of 250 KB (41,000
attributes) took 8 s to parse, of 1 MB 249 s. Many elements of a hundred attributes each
parse in linear time but a tree of 1,600,000 attributes (a 10 MB page) took 482 MB, and
1,000-attribute elements filling 10 MB took 7.9 s to extract. Shop pages have far fewer
(407 saved shop pages: at most 286 attributes on one element, p99 30; at most 12,741 on a
page, median 3,183). Both counts are taken here before parsing, by a scan that reads tags as
the HTML tokenizer does (quotes delimit only values; script, style and the other raw-text
elements hold no tags); an element over the limit keeps its first ``MAX_TAG_ATTRIBUTES``,
and a page over its limit is read up to the tag that passes it, like ``spiders.tag_budget``.
The scan is linear: every pattern below consumes what it matched, with no backtracking.
"""

from __future__ import annotations

import functools
import itertools
import re

MAX_TAG_ATTRIBUTES = 1_000
"""Attributes of one element that are parsed (the rest of its start tag is dropped)."""
MAX_PAGE_ATTRIBUTES = 100_000
"""Attributes of a page that are parsed (the page is read up to the tag that passes this)."""

TAG_REASON = "tag_attributes_over_limit"
PAGE_REASON = "page_attributes_over_limit"
ATTRIBUTE_REASONS = frozenset((TAG_REASON, PAGE_REASON))

_SPACE = r"[\t\n\f\r ]"  # the HTML whitespace: no other Unicode space separates attributes
# One attribute as the HTML5 tokenizer reads it: a name (quotes are name characters; a
# leading "=" is too), then maybe "=" and a quoted or unquoted value.
_ATTRIBUTE = (
    rf"""[^\t\n\f\r />][^\t\n\f\r />=]*+(?:{_SPACE}*+={_SPACE}*+"""
    r"""(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]++)?+)?+"""
)
_RAW_TEXT = "script|style|textarea|title|xmp|iframe|noembed|noframes"
"""Elements whose content the parser reads as text up to their end tag."""
# Group 1 is the attribute text of a start or end tag (an unterminated tag runs to the end of
# the page, as it does for the parser, so no later "<" in it is scanned again); a raw-text
# element's content is consumed with its start tag; comments, <!doctype ...> and <?...> hold
# no attributes; <plaintext> makes the rest of the page text.
_TAG_ATTRIBUTES = rf"((?:[\t\n\f\r /]*+{_ATTRIBUTE})*+)"
# The end of a start tag that is not self-closing ("/" right before ">" that is no part of a
# value): only such a tag opens a raw-text element, as in the parser.
_OPEN_END = r"(?:[\t\n\f\r /]*[\t\n\f\r ])?>"
# The lookaheads before the first alternatives and the raw-text ones only fail sooner where
# those could not match (their first letters): most tags are neither, and are read faster.
_MARKUP = re.compile(
    r"<(?:(?=[!?/])(?:!--(?:-?>|.*?(?:--!?>|\Z))|[!?][^>]*+>?|/(?![A-Za-z])[^>]*+>?)"
    rf"|(?=[stxinp])(?:(?P<raw>{_RAW_TEXT})(?=[\t\n\f\r />]|\Z){_TAG_ATTRIBUTES}{_OPEN_END}"
    r"[^<]*+(?:<(?!/(?P=raw)[\t\n\f\r />])[^<]*+)*+"
    rf"|plaintext(?=[\t\n\f\r />]|\Z){_TAG_ATTRIBUTES}{_OPEN_END}.*)"
    rf"|/?[A-Za-z][^\t\n\f\r />]*+{_TAG_ATTRIBUTES}[\t\n\f\r /]*+>?)",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTES = re.compile(rf"[\t\n\f\r /]*+{_ATTRIBUTE}")
_SEPARATORS = b"\t\n\f\r /\"'"
"""What precedes every attribute of a tag: a space or "/", or the quote that closed the
value before it."""
_TAG_CLOSE = re.compile(r"[\t\n\f\r /]*+>?")
"""What ends a start tag after its attributes (it always matches)."""


def within_attribute_budget(
    text: str, tag_limit: int = MAX_TAG_ATTRIBUTES, page_limit: int = MAX_PAGE_ATTRIBUTES
) -> tuple[str, list[str]]:
    """``text`` with every element's attributes past ``tag_limit`` dropped and cut before the
    tag whose attributes pass ``page_limit``, with the reasons (each at most once) of what
    was left; ``text`` itself and no reason when nothing was."""
    # Most pages: one pass of the regex engine finds every tag's attributes; each attribute
    # follows a space, "/" or quote of its own, so counting those bounds the page's total.
    attribute_texts = [a or b or c for _, a, b, c in _MARKUP.findall(text)]
    joined = ">".join(attribute_texts)
    over_page = (
        len(joined) > page_limit
        and _separator_count(joined) > page_limit
        and next(itertools.islice(_ATTRIBUTES.finditer(joined), page_limit, None), None) is not None
    )
    over_tag = _first_of(tag_limit + 1)
    if over_page or any(len(a) > tag_limit and over_tag.match(a) for a in attribute_texts):
        return _bounded(text, tag_limit, page_limit)
    return text, []


def _separator_count(text: str) -> int:
    """How many ``_SEPARATORS`` ``text`` holds: all ASCII, so as many as its UTF-8 bytes
    hold (no byte of another character's encoding is ASCII), counted in one pass."""
    encoded = text.encode("utf-8", errors="surrogatepass")
    return len(encoded) - len(encoded.translate(None, _SEPARATORS))


@functools.cache
def _first_of(count: int) -> re.Pattern[str]:
    """The first ``count`` attributes of a tag's attribute text (counted by the engine)."""
    return re.compile(rf"(?:[\t\n\f\r /]*+{_ATTRIBUTE}){{{count}}}")


def _bounded(text: str, tag_limit: int, page_limit: int) -> tuple[str, list[str]]:
    kept: list[str] = []  # pieces of the bounded text
    copied = 0  # text[:copied] is in ``kept``
    total = 0
    reasons: list[str] = []
    first = _first_of(tag_limit)
    for match in _MARKUP.finditer(text):
        group = next((g for g in (2, 3, 4) if match.group(g)), 0)
        if not group:
            continue
        start, end = match.span(group)
        kept_part = first.match(text, start, end)
        over = kept_part is not None and _ATTRIBUTES.match(text, kept_part.end(), end) is not None
        count = tag_limit if over else len(_ATTRIBUTES.findall(text, start, end))
        if total + count > page_limit:
            reasons.append(PAGE_REASON)
            kept.append(text[copied : match.start()])
            return "".join(kept), reasons
        if over:
            assert kept_part is not None
            if TAG_REASON not in reasons:
                reasons.append(TAG_REASON)
            kept += [text[copied : kept_part.end()], ">"]
            copied = _TAG_CLOSE.match(text, end).end()  # type: ignore[union-attr]
        total += count
    if not reasons:
        return text, []
    kept.append(text[copied:])
    return "".join(kept), reasons

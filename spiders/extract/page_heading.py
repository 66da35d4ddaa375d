"""The page's main heading: where a product page names its product.

One concept for every reader that places things by the title (prices, codes and
availability near it, listings, the rating summary after it, a lone review's block
that never holds it): the first ``<h1>`` with words; without one, the element the page's
``<title>``/``og:title`` names (the shop's part never), else the first section heading.
The product's name is read from the same finder (``named_heading``): where a page holds
several ``<h1>``, the one its title names.
"""

from __future__ import annotations

import itertools
import re
import weakref
from dataclasses import dataclass

import lxml.html

from spiders.extract.element_text import flat_text
from spiders.extract.page_regions import FAR_DEPTH, ancestors


def document_position(element: lxml.html.HtmlElement) -> int:
    """Index of the element in document order (counted in C by XPath)."""
    return int(element.xpath("count(preceding::*) + count(ancestor::*)"))


# The main heading of each page being read, and its document position once asked for: the
# price, code, availability and listing readers each ask (five times a page). Weak keys:
# an entry goes with its page's tree; extraction never changes a tree.
_HEADINGS: weakref.WeakKeyDictionary[lxml.html.HtmlElement, _Heading] = weakref.WeakKeyDictionary()


_HEADING_CHARACTERS = 3
"""Characters of text (spaces aside) that make a heading (a logo's ``<h1>`` has none)."""


@dataclass
class _Heading:
    element: lxml.html.HtmlElement | None
    section: bool = False  # the first section heading: nothing else headed the page
    position: int | None = None


def main_heading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The first ``<h1>`` with words in it (a logo in an ``<h1>`` has none); without one,
    the element the page's title names (``titled_heading``), else its first section
    heading (``first_subheading``)."""
    return _heading_of(root).element


_MAX_NAMED = 50
"""``<h1>`` elements weighed as the product's name (a hostile page may hold thousands)."""
_WORD = re.compile(r"\w+")


def named_heading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The heading that names the page's product: of its first ``<h1>`` with text, the
    one that shares most words with the ``<title>`` (Jaccard; the first on a tie or without
    a title); without an ``<h1>`` with text, ``main_heading``: the element the title names,
    else the first section heading when the title names most of its words; never one
    without a word (an amount that a title ends with).

    Why not the first ``<h1>``: shops put several on a page (the cart's "Adding to cart..."
    message, a dialog's heading, a site name), and a page's title names what it is about, in
    any language. On the dev pages whose markup names the product, the first heading matched
    that name on 44 of 54 pages, this one on 48 (2 sites better, none worse). The layout
    readers (``main_heading``) keep the first heading: the price model's weights were learned
    with it, and moving it cost a price on one page."""
    headings = [
        (heading, text)
        for heading in itertools.islice(root.iter("h1"), _MAX_NAMED)
        if (text := flat_text(heading))
    ]
    if not headings:
        known = _heading_of(root)
        element = known.element
        if element is None or not _lettered(flat_text(element)):
            return None  # no heading, or one that names nothing ("20,00 €" a title ends with)
        if known.section and not _title_names_most(root, element):
            return None
        return element
    if len(headings) == 1:
        return headings[0][0]
    title_element = root.find(".//title")
    title = _words(flat_text(title_element) if title_element is not None else "")
    best, best_overlap = headings[0][0], -1.0
    for heading, text in headings:
        words = _words(text)
        union = len(words | title)
        overlap = len(words & title) / union if union else 0.0
        if overlap > best_overlap:
            best, best_overlap = heading, overlap
    return best


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _lettered(text: str) -> set[str]:
    """The words of ``text`` with two letters or more (not its amounts, sizes, codes)."""
    return {w for w in _words(text) if sum(c.isalpha() for c in w) >= 2}


def _title_names_most(root: lxml.html.HtmlElement, heading: lxml.html.HtmlElement) -> bool:
    """True if at least half the words of a section heading (of two letters or more: not
    its sizes) are in the page's titles (the site's declared name aside): the product's
    name shortened or lengthened, where a section's own heading ("Product details", a
    cookie notice, a sale's banner) shares none or few of them. On the dev offers pages
    with every ``<h1>`` made a ``<div>``, 18 were headed by a section: it takes the 2 that
    name their product (one of them cut short) and leaves the 16 that don't."""
    words = _lettered(flat_text(heading))
    titled = _words(" ".join(_title_names(root)))
    return bool(words) and 2 * len(words & titled) >= len(words)


def _heading_of(root: lxml.html.HtmlElement) -> _Heading:
    known = _HEADINGS.get(root)
    if known is None:
        known = _HEADINGS[root] = _first_heading(root)
    return known


def _first_heading(root: lxml.html.HtmlElement) -> _Heading:
    for heading in root.iter("h1"):
        if len(" ".join(heading.text_content().split())) >= _HEADING_CHARACTERS:
            return _Heading(heading)
    titled = titled_heading(root)  # (not ``or``: an element without children is falsy)
    if titled is not None:
        return _Heading(titled)
    return _Heading(first_subheading(root), section=True)


_MAX_SUBHEADINGS = 50
"""``<h2>``/``<h3>`` elements read for a page's first section heading."""


def first_subheading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """A page without an ``<h1>`` or a title-named element: its first ``<h2>``/``<h3>``
    with words in it, outside the page's header, links, lists, buttons and asides, and not
    the heading of a list (a "you may also like" row: a ``<ul>``/``<ol>`` right after it)."""
    for heading in itertools.islice(root.iter("h2", "h3"), _MAX_SUBHEADINGS):
        if len(" ".join(heading.text_content().split())) < 3:
            continue
        if any(a.tag in _NOT_A_HEADING for a in ancestors(heading, FAR_DEPTH)):
            continue
        after = heading.getnext()
        if after is not None and after.tag in ("ul", "ol"):
            continue
        return heading
    return None


# A page title's parts: "Blue teapot 1 l | Shop", "Shop - Blue teapot", "Blue teapot « Shop".
_TITLE_SEPARATOR = re.compile(
    r"\s+[|\-\u2013\u2014\u00b7:/\u00bb\u00ab\u2022]+\s+|\s*[|\u00bb\u00ab\u2022]\s*"
)
_TITLED_TAGS = ("h2", "h3", "h4", "h5", "h6", "div", "p", "span", "strong", "b", "em")
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_NOT_A_TITLE = frozenset({"a", "option", "button", "label", "title", "li", "nav", "footer"})
_NOT_A_HEADING = _NOT_A_TITLE | {"header", "aside"}
_SITE_NAME_KEYS = frozenset({"og:site_name", "application-name", "apple-mobile-web-app-title"})
"""Meta tags that say the site's (the shop's) name, never its product's."""
_MAX_TITLED = 4000
"""Elements read for a title-named heading (a hostile page may hold millions)."""


def titled_heading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """Where a page without an ``<h1>`` heads its product: the element whose whole text
    is the longest part of the page's ``<title>`` (or ``og:title``) it matches, the
    shop's name split off ("Blue teapot 1 l | Shop") and never the site's declared name
    (``_title_names``); a styled ``<h2>``..``<h6>`` before a
    ``<div>`` or ``<span>`` saying the same, links, list items and buttons never (a
    breadcrumb's last step, a cart line). None when nothing matches. Exact (spaces and
    case aside): a title that shortens the name finds nothing, where letter-pair likeness
    found the shop's name in a header instead."""
    names = _title_names(root)
    if not names:
        return None
    found: lxml.html.HtmlElement | None = None
    best = (0, False)
    for element in itertools.islice(root.iter(*_TITLED_TAGS), _MAX_TITLED):
        if len(element) > 6:
            continue  # a block holding the title among others, not the title itself
        text = " ".join(element.text_content().split()).casefold()
        if text not in names:
            continue
        # the longest part named (the product's, not the shop's), a heading first
        rank = (len(text), element.tag in _HEADING_TAGS)
        if rank > best and not any(a.tag in _NOT_A_TITLE for a in ancestors(element, FAR_DEPTH)):
            found, best = element, rank
    return found


def _title_names(root: lxml.html.HtmlElement) -> frozenset[str]:
    """What the page's titles may name its product by: each whole title and each part of
    one, never the site's declared name (``og:site_name``, ``application-name``): the
    shop's part of a title, which a header shows alone where the product's name is
    shortened. (Keeping only each title's longest part drops the shop's too, but more
    often the product's behind a longer tagline: with the ``<h1>`` of 403 saved pages
    made a ``<div>``, 284 main headings right against 299 before; this way 302.)"""
    titles = [t.text_content() for t in itertools.islice(root.iter("title"), 1)]
    sites: set[str] = set()
    og_titles: list[str] = []
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name")
        if key == "og:title":
            og_titles.append(meta.get("content") or "")
        elif key in _SITE_NAME_KEYS:
            sites.add(" ".join((meta.get("content") or "").split()).casefold())
    names: set[str] = set()
    for title in [*titles, *og_titles[:1]]:
        whole = " ".join(title.split()).casefold()
        parts = [whole, *(" ".join(p.split()) for p in _TITLE_SEPARATOR.split(whole))]
        names.update(p for p in parts if len(p) >= 3)
    return frozenset(names - sites)


def heading_position(root: lxml.html.HtmlElement) -> int | None:
    """The document position of the page's main heading, or None without one."""
    known = _heading_of(root)
    if known.element is not None and known.position is None:
        known.position = document_position(known.element)
    return known.position

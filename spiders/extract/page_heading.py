"""The page's main heading: where a product page names its product.

One concept for every reader that places things by the title (prices, codes and
availability near it, listings, the rating summary after it, a lone review's block
that never holds it): the first ``<h1>`` with words; without one, the element the page's
``<title>``/``og:title`` names (the shop's part never), else the first section heading.
"""

from __future__ import annotations

import itertools
import re
import weakref
from dataclasses import dataclass

import lxml.html

from spiders.extract.page_regions import FAR_DEPTH, ancestors


def document_position(element: lxml.html.HtmlElement) -> int:
    """Index of the element in document order (counted in C by XPath)."""
    return int(element.xpath("count(preceding::*) + count(ancestor::*)"))


# The main heading of each page being read, and its document position once asked for: the
# price, code, availability and listing readers each ask (five times a page). Weak keys:
# an entry goes with its page's tree; extraction never changes a tree.
_HEADINGS: weakref.WeakKeyDictionary[lxml.html.HtmlElement, _Heading] = weakref.WeakKeyDictionary()


@dataclass
class _Heading:
    element: lxml.html.HtmlElement | None
    position: int | None = None


def main_heading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The first ``<h1>`` with words in it (a logo in an ``<h1>`` has none); without one,
    the element the page's title names (``titled_heading``), else its first section
    heading (``first_subheading``)."""
    return _heading_of(root).element


def _heading_of(root: lxml.html.HtmlElement) -> _Heading:
    known = _HEADINGS.get(root)
    if known is None:
        known = _HEADINGS[root] = _Heading(_first_heading(root))
    return known


def _first_heading(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for heading in root.iter("h1"):
        if len(" ".join(heading.text_content().split())) >= 3:
            return heading
    titled = titled_heading(root)  # (not ``or``: an element without children is falsy)
    return titled if titled is not None else first_subheading(root)


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

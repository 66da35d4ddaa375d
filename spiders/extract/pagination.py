"""The link to the next page of reviews or listings."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html

# A pager's arrow may stand beside its word ("Next »", "Neste side ›", "→ Dalej"): the
# arrow is the same in every language and says "forward" as plainly as the word.
_ARROW = r"(?:>>|»|›|>|→|❯)"
_LONE_ARROW = (
    r"(?:>>|»|›|>|→)"  # alone: as before (a lone "❯" or "▶" may be a carousel or a player)
)
_NEXT_WORDS = re.compile(
    rf"^\s*(?:{_ARROW}\s*)?(?:next(?:\s+page)?|suivant(?:e)?|page suivante|następna(?:\s+strona)?"
    r"|dalej|neste(?:\s+side)?|weiter|nächste(?:\s+seite)?|successiva|avanti|siguiente|volgende"
    rf"|nästa|næste)(?:\s*{_ARROW})?\s*$|^\s*{_LONE_ARROW}\s*$",
    re.IGNORECASE,
)
_MAX_NEXT_WORDS = 4
"""Words of the longest ``_NEXT_WORDS`` match: an arrow, two words, an arrow."""
_NEXT_CLASS = re.compile(
    r"(?:^|[\s_-])(?:next|pagination-next|page-next|nextpage)(?:$|[\s_-])", re.I
)
_DISABLED = re.compile(r"disabled", re.I)
_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")


def absolute_link(url: str, href: str) -> str | None:
    """``href`` joined to the page's ``url`` as a browser would (tabs and newlines dropped,
    backslashes read as slashes), or None when the result is no page to fetch: another scheme
    (``mailto:``, ``data:``), no host, a bad port or IPv6 address, a join that fails."""
    href = _TABS_AND_NEWLINES.sub("", href).strip().replace("\\", "/")
    if not href or href.startswith(("#", "javascript:")):
        return None
    try:
        joined = urljoin(url, href)
        parts = urlsplit(joined)
        host, _ = parts.hostname, parts.port  # .port raises on a bad one
    except ValueError:
        return None
    base_scheme = urlsplit(url).scheme if "://" in url else ""
    # A saved page read with its file URI (no --url) keeps its links next to it.
    schemes = ("http", "https", "file") if base_scheme == "file" else ("http", "https")
    if parts.scheme not in schemes or (parts.scheme != "file" and not host):
        return None
    return joined


_PAGE_NUMBER = re.compile(r"[-_/.]?\d+")
"""A number in a path with the separator before it: "/page/2", "-p3", "/2014", "/93133869"."""


def _path_words(url: str) -> list[str]:
    path = _PAGE_NUMBER.sub("", urlsplit(url).path)
    return [segment for segment in path.split("/") if segment]


def leads_to_another_item(url: str, link: str) -> bool:
    """Whether ``link`` names a sibling of ``url``: the same folder, another last segment,
    once numbers are set aside ("/lot/40021_oak-stool" -> "/lot/40022_brass-lamp",
    "/rye-bread/" -> "/pea-soup/"). Later pages of one series differ in their numbers or
    query ("/shoes/page/3", "?page=2", "/shoes-2.html") or lie under the page's path.

    A "next" link to a sibling is the next article or product, not a page of this one's
    reviews: measured on item pages from 49 sites (recipes, shops, auctions), 75 "next"
    links led to another item (74 of them siblings) and 2 to the page's own comment
    pages (both under its path)."""
    here, there = _path_words(url), _path_words(link)
    return len(here) == len(there) and here[:-1] == there[:-1] and here != there


def next_page_url(root: lxml.html.HtmlElement, url: str) -> str | None:
    """Absolute URL from ``<link rel=next>``, ``<a rel=next>``, or a next-looking pager link;
    never a link to a sibling item (``leads_to_another_item``): the next product or
    article is no page of this one's reviews."""
    for element in root.iter("link", "a"):
        rel = element.get("rel")  # most links have none
        if not rel or "next" not in rel.lower().split():
            continue
        link = absolute_link(url, element.get("href") or "")
        if link is not None and not leads_to_another_item(url, link):
            return link
    for anchor in root.iter("a"):
        # The cheap tests first: joining a URL costs more than reading a label, and few
        # of a page's links look like a pager's.
        klass = anchor.get("class") or ""
        if _DISABLED.search(klass) or anchor.get("aria-disabled") == "true":
            continue
        label = anchor.get("aria-label") or anchor.get("title") or ""
        if not (_NEXT_CLASS.search(klass) or _NEXT_WORDS.match(label)):
            words = anchor.text_content().split()
            # A pager's label is at most four words ("» page suivante »"): a card's text
            # is not joined to be matched.
            if len(words) > _MAX_NEXT_WORDS or not _NEXT_WORDS.match(" ".join(words)):
                continue
        link = absolute_link(url, anchor.get("href") or "")
        if link is not None and not leads_to_another_item(url, link):
            return link
    return None

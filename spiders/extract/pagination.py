"""The link to the next page of reviews or listings."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html

_NEXT_WORDS = re.compile(
    r"^\s*(?:next(?:\s+page)?|suivant(?:e)?|page suivante|następna(?:\s+strona)?|dalej|neste(?:\s+side)?"
    r"|weiter|nächste(?:\s+seite)?|successiva|avanti|siguiente|volgende|nästa|næste|»|›|>|→|>>)\s*$",
    re.IGNORECASE,
)
_NEXT_CLASS = re.compile(
    r"(?:^|[\s_-])(?:next|pagination-next|page-next|nextpage)(?:$|[\s_-])", re.I
)
_DISABLED = re.compile(r"disabled", re.I)


def next_page_url(root: lxml.html.HtmlElement, url: str) -> str | None:
    """Absolute URL from ``<link rel=next>``, ``<a rel=next>``, or a next-looking pager link."""
    for element in root.iter("link", "a"):
        rel = (element.get("rel") or "").lower().split()
        href = element.get("href")
        if "next" in rel and href and not href.startswith(("#", "javascript:")):
            return urljoin(url, href.strip())
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        if _DISABLED.search(anchor.get("class") or "") or anchor.get("aria-disabled") == "true":
            continue
        label = anchor.get("aria-label") or anchor.get("title") or ""
        text = " ".join(anchor.text_content().split())
        klass = anchor.get("class") or ""
        if _NEXT_WORDS.match(text) or _NEXT_WORDS.match(label) or _NEXT_CLASS.search(klass):
            return urljoin(url, href)
    return None

"""At most ``MAX_PAGE_TAGS`` tags of a page are parsed.

A parse tree costs about 400 bytes per element (libxml2's node, its attribute and the
attribute's text), 40 times the 10 bytes of ``<a href=x>``: a page of 1,000,000 such links
fits in the default 10 MB response limit, and its tree took 382 MB, built once for
extraction and again for link extraction, which also made 1,000,000 ``Link`` objects (613 MB
and 30 CPU seconds for the link extraction alone). Shop pages have far fewer tags (the most
among 407 saved shop pages: 11,540 ``<``, median 2,978), so a page with more than
``MAX_PAGE_TAGS`` is read up to its ``MAX_PAGE_TAGS``-th tag only (its head, where
structured data lives, included) and the run counts it as ``elements_over_limit``. Parsing,
extracting and taking the links of the first 50,000 of 1,000,000 ``<a href=x>`` took 3.0 CPU
seconds (the whole page: 30 for the links alone).
"""

from __future__ import annotations

from scrapy.http import TextResponse

MAX_PAGE_TAGS = 50_000
"""Tags (counted as ``<`` characters, an upper bound) of a page that are parsed."""


def within_tag_budget(response: TextResponse) -> TextResponse | None:
    """``response`` cut before its ``MAX_PAGE_TAGS + 1``-th ``<``, or None if it has no more."""
    text = response.text
    if text.count("<") <= MAX_PAGE_TAGS:
        return None
    cut = -1
    for _ in range(MAX_PAGE_TAGS + 1):
        cut = text.find("<", cut + 1)
    return response.replace(body=text[:cut].encode("utf-8"), encoding="utf-8")

"""Listing pages: many product cards, no single main product.

A listing yields its cards as offers flagged ``listing`` (a name, a link, a price), never
a product named after the page heading. Two structural signals, no word lists:

- the layout: the page's best visible price is one of several cards of the same template,
  each a block with a link and a price (or sits in a card after the page's main heading
  whose product link comes before it), and markup gives no price of a main product
  (``heuristics.best_visible_price`` decides; this module reads the cards). Structure only:
  renamed or hashed class names change nothing, and a buy box after a top bar's link ("my
  cart") or beside recommendations of its tags is no card;
- the markup: several products of different names each with a price, none of them the
  product the page's ``<h1>`` names, and not the variants of one product.

Cards in the page's chrome (``<header>``, ``<nav>``, ``<footer>``: a menu's promotions)
are no listing's; and cards that the page's heading reaches only through an article's
worth of running text (a recipe's ingredients shown as products, a post's picks, a wine
to go with it) are products an article shows, not a listing under its heading: a
listing's grid follows its heading after filters, labels and at most a short introduction.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin, urlparse

import lxml.etree
import lxml.html

from settings.records import OfferItem
from spiders.extract.heuristics import in_linked_card, listing_prices
from spiders.extract.layers import HEURISTIC
from spiders.extract.page_heading import main_heading
from spiders.extract.page_regions import ancestors, in_page_chrome
from spiders.extract.visible_price import PriceCandidate, price_candidates

# Distinct priced products in markup that make a listing when none is the heading's.
_MARKUP_PRODUCTS = 3
# How far above a card's price its product link may sit.
_CARD_DEPTH = 4
_MIN_LINK_WORDS = 2
# Running text: a text of this many characters or more (a sentence; not a label, a facet, a
# card's name or price).
_RUNNING_TEXT = 80
# An article's worth of running text between the heading and the first card (a category's
# introduction is shorter; the 5 stripped recipe pages of 4 sites whose product cards read
# as a listing hold 1,240 to 2,900 characters there).
_ARTICLE_TEXT = 1000
_NOT_SHOWN = frozenset({"script", "style", "noscript", "template"})


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def markup_listing(offers: list[OfferItem], root: lxml.html.HtmlElement) -> list[OfferItem] | None:
    """The markup's products as listing cards when the page lists several different
    priced products and its heading names none of them; else None."""
    priced = [o for o in offers if o.price is not None and o.name]
    names = {_words(o.name) for o in priced}
    if len(names) < _MARKUP_PRODUCTS:
        return None
    heading = main_heading(root)
    if heading is None:
        return None  # nothing says which product the page is about: markup decides
    title = _words(heading.text_content())
    if any(name in title or title in name for name in names):
        return None  # one of them is the page's product
    cards = list({_words(o.name): o for o in reversed(priced)}.values())[::-1]
    for card in cards:
        card.listing = True
        card.listing_page = card.url  # markup offers carry the page's URL: no link of theirs
    return cards


def _card_link(price: lxml.html.HtmlElement, url: str, here: str) -> tuple[str, str] | None:
    """(link text, absolute URL) of the product link in the card around a price: the
    nearest block above the price holding a link to another page; of its links the first
    that reads like a product name (several words), else the first with any text."""
    for block in ancestors(price, _CARD_DEPTH):
        links: list[tuple[str, str]] = []
        for node in block.iter("a"):
            href = (node.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:")):
                continue
            target = urljoin(url, href)
            text = " ".join(node.text_content().split())
            if text and urlparse(target).path.rstrip("/") != here:
                links.append((text[:500], target))
        if links:
            named = [link for link in links if len(link[0].split()) >= _MIN_LINK_WORDS]
            return (named or links)[0]
    return None


def visible_listing(
    root: lxml.html.HtmlElement, url: str, currency_hint: str | None
) -> list[OfferItem]:
    """The cards of a page the layout shows as a listing: each card's price with the name
    and address of the product its link leads to, in page order."""
    candidates = [c for c in price_candidates(root, currency_hint) if not c.old]
    if not candidates:
        return []
    heading = main_heading(root)
    templates = Counter(c.signature for c in candidates)
    repeated = listing_prices(candidates)
    chosen: list[PriceCandidate] = repeated or [
        c for c in candidates if c.element is not None and in_linked_card(c.element, heading, url)
    ]
    if repeated:
        top = templates.most_common(1)[0][0]
        chosen = [c for c in chosen if c.signature == top]
    chosen = [c for c in chosen if c.element is not None and not in_page_chrome(c.element)]
    if not chosen:
        return []
    chosen.sort(key=lambda c: c.order)
    if heading is not None and _article_between(root, heading, chosen[0].element):
        return []
    here = urlparse(url).path.rstrip("/")
    cards: list[OfferItem] = []
    seen: set[str] = set()
    for candidate in chosen:
        if candidate.element is None:
            continue
        link = _card_link(candidate.element, url, here)
        if link is None or link[1] in seen:
            continue
        seen.add(link[1])
        card = OfferItem(
            url=link[1],
            name=link[0] or None,
            price=candidate.price,
            price_raw=candidate.text,
            currency=candidate.currency or currency_hint,
            listing=True,
            listing_page=url,
        )
        for name in ("name", "price", "currency"):
            if getattr(card, name) is not None:
                card.explain[name] = HEURISTIC.name
        cards.append(card)
    return cards


def _article_between(
    root: lxml.html.HtmlElement,
    heading: lxml.html.HtmlElement,
    card: lxml.html.HtmlElement | None,
) -> bool:
    """True if at least ``_ARTICLE_TEXT`` characters of running text (texts of
    ``_RUNNING_TEXT`` characters or more, outside scripts and styles) stand between the end
    of the heading and ``card``, in document order; False for a card before the heading."""
    total = 0
    after = False
    skipping = 0  # depth inside an element whose text is not shown
    for event, node in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if node is card:
                return False
            if not isinstance(node.tag, str) or node.tag in _NOT_SHOWN:
                skipping += 1
            elif after and not skipping:
                total += _running(node.text)
            continue
        if not isinstance(node.tag, str) or node.tag in _NOT_SHOWN:
            skipping -= 1
        if node is heading:
            after = True
        elif after and not skipping:
            total += _running(node.tail)
        if total >= _ARTICLE_TEXT:
            return True
    return False


def _running(text: str | None) -> int:
    length = len(text.strip()) if text else 0
    return length if length >= _RUNNING_TEXT else 0

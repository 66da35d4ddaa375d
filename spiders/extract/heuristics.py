"""Page heuristics for offers: price, availability and identifiers from the visible page.

Used only for fields the markup layers left empty (or a markup price the page shows only
as an old price). The price is the best-ranked visible amount (``visible_price``) unless
it is one of a listing's card prices.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlparse

import lxml.etree
import lxml.html

from settings.records import OfferItem
from spiders.extract.candidate_model import model
from spiders.extract.element_text import flat_text
from spiders.extract.page_heading import (
    document_position,
    heading_position,
    main_heading,
    named_heading,
)
from spiders.extract.page_regions import ancestors
from spiders.extract.price import (
    THREE_DECIMAL_CURRENCIES,
)
from spiders.extract.shop_labels import phrase_pattern, phrases
from spiders.extract.visible_price import (
    PRICE_MODEL,
    PriceCandidate,
    discounted_beside,
    price_candidates,
    shown_prices,
)

_FAR_ANCESTORS = 40
# A price shared by this many blocks of the same layout is a card in a product listing.
_LISTING_CARDS = 3


def is_listing_price(best: PriceCandidate, candidates: list[PriceCandidate]) -> bool:
    """True if ``best`` is one of several product cards' prices (a listing, not a product)."""
    return any(c is best for c in listing_prices(candidates))


def listing_prices(candidates: list[PriceCandidate]) -> list[PriceCandidate]:
    """The current prices that read as product cards' in a listing: repeated blocks of one
    layout, each with a link and a price. The layout (tags and classes of the price and its
    nearest ancestors) alone is no card: where class names say nothing, a buy box and the
    recommendations after it share tags; a buy box holds no link to another page, a card
    its product's."""
    linked = [
        c
        for c in candidates
        if not c.old and c.element is not None and _in_card_with_link(c.element)
    ]
    layouts = Counter(c.signature for c in linked)
    return [c for c in linked if layouts[c.signature] >= _LISTING_CARDS]


# How far above a card's price its link may sit (an image link opening a card, a title).
_CARD_LINK_DEPTH = 6


def _in_card_with_link(element: lxml.html.HtmlElement) -> bool:
    """True if a block close above the price (not the page's ``<body>``) is or holds a link
    to a page (not a fragment of this one, nor a script)."""
    for block in ancestors(element, _CARD_LINK_DEPTH):
        if block.tag in _PAGE_BLOCKS:
            return False
        if any(_is_page_link(link) for link in block.iter("a")):
            return True
    return False


def _is_page_link(link: lxml.html.HtmlElement) -> bool:
    href = (link.get("href") or "").strip()
    return bool(href) and not href.startswith(("#", "javascript:"))


# A product card: a block this close above a price that begins with a link to the product.
_CARD_DEPTH = 4
# On a folder's page (its named links lead to many pages under its address: a collection),
# the cards themes nest deeper are still cards.
_FOLDER_CARD_DEPTH = 6
_MIN_LINK_WORDS = 2


def in_linked_card(
    element: lxml.html.HtmlElement, heading: lxml.html.HtmlElement | None, url: str
) -> bool:
    """True if the price sits in a card of a listing: a small block around it (not holding
    the page's heading) where a link naming another page (several words, like a product
    name; not a brand or a part of this page) comes before the price. Works with a single
    card, where counting repeated layouts cannot.

    A listing is headed (its category's name), and its cards follow the heading: without a
    main heading, or in a block before it, nothing says the link heads a card of a listing
    (a product page's top bar, "my cart", "log in", before its buy box); and the page's
    ``<body>`` is no card. All structure: no class name is read."""
    if heading is None:
        return False
    here = urlparse(url).path.rstrip("/")
    holds_heading = {heading, *ancestors(heading, _FAR_ANCESTORS)}
    root = heading.getroottree().getroot()
    folder = len(_named_pages_under(root, url, here)) >= _FOLDER_PAGES
    for block in ancestors(element, _FOLDER_CARD_DEPTH if folder else _CARD_DEPTH):
        if block in holds_heading or block.tag in _PAGE_BLOCKS:
            return False
        for node in block.iter():
            if node is element:
                break  # only links before the price: a title, not "more offers" after it
            if node.tag == "a" and _names_another_page(node, url, here):
                return _after_heading(block, heading)
    return False


_PAGE_BLOCKS = frozenset({"body", "html"})


def _after_heading(block: lxml.html.HtmlElement, heading: lxml.html.HtmlElement) -> bool:
    """True if ``block`` (which does not hold the heading) comes after the heading."""
    position = heading_position(heading.getroottree().getroot())
    return position is not None and document_position(block) > position


def _names_another_page(link: lxml.html.HtmlElement, url: str, here: str) -> bool:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:")):
        return False
    linked = urlparse(urljoin(url, href))
    target = linked.path.rstrip("/")
    if target == here and not _other_query_value(linked.query, urlparse(url).query):
        return False
    if not _names_a_product(link):
        return False
    if not urlparse(url).path.endswith("/") and target.startswith(here + "/"):
        # a part of this page (its reviews, its images); under a folder page ("/shop/"),
        # or one whose named links lead to many pages under it (a collection's products at
        # "/collections/jackets/products/..."), the links are the folder's products
        return len(_named_pages_under(link.getroottree().getroot(), url, here)) >= _FOLDER_PAGES
    return True


def _other_query_value(linked: str, own: str) -> bool:
    """True if a link's query gives a key of the page's own query another value: another
    page of a script that names its pages by the query ("index.php?product_id=150" from
    "index.php?product_id=142"), not this page's tab or sort order."""
    mine = dict(parse_qsl(own))
    return any(key in mine and mine[key] != value for key, value in parse_qsl(linked))


def _names_a_product(link: lxml.html.HtmlElement) -> bool:
    words = link.text_content().split()
    return len(words) >= _MIN_LINK_WORDS and any(sum(ch.isalpha() for ch in w) >= 3 for w in words)


# Different pages under this page's address its named links lead to, from which on they are
# a folder's pages, not parts of one product (its reviews, photos and questions: fewer).
_FOLDER_PAGES = 4
_PAGES_UNDER: weakref.WeakKeyDictionary[lxml.html.HtmlElement, frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def _named_pages_under(root: lxml.html.HtmlElement, url: str, here: str) -> frozenset[str]:
    """Paths under ``here`` that the page's links naming a product (several words) lead
    to, read once per page."""
    found = _PAGES_UNDER.get(root)
    if found is None:
        targets = set()
        under = here + "/"
        for link in root.iter("a"):
            href = (link.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:")):
                continue
            if (
                href.startswith(("/", "http://", "https://"))
                and "./" not in href
                and under not in href
            ):
                # an absolute path without dot segments keeps its path as written: not under
                # this page unless it writes it (joining every link cost ~2 ms a page)
                continue
            target = urlparse(urljoin(url, href)).path.rstrip("/")
            if target.startswith(here + "/") and _names_a_product(link):
                targets.add(target)
        found = _PAGES_UNDER[root] = frozenset(targets)
    return found


def best_visible_price(
    root: lxml.html.HtmlElement, currency_hint: str | None, url: str
) -> tuple[tuple[str, str | None, str] | None, bool]:
    """((price, currency, raw text) of the most plausible current price shown on the page,
    or None; whether the page reads as a listing, where the best price is a card's)."""
    candidates = price_candidates(root, currency_hint)
    # A price the page calls old (struck, old-named, "was ...") only when no other clears
    # the threshold: "Was 59 Now 49" pays 49 even where the layout puts 59 first.
    best = _best_current([c for c in candidates if not c.old]) or _best_current(candidates)
    if best is None:
        return None, False
    if is_listing_price(best, candidates):
        return None, True
    heading = main_heading(root)
    if (
        best.element is not None
        and in_linked_card(best.element, heading, url)
        and not _also_shown_outside_cards(best, candidates, heading, url)
    ):
        own = _first_after_heading_outside_cards(candidates, heading, url)
        if own is None:
            return None, True
        best = own
    return (best.price, best.currency, best.text), False


def _first_after_heading_outside_cards(
    candidates: list[PriceCandidate], heading: lxml.html.HtmlElement | None, url: str
) -> PriceCandidate | None:
    """The first price to pay after the heading when it stands outside any linked card, a
    bare amount (no words): the product's own, in a buy box whose layout the ranking rates
    below the cards of related products after it (a theme naming only the cards' prices).
    On a listing the first price after the heading is a card's: None."""
    first = next((c for c in candidates if c.features.get("first_after_heading")), None)
    if (
        first is None
        or first.old
        or first.element is None
        or first.features.get("text_words")
        or in_linked_card(first.element, heading, url)
    ):
        return None
    return first


def _also_shown_outside_cards(
    best: PriceCandidate,
    candidates: list[PriceCandidate],
    heading: lxml.html.HtmlElement | None,
    url: str,
) -> bool:
    """True if the amount of ``best`` (read in a linked card) is also shown as a current
    price outside any card: a product page repeats its price (buy box, sticky bar, basket
    summary) where a title or brand link may precede one of them, while a listing shows
    each card's price once, in its card."""
    return any(
        c is not best
        and not c.old
        and c.price == best.price
        and c.element is not None
        and not in_linked_card(c.element, heading, url)
        for c in candidates
    )


_AMOUNTS = re.compile(r"\d[\d.,'’ ]*")


def visible_price_overruling(
    root: lxml.html.HtmlElement, markup_price: str, currency: str | None
) -> tuple[str, str | None, str] | None:
    """(price, currency, raw text) to use instead of the markup's price, or None.

    Markup sometimes carries the old, list or starting price while the buy box shows
    the price to pay. The markup is overruled only when the page shows its price solely
    as an old price (struck, old-named, "was ...") and a clearly main current price exists,
    or solely beside a lower amount in a block showing a percentage ("219.99 -50% 110.00",
    a list price however named) and that lower amount is a likely current price.
    """
    try:
        wanted = Decimal(markup_price)
    except InvalidOperation:
        return None
    ranking = model(PRICE_MODEL)
    shown = shown_prices(root, markup_price, currency)
    if not shown:
        return None  # not shown at all: nothing on the page contradicts the markup
    discounted: set[Decimal] = set()
    for candidate in shown:
        single_amount = len(_AMOUNTS.findall(candidate.text)) == 1
        if not candidate.old and single_amount and candidate.score >= ranking.threshold:
            beside = discounted_beside(root, candidate, currency)
            if not beside:
                return None  # the markup's price is shown as a current price
            discounted |= beside
    if not discounted and not any(candidate.old for candidate in shown):
        return None
    candidates = price_candidates(root, currency)
    current = [c for c in candidates if not c.old]
    if discounted:
        best = _best_current([c for c in current if Decimal(c.price) in discounted])
    else:
        best = _best_current(current)
        if best is not None and best.score < ranking.overrule:
            return None
    if best is None or Decimal(best.price) == wanted or is_listing_price(best, candidates):
        return None
    return best.price, best.currency, best.text


# A markup number that is also a grouped whole amount: "1.299", "12.990", "3.340".
_GROUPED_SHAPE = re.compile(r"[1-9]\d{0,2}\.\d{3}")


def visible_grouping(
    root: lxml.html.HtmlElement, markup_price: str, currency: str | None
) -> str | None:
    """The whole amount to read a markup price such as ``"1.299"`` as, or None.

    Markup numbers use a decimal point, but shops that group thousands with a dot write
    their own convention into it. Three decimals in a currency that has at most two, with
    the page showing the grouped reading ("1.299 €" reads 1299) as a current price and
    never the markup's, say the dot groups thousands."""
    if currency in THREE_DECIMAL_CURRENCIES or not _GROUPED_SHAPE.fullmatch(markup_price):
        return None
    whole = markup_price.replace(".", "")
    if shown_prices(root, markup_price, currency):
        return None  # the page shows the markup's own reading
    if any(not c.old for c in shown_prices(root, whole, currency)):
        return whole
    return None


def _best_current(candidates: list[PriceCandidate]) -> PriceCandidate | None:
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, -c.order))
    return best if best.score >= model(PRICE_MODEL).threshold else None


# Labels before the shop's own product code ("SKU", "Art.-Nr.", "Product code") and before
# other ids ("Model", "MPN"), of every language of the shop-label table (``shop_labels``);
# matched on the page's text as it is, accents optional, any spacing between words.
_SHOP_CODE_LABEL = phrase_pattern(phrases("product_code"), gap=r"\s*", accents=True).pattern
_OTHER_ID_LABEL = phrase_pattern(phrases("other_code"), gap=r"\s*", accents=True).pattern
_ID_LABEL = re.compile(
    rf"(?:(?P<shop>{_SHOP_CODE_LABEL})|{_OTHER_ID_LABEL})\s*[:#：՝፥–-]?\s*"
    r"(?P<id>[A-Za-z0-9][A-Za-z0-9._/-]{2,30})",
    re.I,
)
_LABEL_AT_END = re.compile(rf"(?:{_SHOP_CODE_LABEL}|{_OTHER_ID_LABEL})\s*[:#：՝፥–-]?\s*$", re.I)
_ASCII_DIGIT = re.compile(r"[0-9]")
# Short visible texts (a label, an id, or both), in document order, selected in C (as
# plain strings: lxml's default "smart" strings each keep a reference to their element).
# descendant:: (below), and the length before normalize-space(), which copies long texts
# too: 1.28 against 1.58 ms a page (73 offers pages normal and stripped, 334 ratings pages).
_SHORT_TEXTS = lxml.etree.XPath(
    "//body/descendant::text()[string-length() < 80][string-length(normalize-space()) > 1]"
    "[not(parent::script or parent::style or parent::noscript or parent::template)]",
    smart_strings=False,
)
# The short texts of both readers of shown codes (``shown_identifiers``, shorter than 80, and
# ``shown_code_candidates``, those with an ASCII digit), as smart strings that know their
# element: one XPath (a text of fewer than two characters besides spaces holds no code). The
# two readers' own XPaths cost 3.7 ms a stripped offers page, this one and the filters 1.95.
_PAGE_SHORT_TEXTS = lxml.etree.XPath(
    "//body/descendant::text()[string-length() < 120][string-length(normalize-space()) > 1]"
    "[not(parent::script or parent::style or parent::noscript or parent::template)]"
)
_SHORT = 80


def page_short_texts(root: lxml.html.HtmlElement) -> list[Any]:
    """The page's visible texts shorter than 120 characters with two or more besides spaces,
    in document order (smart strings): what ``shown_identifiers`` and
    ``shown_code_candidates`` read, listed once for both."""
    texts: list[Any] = _PAGE_SHORT_TEXTS(root)
    return texts


# descendant::, not "//": a tested "//text()[...]" step is read as the texts of every node of
# the page, merged (2.4 against 1.4 CPU ms per offers page).
_VISIBLE_TEXTS = lxml.etree.XPath(
    "//body/descendant::text()[not(parent::script or parent::style)]", smart_strings=False
)


def labelled_identifier_pairs(root: lxml.html.HtmlElement) -> list[tuple[str, bool]]:
    """(id, labelled as the shop's own code) for ids shown after a label such as "SKU:",
    "Art.-Nr.", "Product code" (own code) or "Model" (other ids), in one short text or
    in the text right after a label ("<strong>Product code</strong>: 123")."""
    return shown_identifiers(root)[0]


def shown_identifiers(
    root: lxml.html.HtmlElement, page_texts: list[Any] | None = None
) -> tuple[list[tuple[str, bool]], frozenset[str]]:
    """(``labelled_identifier_pairs``, the short visible texts that hold an ASCII digit,
    spaces trimmed: ids the page shows as a text of their own, such as a table cell),
    from one pass over the page's short texts (``page_texts``: ``page_short_texts``, when
    the caller listed them)."""
    found: dict[str, bool] = {}
    texts: list[str] = (
        _SHORT_TEXTS(root) if page_texts is None else [t for t in page_texts if len(t) < _SHORT]
    )
    # An id has an ASCII digit, so only a text with one, or before one, can show it: the
    # many other texts skip the label search (its patterns hold ~200 labels).
    digits = [_ASCII_DIGIT.search(t) is not None for t in texts] + [False]
    # A page repeats many of its short texts (cards, rows): each distinct one is searched
    # once (the label patterns are long; a third of the searches on the offers pages).
    labelled: dict[str, re.Match[str] | None] = {}
    at_end: dict[str, bool] = {}
    for index, text in enumerate(texts):
        if not digits[index] and not digits[index + 1]:
            continue
        match = None
        if digits[index]:
            if text not in labelled:
                labelled[text] = _ID_LABEL.search(text)
            match = labelled[text]
        # Only a next text with a digit can hold the id a label at the end names (an id
        # holds no space, and one in this text would have matched it alone).
        if match is None and digits[index + 1]:
            if text not in at_end:
                at_end[text] = _LABEL_AT_END.search(text) is not None
            if at_end[text]:
                match = _ID_LABEL.search(f"{text} {texts[index + 1]}")
        if match and any(ch.isdigit() for ch in match.group("id")):
            value = match.group("id").rstrip(".,")
            found[value] = found.get(value, False) or match.group("shop") is not None
    shown = frozenset(text.strip() for text, digit in zip(texts, digits, strict=False) if digit)
    return list(found.items()), shown


# "Word word: CODE" whole, in any language: one to three words without digits, a colon, then
# a code with a digit and no spaces (an amount with cents, "12.99", is a price, not a code).
_COLON_CODE = re.compile(
    r"\s*[^\W\d_][^\W\d]*(?:[ .-][^\W\d]+){0,2}\s*[:：՝፥]\s*"
    r"(?P<id>(?=[A-Za-z0-9._/-]*\d)[A-Za-z0-9][A-Za-z0-9._/-]{3,30})\s*"
)
_AMOUNT_SHAPE = re.compile(r"\d{1,3}(?:[.,']\d{3})*(?:[.,]\d{1,2})?")


def colon_labelled_codes(root: lxml.html.HtmlElement) -> list[str]:
    """Codes each shown as a short text "label: code" whose label may be in any language:
    what a page in a language the label table lacks shows its codes by."""
    found: dict[str, None] = {}
    texts: list[str] = _SHORT_TEXTS(root)
    for text in texts:
        match = _COLON_CODE.fullmatch(text)
        if match and not _AMOUNT_SHAPE.fullmatch(match.group("id")):
            found[match.group("id")] = None
    return list(found)


# A code of capital letters alone ("LM-MEUSE-M-GR"): two or more parts joined by hyphens or
# dots, no space. Read only right after a label of the shop's own code (``_SHOP_ONLY``): unlabelled,
# such a text is as often a heading, a size or a colour written in capitals.
_LETTER_CODE = re.compile(r"[A-Z]+(?:[-.][A-Z]+)+")
_SHOP_ONLY = re.compile(rf"\s*(?:{_SHOP_CODE_LABEL})\s*[:#：՝፥–-]?\s*(?P<id>[^\s:#：]+)?\s*", re.I)
_SIZE_LETTERS = frozenset("XSML")


def letter_labelled_code(texts: Sequence[str], root: lxml.html.HtmlElement) -> str | None:
    """The shop's own code shown without a digit right after its label ("Référence" then
    "LM-MEUSE-M-GR", "Codice: ZAI-DOLOMITI-TR"), when the page shows one such code: capital
    letters in two or more parts joined by "-" or ".", not sizes alone ("XS-XL"), and not a
    word the page also writes in small letters (a word of its language, a colour, written in
    capitals here). ``texts``: the page's short texts in document order."""
    found: dict[str, None] = {}
    # Only a text that holds such a shape, or before one, can show it: the many others skip
    # the label search (its pattern holds ~130 labels).
    shaped = [_LETTER_CODE.search(t) is not None for t in texts] + [False]
    for index, text in enumerate(texts):
        if not shaped[index] and not shaped[index + 1]:
            continue
        match = _SHOP_ONLY.fullmatch(text)
        if match is None:
            continue
        value = match.group("id")
        if value is None and index + 1 < len(texts):
            value = texts[index + 1].strip()
        if value and _is_letter_code(value):
            found[value] = None
    if len(found) != 1:
        return None
    code = next(iter(found))
    page_text = visible_text(root)
    return code if page_text.casefold().count(code.casefold()) <= page_text.count(code) else None


def _is_letter_code(value: str) -> bool:
    if not 4 <= len(value) <= 30 or _LETTER_CODE.fullmatch(value) is None:
        return False
    return not set(value) - set("-.") <= _SIZE_LETTERS  # sizes alone: "XS-XL", "S-M-L"


def visible_text(root: lxml.html.HtmlElement) -> str:
    """The page's text outside scripts and styles (what a customer can read)."""
    return " ".join(_VISIBLE_TEXTS(root))


def heading_name(root: lxml.html.HtmlElement) -> str:
    """The product's name as the page heads it: the text of ``page_heading.named_heading``
    (of several ``<h1>``, the one the title names; without one, the main heading), or ""."""
    heading = named_heading(root)
    return flat_text(heading) if heading is not None else ""


def heuristic_offer_fields(
    root: lxml.html.HtmlElement,
    url: str,
    offer: OfferItem,
    currency_hint: str | None,
    *,
    prices: bool = True,
) -> bool:
    """Fill the name, price and currency of ``offer`` that are still None (the name only,
    without ``prices``); True if the visible prices read as a listing's cards (no main
    product's price)."""
    listing = False
    if offer.name is None:
        name = heading_name(root)
        if name:
            offer.name = name[:500]
            offer.explain["name"] = "heuristic"
    if offer.price is None and prices:
        visible, listing = best_visible_price(root, offer.currency or currency_hint, url)
        if visible is not None:
            offer.price, currency, offer.price_raw = visible
            offer.explain["price"] = "heuristic"
            if offer.currency is None and currency:
                offer.currency = currency
                offer.explain["currency"] = "heuristic"
    if offer.currency is None and offer.price is not None and currency_hint:
        offer.currency = currency_hint
        offer.explain["currency"] = "heuristic"
    return listing

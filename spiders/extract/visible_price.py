"""Prices shown on the page: every price-looking text, ranked for being the main current price.

The scan is XPath-driven (C speed): only elements whose own text holds a digit are read
in Python. Each candidate gets general features (a price name, struck through, in the
among other products, a unit price, a currency sign, distance to the main heading, first price after it, how many blocks share its layout or
its amount, agreeing with a price-named data attribute, converting an amount shown before it
into another currency, inside a link, words beside the amount, two amounts joined by a dash
or a slash (a range, a cost and its share), a lower amount beside it)
and the ranking model
(``spiders.extract.candidate_model``, weights learned by
``benchmarks/train_price_ranking.py`` under site-grouped folds) scores them. An amount
that is the gap of an old and a new price shown beside it (a saving) is no price to pay,
told by the arithmetic (``_mark_savings``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import lxml.etree
import lxml.html

from spiders.extract.candidate_model import model
from spiders.extract.element_text import cents_after, starts_another_amount
from spiders.extract.page_heading import document_position, heading_position
from spiders.extract.page_regions import FAR_DEPTH, ancestors, hidden_among
from spiders.extract.price import (
    ISO_CODES,
    OTHER_DIGITS,
    amounts_side_by_side,
    counts_before_amount,
    detect_currency,
    minor_units_to_decimal,
    normalize_price,
)
from spiders.extract.shop_labels import phrase_pattern, phrases

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "option", "select", "textarea"})  # fmt: skip
# Elements with a digit in their own text (their text or a child's tail). Ten substring
# tests cost half what a translate() of every text does (libxml2 looks each character up
# in the mapping and copies the text): 4.0 against 7.5 CPU ms on the median offers page.
_HAS_DIGIT_TEXT = "text()[" + " or ".join(f"contains(., '{d}')" for d in "0123456789") + "]"
# descendant::, not "//" (the children of every node, merged: slower in libxml2).
_DIGIT_ELEMENTS = lxml.etree.XPath(f"//body/descendant::*[{_HAS_DIGIT_TEXT}]")
# The same for the digits of other scripts (Arabic-Indic, full-width, ...): five times
# slower in libxml2, so looked for only on pages that show no price in ASCII digits.
_OTHER_DIGIT_ELEMENTS = lxml.etree.XPath(
    f"//body/descendant::*[text()[contains(translate(., '{OTHER_DIGITS}', '{'0' * len(OTHER_DIGITS)}'), '0')]]"
)

# No "cost": it names shipping and delivery costs ("shippingCost") as often as the price
# (leaving it out fixed a shipping amount taken as the price, and lost nothing held out).
PRICE_NAME = re.compile(r"price|prix|preis|prezzo|cena|pris|precio|preco", re.I)
# Whole words of class/id names (split at separators and camelCase humps), so that "gold",
# "wash", "orange" or "admin" say nothing; no bare "list", "range", "min" or "max": those
# name product lists, price filters and layout widths as often as old prices; no
# "discount": it names the discounted price to pay ("discountPrice") more than the saving,
# which "save"/"saving" and a percentage (``_UNIT_TEXT``) already tell.
_NOT_CURRENT_WORDS = frozenset(
    {"old", "was", "strike", "strikethrough", "striked", "struck", "regular", "rrp", "uvp",
     "before", "crossed", "original", "saving", "savings", "save", "instalment",
     "installment", "installments", "instalments", "monthly", "month", "unit", "unitprice",
     "baseprice", "shipping", "delivery", "deposit", "total", "coupon", "points", "reward",
     "retail", "msrp", "listprice", "oldprice", "wasprice", "compare", "compareat"}
)  # fmt: skip
_NOT_CURRENT_PAIRS = frozenset({("list", "price"), ("base", "price"), ("per", "unit")})
_CURRENT_WORDS = frozenset({"sale", "special", "current", "final", "actual", "now", "offer", "our"})
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def name_words(names: str) -> list[str]:
    """Lower-case words of class, id and itemprop names ("oldPrice" -> old, price)."""
    return [word.lower() for word in _NAME_WORD.findall(names)]


# A name opening with one of these says what stands beside the element, not what it is:
# "with-list-price", "has-discount", "hasOldPrice" are modifiers of the price to pay.
_BESIDE_WORDS = frozenset({"with", "has"})
# A name with one of these denies its words: "price--non-sale", "not-special".
_NEGATING_WORDS = frozenset({"non", "not", "no"})


def _own_names(names: str) -> list[list[str]]:
    """The words of each name that says what its element is (``_BESIDE_WORDS``)."""
    words = (name_words(name) for name in names.split())
    return [w for w in words if w and w[0] not in _BESIDE_WORDS]


@functools.lru_cache(maxsize=4096)  # pages repeat a few class strings many times
def names_say_not_current(names: str) -> bool:
    """True if the names call a price old, list, unit, instalment or shipping, or deny
    that it is the sale or special one ("non-sale")."""
    own = _own_names(names)
    if any(not _NOT_CURRENT_WORDS.isdisjoint(words) for words in own):
        return True
    if any(_denies_current(words) for words in own):
        return True
    return any(
        not _NOT_CURRENT_PAIRS.isdisjoint(itertools.pairwise(words)) for words in own
    )  # "list-price" is one name; "product-list price" are two


def _denies_current(words: list[str]) -> bool:
    return any(a in _NEGATING_WORDS and b in _CURRENT_WORDS for a, b in itertools.pairwise(words))


@functools.lru_cache(maxsize=4096)
def names_say_current(names: str) -> bool:
    return any(
        not _CURRENT_WORDS.isdisjoint(words) and not _denies_current(words)
        for words in _own_names(names)
    )


# Words next to an amount that say it is not what the customer pays now ("was", "statt"):
# the shop-label table's ``old_price`` role.
_NOT_CURRENT_TEXT = re.compile(phrase_pattern(phrases("old_price"), accents=True).pattern, re.I)
# Words beside an amount that only some pay ("exkl. moms", "heb TAW": the price without VAT;
# "with club card": a member's price): the shop-label table's ``without_tax`` and
# ``member_price`` roles, read by ``_mark_paid_by_some``.
_WITHOUT_TAX_TEXT = re.compile(phrase_pattern(phrases("without_tax"), accents=True).pattern, re.I)
_MEMBER_PRICE_TEXT = re.compile(phrase_pattern(phrases("member_price"), accents=True).pattern, re.I)
_ELSEWHERE = re.compile(
    r"related|recommend|carousel|similar|upsell|cross-?sell|also|bundle|accessor"
    r"|footer|header|navbar|menu|breadcrumb|sidebar|mini-?cart|sponsored|compare|history|reviews?",
    re.I,
)
_STRUCK_TAGS = frozenset({"del", "s", "strike"})
_STRUCK_STYLE = "line-through"
# A slash then a unit in any script ("/ kg", "/Stück", "/ 100 g", "/шт", "/㎡"); a digit
# right after the slash is a rating or a fraction ("4/5", "1/2 price") unless a short unit
# follows it ("/100 g").
_UNIT_TEXT = re.compile(r"/\s*(?:\d+\s*[^\W\d_]{1,3}\b|[^\W\d_]|[\u3380-\u33ff])|\bper\b|/\s*mo|mois|monat|miesi|month|x\s*\d|\d\s*x|%", re.I)  # fmt: skip
_MAX_PRICE_TEXT = 40
_FAR_DEPTH = FAR_DEPTH
# Any script's digits (\d), with the Arabic decimal and thousands marks ("٣٩٩٫٠٠").
_BARE_NUMBER = re.compile(r"[.,]?\d[\d.,'’ \u066b\u066c]*")
# Scale of the page features: elements away from the heading, count of "many" repeats.
_FAR_FROM_HEADING = 450
_JUST_BEFORE_HEADING = 50
_LOG_MANY = math.log(10)
# Up to this many candidates, each position is counted by XPath; past it, one tree walk.
_FEW_POSITIONS = 12
PRICE_MODEL = "price_ranking"


_Shown = tuple[lxml.html.HtmlElement, str, str, str | None, list[lxml.html.HtmlElement]]
"""(element, text, price, currency, its ancestors up to ``_FAR_DEPTH``) of a shown amount."""


@dataclass
class PriceCandidate:
    """One price-looking text on the page and how plausible it is as the main current price."""

    score: float
    order: int
    text: str
    price: str
    currency: str | None
    old: bool
    """Struck through, old-price named or labelled ("was", "statt"): not the current price."""
    signature: str
    """Tags and classes of the element and its nearest ancestors: equal in repeated cards."""
    element: lxml.html.HtmlElement | None = None
    """Where the price is shown."""
    features: dict[str, float] = field(default_factory=dict)
    """Its features for the ranking model (``spiders.extract.candidate_model``)."""
    old_by_names: bool = False
    """Called old by class or id names alone (not struck, not labelled)."""


# The attributes test suites find elements by (Testing Library's and Playwright's
# "data-testid", Cypress's "data-cy" / "data-test", "data-qa"): they name what an element
# is, and outlive class names hashed by CSS modules.
TEST_ID_ATTRIBUTES = ("data-testid", "data-test-id", "data-test", "data-cy", "data-qa")
_TEST_IDS = frozenset(TEST_ID_ATTRIBUTES)


def names_of(element: lxml.html.HtmlElement) -> str:
    """The id, class, itemprop and test ids of an element, the words layouts name things by."""
    get = element.get
    names = f"{get('id') or ''} {get('class') or ''} {get('itemprop') or ''}"
    if _TEST_IDS.isdisjoint(element.keys()):  # one C call; most elements have no test id
        return names
    return " ".join([names, *filter(None, map(get, TEST_ID_ATTRIBUTES))])


def own_text(element: lxml.html.HtmlElement) -> str:
    """Text directly inside the element (its children's tails too, not their text)."""
    parts = [element.text or "", *(child.tail or "" for child in element)]
    return " ".join(" ".join(parts).split())


def candidate_text(element: lxml.html.HtmlElement) -> str | None:
    """The price-looking text an element shows, or None if it does not look like one."""
    names = names_of(element)
    price_named = PRICE_NAME.search(names) is not None
    own = own_text(element)
    if own and len(own) <= _MAX_PRICE_TEXT and any(ch.isdigit() for ch in own):
        if detect_currency(own)[1] is not None:
            return _after_higher_amount(own) or _with_superscript_cents(element, own)
        if price_named and _PLAIN_AMOUNT.fullmatch(own):
            return _with_superscript_cents(element, own)
    split = not any(ch.isdigit() for ch in own)  # every digit in its children
    # or a bare number whose cents or currency sit in children ("129<sup>90</sup> <i>lei</i>")
    split = split or _PLAIN_AMOUNT.fullmatch(own) is not None
    if (split or price_named) and 0 < len(element) <= 6:
        # Split prices such as <span>12</span><sup>,99</sup> €: read the whole element.
        full = joined_text(element)
        plausible = full and len(full) <= _MAX_PRICE_TEXT and any(ch.isdigit() for ch in full)
        if plausible and amounts_side_by_side(full):
            return None  # "<s>129,99</s> <b>99,99 zł</b>": each amount is read on its own
        if plausible and full != own and detect_currency(full)[1] is not None:
            return None if _side_by_side(full) else full
        if plausible and full != own and price_named and _PLAIN_AMOUNT.fullmatch(full):
            return full  # a price-named block whose number sits in a child: as its own text
    if len(element) == 0 and own and _PLAIN_AMOUNT.fullmatch(own):
        return _with_block_sign(element, own) or _with_sibling_sign(element, own)
    return None


def _with_block_sign(element: lxml.html.HtmlElement, own: str) -> str | None:
    """A bare amount with the currency sign its parent writes in its own text, when the
    parent shows two amounts side by side and so is read amount by amount ("<s>129,99</s>
    <b>99,99</b> zł": "129,99 zł" and "99,99 zł"): the sign before the amount when the
    parent writes it before its first child, else after. None otherwise."""
    parent = element.getparent()
    if parent is None or len(parent) > 6:
        return None
    written = own_text(parent)
    if not written or len(written) > _MAX_PRICE_TEXT:
        return None
    full = joined_text(parent)
    sign = detect_currency(full)[1]
    if sign is None or sign not in written or not amounts_side_by_side(full):
        return None
    return f"{sign} {own}" if sign in (parent.text or "") else f"{own} {sign}"


_PLAIN_AMOUNT = re.compile(r"[\d\s.,'’-]+")


def _with_sibling_sign(element: lxml.html.HtmlElement, own: str) -> str | None:
    """A bare amount with the currency sign an adjacent sibling element shows alone, only
    whitespace between, in a small parent ("<span>1.299,00</span> <span>kr.</span>",
    "<span>€</span><span>49,90</span>"): one priced amount, read on the amount's own
    element. Not a piece of a split amount: the amount starts with a digit and its other
    neighbour is not glued to it ("<span>1.299</span><span>99</span> <span>kr.</span>" is
    read by the block). None otherwise."""
    parent = element.getparent()
    if parent is None or len(parent) > 6 or not own[:1].isdigit():
        return None
    before, after = element.getprevious(), element.getnext()
    for sign_side, other, sign_first in ((after, before, False), (before, after, True)):
        sign = _sign_text(sign_side)
        if sign is None or sign_side is None:
            continue
        between = (sign_side if sign_first else element).tail or ""
        if between.strip() or _glued_digits(element, other, sign_first):
            continue
        text = f"{sign} {own}" if sign_first else f"{own} {sign}"
        read = detect_currency(text)[1]
        if read is not None and not sign.replace(read, "", 1).strip(". "):
            return text  # the sibling is the sign alone, nothing else
    return None


def _sign_text(element: lxml.html.HtmlElement | None) -> str | None:
    """The text of a childless element short and digitless enough to be a currency sign."""
    if element is None or len(element) or not isinstance(element.tag, str):
        return None
    text = (element.text or "").strip()
    return text if 0 < len(text) <= 6 and not any(ch.isdigit() for ch in text) else None


def _glued_digits(
    element: lxml.html.HtmlElement, other: lxml.html.HtmlElement | None, other_after: bool
) -> bool:
    """True if ``other``, the amount's neighbour away from its sign, holds digits or a
    decimal mark with no space between them and the amount (a split amount's piece)."""
    if other is None or not isinstance(other.tag, str):
        return False
    if other_after:
        gap, edge = element.tail or "", (other.text_content() or "")[:1]
    else:
        gap, edge = other.tail or "", (other.text_content() or "")[-1:]
    return not gap and (edge.isdigit() or edge in ".,")


_CENTS = re.compile(r"\d{1,2}")
_MARKED_CENTS = re.compile(r"[.,]\d{1,2}")
_SUPERSCRIPT_CENTS = re.compile(r"[.,]?\d{1,2}")


def _with_superscript_cents(element: lxml.html.HtmlElement, own: str) -> str:
    """``own`` with the cents of a ``<sup>`` child read in ("$19<sup>99</sup>" -> "$19.99",
    "1.299<sup>,99</sup> €" -> "1.299,99 €")."""
    for child in element:
        cents = (child.text or "").strip()
        if child.tag == "sup" and len(child) == 0 and _SUPERSCRIPT_CENTS.fullmatch(cents):
            return joined_text(element)
    return own


def joined_text(element: lxml.html.HtmlElement) -> str:
    """The element's text content, spaces collapsed; a superscript of one or two digits
    right after digits is their fraction (``12<sup>99</sup>`` reads "12.99"), the
    typographic convention for minor units whatever the language."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        text = node.text or ""
        if node.tag == "sup" and len(node) == 0 and _CENTS.fullmatch(text.strip()):
            before = "".join(parts).rstrip()
            if before[-1:].isdigit():
                parts[:] = [before, ".", text.strip()]
                text = ""
            elif before[-1:] in {".", ","} and before[-2:-1].isdigit():
                parts[:] = [before, text.strip()]
                text = ""
        elif node.tag == "sup" and len(node) == 0 and _MARKED_CENTS.fullmatch(text.strip()):
            before = "".join(parts).rstrip()
            if before[-1:].isdigit():  # "1.299<sup>,99</sup>": the mark is in the superscript
                parts[:] = [before, text.strip()]
                text = ""
        elif len(text) == 2 and len(node) == 0 and cents_after("".join(parts), text):
            parts[:] = ["".join(parts), ".", text]  # "<span>1.299</span><span>99</span>"
            text = ""
        add(text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            add(child.tail or "")

    def add(piece: str) -> None:
        if not piece:
            return
        if parts and starts_another_amount(parts[-1], piece):
            parts.append(" ")  # "<s>129,99</s><b>99,99 zł</b>": two amounts, not one
        parts.append(piece)

    walk(element)
    return " ".join("".join(parts).split())


def _is_struck(element: lxml.html.HtmlElement, near: list[lxml.html.HtmlElement]) -> bool:
    """Struck through itself or by an ancestor; for a block read whole (a split price), its
    first amount struck inside it ("<del>59 €</del> 49 €")."""
    for node in (element, *near):
        if node.tag in _STRUCK_TAGS or _STRUCK_STYLE in (node.get("style") or ""):
            return True
    return any(
        node.tag in _STRUCK_TAGS or _STRUCK_STYLE in (node.get("style") or "")
        for node in _first_amount_holders(element)
    )


def _first_amount_holders(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """For a block read whole (no digit of its own), the element holding its first digits
    and that element's ancestors below the block, nearest first; [] for an element with
    digits of its own. The digits may be a child's tail: in "<del><span>₪</span> 1,499.90
    </del>" they are the sign's tail, held by the ``<del>``."""
    if any(ch.isdigit() for ch in own_text(element)):
        return []
    for node in element.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        if any(ch.isdigit() for ch in node.text or ""):
            holder = node
        elif any(ch.isdigit() for ch in node.tail or "") and node.getparent() is not element:
            holder = node.getparent()
        else:
            continue
        return [holder, *itertools.takewhile(lambda a: a is not element, holder.iterancestors())]
    return []


def _first_amount_named_old(element: lxml.html.HtmlElement) -> bool:
    """For a block read whole (no digit of its own), its first amount's element or the
    ancestors up to the block named old the way a price element alone would be
    ("<span class='price--old'>149</span><span class='price--sale'>99</span>")."""
    between = _first_amount_holders(element)
    if not between:
        return False
    names = " ".join(names_of(a) for a in between)
    return names_say_not_current(names) and not names_say_current(names_of(between[0]))


def _label_before(element: lxml.html.HtmlElement) -> str:
    """The short text just before the element (a preceding sibling or the parent's text),
    from after its last digit: a label before another amount ("was 4.50" in the sibling
    before "2.25") is that amount's, not this one's. An amount opening a table cell or a
    definition is labelled by the cell before it (``_cell_label``)."""
    previous = element.getprevious()
    if previous is not None:
        text = previous.tail or ""
        if not text.strip():
            # A comment or processing instruction before it (a tree parsed with them kept)
            # labels nothing, and its text_content() raises.
            labelled = isinstance(previous.tag, str) and len(previous) <= 3
            text = previous.text_content() if labelled else ""
    else:
        parent = element.getparent()
        text = (parent.text or "") if parent is not None else ""
        if not text.strip():
            text = _cell_label(element)
    text = text[-40:]
    last_digit = max((i for i, ch in enumerate(text) if ch.isdigit()), default=-1)
    return text[last_digit + 1 :]


# A value's cell and the cell before it that names it: a table row, a definition list.
_VALUE_CELLS = frozenset({"td", "th", "dd"})
_LABEL_CELLS = frozenset({"td", "th", "dt"})
_CELL_DEPTH = 3


def _cell_label(element: lxml.html.HtmlElement) -> str:
    """The text of the cell before the element's cell when the element opens its cell (a
    row "RRP: | £55.00", "<dt>Was</dt><dd>€59</dd>"): the label of the row's value, whatever
    the row's names; "" when something stands before the element in its cell."""
    node = element
    for _ in range(_CELL_DEPTH):
        parent = node.getparent()
        if parent is None or (parent.text or "").strip():
            return ""
        if node.tag in _VALUE_CELLS:
            break
        node = parent
        if node.tag not in _VALUE_CELLS and node.getprevious() is not None:
            return ""
    if node.tag not in _VALUE_CELLS:
        return ""
    label = node.getprevious()
    if label is None or label.tag not in _LABEL_CELLS or len(label) > 3:
        return ""
    return label.text_content()


def layout_signature(element: lxml.html.HtmlElement, near: list[lxml.html.HtmlElement]) -> str:
    return "/".join(f"{n.tag}.{n.get('class') or ''}" for n in (element, *near))


def _own_features(
    element: lxml.html.HtmlElement,
    text: str,
    far: list[lxml.html.HtmlElement],
    elsewhere: dict[lxml.html.HtmlElement, bool],
) -> tuple[dict[str, float], bool, str, bool]:
    """(features the element and its ancestors give; is an old price; layout signature; is
    called old by names alone);
    ``far``: its ancestors up to ``_FAR_DEPTH``, nearest first; ``elsewhere``: whether an
    element's names place it among other products or in the chrome, for the elements
    judged so far (the page's candidates share most of their ancestors)."""
    near = far[:3]
    own_names = names_of(element)
    near_names = " ".join(names_of(a) for a in near)
    own_old = names_say_not_current(own_names)
    own_current = names_say_current(own_names)
    near_old = names_say_not_current(near_names)
    struck = _is_struck(element, near)
    labelled_old = bool(_NOT_CURRENT_TEXT.search(text) or _NOT_CURRENT_TEXT.search(_label_before(element)))  # fmt: skip
    price_named = bool(PRICE_NAME.search(own_names))
    features = {
        "price_named": float(price_named),
        "old_named": float(own_old or near_old),
        "other_products_named": float(any(_named_elsewhere(a, elsewhere) for a in far)),
        "unit_text": float(bool(_UNIT_TEXT.search(text)) or counts_before_amount(text)),
        "currency_sign": float(detect_currency(text)[1] is not None),
        "in_link": float(element.tag == "a" or any(a.tag == "a" for a in near)),
        "text_words": float(_has_words(text)),
        "several_amounts": float(_several_amounts(text)),
        "bias": 1.0,
    }
    # "original-price current-price" is an old price; "old-layout > price-now" is not.
    named_old = own_old or (near_old and not own_current)
    named_old = named_old or (len(element) > 0 and _first_amount_named_old(element))
    old = struck or labelled_old or named_old
    return features, old, layout_signature(element, near), old and not (struck or labelled_old)


def _named_elsewhere(
    element: lxml.html.HtmlElement, judged: dict[lxml.html.HtmlElement, bool]
) -> bool:
    named = judged.get(element)
    if named is None:
        named = judged[element] = _ELSEWHERE.search(names_of(element)) is not None
    return named


_TEXT_WORD = re.compile(r"[^\W\d_]{3,}")


def _has_words(text: str) -> bool:
    """True if the price text says more than an amount and its currency ("Estimate $300",
    "from 10 €", "+ 16 € delivery"): a word of three letters or more in any script, the
    currency's sign or code aside ("lei", "EUR", "US $")."""
    sign = (detect_currency(text)[1] or "").casefold()
    return any(
        word.casefold() != sign and word not in ISO_CODES for word in _TEXT_WORD.findall(text)
    )


# What joins two amounts of a range ("$300 - $500", "1,78 € - 8,69 €") or of a cost and its share
# ("$11.85 recipe / $2.96 serving") once words and spaces are left out.
_JOINERS = frozenset("-–—/~～")


@functools.lru_cache(maxsize=256)
def _signed_amount(sign: str) -> re.Pattern[str]:
    """An amount with ``sign`` before or after it (group 1: the amount, group 2: the sign
    when written after it); a sign in letters may end in an abbreviation's dot ("Rs. 649")."""
    mark = re.escape(sign)
    return re.compile(rf"{mark}\.?\s?(\d+(?:[.,'’ ]\d+)*)|(\d+(?:[.,'’ ]\d+)*)\s?{mark}")


def _several_amounts(text: str) -> bool:
    """True if the price text shows two different amounts, each with the currency's sign,
    joined by a dash or a slash: a range (an estimate, "from - to") or a cost and its share,
    not one price to pay. Punctuation tells it, whatever the words beside: "£220 + £12" (a
    price and its delivery), "£69.99 -50% £34.99" (a discount), "45,99 € (28,92 €/kg)" (a
    unit price) and "109€109€" (one price written twice) are not."""
    sign = detect_currency(text)[1]
    if not sign or text.count(sign) < 2:
        return False
    amounts = list(_signed_amount(sign).finditer(text))
    for first, second in itertools.pairwise(amounts):
        if (first.group(1) or first.group(2)) == (second.group(1) or second.group(2)):
            continue
        between = _TEXT_WORD.sub("", "".join(text[first.end() : second.start()].split()))
        if between in _JOINERS:
            return True
    return False


def _side_by_side(text: str) -> bool:
    """True if a block's text shows two different amounts, each with the currency's sign,
    not joined as a range ("de R$ 1.599,90 por R$ 1.299,90", "MRP Rs. 799 Rs. 649"): two
    prices shown side by side (a list and a sale price, a price and its delivery), each in
    its own element, which are read one by one; the block is not one price."""
    sign = detect_currency(text)[1]
    if not sign or text.count(sign) < 2 or _several_amounts(text):
        return False
    amounts = {m.group(1) or m.group(2) for m in _signed_amount(sign).finditer(text)}
    return len(amounts) >= 2


# What may stand between an old and a new price in one text run besides words: not an
# addition, a bracket or a share ("+ 15 € delivery", "(100 € net)", "/ month").
_NOT_BETWEEN_OLD_AND_NEW = frozenset("+([/=")


def _after_higher_amount(text: str) -> str | None:
    """For a text run showing two amounts of one currency joined by words, the first higher
    and the second lower but more than a fifth of it ("de R$ 1.299,00 por R$ 999,00",
    "statt 129 € nur 99 €", in any language): the text from after the first amount, the
    later, lower amount's. Shops write the old price before the new; instalments, unit
    prices, an addition or a bracketed amount ("ou 3x de", "(100 € net)", "+ 15 €") are
    not a new price. A gross then a net price without brackets ("121 € inkl. 100 € netto")
    reads as old then new: no sign in the run's order tells it from "129 € jetzt 99 € inkl.
    MwSt." or "R$ 1.299,00 por R$ 999,00 à vista", which are common (a guard on words after
    each amount took those for gross and net). None for any other text."""
    sign = detect_currency(text)[1]
    if not sign or text.count(sign) != 2:
        return None
    amounts = list(_signed_amount(sign).finditer(text))
    if len(amounts) != 2:
        return None
    first, second = amounts
    between = text[first.end() : second.start()]
    if not _TEXT_WORD.search(between) or not _NOT_BETWEEN_OLD_AND_NEW.isdisjoint(between):
        return None
    if _UNIT_TEXT.search(text) or counts_before_amount(text):
        return None
    old = normalize_price(first.group(0))[0]
    new = normalize_price(second.group(0))[0]
    if (
        old is None
        or new is None
        or not Decimal(old) / _MOST_DISCOUNT < Decimal(new) < Decimal(old)
    ):
        return None
    return text[first.end() :].strip()


def _positions(root: lxml.html.HtmlElement, elements: list[lxml.html.HtmlElement]) -> list[int]:
    """Document positions of ``elements``: one walk of the tree when there are many, read
    up to the last of them (no dict of the whole page: the footer's elements are not
    listed unless a candidate is among them)."""
    if len(elements) <= _FEW_POSITIONS:
        return [document_position(e) for e in elements]
    index = tree_positions(root, set(elements))
    return [index.get(e, 0) for e in elements]


def tree_positions(
    root: lxml.html.HtmlElement, wanted: set[lxml.html.HtmlElement]
) -> dict[lxml.html.HtmlElement, int]:
    """The positions in ``root.iter()`` of the ``wanted`` elements, the tree read up to the
    last of them (1.1 against 2.2 ms a call for the shown codes' candidates of the 73 offers
    pages, normal and stripped, against a dict of the whole page)."""
    found: dict[lxml.html.HtmlElement, int] = {}
    for position, element in enumerate(root.iter()):
        if element in wanted:
            found[element] = position
            if len(found) == len(wanted):
                break
    return found


# Price-named attributes (the HTML parser lower-cases attribute names); data-* kept below.
_PRICE_ATTRIBUTES = lxml.etree.XPath("//@*[contains(name(), 'price')]")
_ATTRIBUTE_NUMBER = re.compile(r"\s*\d+(?:[.,]\d+)?\s*")


def attribute_prices(root: lxml.html.HtmlElement) -> set[Decimal]:
    """The amounts the page states for scripts in price-named ``data-*`` attributes (not
    old-named ones; ``*cent*``/``*minor*`` ones in minor units): what the page computes with,
    which a shown price agreeing with it is likely to be."""
    amounts: set[Decimal] = set()
    for value in _PRICE_ATTRIBUTES(root):
        price = attribute_amount(value.attrname, str(value))
        if price is not None:
            amounts.add(Decimal(price))
    return amounts


def attribute_amount(name: str, value: str) -> str | None:
    """The amount a price-named ``data-*`` attribute states (``*cent*``/``*minor*`` ones in
    minor units); None for another attribute, an old-named one or a value that is not a plain
    number."""
    lowered = name.lower()
    if not lowered.startswith("data-") or "price" not in lowered:
        return None
    if names_say_not_current(name) or not _ATTRIBUTE_NUMBER.fullmatch(value):
        return None
    if "cent" in lowered or "minor" in lowered:
        price = minor_units_to_decimal(value)
    else:
        price = normalize_price(value)[0]
    return price if price and Decimal(price) > 0 else None


def _add_page_features(
    candidates: list[PriceCandidate], heading: int | None, whole_page: bool = True
) -> None:
    """Features a candidate has among the others: distance to the main heading, first
    price to pay after it (``_not_a_price_to_pay``; ``whole_page``: the candidates are all
    the page's amounts), same layout (product cards) and same amount shown elsewhere."""
    layouts = Counter(c.signature for c in candidates)
    amounts = Counter(Decimal(c.price) for c in candidates)
    if whole_page:
        _mark_savings(candidates, _layouts_by_block(candidates))
        _mark_paid_by_some(candidates)
    # After the savings: a sale price beside "You save 600" is no list price beside a lower.
    _add_higher_beside(candidates)
    # The first price after the heading that could be the one to pay.
    after = [
        c.order
        for c in candidates
        if heading is not None and c.order > heading and not _not_a_price_to_pay(c, whole_page)
    ]
    first_after = min(after) if after else None
    for c in candidates:
        f = c.features
        if heading is not None:
            f["heading_distance"] = min(1.0, abs(c.order - heading) / _FAR_FROM_HEADING)
            f["before_heading"] = float(c.order < heading - _JUST_BEFORE_HEADING)
            f["first_after_heading"] = float(c.order == first_after)
        f["same_layout"] = min(1.0, math.log(layouts[c.signature]) / _LOG_MANY)
        f["same_amount"] = min(1.0, math.log(amounts[Decimal(c.price)]) / _LOG_MANY)
    _add_conversions(candidates)
    for c in candidates:
        c.score = model(PRICE_MODEL).score(c.features)


# A price with VAT is the price without it times 1 + a standard VAT or GST rate: 5 % (the
# lowest standard rates, Canada's GST) to 27 % (Hungary's), rounding aside.
_WITH_TAX_RATIO = (Decimal("1.04"), Decimal("1.28"))
# A member's price is below the price anyone pays, by less than half.
_MEMBER_RATIO = (Decimal(1), Decimal(2))


def _mark_paid_by_some(candidates: list[PriceCandidate]) -> None:
    """Mark as not the price to pay an amount labelled as without VAT ("£15.00 heb TAW")
    when the page shows the amount with VAT as well, larger or bolder (``_emphasis``; an
    amount of the same currency a VAT rate above it, ``_WITH_TAX_RATIO``: a consumer pays
    that one),
    and an amount labelled as a member's or loyalty-card price when the page shows a higher
    one anyone pays. The label is required: a sale price and its list price can differ by a
    VAT rate too. Alone (a trade shop's only price), the amount stays the price."""
    amounts: dict[str | None, list[Decimal]] = {}
    for d in candidates:
        if not d.old:
            amounts.setdefault(d.currency, []).append(Decimal(d.price))
    for shown in amounts.values():
        shown.sort()
    marked = []
    for c in candidates:
        if c.old or c.element is None:
            continue
        amount = Decimal(c.price)
        shown = amounts[c.currency]
        higher = shown[bisect.bisect_right(shown, amount) : bisect.bisect_right(shown, 2 * amount)]
        if not higher:
            continue  # most amounts: no label to read
        label = _label_around(c.element, c.text)
        if _WITHOUT_TAX_TEXT.search(label):
            low, high = _WITH_TAX_RATIO
        elif _MEMBER_PRICE_TEXT.search(label):
            low, high = _MEMBER_RATIO
        else:
            continue
        with_tax = [
            d
            for d in candidates
            if d.currency == c.currency
            and not d.old
            and low * amount < Decimal(d.price) <= high * amount
        ]
        # Shown as large as the price with VAT, the price without it is the shop's own price
        # to pay (a trade shop's): the development pages' labels take it so.
        as_large = (low, high) == _WITH_TAX_RATIO and not any(
            _emphasis(d.element) > _emphasis(c.element) for d in with_tax
        )
        if with_tax and not as_large:
            marked.append(c)
    for c in marked:  # marked after reading: each is judged beside every shown amount
        c.old = True


_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(em|rem|%)", re.I)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_BOLD_TAGS = frozenset({"b", "strong", "h1", "h2", "h3", "h4"})


def _emphasis(element: lxml.html.HtmlElement | None) -> float:
    """How much larger than the text around it an amount is shown, by its own and its two
    nearest ancestors' inline styles and tags: the font size (em, rem, %) times 1.2 for bold."""
    if element is None:
        return 1.0
    size, bold = 1.0, False
    for node in (element, *ancestors(element, 2)):
        style = node.get("style") or ""
        found = _FONT_SIZE.search(style)
        if found and size == 1.0:
            size = float(found.group(1)) / (100.0 if found.group(2) == "%" else 1.0)
        bold = bold or node.tag in _BOLD_TAGS or bool(_BOLD.search(style))
    return size * (1.2 if bold else 1.0)


def _label_around(element: lxml.html.HtmlElement, text: str) -> str:
    """The words beside an amount: its own text's, the label before it
    (``_label_before``), and the short text right after it up to the next digit (inside
    the element after the amount, its tail, or the next sibling's)."""
    inside = (element.text_content() or "")[:_MAX_PRICE_TEXT] if len(element) else ""
    after = f"{_after_last_digit(inside)} {element.tail or ''}"
    following = element.getnext()
    if (
        not (element.tail or "").strip()
        and following is not None
        and isinstance(following.tag, str)
    ):
        after += " " + (following.text_content() or "")[:_MAX_PRICE_TEXT]
    first_digit = next((i for i, ch in enumerate(after) if ch.isdigit()), len(after))
    return " ".join((_label_before(element), text, after[:first_digit]))


def _after_last_digit(text: str) -> str:
    return text[max((i for i, ch in enumerate(text) if ch.isdigit()), default=-1) + 1 :]


def _layouts_by_block(candidates: list[PriceCandidate]) -> Counter[str]:
    """How many blocks show each layout: amounts side by side in one parent ("<span>$1,299
    </span> <span>You save $600</span>" without class names) count once; cards, each its own
    block, count each."""
    blocks = {
        (c.signature, id(c.element.getparent()) if c.element is not None else id(c))
        for c in candidates
    }
    return Counter(signature for signature, _ in blocks)


def _not_a_price_to_pay(c: PriceCandidate, whole_page: bool) -> bool:
    """True for an amount the first price after the heading is not: a list price beside a
    lower one, a range or a cost and its share ("$300 - $500"), and, among all the page's
    amounts, one struck, labelled or named old (a price-cut banner's list price shown
    before the sale price in a block of its own). Among the few amounts that show one
    markup price (``shown_prices``), an old one still takes the place: a later unstruck
    showing of that amount is not the page's first price."""
    if c.features.get("higher_beside") or c.features.get("several_amounts"):
        return True
    return whole_page and c.old


# How far up from an amount the block is that shows the amount it converts.
_CONVERSION_BLOCK = 2
_CONVERTED_DEPTH = 4


def _add_conversions(candidates: list[PriceCandidate]) -> None:
    """Mark amounts that convert another: shown in a small block after an amount in another
    currency ("GBP 1.99 <div>approx. US $2.66</div>"), the way marketplaces add the
    shopper's currency to the seller's price. Read only on pages showing two currencies."""
    if len({c.currency for c in candidates if c.currency}) < 2:
        return
    # Each block up to _CONVERTED_DEPTH above an amount (and the amount's own element)
    # holds it: one pass, then each amount looks only at the blocks just above it.
    held: dict[lxml.html.HtmlElement, list[PriceCandidate]] = {}
    for d in candidates:
        if d.element is not None and d.currency:
            for block in (d.element, *ancestors(d.element, _CONVERTED_DEPTH)):
                held.setdefault(block, []).append(d)
    for c in candidates:
        if c.element is None or not c.currency:
            continue
        if any(
            d.order < c.order and d.currency != c.currency
            for block in ancestors(c.element, _CONVERSION_BLOCK)
            for d in held.get(block, ())
        ):
            c.features["converted"] = 1.0


# How far up from an amount the block is that shows it beside another (old and new price):
# three, for a theme that wraps the new price and its percentage one level deeper than the
# old price ("<div>45,00 €</div><div><div>36,00 € -20%</div></div>").
_BESIDE_DEPTH = 3
# A lower amount beside a price is its sale price only down to this fraction of it; far
# lower amounts are instalments, deposits or unit prices.
_MOST_DISCOUNT = 5


def _add_higher_beside(candidates: list[PriceCandidate]) -> None:
    """Mark amounts shown beside a lower amount of the same currency (not one inside the
    other, not called old itself, not a fifth or less of it) in the same parent, or in the
    same grandparent that shows the percentage they differ by ("-50%"): a list price before
    or after the sale price, whatever names or words mark it. (Two amounts in sibling blocks
    without it are as often the price with and without tax, or a price and a free-delivery
    threshold beside a fabric's "100 % wool".)"""
    held = _held_beside(candidates)
    for c in candidates:
        if c.element is not None and _lower_beside(c, held, percent_only=False):
            c.features["higher_beside"] = 1.0


# How many elements apart, in document order, a savings line and the new price it is the
# gap of may stand (a promotion line in the heading's block, the pair in the panel after).
_SAVING_REACH = 25
# How far up from the new price the block is whose numbers may hold the old price.
_PAIR_DEPTH = 2


def _shown_numbers(element: lxml.html.HtmlElement) -> list[Decimal]:
    """The amounts the text of the block ``_PAIR_DEPTH`` above ``element`` shows, with or
    without a currency (an old price is often a bare number beside the new one)."""
    block = ([element, *ancestors(element, _PAIR_DEPTH)])[-1]
    numbers = []
    for text in block.itertext():  # text by text: "239,00</span><span>199,00" are two
        for match in _BARE_NUMBER.finditer(text):
            price = normalize_price(match.group(0).strip(" .,'’"))[0]
            if price is not None and Decimal(price) > 0:
                numbers.append(Decimal(price))
    return numbers


def _within_rounding(gap: Decimal, shown: Decimal) -> bool:
    """True if ``shown`` is ``gap`` written to its own last digit ("300" for 300.00,
    "30" for 29.96)."""
    exponent = shown.as_tuple().exponent
    unit = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return abs(gap - shown) <= unit / 2


def _percentages_near(*elements: lxml.html.HtmlElement) -> list[float]:
    texts = " ".join(([e, *ancestors(e, _PAIR_DEPTH)])[-1].text_content() for e in elements)
    return _percentages(texts)


def _mark_savings(candidates: list[PriceCandidate], layouts: Counter[str]) -> None:
    """Call old (not a price to pay) an amount that is the gap between two other amounts
    shown as a pair, an old price and a new one beside it ("Save 300", "-3.000 ¥", in any
    language): the saving equals, within its rounding, the higher amount less the lower,
    both shown near it. The higher amount, shown in the new price's block (a bare number
    counts), is then the price before the saving: old too, however neutral its label.

    The arithmetic is symmetric (the new price is also the old one less the saving), so of
    the two lower amounts the saving is the one a shown percentage makes of the old price;
    else the one that carries words when the other does not ("You save $60" beside "$40");
    else the lower (discounts under a half are the rule). Not an amount in a link or in a
    repeated layout (other products' cards), nor a unit price or a range."""
    possible = [
        c
        for c in candidates
        if c.element is not None
        and not c.old
        and not c.features.get("in_link")
        and not c.features.get("unit_text")
        and not c.features.get("several_amounts")
        and layouts[c.signature] == 1
    ]
    if len(possible) < 2:
        return
    old_near = [
        c for c in candidates if c.old and c.element is not None and not c.features.get("in_link")
    ]
    numbers: dict[lxml.html.HtmlElement, list[Decimal]] = {}
    savings: list[PriceCandidate] = []
    before: list[PriceCandidate] = []
    possible.sort(key=lambda c: c.order)
    near: list[tuple[PriceCandidate, PriceCandidate]] = []
    for i, first in enumerate(possible):
        for second in possible[i + 1 :]:
            if second.order - first.order > _SAVING_REACH:
                break
            near += [(first, second), (second, first)]
    for c, b in near:
        assert c.element is not None and b.element is not None
        if c.currency != b.currency:
            continue
        saving, new = Decimal(c.price), Decimal(b.price)
        if saving == new or c.element in ancestors(b.element, _FAR_DEPTH):
            continue
        if b.element in ancestors(c.element, _FAR_DEPTH):
            continue
        if b.element not in numbers:
            numbers[b.element] = _shown_numbers(b.element)
        # The old price in the new one's block, or near it and already called old (struck,
        # old-named) in a block of its own ("<div>29 900</div><div>24 900 Économisez 5 000")
        shown_old = [
            Decimal(d.price)
            for d in old_near
            if d.currency == b.currency and abs(d.order - b.order) <= _SAVING_REACH
        ]
        olds = [
            a
            for a in (*numbers[b.element], *shown_old)
            if a > saving and a > new and _within_rounding(a - new, saving)
        ]
        if olds and _is_the_saving(c, b, olds):
            savings.append(c)
            block = ([b.element, *ancestors(b.element, _PAIR_DEPTH)])[-1]
            before.extend(
                d
                for d in candidates
                if Decimal(d.price) in olds and d.element is not None and _inside(d.element, block)
            )
    for c in (*savings, *before):  # the saving, and the price it is taken off
        c.old = True


def _inside(element: lxml.html.HtmlElement, block: lxml.html.HtmlElement) -> bool:
    return element is block or any(a is block for a in element.iterancestors())


def _is_the_saving(c: PriceCandidate, b: PriceCandidate, olds: list[Decimal]) -> bool:
    """Of ``c`` and ``b``, two amounts that add up to an old one, whether ``c`` is the saving."""
    assert c.element is not None and b.element is not None
    percentages = _percentages_near(c.element, b.element)
    saving, new = Decimal(c.price), Decimal(b.price)

    def made(amount: Decimal) -> bool:
        return any(
            abs(float(amount / old) * 100 - p) <= _PERCENT_SLACK
            for old in olds
            for p in percentages
        )

    if made(saving) != made(new):
        return made(saving)
    words_c, words_b = bool(c.features.get("text_words")), bool(b.features.get("text_words"))
    if words_c != words_b:
        return words_c
    return saving < new


def _believe_lone_old_names(candidates: list[PriceCandidate]) -> None:
    """When the page shows no current amount to pay (outside other products' blocks; not a
    unit, instalment or delivery amount), the best-scored amount called old by its names
    alone, and not struck or labelled old anywhere, is the price: themes name the
    undiscounted price "regular" or "original" whether or not a sale runs."""
    if any(
        not c.old and not c.features.get("other_products_named") and not c.features.get("unit_text")
        for c in candidates
    ):
        return
    shown_old = {c.price for c in candidates if c.old and not c.old_by_names}
    named = [c for c in candidates if c.old_by_names and c.price not in shown_old]
    if named:
        best = max(named, key=lambda c: c.score).price
        for c in named:
            if c.price == best:
                c.old = c.old_by_names = False


def _held_beside(
    candidates: list[PriceCandidate],
) -> dict[lxml.html.HtmlElement, list[PriceCandidate]]:
    """The candidates each block up to ``_BESIDE_DEPTH`` above an amount holds."""
    held: dict[lxml.html.HtmlElement, list[PriceCandidate]] = {}
    for c in candidates:
        if c.element is not None:
            for block in ancestors(c.element, _BESIDE_DEPTH):
                held.setdefault(block, []).append(c)
    return held


def _lower_beside(
    c: PriceCandidate,
    held: dict[lxml.html.HtmlElement, list[PriceCandidate]],
    *,
    percent_only: bool,
) -> list[PriceCandidate]:
    """The lower amounts ``c`` is shown beside (``_add_higher_beside``); with
    ``percent_only``, only in a block that also shows a percentage."""
    assert c.element is not None
    lines = {c.element, *ancestors(c.element, _FAR_DEPTH)}
    amount = Decimal(c.price)
    for depth, block in enumerate(ancestors(c.element, _BESIDE_DEPTH)):
        gaps: list[float] | None = None  # in the parent: any lower amount
        if depth or percent_only:
            text = block.text_content()
            if "%" not in text:
                continue
            if not percent_only:  # (``discounted_beside`` weighs the percentages itself)
                gaps = _percentages(text)
        lower = [
            d
            for d in held.get(block, ())
            if amount / _MOST_DISCOUNT < Decimal(d.price) < amount
            and (gaps is None or _is_gap(amount, Decimal(d.price), gaps))
            and d.currency == c.currency
            and not d.old
            and d.element not in lines
            and c.element not in ancestors(d.element, _BESIDE_DEPTH)
            and not d.features.get("unit_text")
        ]
        if lower:
            return lower
    return []


def _is_gap(amount: Decimal, lower: Decimal, percentages: list[float]) -> bool:
    """True if one of ``percentages`` is the discount ``lower`` makes of ``amount`` (to
    ``_PERCENT_SLACK``): "-25%" beside 199 and 149, not a fabric's "100 % wool", "0%
    instalments" or a tax rate beside a price and a free-delivery threshold."""
    gap = (1 - float(lower / amount)) * 100
    return any(abs(gap - p) <= _PERCENT_SLACK for p in percentages)


_BLOCK_DIGIT_ELEMENTS = lxml.etree.XPath(f"descendant-or-self::*[{_HAS_DIGIT_TEXT}]")


# A percentage as shops write a discount or a tax rate: "-50%", "Save 23 %", "21,5%", and
# the sign first as Turkish and Basque write it ("-%20"; not a URL's "%20" before a word).
_PERCENTAGE = re.compile(r"(\d{1,2}(?:[.,]\d+)?)\s*%|(?<![\w%])%(\d{1,2})(?!\w)")


def _percentages(text: str) -> list[float]:
    """The percentages ``text`` shows (``_PERCENTAGE``), as numbers."""
    return [
        float((after or before).replace(",", ".")) for after, before in _PERCENTAGE.findall(text)
    ]


# How far a shown percentage may be from the discount two amounts make (rounded, floored).
_PERCENT_SLACK = 1.5


def discounted_beside(
    root: lxml.html.HtmlElement, shown: PriceCandidate, currency_hint: str | None
) -> set[Decimal]:
    """The lower amounts ``shown`` stands beside in a block that shows the percentage they
    are below it ("EUR 219.99 -50% EUR 110.00", "$129 $99 Save 23%"): the sale price beside
    a list price, told by the layout and the arithmetic alone (no class name or word). A
    tax rate beside a price with and without tax ("121 € incl. 21% VAT, 100 € excl.") is
    not the gap between them. Read from the blocks just above ``shown``, not the page."""
    if shown.element is None:
        return set()
    with_percent = [b for b in ancestors(shown.element, _BESIDE_DEPTH) if "%" in b.text_content()]
    if not with_percent:
        return set()  # most shown prices: nothing to read
    block = with_percent[-1]  # the outer block holds the inner
    percentages = _percentages(block.text_content())
    elsewhere: dict[lxml.html.HtmlElement, bool] = {}
    local = [
        PriceCandidate(0.0, 0, text, price, currency, old, signature, element, features)
        for element, text, price, currency, far in _shown_amounts(
            root, list(_BLOCK_DIGIT_ELEMENTS(block)), currency_hint
        )
        for features, old, signature, _ in [_own_features(element, text, far, elsewhere)]
    ]
    amount = float(shown.price)
    return {
        Decimal(d.price)
        for d in _lower_beside(shown, _held_beside(local), percent_only=True)
        if any(abs((1 - float(d.price) / amount) * 100 - p) <= _PERCENT_SLACK for p in percentages)
    }


def _agreement_could_matter(candidates: list[PriceCandidate]) -> bool:
    """True if agreeing with a data attribute could change which candidate is best (among
    all, or among those not called old) or which side of a threshold the best is on: the
    attributes are read only then (the most the feature moves a score is its weight)."""
    ranking = model(PRICE_MODEL)
    reach = abs(ranking.weights.get("attribute_agrees", 0.0))
    if reach == 0.0:
        return False
    for group in (candidates, [c for c in candidates if not c.old]):
        if not group:
            continue
        best = max(group, key=lambda c: c.score)
        if any(abs(best.score - line) <= reach for line in (ranking.threshold, ranking.overrule)):
            return True
        if any(c.price != best.price and c.score >= best.score - reach for c in group):
            return True
    return False


def _add_attribute_agreement(candidates: list[PriceCandidate], stated: set[Decimal]) -> None:
    """Agreeing with a price-named data attribute, weighed by how few amounts those state."""
    for c in candidates:
        if Decimal(c.price) in stated:
            c.features["attribute_agrees"] = 1.0 / len(stated)
            c.score = model(PRICE_MODEL).score(c.features)


def _scored(
    root: lxml.html.HtmlElement,
    found: list[_Shown],
    every_feature: bool = False,
    whole_page: bool = True,
) -> list[PriceCandidate]:
    """Candidates with their features and scores; the data attributes are read only when
    they could change the outcome, or for ``every_feature`` (training)."""
    candidates = []
    positions = _positions(root, [element for element, *_ in found])
    elsewhere: dict[lxml.html.HtmlElement, bool] = {}
    for (element, text, price, currency, far), order in zip(found, positions, strict=True):
        features, old, signature, by_names = _own_features(element, text, far, elsewhere)
        candidates.append(
            PriceCandidate(
                0.0, order, text, price, currency, old, signature, element, features, by_names
            )
        )
    _add_page_features(candidates, heading_position(root), whole_page)
    if len({c.price for c in candidates}) > 1 and (
        every_feature or _agreement_could_matter(candidates)
    ):
        _add_attribute_agreement(candidates, attribute_prices(root))
    return candidates


def price_candidates(
    root: lxml.html.HtmlElement, currency_hint: str | None, *, every_feature: bool = False
) -> list[PriceCandidate]:
    """Every visible price-looking text of the page, scored (document order, roughly);
    ``every_feature``: with the features read only when they could matter (for training)."""
    found = _shown_amounts(root, _DIGIT_ELEMENTS(root), currency_hint)
    if not found:
        found = _shown_amounts(root, _other_digit_elements(root), currency_hint)
    candidates = _scored(root, found, every_feature) if found else []
    _believe_lone_old_names(candidates)  # needs every amount of the page
    return candidates


_OTHER_DIGIT = re.compile(f"[{OTHER_DIGITS}]")


def _other_digit_elements(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements with a digit of another script in their own text; the XPath runs only on
    pages whose text holds such a digit (the text is read 10-20 times faster)."""
    body = root.find("body")
    text = lxml.etree.tostring(
        body if body is not None else root, method="text", encoding="unicode"
    )
    return list(_OTHER_DIGIT_ELEMENTS(root)) if _OTHER_DIGIT.search(text) else []


def _shown_amounts(
    root: lxml.html.HtmlElement,
    digit_elements: list[lxml.html.HtmlElement],
    currency_hint: str | None,
) -> list[_Shown]:
    """(element, text, price, currency) of every visible price-looking text among the
    elements with digits and their price-named or bare-number parents."""
    # Split prices put the digits in children: their price-named parents are candidates too.
    elements: dict[lxml.html.HtmlElement, None] = {}
    named: dict[lxml.html.HtmlElement, bool] = {}  # parents are shared: their names read once
    for element in digit_elements:
        if element.tag in _SKIP_TAGS:
            continue
        for parent in ancestors(element, 2):
            is_named = named.get(parent)
            if is_named is None:
                is_named = named[parent] = bool(PRICE_NAME.search(names_of(parent)))
            if is_named:
                elements[parent] = None
        elements[element] = None
        if len(element) == 0 and _BARE_NUMBER.fullmatch((element.text or "").strip()):
            parent = element.getparent()  # a bare number: its block may add the currency
            if parent is not None:
                elements[parent] = None
    found: list[_Shown] = []
    hiding: dict[lxml.html.HtmlElement, bool] = {}  # the candidates share most ancestors
    for element in elements:
        text = candidate_text(element)
        if text is None:
            continue
        far = ancestors(element, _FAR_DEPTH)  # one walk for the skipped tags, hidden, features
        if any(a.tag in _SKIP_TAGS for a in far):
            continue
        price, currency = normalize_price(text, currency_hint)
        if price is None or float(price) <= 0 or hidden_among(element, far, hiding):
            continue
        found.append((element, text, price, currency, far))
    return found


# The parents of the texts holding $digits (descendant::, not "//": see _DIGIT_ELEMENTS).
_TEXTS_HOLDING = lxml.etree.XPath("//body/descendant::text()[contains(., $digits)]/..")


def shown_prices(
    root: lxml.html.HtmlElement, amount: str, currency_hint: str | None
) -> list[PriceCandidate]:
    """Candidates showing ``amount`` (a decimal string), found through the text nodes that
    hold its last integer digits: a cheap look without scanning every price on the page
    (so their layout and amount counts are among these candidates only)."""
    digits = amount.split(".")[0][-3:] or "0"
    if not digits.isdigit():
        return []
    elements: dict[lxml.html.HtmlElement, None] = {}
    for element in _TEXTS_HOLDING(root, digits=digits):
        if element.tag in _SKIP_TAGS:
            continue
        elements[element] = None
        for parent in ancestors(element, 2):
            if PRICE_NAME.search(names_of(parent)):
                elements[parent] = None
    found: list[_Shown] = []
    for element in elements:
        text = candidate_text(element)
        if text is None:
            continue
        far = ancestors(element, _FAR_DEPTH)
        if any(a.tag in _SKIP_TAGS for a in far):
            continue
        price, currency = normalize_price(text, currency_hint)
        if price is None or Decimal(price) != Decimal(amount) or hidden_among(element, far):
            continue
        found.append((element, text, price, currency, far))
    return _scored(root, found, whole_page=False) if found else []

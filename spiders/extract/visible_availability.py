"""Availability of the main product as weighed evidence: markup, script-state variants,
stock texts and the buy button (``availability_evidence``, ``weigh_availability``).

Each kind of evidence has a weight from general features (``AVAILABILITY_MODEL``); the
state with the most weight wins, the markup's on a tie. A buy button alone never
overrules markup (saved pages show buttons disabled or enabled by scripts and size
choices, not by stock); a short negative stock text near the product heading, or the
script state's variants, can.
A stock text counts only outside the page's chrome and outside lists that repeat it
(other sellers' offers, variant tables, product cards). The main buy button is the
add-to-cart control nearest the product heading that is not one of several cards'
buttons: enabled, the product can be bought; disabled, it cannot, unless the buy box
still waits for a size or colour to be chosen. A product shown with a stock line but
neither a price nor a buy button cannot be bought, whatever language the line is in; a
stock line whose words no label list reads tells its state by the status colour its class
names give (a UI's "--error" / "text-success", a state modifier "out" / "sold"), and,
without markup, a notify-me control where the buy button was (by its names) says the
product cannot be bought.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import lxml.etree
import lxml.html

from spiders.extract.availability import normalize_availability
from spiders.extract.candidate_model import CandidateModel, model
from spiders.extract.page_heading import document_position, heading_position, main_heading
from spiders.extract.page_regions import (
    REPEATED_BLOCKS,
    is_hidden,
    main_area,
    repeated_block,
    shown_text,
)
from spiders.extract.price import detect_currency
from spiders.extract.shop_labels import fold_label, phrase_pattern, phrases
from spiders.extract.visible_price import (
    TEST_ID_ATTRIBUTES,
    ancestors,
    layout_signature,
    names_of,
)

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "option", "select", "textarea"})  # fmt: skip
_STOCK_WORD = re.compile("availab|stock|dostep|verfug|disponib|lager")
_STOCK_NAMES = re.compile(r"(?<!un)availab|(?<!outof)stock|dostep|verfug|disponib|lager", re.I)
# A stock-keeping code ("stock-code", "stockId"): the product's sku, not its stock line.
_STOCK_CODE_NAMES = re.compile(r"stock[-_]?(?:code|id|sku|keeping)(?![a-z])", re.I)

# descendant::, not "//": libxml2 reads a tested "//*[...]" step as the children of every node
# of the page, a node-set each, merged (2.1 against 1.6 CPU ms per offers page).
# Or a test id ("@* and" first: most elements without a class have no attribute at all).
_NAMED = lxml.etree.XPath(
    "//body/descendant::*[@class or @id or @itemprop or (@* and ("
    + " or ".join(f"@{name}" for name in TEST_ID_ATTRIBUTES)
    + "))]"
)
_MAX_STOCK_TEXT = 120
# "In stock" must be the gist of a short text; a negative phrase counts in a longer one.
_SHORT_STOCK_TEXT = 40

# Cart names and add-to-cart labels (found anywhere in a short control label), and buying
# verbs that are a whole label ("Buy", "Kaufen", "Comprar"), of every language of the
# shop-label table (``shop_labels``: hand-written and frameworks' catalogues), matched on
# the folded label.
_CART_LABEL = phrase_pattern(fold_label(p) for p in phrases("cart", "add_to_cart"))
_BUY_LABEL = phrase_pattern((fold_label(p) for p in phrases("buy")), whole=True)
_CART_NAME = re.compile(
    r"add[-_ ]?to[-_ ]?(?:cart|basket|bag|trolley)|buy[-_]?(?:now|button|btn)|btn[-_]?buy", re.I
)
_CART_FORM_NAMES = frozenset({"add", "add-to-cart", "addtocart", "add_to_cart"})
_NAME_ATTRS = ("id", "class", "name", *TEST_ID_ATTRIBUTES, "data-action", "data-button-action",
               "aria-label")  # fmt: skip
_CONTROLS = lxml.etree.XPath(
    "//button | /descendant::input[@type='submit' or @type='button' or @type='image']"
    " | /descendant::a[@role='button' or contains(@class, 'btn') or contains(@class, 'utton')"
    " or contains(@class, 'art') or contains(@class, 'asket') or contains(@class, 'uy')"
    " or contains(@id, 'art') or contains(@id, 'asket') or contains(@id, 'uy')]"
)
_MAX_LABEL = 40
_DISABLED_CLASSES = frozenset({"disabled", "disable", "is-disabled", "btn-disabled",
                               "button-disabled", "btn--disabled", "button--disabled"})  # fmt: skip
# A modifier of a block's class ("btn--disabled", "cart_disabled", "btn-disable").
_DISABLED_ENDINGS = ("--disabled", "_disabled", "-disable", "_disable")
# Size/colour pickers: a disabled button may only wait for a choice. A name giving the
# element's own size ("spinner-size-sm", "text-size-small", "icon-size-16") is a style, not
# a picker.
_CHOICE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:size(?![-_]+(?:x{0,3}[sml]|sm|md|lg|small|medium|large|base|mini|\d+)"
    r"(?![\w-]))|swatch|variant|variation|colou?r)",
    re.I,
)
_QUANTITY_NAMES = re.compile(r"qty|quantit|amount|menge|anzahl|antall|ilosc|cantidad|aantal", re.I)
# The buy box: the largest ancestor of the button with at most this much text.
_BUY_BOX_CHARS = 2000
_BUY_BOX_DEPTH = 12


class StockNamed:
    """The stock-named elements among some named elements (class, id or itemprop), in
    document order, walked once for every reader (the stock text, the stock line): each
    element's names are tested, its words read and its place judged once, and only as far
    as a reader goes."""

    def __init__(
        self,
        named: Iterable[lxml.html.HtmlElement],
        places: dict[lxml.html.HtmlElement, bool] | None = None,
    ) -> None:
        self._named = iter(named)
        self._read: list[tuple[lxml.html.HtmlElement, list[str]]] = []
        self._places = {} if places is None else places
        """``about_product`` of the elements judged; may be shared by other walks."""

    def __iter__(self) -> Iterator[tuple[lxml.html.HtmlElement, list[str]]]:
        """(element, its words) of each stock-named element."""
        index = 0
        while index < len(self._read) or self._read_next():
            yield self._read[index]
            index += 1

    def _read_next(self) -> bool:
        for element in self._named:
            if element.tag in _SKIP or not _is_stock_named(element):
                continue
            self._read.append((element, element.text_content().split()))
            return True
        return False

    def about_product(self, element: lxml.html.HtmlElement) -> bool:
        """Outside the page's chrome and outside lists of stock lines: about the main product."""
        place = self._places.get(element)
        if place is None:
            place = main_area(element) and not repeated_block(element, _is_stock_line)
            self._places[element] = place
        return place


def stock_text(
    stock: StockNamed, unless: str | None = None
) -> tuple[str, str, lxml.html.HtmlElement] | None:
    """(availability, text, element) of the first stock-named element about the main
    product that says its state (``stock``: the page's named elements or some of them);
    texts saying ``unless`` are passed over (they would change nothing)."""
    for element, words in stock:
        text = " ".join(words)
        if not text or len(text) > _MAX_STOCK_TEXT:
            continue
        availability = normalize_availability(text)
        if availability is None or (availability == "InStock" and len(text) >= _SHORT_STOCK_TEXT):
            continue
        if availability == unless or _shows_amount(text):
            continue
        if stock.about_product(element):
            return availability, text, element
    return None


def _shows_amount(text: str) -> bool:
    """True if a stock text also shows an amount of money: it is an offer (another seller's
    row, a variant's line, a card) with its own stock word, not the product's stock line."""
    return any(ch.isdigit() for ch in text) and detect_currency(text)[1] is not None


def _is_stock_named(element: lxml.html.HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    names = names_of(element).lower()
    # A plain alternation first: far cheaper than the lookbehinds on the many names without
    # any of the words.
    return (
        _STOCK_WORD.search(names) is not None
        and _STOCK_NAMES.search(names) is not None
        and _STOCK_CODE_NAMES.search(names) is None
    )


def _is_stock_line(element: lxml.html.HtmlElement) -> bool:
    """A stock-named element with text (empty placeholders do not make a list)."""
    return _is_stock_named(element) and bool(element.text_content().strip())


def button_label(element: lxml.html.HtmlElement) -> str:
    """What a control says: an input's value, else its text, else its aria-label or title."""
    label = element.get("value") if element.tag == "input" else shown_text(element)
    label = " ".join((label or "").split()) or element.get("aria-label") or element.get("title")
    parent = element.getparent()
    if not label and element.tag == "input" and parent is not None:
        label = parent.text_content()  # an image-less input labelled by a sibling span
    return " ".join((label or "").split())


def is_cart_control(element: lxml.html.HtmlElement) -> bool:
    """True for add-to-cart / buy buttons, by their label or their names."""
    label = button_label(element)
    if label and len(label) <= _MAX_LABEL and _says_cart(fold_label(label)):
        return True
    if (element.get("name") or "").lower() in _CART_FORM_NAMES:
        return True
    names = " ".join(element.get(attr) or "" for attr in _NAME_ATTRS)
    return bool(_CART_NAME.search(names))


def _says_cart(folded: str) -> bool:
    return bool(_CART_LABEL.search(folded) or _BUY_LABEL.match(folded.strip(" !.")))


def is_disabled(element: lxml.html.HtmlElement) -> bool:
    if element.get("disabled") is not None or element.get("aria-disabled") == "true":
        return True
    classes = (element.get("class") or "").lower().split()
    return not _DISABLED_CLASSES.isdisjoint(classes) or any(
        c.endswith(_DISABLED_ENDINGS) for c in classes
    )


def product_buy_buttons(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Cart controls of the main product, nearest the product heading first: visible,
    outside the page's chrome, and not one of several cards' identical buttons."""
    controls = [c for c in _CONTROLS(root) if is_cart_control(c) and not _is_cart_page_link(c)]
    if not controls:
        return []
    layouts = [layout_signature(c, ancestors(c, 3)) for c in controls]
    counts = Counter(layouts)
    buttons = [
        c
        for c, layout in zip(controls, layouts, strict=True)
        if counts[layout] < REPEATED_BLOCKS and main_area(c)
    ]
    at = heading_position(root)
    if at is not None and len(buttons) > 1:
        buttons.sort(key=lambda b: abs(document_position(b) - at))
    return buttons


def buy_box(button: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The block around the buy button: its largest ancestor with little text."""
    box = button
    for parent in ancestors(button, _BUY_BOX_DEPTH):
        if len(parent.text_content()) > _BUY_BOX_CHARS:
            break
        box = parent
    return box


def awaits_choice(box: lxml.html.HtmlElement) -> bool:
    """True if the buy box has a size/colour picker (not just a quantity field)."""
    for picker in box.xpath(".//select | .//input[@type='radio']"):
        if not _QUANTITY_NAMES.search(f"{picker.get('name') or ''} {picker.get('id') or ''}"):
            return True
    return any(
        isinstance(e.tag, str)
        and _CHOICE_NAMES.search(f"{e.get('class') or ''} {e.get('id') or ''}")
        for e in box.iter()
    )


def _is_cart_page_link(element: lxml.html.HtmlElement) -> bool:
    """A plain link that opens the cart page ("View basket"): it buys nothing. Add-to-cart
    links carry the product in a query, or run a script (``#``, ``javascript:``)."""
    if element.tag != "a":
        return False
    href = (element.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:")) or "?" in href:
        return False
    return _CART_LABEL.search(fold_label(button_label(element))) is not None


def _is_action(element: lxml.html.HtmlElement) -> bool:
    """A control that submits or runs something (a button, a form's input, a scripted link)."""
    if element.tag in ("button", "input"):
        return True
    href = (element.get("href") or "").strip()
    return not href or href.startswith(("#", "javascript:")) or "?" in href


@dataclass(frozen=True)
class AvailabilityEvidence:
    """One thing the page says about whether its product can be bought."""

    state: str
    """schema.org short name ("InStock", "OutOfStock", ...)."""
    raw: str
    """What the page says (markup value, stock text, button label)."""
    source: str
    """``MARKUP_EVIDENCE``, ``SCRIPT_EVIDENCE``, ``TEXT_EVIDENCE`` or ``BUTTON_EVIDENCE``."""
    features: dict[str, float] = field(default_factory=dict)
    """Its features for ``AVAILABILITY_MODEL``; the weight is their weighted sum."""


MARKUP_EVIDENCE = "markup"
SCRIPT_EVIDENCE = "script-variants"
TEXT_EVIDENCE = "stock-text"
BUTTON_EVIDENCE = "buy-button"
UNBUYABLE_EVIDENCE = "no-price-no-button"
STATUS_EVIDENCE = "stock-line-status"
NOTIFY_EVIDENCE = "notify-me"
AVAILABILITY_MODEL = "availability_evidence"
AVAILABILITY_FEATURES = (
    "markup", "script_variants", "stock_text", "stock_text_short", "stock_text_near",
    "stock_text_negative", "buy_button", "button_action", "button_says_state",
    "unpriced_unbuyable", "stock_line_status", "button_unread_submit", "notify_control",
)  # fmt: skip
"""The features weighed, in ``spiders/extract/data/availability_evidence.json``'s order."""
_BUTTON_FEATURES = ("buy_button", "button_action", "button_says_state")
# A stock text this close to the product heading (elements in document order) is about it.
_NEAR_HEADING = 150


def _following(element: lxml.html.HtmlElement, count: int) -> list[lxml.html.HtmlElement]:
    """The first ``count`` elements after ``element`` in document order, its descendants
    left out (XPath's ``following::*[position() <= count]``), walked only that far: libxml2
    walks the whole rest of the page."""
    found: list[lxml.html.HtmlElement] = []
    for node in (element, *element.iterancestors()):
        for sibling in node.itersiblings(lxml.etree.Element):
            for later in sibling.iter(lxml.etree.Element):
                if len(found) == count:
                    return found
                found.append(later)
    return found


def _preceding(element: lxml.html.HtmlElement, count: int) -> list[lxml.html.HtmlElement]:
    """The last ``count`` elements before ``element`` in document order, its ancestors left
    out (XPath's ``preceding::*[position() <= count]``), in document order."""
    found: list[lxml.html.HtmlElement] = []  # nearest first
    for node in (element, *element.iterancestors()):
        for sibling in node.itersiblings(lxml.etree.Element, preceding=True):
            for earlier in reversed(list(sibling.iter(lxml.etree.Element))):
                if len(found) == count:
                    return found[::-1]
                found.append(earlier)
    return found[::-1]


def buy_button_evidence(
    buttons: list[lxml.html.HtmlElement],
) -> AvailabilityEvidence | None:
    """What the main buy button shows (``buttons`` from ``product_buy_buttons``): a label
    such as "Sold out" says it outright; an enabled button means "InStock"; a disabled one
    "OutOfStock" when no other product button is enabled and no choice waits."""
    if not buttons:
        return None
    main = buttons[0]
    label = button_label(main)
    features = {"buy_button": 1.0, "button_action": float(_is_action(main))}
    said = normalize_availability(label)
    if said is not None and said != "InStock":
        return AvailabilityEvidence(said, label, BUTTON_EVIDENCE, {**features, "button_says_state": 1.0})  # fmt: skip
    if not is_disabled(main):
        return AvailabilityEvidence("InStock", label, BUTTON_EVIDENCE, features)
    if any(not is_disabled(b) for b in buttons[1:]) or awaits_choice(buy_box(main)):
        return None
    return AvailabilityEvidence("OutOfStock", label, BUTTON_EVIDENCE, features)


# A control's type that submits its form: a buy box's button. Gallery arrows, quantity
# steppers and tabs are written type="button" (or are links), so they are never this.
_SUBMIT_TYPES = frozenset({"submit", "image"})
# The buy box of an unread submit control: its first elements after the product heading.
_SUBMIT_NEAR_HEADING = 60


def unread_submit_evidence(heading: lxml.html.HtmlElement) -> AvailabilityEvidence | None:
    """For a page none of whose controls reads as a buy button (its labels in a language no
    label list knows, its names saying nothing): the first shown submit control after the
    product heading, disabled, when its buy box awaits no size or colour choice, says the
    product cannot be bought ("OutOfStock"). Told by the layout alone: the submit control
    under the title, price and stock line is the buy box's, whatever its words; an enabled
    one says nothing (it may be a newsletter's or a review form's), and one with no letter
    in its label ("-", an icon) is a quantity stepper's."""
    scripted: lxml.html.HtmlElement | None = None
    for element in _following(heading, _SUBMIT_NEAR_HEADING):
        if element.tag == "button":
            kind = (element.get("type") or "submit").strip().lower()
        elif element.tag == "input":
            kind = (element.get("type") or "").strip().lower()
        else:
            continue
        if is_hidden(element):
            continue
        if kind not in _SUBMIT_TYPES:
            # a scripted button counts only disabled and saying something, and only when no
            # submit control follows (a gallery's disabled "Previous" before the buy button)
            if scripted is None and kind == "button" and _worded_disabled(element):
                scripted = element
            continue
        return _disabled_submit(element)
    return _disabled_submit(scripted) if scripted is not None else None


def _disabled_submit(element: lxml.html.HtmlElement) -> AvailabilityEvidence | None:
    label = button_label(element)
    if not is_disabled(element) or not any(c.isalpha() for c in label):
        return None
    if not main_area(element) or awaits_choice(buy_box(element)):
        return None
    return AvailabilityEvidence("OutOfStock", label, BUTTON_EVIDENCE, {"button_unread_submit": 1.0})  # fmt: skip


def _worded_disabled(element: lxml.html.HtmlElement) -> bool:
    """A disabled ``type="button"`` control with words of its own text (not only an
    aria-label): a scripted buy button switched off, not a gallery arrow or a stepper,
    whose text is an icon or a sign."""
    return is_disabled(element) and sum(c.isalpha() for c in shown_text(element)) >= 2


# Names of a notify-me control ("btn-notify", "back-in-stock", "waitlist", "stock-alert"):
# what shops show where the buy button was. A price-drop alert is not one.
_NOTIFY_NAMES = re.compile(
    r"notif|back[-_]?in[-_]?stock|restock|wait[-_]?list|stock[-_]?(?:alert|notice)"
    r"|remind[-_]?me",
    re.I,
)
_PRICE_NAMES = re.compile("price|cost|discount", re.I)
_NOTIFY_TAGS = frozenset({"button", "input", "a", "form"})


def notify_evidence(heading: lxml.html.HtmlElement) -> AvailabilityEvidence | None:
    """A notify-me control after the product heading, in the main area
    (``is_notify_control``): shops put it where the buy button was when the product cannot
    be bought ("OutOfStock"), whatever the language of its words."""
    for element in _following(heading, _NEAR_HEADING):
        if element.tag in _NOTIFY_TAGS and is_notify_control(element) and main_area(element):
            label = button_label(element) if element.tag != "form" else ""
            features = {"notify_control": 1.0}
            return AvailabilityEvidence("OutOfStock", label or element.tag, NOTIFY_EVIDENCE, features)  # fmt: skip
    return None


def is_notify_control(element: lxml.html.HtmlElement) -> bool:
    """A button, link or form its names call a notify-me one, not a price-drop alert. A
    bare e-mail field is not one: blogs' and shops' newsletter and save-this forms show
    one after the heading as often (on review pages, near one page in ten)."""
    names = " ".join(element.get(attr) or "" for attr in (*_NAME_ATTRS, "action"))
    return bool(_NOTIFY_NAMES.search(names)) and not _PRICE_NAMES.search(names)


def near_heading(heading: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The named elements (class, id or itemprop) at most ``_NEAR_HEADING`` elements before
    or after the product heading in document order: its title block, price, stock line."""
    near = [*_preceding(heading, _NEAR_HEADING), *_following(heading, _NEAR_HEADING)]
    return [e for e in near if _NAMED_ATTRIBUTES.intersection(e.keys())]


_NAMED_ATTRIBUTES = frozenset({"class", "id", "itemprop", *TEST_ID_ATTRIBUTES})
_NO_STOCK_LINE = frozenset({"button", "a", "input", "label", "h1", "h2", "h3"})


def unnamed_sold_out_line(
    heading: lxml.html.HtmlElement,
) -> tuple[str, str, lxml.html.HtmlElement] | None:
    """A short line after the product heading that says, whole, that the product cannot be
    bought ("Sold out", "Nicht auf Lager"), or a line that says it is a pre-order or a
    backorder (``_order_state``), in an element no name calls a stock line: for
    pages without markup, where only the words tell. Controls are the buy button's
    evidence; lines repeated in a list of blocks are other products'."""
    for element in _following(heading, _NEAR_HEADING):
        if element.tag in _SKIP or element.tag in _NO_STOCK_LINE or len(element) > 2:
            continue
        text = " ".join(element.text_content().split())
        if not text or len(text) >= _MAX_STOCK_TEXT:
            continue
        state = _order_state(text)
        if state is None and (len(text) >= _SHORT_STOCK_TEXT or any(c.isdigit() for c in text)):
            continue
        state = state or normalize_availability(text)
        if state is None or (state in _BUYABLE and state not in _ORDER_STATES):
            continue
        if main_area(element) and not repeated_block(element, _says_a_state):
            return state, text, element
    return None


# Bought now, had later: a pre-order or a backorder line says so in a sentence with its
# dates or delivery days ("Po naročilu – dobava 10–14 dni", "Verfügbar ab 03.03.2027").
_ORDER_STATES = frozenset({"PreOrder", "BackOrder"})


def _order_state(text: str) -> str | None:
    """A pre-order or backorder state a line says (its dates and days aside), not beside an
    amount of money (an offer's row)."""
    state = normalize_availability(text)
    return state if state in _ORDER_STATES and not _shows_amount(text) else None


def _says_a_state(element: lxml.html.HtmlElement) -> bool:
    """A short own text that reads as a stock state (each card's "Sold out" in a list)."""
    text = (element.text or "").strip()
    return 0 < len(text) < _SHORT_STOCK_TEXT and normalize_availability(text) is not None


def stock_text_evidence(
    found: tuple[str, str, lxml.html.HtmlElement], near_elements: list[lxml.html.HtmlElement]
) -> AvailabilityEvidence:
    """A stock text (from ``stock_text``) with how short, near the product heading
    (``near_heading``) and negative it is."""
    state, text, element = found
    near = any(e is element for e in near_elements)
    features = {
        "stock_text": 1.0,
        "stock_text_short": float(len(text) < _SHORT_STOCK_TEXT),
        "stock_text_near": float(near),
        "stock_text_negative": float(state != "InStock"),
    }
    return AvailabilityEvidence(state, text, TEXT_EVIDENCE, features)


def variant_state_evidence(states: list[str]) -> AvailabilityEvidence | None:
    """The product as a whole from its variants' stock: buyable when any variant is."""
    if not states:
        return None
    buyable = [s for s in states if s in _BUYABLE]
    state = buyable[0] if buyable else states[0]
    raw = f"{len(buyable)} of {len(states)} variants available"
    return AvailabilityEvidence(state, raw, SCRIPT_EVIDENCE, {"script_variants": 1.0})


_BUYABLE = frozenset({"InStock", "LimitedAvailability", "PreOrder", "BackOrder", "MadeToOrder"})
# A stock line of a language no label list reads: a few words, a sentence at most.
_MAX_STOCK_WORDS = 20
# Status words of a UI's class names (Bootstrap's "text-success" / "text-danger", BEM
# modifiers "--success" / "--error"): the colour a stock line is shown in says its state
# whatever the language of its words.
_STATUS_STATES = {"success": "InStock", "green": "InStock", "instock": "InStock",
                  "error": "OutOfStock", "danger": "OutOfStock", "red": "OutOfStock",
                  "out": "OutOfStock", "outofstock": "OutOfStock", "soldout": "OutOfStock",
                  "unavailable": "OutOfStock", "nostock": "OutOfStock"}  # fmt: skip
# "sold" names a sold-out line ("stock-status > .sold"), or a count of sales ("1200 sold"):
# read only on a line without a number.
_SOLD_STATUS = "sold"
_NAME_PARTS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class StockLine:
    """The product's stock line as the layout shows it, read or not."""

    text: str
    state: str | None
    """What its words say (``normalize_availability``), else what its status colour says."""
    by_status: bool
    """True when the state comes from the status colour, not the words."""


def stock_line(stock: StockNamed) -> StockLine | None:
    """The first stock-named line about the main product among a page's named elements
    (``stock``: a few words with a letter, outside the chrome and outside lists), with the
    state its words or its status colour say, or None. A line whose words do not read and
    that shows an amount of money is an offer's row, not the product's stock line."""
    for element, words in stock:
        text = " ".join(words)
        if not words or len(words) > _MAX_STOCK_WORDS or not any(c.isalpha() for c in text):
            continue
        if stock.about_product(element):
            said = normalize_availability(text)
            if said is not None:
                return StockLine(text, said, by_status=False)
            if _shows_amount(text):
                continue  # an offer's row (a variant's, another seller's), coloured its own
            return StockLine(text, status_state(element), by_status=True)
    return None


def status_state(element: lxml.html.HtmlElement) -> str | None:
    """The state the status words of the class names of ``element`` and its shown
    descendants give ("stock--error", "availability out": OutOfStock, "text-success":
    InStock), or None when they give none or both."""
    states: set[str] = set()
    counted = any(c.isdigit() for c in element.text_content())
    for node in element.iter():
        classes = node.get("class") if isinstance(node.tag, str) else None
        for part in _NAME_PARTS.findall(classes.lower()) if classes else ():
            state = _STATUS_STATES.get(part)
            if part == _SOLD_STATUS and not counted:
                state = "OutOfStock"
            if state is not None and (node is element or not is_hidden(node)):
                states.add(state)
    return states.pop() if len(states) == 1 else None


def unbuyable_evidence(
    line: StockLine, buttons: Callable[[], list[lxml.html.HtmlElement]]
) -> AvailabilityEvidence | None:
    """A product page that shows a stock line but neither a price (the caller knows) nor a
    buy button (``buttons``: the product's, from ``product_buy_buttons``, asked for only
    when needed): shops take both away from a product that cannot be bought, and leave the
    line that says so. Read from the layout alone, so it holds in languages whose words no
    label list knows; a line that reads as buyable ("In stock", or shown in a success
    colour) says otherwise, and so does any buy button of the product."""
    if line.state in _BUYABLE or buttons():
        return None
    return AvailabilityEvidence("OutOfStock", line.text, UNBUYABLE_EVIDENCE, {"unpriced_unbuyable": 1.0})  # fmt: skip


def availability_evidence(
    root: lxml.html.HtmlElement,
    markup: tuple[str, str] | None,
    variant_states: list[str],
    *,
    variant_product: bool = False,
    priced: bool = True,
) -> list[AvailabilityEvidence]:
    """What the page says about its product's availability, most trusted kind first: the
    markup's (state, raw value), the script state's variants, the stock text (else, on a
    page without markup, the status colour of a stock line whose words do not read), a
    stock line beside no price (``priced`` False: the offer has none) and no buy button,
    a notify-me control (without markup), the buy button.

    Read only as far as it can matter: with markup, a stock text away from the product
    heading weighs no more than the markup, so only the elements near the heading are
    searched for a stock text (one that contradicts it); the buy button is read only when,
    weighing its most, it could change the outcome. A page whose markup lists variants has no buy-button
    evidence: its button waits for a size or colour whatever the saved HTML shows."""
    evidence: list[AvailabilityEvidence] = []
    if markup is not None:
        evidence.append(AvailabilityEvidence(markup[0], markup[1], MARKUP_EVIDENCE, {"markup": 1.0}))  # fmt: skip
    variants = variant_state_evidence(variant_states)
    if variants is not None:
        evidence.append(variants)
    heading = main_heading(root)
    near = near_heading(heading) if heading is not None else []
    # One walk of the page's named elements for the stock text and the stock line.
    places: dict[lxml.html.HtmlElement, bool] = {}
    named = StockNamed(_NAMED(root) if markup is None or not priced else [], places)
    # With markup, only a text near the heading that contradicts it can change anything.
    found = stock_text(named) if markup is None else stock_text(StockNamed(near, places), markup[0])
    if found is None and markup is None and heading is not None:
        found = unnamed_sold_out_line(heading)
        near = [found[2]] if found is not None else near
    if found is not None:
        evidence.append(stock_text_evidence(found, near))
    unread = found is None and markup is None
    line = None
    if (not priced or unread) and not variant_product and heading is not None:
        line = stock_line(named)
    if line is not None and line.by_status and line.state is not None and unread:
        features = {"stock_line_status": 1.0}
        evidence.append(AvailabilityEvidence(line.state, line.text, STATUS_EVIDENCE, features))
    if markup is None and not variant_product and heading is not None:
        notify = notify_evidence(heading)
        if notify is not None:
            evidence.append(notify)
    buttons = cache(lambda: product_buy_buttons(root))
    if line is not None and not priced:
        unbuyable = unbuyable_evidence(line, buttons)
        if unbuyable is not None:
            evidence.append(unbuyable)
    if not variant_product and _button_can_matter(evidence, model(AVAILABILITY_MODEL)):
        button = buy_button_evidence(buttons())
        if button is None and not buttons() and heading is not None:
            button = unread_submit_evidence(heading)
        if button is not None:
            evidence.append(button)
    return evidence


def _button_can_matter(evidence: list[AvailabilityEvidence], ranking: CandidateModel) -> bool:
    """False when the buy button, weighing its most, could not change the weighed state."""
    totals: dict[str, float] = {}
    for item in evidence:
        weight = ranking.score(item.features)
        if weight > 0:
            totals[item.state] = totals.get(item.state, 0.0) + weight
    if not totals:
        return True
    most = sum(max(0.0, ranking.weights.get(f, 0.0)) for f in _BUTTON_FEATURES)
    ranked = sorted(totals.values(), reverse=True)
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    leader = max(totals, key=lambda s: totals[s])
    first = next(i.state for i in evidence if i.state in totals)
    # On a tie the state of the earlier evidence wins: the leader's, when it came first.
    return margin < most or (margin == most and leader != first)


def weigh_availability(
    evidence: list[AvailabilityEvidence], ranking: CandidateModel | None = None
) -> AvailabilityEvidence | None:
    """The most trusted evidence of the state with the most weight (weights summed per
    state; on a tie the state of the earlier, more trusted kind), None without evidence
    of any weight."""
    ranking = ranking or model(AVAILABILITY_MODEL)
    totals: dict[str, float] = {}
    first: dict[str, AvailabilityEvidence] = {}
    for item in evidence:
        weight = ranking.score(item.features)
        if weight <= 0:
            continue
        totals[item.state] = totals.get(item.state, 0.0) + weight
        first.setdefault(item.state, item)
    if not totals:
        return None
    order = list(first)
    state = max(order, key=lambda s: (totals[s], -order.index(s)))
    return first[state]

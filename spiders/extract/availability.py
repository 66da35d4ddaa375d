"""Availability values (schema.org URLs, short names, shop texts) -> schema.org short names."""

from __future__ import annotations

import re

from spiders.extract.shop_labels import CATALOGUES, HAND, fold_label, phrase_pattern, phrases

SCHEMA_NAMES = (
    "InStock",
    "OutOfStock",
    "PreOrder",
    "PreSale",
    "BackOrder",
    "LimitedAvailability",
    "Discontinued",
    "SoldOut",
    "InStoreOnly",
    "OnlineOnly",
    "MadeToOrder",
    "Reserved",
)
_BY_LOWER = {name.lower(): name for name in SCHEMA_NAMES}
# schema.org's own synonyms collapse to the two states shops care most about.
_COLLAPSE = {"SoldOut": "OutOfStock", "OnlineOnly": "InStock", "InStoreOnly": "InStock"}

# Stock texts: the phrases of each state's roles in the shop-label table
# (``spiders.extract.shop_labels``: the hand-written source and the frameworks' catalogues),
# every language's in one pattern per state (a page's stock text may be in any language);
# states are checked in ``STOCK_STATES`` order, negative phrases first: "ikke på lager"
# contains "på lager", "niet op voorraad" contains "op voorraad".
STOCK_STATES = ("OutOfStock", "PreOrder", "BackOrder", "LimitedAvailability", "Discontinued", "InStock")  # fmt: skip
STATE_ROLES = {
    "OutOfStock": ("out_of_stock",),
    "PreOrder": ("pre_order",),
    "BackOrder": ("back_order",),
    "LimitedAvailability": ("limited_availability",),
    "Discontinued": ("discontinued",),
    "InStock": ("in_stock", "add_to_cart"),
}
_SCHEMA_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:schema\.org/)?(\w+)/?$", re.IGNORECASE)


def _text_forms() -> list[tuple[str, list[str]]]:
    """Every language's folded phrases of each state, the hand-written source's then the
    catalogues'; a catalogue phrase the hand-written source gives another state is left
    out (the two sources disagree on it)."""
    hand = {
        state: [fold_label(p) for p in phrases(*STATE_ROLES[state], sources=(HAND,))]
        for state in STOCK_STATES
    }
    hand_state = {form: state for state, forms in hand.items() for form in forms}
    forms = []
    for state in STOCK_STATES:
        outside = [fold_label(p) for p in phrases(*STATE_ROLES[state], sources=(CATALOGUES,))]
        agreed = [f for f in outside if hand_state.get(f, state) == state]
        forms.append((state, list(dict.fromkeys([*hand[state], *agreed]))))
    return forms


# One pattern per state: each phrase a whole-word match, or anywhere in unspaced scripts.
_TEXT_PATTERNS = tuple((state, phrase_pattern(forms)) for state, forms in _text_forms())
# "Available from" and its kin right before a date ("Verfügbar ab 03.03.2027",
# "disponible à partir du 12/02/2027", "available from March 2027"): the product can be had
# from that day on, a pre-order. The date is a day, a month and a year in digits, or a year
# (with a month's name or not); a delivery time ("from 3-5 days") has no year. No clock: a
# page says it while the date is ahead, and a stored page reads the same whatever the day.
_AVAILABLE_FROM = phrase_pattern(fold_label(p) for p in phrases("available_from"))
_DATE_AFTER = re.compile(
    r"\W{0,3}(?:\d{1,2}\.?\s)?(?:[^\W\d_]+\W{1,3}){0,2}?"
    r"(?<!\d)(?:\d{1,2}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2}(?:\d{2})?|(?:19|20)\d{2})(?!\d)"
)


def normalize_availability(value: str | None) -> str | None:
    """schema.org short name ("InStock", "OutOfStock", ...) for a URL, name or shop text."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    url = _SCHEMA_URL.match(value)
    if url and url.group(1).lower() in _BY_LOWER:
        name = _BY_LOWER[url.group(1).lower()]
        return _COLLAPSE.get(name, name)
    folded = fold_label(value)
    if len(folded) > 200:
        return None
    return _state_in(folded)


def availability_in_text(text: str) -> str | None:
    """The state a text of any length mentions (negative phrases win), or None."""
    return _state_in(fold_label(text))


def _state_in(folded: str) -> str | None:
    for name, pattern in _TEXT_PATTERNS:
        if pattern.search(folded) or (name == "PreOrder" and _available_from_date(folded)):
            return name
    return None


def _available_from_date(folded: str) -> bool:
    """True if the text says the product can be had from a date on (``_DATE_AFTER``)."""
    return any(_DATE_AFTER.match(folded, m.end()) for m in _AVAILABLE_FROM.finditer(folded))

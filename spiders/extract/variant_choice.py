"""The variant a page shows as chosen: language-independent cues of the saved HTML.

A shop renders the variant it shows as chosen with the controls' own state: a ``selected``
option, a ``checked`` radio or checkbox, a swatch with ``aria-checked``, ``aria-selected``
or ``aria-pressed`` set to true. Such a control names its variant by a value (the
variant's sku, its id in the variant's URL, its size or colour), never by page words.
Several chosen controls (a colour and a size) together name one variant.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlparse

import lxml.html

from spiders.extract.nodes import Node, as_list, first_value, node_types
from spiders.extract.variants import MIN_STEM, STEM_SEPARATORS

# Elements in a chosen state: a placeholder option (no value) chooses nothing, a tab
# (ARIA role: a description tab, a gallery's slide) no variant.
_CHOSEN_INPUTS = (
    "//option[@selected][normalize-space(@value) != '']"
    " | //input[@type='radio' or @type='checkbox'][@checked]"
)
_CHOSEN = (
    f"{_CHOSEN_INPUTS}"
    " | //*[@aria-checked='true' or @aria-selected='true' or @aria-pressed='true']"
    "[not(@role='tab')]"
)
# Attributes that state how a control looks or behaves, not which variant it names.
_NOT_NAMING = frozenset({"class", "style", "type", "role", "name", "for", "tabindex", "selected", "checked", "disabled", "href", "src", "title"})  # fmt: skip
_MAX_TEXT = 40


def chosen_controls(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's controls in a chosen state, in document order."""
    return [e for e in root.xpath(_CHOSEN) if isinstance(e, lxml.html.HtmlElement)]


def _tokens(element: lxml.html.HtmlElement) -> set[str]:
    """What a chosen control names: its attribute values and its short text."""
    found = {
        v.strip().casefold()
        for k, v in element.attrib.items()
        if k not in _NOT_NAMING and not k.startswith("aria-") and v.strip()
    }
    text = " ".join(element.text_content().split())
    if text and len(text) <= _MAX_TEXT:
        found.add(text.casefold())
    return found


def _keys(sku: str, address: str | None) -> set[str]:
    """What names a variant by itself: its sku, the values of its own URL's query."""
    keys = {sku.casefold()}
    if address:
        keys |= {v.casefold() for _, v in parse_qsl(urlparse(address).query) if v}
    return keys


def _fellows(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The controls ``element`` is chosen among: its select's options, the radios of its
    name, the elements beside it that carry the same aria state."""
    if element.tag == "option":
        select = next((a for a in element.iterancestors("select")), element.getparent())
        return [] if select is None else list(select.iter("option"))
    if element.tag == "input":
        name = element.get("name")
        form = next(element.iterancestors("form"), None) or element.getroottree().getroot()
        return [i for i in form.iter("input") if name and i.get("name") == name] or [element]
    parent = element.getparent()
    attrs = [a for a in ("aria-checked", "aria-selected", "aria-pressed") if a in element.attrib]
    if parent is None or not attrs:
        return [element]
    return [e for e in parent.iter() if isinstance(e.tag, str) and attrs[0] in e.attrib]


def _named(tokens: set[str], keys: dict[str, set[str]]) -> set[str]:
    return {sku for sku, k in keys.items() if not k.isdisjoint(tokens)}


def chosen_variant(
    root: lxml.html.HtmlElement,
    skus: list[str],
    labels: dict[str, tuple[str | None, str | None]],
    addresses: dict[str, str],
) -> str | None:
    """The sku of the one variant the page's chosen controls name, or None: each control
    that names any variant narrows the choice, and the choice must end with one. A sku or
    a variant URL's value names a variant by itself; a size or colour only where the
    control is chosen among others naming other variants (a size selector, not a slide
    "1" of a gallery)."""
    strong = {s: _keys(s, addresses.get(s)) for s in skus}
    weak = {s: {v.casefold() for v in labels.get(s, (None, None)) if v} for s in skus}
    remaining = set(skus)
    named_any = False
    for element in chosen_controls(root):
        tokens = _tokens(element)
        matched = _named(tokens, strong)
        if not matched and (matched := _named(tokens, weak)):
            others = set().union(*(_named(_tokens(e), weak) for e in _fellows(element)))
            matched = matched if len(others) >= 2 else set()
        if matched and len(matched) < len(skus):
            named_any = True
            remaining &= matched
    return remaining.pop() if named_any and len(remaining) == 1 else None


_MAX_SUFFIX = 12


def extends_code(code: str, value: str) -> bool:
    """True if ``value`` is ``code`` and a short size/colour suffix after a separator
    ("SN-VEJ-42" of "SN-VEJ"): the code of one of the product's variants."""
    folded, stem = value.casefold(), code.casefold()
    return (
        len(stem) >= MIN_STEM
        and folded.startswith(stem)
        and folded[len(stem) : len(stem) + 1] in tuple(STEM_SEPARATORS)
        and 1 < len(folded) - len(stem) <= _MAX_SUFFIX
    )


def _amount(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def aggregate_range(nodes: list[Node]) -> tuple[Decimal, Decimal] | None:
    """The low and high price of the page's one AggregateOffer that states a range and no
    price of its own, or None."""
    ranges = set()
    for node in nodes:
        for offer in [node, *(o for o in as_list(node.get("offers")) if isinstance(o, dict))]:
            if "aggregateoffer" in node_types(offer) and "price" not in offer:
                low = _amount(first_value(offer, "lowPrice"))
                high = _amount(first_value(offer, "highPrice"))
                if low is not None and high is not None and low < high:
                    ranges.add((low, high))
    return ranges.pop() if len(ranges) == 1 else None


def chosen_in_range(
    root: lxml.html.HtmlElement, low: Decimal, high: Decimal
) -> tuple[Decimal, list[str]] | None:
    """(price, the values naming it) of the one chosen control that carries a price
    attribute within an AggregateOffer's range, or None."""
    found: list[tuple[Decimal, list[str]]] = []
    for element in chosen_controls(root):
        prices = {
            amount
            for k, v in element.attrib.items()
            if "price" in k.casefold() and (amount := _amount(v)) is not None
        }
        if len(prices) == 1 and low <= (price := prices.pop()) <= high:
            values = [
                v.strip()
                for k, v in element.attrib.items()
                if "price" not in k.casefold() and k not in _NOT_NAMING and v.strip()
            ]
            found.append((price, values))
    return found[0] if len(found) == 1 else None


# The hidden field of a buy form that names the variant it adds to the cart.
_CART_VARIANT_FIELD = (
    "//form//input[@type='hidden'][@name='id' or @name='variant_id' or @name='variantId'"
    " or @name='variation_id']/@value"
)


def chosen_values(root: lxml.html.HtmlElement, url: str) -> frozenset[str]:
    """The values that name the variant a page shows, casefolded: its address's query
    values (``?variant=123``), its buy form's hidden variant field (what the cart is sent)
    and the values of its chosen controls (a selected option, a checked radio or checkbox).
    A variant list's member with one of them as its id is the chosen variant."""
    values = [v for _, v in parse_qsl(urlparse(url).query)]
    values += [str(v) for v in root.xpath(_CART_VARIANT_FIELD)]
    # The chosen controls that carry a value (an aria swatch names its variant otherwise,
    # and reading every element's aria state took 2.0 ms a dev page against 0.4).
    values += [str(v) for v in root.xpath(f"({_CHOSEN_INPUTS})/@value")]
    return frozenset(folded for v in values if (folded := v.strip().casefold()))


_MAX_CHOSEN_SUFFIX = 6
"""The longest size/colour suffix a chosen control's code adds to the product's."""


def chosen_control_code(root: lxml.html.HtmlElement, code: str) -> str | None:
    """The code of the variant a chosen control names (``data-sku="KT-100-BLK"`` on the
    checked swatch) when it extends the product's ``code`` by a short size or colour suffix
    after a separator: the size or colour the page shows is the one it sells. None when no
    chosen control, or more than one code, does."""
    found = {
        value.strip()
        for control in chosen_controls(root)
        for key, value in control.attrib.items()
        if key not in _NOT_NAMING
        and not key.startswith("aria-")
        and value.strip().startswith(code)
        and value.strip()[len(code) : len(code) + 1] in tuple(STEM_SEPARATORS)
        and 1 < len(value.strip()) - len(code) <= _MAX_CHOSEN_SUFFIX + 1
        and " " not in value.strip()
    }
    return found.pop() if len(found) == 1 else None

"""What a shop's script state says about the page's product: its code and its variants' stock.

One bounded walk (``embedded_json.json_containers``, at most ``MAX_STATE_NODES`` objects
and lists over all of a page's script values) reads both:

- the product's code: the ``sku`` of a product object that lists its ``variants`` with
  their skus (its own sku, else the one variant's, else the variants' common stem); else
  the ``sku`` of the object named like the product; else the one sku all objects share
  (analytics and cart state name the product the page shows);
- its variants' stock: a product object's list of variants (``variants`` or ``skus``, two or
  more objects each with an id) whose members state their availability (a schema.org value,
  a yes/no flag, or an object holding one: ``script_offer.stock_of`` without stock counts),
  as schema.org short names in list order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spiders.extract.embedded_json import json_containers
from spiders.extract.script_offer import (
    VARIANT_ID_KEYS,
    StatePrice,
    paid_price,
    stock_of,
    variant_ids,
)
from spiders.extract.variants import common_stem

MAX_STATE_NODES = 20_000
"""Objects and lists visited at most over all of a page's script values."""

_SKU_KEYS = ("sku", "SKU")
_SKU_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{2,39}")
_VARIANT_LISTS = ("variants", "skus")


@dataclass
class ScriptProduct:
    """The script state's reading of the page's product."""

    code: str | None = None
    """The product's code (see the module's rules), None when the state names none."""
    variant_states: list[str] = field(default_factory=list)
    """Availability of each variant of the product's variant list, in order."""
    chosen_sku: str | None = None
    """The sku of the variant the page has chosen (``chosen_ids``), None without one."""
    chosen_state: str | None = None
    """That variant's availability, None when it states none."""
    chosen_price: StatePrice | None = None
    """That variant's price as its list states it (``script_offer.price_amount`` reads its
    amount), else None."""
    named_price: StatePrice | None = None
    """The price of the first object named like the product that states one: what fills the
    price slots a page saves empty or as 0 placeholders."""


def script_product(
    values: list[object],
    name: str | None,
    chosen_ids: Callable[[], frozenset[str]] = frozenset,
) -> ScriptProduct:
    """The product's code and variants' stock from the page's script ``values``; the chosen
    variant, the list member whose id, casefolded, is one of ``chosen_ids()`` (what names
    the variant the page shows: ``variant_choice.chosen_values``; asked only when the
    values hold a variant list)."""
    wanted = " ".join(name.split()).casefold() if name else None
    variants_code: str | None = None
    named_code: str | None = None
    found: list[str] = []
    states: list[str] = []
    chosen: dict[str, object] | None = None
    named_price: StatePrice | None = None
    budget = MAX_STATE_NODES
    for value in values:
        for container in json_containers(value):
            budget -= 1
            if budget < 0:
                break
            if chosen is None and isinstance(container, list):
                chosen = _chosen_member(container, chosen_ids)
            if not isinstance(container, dict):
                continue
            if named_price is None and wanted and _named_like(container, wanted):
                named_price = paid_price(container)
            if variants_code is None:
                variants_code = _code_of_variants(container)
            if not states:
                states = _variant_states(container)
            sku = _sku_of(container)
            if sku is None:
                continue
            named = container.get("name")
            if wanted and isinstance(named, str) and " ".join(named.split()).casefold() == wanted:
                named_code = named_code or sku
            found.append(sku)
        if budget < 0:
            break
    distinct = set(found)
    shared = distinct.pop() if len(distinct) == 1 else None
    product = ScriptProduct(variants_code or named_code or shared, states)
    product.named_price = named_price
    if chosen is not None:
        product.chosen_sku = _sku_of(chosen)
        product.chosen_state = stock_of(chosen, counts=False)
        product.chosen_price = paid_price(chosen)
    return product


_NAME_KEYS = ("name", "title")


def _named_like(container: dict[str, object], wanted: str) -> bool:
    return any(
        isinstance(v := container.get(k), str) and " ".join(v.split()).casefold() == wanted
        for k in _NAME_KEYS
    )


def _chosen_member(
    members: list[object], chosen_ids: Callable[[], frozenset[str]]
) -> dict[str, object] | None:
    """The member of a variant list (two or more objects, each with an id) one of whose ids
    is chosen; None when none is or the list is no variant list."""
    if len(members) < 2 or not all(
        isinstance(m, dict) and any(k in m for k in VARIANT_ID_KEYS) for m in members
    ):
        return None
    chosen = chosen_ids()
    for member in members:
        assert isinstance(member, dict)
        if not variant_ids(member).isdisjoint(chosen):
            return member
    return None


def _sku_of(container: dict[str, object]) -> str | None:
    sku = next((container[k] for k in _SKU_KEYS if k in container), None)
    if isinstance(sku, int) and not isinstance(sku, bool):
        sku = str(sku)
    if not isinstance(sku, str) or not _SKU_VALUE.fullmatch(sku.strip()):
        return None
    return sku.strip()


def _code_of_variants(container: dict[str, object]) -> str | None:
    """A product object's code when it lists ``variants`` with their skus."""
    members = container.get("variants")
    if not isinstance(members, list):
        return None
    skus = list(
        dict.fromkeys(
            s.strip()
            for m in members
            if isinstance(m, dict) and isinstance(s := m.get("sku"), str) and s.strip()
        )
    )
    if not skus:
        return None
    own = container.get("sku")
    if isinstance(own, str) and 2 <= len(own.strip()) <= 60:
        return own.strip()
    return skus[0] if len(skus) == 1 else common_stem(skus)


def _variant_states(container: dict[str, object]) -> list[str]:
    """Each variant's availability, when the object lists two or more variants with ids
    that all state one."""
    for key in _VARIANT_LISTS:
        members = container.get(key)
        if not isinstance(members, list) or len(members) < 2:
            continue
        states: list[str] = []
        for member in members:
            if not isinstance(member, dict) or not any(k in member for k in VARIANT_ID_KEYS):
                return []
            state = stock_of(member, counts=False)
            if state is None:
                return []
            states.append(state)
        return states
    return []

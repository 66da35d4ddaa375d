"""Shop label phrases in many languages: the one reader of
``spiders/extract/data/shop_labels.json`` (built by ``benchmarks/build_shop_labels.py``),
the one place the extractors' label phrases live. Two named sources: ``"labels"``, from
e-commerce frameworks' translation catalogues (sources and licences in the data folder's
README), and ``"hand"``, written from general knowledge of shop vocabulary.

Roles: ``in_stock`` / ``out_of_stock`` / ``pre_order`` / ``back_order`` /
``limited_availability`` / ``discontinued`` (stock texts), ``add_to_cart`` (a buy-button
label, and a stock text saying the product can be bought), ``cart`` (the cart's name in a
control label), ``buy`` (a buying verb that is a whole control label), ``product_code`` (a
label before the shop's own product code), ``other_code`` (before another id: model, part),
``old_price`` (a word beside an amount that is not the price to pay now: "was", "statt"),
``without_tax`` (beside a price without VAT: "excl. VAT", "exkl. moms"), ``member_price``
(beside a price only card holders or members pay), ``available_from`` (words before a date
from which the product can be had: a pre-order).
A phrase ending in ``*`` is a word stem.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from settings.content_keys import without_accents

_TABLE = Path(__file__).parent / "data" / "shop_labels.json"
ROLES = ("in_stock", "out_of_stock", "pre_order", "back_order", "limited_availability",
         "discontinued", "add_to_cart", "cart", "buy", "product_code", "other_code",
         "old_price", "without_tax", "member_price", "available_from")  # fmt: skip
CATALOGUES = "labels"
HAND = "hand"
SOURCES = (HAND, CATALOGUES)
# Scripts written without spaces between words: a phrase in them is matched anywhere.
UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


@cache
def shop_labels(source: str = CATALOGUES) -> dict[str, dict[str, tuple[str, ...]]]:
    """role -> language -> phrases (NFKC, lower case, single spaces) of one source."""
    table = json.loads(_TABLE.read_text(encoding="utf-8"))[source]
    return {role: {lang: tuple(p) for lang, p in table.get(role, {}).items()} for role in ROLES}


def phrases(*roles: str, sources: tuple[str, ...] = SOURCES) -> tuple[str, ...]:
    """Every language's phrases of ``roles`` in ``sources`` (hand-written first), each once."""
    return tuple(
        dict.fromkeys(
            p
            for source in sources
            for role in roles
            for ps in shop_labels(source)[role].values()
            for p in ps
        )
    )


def fold_label(text: str) -> str:
    """How texts and phrases are compared: case-folded, compatibility forms and accents
    undone (NFKD), the letters without a decomposition ("ł", "ø") spelled plain, one space
    between words."""
    text = text.casefold().replace("ł", "l").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    return " ".join(without_accents(text).replace("_", " ").split())


def _letter(char: str) -> str:
    """A pattern for ``char`` that also takes it without its accent ("ό" or "ο": Greek
    capitals drop the tonos, shops drop accents)."""
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return f"[{char}{base}]" if len(base) == 1 and base != char else re.escape(char)


def _accent_free(word: str) -> str:
    return "".join(map(_letter, word))


def phrase_pattern(
    forms: Iterable[str], *, whole: bool = False, gap: str = " ", accents: bool = False
) -> re.Pattern[str]:
    """One pattern for ``forms`` (folded as the text will be): whole words, or anywhere
    for a form in a script without spaces; ``whole`` anchors it to the whole text. A
    form's spaces match ``gap``; with ``accents`` its accented letters match plain ones too
    (for texts not folded)."""
    bounded: list[str] = []
    unbounded: list[str] = []
    for form in sorted(set(forms), key=len, reverse=True):
        spell = _accent_free if accents else re.escape
        stem = form.endswith("*")
        escaped = gap.join(spell(word) for word in form.rstrip("*").split())
        escaped += r"\w*" if stem else ""
        (unbounded if UNSPACED.search(form) else bounded).append(escaped)
    parts = []
    if bounded:
        parts.append(r"(?<!\w)(?:" + "|".join(bounded) + r")(?!\w)")
    if unbounded:
        parts.append("|".join(unbounded))
    body = "|".join(parts) or r"(?!)"
    return re.compile(rf"^(?:{body})$" if whole else body)

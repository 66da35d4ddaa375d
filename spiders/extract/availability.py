"""Availability values (schema.org URLs, short names, shop texts) -> schema.org short names."""

from __future__ import annotations

import re
import unicodedata

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

# Negative phrases are checked first: "ikke på lager" contains "på lager".
_TEXT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "OutOfStock",
        (
            "out of stock",
            "out-of-stock",
            "outofstock",
            "sold out",
            "soldout",
            "currently unavailable",
            "not available",
            "unavailable",
            "no stock",
            "rupture de stock",
            "en rupture",
            "epuise",
            "indisponible",
            "non disponible",
            "niedostepny",
            "brak w magazynie",
            "brak towaru",
            "wyprzedany",
            "produkt niedostepny",
            "ikke pa lager",
            "utsolgt",
            "ikke tilgjengelig",
            "midlertidig utsolgt",
            "ausverkauft",
            "nicht auf lager",
            "nicht verfugbar",
            "nicht lieferbar",
            "esaurito",
            "non disponibile",
            "agotado",
            "sin stock",
            "no disponible",
            "slutsald",
            "ej i lager",
            "udsolgt",
            "ikke pa lager",
        ),
    ),
    (
        "PreOrder",
        (
            "pre-order",
            "preorder",
            "pre order",
            "precommande",
            "przedsprzedaz",
            "vorbestellen",
            "forhandsbestill",
        ),
    ),
    ("BackOrder", ("backorder", "back order", "back-order")),
    (
        "LimitedAvailability",
        (
            "limited stock",
            "few left",
            "only a few left",
            "ostatnie sztuki",
            "wenige auf lager",
            "fa pa lager",
        ),
    ),
    (
        "Discontinued",
        ("discontinued", "no longer available", "plus disponible", "wycofany"),
    ),
    (
        "InStock",
        (
            "in stock",
            "instock",
            "available",
            "add to cart",
            "add to basket",
            "add to bag",
            "buy now",
            "en stock",
            "disponible",
            "ajouter au panier",
            "dostepny",
            "w magazynie",
            "dodaj do koszyka",
            "na stanie",
            "pa lager",
            "legg i handlekurv",
            "kjop",
            "auf lager",
            "lieferbar",
            "verfugbar",
            "in den warenkorb",
            "disponibile",
            "aggiungi al carrello",
            "in magazzino",
            "i lager",
            "en existencia",
            "op voorraad",
            "skladem",
            "na sklade",
        ),
    ),
)
_SCHEMA_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:schema\.org/)?(\w+)/?$", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lowercase, strip accents and the Polish ł (which has no decomposition)."""
    text = text.lower().replace("ł", "l").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()


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
    folded = _fold(value)
    if len(folded) > 200:
        return None
    for name, phrases in _TEXT_FORMS:
        if any(_contains_phrase(folded, phrase) for phrase in phrases):
            return name
    return None


def _contains_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None

"""Availability values (schema.org URLs, short names, shop texts) -> schema.org short names."""

from __future__ import annotations

import re

from spiders.extract.shop_labels import fold_label, phrase_pattern, phrases

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

# Phrases per language and state (folded by ``fold_label`` when compiled); the registered languages
# (``settings.languages``) by code, a few neighbours too, and "*" for phrases in ~25 more
# languages written from general knowledge. A page's stock text may be in any language, so
# every state's pattern holds every language's phrases; states are checked in
# ``STOCK_STATES`` order, negative phrases first: "ikke på lager" contains "på lager",
# "niet op voorraad" contains "op voorraad".
STOCK_STATES = ("OutOfStock", "PreOrder", "BackOrder", "LimitedAvailability", "Discontinued", "InStock")  # fmt: skip
STOCK_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "OutOfStock": (
            "out of stock", "out-of-stock", "outofstock", "sold out", "soldout", "no stock",
            "currently unavailable", "not available", "unavailable", "not in stock",
            "when back in stock", "notify me when", "email me when", "let me know when",
        ),
        "PreOrder": ("pre-order", "preorder", "pre order"),
        "BackOrder": ("backorder", "back order", "back-order"),
        "LimitedAvailability": ("limited stock", "few left", "only a few left"),
        "Discontinued": ("discontinued", "no longer available"),
        "InStock": (
            "in stock", "instock", "available", "add to cart", "add to basket", "add to bag",
            "add to your cart", "add to your basket", "add to your bag", "add to trolley",
            "buy now",
        ),
    },
    "fr": {
        "OutOfStock": (
            "rupture de stock", "en rupture", "epuise", "indisponible", "non disponible",
            "pas disponible", "hors stock",
        ),
        "PreOrder": ("precommande",),
        "LimitedAvailability": ("derniers articles",),
        "Discontinued": ("plus disponible",),
        "InStock": ("en stock", "disponible", "ajouter au panier"),
    },
    "pl": {
        "OutOfStock": (
            "niedostepny", "niedostepna", "niedostepne", "brak w magazynie", "brak towaru",
            "brak na stanie", "nie ma w magazynie", "wyprzedany", "wyprzedane",
        ),
        "PreOrder": ("przedsprzedaz",),
        "LimitedAvailability": ("ostatnie sztuki",),
        "Discontinued": ("wycofany",),
        "InStock": ("dostepny", "dostepna", "w magazynie", "dodaj do koszyka", "na stanie"),
    },
    "no": {
        "OutOfStock": ("ikke pa lager", "utsolgt", "ikke tilgjengelig"),
        "PreOrder": ("forhandsbestill",),
        "LimitedAvailability": ("fa pa lager", "fatall pa lager"),
        "Discontinued": ("utgatt",),
        "InStock": (
            "pa lager", "legg i handlekurv", "legg i handlekurven", "kjop", "tilgjengelig",
        ),
    },
    "sv": {"OutOfStock": ("slutsald", "ej i lager"), "InStock": ("i lager",)},
    "da": {"OutOfStock": ("ikke pa lager", "udsolgt"), "InStock": ("pa lager",)},
    "de": {
        "OutOfStock": (
            "ausverkauft", "nicht auf lager", "nicht verfugbar", "nicht lieferbar",
            "nicht vorratig", "vergriffen",
        ),
        "PreOrder": ("vorbestellen", "vorbestellung"),
        "BackOrder": ("nachbestellt",),
        "LimitedAvailability": ("wenige auf lager",),
        "Discontinued": ("nicht mehr verfugbar", "nicht mehr lieferbar"),
        "InStock": ("auf lager", "lieferbar", "verfugbar", "in den warenkorb", "vorratig"),
    },
    "it": {
        "OutOfStock": ("esaurito", "non disponibile"),
        "LimitedAvailability": ("quasi esaurito", "ultimi pezzi"),
        "Discontinued": ("fuori produzione",),
        "InStock": ("disponibile", "aggiungi al carrello", "in magazzino"),
    },
    "es": {
        "OutOfStock": (
            "agotado", "sin stock", "no disponible", "fuera de stock", "sin existencias",
        ),
        "PreOrder": ("preventa", "pre-orden"),
        "LimitedAvailability": ("ultimas unidades",),
        "Discontinued": ("descatalogado",),
        "InStock": (
            "disponible", "en existencia", "disponibilidad inmediata", "anadir al carrito",
        ),
    },
    "pt": {
        "OutOfStock": ("esgotado", "indisponivel", "sem stock", "sem estoque"),
        "InStock": ("em stock", "em estoque", "disponivel"),
    },
    "nl": {
        "OutOfStock": ("niet op voorraad", "uitverkocht", "niet leverbaar", "niet beschikbaar"),
        "LimitedAvailability": ("bijna uitverkocht",),
        "Discontinued": ("niet meer leverbaar",),
        "InStock": ("op voorraad", "leverbaar", "beschikbaar", "in winkelwagen"),
    },
    "cs": {
        "OutOfStock": ("neni skladem", "nedostupne", "nedostupny", "nedostupna", "vyprodano"),
        "InStock": ("skladem", "do kosika"),
    },
    "sk": {
        "OutOfStock": (
            "nie je skladom", "nie je na sklade", "nedostupne", "nedostupny", "nedostupna",
            "vypredane", "vypredany",
        ),
        "InStock": ("na sklade", "skladom", "do kosika"),
    },
    "*": {
        "OutOfStock": (
            "loppuunmyyty", "ei varastossa", "laost otsas", "pole laos", "nav noliktavā",
            "izpārdots", "nėra sandėlyje", "išparduota", "nincs raktáron", "elfogyott",
            "stoc epuizat", "indisponibil", "nu este în stoc", "nema na zalihi", "nema na stanju",
            "rasprodano", "ni na zalogi", "razprodano", "stokta yok", "tükendi", "εξαντλημένο",
            "μη διαθέσιμο", "нет в наличии", "нет на складе", "распродано", "немає в наявності",
            "розпродано", "няма наличност", "изчерпан", "缺货", "缺貨", "售罄", "无货", "已售完",
            "在庫切れ", "売り切れ", "品切れ", "품절", "일시품절", "hết hàng", "stok habis",
            "habis terjual", "สินค้าหมด", "غير متوفر", "نفذت الكمية", "אזל מהמלאי",
        ),
        "InStock": (
            "varastossa", "lisää ostoskoriin", "laos olemas", "ir noliktavā", "yra sandėlyje",
            "raktáron", "kosárba", "în stoc", "adaugă în coș", "na zalihi", "na stanju",
            "na zalogi", "stokta var", "sepete ekle", "διαθέσιμο", "в наличии", "в корзину",
            "в наявності", "у кошик", "в наличност", "有货", "有貨", "现货", "加入购物车",
            "在庫あり", "カートに入れる", "재고 있음", "장바구니 담기", "còn hàng",
            "stok tersedia", "มีสินค้า", "متوفر", "במלאי",
        ),
    },
}  # fmt: skip
_SCHEMA_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:schema\.org/)?(\w+)/?$", re.IGNORECASE)


# Outside phrases per state (``shop_labels``: frameworks' translation catalogues). One the
# hand lists give another state is left out: the two sources disagree on it.
_LABEL_ROLES = {"OutOfStock": ("out_of_stock",), "InStock": ("in_stock", "add_to_cart")}


def _text_forms() -> list[tuple[str, list[str]]]:
    """Every language's folded phrases of each state, hand lists' then outside ones."""
    hand = {
        state: [
            fold_label(p) for by_state in STOCK_PHRASES.values() for p in by_state.get(state, ())
        ]
        for state in STOCK_STATES
    }
    hand_state = {form: state for state, forms in hand.items() for form in forms}
    forms = []
    for state in STOCK_STATES:
        outside = [fold_label(p) for p in phrases(*_LABEL_ROLES.get(state, ()))]
        agreed = [f for f in outside if hand_state.get(f, state) == state]
        forms.append((state, list(dict.fromkeys([*hand[state], *agreed]))))
    return forms


# One pattern per state: each phrase a whole-word match, or anywhere in unspaced scripts.
_TEXT_PATTERNS = tuple((state, phrase_pattern(forms)) for state, forms in _text_forms())


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
        if pattern.search(folded):
            return name
    return None

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

# Phrases per state, accents folded (see ``_fold``), in en/fr/pl/no/de/it/es/nl and a few
# neighbours (sv/da/pt/cs/sk). Negative phrases are checked first: "ikke på lager"
# contains "på lager", "niet op voorraad" contains "op voorraad".
_TEXT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "OutOfStock",
        (
            # en
            "out of stock", "out-of-stock", "outofstock", "sold out", "soldout", "no stock",
            "currently unavailable", "not available", "unavailable", "not in stock",
            "when back in stock", "notify me when", "email me when", "let me know when",
            # fr
            "rupture de stock", "en rupture", "epuise", "indisponible", "non disponible",
            "pas disponible", "hors stock",
            # pl
            "niedostepny", "niedostepna", "niedostepne", "brak w magazynie", "brak towaru",
            "brak na stanie", "nie ma w magazynie", "wyprzedany", "wyprzedane",
            # no / sv / da
            "ikke pa lager", "utsolgt", "ikke tilgjengelig", "slutsald", "ej i lager", "udsolgt",
            # de
            "ausverkauft", "nicht auf lager", "nicht verfugbar", "nicht lieferbar",
            "nicht vorratig", "vergriffen",
            # it / es / pt
            "esaurito", "non disponibile", "agotado", "sin stock", "no disponible",
            "fuera de stock", "sin existencias", "esgotado", "indisponivel", "sem stock",
            "sem estoque",
            # nl
            "niet op voorraad", "uitverkocht", "niet leverbaar", "niet beschikbaar",
            # cs / sk
            "neni skladem", "nie je skladom", "nie je na sklade", "nedostupne", "nedostupny",
            "nedostupna", "vypredane", "vypredany", "vyprodano",
            # more languages, written from general knowledge (folded when compiled)
            "loppuunmyyty", "ei varastossa", "laost otsas", "pole laos", "nav noliktavā",
            "izpārdots", "nėra sandėlyje", "išparduota", "nincs raktáron", "elfogyott",
            "stoc epuizat", "indisponibil", "nu este în stoc", "nema na zalihi", "nema na stanju",
            "rasprodano", "ni na zalogi", "razprodano", "stokta yok", "tükendi", "εξαντλημένο",
            "μη διαθέσιμο", "нет в наличии", "нет на складе", "распродано", "немає в наявності",
            "розпродано", "няма наличност", "изчерпан", "缺货", "缺貨", "售罄", "无货", "已售完",
            "在庫切れ", "売り切れ", "品切れ", "품절", "일시품절", "hết hàng", "stok habis",
            "habis terjual", "สินค้าหมด", "غير متوفر", "نفذت الكمية", "אזל מהמלאי",
        ),
    ),
    (
        "PreOrder",
        ("pre-order", "preorder", "pre order", "precommande", "przedsprzedaz", "vorbestellen",
         "vorbestellung", "forhandsbestill", "preventa", "pre-orden"),
    ),
    ("BackOrder", ("backorder", "back order", "back-order", "nachbestellt")),
    (
        "LimitedAvailability",
        ("limited stock", "few left", "only a few left", "ostatnie sztuki", "wenige auf lager",
         "fa pa lager", "fatall pa lager", "quasi esaurito", "ultimi pezzi", "ultimas unidades",
         "derniers articles", "bijna uitverkocht"),
    ),
    (
        "Discontinued",
        ("discontinued", "no longer available", "plus disponible", "wycofany",
         "nicht mehr verfugbar", "nicht mehr lieferbar", "niet meer leverbaar", "fuori produzione",
         "descatalogado", "utgatt"),
    ),
    (
        "InStock",
        (
            # en
            "in stock", "instock", "available", "add to cart", "add to basket", "add to bag",
            "add to your cart", "add to your basket", "add to your bag", "add to trolley",
            "buy now",
            # fr
            "en stock", "disponible", "ajouter au panier",
            # pl
            "dostepny", "dostepna", "w magazynie", "dodaj do koszyka", "na stanie",
            # no / sv / da
            "pa lager", "legg i handlekurv", "legg i handlekurven", "kjop", "i lager", "tilgjengelig",
            # de
            "auf lager", "lieferbar", "verfugbar", "in den warenkorb", "vorratig",
            # it / es / pt
            "disponibile", "aggiungi al carrello", "in magazzino", "en existencia",
            "disponibilidad inmediata", "anadir al carrito", "em stock", "em estoque",
            "disponivel",
            # nl
            "op voorraad", "leverbaar", "beschikbaar", "in winkelwagen",
            # cs / sk
            "skladem", "na sklade", "skladom", "do kosika",
            # more languages, written from general knowledge (folded when compiled)
            "varastossa", "lisää ostoskoriin", "laos olemas", "ir noliktavā", "yra sandėlyje",
            "raktáron", "kosárba", "în stoc", "adaugă în coș", "na zalihi", "na stanju",
            "na zalogi", "stokta var", "sepete ekle", "διαθέσιμο", "в наличии", "в корзину",
            "в наявності", "у кошик", "в наличност", "有货", "有貨", "现货", "加入购物车",
            "在庫あり", "カートに入れる", "재고 있음", "장바구니 담기", "còn hàng",
            "stok tersedia", "มีสินค้า", "متوفر", "במלאי",
        ),
    ),
)  # fmt: skip
_SCHEMA_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:schema\.org/)?(\w+)/?$", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lowercase, strip accents and the Polish ł (which has no decomposition)."""
    text = text.lower().replace("ł", "l").replace("ø", "o").replace("å", "a").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s_]+", " ", text).strip()


# One pattern per state, each phrase a whole-word match.
_TEXT_PATTERNS = tuple(
    (name, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(_fold(p)) for p in phrases) + r")(?!\w)"))
    for name, phrases in _TEXT_FORMS
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
    folded = _fold(value)
    if len(folded) > 200:
        return None
    return _state_in(folded)


def availability_in_text(text: str) -> str | None:
    """The state a text of any length mentions (negative phrases win), or None."""
    return _state_in(_fold(text))


def _state_in(folded: str) -> str | None:
    for name, pattern in _TEXT_PATTERNS:
        if pattern.search(folded):
            return name
    return None

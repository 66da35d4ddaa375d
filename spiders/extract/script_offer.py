"""The page's product as its script state describes it: price, currency, code, stock, variants.

Shops that render in the browser (Next.js, Nuxt, initial/preloaded-state stores, Shopify
themes, Magento, WooCommerce variation forms, analytics ``dataLayer``/``gtag`` events) keep
the product in JSON rather than schema.org markup. The product is found by its shape, not by
any framework's key names: an object with a name (or variants that have one), a price-like
number and an identifier, whose name the page's title or heading carries (or whose slug or
code its URL does). Keys are read by their words in any casing (``salePriceCents``,
``final_price``, ``item_name``), so one rule serves every framework.

- The price is the one a shopper pays: a key saying sale/final/current/special before a plain
  ``price``, never a list price (regular/list/original/old/compare/consumer ...), range ends
  or per-unit amounts. Minor units (``129900`` for 1299.00) are read as such only on
  evidence: the key says so (``cents``, ``centAmount`` with its ``fractionDigits``), the
  object writes the price out as text divided by 100 (``"priceFormatted": "1 299,00 €"``),
  the page shows the amount divided by 100 and not the number itself, or the page carries a
  money format (``{{amount}}``) that writes amounts from cents. An integer nothing speaks
  for either way stays as it is: JSON writes a whole 129.00 as 129.
- Availability: stock flags (``available``, ``inStock``, ``is_salable``, ``soldOut``), a
  schema.org-like value, or a stock quantity.
- Variants: the product's list of variant objects (each priced, with its code and stock);
  the chosen one is the one the page shows as chosen (``variant_choice.chosen_values``: a
  selected option, a checked control, its address's query, its buy form's variant field),
  else the first available.

Read only for pages whose markup gives no price (``auto``): it never overrides markup.
Bounded: at most ``MAX_STATE_NODES`` objects walked, attribute JSON capped in size, call
arguments read within ``script_json``'s caps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit

import lxml.html

from spiders.extract.availability import normalize_availability
from spiders.extract.embedded_json import key_words
from spiders.extract.price import ISO_CODES, normalize_price
from spiders.extract.script_json import attribute_json_values, script_call_values
from spiders.extract.variant_choice import chosen_values

MAX_STATE_NODES = 20_000
"""Objects and lists visited at most over all of a page's state values."""
MAX_DEPTH = 30

_NAME_KEYS = frozenset({"name", "title"})
# Words that make a "...name"/"...title" key about something else than the product.
_NOT_NAME = frozenset(
    {"brand", "category", "vendor", "seo", "meta", "page", "public", "variant", "store",
     "shop", "site", "list", "option", "image", "alt", "first", "last", "user", "customer",
     "file", "attribute", "collection", "section", "author", "company", "seller", "og"}
)  # fmt: skip
_PRICE_WORDS = frozenset({"price", "prices", "pricing", "amount", "centamount"})
# Keys of a price object's number ({"amount": 4.5}, {"value": 4.5}, {"centAmount": 450}).
_VALUE_WORDS = frozenset({"amount", "value", "raw", "gross", "centamount", "cents"})
_SALE = frozenset(
    {"sale", "final", "special", "current", "selling", "offer", "discounted", "promo",
     "promotional", "actual", "now", "effective"}
)  # fmt: skip
# A price a shopper does not pay: a list or old price, a range's top, a part or a rate.
_LIST = frozenset(
    {"regular", "list", "original", "old", "was", "compare", "msrp", "rrp", "strike",
     "strikethrough", "crossed", "before", "consumer", "base", "retail", "reference", "max",
     "maximum", "high", "to", "unit", "per", "monthly", "installment", "installments",
     "shipping", "delivery", "tax", "saving", "savings", "save", "diff", "difference",
     "discount", "deposit", "fee", "currency", "html", "formatted", "format", "text",
     "label", "id", "type", "count", "code", "symbol", "string", "str", "tier", "tiers",
     "percent", "percentage", "rule", "precision", "digits", "fraction", "rate", "points",
     "total"}
)  # fmt: skip
# A range's bottom ("priceRange.minVariantPrice", "minimal_price", "from"): the price when
# nothing else states one.
_FROM = frozenset({"min", "minimal", "minimum", "low", "lowest", "from", "range", "starting"})
_LESSER = frozenset({"without", "excl", "excluding", "net", "ex", "exvat"})
_MINOR = frozenset({"cents", "cent", "centamount", "minor", "subunits"})
_SKU_WORDS = frozenset({"sku"})
_CODE_KEYS = frozenset(
    {"code", "productcode", "itemcode", "articlenumber", "articleno", "articlecode",
     "goodsno", "goodscode", "itemnumber", "itemno", "productnumber", "productno",
     "reference", "ref", "partnumber"}
)  # fmt: skip
_ID_KEYS = frozenset({"itemid", "productid", "id", "variantid", "variationid", "goodsid"})
_VARIANT_KEYS = frozenset({"variants", "variations", "skus"})
_SLUG_KEYS = frozenset({"slug", "handle", "url", "path", "href", "link", "urlkey", "seourl"})
_CODE_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{1,39}")
_STOCK_KEY = re.compile(
    r"availab|in_?stock|on_?stock|sold_?out|out_?of_?stock|orderable|purchasable|salable"
    r"|sellable|buyable",
    re.I,
)
_NEGATIVE_KEY = re.compile(r"sold_?out|out_?of_?stock|unavailab|not_?available", re.I)
# Keys of a variant list member's ids: what the page's chosen values name.
VARIANT_ID_KEYS = ("sku", "SKU", "id", "variantId", "variant_id", "skuId", "code", "variation_id")
_QUANTITY_WORDS = frozenset({"stock", "inventory", "quantity", "qty", "level"})
_TRUE, _FALSE = frozenset({"1", "true", "yes"}), frozenset({"0", "false", "no"})
_WORD = re.compile(r"\w+")
_AMOUNT = re.compile(r"\d[\d\s.,'\u00a0\u202f]{0,14}\d|\d")
_MONEY_FORMAT = "{{amount"
# Keys of a price written out as text: "priceFormatted", "formatted", "displayPrice", "price_html".
_WRITTEN_KEY_WORDS = _PRICE_WORDS | _VALUE_WORDS | {"formatted", "display", "html", "text"}
_BARE_NUMBER = re.compile(r"[\d\s.,'\u00a0\u202f-]*")
_MAX_WRITTEN = 400
_MAX_SHOWN_AMOUNTS = 3000


@dataclass
class StateVariant:
    """One variant as the state lists it."""

    sku: str | None
    price: str | None
    availability: str | None
    title: str | None


@dataclass
class StateOffer:
    """The state's reading of the page's product."""

    name: str | None = None
    price: str | None = None
    currency: str | None = None
    sku: str | None = None
    variant_sku: str | None = None
    availability: str | None = None
    variants: list[StateVariant] = field(default_factory=list)


@dataclass
class StatePrice:
    """A price as a state object states it: its key's rank (0 sale, 1 plain, 2 without tax,
    3 a range's bottom), its number, its minor-unit digits when a key says so, its currency,
    and the object the number sits in (where the state may write it out as text)."""

    rank: int
    value: Decimal
    minor_digits: int | None
    currency: str | None
    source: dict[str, object] = field(repr=False, compare=False)


@dataclass
class _Candidate:
    obj: dict[str, object]
    name: str | None
    currency: str | None
    order: int
    nameless: bool = False
    score: float = 0.0


def state_offer(
    root: lxml.html.HtmlElement,
    url: str,
    script_values: list[object],
    page_text: str,
    shown_text: Callable[[], str],
) -> StateOffer | None:
    """The page's product in its script state (``script_values``, call arguments and data
    attributes' JSON), or None when no object there is the page's product. ``page_text``
    is the page's source (for a money format), ``shown_text`` gives its visible text (read
    only for an integer price)."""
    names = _page_names(root)
    path = unquote(urlsplit(url).path).casefold()
    values = [*script_values, *script_call_values(root)]
    candidates = _candidates(values, names, path)
    nameless: list[_Candidate] = []
    if not candidates:  # data attributes: a variation form's, a widget's settings
        attributes = attribute_json_values(root)
        candidates = _candidates(attributes, names, path)
        nameless = [] if candidates else _nameless_lists(attributes)
    # Of names the page carries alike, the longest is the most specific ("Kettle 2 L"
    # before a related "Kettle"); then the first in the page.
    best = max(candidates, key=lambda c: (c.score, len(c.name or ""), -c.order), default=None)
    if best is None:
        if len(nameless) != 1:
            return None
        best = nameless[0]
    return _offer_of(best, root, url, page_text, shown_text)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _page_names(root: lxml.html.HtmlElement) -> list[str]:
    """The page's title, first headings and og:title, folded."""
    texts = [root.findtext(".//title") or ""]
    texts += [h.text_content() for h in root.iter("h1")][:3]
    texts += [m.get("content") or "" for m in root.iter("meta") if m.get("property") == "og:title"]
    return [_fold(t) for t in texts if t and t.strip()]


def _name_score(name: str | None, names: list[str]) -> float:
    if not name or not names:
        return 0.0
    folded = _fold(name)
    if any(folded in page for page in names):
        return 1.0
    words = _WORD.findall(folded)
    if not words:
        return 0.0
    page_words = {w for page in names for w in _WORD.findall(page)}
    return sum(w in page_words for w in words) / len(words)


def _url_score(obj: dict[str, object], path: str) -> float:
    for key, value in obj.items():
        if not isinstance(value, str) or not value or len(value) > 500:
            continue
        joined = "".join(key_words(key))
        if joined in _SLUG_KEYS:
            slug = unquote(urlsplit(value).path).casefold().strip("/")
            if slug and len(slug) >= 4 and path.rstrip("/").endswith(slug):
                return 1.0
    return 0.0


def _candidates(values: list[object], names: list[str], path: str) -> list[_Candidate]:
    """Product-like objects (a name, a price or priced variants, an identifier) that the
    page's names or URL point at."""
    found: list[_Candidate] = []
    budget = MAX_STATE_NODES
    stack: list[tuple[object, int, str | None]] = [(v, 0, None) for v in reversed(values)]
    order = 0
    while stack and budget > 0:
        value, depth, currency = stack.pop()
        budget -= 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(value, list):
            stack.extend(
                (c, depth + 1, currency) for c in reversed(value) if isinstance(c, dict | list)
            )
            continue
        if not isinstance(value, dict):
            continue
        currency = _currency_of(value) or currency
        order += 1
        candidate = _product_like(value, currency, order)
        if candidate is not None:
            name_score = _name_score(candidate.name, names)
            candidate.score = max(name_score, _url_score(value, path))
            if candidate.score >= 0.75:
                found.append(candidate)
        stack.extend(
            (c, depth + 1, currency)
            for c in reversed(list(value.values()))
            if isinstance(c, dict | list)
        )
    return found


def _currency_of(obj: dict[str, object]) -> str | None:
    for key, value in obj.items():
        if isinstance(value, str) and "urrenc" in key and "currency" in key_words(key):
            code = value.strip().upper()
            if code in ISO_CODES:
                return code
    return None


def _name_of(obj: dict[str, object]) -> str | None:
    best: str | None = None
    for key, value in obj.items():
        words = key_words(key)
        if not words or words[-1] not in _NAME_KEYS or any(w in _NOT_NAME for w in words):
            continue
        if isinstance(value, dict):  # {"fi-FI": "..."}: a name per language
            value = next((v for v in value.values() if isinstance(v, str)), None)
        if (
            isinstance(value, str)
            and 1 < len(value.strip()) <= 300
            and any(c.isalpha() for c in value)
        ):
            if len(words) == 1:
                return value.strip()
            best = best or value.strip()
    return best


def _variant_list(obj: dict[str, object]) -> list[dict[str, object]]:
    for key, value in obj.items():
        if "".join(key_words(key)) in _VARIANT_KEYS and isinstance(value, list):
            members = [m for m in value if isinstance(m, dict)]
            if members and len(members) == len(value):
                return members
    return []


def _may_be_product(obj: dict[str, object]) -> bool:
    """A cheap first look: a key ending in name/title, or a list of variants."""
    for key in obj:
        tail = key[-5:].casefold()
        if tail.endswith(("name", "title", "ants", "ions", "skus")):
            return True
    return False


def _product_like(obj: dict[str, object], currency: str | None, order: int) -> _Candidate | None:
    if not _may_be_product(obj):
        return None
    if _code_of(obj) is None and _id_of(obj) is None:
        return None
    variants = _variant_list(obj)
    priced = _priced_part(obj) is not None or any(paid_price(v) is not None for v in variants)
    if not priced:
        return None
    name = _name_of(obj)
    if name is None and variants:  # Shopify's analytics meta: the variants carry the name
        name = _bare_name(variants[0])
    if name is None:
        return None
    return _Candidate(obj, name, currency, order)


def _bare_name(variant: dict[str, object]) -> str | None:
    """A variant's name without its own title ("Kettle - 2 L" less "2 L")."""
    name = _name_of(variant)
    if name is None:
        return None
    for key in ("public_title", "publicTitle", "title", "option", "option1"):
        own = variant.get(key)
        if isinstance(own, str) and own and name.endswith(own) and own != name:
            return name[: -len(own)].rstrip(" -–—/|,:")
    return name


def _nameless_lists(values: list[object]) -> list[_Candidate]:
    """Top-level lists of priced, coded variant objects (a variation form's data): the
    page's product's variants when nothing names a product."""
    found = []
    for order, value in enumerate(values):
        if not isinstance(value, list) or not value or len(value) > 500:
            continue
        if all(
            isinstance(m, dict) and paid_price(m) is not None and (_code_of(m) or _id_of(m))
            for m in value
        ):
            found.append(_Candidate({"variants": value}, None, None, order, nameless=True))
    return found


def _code_of(obj: dict[str, object]) -> str | None:
    """The object's sku, else its product code ("code", "articleNumber", "goodsNo")."""
    code: str | None = None
    for key, value in obj.items():
        words = key_words(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _CODE_VALUE.fullmatch(value.strip()):
            continue
        if _SKU_WORDS.intersection(words) and "".join(words) in (
            "sku",
            "skucode",
            "skuid",
            "productsku",
            "itemsku",
        ):
            return value.strip()
        if code is None and "".join(words) in _CODE_KEYS:
            code = value.strip()
    return code


def _id_of(obj: dict[str, object]) -> str | None:
    """An identifier ("item_id": "FT-22", "id": 1200): enough to tell a product object."""
    for key, value in obj.items():
        if "".join(key_words(key)) in _ID_KEYS and isinstance(value, str | int):
            if isinstance(value, bool):
                continue
            text = str(value).strip()
            if _CODE_VALUE.fullmatch(text):
                return text
    return None


def _shop_id(obj: dict[str, object]) -> str | None:
    """The identifier a shopper could know: a code, else a string id."""
    code = _code_of(obj)
    if code is not None:
        return code
    for key, value in obj.items():
        if "".join(key_words(key)) in _ID_KEYS and isinstance(value, str):
            text = value.strip()
            if _CODE_VALUE.fullmatch(text):
                return text
    return None


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() and number > 0 else None
    if isinstance(value, str) and 0 < len(value) <= 40 and any(c.isdigit() for c in value):
        amount, _ = normalize_price(value)
        if amount is None:
            return None
        try:
            parsed = Decimal(amount)
        except InvalidOperation:
            return None
        return parsed if parsed.is_finite() and parsed > 0 else None
    return None


def _rank(words: tuple[str, ...]) -> int | None:
    """How much a price key is the paid price (lower is more), None for one that is not."""
    if any(w in _LIST for w in words):
        return None
    if any(w in _FROM for w in words):
        return 3
    if any(w in _SALE for w in words):
        return 0
    if any(w in _LESSER for w in words):
        return 2
    return 1


def _prices_in(
    value: object,
    words: tuple[str, ...],
    out: list[StatePrice],
    currency: str | None,
    depth: int,
    source: dict[str, object],
) -> None:
    rank = _rank(words)
    if rank is None or depth > 3:
        return
    if isinstance(value, list):
        if value:
            _prices_in(value[0], words, out, currency, depth + 1, source)
        return
    if isinstance(value, dict):
        currency = _currency_of(value) or currency
        digits = value.get("fractionDigits", value.get("fraction_digits"))
        first = len(out)
        for key, inner in value.items():
            inner_words = key_words(key)
            joined = "".join(inner_words)
            if (
                joined in _VALUE_WORDS
                or _PRICE_WORDS.intersection(inner_words)
                or _rank(inner_words) == 0
            ) or any(w in ("regular", "sale") for w in inner_words):
                _prices_in(inner, (*words, *inner_words), out, currency, depth + 1, value)
        if isinstance(digits, int) and not isinstance(digits, bool) and 0 <= digits <= 4:
            for price in out[first:]:
                if price.minor_digits is not None:
                    price.minor_digits = digits
        return
    number = _number(value)
    if number is None:
        return
    minor = 2 if _MINOR.intersection(words) or "centamount" in "".join(words) else None
    out.append(StatePrice(rank, number, minor, currency, source))


def paid_price(obj: dict[str, object]) -> StatePrice | None:
    """The price a shopper pays, of the object's own price keys (sale before plain, never a
    list price); ``price_amount`` reads its amount."""
    found: list[StatePrice] = []
    for key, value in obj.items():
        words = key_words(key)
        if _PRICE_WORDS.intersection(words):
            _prices_in(value, words, found, _currency_of(obj), 0, obj)
    if not found:
        return None
    return min(found, key=lambda p: p.rank)


def _priced_part(obj: dict[str, object]) -> dict[str, object] | None:
    """The object if it states a price, else its first child object that does (a master
    variant, a price block): one level deep."""
    if paid_price(obj) is not None:
        return obj
    for value in obj.values():
        if isinstance(value, dict) and paid_price(value) is not None:
            return value
    return None


def stock_of(obj: dict[str, object], depth: int = 0, *, counts: bool = True) -> str | None:
    """The availability of a product or variant object: its stock flags or schema.org-like
    values, else (``counts``) its stock quantity (a flag says more than a count: a quantity
    of 0 beside "backorderable": true can be ordered), one nested object deep."""
    counted: str | None = None
    for key, value in obj.items():
        words = key_words(key)
        stock_key = bool(_STOCK_KEY.search(key))
        if stock_key and isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
            value = value.strip().casefold() in _TRUE
        if stock_key and isinstance(value, bool):
            return "InStock" if value != bool(_NEGATIVE_KEY.search(key)) else "OutOfStock"
        if isinstance(value, str) and (stock_key or "stock" in words or "inventory" in words):
            state = normalize_availability(value.replace("_", " "))
            if state is not None:
                return state
        quantity = stock_key or (
            bool(_QUANTITY_WORDS.intersection(words))
            and (depth > 0 or "stock" in words or "inventory" in words)
        )
        if (
            counts
            and quantity
            and isinstance(value, int)
            and not isinstance(value, bool)
            and value >= 0
        ):
            counted = counted or ("InStock" if value > 0 else "OutOfStock")
        if (
            isinstance(value, dict)
            and depth == 0
            and (stock_key or _QUANTITY_WORDS.intersection(words))
        ):
            state = stock_of(value, depth + 1, counts=counts)
            if state is not None:
                return state
    return counted


def variant_ids(variant: dict[str, object]) -> set[str]:
    """A variant's ids (``VARIANT_ID_KEYS``' string or integer values), stripped and
    casefolded as ``variant_choice.chosen_values`` gives the page's chosen values."""
    return {
        str(value).strip().casefold()
        for k in VARIANT_ID_KEYS
        if isinstance(value := variant.get(k), str | int) and not isinstance(value, bool)
    }


def _is_selected(variant: dict[str, object], selected: frozenset[str]) -> bool:
    if not variant_ids(variant).isdisjoint(selected):
        return True
    attributes = variant.get("attributes")
    if isinstance(attributes, dict) and attributes:
        wanted = [str(v).casefold() for v in attributes.values() if v not in (None, "")]
        return bool(wanted) and all(v in selected for v in wanted)
    return False


def _offer_of(
    candidate: _Candidate,
    root: lxml.html.HtmlElement,
    url: str,
    page_text: str,
    shown_text: Callable[[], str],
) -> StateOffer | None:
    obj = candidate.obj
    members = _variant_list(obj)
    variants: list[tuple[dict[str, object], StatePrice | None]] = [
        (m, paid_price(m)) for m in members
    ]
    selected = chosen_values(root, url) if variants else frozenset()
    chosen = next((v for v in variants if _is_selected(v[0], selected)), None)
    chosen = chosen or next((v for v in variants if stock_of(v[0]) != "OutOfStock"), None)
    chosen = chosen or (variants[0] if variants else None)
    part = _priced_part(obj) or obj
    own = paid_price(part)
    price = chosen[1] if chosen is not None and chosen[1] is not None else own
    if price is None:
        return None
    divisor = _divisor(price, page_text, shown_text)
    offer = StateOffer(name=candidate.name)
    offer.price = _amount(price, divisor)
    offer.currency = price.currency or candidate.currency
    if chosen is not None:
        offer.variant_sku = _shop_id(chosen[0])
    offer.sku = _code_of(obj) or _code_of(part) or offer.variant_sku or _shop_id(obj)
    offer.availability = stock_of(chosen[0]) if chosen is not None else None
    offer.availability = offer.availability or stock_of(obj) or stock_of(part)
    for member, member_price in variants:
        offer.variants.append(
            StateVariant(
                _shop_id(member),
                _amount(member_price, divisor) if member_price is not None else None,
                stock_of(member),
                _name_of(member),
            )
        )
    return offer


def price_amount(price: StatePrice, page_text: str, shown_text: Callable[[], str]) -> str:
    """The amount of a state ``price``, an integer read as cents only on evidence
    (``_divisor``; ``page_text`` the page's source, ``shown_text`` its visible text)."""
    return _amount(price, _divisor(price, page_text, shown_text))


def _amount(price: StatePrice, divisor: int) -> str:
    if price.minor_digits is not None:
        value = price.value.scaleb(-price.minor_digits)
    elif divisor > 1 and price.value == price.value.to_integral_value():
        value = price.value / divisor
        return format(value.quantize(Decimal("0.01")), "f")
    else:
        value = price.value
    return format(value.normalize(), "f")


def _divisor(price: StatePrice, page_text: str, shown_text: Callable[[], str]) -> int:
    """100 when the evidence says an integer price is in cents: the state writes it out
    beside the number divided by 100 (``_written_amounts``), else the page shows it divided
    by 100 and not as it is, or carries a money format that writes cents as amounts. An
    integer nothing speaks for either way stays as it is (JSON writes a whole 129.00 as 129)."""
    if price.minor_digits is not None or price.value != price.value.to_integral_value():
        return 1
    written = _written_amounts(price.source)
    if price.value in written:
        return 1
    if price.value / 100 in written:
        return 100
    shown = _shown_amounts(shown_text())
    if price.value in shown:
        return 1
    if price.value / 100 in shown or _MONEY_FORMAT in page_text:
        return 100
    return 1


def _written_amounts(obj: dict[str, object]) -> set[Decimal]:
    """The amounts an object writes out as text under a price-like key: a formatted price
    or an HTML snippet beside the number ("priceFormatted": "1 299,00 €", "price_html").
    A bare number in a string is data, not written out ("12900" may be the price itself)."""
    texts = [
        value
        for key, value in obj.items()
        if isinstance(value, str)
        and len(value) <= _MAX_WRITTEN
        and _BARE_NUMBER.fullmatch(value) is None
        and _WRITTEN_KEY_WORDS.intersection(key_words(key))
    ]
    return _shown_amounts(" ".join(texts)) if texts else set()


def _shown_amounts(text: str) -> set[Decimal]:
    amounts: set[Decimal] = set()
    for index, match in enumerate(_AMOUNT.finditer(text)):
        if index >= _MAX_SHOWN_AMOUNTS:
            break
        amount, _ = normalize_price(match.group())
        if amount is not None:
            try:
                amounts.add(Decimal(amount))
            except InvalidOperation:
                continue
    return amounts

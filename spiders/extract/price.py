"""Price texts and numbers -> (decimal string, ISO 4217 currency).

Shops write prices in every local convention: ``"1.299,00 €"``, ``"1 099,-"``,
``"$1,299.99"``, ``"CHF 1'299.–"``. The separator rules below decide which mark is
the decimal point from the shape of the digits, not from the shop's country.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlparse

from spiders.raw_fields import month_number

_TABLE = json.loads((Path(__file__).parent / "data" / "currencies.json").read_text("utf-8"))
"""Every currency sign of the Unicode CLDR's locales (``benchmarks/currency_table.py``)."""
# Signs shops write that CLDR's locales do not (local abbreviations and script forms),
# from general knowledge of price writing; the CLDR table covers the rest.
_WRITTEN_FORMS: dict[str, list[str]] = {
    "zl": ["PLN"], "lei": ["RON"], "元": ["CNY"], "円": ["JPY"],
    "тг": ["KZT"], "₵": ["GHS"], "грн": ["UAH"], "J$": ["JMD"], "TT$": ["TTD"],
    "₨": ["INR", "PKR", "LKR", "NPR"], "rs": ["INR", "PKR", "LKR", "NPR", "MUR", "SCR"],
    "TL": ["TRY"], "đ": ["VND"], "원": ["KRW"], "ש״ח": ["ILS"], 'ש"ח': ["ILS"],
    # Rouble abbreviations Russian and Belarusian shops share; Uzbek "so'm" as keyboards
    # write CLDR's "soʻm"; Nepali and Hindi "रु" (CLDR writes "नेरू").
    "р.": ["RUB", "BYN"], "руб.": ["RUB", "BYN"], "руб": ["RUB", "BYN"],
    "so'm": ["UZS"], "so‘m": ["UZS"], "so’m": ["UZS"], "сум": ["UZS"],
    "रु": ["NPR", "INR"], "रू": ["NPR", "INR"],
    # "FCFA" for both CFA francs (CLDR writes it for the Central African one only, "F CFA"
    # for the West African); East African shillings as "Tsh", "Ush" (CLDR "TSh", "USh").
    "FCFA": ["XAF", "XOF"], "Tsh": ["TZS"], "Ush": ["UGX"],
    # The kip and the kyat by their names in Lao and Burmese script (CLDR: "₭", "K").
    "ກີບ": ["LAK"], "ကျပ်": ["MMK"],
}  # fmt: skip
_WRITTEN_DEFAULTS = {"р.": "RUB", "руб.": "RUB", "руб": "RUB", "FCFA": "XAF"}
"""The currency a shared written form means without a country hint."""
_SIGNS: dict[str, list[str]] = {**_TABLE["symbols"], **_WRITTEN_FORMS}
CURRENCY_SYMBOLS: dict[str, str | None] = {
    sign: codes[0] if len(codes) == 1 else {**_TABLE["defaults"], **_WRITTEN_DEFAULTS}.get(sign)
    for sign, codes in _SIGNS.items()
}
"""Sign -> ISO code, None where several currencies share the sign and English names none."""
AMBIGUOUS_CANDIDATES: dict[str, set[str]] = {
    sign: set(codes) for sign, codes in _SIGNS.items() if len(codes) > 1
}
# Country-code TLD -> currency, used only as a hint for ambiguous symbols or bare numbers.
TLD_CURRENCY = {
    "no": "NOK", "se": "SEK", "dk": "DKK", "is": "ISK", "pl": "PLN", "ch": "CHF",
    "uk": "GBP", "in": "INR", "pk": "PKR", "ro": "RON", "cz": "CZK", "hu": "HUF",
    "hr": "EUR", "bg": "BGN", "jp": "JPY", "ca": "CAD", "au": "AUD", "nz": "NZD",
    "br": "BRL", "mx": "MXN", "cl": "CLP", "ar": "ARS", "co": "COP", "tr": "TRY",
    "ru": "RUB", "ua": "UAH", "za": "ZAR", "sg": "SGD", "hk": "HKD", "kr": "KRW",
    "de": "EUR", "fr": "EUR", "it": "EUR", "es": "EUR", "pt": "EUR", "nl": "EUR",
    "be": "EUR", "at": "EUR", "ie": "EUR", "fi": "EUR", "gr": "EUR", "sk": "EUR",
    "si": "EUR", "ee": "EUR", "lv": "EUR", "lt": "EUR", "lu": "EUR", "mt": "EUR",
    "cy": "EUR", "us": "USD", "cn": "CNY", "tw": "TWD", "kz": "KZT", "by": "BYN",
    "vn": "VND", "th": "THB", "id": "IDR", "my": "MYR", "ph": "PHP", "il": "ILS",
    "ae": "AED", "sa": "SAR", "kw": "KWD", "qa": "QAR", "bh": "BHD", "om": "OMR",
    "jo": "JOD", "eg": "EGP", "ma": "MAD", "rs": "RSD", "ge": "GEL", "am": "AMD",
    "az": "AZN", "uz": "UZS", "md": "MDL", "bd": "BDT", "lk": "LKR", "np": "NPR",
    "ng": "NGN", "ke": "KES", "pe": "PEN", "uy": "UYU",
    # ISO 3166 territories with a currency of their own (ISO 4217), or another's (the Faroes
    # and Greenland: DKK; the CFA francs' states); generic-use domains (.me, .io, .tv, .ly,
    # .to, .ws, .fm) are left out: their shops are anywhere.
    "fo": "DKK", "gl": "DKK", "li": "CHF", "ad": "EUR", "mc": "EUR", "sm": "EUR",
    "al": "ALL", "mk": "MKD", "ba": "BAM", "kg": "KGS", "tj": "TJS", "tm": "TMT",
    "mn": "MNT", "la": "LAK", "mm": "MMK", "kh": "KHR", "bn": "BND", "mo": "MOP",
    "mv": "MVR", "bt": "BTN", "af": "AFN", "ir": "IRR", "iq": "IQD", "lb": "LBP",
    "sy": "SYP", "ye": "YER", "dz": "DZD", "tn": "TND", "sd": "SDG", "et": "ETB",
    "tz": "TZS", "ug": "UGX", "rw": "RWF", "zm": "ZMW", "mw": "MWK", "mz": "MZN",
    "ao": "AOA", "na": "NAD", "bw": "BWP", "mu": "MUR", "mg": "MGA", "gh": "GHS",
    "sn": "XOF", "ci": "XOF", "ml": "XOF", "bf": "XOF", "bj": "XOF", "tg": "XOF",
    "ne": "XOF", "cm": "XAF", "ga": "XAF", "cg": "XAF", "td": "XAF", "cf": "XAF",
    "do": "DOP", "gt": "GTQ", "hn": "HNL", "ni": "NIO", "cr": "CRC", "py": "PYG",
    "bo": "BOB", "jm": "JMD", "tt": "TTD", "bb": "BBD", "bs": "BSD", "gy": "GYD",
    "ht": "HTG", "fj": "FJD", "pg": "PGK",
}  # fmt: skip
ISO_CODES = frozenset(_TABLE["codes"])
"""ISO 4217 codes in use (and HRK, on pages saved before 2023)."""
# Codes that are also upper-case English words ("TOP 10", "SOS"): not read from free text.
_WORD_CODES = frozenset({"TOP", "SOS", "CUP", "MOP", "BOB"})
THREE_DECIMAL_CURRENCIES = frozenset(c for c, digits in _TABLE["decimals"].items() if digits == 3)
ZERO_DECIMAL_CURRENCIES = frozenset(c for c, digits in _TABLE["decimals"].items() if digits == 0)
"""Currencies written without minor units (JPY, CLP, ISK): "12.990" in them is 12990."""

# Decimal digits of other scripts as shops write them (Arabic-Indic, Persian, Devanagari,
# Bengali, Thai, Lao, Myanmar, Khmer, full-width), and the Arabic and full-width thousands
# and decimal marks.
_DIGIT_ZEROS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x0ED0, 0x1040, 0x17E0, 0xFF10)
OTHER_DIGITS = "".join(chr(zero + n) for zero in _DIGIT_ZEROS for n in range(10))
_TO_ASCII = str.maketrans(
    OTHER_DIGITS + "\u066c\u066b\uff0c\uff0e", "0123456789" * len(_DIGIT_ZEROS) + ",.,."
)
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u2007\u200a\u2002\u2003]+")
# An amount: digits and marks, a space only between groups of three digits opening it
# ("1 299,00", "12 990"); a space after a decimal part or a mark ends it ("129,99 99,99"
# and "1.299 999" are two amounts, an old and a new price side by side, not one number).
_NUMBER = re.compile(r"(?:\d{1,3}(?: \d{3}(?!\d))+|\d)(?:[\d.,'’]*\d)?(?:[.,](?:-{1,2}|–|—))?")
_ISO_IN_TEXT = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def _is_word_symbol(symbol: str) -> bool:
    """Alphabetic symbols of scripts with spaces between words ("kr", "грн") must stand
    alone; CJK signs ("元") sit between other letters ("100元起")."""
    return symbol.isalpha() and all(ord(ch) < 0x3000 for ch in symbol)


# Signs with a mark or a non-spacing script ("€", "R$", "元", "د.إ") are looked up where their
# first character occurs (a mark, or the start of a word); signs in letters ("kr", "Ft",
# "грн") as whole words. Cheaper than one pattern of all signs, tried at every character.
_MARK_SIGNS: dict[str, list[str]] = {}
for _sign in sorted(CURRENCY_SYMBOLS, key=len, reverse=True):
    if not _is_word_symbol(_sign):
        _MARK_SIGNS.setdefault(_sign[0].casefold(), []).append(_sign)
_MARK_START = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(_MARK_SIGNS) if not c.isalpha()) + "]"
)
_WORD_SIGNS: dict[str, list[str]] = {}
for _sign in CURRENCY_SYMBOLS:
    if _is_word_symbol(_sign):
        _WORD_SIGNS.setdefault(_sign.casefold(), []).append(_sign)
_WORD = re.compile(r"[^\W\d_]+")
# A sign in letters counts only beside an amount ("12 Ft", "Rs. 499"): the same letters
# elsewhere are words ("Le", "DA", "UM") more often than currencies.
_BESIDE_AMOUNT = 3


def _mark_sign_at(text: str, start: int) -> str | None:
    for sign in _MARK_SIGNS.get(text[start].casefold(), ()):
        if text[start : start + len(sign)].casefold() == sign.casefold():
            return sign
    return None


# A day then a month name ("5. Mai", "12 marca"), or a numeric day and month ("12.05.",
# "3/4/2021"): a date, not an amount, whatever letters stand beside it.
_DAY_MONTH_WORD = re.compile(r"\s*\d{1,2}(?:st|nd|rd|th)?\.?\s*([^\W\d_]{3,})")
_NUMERIC_DAY_MONTH = re.compile(r"\s*(\d{1,2})([./-])(\d{1,2})\2")


def is_date_after(text: str, start: int) -> bool:
    """True if ``text`` from ``start`` reads as a date ("5. Mai", "12.05.2021")."""
    numeric = _NUMERIC_DAY_MONTH.match(text, start)
    if numeric is not None:
        low, high = sorted((int(numeric.group(1)), int(numeric.group(3))))
        if 1 <= low <= 12 and high <= 31:
            return True
    day_month = _DAY_MONTH_WORD.match(text, start)
    return day_month is not None and month_number(day_month.group(1)) is not None


# An amount written without its minor units ("1 290,-", "1'299.–") ending just before a word.
_WHOLE_AMOUNT_END = re.compile(r"\d[.,](?:-{1,2}|–|—)\s?$")


def _in_code(text: str, start: int) -> bool:
    """True if the letters at ``start`` continue a code joined to them by "-", "_" or "/"
    ("CG-DB20", "X_LE5"): the middle of a code, not a currency beside an amount."""
    return start >= 2 and text[start - 1] in "-_/" and text[start - 2].isalnum()


def _abbreviation_case(raw: str) -> bool:
    """True for letters cased as an abbreviation, a capital after the first letter beside
    small ones ("KSh" for the table's "Ksh", "TSh"): no word of a sentence is written so."""
    return (
        len(raw) > 2
        and raw[0].isupper()
        and any(ch.isupper() for ch in raw[1:])
        and not raw.isupper()
    )


def _word_sign(text: str, found: re.Match[str]) -> str | None:
    raw = found.group(0)
    if _in_code(text, found.start()):
        return None
    for sign in _WORD_SIGNS.get(raw.casefold(), ()):
        if raw in (sign, sign.upper(), sign.capitalize() if sign.islower() else sign) or (
            _abbreviation_case(raw)
        ):
            before = text[max(0, found.start() - _BESIDE_AMOUNT) : found.start()]
            after = text[found.end() : found.end() + _BESIDE_AMOUNT]
            if any(ch.isdigit() for ch in after) and is_date_after(text, found.end()):
                return None  # "den 5. Mai" is a date: the word is no currency
            if any(ch.isdigit() for ch in before + after):
                return sign
            if _WHOLE_AMOUNT_END.search(text, max(0, found.start() - 6), found.start()):
                return sign  # "1 290,- Kč": the dash of a whole amount stands between
    return None  # "km" is no "KM", "Den" no "ден"; letters away from an amount are words


def _sign_in(text: str) -> str | None:
    """The first currency sign of ``text`` as the table writes it, or None."""
    mark: tuple[int, str] | None = None
    for found in _MARK_START.finditer(text):
        sign = _mark_sign_at(text, found.start())
        if sign is not None:
            mark = (found.start(), sign)
            break
    limit = mark[0] if mark else len(text)
    for found in _WORD.finditer(text):
        if found.start() > limit:
            break
        sign = _word_sign(text, found) or _mark_sign_at(text, found.start())
        if sign is not None:
            return sign  # a word sign first: "kr." reads as "kr"
    return mark[1] if mark else None


def currency_from_url(url: str) -> str | None:
    """Currency a shop's country-code domain suggests (``.no`` -> NOK), or None."""
    host = urlparse(url).hostname or ""
    return TLD_CURRENCY.get(host.rsplit(".", 1)[-1])


# Languages written in one country, whose shops price in its currency: only a hint, as the
# domain's, for a sign several currencies share ("kr") or a bare amount.
_LANGUAGE_CURRENCY = {
    "no": "NOK", "nb": "NOK", "nn": "NOK", "da": "DKK", "sv": "SEK", "is": "ISK",
    "pl": "PLN", "cs": "CZK", "hu": "HUF", "ja": "JPY", "ko": "KRW", "vi": "VND",
    "th": "THB", "he": "ILS", "iw": "ILS", "tr": "TRY", "uk": "UAH", "kk": "KZT",
    "ka": "GEL", "hy": "AMD", "id": "IDR", "el": "EUR", "be": "BYN", "uz": "UZS",
    "mn": "MNT", "ne": "NPR", "si": "LKR", "am": "ETB", "sq": "ALL", "mk": "MKD",
    "sr": "RSD", "bs": "BAM", "az": "AZN", "fa": "IRR", "lo": "LAK", "my": "MMK",
    "ky": "KGS", "fo": "DKK", "tg": "TJS", "tk": "TMT", "dv": "MVR", "dz": "BTN",
}  # fmt: skip


def currency_from_locale(locale: str | None) -> str | None:
    """Currency a page's declared language tag suggests (``nb-NO``, ``sv_FI``: its region;
    ``nb``, ``pl``: a language of one country), or None. For a shop on a domain that names
    no country (``.com``, an address): "kr 499,-" on a Norwegian page is NOK."""
    if not locale:
        return None
    language, _, region = locale.strip().replace("_", "-").partition("-")
    region = region.split("-")[-1].casefold() if region else ""
    if len(region) == 2:
        return TLD_CURRENCY.get("uk" if region == "gb" else region)
    return _LANGUAGE_CURRENCY.get(language.casefold())


_LANGUAGE_READINGS: dict[str, dict[str, str]] = _TABLE.get("languages", {})
"""Shared sign -> CLDR language locale ("zh", "zh_Hant", "sv") -> the code it writes."""
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def _language_keys(locale: str) -> list[str]:
    """CLDR locales to look a language tag up in, most specific first ("zh-Hant-TW" ->
    zh_Hant, zh)."""
    language, *rest = locale.strip().replace("_", "-").split("-")
    language = language.casefold()
    scripts = [part.capitalize() for part in rest if len(part) == 4 and part.isalpha()]
    return [f"{language}_{script}" for script in scripts] + [language]


_SCRIPT_LANGUAGES = ("ja", "ko", "zh")
"""The languages ``language_of_script`` tells."""


def language_of_script(text: str) -> str | None:
    """The language the scripts of a page's text tell without a declared tag: Japanese
    where kana is a third of the Han or more (Japanese prose mixes them; a Chinese page
    may name a Japanese menu entry), Korean where Hangul leads, Chinese where Han alone
    does; None for other scripts."""
    kana, hangul, han = (len(script.findall(text)) for script in (_KANA, _HANGUL, _HAN))
    if hangul > max(kana, han):
        return "ko"
    if kana and kana * 3 >= han:
        return "ja"
    return "zh" if han else None


def currency_from_shared_signs(locale: str | None, text: str) -> str | None:
    """The currency a sign several currencies share reads as in the page's language, when
    the page's ``text`` (its HTML will do) shows such a sign beside an amount and CLDR's
    locale of that language writes it for one currency other than the sign's default: "¥"
    on a Chinese page is CNY (JPY in English). The language is the declared ``locale``,
    else the script of the text (``language_of_script``). None otherwise."""
    keys = _language_keys(locale) if locale else None
    for sign, readings in _LANGUAGE_READINGS.items():
        if not any(key in readings for key in keys or _SCRIPT_LANGUAGES):
            continue  # most languages ("fr", "pl") read the sign as its default
        if sign not in text or not _shown_beside_amount(sign, text):
            continue
        if keys is None:
            language = language_of_script(text)
            if language is None:
                return None
            keys = _language_keys(language)
        code = next((readings[key] for key in keys if key in readings), None)
        if code is not None:
            return code if code != CURRENCY_SYMBOLS[sign] else None
    return None


@functools.lru_cache(maxsize=64)
def _beside_amount(sign: str) -> re.Pattern[str]:
    mark = re.escape(sign)
    if not _is_word_symbol(sign):
        return re.compile(rf"{mark}\s?\d|\d\s?{mark}")
    return re.compile(rf"(?<![^\W\d_]){mark}\.?\s?\d|\d\s?{mark}(?![^\W\d_])")


def _shown_beside_amount(sign: str, text: str) -> bool:
    """True if ``text`` shows ``sign`` right before or after an amount ("¥199", "499 kr"),
    letters in a word of their own ("kr" in "krone" is none)."""
    return _beside_amount(sign).search(text) is not None


def detect_currency(text: str, currency_hint: str | None = None) -> tuple[str | None, str | None]:
    """(ISO code, symbol as found) of the currency a price text names, else the hint."""
    if len(text) <= _REMEMBERED_TEXT:
        return _remembered_currency(text, currency_hint)
    return _currency_of(text, currency_hint)


# Pages repeat their price texts (cards, rows), and one text is asked for its currency by
# the candidate test, the price reading and the ranking's features: short texts' answers
# are remembered (a bounded number of bounded texts, whatever a hostile page holds).
_REMEMBERED_TEXT = 200


@functools.lru_cache(maxsize=4096)
def _remembered_currency(text: str, currency_hint: str | None) -> tuple[str | None, str | None]:
    return _currency_of(text, currency_hint)


def _currency_of(text: str, currency_hint: str | None) -> tuple[str | None, str | None]:
    hint = currency_hint.upper() if currency_hint else None
    iso = _ISO_IN_TEXT.search(text)
    if iso and iso.group(1) in ISO_CODES and iso.group(1) not in _WORD_CODES:
        return iso.group(1), iso.group(1)
    sign = _sign_in(text)
    if sign is None:
        return hint, None
    if hint in AMBIGUOUS_CANDIDATES.get(sign, ()):
        return hint, sign
    code = CURRENCY_SYMBOLS[sign]
    if hint and code and code != hint and _is_word_symbol(sign):
        return hint, None  # letters naming another currency than the page's are a word
    return code, sign


# A minus before the amount, possibly with a currency symbol on either side: "-£5", "£-5".
_NEGATIVE = re.compile(r"^\s*(?:[^\d\s\-\u2212]{1,4}\s*)?[-\u2212]\s*(?:[^\d\s]{1,4}\s*)?\d")
# An exponent right after digits: "1e400", "2.5E+3" (no shop writes prices so).
_EXPONENT = re.compile(r"\d[eE][-+]?\d")
# An amount out of a scale ("3.34/5", "8,5 / 10"): a rating, not a price per five units.
_RATING_FORM = re.compile(r"^\D{0,4}?(\d{1,3}(?:[.,]\d{1,2})?)\s*/\s*(5|10|100)(?![\d.,])")
MAX_PRICE_DIGITS = 15
"""Digits a price's whole part may have; more is an id, a phone number or hostile input."""
MIN_PRICE = Decimal("0.000001")
"""The smallest amount other than 0 that can be a price: a hundredth of the finest minor
unit any currency has (ISO 4217's 4 decimals, CLF). Per-unit prices (0.005 a gram, 0.2345
a kWh) and float noise (9.9900000000000002, 19.989999771118164) stay readable; 0.000000001
is a placeholder or hostile input. Independent of the currency: a price's refusal is decided
before its currency is known."""

PRICE_REFUSALS = {
    "price_exponent_form": "a number in exponent form (1e400) is not a price",
    "price_absurd_magnitude": f"more than {MAX_PRICE_DIGITS} digits before the decimal mark",
    "price_below_any_unit": f"an amount other than 0 under {MIN_PRICE} (a hundredth of the "
    "finest minor unit of any currency)",
    "price_not_finite": "not a finite number (infinity or NaN)",
    "price_rating_form": "an amount out of 5, 10 or 100 (3.34/5) is a rating",
}
"""Why a price text is refused rather than read; validation drops the offer with the reason."""


def price_refusal(value: object, currency: str | None = None) -> str | None:
    """Why ``value`` (a price as found) is refused as a number, or None if it is readable or
    simply holds no number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if value != value or value in (_INF, -_INF):
            return "price_not_finite"
        if abs(value) >= 10.0**MAX_PRICE_DIGITS:
            return "price_absurd_magnitude"
        return "price_below_any_unit" if 0 < abs(value) < _MIN_FLOAT else None
    if isinstance(value, int):
        digits = len(str(value).lstrip("-")) if abs(value) < 10**4000 else 4001
        return "price_absurd_magnitude" if digits > MAX_PRICE_DIGITS else None
    text = str(value)
    if _EXPONENT.search(text):
        return "price_exponent_form"
    rating = _RATING_FORM.match(text)
    if rating and float(rating.group(1).replace(",", ".")) <= float(rating.group(2)):
        return "price_rating_form"
    amount = _first_amount(text, currency)
    if amount is not None and amount.is_finite():
        if amount.adjusted() >= MAX_PRICE_DIGITS:
            return "price_absurd_magnitude"
        if 0 < amount < MIN_PRICE:
            return "price_below_any_unit"
    return None


_INF = float("inf")
_MIN_FLOAT = float(MIN_PRICE)


def is_negative_amount(text: str) -> bool:
    """True if the first amount in ``text`` carries a minus sign ("-19.99", "€ -5", "-£5")."""
    return bool(_NEGATIVE.match(text))


def _amount_match(text: str, sign: str | None) -> re.Match[str] | None:
    """The amount the currency ``sign`` stands beside ("4 payments of $199.75" -> 199.75),
    else the first amount of ``text``."""
    first = _NUMBER.search(text)
    if first is None or not sign:
        return first
    at = text.casefold().find(sign.casefold())
    if at < 0:
        return first
    end = at + len(sign)
    for match in _NUMBER.finditer(text):
        if match.start() >= end and not text[end : match.start()].strip():
            return match  # the sign before the amount: "$ 12", "kr 1 299,-"
        if match.end() <= at and not text[match.end() : at].strip():
            return match  # the sign after it: "12,99 €"
        if match.start() > end:
            break
    return first


def amounts_side_by_side(text: str) -> bool:
    """True if ``text`` shows two amounts with nothing but spaces between ("129,99 99,99 zł",
    "1.299 999 €"): two prices side by side (an old and a new one), not one amount; one
    amount grouped by spaces ("1 299,00 zł") is one."""
    spaced = _SPACES.sub(" ", text.translate(_TO_ASCII))
    return any(
        not spaced[first.end() : second.start()].strip()
        for first, second in itertools.pairwise(_NUMBER.finditer(spaced))
    )


_COUNT = re.compile(r"[0-9]{1,2}")


def counts_before_amount(text: str) -> bool:
    """True if a count stands before the amount the currency sign marks ("4 payments of
    $199.75", "3 x 19,99 €", "2 for £5"): an instalment's or a multi-buy's amount, not
    the product's price."""
    spaced = _SPACES.sub(" ", text.translate(_TO_ASCII))
    first = _NUMBER.search(spaced)
    if first is None or not _COUNT.fullmatch(first.group(0)):
        return False
    chosen = _amount_match(spaced, detect_currency(spaced)[1])
    return chosen is not None and chosen.start() > first.start()


def _is_bare_fraction(text: str, match: re.Match[str], sign: str | None) -> bool:
    """True for the cents of an amount written without its zero: "$.99", ".50 €"."""
    start = match.start()
    if start == 0 or text[start - 1] not in ".," or len(match.group(0)) != 2:
        return False
    before = text[: start - 1].rstrip()
    return not before or bool(sign and before.casefold().endswith(sign.casefold()))


def _first_amount(text: str, currency: str | None, sign: str | None = None) -> Decimal | None:
    spaced = _SPACES.sub(" ", text)
    match = _amount_match(spaced, sign)
    if not match:
        return None
    if _is_bare_fraction(spaced, match, sign):
        return Decimal("0." + match.group(0))
    number = re.sub(r"[.,](?:-{1,2}|–|—)$", "", match.group(0)).strip()
    number = number.replace("’", "'")
    decimals = 3 if currency in THREE_DECIMAL_CURRENCIES else 2
    try:
        return Decimal(_unify_separators(number, decimals))
    except InvalidOperation:
        return None


def parse_amount(text: str, currency: str | None = None, sign: str | None = None) -> str | None:
    """The first amount in ``text`` (the one beside the currency ``sign`` where it stands
    beside one) as a plain decimal string (no sign), or None.

    None also when the amount is refused (``price_refusal``): exponent forms, absurd
    magnitudes.
    """
    if price_refusal(text, currency) is not None:
        return None
    amount = _first_amount(text, currency, sign)
    if amount is None or not amount.is_finite() or amount < 0:
        return None
    return format(amount, "f")


def _unify_separators(number: str, decimals: int) -> str:
    number = number.replace("'", "").replace(" ", "")
    has_dot, has_comma = "." in number, "," in number
    if has_dot and has_comma:
        decimal_mark = "." if number.rfind(".") > number.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        return number.replace(thousands, "").replace(decimal_mark, ".")
    mark = "." if has_dot else "," if has_comma else None
    if mark is None:
        return number
    head, _, tail = number.rpartition(mark)
    if number.count(mark) > 1:
        # "1.299.000" is grouping; "1.299.00" (rare) keeps the last mark as decimal.
        if len(tail) == 3:
            return number.replace(mark, "")
        return head.replace(mark, "") + "." + tail
    if len(tail) == 3 and decimals != 3 and head != "0":
        return head + tail  # "1.299" / "1,299": a thousands separator
    return head + "." + tail


def _decimal_string(number: str, *, signed: bool = False) -> str | None:
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if not value.is_finite() or (value < 0 and not signed):
        return None
    if value.adjusted() >= MAX_PRICE_DIGITS:
        return None
    return format(value, "f")


def normalize_price(
    text: str | float | int | None, currency_hint: str | None = None, *, keep_sign: bool = False
) -> tuple[str | None, str | None]:
    """(decimal string, ISO 4217 code) for a price as written on a page or in markup.

    ``currency_hint`` (an ISO code, e.g. from ``priceCurrency`` or the domain) decides
    ambiguous symbols like ``kr`` and ``$`` and is returned when the text names none.
    With ``keep_sign`` (markup and imports, where a number is a number) a negative amount
    keeps its minus, so that validation rejects it instead of storing its opposite;
    otherwise (visible page text, where "-20%" is a discount) it is no price. Exponent
    forms, non-finite numbers and absurd magnitudes are never read (``price_refusal``).
    """
    hint = currency_hint.strip().upper() if currency_hint and currency_hint.strip() else None
    if text is None or isinstance(text, bool) or price_refusal(text) is not None:
        return None, hint
    if isinstance(text, int | float):
        if text < 0 and not keep_sign:
            return None, hint
        return _decimal_string(str(text), signed=keep_sign), hint
    text = str(text).strip().translate(_TO_ASCII)
    if not text:
        return None, hint
    currency, sign = detect_currency(text, hint)
    amount = parse_amount(text, currency, sign)
    if amount is not None and keep_sign and is_negative_amount(text):
        amount = "-" + amount
    return amount, currency


def minor_units_to_decimal(value: str | int, exponent: int = 2) -> str | None:
    """``12999`` cents -> ``"129.99"``: for markup that states prices in minor units."""
    try:
        amount = Decimal(str(value).strip()).scaleb(-exponent)
    except InvalidOperation:
        return None
    return format(amount, "f") if amount.is_finite() and amount >= 0 else None

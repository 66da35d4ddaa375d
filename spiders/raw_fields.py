"""Normalisation of raw review fields: text, ratings and dates.

Prices and availability are normalised by ``spiders.extract.price`` and
``spiders.extract.availability``; this module covers what reviews need. It is the one
place ratings are read and put on 0..1, for the auto extractor (which infers missing
scales) and the pipeline (which validates them) alike.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from lxml.html import defs as html_defs

from settings.languages import LANGUAGES, registered_language

_STARS_FULL = "★⭐✭✮✯✰"
_STARS_EMPTY = "☆✩"
_NUMBER = r"(\d+(?:[.,]\d+)?)"
# "4/5", "8 out of 10" and the same in fr/pl/no/sv/de/it/es/pt/nl/da.
_OUT_OF = re.compile(
    rf"{_NUMBER}\s*(?:/|out of|of|sur|na|z|av|von|su|de|op|ud af)\s*{_NUMBER}", re.IGNORECASE
)
_PERCENT = re.compile(rf"{_NUMBER}\s*%")
_FIRST_NUMBER = re.compile(_NUMBER)
EXPONENT_FORM = re.compile(r"[-+\u2212]?\d+(?:[.,]\d+)?[eE][-+]?\d+")
""""1e400" as a whole text: hostile or a float dump, never a rating (its first digit is not one)."""

DATE_LANGUAGES = tuple(entry.dates for entry in LANGUAGES if entry.dates)
"""dateparser's codes of the registered languages: relative dates are read in these only."""


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace, drop control characters; ``None`` for empty text."""
    if value is None:
        return None
    if value.isprintable():
        # Printable text's only whitespace is the ASCII space: already clean unless spaces
        # double or frame it (most review texts, kept as they are: no split and join).
        if "  " not in value and value[:1] != " " and value[-1:] != " ":
            return value or None
    else:
        # Printable text (most of it) has no control character; only the rest is scanned
        # per character (isprintable is also False for tabs, newlines and other spaces).
        value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\n\t ")
    # str.split() splits on exactly the characters re's \s matches (str.isspace), four times
    # faster than a regular expression on a review-length text.
    value = " ".join(value.split())
    return value or None


_MARKUP = re.compile(r"<[a-zA-Z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
"""A tag or a character reference: the text may be HTML, not plain text."""
_TAG_START = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_HTML_TAGS = frozenset(html_defs.tags) | {
    "template", "main", "picture", "dialog", "slot", "data", "search", "frame", "noframes",
}  # fmt: skip
"""HTML's element names (lxml's list, and HTML5's it lacks); a name with a hyphen is a
custom element."""


def _is_tag(found: re.Match[str]) -> bool:
    name = found.group(2).lower()
    return name in _HTML_TAGS or "-" in name


def _words_in_angles(value: str) -> str:
    """``value`` with each "<" that opens no HTML element written as "&lt;": a customer's
    "<gratis frakt>" or "<vi ringer deg>" is text, which the parser dropped as an unknown
    tag (met by a QA walk on an imported review export)."""
    return _TAG_START.sub(lambda m: m.group(0) if _is_tag(m) else "&lt;" + m.group(0)[1:], value)


_BLOCK_TAGS = ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def markup_to_text(value: str | None) -> str | None:
    """Review text that arrived as HTML (``reviewBody`` with ``<br>``, ``&amp;``, a stray
    ``<p>``), as plain text: parsed leniently by Beautiful Soup (unclosed or broken tags
    are fine), scripts and styles dropped, block elements kept apart by a space. Text
    without markup is returned unchanged ("5 < 6", "I <3 it" stay as they are)."""
    if value is None or ("<" not in value and "&" not in value) or not _MARKUP.search(value):
        return value
    if "&" not in value and "<!" not in value and not any(map(_is_tag, _TAG_START.finditer(value))):
        return value  # angle brackets around words, no element: plain text
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_words_in_angles(value), "html.parser")
    for element in soup(["script", "style", "template"]):
        element.decompose()
    for element in soup(list(_BLOCK_TAGS)):
        element.insert_before(" ")
    return soup.get_text()


def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


_PLAIN_NUMBER = re.compile(r"^[-+\u2212]?\d{1,15}(?:[.,]\d{1,15})?$")
MAX_NUMBER = 1e15
"""Larger numbers in ratings and scales are ids or hostile input, never a rating."""


def plain_number(value: object) -> float | None:
    """A number as markup or a field writes it, with its sign (``"-3"`` -> -3.0, ``"4,5"`` ->
    4.5); None for exponent forms (``"1e400"``), non-finite values and absurd magnitudes."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value) if abs(value) < MAX_NUMBER else None
        return number if number is not None and math.isfinite(number) else None
    text = str(value).strip()
    if not _PLAIN_NUMBER.match(text):
        return None
    return float(text.replace(",", ".").replace("\u2212", "-"))


def rating_out_of(text: str) -> tuple[float, float] | None:
    """(rating, best) of "4/5", "8 out of 10", "4,5 sur 5", "3 av 6", "2 na 5", "4 de 5"."""
    match = _OUT_OF.search(text)
    return (_to_float(match.group(1)), _to_float(match.group(2))) if match else None


def _star_counts(text: str) -> tuple[int, int]:
    """(full stars, empty stars) written in ``text``."""
    return sum(text.count(s) for s in _STARS_FULL), sum(text.count(s) for s in _STARS_EMPTY)


def parse_rating(raw: object, best_hint: float | None = None) -> tuple[float | None, float | None]:
    """(rating, best) from a rating as pages show it; best is the stated one, else the hint.

    ``"4"`` -> (4, hint); ``"4/5"``, ``"8 out of 10"``, ``"4,5 sur 5"`` -> the pair;
    ``"★★★★☆"`` -> (4, 5); ``"80%"`` -> (80, 100); ``"-1"`` -> (-1, hint): the sign is kept
    so that validation refuses the rating instead of storing its opposite (a dash joined to
    a word or a number before it, "A-4" or "4-5", is no sign). An exponent form
    (``"1e400"``, not 1) is no rating. Unknown -> (None, None).
    """
    if raw is None or isinstance(raw, bool):
        return None, None
    if isinstance(raw, int | float):
        number = plain_number(raw)  # no infinity, NaN or 1e300 as a rating
        return (number, best_hint) if number is not None else (None, None)
    if not isinstance(raw, str) or not raw.strip():
        return None, None
    text = raw.strip()
    if EXPONENT_FORM.fullmatch(text):
        return None, None
    full, empty = _star_counts(text)
    if full or empty:
        return float(full), float(full + empty) if empty else (best_hint or 5.0)
    pair = rating_out_of(text)
    if pair is not None:
        return pair
    match = _PERCENT.search(text)
    if match:
        return _to_float(match.group(1)), 100.0
    match = _FIRST_NUMBER.search(text)
    if match:
        number = _to_float(match.group(1))
        start = match.start(1)
        signed = start > 0 and text[start - 1] in "-\u2212"
        if signed and (start == 1 or not text[start - 2].isalnum()):
            number = -number
        return number, best_hint
    return None, None


_STARS_ONLY = re.compile(rf"[{_STARS_FULL}{_STARS_EMPTY}\s]+")


@lru_cache(maxsize=1)
def _trailing_star_noun() -> re.Pattern[str]:
    """A star noun of any language ("stars", "étoiles", "gwiazdek", "stjerner") ending a
    field after a number: ``spiders.extract.rating_words`` keeps them."""
    from spiders.extract.rating_words import WORDS

    nouns = sorted({n for words in WORDS.values() for n in words.stars}, key=len, reverse=True)
    return re.compile(rf"(?<=[\d\s])\s*(?:{'|'.join(map(re.escape, nouns))})\s*$", re.IGNORECASE)


def written_rating(text: str) -> tuple[float, float | None] | None:
    """(rating, stated best) of a whole field that is nothing but a rating: "4", "4,5",
    "4/5", "8 out of 10", "80%", "★★★★☆", each maybe followed by a star noun ("2 étoiles",
    "4 av 5 stjerner"); None for anything else ("4 stjerner og mer", "A-4"), so that a
    file's column is read strictly where a page's text is read leniently."""
    number = plain_number(text)
    if number is not None:
        return number, None
    text = text.strip()
    without_noun = _trailing_star_noun().sub("", text)
    if without_noun != text and without_noun:
        return written_rating(without_noun)
    if _STARS_ONLY.fullmatch(text):
        full, empty = _star_counts(text)
        return float(full), float(full + empty) if empty else None
    if _OUT_OF.fullmatch(text):
        return rating_out_of(text)
    if _PERCENT.fullmatch(text):
        return _to_float(text.rstrip("% ")), 100.0
    return None


def parse_number(value: object) -> float | None:
    """A plain number from markup (``"4,5"`` -> 4.5, ``5`` -> 5.0); None if there is none."""
    return parse_rating(value)[0]


def default_worst(best: float) -> float:
    """The bottom of a scale the page does not state: 1 on star-like scales (best <= 10, as
    schema.org's worstRating), 0 on percentages. "0 of 5" is then out of scale."""
    return 1.0 if best <= 10 else 0.0


SCALE_REFUSALS = {
    "best_rating_not_positive": "a review's stated best rating was 0 or below: its scale "
    "was inferred as if none was stated (review kept)",
}
"""Why a stated best rating is no scale (``scale_refusal``), with what the crawl does."""


def scale_refusal(best: float | None) -> str | None:
    """Why ``best``, as a page states it, is no rating scale (a key of ``SCALE_REFUSALS``),
    or None. A best of 0 or less is none; a best below the rating is kept, so that "7" of a
    stated 5 stays out of scale for validation to drop (the demo plants it as absurd)."""
    return "best_rating_not_positive" if best is not None and best <= 0 else None


def infer_scale(
    rating: float | None, best: float | None, worst: float | None
) -> tuple[float, float]:
    """(best, worst) of a rating whose page may not state its scale.

    A stated best is kept whatever the rating, so that "7" of a stated 5 stays out of
    scale for validation to drop; its worst is the stated one, else ``default_worst``.
    Without a stated best, or one of 0 or below (``scale_refusal``): the smallest usual
    scale holding the rating, 5 (from 1), or 10 or 100 (scores, from 0); a rating below 1
    means the scale starts at 0.
    """
    if best is not None and scale_refusal(best) is None:
        return best, worst if worst is not None and worst < best else default_worst(best)
    if rating is None or rating <= 5:
        best = 5.0
    elif rating <= 10:
        best = 10.0
    else:
        best = 100.0
    if worst is None or worst >= best:
        worst = 0.0 if best >= 10 or (rating is not None and rating < 1) else 1.0
    return best, worst


def normalize_rating(
    rating: float | None, best: float | None, worst: float | None
) -> tuple[float | None, float | None]:
    """(normalised 0..1, worst used). ``None`` if there is no rating or the scale is degenerate.

    A missing worst is ``default_worst(best)``. Values outside the scale are returned
    unclipped (7 of 5 -> 1.5) so that validation can reject them.
    """
    if rating is None or best is None:
        return None, worst
    if worst is None:
        worst = default_worst(best)
    if best <= worst:
        return None, worst
    return (rating - worst) / (best - worst), worst


_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")

# Month names (and their inflected and abbreviated forms) of the languages reviews come in,
# so the common "12. mars 2026" / "5 lutego 2026" / "March 3, 2026" skip dateparser, which
# costs about 2 ms a call.
# The written dates the extraction heuristics look for (``find_date``) and the price guard
# (``month_number``) read this list; the review date parser reads ``MONTH_TABLE`` after it.
# (Reading the table there too changes extraction: it awaits the extraction benchmarks.)
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janvier janv janeiro januar janvier styczen stycznia sty gennaio gen enero ene januari ianuarie ian",
        "february feb fevrier févr février luty lutego lut februar febbraio febrero februari fevereiro fev februarie",
        "march mar mars marzec marca märz marzo maart mrt março marco martie",
        "april apr avril avr kwiecien kwiecień kwietnia kwi aprile abril aprilie",
        "may mai maj maja maggio mag mayo mei maio",
        "june jun juin czerwiec czerwca cze juni giugno giu junio junho iunie iun",
        "july jul juil juillet lipiec lipca lip juli luglio lug julio julho iulie iul",
        "august aug aout août sierpien sierpień sierpnia sie agosto ago augustus",
        "september sep sept septembre wrzesien wrzesień września wrz settembre set septiembre setembro septembrie",
        "october oct octobre pazdziernik październik października paź okt oktober ottobre ott octubre outubro out octombrie",
        "november nov novembre listopad listopada lis noviembre novembro noiembrie",
        "december dec déc decembre décembre grudzien grudzień grudnia gru des desember dez dezember dicembre dic diciembre dezembro decembrie",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)


MONTH_TABLE = Path(__file__).parent / "extract" / "data" / "month_names.json"
"""Month names per language (``benchmarks/month_table.py``, from the CLDR data dateparser
ships): the review date parser reads day-month-year, month-day-year and year-month-day
("2026. március 4.") dates with them in every language of the table."""


@lru_cache(maxsize=1)
def _table_months() -> dict[str, int]:
    numbers: dict[str, int] = {}
    for table in json.loads(MONTH_TABLE.read_text(encoding="utf-8")).values():
        for number, names in enumerate(table, 1):
            for name in names:
                numbers.setdefault(name, number)
    return numbers


RELATIVE_TABLE = Path(__file__).parent / "extract" / "data" / "relative_dates.json"
"""How each language dateparser ships writes a day, week, month or year before today
(``benchmarks/relative_table.py``, from its CLDR data): "há # dias", "#日前", "ontem"."""

_TABLE_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _table_relatives() -> tuple[
    dict[str, str], dict[str, tuple[int, str]], dict[str, set[str]], dict[str, dict[str, str]]
]:
    """The relative date table as lookups: form -> unit, phrase -> (number, unit), "ago" word
    -> its languages, unit word -> {language: unit}."""
    forms: dict[str, str] = {}
    words: dict[str, tuple[int, str]] = {}
    ago: dict[str, set[str]] = {}
    units: dict[str, dict[str, str]] = {}
    table = json.loads(RELATIVE_TABLE.read_text(encoding="utf-8"))
    for unit, written in table["forms"].items():
        for form in written:
            forms.setdefault(form, unit)
    for key, phrases in table["words"].items():
        number, unit = key.split()
        for phrase in phrases:
            words.setdefault(phrase, (int(number), unit))
    for language, written in table["ago"].items():
        for word in written:
            ago.setdefault(word, set()).add(language)
    for language, named in table["units"].items():
        for unit, written in named.items():
            for word in written:
                units.setdefault(word, {}).setdefault(language, unit)
    return forms, words, ago, units


def _table_relative(raw: str) -> tuple[int, str] | None:
    """(number, unit) of a day, week, month or year before today written as the relative date
    table writes it in some language ("há 5 dias": (5, "day"); "منذ شهر": (1, "month")), else
    None. The whole text must be one: a relative date in a sentence is not read."""
    text = " ".join(raw.casefold().replace(".", " ").split())
    numbers = _TABLE_NUMBER.findall(text)
    if len(numbers) > 1:
        return None
    number = int(numbers[0]) if numbers else 1
    forms, words, ago, units = _table_relatives()
    if numbers:
        key = _TABLE_NUMBER.sub("#", text)
        unit = forms.get(key) or forms.get(key.replace("# ", "#").replace(" #", "#"))
        if unit is not None:
            return number, unit
    elif text in words:
        return words[text]
    # one "ago" word and one unit word of the same language, a number or none: "منذ شهر"
    tokens = [t for t in _TABLE_NUMBER.sub(" ", text).split()]
    if len(tokens) != 2:
        return None
    for first, second in (tokens, tokens[::-1]):
        languages = ago.get(first, set())
        for language, unit in units.get(second, {}).items():
            if language in languages:
                return number, unit
    return None


def month_number(word: str) -> int | None:
    """1-12 for a month name or its abbreviation in any of the table's languages
    ("Mai", "maja", "déc."), else None."""
    return _MONTHS.get(word.casefold().rstrip("."))


# Searched, not anchored: review lists write "Reviewed on 12 March 2024", "Publié le ...".
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})(?!\d)"
)
_MONTH_DAY_YEAR = re.compile(
    r"(?<![^\W\d_])([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)"
)
_YEAR_NAMED_MONTH_DAY = re.compile(
    r"(?<![\d.])(\d{4})\.?\s+([^\W\d_]+)\.?\s+(\d{1,2})(?:\.|(?![\d.]))"
)
_YEAR_MONTH_DAY = re.compile(r"(?<![\d./-])(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?![\d./-])")
_BARE_NUMBER = re.compile(r"\s*[-+]?\d{1,9}(?:[.,]\d+)?\s*")
"""A number alone, which dateparser would read as a day or month of this year ("-1" -> 1
January, "2024" -> today's day in 2024). Ten digits and more stay: epoch timestamps."""
_NUMERIC_DATE = re.compile(r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d./-])")
# Languages that write numeric dates day first (03/12/2024 is 3 December) ...
_DAY_FIRST_LANGUAGES = frozenset(
    {"fr", "pl", "no", "nb", "nn", "de", "it", "es", "nl", "da", "pt", "cs", "sk", "fi", "ro"}
)
# ... and English by region: en-US writes month first, en-GB day first, plain "en" is unclear.
_DAY_FIRST_ENGLISH = frozenset({"GB", "UK", "IE", "AU", "NZ", "IN", "ZA"})
_MONTH_FIRST_ENGLISH = frozenset({"US", "PH"})


def day_first(language: str | None) -> bool | None:
    """True if the language (``"fr"``, ``"en-GB"``) writes numeric dates day first, False
    if month first, None if it is not clear (no language, plain ``"en"``)."""
    if not language:
        return None
    base, _, region = language.replace("_", "-").partition("-")
    base, region = base.lower(), region.upper()
    if base in _DAY_FIRST_LANGUAGES:
        return True
    if base == "en" and region in _DAY_FIRST_ENGLISH:
        return True
    if base == "en" and region in _MONTH_FIRST_ENGLISH:
        return False
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_NAMED_SHAPES = ((_DAY_MONTH_YEAR, (0, 1, 2)), (_MONTH_DAY_YEAR, (1, 0, 2)))
"""Day-month-year and month-day-year, each with the order of its (day, month, year) groups."""
_TABLE_SHAPES = (*_NAMED_SHAPES, (_YEAR_NAMED_MONTH_DAY, (2, 1, 0)))
"""... and year-month-day ("2026. március 4."), read with the month table."""


def _month_name_date(
    raw: str, months: dict[str, int], shapes: tuple[tuple[re.Pattern[str], tuple[int, ...]], ...]
) -> date | bool | None:
    """The first date of one of ``shapes`` whose month ``months`` names; False if none."""
    for pattern, order in shapes:
        for match in pattern.finditer(raw):
            day, month_name, year = (match.group(i + 1) for i in order)
            month = months.get(month_name.casefold())
            if month is not None:
                return _date(int(year), month, int(day))
    return False


def _named_month_date(raw: str) -> date | bool | None:
    """The first day-month-year or month-day-year with a known month name; False if none."""
    return _month_name_date(raw, _MONTHS, _NAMED_SHAPES)


def _numeric_date(raw: str, language: str | None) -> date | bool | None:
    """The date of a numeric text; False if there is none; None if it is invalid or its
    day/month order is unclear (both parts <= 12, no dots, language not telling)."""
    match = _YEAR_MONTH_DAY.search(raw)
    if match:
        return _date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    match = _NUMERIC_DATE.search(raw)
    if not match:
        return False
    first, separator, second, year_text = match.groups()
    a, b, year = int(first), int(second), int(year_text)
    year += 2000 if len(year_text) == 2 else 0
    if a > 12 or a == b:
        return _date(year, b, a)
    if b > 12:
        return _date(year, a, b)
    # Dotted dates (12.03.2024) are day first wherever they are written.
    order = True if separator == "." else day_first(language)
    if order is None:
        return None
    return _date(year, b, a) if order else _date(year, a, b)


def _written_date(text: str, language: str | None) -> date | bool | None:
    """ISO, then month-name, then numeric; False if the text holds none of them."""
    match = _ISO_DATE.match(text)
    if match:
        return _date(*(int(part) for part in match.group(1).split("-")))
    named = _named_month_date(text)
    return named if named is not False else _numeric_date(text, language)


MAX_CACHED_DATE = 64
"""Review dates up to this length are read once per run (files and pages repeat them)."""
_short_written_date = lru_cache(maxsize=4096)(_written_date)


def find_date(text: str | None, language: str | None = None) -> date | None:
    """A date written in ``text``: ISO, a month name in one of our languages ("12 March 2024",
    "12. mars 2024", "12 marca 2024", "March 12, 2024") or numeric ("03/12/2024", day/month
    order from ``language`` when both could be either; None if that is unclear)."""
    found = _written_date(text, language) if text else None
    return found if isinstance(found, date) else None


@lru_cache(maxsize=4096)
def is_numeric_date(raw: str) -> bool:
    """True for a bare numeric date such as ``03/04/2026`` (whose order a language decides)."""
    return _NUMERIC_DATE.fullmatch(raw.strip()) is not None


def key_date(raw: str | None) -> str | None:
    """A review's date as its content key takes it: a written date as written; none for
    other text, such as a relative date ("2 days ago", "i går"), which says another thing on
    each day's crawl. With it in the key, every crawl of a site that writes relative dates
    stored each of its reviews again (three crawls: three copies)."""
    if not raw:
        return None
    read = _short_written_date if len(raw) <= MAX_CACHED_DATE else _written_date
    return raw if read(raw, None) is not False else None


def parse_review_date(raw: str | None, language: str | None = None) -> date | None:
    """A review's publication date from any of our languages' formats.

    Written dates are read directly (``find_date``: no guess when a numeric date's
    day/month order is unclear), then with a month name of any language of the month table
    (``MONTH_TABLE``); other text ("2 days ago", "hier") goes through
    dateparser (cached, because review lists repeat the same dates). Unparseable -> None.
    """
    if not raw:
        return None
    found = (
        _short_written_date(raw, language)
        if len(raw) <= MAX_CACHED_DATE
        else _written_date(raw, language)
    )
    if found is not False:
        return found if isinstance(found, date) else None
    if _BARE_NUMBER.fullmatch(raw):
        return None
    # Hungarian, Turkish, Czech...: month names of languages dateparser is not asked in
    named = _month_name_date(raw, _table_months(), _TABLE_SHAPES)
    if named is not False:
        return named if isinstance(named, date) else None
    found_date = _dateparser_date(raw, language)
    relative = _table_relative(raw) if found_date is None and len(raw) <= MAX_CACHED_DATE else None
    if relative is not None:
        # in any language of the relative date table, read as dateparser reads English
        number, unit = relative
        return _dateparser_date(f"{number} {unit}s ago", "en")
    return found_date


@lru_cache(maxsize=4096)
def is_relative_date(raw: str | None, language: str | None = None) -> bool:
    """A date written as a time before the day it is read ("2 months ago", "il y a 2 mois",
    "vor 3 Tagen"), in any of our languages: read from a day one later, it is one day
    later, and before that day. (dateparser reads much as a date: "5 from" as 5 o'clock
    of the day it is read from; a written date does not move.)"""
    if not raw or _BARE_NUMBER.fullmatch(raw) or find_date(raw, language) is not None:
        return False
    if len(raw) <= MAX_CACHED_DATE and _table_relative(raw) is not None:
        return True
    one = _dateparser_date(raw, language, _RELATIVE_BASE)
    two = _dateparser_date(raw, language, _RELATIVE_BASE + timedelta(days=1))
    # (``base`` keeps the day of the month: "2 months ago" is not put on the 1st.)
    # Not the day it is read from: a time alone ("5" read as 5 o'clock) moves with it too.
    return (
        one is not None
        and two is not None
        and (two - one).days == 1
        and one < _RELATIVE_BASE.date()
    )


# Any day does.
_RELATIVE_BASE = datetime(2001, 1, 15, 12)


def _dateparser_date(raw: str, language: str | None, base: datetime | None = None) -> date | None:
    """dateparser's date of ``raw`` in ``language`` (else our languages), relative dates
    from ``base`` (its day of the month kept where a date names none), else from now (the
    1st)."""
    import dateparser

    registered = registered_language(language)
    languages = [registered.dates] if registered and registered.dates else list(DATE_LANGUAGES)
    settings: dict[str, object] = {
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if base is not None:
        settings.update(RELATIVE_BASE=base, PREFER_DAY_OF_MONTH="current")
    with warnings.catch_warnings():
        # dateparser emits deprecation warnings from its regex/tz helpers on some inputs.
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(raw, languages=languages, settings=settings)
        if parsed is None and len(languages) == 1:
            # Only our languages: dateparser with every locale takes seconds per miss.
            parsed = dateparser.parse(raw, languages=list(DATE_LANGUAGES), settings=settings)
    if isinstance(parsed, datetime):
        return parsed.date()
    return None

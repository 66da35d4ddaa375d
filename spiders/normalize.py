"""Normalisation of raw review fields: text, ratings and dates.

Prices and availability are normalised by ``spiders.extract.price`` and
``spiders.extract.availability``; this module covers what reviews need.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from datetime import date, datetime
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_STARS_FULL = "★⭐✭✮✯✰"
_STARS_EMPTY = "☆✩"
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_OUT_OF = re.compile(rf"{_NUMBER}\s*(?:/|out of|sur|na|av|z|von|su|of)\s*{_NUMBER}", re.IGNORECASE)
_PERCENT = re.compile(rf"{_NUMBER}\s*%")
_FIRST_NUMBER = re.compile(_NUMBER)

DATE_LANGUAGES = ("en", "fr", "pl", "nb", "de", "it", "es", "nl", "sv", "da")


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace, drop control characters; ``None`` for empty text."""
    if value is None:
        return None
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\n\t ")
    value = _SPACE.sub(" ", value).strip()
    return value or None


def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


def parse_rating(
    raw: str | float | int | None, best_hint: float | None = None
) -> tuple[float | None, float | None]:
    """(rating, best) from a rating as pages show it.

    ``"4"`` -> (4, hint or 5); ``"4/5"``, ``"8 out of 10"``, ``"4,5 sur 5"`` -> the pair;
    ``"★★★★☆"`` -> (4, 5); ``"80%"`` -> (80, 100). Unknown -> (None, None).
    """
    if raw is None or isinstance(raw, bool):
        return None, None
    if isinstance(raw, int | float):
        return float(raw), best_hint
    text = raw.strip()
    if not text:
        return None, None
    full = sum(text.count(s) for s in _STARS_FULL)
    empty = sum(text.count(s) for s in _STARS_EMPTY)
    if full or empty:
        return float(full), float(full + empty) if empty else (best_hint or 5.0)
    match = _OUT_OF.search(text)
    if match:
        return _to_float(match.group(1)), _to_float(match.group(2))
    match = _PERCENT.search(text)
    if match:
        return _to_float(match.group(1)), 100.0
    match = _FIRST_NUMBER.search(text)
    if match:
        return _to_float(match.group(1)), best_hint
    return None, None


def normalize_rating(
    rating: float | None, best: float | None, worst: float | None
) -> tuple[float | None, float | None]:
    """(normalised 0..1, worst used). ``None`` if there is no rating or the scale is degenerate.

    A missing worst is 1 on star-like scales (best <= 10) and 0 otherwise (percentages).
    Values outside the scale are returned unclipped so validation can reject them.
    """
    if rating is None or best is None:
        return None, worst
    if worst is None:
        # Star scales start at 1 unless the page says otherwise; "0 of 5" is then invalid.
        worst = 1.0 if best <= 10 else 0.0
    if best <= worst:
        return None, worst
    return (rating - worst) / (best - worst), worst


_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")

# Month names (and their inflected and abbreviated forms) of the languages reviews come in,
# so the common "12. mars 2026" / "5 lutego 2026" / "March 3, 2026" skip dateparser, which
# costs about 2 ms a call.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janvier janv janeiro januar janvier styczen stycznia sty gennaio gen enero ene januari",
        "february feb fevrier févr février luty lutego lut februar febbraio febrero februari",
        "march mar mars marzec marca märz marzo maart",
        "april apr avril kwiecien kwiecień kwietnia kwi aprile abril",
        "may mai maj maja maggio mayo mei",
        "june jun juin czerwiec czerwca cze juni giugno junio",
        "july jul juil juillet lipiec lipca lip juli luglio julio",
        "august aug aout août sierpien sierpień sierpnia sie agosto augustus",
        "september sep sept septembre wrzesien wrzesień września wrz settembre septiembre",
        "october oct octobre pazdziernik październik października paź okt oktober ottobre octubre",
        "november nov novembre listopad listopada lis noviembre",
        "december dec decembre décembre grudzien grudzień grudnia gru des desember dezember dicembre diciembre",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})\s*$")
_MONTH_DAY_YEAR = re.compile(r"^\s*([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\s*$")


def _named_month_date(raw: str) -> date | None:
    match = _DAY_MONTH_YEAR.match(raw)
    if match:
        day, month_name, year = match.groups()
    else:
        match = _MONTH_DAY_YEAR.match(raw)
        if not match:
            return None
        month_name, day, year = match.groups()
    month = _MONTHS.get(month_name.casefold())
    if month is None:
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_review_date(raw: str | None, language: str | None = None) -> date | None:
    """A review's publication date from any of our languages' formats.

    ISO dates are parsed directly; everything else goes through dateparser (cached,
    because review lists repeat the same dates). Unparseable text -> None.
    """
    if not raw:
        return None
    match = _ISO_DATE.match(raw)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            return None
    quick = _named_month_date(raw)
    if quick is not None:
        return quick
    import dateparser

    lang = "nb" if language == "no" else language
    languages = [lang] if lang in DATE_LANGUAGES else list(DATE_LANGUAGES)
    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
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

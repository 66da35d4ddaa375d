"""Ratings as layouts show them, and the scale they are on.

An element shows a rating when a data attribute named like a rating holds a number
(``data-rating="4"``, ``data-review-score="8"``), when its label or title reads "4 of 5"
in any language's words ("4,0 von 5", "4 sur 5", ``aria-label``, ``title``, ``alt``),
when its text is star glyphs or "4 out of 5", or when a rating-named element draws
stars as a bar (``width: 80%``). A bar is read as stars: 80% of five stars is 4 of 5,
with the raw width kept in ``rating_raw``. The scale of a list is inferred from all of
its ratings together: a stated best, else the smallest usual scale (5, 10, 100) that
holds every rating of the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from spiders.extract.rating_words import WORDS
from spiders.raw_fields import default_worst, parse_number, rating_out_of

_RATING_NAME = re.compile(r"(?<![a-z])rat(?:e|ed|ing)s?(?![a-z])|rating|star(?!t)|score", re.I)
_COUNT_NAME = re.compile(r"count|total|number|votes|amount|histogram|percent", re.I)
_BEST_ATTRS = ("data-best", "data-best-rating", "data-max", "data-scale", "data-out-of", "aria-valuemax")  # fmt: skip
_WIDTH = re.compile(r"(?<![-\w])width\s*:\s*(\d+(?:\.\d+)?)%")
_NUMBER_ONLY = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")
_ONE_NUMBER = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d)?)(?![\d.,]*\d)")
_CLASS_NUMBER = re.compile(r"([a-z_-]*?)[-_]?(\d)(?:[-_](\d))?", re.I)
_SUMMARY_NAME = re.compile(r"aggregate|average|overall|summary", re.I)
_USUAL_SCALES = frozenset({4.0, 5.0, 6.0, 7.0, 10.0, 20.0, 100.0})
_INPUT_TAGS = frozenset({"input", "button", "select", "option", "textarea", "fieldset", "label"})
_INPUT_ROLES = frozenset({"button", "radio", "radiogroup", "slider", "spinbutton"})
_DIGIT = re.compile(r"\d")
_CLASS_DIGITS = re.compile(r"[-_]?\d+(?=[\s|]|$)")
# A bar is drawn with a box, not with a picture (an image set to the width of its frame).
_BAR_TAGS = frozenset({"div", "span", "i", "b", "em", "s", "small", "strong", "u"})
_FULL_HEIGHT = re.compile(r"(?<![-\w])height\s*:\s*100%")
_STAR_GLYPHS = "★⭐✭✮✯✰"
_EMPTY_GLYPHS = "☆✩"
_MAX_LABEL = 120
# A star noun of any language ("5 out of five stars", "Note : 4 étoiles"): says a label's one
# number is a rating where class names (hashed by CSS modules) say nothing.
_STAR_NOUN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(sorted({w for words in WORDS.values() for w in words.stars}, key=len, reverse=True))
    + r")(?!\w)",
    re.I,
)
_MAX_TEXT = 40
_DEFAULT_STARS = 5.0


@dataclass(frozen=True)
class LayoutRating:
    value: float
    """The rating as shown (4 of 5; a star bar already turned into stars)."""
    best: float | None
    """The top of the scale when the element states it (``4/5``, ``aria-valuemax``)."""
    raw: str
    """What the page says, kept for ``rating_raw``."""
    shape_only: bool = False
    """Read from its shape alone (an unnamed bar): only a list's template confirms it."""


_LABEL_ATTRS = frozenset({"aria-valuenow", "aria-label", "title", "alt", "data-tooltip"})
_GLYPHS = _STAR_GLYPHS + _EMPTY_GLYPHS


def attributes_rating_named(element: lxml.html.HtmlElement) -> bool:
    """Whether an element's attributes may name it a rating: some name or value holds "rate",
    "rating", "score" or "star" not starting "start" in any case ("rat", "star" or "score"
    where a name is not ASCII). Every ``_RATING_NAME`` match holds one, so it is a cheap
    superset of ``rating_named`` and of a rating-named data attribute."""
    return _names_rating(element.keys(), element.values())


def _names_rating(names: list[str], values: list[str]) -> bool:
    # Names and values joined by spaces, which no word sought holds, so that none is found
    # across two of them whatever their order; lxml lists both in C.
    joined = " ".join(names + values)
    if not joined.isascii():
        # IGNORECASE also matches "ſ" as "s" and "ı", "İ" as "i": casefold, and "rat".
        joined = joined.casefold()
        return "rat" in joined or "star" in joined or "score" in joined
    # ASCII (most pages): each ``_RATING_NAME`` match holds "rate", "rating", "score" or a
    # "star" that is not the start of "start" ("justify-start", "start-date": a tenth of
    # the elements of some pages, each read in full by ``rating_of`` before).
    joined = joined.lower()
    return (
        "rate" in joined
        or "rating" in joined
        or "score" in joined
        or ("star" in joined and "star" in joined.replace("start", ""))
    )


def may_show_rating(element: lxml.html.HtmlElement) -> bool | None:
    """False only where ``rating_of`` surely finds none: no rating-ish attribute
    (``attributes_rating_named``), no label attribute, and no own text that has star glyphs
    or sits under a rating-ish parent; None where only the parent's names can tell (own
    text without glyphs). Skipping ``rating_of`` on most elements is most of the layer's
    speed; this runs on every element of the page, so the names are listed once."""
    return rating_signs(element)[0]


def rating_signs(element: lxml.html.HtmlElement) -> tuple[bool | None, bool]:
    """(``may_show_rating``, ``attributes_rating_named``) from one listing of the names:
    the walk passes the second on to ``rating_of``, which then need not search the names
    of an element none of whose attributes names a rating (most elements it reads)."""
    names = element.keys()
    if names:
        named = _names_rating(names, element.values())
        if named or not _LABEL_ATTRS.isdisjoint(names):
            return True, named
        if not len(element) and "%" in (element.get("style") or ""):
            return True, False  # an empty box drawn to a width %: maybe a star bar (``_lone_bar``)
    text = element.text
    if not text or text.isspace():
        return False, False
    # The glyphs are not ASCII: an ASCII text (most texts) holds none.
    return (True if not text.isascii() and any(g in text for g in _GLYPHS) else None), False


def rating_named(element: lxml.html.HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''} " + " ".join(
        f"{k} {v}" for k, v in element.attrib.items() if k.startswith("data-") and len(v) < 60
    )
    return bool(_RATING_NAME.search(names))


def rating_of(
    element: lxml.html.HtmlElement, attributes_named: bool | None = None
) -> LayoutRating | None:
    """The rating one element shows, or None. ``attributes_named``: the element's
    ``attributes_rating_named`` when the caller knows it (False spares the name searches
    of ``rating_named`` and the data attributes: no name of the element can match)."""
    if not element.attrib and not (element.text or "").strip():
        return None  # nothing of its own to show a rating with (its children may have)
    if element.tag in _INPUT_TAGS or element.get("role") in _INPUT_ROLES:
        return None  # a rating form ("rate this 4 of 5") asks for a rating, shows none
    if _SUMMARY_NAME.search(_names(element)):
        return None  # the page's average, not one customer's rating
    if attributes_named is False:
        named = False  # no rating-named data attribute, no aria-valuenow read as one
    else:
        found = _from_data_attributes(element)
        if found is not None:
            return found
        named = rating_named(element)
    for attr in ("aria-label", "title", "alt", "data-tooltip"):
        label = element.get(attr)
        # A label without a digit states no rating (and its parent's names are not read).
        if label and len(label) <= _MAX_LABEL and _DIGIT.search(label):
            found = _from_label(label, named or _parent_named(element))
            if found is None and not element.text_content().strip():
                found = _picture_label(label)
            if found is not None:
                return found
    text = " ".join((element.text or "").split())
    if text and any(g in text for g in _STAR_GLYPHS + _EMPTY_GLYPHS) and len(text) <= _MAX_TEXT:
        filled = sum(text.count(g) for g in _STAR_GLYPHS)
        empty = sum(text.count(g) for g in _EMPTY_GLYPHS)
        return LayoutRating(float(filled), float(filled + empty) if empty else None, text)
    if not named and not text and _lone_bar(element):
        bar = _from_bar(element)
        # One customer's stars are whole or half: a bar at 24% is a scroll or progress bar.
        if bar is None or not (bar.value * 2).is_integer():
            return None
        return LayoutRating(bar.value, bar.best, bar.raw, shape_only=True)
    if not named and (not text or not _parent_named(element)):
        return None
    full = " ".join(element.text_content().split())
    if named and full and len(full) <= _MAX_TEXT and not full.strip(_STAR_GLYPHS + _EMPTY_GLYPHS + " "):  # fmt: skip
        filled = sum(full.count(g) for g in _STAR_GLYPHS)  # each star in its own element
        empty = sum(full.count(g) for g in _EMPTY_GLYPHS)
        return LayoutRating(float(filled), float(filled + empty) if empty else None, full)
    if full and len(full) <= _MAX_TEXT:
        pair = _usual_pair(full)
        if pair is not None:
            return LayoutRating(pair[0], pair[1], full)
        if named and _NUMBER_ONLY.fullmatch(full) and not _COUNT_NAME.search(_names(element)):
            value = parse_number(full)
            if value is not None and 0 <= value <= 10:
                return LayoutRating(value, None, full)
    if named:
        return _from_bar(element) or _from_class_number(element) or _from_icons(element)
    return None


def _names(element: lxml.html.HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _parent_named(element: lxml.html.HtmlElement) -> bool:
    parent = element.getparent()
    return parent is not None and rating_named(parent)


def _from_data_attributes(element: lxml.html.HtmlElement) -> LayoutRating | None:
    for name, value in element.attrib.items():
        if not name.startswith("data-") or not _RATING_NAME.search(name):
            continue
        if _COUNT_NAME.search(name) or not _NUMBER_ONLY.fullmatch(value.strip()):
            continue
        number = parse_number(value)
        if number is None:
            continue
        best = next((parse_number(element.get(a)) for a in _BEST_ATTRS if element.get(a)), None)
        return LayoutRating(number, best, value.strip())
    now = element.get("aria-valuenow")
    if now and rating_named(element):
        number, best = parse_number(now), parse_number(element.get("aria-valuemax"))
        if number is not None:
            return LayoutRating(number, best, now)
    return None


def _usual_pair(text: str) -> tuple[float, float] | None:
    """ "4 of 5" on a usual rating scale; "1/2 cup" and "07/27/24" are not ratings."""
    pair = rating_out_of(text)
    if pair is None or pair[1] not in _USUAL_SCALES or not 0 <= pair[0] <= pair[1]:
        return None
    return pair


def _from_label(label: str, named: bool) -> LayoutRating | None:
    """ "4 of 5" in a label; else its one number when the element is named like a rating or
    the label names stars."""
    pair = _usual_pair(label)
    if pair is not None:
        return LayoutRating(pair[0], pair[1], label)
    # "received 5 out of five stars": one number in a rating's label is the rating.
    numbers = _ONE_NUMBER.findall(label)
    if len(numbers) != 1 or len(re.findall(r"\d+", label)) != 1:
        return None
    if named or _STAR_NOUN.search(label):  # the nouns last: most labels have no number
        value = parse_number(numbers[0])
        if value is not None and 0 <= value <= 10:
            return LayoutRating(value, None, label)
    return None


_LABEL_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d)?(?![\d.,]*\d)")
_PICTURE_SCALES = frozenset({5.0, 10.0, 100.0})
_MAX_PICTURE_LABEL = 40


def _picture_label(label: str) -> LayoutRating | None:
    """A rating and its scale in the label of an element that shows no text (stars drawn
    by CSS, an image), whatever words join them and in which order: "4 az 5-ből", "5
    üzerinden 4 puan". Two numbers, the larger a usual scale (5, 10, 100): the smaller is
    the rating. Only a list's template confirms it is one (as a bar's shape)."""
    if len(label) > _MAX_PICTURE_LABEL or len(re.findall(r"\d+", label)) != 2:
        return None
    numbers = [parse_number(n) for n in _LABEL_NUMBER.findall(label)]
    if len(numbers) != 2 or None in numbers:
        return None
    value, best = sorted(n for n in numbers if n is not None)
    if best not in _PICTURE_SCALES or value < 0:
        return None
    return LayoutRating(value, best, label)


def _from_bar(element: lxml.html.HtmlElement) -> LayoutRating | None:
    """Stars drawn as a bar: the element or its first styled descendant has a width %."""
    for node in (element, *element.iterdescendants()):
        if not isinstance(node.tag, str):
            continue
        width = _WIDTH.search(node.get("style") or "")
        if width:
            percent = float(width.group(1))
            if percent > 100:
                return None
            stars = _star_count(element)
            return LayoutRating(round(percent / 100 * stars, 1), stars, width.group(0))
    return None


def _lone_bar(element: lxml.html.HtmlElement) -> bool:
    """An empty element drawn to a width % as the only content of an empty parent: the
    shape of a star bar whatever its classes are called (hashed by CSS modules). Histogram
    and progress bars look the same; the review template around it tells them apart."""
    style = element.get("style") or ""
    if element.tag not in _BAR_TAGS or len(element) or not _WIDTH.search(style):
        return False
    if _FULL_HEIGHT.search(style):
        return False  # a box filled both ways: a picture's frame or a backdrop
    parent = element.getparent()
    return parent is not None and len(parent) == 1 and not parent.text_content().strip()


def _from_icons(element: lxml.html.HtmlElement) -> LayoutRating | None:
    """Stars drawn as 3 to 10 empty icons: the filled ones lead and look alike, the
    rest look different ("full full full empty empty"); a third look is a half star."""
    icons = [c for c in element if isinstance(c.tag, str)]
    if not 3 <= len(icons) <= 10 or len({c.tag for c in icons}) != 1:
        return None
    if any((c.text or "").strip() or len(c.text_content().strip()) for c in icons):
        return None
    shapes = [_icon_shape(c) for c in icons]
    if len(set(shapes)) == 1:
        # Icons that all look alike are all lit: a bar, a mask or a class on the row would
        # have been read before this, and a form's unlit stars are inputs, skipped.
        return LayoutRating(float(len(icons)), float(len(icons)), f"{len(icons)} of {len(icons)} icons")  # fmt: skip
    filled = 0
    while filled < len(shapes) and shapes[filled] == shapes[0]:
        filled += 1
    rest = shapes[filled:]
    half = 1 if rest and len(set(rest)) == 2 and rest.count(rest[0]) == 1 else 0
    if len(set(rest[half:])) != 1:
        return None
    value = filled + 0.5 * half
    raw = f"{value:g} of {len(icons)} icons"
    return LayoutRating(value, float(len(icons)), raw)


def _icon_shape(icon: lxml.html.HtmlElement) -> str:
    """Classes (without the star's number), fill and source of an icon and what it holds:
    how filled and empty icons differ."""
    parts = [icon.get("class") or "", icon.get("fill") or "", icon.get("src") or ""]
    for inner in icon.iterdescendants():
        if isinstance(inner.tag, str):
            parts += [inner.get("class") or "", inner.get("fill") or "", inner.get("href") or ""]
    return _CLASS_DIGITS.sub("", "|".join(parts))


def _from_class_number(element: lxml.html.HtmlElement) -> LayoutRating | None:
    """A rating written into a class name: "stars-4", "rating4", "star-4-5" (4.5)."""
    for token in (element.get("class") or "").split():
        match = _CLASS_NUMBER.fullmatch(token)
        if match and _RATING_NAME.search(match.group(1)):
            whole, half = int(match.group(2)), match.group(3)
            value = whole + (int(half) / 10 if half else 0.0)
            if 0 <= value <= 5:
                return LayoutRating(value, None, token)
    return None


def _star_count(element: lxml.html.HtmlElement) -> float:
    """Stars a bar is drawn over: repeated icons beneath it when there are 3 to 10, else 5."""
    for node in element.iter():
        children = [c for c in node if isinstance(c.tag, str)]
        icons = 3 <= len(children) <= 10 and len({c.tag for c in children}) == 1
        if icons and all(len(c) == 0 and not (c.text or "").strip() for c in children):
            return float(len(children))
    return _DEFAULT_STARS


def group_scale(ratings: list[LayoutRating]) -> tuple[float, float]:
    """(best, worst) shared by a list's ratings: the largest stated best, else the smallest
    usual scale holding them all."""
    stated = [r.best for r in ratings if r.best]
    lowest = min((r.value for r in ratings), default=1.0)
    if stated:
        best = max(stated)
        worst = default_worst(best)
    else:
        top = max((r.value for r in ratings), default=0.0)
        best = 5.0 if top <= 5 else 10.0 if top <= 10 else 100.0
        worst = 1.0 if best == 5.0 else 0.0  # scores out of 10 or 100 start at 0
    return best, 0.0 if lowest < worst else worst

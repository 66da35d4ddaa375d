"""Aggregate ratings a page shows as a row of star icons with the count beside it.

``★★★★☆ (133)``, five icons then "43 ratings", five pictures then "117": where no markup,
script state or text says the average, the icons do. A row is 5 or 10 sibling elements of
one tag that hold no text but a star glyph at most. Lit and unlit icons look different
(classes without their numbers, pictures, fills, glyphs) and stand in two runs: the lit run
is the one whose classes add a name to the other's, else the leading one; a third look once
between them is a half star. A lit copy of the row clipped to a width % is read as that
share of the stars. Icons that all look alike are all lit, except controls (a star picker
is unlit until used). What makes a row the page's aggregate is the count right after it (a
bare number in brackets, a number with its noun, "from" and a number after the average, or
a number alone in the element beside the icons): one customer's stars have none. A number
the scale holds written between the icons and the count ("★★★★★ 4.7 (43)") is the average,
read to its decimals. A row in a card of another page (inside a link there, or near a
sub-heading linking there) is not the page's.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from settings.records import AggregateRatingItem
from spiders.extract.aggregate import aggregate_item
from spiders.extract.layers import HEURISTIC
from spiders.extract.rating_words import RatingPatterns, rating_patterns
from spiders.extract.text_aggregate import links_elsewhere, text_after

_CARD_LEVELS = 6
_CARD_TITLE = lxml.etree.XPath(
    "boolean(descendant::*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
    "[descendant-or-self::a[@href and not(starts-with(@href, '#'))]"
    " or ancestor::a[@href and not(starts-with(@href, '#'))]])"
)
_ROW_SIZES = frozenset({5, 10})
# Icons: children of an element with five or more, in at most 8 elements, that hold one
# character at most. One XPath, run in C, finds them all (0.8 ms a page; looking at every
# child in Python took 2 ms, naming the tags that are no icons in the XPath 1.5 ms).
_ICONS = lxml.etree.XPath(
    "//body/descendant-or-self::*[*[5]]/*[not(descendant::*[8])]"
    "[string-length(normalize-space()) <= 1]"
)
# Line breaks, rules and table cells are no icons, nor the shapes of one drawing.
_NOT_ICONS = frozenset(
    {"br", "hr", "wbr", "col", "td", "th", "tr", "option", "source", "track",
     "use", "path", "g", "rect", "circle", "ellipse", "polygon", "line", "stop", "symbol"}
)  # fmt: skip
_GLYPHS = "★☆⭐✭✮✯✰✩"
_CONTROL_TAGS = frozenset({"button", "input", "label", "option", "select"})
_CONTROL_ROLES = frozenset({"button", "radio", "radiogroup", "slider", "checkbox"})
_CLASS_DIGITS = re.compile(r"[-_]?\d+(?=[\s|]|$)")
# What may follow the icons: the average ("4.7", "4,7/5"), then the count.
_AFTER_SPAN = 60
_WRITTEN_VALUE = re.compile(r"\W{0,2}(\d{1,2}(?:[.,]\d{1,2})?)(?:\s*/\s*(?:5|10)(?!\d))?\s*")
_BRACKETED = re.compile(r"\W{0,3}[(\[]\s*(\d{1,3}(?:[.,\s\u00a0]\d{3})+|\d+)\s*[)\]]")
_WIDTH = re.compile(r"(?<![-\w])width\s*:\s*(\d+(?:\.\d+)?)%")
_BARE_COUNT = re.compile(r"\d{1,3}(?:[.,\s\u00a0]\d{3})+|\d+")


def star_row_aggregate(
    root: lxml.html.HtmlElement, language: str | None
) -> AggregateRatingItem | None:
    """The first row of star icons (in page order) with a count right after it, as an
    aggregate; None when no row has one."""
    patterns = rating_patterns(language)
    for row in _icon_rows(root):
        found = _row_aggregate(row, patterns)
        if found is not None:
            return found
    return None


def _icon_rows(root: lxml.html.HtmlElement) -> list[list[lxml.html.HtmlElement]]:
    """Runs of 5 or 10 consecutive sibling icons of one tag (a run of another length, or of
    several tags, is no row of stars), in page order."""
    rows: list[list[lxml.html.HtmlElement]] = []
    run: list[lxml.html.HtmlElement] = []
    for icon in _ICONS(root):
        text = icon.text_content().strip() if len(icon) or icon.text else ""
        # A letter or a digit, or a line break: no icon, and the end of a run.
        glyph = (not text or text in _GLYPHS) and icon.tag not in _NOT_ICONS
        if glyph and run and icon.tag == run[0].tag and _previous_element(icon) is run[-1]:
            run.append(icon)
            continue
        if len(run) in _ROW_SIZES:
            rows.append(run)
        run = [icon] if glyph else []
    if len(run) in _ROW_SIZES:
        rows.append(run)
    return rows


def _previous_element(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    previous = element.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    return previous


def _row_aggregate(
    row: list[lxml.html.HtmlElement], patterns: RatingPatterns
) -> AggregateRatingItem | None:
    if row[0].tag in _CONTROL_TAGS:
        return None  # a star picker
    best = float(len(row))
    value, count = _value_and_count(text_after(row[-1], _AFTER_SPAN), patterns, best)
    if count is None and value is None:
        count = _sibling_count(row, best)
    if count is None:
        return None  # no count: one customer's stars
    stars = _bar(row) or _lit(row)
    if stars is None or _in_card(row[0]):
        return None  # icons that show no rating; a card of another page
    return aggregate_item(value if value is not None else stars, best, count, None, HEURISTIC)


def _in_card(icon: lxml.html.HtmlElement) -> bool:
    """The row is in a card of another page: in a link there that says more than a count,
    or a close ancestor holds a heading (under the main one) that links there."""
    for level, ancestor in enumerate(icon.iterancestors()):
        if ancestor.tag in ("body", "html"):
            return False
        if links_elsewhere(ancestor) or (level < _CARD_LEVELS and _CARD_TITLE(ancestor)):
            return True
    return False


def _bar(row: list[lxml.html.HtmlElement]) -> float | None:
    """Stars lit to a width: the one box drawn to a width % in the widget around the row
    (a lit copy of the row over an unlit one, clipped), as stars."""
    parent = row[0].getparent()
    widget = parent.getparent() if parent is not None else None
    if widget is None:
        return None
    widths = [
        float(width.group(1))
        for element in widget.iter()
        if isinstance(element.tag, str) and "%" in (element.get("style") or "")
        for width in [_WIDTH.search(element.get("style") or "")]
        if width is not None
    ]
    if len(widths) != 1 or not 0 < widths[0] <= 100:
        return None
    return round(widths[0] / 100 * len(row), 1)


def _lit(row: list[lxml.html.HtmlElement]) -> float | None:
    """How many icons are lit (a half star as 0.5), or None when the looks of the icons
    are no rating's. Lit and unlit icons are two runs; the lit run is the one whose
    classes add to the other's ("star star--on" against "star"), else the leading one. A
    third look once between them is a half star."""
    shapes = _shapes(row)
    runs: list[list[int]] = []  # indexes of the icons of each run of one look
    for index, shape in enumerate(shapes):
        if runs and shapes[runs[-1][0]] == shape:
            runs[-1].append(index)
        else:
            runs.append([index])
    if len(runs) == 1:
        return None if any(_control(icon) for icon in row) else float(len(row))
    half = len(runs) == 3 and len(runs[1]) == 1
    if len(runs) > 3 or (len(runs) == 3 and not half):
        return None
    first, last = runs[0], runs[-1]
    if shapes[first[0]] == shapes[last[0]]:
        return None
    # A single icon apart at the end is the half or unlit last one, whatever its classes
    # add ("last").
    lit = first
    if len(last) > 1 and _classes(row[last[0]]) > _classes(row[first[0]]):
        lit = last
    return len(lit) + (0.5 if half else 0.0)


def _classes(icon: lxml.html.HtmlElement) -> frozenset[str]:
    return frozenset(_CLASS_DIGITS.sub("", t) for t in (icon.get("class") or "").split())


def _control(icon: lxml.html.HtmlElement) -> bool:
    for element in icon.iter():
        if not isinstance(element.tag, str):
            continue
        role = (element.get("role") or "").strip().lower()
        if element.tag in _CONTROL_TAGS or role in _CONTROL_ROLES:
            return True
    return False


def _shapes(row: list[lxml.html.HtmlElement]) -> list[tuple[str, ...]]:
    """How each icon looks: the classes (without numbers), pictures, fills, links and
    glyphs of it and what it holds. Where every icon has a name no other has (its place,
    "star-1", "star-2", once hashed) besides names they share, those names say nothing of
    lit or unlit: left out."""
    looks = [_looks(icon) for icon in row]
    seen: dict[str, int] = {}
    for look in looks:
        for token in set(look):
            seen[token] = seen.get(token, 0) + 1
    own = {token for token, icons in seen.items() if icons == 1}
    if own and all(own.intersection(look) for look in looks):
        shared = [tuple(t for t in look if t not in own) for look in looks]
        if all(set(look) - {"|"} for look in shared):  # else icons that share no look
            return shared
    return [tuple(look) for look in looks]


def _looks(icon: lxml.html.HtmlElement) -> list[str]:
    tokens: list[str] = []
    for element in icon.iter():
        if not isinstance(element.tag, str):
            continue
        tokens += [_CLASS_DIGITS.sub("", t) for t in (element.get("class") or "").split()]
        for name in ("src", "fill", "href", "xlink:href"):
            value = element.get(name)
            if value:
                tokens.append(f"{name}={_CLASS_DIGITS.sub('', value)}")
        text = (element.text or "").strip()
        if text:
            tokens.append(f"text={text}")
        tokens.append("|")  # one element's looks end
    return tokens


def _value_and_count(
    after: list[str], patterns: RatingPatterns, best: float
) -> tuple[float | None, int | None]:
    """(average written, count) from the text pieces right after a row; (value, None)
    when a number the scale holds follows without a count."""
    if not after:
        return None, None
    text = " ".join(after)
    count = _count_at(text, 0, patterns)
    if count is not None:
        return None, count
    written = _WRITTEN_VALUE.match(text)
    if written is None or not 0 < float(written.group(1).replace(",", ".")) <= best:
        return None, None
    value = float(written.group(1).replace(",", "."))
    count = _count_at(text, written.end(), patterns)
    if count is None:  # "5 from 12": the average, then its count without a noun
        from_count = patterns.count_from.match(text, written.end())
        count = _number(from_count.group(1)) if from_count else None
    return value, count


def _sibling_count(row: list[lxml.html.HtmlElement], best: float) -> int | None:
    """A number alone in the element right after the icons, beside them: their count (a
    number the scale could hold is the average written out)."""
    after = row[-1].getnext()
    while after is not None and not isinstance(after.tag, str):
        after = after.getnext()
    if after is None:
        return None
    text = after.text_content().strip()
    if not _BARE_COUNT.fullmatch(text):
        return None
    count = _number(text)
    return count if count is not None and count > best else None


def _count_at(text: str, start: int, patterns: RatingPatterns) -> int | None:
    """A count of ratings or reviews written at ``start``: "(133)", "43 ratings"."""
    match = _BRACKETED.match(text, start) or patterns.count_after.match(text, start)
    return _number(match.group(1)) if match else None


def _number(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits and len(digits) <= 9 and int(digits) > 0 else None

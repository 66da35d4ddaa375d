"""Aggregate ratings a page writes only as text: "4.3 out of 5 stars · 1,234 ratings".

The page's text (and the ``aria-label``, ``title`` and ``alt`` words of its elements, where
star widgets say their rating) is read in document order with the page language's words
(``spiders.extract.rating_words``). A rating is "X of 5/10/100" followed by a star noun or
a count of ratings or reviews; a bare "1 of 5" (a carousel, a page number) is not one.
The product's own aggregate is the first rating with a count after it (product cards in
carousels show a bare number; a review's own rating has none). Markup
aggregates take precedence: this layer is read only when markup has none, or to fill the
count of a markup rating it agrees with.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.etree
import lxml.html

from settings.records import AggregateRatingItem
from spiders.extract.aggregate import aggregate_item
from spiders.extract.layers import HEURISTIC
from spiders.extract.page_heading import main_heading
from spiders.extract.rating_words import (
    BARE_VALUE_NOT_AFTER,
    PIECE_END,
    RatingPatterns,
    rating_patterns,
)
from spiders.raw_fields import infer_scale

MAX_TEXT_CHARS = 2_000_000
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "select", "option"})
_LABEL_ATTRS = ("aria-label", "title", "alt")
_LABEL_NAMES = frozenset(_LABEL_ATTRS)
# Controls say what they would do ("Rate this 1 out of 5 stars"), not what the page shows.
# A form is no control: its other text shows (a voting form's "Average: 3.2 (60 votes)"
# beside its picker; a page built as one form).
_CONTROL_TAGS = frozenset({"input", "button", "textarea", "label"})
_SKIPPED_TAGS = _SKIP | _CONTROL_TAGS
_SKIPPED_NEAR_HEADING = _SKIPPED_TAGS - {"button"}
_CONTROL_ROLES = frozenset(
    {"button", "radio", "radiogroup", "slider", "option", "checkbox", "menuitemradio",
     "spinbutton", "switch", "tab"}
)  # fmt: skip
_WIDGET_SPAN = 400
# A count in brackets with no noun ("(10)", "( 490件 )": a unit glyph at most).
_BRACKETED_COUNT = re.compile(
    r"[\s.,:;·]{0,3}\(\s*(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*[^\W\d_]{0,2}\s*\)"
)
# A rating counted only in brackets, or shown in a button, is the page's own when it follows
# the main heading this closely (product cards in carousels show the same, further off).
_HEADING_SPAN = 500
# A link's whole text is a count and at most one word: "490件", "(87 reviews)".
_COUNT_LINK = re.compile(r"\W*\d[\d.,\s\u00a0]*[^\W\d_]*\W*")
_VALUE_MATCH_TOLERANCE = 0.051
# Combining marks inside words (Thai vowels, Arabic and Hebrew vowel signs, Devanagari
# matras): no word character to ``re``, a letter of the word to its reader.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
)
# Possessive: a run of letters is one word, never split into several (what backtracking
# would try, for minutes on one long word in brackets after a rating).
_WORD = rf"(?:[^\W\d_]|[{_MARKS}])++"
_SHAPED_NUMBER = r"(\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+|\d+)"
# A count and its noun of any language, in brackets or after a separator, right after a
# rating ("4,5 / 5 (27 értékelés)", "4,4 z 5 · 58 hodnocení", "(1.234 đánh giá)", "· на
# основе 1 045 отзывов", "(รีวิว 38 รายการ)"): the noun is in no word list, the shape says it
# counts: at most two words before the number, one to three after it in brackets.
_SHAPED_COUNT = re.compile(
    rf"\s*(?:\(\s*(?:{_WORD}\s+){{0,2}}{_SHAPED_NUMBER}\s*(?:{_WORD}\s*){{1,3}}\)"
    rf"|[·•|]\s*(?:{_WORD}\s+){{0,2}}{_SHAPED_NUMBER}\s+{_WORD}(?![\w{_MARKS}]))"
)
# A rating with decimals, one or two words, then its scale ("4.4 от 5", "4,6 จาก 5", "4.5
# من 5"): the word between is in no word list; read only with a shaped count right after.
_ANY_OF = re.compile(
    rf"(?<![\d.,\-–/])(\d{{1,2}}[.,]\d{{1,2}})\s+{_WORD}(?:\s+{_WORD})?\s+(5|10)(?![.,]?\d)"
)
# Just after the main heading, a rating with one decimal (ratings are written so, prices
# with two), its scale at most, then up to three words and a count with its noun ("4.3
# (87件のレビュー)", "4,4 47 відгуків", "4,3 αστέρια 56 αξιολογήσεις", "9,2 /10 Vidējais
# vērtējums no 84 atsauksmēm"): no word list says so, the place and the shape do.
_SHAPED_NEAR_HEADING = re.compile(
    rf"(?<![\d.,\-–/])(\d[.,]\d)(?![.,]?\d|{_WORD})"
    rf"(?:\s*(?:/|{_WORD}\s)\s*(5|10)(?![.,]?\d))?"
    rf"[\s()·•|:,]*(?:{_WORD}[\s()·•|:,]*){{0,3}}"
    rf"{_SHAPED_NUMBER}\s*{_WORD}"
)
# Digits and signs of other scripts, one character for one (positions stay): Arabic-Indic
# and Eastern Arabic-Indic digits with their decimal and thousands signs, full-width
# digits, brackets and slash ("٤٫٥ من ٥", "（87件）").
_ASCII_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬０１２３４５６７８９（）／",
    "01234567890123456789.,0123456789()/",
)
# The scale, one word, then the rating with one decimal ("5 üzerinden 4,1"): read only
# with a count right after it.
_SCALE_FIRST = re.compile(r"(?<![\d.,\-–/])(5|10|100)\s+[^\W\d_]{2,20}\s+(\d{1,2}[.,]\d)(?![\d.,])")


@dataclass(frozen=True)
class TextRating:
    """One rating written in the page's text."""

    value: float
    best: float
    stars: bool
    """A star noun follows the scale."""
    rating_count: int | None
    review_count: int | None
    position: int
    bracketed: bool = False
    """The count is a bare number in brackets after the rating ("4.9 out of 5 stars (10)"),
    without a noun to say what it counts."""
    counted_before: bool = False
    """The count and its noun come just before the rating ("43 ratings, 4.7 out of 5
    stars"): read only where no rating has its count after it."""


def page_text(root: lxml.html.HtmlElement, pieces: list[str] | None = None) -> str:
    """The body's text and label attributes in document order, one space between pieces,
    at most ``MAX_TEXT_CHARS``; scripts, styles and controls left out. (Comments are
    gone: ``parse_document`` drops them.) ``pieces``: the root's ``page_pieces``, when
    the caller has them."""
    if pieces is None:
        pieces = page_pieces(root)
    return " ".join(" ".join(pieces).split())[:MAX_TEXT_CHARS]


def page_pieces(root: lxml.html.HtmlElement) -> list[str]:
    """The pieces of ``page_text`` (each text node, an element's labels with its own text),
    as walked: one walk for ``page_text`` and ``labelled_average``."""
    body = root.find("body")
    start = body if body is not None else root
    pieces: list[str] = []
    size = _walk_subtree(start, pieces, 0, MAX_TEXT_CHARS, near_heading=False)
    if start.tail and size < MAX_TEXT_CHARS:
        pieces.append(start.tail)
    return pieces


def heading_text(root: lxml.html.HtmlElement, span: int) -> str:
    """About ``span`` characters of the page's text from its main heading
    (``page_heading.main_heading``) on, buttons read too: where a product page shows its own rating summary,
    often a button that opens the reviews. Links to other pages are left out (cards of
    other products). "" without a heading."""
    heading = main_heading(root)
    if heading is None or _in_skipped(heading):
        return ""
    pieces: list[str] = []
    size = 0
    for start, tail in _from_element_on(heading):
        if start is not None:
            size = _walk_subtree(start, pieces, size, span, near_heading=True)
        if tail and size < span:
            pieces.append(tail)
            size += len(tail)
        if size >= span:
            break
    return " ".join(" ".join(pieces).split())[:span]


def text_after(element: lxml.html.HtmlElement, span: int) -> list[str]:
    """The text pieces (each text node, stripped, none empty; no labels: what shows) that
    follow ``element`` in document order, its own subtree left out, until about ``span``
    characters; scripts, styles and controls left out."""
    pieces: list[str] = []
    size = 0
    for start, tail in _from_element_on(element):
        if start is not None and start is not element:
            size = _walk_subtree(start, pieces, size, span, near_heading=False, labels=False)
        if tail and size < span:
            pieces.append(tail)
            size += len(tail)
        if size >= span:
            break
    return [" ".join(p.split()) for p in pieces if not p.isspace()]


def _in_skipped(element: lxml.html.HtmlElement) -> bool:
    """The element or an ancestor is left out near the heading (code, a control, a link to
    another page)."""
    return any(
        _skipped(e, _SKIPPED_NEAR_HEADING) or _leaves(e)
        for e in (element, *element.iterancestors())
    )


def _walk_subtree(
    start: lxml.html.HtmlElement,
    pieces: list[str],
    size: int,
    limit: int,
    *,
    near_heading: bool,
    labels: bool = True,
) -> int:
    """Add the texts of ``start``'s subtree (not its tail) to ``pieces`` until ``limit``
    characters are there; the new size. ``near_heading``: buttons read, links to other
    pages left out. ``labels``: label attributes read before an element's text."""
    skipped = _SKIPPED_NEAR_HEADING if near_heading else _SKIPPED_TAGS
    walker = lxml.etree.iterwalk(start, events=("start", "end"))
    for event, element in walker:
        if size >= limit:
            break
        if event == "end":
            piece = element.tail if element is not start else None
        else:
            # ``_skipped`` inlined, its attributes listed once (this runs on every element).
            tag = element.tag
            if not isinstance(tag, str) or tag in skipped:
                walker.skip_subtree()
                continue
            names = element.keys()
            if (names and "role" in names and _control_role(element)) or (
                near_heading and _leaves(element)
            ):
                walker.skip_subtree()
                continue
            piece = element.text
            if labels and names and not _LABEL_NAMES.isdisjoint(names):  # one test for most
                piece = _own_text(element)
        if piece:
            pieces.append(piece)
            size += len(piece)
    return size


def _from_element_on(
    element: lxml.html.HtmlElement,
) -> Iterator[tuple[lxml.html.HtmlElement | None, str | None]]:
    """The element, then what follows it in document order, as (subtree or None, the text
    after it): its following siblings, then its parent's tail and following siblings, and
    so on up to the body."""
    yield element, element.tail
    node = element
    while True:
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield sibling, sibling.tail
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return
        yield None, parent.tail
        node = parent


def _own_text(element: lxml.html.HtmlElement) -> str | None:
    """An element's label attributes and its text before its first child."""
    piece = element.text
    labels = [v for v in map(element.get, _LABEL_ATTRS) if v]
    if labels:
        piece = " ".join([*labels, piece or ""])
    return piece


def links_elsewhere(element: lxml.html.HtmlElement) -> bool:
    """A link to another page that says more than a count: a card of another product."""
    return _leaves(element)


def _leaves(element: lxml.html.HtmlElement) -> bool:
    """A link to another page that says more than a count ("490 reviews" linking to the
    reviews is the page's own count): near the heading, the card of another product."""
    if element.tag != "a":
        return False
    href = (element.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:")):
        return False
    return _COUNT_LINK.fullmatch(" ".join(element.text_content().split())) is None


def _skipped(element: lxml.html.HtmlElement, tags: frozenset[str]) -> bool:
    """Code, styles, and controls (which say what they would do, "Rate 1 out of 5 stars",
    not what the page shows)."""
    tag = element.tag
    if not isinstance(tag, str) or tag in tags:
        return True
    return _control_role(element)


def _control_role(element: lxml.html.HtmlElement) -> bool:
    """The element's ARIA role makes it a control."""
    role = element.get("role")
    return role is not None and role.strip().lower() in _CONTROL_ROLES


def _count(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits and len(digits) <= 9 else None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def text_ratings(text: str, patterns: RatingPatterns) -> list[TextRating]:
    """Every rating the text writes, in order, with the count written next to it; the
    ratings of a star picker ("1 of 5", "2 of 5", "3 of 5" in a row) left out."""
    text = text.translate(_ASCII_DIGITS)
    found = []
    starts: list[int] = []  # of the value matches, increasing and not overlapping
    ends: list[int] = []
    for match in patterns.value.finditer(text):
        if _counted_scale(text, match, patterns):
            continue  # "4.5 of 10 reviews": an average and its count, read below
        starts.append(match.start())
        ends.append(match.end())
        value, best = _number(match.group(1)), float(match.group(2))
        if not 0 < value <= best:
            continue
        rating_count, review_count = _counts_after(text, match.end(), patterns)
        if not (rating_count or review_count):
            rating_count = _count_by(text, match.end(), patterns)  # "4.0 out of 5 by 8."
        if not (rating_count or review_count) and not value.is_integer():
            rating_count = _shaped_count(text, match.end())
        stars = match.group(3) is not None
        bracketed = None
        if stars and not (rating_count or review_count):
            bracketed = _bracketed_count(text, match.end())
            if bracketed is None and not value.is_integer():
                before = _count_before(text, match.start(), value, best, patterns)
                if before is not None:
                    found.append(before)
                    continue
        if stars or rating_count or review_count:
            found.append(
                TextRating(value, best, stars, bracketed or rating_count, review_count,
                           match.start(), bracketed=bracketed is not None)
            )  # fmt: skip
    for match in patterns.based_on.finditer(text):
        inside = bisect_right(starts, match.start()) - 1  # the last value match starting before
        if inside >= 0 and match.start() < ends[inside]:
            continue  # "4.3 out of 5 based on 87 reviews": the 5 is a scale, read above
        value = _number(match.group(1))
        n = _count(match.group(2))
        # An average is at most 5, or a decimal at most 10 ("8.2 from 120 votes");
        # "10 of 50 reviews" is a page of a list.
        plausible = value <= 5 or (value <= 10 and not value.is_integer())
        if value > 0 and plausible and n:
            best = infer_scale(value, None, None)[0]
            is_review = _is_review_noun(match.group(3), patterns)
            found.append(TextRating(value, best, False, None if is_review else n,
                                    n if is_review else None, match.start()))  # fmt: skip
    found += _scale_first_ratings(text, patterns, starts, ends, {r.position for r in found})
    found += _any_of_ratings(text, starts, ends, {r.position for r in found})
    if not any(
        (r.rating_count or r.review_count) and not (r.bracketed or r.counted_before) for r in found
    ):
        # Only where no rating with a scale and a count is written: a bare decimal is the
        # weaker sign, and the page's whole text need not be scanned once more.
        found += _bare_ratings(text, patterns, starts, ends)
        found += _whole_star_ratings(text, patterns, starts, ends)
    found.sort(key=lambda r: r.position)
    return _without_pickers(found)


def _counted_scale(text: str, match: re.Match[str], patterns: RatingPatterns) -> bool:
    """A decimal "of" a whole number that a count's noun follows, without a star noun
    ("4.5 de 10 opiniones"): the number counts ratings, it is no scale. (A whole "1 of 10
    reviews" is a place in a list, no average.)"""
    raw = match.group(0)
    return (
        match.group(3) is None
        and "/" not in raw
        and not _number(match.group(1)).is_integer()
        and patterns.noun_at.match(text, match.end()) is not None
    )


# Text read back before a rating for a count written ahead of it.
_BEFORE_SPAN = 60


def _count_before(
    text: str, start: int, value: float, best: float, patterns: RatingPatterns
) -> TextRating | None:
    """A rating with decimals and a star noun right after a count and its noun ("43
    Bewertungen, 4,7 von 5 Sternen"): one widget's label states both. (A whole "5 out of 5
    stars" after "12 reviews" is one reviewer's stars after their own count.)"""
    count = patterns.count_ending.search(text, max(0, start - _BEFORE_SPAN), start)
    if count is None:
        return None
    n = _count(count.group(1))
    if not n:
        return None
    is_review = _is_review_noun(count.group(2), patterns)
    return TextRating(value, best, True, None if is_review else n, n if is_review else None,
                      start, counted_before=True)  # fmt: skip


def _whole_star_ratings(
    text: str, patterns: RatingPatterns, starts: list[int], ends: list[int]
) -> list[TextRating]:
    """A whole number of stars with a count and its noun after it ("Rating: 3 stars 3
    ratings"), alone: two or more such close together are a histogram's rows ("5 stars 12
    ratings, 4 stars 3 ratings")."""
    found = []
    for match in patterns.whole_stars.finditer(text):
        inside = bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < ends[inside]:
            continue  # the scale of "7 out of 5 stars", read above
        rating_count, review_count = _counts_after(text, match.end(), patterns)
        if rating_count or review_count:
            value = float(match.group(1))
            found.append(TextRating(value, 5.0, True, rating_count, review_count, match.start()))
    return [
        r
        for r in found
        if not any(o is not r and abs(o.position - r.position) <= _WIDGET_SPAN for o in found)
    ]


def _bare_ratings(
    text: str, patterns: RatingPatterns, starts: list[int], ends: list[int]
) -> list[TextRating]:
    """Averages written without their scale, told by the count of ratings or reviews right
    after them ("4.96 stars (1806 ratings)", "4,03 (2231 Bewertungen)"): what a rating
    widget shows when the words around it are class names (hashed by CSS modules)."""
    found = []
    for match in patterns.bare_value.finditer(text):
        if match.start() and text[match.start() - 1] in BARE_VALUE_NOT_AFTER:
            continue  # a part of a longer number, a date or a range
        inside = bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < ends[inside]:
            continue  # the scale of "4.3 out of 5 (87 reviews)", read above
        value = _number(match.group(1))
        if not (0 < value <= 5 or (value <= 10 and not value.is_integer())):
            continue
        rating_count, review_count = _counts_after(text, match.end(), patterns)
        if not (rating_count or review_count) and match.group(2) and value <= 5:
            rating_count = _shaped_count(text, match.end())  # "4.7 ★ (88 отзывов)"
        bracketed = None
        if not (rating_count or review_count) and value <= 5:
            bracketed = _bracketed_count(text, match.end())
        if rating_count or review_count or bracketed:
            best = infer_scale(value, None, None)[0]
            found.append(
                TextRating(value, best, False, bracketed or rating_count, review_count,
                           match.start(), bracketed=bracketed is not None)
            )  # fmt: skip
    return found


def _shaped_count(text: str, end: int) -> int | None:
    match = _SHAPED_COUNT.match(text, end)
    return _count(match.group(1) or match.group(2)) if match else None


def _scale_first_ratings(
    text: str, patterns: RatingPatterns, starts: list[int], ends: list[int], read: set[int]
) -> list[TextRating]:
    """Ratings written after their scale and one word ("5 üzerinden 4,1 · 64 ..."), with a
    count right after them; not a scale of a rating read before ("5 out of 5 stars 4.6
    from 12 votes"), nor a rating read so."""
    found = []
    for match in _SCALE_FIRST.finditer(text):
        inside = bisect_right(starts, match.start()) - 1
        if (inside >= 0 and match.start() < ends[inside]) or match.start(2) in read:
            continue
        value, best = _number(match.group(2)), float(match.group(1))
        if not 0 < value <= best:
            continue
        rating_count, review_count = _counts_after(text, match.end(), patterns)
        if not (rating_count or review_count):
            rating_count = _shaped_count(text, match.end())
        if rating_count or review_count:
            found.append(TextRating(value, best, False, rating_count, review_count,
                                    match.start()))  # fmt: skip
    return found


def _any_of_ratings(
    text: str, starts: list[int], ends: list[int], read: set[int]
) -> list[TextRating]:
    """Ratings with decimals over their scale with a word of no list between ("4.4 от 5
    (61 ревюта)"), with a shaped count right after them; none read before."""
    found = []
    for match in _ANY_OF.finditer(text):
        inside = bisect_right(starts, match.start()) - 1
        if (inside >= 0 and match.start() < ends[inside]) or match.start() in read:
            continue
        value, best = _number(match.group(1)), float(match.group(2))
        count = _shaped_count(text, match.end()) if 0 < value <= best else None
        if count:
            found.append(TextRating(value, best, False, count, None, match.start()))
    return found


def _bracketed_count(text: str, end: int) -> int | None:
    match = _BRACKETED_COUNT.match(text, end)
    return _count(match.group(1)) if match else None


def _count_by(text: str, end: int, patterns: RatingPatterns) -> int | None:
    match = patterns.count_by.match(text, end)
    return _count(match.group(1)) if match else None


def _is_review_noun(noun: str, patterns: RatingPatterns) -> bool:
    return " ".join(noun.casefold().split()) in patterns.review_nouns


def _counts_after(text: str, end: int, patterns: RatingPatterns) -> tuple[int | None, int | None]:
    """(rating count, review count) written right after a rating."""
    count = patterns.count_after.match(text, end)
    if count is not None:
        number, noun = count.group(1), count.group(2)
    else:
        count = patterns.count_before.match(text, end)
        if count is None:
            return None, None
        noun, number = count.group(1), count.group(2)
    n = _count(number)
    if not n:
        return None, None
    return (None, n) if _is_review_noun(noun, patterns) else (n, None)


def _without_pickers(ratings: list[TextRating]) -> list[TextRating]:
    """Drop runs of three or more whole ratings on one scale that step by one, close
    together: the options of a star picker or a filter, not a rating."""
    dropped: set[int] = set()
    run: list[int] = []
    for index, rating in enumerate(ratings):
        previous = ratings[run[-1]] if run else None
        steps = (
            previous is not None
            and rating.value.is_integer()
            and previous.best == rating.best
            and abs(rating.value - previous.value) == 1
            and rating.position - previous.position <= _WIDGET_SPAN
        )
        if not steps:
            if len(run) >= 3:
                dropped.update(run)
            run = [index] if rating.value.is_integer() else []
        else:
            run.append(index)
    if len(run) >= 3:
        dropped.update(run)
    return [r for i, r in enumerate(ratings) if i not in dropped]


def choose_text_rating(ratings: list[TextRating]) -> TextRating | None:
    """The page's own aggregate among the ratings its text writes: the first with a count.
    (A rating without one is a product card's or a review's: on pages without an
    aggregate, the most shown of those was another product's.) A count in brackets
    without a noun does not count here (see ``text_aggregate_rating``)."""
    return next(
        (
            r
            for r in ratings
            if (r.rating_count or r.review_count) and not (r.bracketed or r.counted_before)
        ),
        None,
    )


def _heading_rating(root: lxml.html.HtmlElement, patterns: RatingPatterns) -> TextRating | None:
    """The first rating with a count, in brackets too, written just after the main heading."""
    near = text_ratings(heading_text(root, _HEADING_SPAN), patterns)
    return next((r for r in near if r.rating_count or r.review_count), None)


def _shaped_heading_rating(
    root: lxml.html.HtmlElement, patterns: RatingPatterns
) -> TextRating | None:
    """The first rating of ``_SHAPED_NEAR_HEADING``'s shape just after the main heading: a
    rating over 5 only with its scale of 10 written, none under 1 (a size: "0.5 L"), none
    whose scale a listed word gives ("4.5 out of 5 by 12 happy customers": that language's
    count words are listed, and its rules have read the text)."""
    text = heading_text(root, _HEADING_SPAN).translate(_ASCII_DIGITS)
    for match in _SHAPED_NEAR_HEADING.finditer(text):
        listed = patterns.value.match(text, match.start())
        if listed is not None and "/" not in listed.group(0):
            continue
        value = _number(match.group(1))
        best = float(match.group(2) or 5)
        count = _count(match.group(3))
        if 1 <= value <= best and count:
            return TextRating(value, best, False, count, None, match.start())
    return None


def text_aggregate_rating(
    root: lxml.html.HtmlElement, language: str | None, pieces: list[str] | None = None
) -> AggregateRatingItem | None:
    """The aggregate rating the page writes as text, read with ``language``'s words
    (``pieces``: the root's ``page_pieces``, when the caller has them)."""
    patterns = rating_patterns(language)
    ratings = text_ratings(page_text(root, pieces), patterns)
    chosen = choose_text_rating(ratings)
    if chosen is None:
        chosen = _heading_rating(root, patterns)
    if chosen is None:
        chosen = next((r for r in ratings if r.counted_before), None)
    if chosen is None:
        chosen = _shaped_heading_rating(root, patterns)
    if chosen is None:
        return None
    return aggregate_item(
        chosen.value, chosen.best, chosen.rating_count, chosen.review_count, HEURISTIC
    )


def add_text_counts(markup: AggregateRatingItem, text: AggregateRatingItem | None) -> None:
    """Give a markup aggregate without counts the counts the page writes next to the
    same rating."""
    if text is None or markup.rating_value is None or text.rating_value is None:
        return
    if markup.rating_count is not None or markup.review_count is not None:
        return
    if abs(markup.rating_value - text.rating_value) > _VALUE_MATCH_TOLERANCE:
        return
    for name in ("rating_count", "review_count"):
        value = getattr(text, name)
        if value is not None:
            setattr(markup, name, value)
            markup.explain[name] = HEURISTIC.name


def labelled_average(
    root: lxml.html.HtmlElement, language: str | None, pieces: list[str] | None = None
) -> AggregateRatingItem | None:
    """An average under its label, without a count ("Avg: 5", "Average rating (2.8 / 5)",
    "Media voti: 4.6", "durchschnittliche Bewertung liegt bei 5,00 Sternen."): the first
    the page shows. The average ends its element or a phrase (not "Average time: 5 min");
    a label with other words between is a rating's when they name ratings or the average
    has its scale or a star noun (not "Average price 4.99"). Read in the text pieces of
    ``page_pieces`` (``pieces`` when the caller has them) apart by ``PIECE_END``."""
    patterns = rating_patterns(language)
    if pieces is None:
        pieces = page_pieces(root)
    text = PIECE_END.join(" ".join(p.split()) for p in pieces if not p.isspace())
    for match in patterns.average.finditer(text):
        gap, value, scale, stars = match.groups()
        number = _number(value)
        best = float(scale) if scale else infer_scale(number, None, None)[0]
        plain = not gap.strip(" :" + PIECE_END)
        if not (scale or stars or plain or patterns.noun_in.search(gap)):
            continue
        if not 0 < number <= best or (not scale and number > 5 and number.is_integer()):
            continue
        return aggregate_item(number, best, None, None, HEURISTIC)
    return None

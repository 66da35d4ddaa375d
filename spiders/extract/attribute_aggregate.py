"""Aggregate ratings a rating widget keeps in its own data attributes.

Review and recipe widgets draw their stars with scripts from a placeholder that holds the
figures: ``<div data-rating="4.4" data-total-ratings="39">``. The page may show neither
the number nor a count as text (stars drawn as icons), and no schema.org markup need be
there. One element holding both an average (a data attribute named like a rating, an
average or a score) and a count of ratings (named like a count, votes or a total, of
ratings, reviews or votes, or the widget's bare ``data-count``) is the aggregate: one
customer's rating has no count beside it. A count-named attribute is preferred to a
total-named one (``data-count="276" data-total="1183"``: the total is the sum of the stars).
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from settings.records import AggregateRatingItem
from spiders.extract.aggregate import aggregate_item
from spiders.extract.layers import HEURISTIC
from spiders.raw_fields import infer_scale

# Elements with a data attribute whose name may be an average's (lxml lowercases names).
# descendant::*/@*, not "//@*" (``heuristics._VISIBLE_TEXTS``): 1.65 against 1.76 ms a page.
_CANDIDATES = lxml.etree.XPath(
    "//body/descendant::*/@*[starts-with(name(), 'data-') and (contains(name(), 'rating')"
    " or contains(name(), 'average') or contains(name(), 'score'))]/.."
)
_AVERAGE_NAME = re.compile(r"rating|average|score", re.I)
# Names of counts; "index", "id", "max" and "best" name no average either.
_NOT_AVERAGE = re.compile(
    r"count|total|votes|number|num\b|amount|percent|index|(?<![a-z])id\b|max|best|min|worst"
    r"|step|user|current|original|initial|input|\bmy\b",
    re.I,
)
_COUNT_NAMES = (
    re.compile(r"count", re.I),
    re.compile(r"votes", re.I),
    re.compile(r"total", re.I),
)
# A count's name says what it counts, or it is the widget's only count ("data-count").
_RATINGS_COUNTED = re.compile(r"rat|review|vote|data-(?:count|total)$", re.I)
_VALUE = re.compile(r"\d{1,3}(?:\.\d{1,4})?")
_INTEGER = re.compile(r"\d{1,9}")
_MAX_VALUE = 100.0


def attribute_aggregate_rating(root: lxml.html.HtmlElement) -> AggregateRatingItem | None:
    """The first element (in page order) holding an average and a count of ratings in its
    data attributes, as an aggregate; None when no element holds both."""
    for element in _CANDIDATES(root):
        found = _element_aggregate(element)
        if found is not None:
            return found
    return None


def _element_aggregate(element: lxml.html.HtmlElement) -> AggregateRatingItem | None:
    data = {k: v.strip() for k, v in element.attrib.items() if k.startswith("data-")}
    averages = [
        v
        for k, v in data.items()
        if _AVERAGE_NAME.search(k) and not _NOT_AVERAGE.search(k[5:]) and _VALUE.fullmatch(v)
    ]
    if len(averages) != 1:
        return None  # none, or several that could each be it
    count = None
    for name in _COUNT_NAMES:
        counts = [
            v
            for k, v in data.items()
            if name.search(k) and _of_ratings(k) and _INTEGER.fullmatch(v)
        ]
        if counts:
            count = int(counts[0])
            break
    value = float(averages[0])
    if not count or not 0 < value <= _MAX_VALUE:
        return None
    best = infer_scale(value, None, None)[0]
    return aggregate_item(value, best, count, None, HEURISTIC)


def _of_ratings(name: str) -> bool:
    """A count of ratings, not of something else the element says ("link_count")."""
    return _RATINGS_COUNTED.search(name) is not None

"""Reviews from page layout, for pages whose markup has no schema.org reviews.

A review list is a run of blocks built from one template, each holding a rating (see
``spiders.extract.layout_rating``) and a text. The blocks are found from the ratings:
ratings at the same place of the page's structure (same path of tags and classes) form
a group, and each rating's block is its largest ancestor that holds no other rating of
the group. Avatars and links inside a block do not make it a product card; prices and
buy buttons do.

Within a group the blocks are read as one template: every text of a block sits in a
*slot* (its path of tags and classes below the block). A slot whose texts are the same
in every block, or differ only in numbers or a date after a shared lead-in ("Reviewed
on ...", "Written for variant 45", "12 people found this helpful"), is chrome; the
body is the slot carrying the most text that varies from block to block. The same
comparison finds the author (a short varying name-like line) and the date.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import lxml.etree
from lxml.html import HtmlElement as Element

from settings.languages import normalize_language_code
from settings.records import ReviewItem
from spiders.extract.element_text import SKIP_TAGS, flat_text
from spiders.extract.layers import HEURISTIC
from spiders.extract.layout_rating import (
    LayoutRating,
    attributes_rating_named,
    group_scale,
    rating_of,
    rating_signs,
)
from spiders.extract.page_heading import main_heading
from spiders.extract.price import detect_currency
from spiders.extract.shop_labels import UNSPACED
from spiders.extract.visible_price import names_of, own_text
from spiders.raw_fields import find_date, is_numeric_date, is_relative_date, normalize_rating

# Raw-HTML signs that a page may show ratings at all (skips the tree walk otherwise).
# A bar drawn to a width % is one too: hashed class names may say nothing else. A number
# over any scale ``_SHOWN_PAIR`` reads ("9/10", "95/100"), not only over 5.
_RATING_SIGNS = re.compile(
    r"rating|star|score|★|out of|rate|/\s*(?:5|10|20|100)\b|aria-label|width\s*:\s*\d[\d.]*%",
    re.I,
)
_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "em", "font", "i", "img", "mark", "q",
     "s", "small", "span", "strong", "sub", "sup", "time", "u", "wbr"}
)  # fmt: skip
_CONTROL_TAGS = frozenset({"button", "select", "option", "textarea", "input", "label", "form"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b"})
_AUTHOR_NAME = re.compile(r"author|user|reviewer|nick|byline|customer|profile|name", re.I)
_TITLE_NAME = re.compile(r"title|headline|heading|summary", re.I)
_DIGITS = re.compile(r"[-_]?\d+")
_PRICE_TEXT = 40
# Body slots whose varying part is shorter than this on average are not prose.
_MIN_BODY_MEAN = 12
_MAX_AUTHOR = 40
# A name line missing from most blocks is still read where the template's usual one is absent.
_MIN_PART_COVERAGE = 0.2
_MAX_AUTHOR_WORDS = 5
_MAX_DATE_TEXT = 80
# A relative date is short and holds a number and a word ("il y a 2 mois").
_MAX_RELATIVE_DATE = 30
_DIGIT_AND_WORD = re.compile(r"\d.*[^\W\d_]{2}|[^\W\d_]{2}.*\d")
_MAX_BLOCK_TEXT = 20_000
# A lone review's block stops growing before it takes in a whole section.
_MAX_LONE_TEXT = 1_500
_MIN_LONE_WORDS = 4
_DEBUG = bool(os.environ.get("RIVALSCOPE_DEBUG_LAYOUT_REVIEWS"))


@dataclass
class _Unit:
    """One text of a block: an element whose content is inline (a paragraph, a line)."""

    element: Element
    slot: tuple[str, ...]
    text: str
    in_link: bool
    is_control: bool
    names: str


@dataclass
class _Block:
    element: Element
    rating: LayoutRating
    rating_element: Element
    units: list[_Unit] = field(default_factory=list)


def heuristic_review_items(
    root: Element, url: str, page_text: str, locale: str | None = None
) -> list[ReviewItem]:
    """Reviews found in repeated rating + text blocks, in page order; [] when unsure.
    ``locale`` is the page's language tag (``"en-GB"``): it orders numeric dates."""
    if not _RATING_SIGNS.search(page_text):
        return []
    ratings = _ratings(root)
    groups: dict[tuple[str, ...], list[tuple[Element, LayoutRating]]] = {}
    for element, rating in ratings:
        groups.setdefault(_path(element), []).append((element, rating))
    # Elements, not their id(): a block of a rejected group is freed and its id reused.
    seen_blocks: set[Element] = set()
    found: list[tuple[Element, ReviewItem]] = []
    for members in sorted(groups.values(), key=lambda m: -len(m)):
        blocks = _blocks(members)
        if not blocks or any(b.element in seen_blocks for b in blocks):
            continue
        blocks += _stray_blocks(blocks, ratings, seen_blocks)
        items = _group_reviews(blocks, url, locale)
        if _DEBUG:
            print("group", len(blocks), _path(members[0][0])[-3:], items is not None)
        if items is None:
            continue
        seen_blocks.update(b.element for b in blocks)
        found.extend((b.element, item) for b, item in zip(blocks, items, strict=False))
    found = _without_aside(found)
    if not found:
        found = _bare_number_reviews(root, url, locale)
    if not found:
        found = _lone_review(groups, url, locale)
    order = _page_order(root, [element for element, _ in found])
    found.sort(key=lambda pair: order[pair[0]])
    return _without_clones([item for _, item in found])


_FEW = 64


def _without_aside(found: list[tuple[Element, ReviewItem]]) -> list[tuple[Element, ReviewItem]]:
    """The reviews outside ``<aside>`` when there are some: a list in the page's side
    column beside the main one (the shop's own reviews, another product's) is not about
    the page's product."""
    aside = {id(e) for e, _ in found if e.xpath("ancestor::aside")}
    if not aside or len(aside) == len(found):
        return found
    return [(e, item) for e, item in found if id(e) not in aside]


def _page_order(root: Element, elements: list[Element]) -> dict[Element, tuple[int, ...]]:
    """Sort keys putting the elements in page order. A few elements: the child
    index at each level from the root (a walk of the whole page costs more); many: their
    index in one walk (an XPath count of preceding elements per block is quadratic)."""
    if len(elements) <= _FEW:
        return {element: _child_indexes(element) for element in elements}
    return {e: (i,) for i, e in enumerate(e for e in root.iter() if isinstance(e.tag, str))}


def _child_indexes(element: Element) -> tuple[int, ...]:
    """Position of the element in the tree: its index among its parent's children, and so
    on up (tuples compare in document order; an ancestor's is a prefix of its own)."""
    indexes: list[int] = []
    parent = element.getparent()
    while parent is not None:
        indexes.append(parent.index(element))
        element, parent = parent, parent.getparent()
    return tuple(reversed(indexes))


# Leaves whose whole text is a short number: a rating shown as a bare digit ("5") where class
# names (hashed) and labels say nothing. (descendant::, not "//": the texts of every node, merged.)
_BARE_NUMBERS = lxml.etree.XPath(
    "//body/descendant::text()[contains('1 2 3 4 5 1.5 2.5 3.5 4.5 1,5 2,5 3,5 4,5', normalize-space(.))"
    " and normalize-space(.) != '']/parent::*[not(*)]"
)
_BARE_NUMBER = re.compile(r"[1-5](?:[.,][05])?")
# Short elements whose text has a slash: a rating shown with its scale ("8/10", "<b>4</b> / 5").
_SLASHED_NUMBERS = lxml.etree.XPath(
    "//body/descendant::text()[contains(., '/')]/parent::*"
    "[not(self::script or self::style) and string-length(normalize-space(.)) <= 30]"
)
_SHOWN_PAIR = re.compile(r"(\d{1,3}(?:[.,]\d)?) ?/ ?(5|10|20|100)")
# A label before the number, the same in every block of the list ("Ocena: 4/5").
_PAIR_LABEL = re.compile(r"[^\W\d_][^\d/]{0,20}:")
_MAX_BARE_PAIR = 12
_NOT_A_RATING_ABOVE = "ancestor-or-self::*[self::a or self::button or self::label or self::option or self::select or self::table or self::th or self::td]"  # fmt: skip
# A bare number is the weakest sign of a rating: only prose of some length, under a name
# line, in blocks of one template, makes it one.
_MIN_BARE_BODY_WORDS = 6


def _shown_numbers(root: Element) -> list[tuple[Element, LayoutRating | None]]:
    """Elements showing only a number that could be a rating: a bare digit 1 to 5 (half
    steps), or a number over its scale ("8/10", "4 / 5"), the scale kept as its best; None
    for a leaf of a few digits that is no such number ("2 3")."""
    shown: list[tuple[Element, LayoutRating | None]] = []
    for element in _BARE_NUMBERS(root):
        text = " ".join((element.text or "").split())
        value = float(text.replace(",", ".")) if _BARE_NUMBER.fullmatch(text) else None
        shown.append((element, LayoutRating(value, None, text) if value is not None else None))
    for element in _SLASHED_NUMBERS(root):
        text = " ".join(element.text_content().split())
        label = _PAIR_LABEL.match(text)
        if label is None and len(text) > _MAX_BARE_PAIR:
            continue
        pair = _SHOWN_PAIR.fullmatch(text[label.end() :].strip() if label else text)
        if pair is not None:
            value, best = float(pair.group(1).replace(",", ".")), float(pair.group(2))
            if value <= best:
                shown.append((element, LayoutRating(value, best, text)))
    return shown


def _label_of(shown: str) -> str:
    """The label written before a shown number ("Ocena:" of "Ocena: 4/5"), "" for none."""
    label = _PAIR_LABEL.match(shown)
    return label.group(0) if label else ""


def _bare_number_reviews(
    root: Element, url: str, locale: str | None
) -> list[tuple[Element, ReviewItem]]:
    """Reviews whose rating is a bare digit 1 to 5 in a line of its own, or a number over
    its scale ("7/10"), at the same place of every block of a repeated template that also
    holds a varying name-like line and a prose text. Every number at that place must read
    as a rating (a 0, a 12 or a count that steps 1, 2, 3 is a like counter, an amount or a
    step number), all on one scale."""
    groups: dict[tuple[str, ...], list[tuple[Element, LayoutRating | None]]] = {}
    for element, shown in _shown_numbers(root):
        groups.setdefault(_path(element), []).append((element, shown))
    found: list[tuple[Element, ReviewItem]] = []
    for group in sorted(groups.values(), key=lambda m: -len(m)):
        if len(group) < 2:
            break
        members = [(e, rating) for e, rating in group if rating is not None]
        if len(members) < len(group) or len({rating.best for _, rating in members}) != 1:
            continue  # a number that is no rating, or "4" beside "7/10": not one template's
        if len({_label_of(rating.raw) for _, rating in members}) != 1:
            continue  # "Ocena: 4/5" beside "Dostawa: 5/5": labels of different things
        if any(e.xpath(_NOT_A_RATING_ABOVE) for e, _ in members):
            continue  # a link, a control or a table cell
        values = [rating.value for _, rating in members]
        if all(b - a == 1 for a, b in itertools.pairwise(values)):
            continue  # 1, 2, 3: a counter
        blocks = _blocks(members)
        if not blocks or any(any(b.element is f or f in b.element.iterancestors() for f, _ in found) for b in blocks):  # fmt: skip
            continue
        items = _group_reviews(blocks, url, locale, bare=True)
        if items is not None:
            found.extend((b.element, item) for b, item in zip(blocks, items, strict=False))
    return found


def _lone_review(
    groups: dict[tuple[str, ...], list[tuple[Element, LayoutRating]]],
    url: str,
    locale: str | None,
) -> list[tuple[Element, ReviewItem]]:
    """A page with one review: a rating alone at its place whose block, the largest
    ancestor holding no other rating nor the page's main heading, reads like a review (dated prose, no price). A
    list of ratings at one place that the block holds whole is the review's own
    per-aspect ratings ("Quality ★★★★☆, Comfort ★★★★★"), not another review's."""
    groups = _without_twins(groups)
    holding = _rivals_held(groups)
    found: list[tuple[Element, ReviewItem]] = []
    titled: set[Element] | None = None  # the page's main heading and what holds it
    for members in groups.values():
        if len(members) != 1:
            continue
        element, rating = members[0]
        if rating.shape_only:
            continue  # an empty box as wide as its frame is as often a placeholder
        if titled is None:
            titled = _holding_heading(element)
        block = None
        for ancestor in element.iterancestors():
            if holding.get(ancestor, 0) > 1 or ancestor.tag in ("body", "html"):
                break
            if len(ancestor.text_content()) > _MAX_LONE_TEXT or ancestor in titled:
                break
            block = ancestor
        if block is None or block.xpath(
            "ancestor-or-self::table | ancestor-or-self::dl | .//table | .//dl"
        ):
            continue  # a label/value row of a details table ("Rating: 4.7")
        items = _group_reviews([_Block(block, rating, element)], url, locale, lone=True)
        if items:
            found.append((block, items[0]))
    return found if len(found) == 1 else []


def _holding_heading(element: Element) -> set[Element]:
    """The page's main heading (``page_heading.main_heading``) and its ancestors: where
    the product is named, no review's block."""
    heading = main_heading(element.getroottree().getroot())
    return set() if heading is None else {heading, *heading.iterancestors()}


def _without_twins(
    groups: dict[tuple[str, ...], list[tuple[Element, LayoutRating]]],
) -> dict[tuple[str, ...], list[tuple[Element, LayoutRating]]]:
    """The groups without the second of two sibling ratings of one tag, value and scale,
    side by side and alone so (not in a run of three or more: a row of icons): one widget
    drawing its rating twice (a lit copy of the stars over an unlit one, each labelled "4
    of 5"), not two reviews' ratings. Groups left empty are dropped."""
    shown = {element: rating for members in groups.values() for element, rating in members}

    def same(element: Element | None, other: Element | None) -> bool:
        if element is None or other is None or element not in shown or other not in shown:
            return False
        one, two = shown[element], shown[other]
        return element.tag == other.tag and (one.value, one.best) == (two.value, two.best)

    twins = set()
    for element in shown:
        previous = _sibling_element(element, -1)
        if (
            same(previous, element)
            and not same(_sibling_element(previous, -1), previous)
            and not same(_sibling_element(element, 1), element)
        ):
            twins.add(element)
    if not twins:
        return groups
    kept = {
        key: [(element, rating) for element, rating in members if element not in twins]
        for key, members in groups.items()
    }
    return {key: members for key, members in kept.items() if members}


def _sibling_element(element: Element | None, step: int) -> Element | None:
    """The previous (``step`` -1) or next (1) sibling that is an element."""
    if element is None:
        return None
    sibling = element.getprevious() if step < 0 else element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getprevious() if step < 0 else sibling.getnext()
    return sibling


def _rivals_held(
    groups: dict[tuple[str, ...], list[tuple[Element, LayoutRating]]],
) -> dict[Element, int]:
    """Per ancestor, how many ratings under it could belong to another review: each rating
    alone at its place, and the members of a repeated place (a list of ratings) when the
    ancestor holds only part of that list. A list held whole is counted as nothing (the
    aspect ratings of the review the ancestor holds) unless its values step by one in page
    order: the stars of one widget, each numbered (1, 2, 3), or a histogram's rows (5, 4,
    3, 2, 1), the page's summary beside the reviews, not in one."""
    holding: dict[Element, int] = {}
    for members in groups.values():
        under: dict[Element, int] = {}
        for element, _ in members:
            for ancestor in element.iterancestors():
                under[ancestor] = under.get(ancestor, 0) + 1
        whole = len(members)
        steps = {b.value - a.value for (_, a), (_, b) in itertools.pairwise(members)}
        numbered = steps in ({1.0}, {-1.0})
        for ancestor, count in under.items():
            if whole == 1 or count < whole or numbered:
                holding[ancestor] = holding.get(ancestor, 0) + count
    return holding


def _ratings(root: Element) -> list[tuple[Element, LayoutRating]]:
    """Rating-like elements in document order, outermost of nested ones (a link titled
    "4 of 5" around an icon whose text says it again is one rating)."""
    found: list[tuple[Element, LayoutRating]] = []
    # lxml walks the tree in C; a parent's names are read only for the few elements whose
    # own text alone could show a rating.
    parents_named: dict[Element, bool] = {}  # read once for all the texts of a parent
    walker = lxml.etree.iterwalk(root, events=("start",))
    for _, element in walker:
        tag = element.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            walker.skip_subtree()
            continue
        may_show, named = rating_signs(element)
        if may_show is None:  # the walk's root has no parent to read
            parent = element.getparent() if element is not root else None
            if parent is not None and parent not in parents_named:
                parents_named[parent] = attributes_rating_named(parent)
            may_show = parent is not None and parents_named[parent]
        if not may_show:
            continue
        rating = rating_of(element, named)
        if rating is not None:
            found.append((element, rating))
            walker.skip_subtree()
    return found


def _class_shape(element: Element) -> str:
    """Tag and classes without digits: "star-4" and "star-5" are the same template."""
    classes = element.get("class") or ""
    shape = _remembered_classes(classes) if len(classes) <= _REMEMBERED_CLASSES else _classes_shape(classes)  # fmt: skip
    return f"{element.tag}.{shape}"


# A page's blocks repeat a few class lists, each read for every path, line and first
# child of a block (~850 times a page): short lists' shapes are remembered (a bounded
# number of bounded strings, whatever a hostile page holds).
_REMEMBERED_CLASSES = 200


@lru_cache(maxsize=4096)
def _remembered_classes(classes: str) -> str:
    return _classes_shape(classes)


def _classes_shape(classes: str) -> str:
    return ".".join(sorted({_DIGITS.sub("", c) for c in classes.split()}))


def _first_child_shape(element: Element) -> str | None:
    first = next((c for c in element if isinstance(c.tag, str)), None)
    return _class_shape(first) if first is not None else None


def _path(element: Element) -> tuple[str, ...]:
    return tuple(_class_shape(e) for e in reversed([element, *element.iterancestors()]))


def _blocks(members: list[tuple[Element, LayoutRating]]) -> list[_Block]:
    """Each rating's block: its ancestor just below where it meets the nearest other rating
    of the group, at the same height for the whole group (one template)."""
    if len(members) < 2:
        return []
    chains = [[e, *e.iterancestors()] for e, _ in members]
    heights: list[int] = []
    for index, chain in enumerate(chains):
        height = len(chain)
        for other in (index - 1, index + 1):
            if 0 <= other < len(chains):
                height = min(height, _meet_height(chain, chains[other]))
        heights.append(height)
    height = min(heights)
    if height < 1:
        return []
    blocks = []
    for chain, (rated, rating) in zip(chains, members, strict=False):
        element = chain[height - 1] if height - 1 < len(chain) else chain[-1]
        if element.tag in ("body", "html"):
            return []
        blocks.append(_Block(element, rating, rated))
    return blocks


def _stray_blocks(
    blocks: list[_Block], ratings: list[tuple[Element, LayoutRating]], seen: set[Element]
) -> list[_Block]:
    """Blocks of the same template whose rating sits at another path only by its classes:
    a sibling of the group's blocks, of their tag and classes, reached from a rating by
    the same tags. A class that says the value ("rated-4") puts each value at its own path
    once class names are hashed (CSS modules), and only the largest value's group would be
    read."""
    first = blocks[0]
    ancestors = list(first.rating_element.iterancestors())
    height = ancestors.index(first.element) + 1 if first.element in ancestors else 0
    tags = _tag_path(first.rating_element, height)
    shape = _class_shape(first.element)
    parents = {b.element.getparent() for b in blocks}
    taken = {b.rating_element for b in blocks}
    strays: list[_Block] = []
    for element, rating in ratings:
        if element in taken:
            continue
        block = element
        for _ in range(height):
            block = block.getparent()
            if block is None:
                break
        if block is None or block.getparent() not in parents or block in seen:
            continue
        if any(b.element is block for b in (*blocks, *strays)):
            continue
        if _tag_path(element, height) != tags or _class_shape(block) != shape:
            continue  # a block of another template (a product card beside the reviews)
        strays.append(_Block(block, rating, element))
    if not strays:
        return []
    # The template's lines must be the same lines: where classes inside the block vary
    # (odd/even, nesting depth of replies), its lines could not be compared.
    lines = {unit.slot for unit in _units(first.element)}
    return [b for b in strays if _shared_share({u.slot for u in _units(b.element)}, lines) >= 0.5]


def _shared_share(one: set[tuple[str, ...]], other: set[tuple[str, ...]]) -> float:
    return len(one & other) / len(one | other) if one | other else 0.0


def _tag_path(element: Element, height: int) -> tuple[str, ...]:
    """Tags from the element up ``height`` levels."""
    tags = [element.tag]
    for ancestor in element.iterancestors():
        if len(tags) > height:
            break
        tags.append(ancestor.tag)
    return tuple(tags)


def _meet_height(chain: list[Element], other: list[Element]) -> int:
    """How many levels above the rating the two chains meet (the common ancestor's height)."""
    others = {id(e) for e in other}
    for height, element in enumerate(chain):
        if id(element) in others:
            return height
    return len(chain)


def _units(block: Element) -> list[_Unit]:
    """The block's texts: maximal elements whose content is inline, in document order."""
    units: list[_Unit] = []

    own_first = _first_child_shape(block)

    def walk(element: Element, slot: tuple[str, ...], link: bool, control: bool) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in SKIP_TAGS:
                continue
            if child.tag == block.tag and own_first and _first_child_shape(child) == own_first:
                continue  # a reply built like the review, nested in it: another text
            child_slot = (*slot, _class_shape(child))
            child_link = link or child.tag == "a"
            child_control = control or child.tag in _CONTROL_TAGS or _is_action(child)
            if _is_inline(child):
                text = flat_text(child)
                if text:
                    names = " ".join(names_of(e) for e in (child, *child.iterdescendants()) if isinstance(e.tag, str))  # fmt: skip
                    linked = child_link or _linked_share(child, text) >= 0.5
                    units.append(_Unit(child, child_slot, text, linked, child_control, names))
                    units.extend(_named_parts(child, child_slot, child_link, child_control))
            else:
                loose = own_text(child)
                if loose:
                    units.append(_Unit(child, (*child_slot, "#text"), loose, child_link, child_control, names_of(child)))  # fmt: skip
                walk(child, child_slot, child_link, child_control)

    loose = own_text(block)
    if loose:
        units.append(_Unit(block, ("#text",), loose, block.tag == "a", False, names_of(block)))
    # A block that is itself a link (or sits in one) is a teaser card for another page.
    linked = any(e.tag == "a" and e.get("href") for e in (block, *block.iterancestors()))
    walk(block, (), linked, False)
    return units


def _is_action(element: Element) -> bool:
    """A button, or a link that acts on the page ("Reply", "Helpful") instead of leaving it."""
    if element.get("role") == "button":
        return True
    href = element.get("href") if element.tag == "a" else None
    return href is not None and ("#" in href or href.startswith("javascript"))


def _named_parts(unit: Element, slot: tuple[str, ...], link: bool, control: bool) -> list[_Unit]:
    """Author-named elements inside a line ("by <span class=name>Ann</span> from Oslo"):
    the line as a whole is not the name."""
    parts = []
    for inner in unit.iterdescendants():
        if not isinstance(inner.tag, str) or not _AUTHOR_NAME.search(names_of(inner)):
            continue
        text = flat_text(inner)
        if text:
            part_slot = (*slot, ">", _class_shape(inner))
            parts.append(_Unit(inner, part_slot, text, link, control, names_of(inner)))
    return parts


def _linked_share(element: Element, text: str) -> float:
    """Share of a line's text that sits in links: "Reply · Report" rows are controls."""
    inside = sum(len(flat_text(a)) for a in element.iterdescendants("a"))
    return inside / len(text)


def _is_inline(element: Element) -> bool:
    """True when everything inside the element is inline: its text is one line or paragraph."""
    return all(
        not isinstance(e.tag, str) or e.tag in _INLINE_TAGS or e.tag in SKIP_TAGS
        for e in element.iterdescendants()
    )


def _keyed_units(block: _Block) -> dict[tuple[tuple[str, ...], int], _Unit]:
    """Units by (slot, occurrence): the second line of the same shape is another field."""
    keyed: dict[tuple[tuple[str, ...], int], _Unit] = {}
    counts: dict[tuple[str, ...], int] = {}
    for unit in block.units:
        occurrence = counts.get(unit.slot, 0)
        counts[unit.slot] = occurrence + 1
        keyed[(unit.slot, occurrence)] = unit
    return keyed


def _shared_affixes(texts: Sequence[str]) -> tuple[int, int]:
    """Lengths of the prefix and suffix all the texts share (template words around a value)."""
    if len(texts) < 2:
        return 0, 0
    lead = _common_prefix(texts)
    tail = _common_prefix([t[lead:][::-1] for t in texts])
    return lead, tail


def _common_prefix(texts: Sequence[str]) -> int:
    """Length of the longest prefix of all the texts (character by character, not paths)."""
    shortest = min(texts, key=len)
    for index, char in enumerate(shortest):
        if any(t[index] != char for t in texts):
            return index
    return len(shortest)


@dataclass
class _Slot:
    key: tuple[tuple[str, ...], int]
    units: list[_Unit | None]
    varying: list[str]
    """Per block, the text without the lead-in and tail shared by all blocks ("" if absent)."""

    # Cached: read for every block of the group, and a slot does not change once built.
    @cached_property
    def coverage(self) -> float:
        return sum(u is not None for u in self.units) / len(self.units)

    @cached_property
    def distinct(self) -> float:
        present = [u.text for u in self.units if u is not None]
        return len(set(present)) / len(present) if present else 0.0


def _slots(blocks: list[_Block]) -> list[_Slot]:
    keyed = [_keyed_units(b) for b in blocks]
    order: list[tuple[tuple[str, ...], int]] = []
    for block_units in keyed:
        order.extend(k for k in block_units if k not in order)
    slots = []
    for key in order:
        units = [k.get(key) for k in keyed]
        texts = [u.text for u in units if u is not None]
        lead, tail = _shared_affixes(texts)
        varying = [u.text[lead : len(u.text) - tail] if u is not None else "" for u in units]
        slots.append(_Slot(key, units, varying))
    return slots


def _word_count(text: str) -> int:
    """Words of a text: its spaced words, and in scripts written without spaces (Chinese,
    Japanese, Thai) one per two of their characters, a usual word's length there."""
    words = len(text.split())
    unspaced = len(UNSPACED.findall(text))
    return words + unspaced // 2 if unspaced else words


def _prose_weight(text: str) -> float:
    """How much a varying text reads like prose: words, not numbers or codes."""
    letters = sum(c.isalpha() for c in text)
    if letters < 2:
        return 0.0
    digits = sum(c.isdigit() for c in text)
    return 1.0 if digits * 4 <= letters else 0.2


def _body_score(slot: _Slot, language: str | None) -> float:
    present = [u for u in slot.units if u is not None]
    if not present or any(u.is_control for u in present):
        return 0.0
    if len(present) > 1 and slot.distinct * len(present) < 1.5:
        return 0.0  # the same text in every block: chrome
    texts = [v for v, u in zip(slot.varying, slot.units, strict=False) if u is not None]
    dated = sum(1 for u in present if len(u.text) <= _MAX_DATE_TEXT and find_date(u.text, language))  # fmt: skip
    if dated * 2 > len(present):
        return 0.0
    # Mean varying prose per block, weighted by coverage once more: a long reply that a
    # few blocks carry does not outweigh the text every block has.
    score = sum(len(t) * _prose_weight(t) for t in texts) / len(slot.units) * slot.coverage
    if sum(u.in_link for u in present) * 2 > len(present):
        score *= 0.5  # titles are often links to the review's own page; bodies rarely
    return score


def _group_reviews(
    blocks: list[_Block],
    url: str,
    locale: str | None,
    *,
    lone: bool = False,
    bare: bool = False,
) -> list[ReviewItem] | None:
    for block in blocks:
        if len(block.element.text_content()) > _MAX_BLOCK_TEXT:
            return None
        block.units = _units(block.element)
    if sum(_is_product_card(b) for b in blocks) * 2 >= len(blocks):
        return None
    language = normalize_language_code(locale) if locale else None
    slots = _slots(blocks)
    scored = sorted(((_body_score(s, locale), i) for i, s in enumerate(slots)), reverse=True)
    if not scored or scored[0][0] < _MIN_BODY_MEAN:
        return None
    body = slots[scored[0][1]]
    present = [u for u in body.units if u is not None]
    if sum(_word_count(u.text) >= 2 for u in present) * 2 < len(present):
        return None
    if sum(u.in_link for u in present) * 2 > len(present):
        return None  # names linking to other pages: product or article cards
    title = _title_slot(slots, body)
    authors = _author_slots(slots, body, title, locale)
    date = _date_slot(slots, body, locale)
    dated = date is not None or any(b.element.find(".//time") is not None for b in blocks)
    if lone and not _reads_like_a_review(blocks[0], present[0], locale):
        return None
    if lone and not dated:  # the last test (dateparser): a relative date says when too
        date = _relative_date_slot(slots, body, locale)
        dated = date is not None
    if not authors and not lone and not dated:  # a list dated relatively ("منذ شهر")
        date = _date_slot(slots, body, locale, relative=True)
        dated = date is not None
    if (not authors or lone) and not dated:
        return None  # reviews say who or when; cards and teasers say neither
    if bare and not _bare_template_reads_as_reviews(
        blocks, body, authors or _bylines(date, locale)
    ):
        return None
    if lone:  # a name the layout names as such, not the line showing the rating
        rated = blocks[0].rating_element
        authors = [
            a
            for a in authors
            if any(_AUTHOR_NAME.search(u.names) for u in a.units if u)
            and not any(
                u is not None and u.element in (rated, *rated.iterancestors()) for u in a.units
            )
        ]
    scale = group_scale([b.rating for b in blocks])
    items: list[ReviewItem] = []
    for index, block in enumerate(blocks):
        unit = body.units[index] or _fallback_body(block, slots, index, locale)
        if unit is None and not _rated_only(index, body, authors, date, lone or bare):
            return None
        item = ReviewItem(url=url)
        if unit is not None:
            item.text = _with_next_paragraphs(unit, block, slots, index)
            item.explain["text"] = HEURISTIC.name
        _put_rating(item, block.rating, scale)
        title_unit = title.units[index] if title is not None else None
        if title_unit is not None:
            _put(item, "title", _without_rating_text(title_unit, block))
        author = next((a for a in authors if a.units[index] is not None), None)
        if author is not None:
            _put(item, "author", _author_text(author, index))
        _put_date(item, block, date, index, locale)
        element = block.element
        _put(item, "external_id", element.get("id") or element.get("data-review-id") or element.get("data-id"))  # fmt: skip
        _put(item, "language", normalize_language_code(element.get("lang")) or None)
        items.append(item)
    del language
    return items


def _rated_only(
    index: int, body: _Slot, authors: list[_Slot], date: _Slot | None, weak: bool
) -> bool:
    """Whether a block without text is a rating given without words: one of a list most
    of whose blocks have their text at the template's place (at least two), showing its
    name or date line at the template's place as they do. A lone block or a bare number
    (the weakest reading) is a review only with its text."""
    texts = sum(u is not None for u in body.units)
    if weak or texts < 2 or texts * 2 <= len(body.units):
        return False
    return any(slot.units[index] is not None for slot in (*authors, date) if slot is not None)


def _bare_template_reads_as_reviews(
    blocks: list[_Block], body: _Slot, authors: list[_Slot]
) -> bool:
    """Blocks rated by a bare number are reviews only with a name line in most of them, a
    body of prose in every one (of some length unless the number states its scale: "7/10"
    says more than "4"), and the number apart from both."""
    primary = authors[0] if authors else None
    if primary is None or primary.coverage < 0.5:
        return False
    if any(u is None or _word_count(u.text) < 2 for u in body.units):
        return False
    words = sum(_word_count(u.text) for u in body.units if u is not None) / len(body.units)
    if words < _MIN_BARE_BODY_WORDS and blocks[0].rating.best is None:
        return False
    for block, unit in zip(blocks, body.units, strict=True):
        rated = block.rating_element
        if unit is not None and (unit.element is rated or rated in unit.element.iterdescendants()):
            return False  # the number sits inside the text: a quantity or a count in it
    return True


# Between a byline's name and its date ("Lena, Umeå – 4 nov 2026", "Raúl · 02/11/2026").
_BYLINE_SEPARATOR = re.compile(r"\s+[·•|–—-]\s+|,\s+")


def _bylines(date: _Slot | None, locale: str | None) -> list[_Slot]:
    """The date line as the author line when it is a byline: in each block a name-like
    first part before a separator, the date after it, the names varying (one line that
    says who and when; ``_author_slots`` leaves out lines holding a date)."""
    if date is None or date.coverage < 0.5:
        return []
    names = []
    for unit in date.units:
        if unit is None:
            continue
        first = _BYLINE_SEPARATOR.split(unit.text, maxsplit=1)[0].strip()
        if first == unit.text.strip() or not _looks_like_name(first) or find_date(first, locale):
            return []
        names.append(first)
    return [date] if len(set(names)) * 2 > len(names) else []


def _without_rating_text(unit: _Unit, block: _Block) -> str:
    """The unit's text without the text of the block's rating when the rating sits inside
    it: a title line that starts with its stars ("2.0 out of 5 stars Nasty") is "Nasty"."""
    rated = block.rating_element
    if unit.element is not rated and unit.element not in rated.iterancestors():
        return unit.text
    shown = flat_text(rated)
    if shown and unit.text.startswith(shown):
        return unit.text[len(shown) :].strip() or unit.text
    if shown and unit.text.endswith(shown):
        return unit.text[: -len(shown)].strip() or unit.text
    return unit.text


def _reads_like_a_review(block: _Block, body: _Unit, language: str | None) -> bool:
    """Without other blocks to compare with, a lone review needs a rated prose body that is
    not a byline ("by Ann, 6 October 2025")."""
    words = _word_count(body.text)
    # Individual ratings are whole or half stars; 4.3 is the page's average shown nearby.
    whole = (block.rating.value * 2).is_integer() or (block.rating.best or 5) > 10
    return whole and block.rating.value > 0 and words >= _MIN_LONE_WORDS and find_date(body.text, language) is None  # fmt: skip


def _is_product_card(block: _Block) -> bool:
    """A block that shows a price or a buy control is an offer, whatever else it holds."""
    for unit in block.units:
        short = len(unit.text) <= _PRICE_TEXT and any(c.isdigit() for c in unit.text)
        if short and detect_currency(unit.text)[1] is not None:
            return True
    element = block.element
    # A quantity field in a form without a comment box: an add-to-basket form.
    return any(
        form.find(".//textarea") is None and form.find(".//input[@type='number']") is not None
        for form in element.iter("form")
    )


def _with_next_paragraphs(unit: _Unit, block: _Block, slots: list[_Slot], index: int) -> str:
    """The body and the paragraphs that continue it: following siblings of the same shape
    whose texts vary from block to block (a text written as several ``<p>``)."""
    varying = {
        id(s.units[index]): s
        for s in slots
        if s.units[index] is not None
        and (len(s.units) == 1 or s.distinct > 0.5)
        and len(s.varying[index]) * 2 >= len(s.units[index].text)  # type: ignore[union-attr]
    }
    by_element = {id(u.element): u for u in block.units}
    parts = [unit.text]
    shape = _class_shape(unit.element)
    for sibling in unit.element.itersiblings():
        if not isinstance(sibling.tag, str) or _class_shape(sibling) != shape:
            break
        following = by_element.get(id(sibling))
        if following is None or id(following) not in varying or following.is_control:
            break
        parts.append(following.text)
    return " ".join(parts)


def _fallback_body(
    block: _Block, slots: list[_Slot], index: int, language: str | None
) -> _Unit | None:
    """A block off the template (a review with photos): its longest varying prose."""
    best: tuple[float, _Unit | None] = (0.0, None)
    for slot in slots:
        unit = slot.units[index]
        if unit is None or unit.is_control or _body_score(slot, language) == 0.0:
            continue
        weight = len(slot.varying[index]) * _prose_weight(slot.varying[index])
        if weight > best[0]:
            best = (weight, unit)
    return best[1]


def _same_texts(slot: _Slot, other: _Slot | None) -> bool:
    if other is None:
        return False
    pairs = [(a.text, b.text) for a, b in zip(slot.units, other.units, strict=False) if a and b]
    return bool(pairs) and all(a == b for a, b in pairs)


def _inside(unit: _Unit | None, other: _Unit | None) -> bool:
    if unit is None or other is None:
        return False
    return unit.element is other.element or other.element in unit.element.iterancestors()


def _overlaps(slot: _Slot, other: _Slot | None) -> bool:
    if other is None:
        return False
    return any(
        _inside(a, b) or _inside(b, a) for a, b in zip(slot.units, other.units, strict=False)
    ) or _same_texts(slot, other)


def _title_slot(slots: list[_Slot], body: _Slot) -> _Slot | None:
    """A short varying line before the body, shown as a heading, bold or title-named."""
    body_at = slots.index(body)
    best: tuple[int, _Slot | None] = (0, None)
    for slot in slots[:body_at]:
        present = [u for u in slot.units if u is not None]
        if not present or slot.coverage < 0.5 or _overlaps(slot, body):
            continue
        if any(u.is_control for u in present) or len({u.text for u in present}) < min(
            2, len(present)
        ):
            continue  # one text in every block is a label, not a title
        tags = {u.element.tag for u in present}
        heading = bool(tags & _HEADING_TAGS) or any(_TITLE_NAME.search(u.names) for u in present)
        if not heading or any(len(u.text) > 200 for u in present):
            continue
        named_title = any(_TITLE_NAME.search(u.names) for u in present)
        if not named_title and any(_AUTHOR_NAME.search(u.names) for u in present):
            continue  # a bold name: the author, not a title
        if all(_prose_weight(v) == 0.0 for v in slot.varying):
            continue
        rank = 2 if any(_TITLE_NAME.search(u.names) for u in present) else 1
        if rank > best[0]:
            best = (rank, slot)
    return best[1]


def _looks_like_name(text: str) -> bool:
    """Short, a few words, more letters than digits (nicknames such as "anna82" are names)."""
    words = text.split()
    if not 1 <= len(words) <= _MAX_AUTHOR_WORDS or not 2 <= len(text) <= _MAX_AUTHOR:
        return False
    letters = sum(c.isalpha() for c in text)
    sentence_end = text[-1] in "!?" or (text[-1] == "." and len(words[-1]) > 2)  # not "Ann B."
    return letters >= 2 and sum(c.isdigit() for c in text) <= letters and not sentence_end


def _author_slots(
    slots: list[_Slot], body: _Slot, title: _Slot | None, language: str | None
) -> list[_Slot]:
    """A short name-like line that varies from block to block, named like an author
    when the layout names it, else the first such line before the body."""
    body_at = slots.index(body)
    candidates: list[tuple[int, int, _Slot]] = []
    for position, slot in enumerate(slots):
        present = [u for u in slot.units if u is not None]
        if slot is body or slot is title or not present or slot.coverage < _MIN_PART_COVERAGE:
            continue
        if _overlaps(slot, body) or _overlaps(slot, title):
            continue
        if any(u.is_control for u in present) and not _names_a_profile(slot, present):
            continue
        names = [v.strip(" ,:;-–—·|") for v in slot.varying if v]
        if not names or sum(map(_looks_like_name, names)) < 0.7 * len(names):
            continue
        if any(
            len(v) * 2 < len(u.text) for v, u in zip(slot.varying, slot.units, strict=False) if u
        ):
            continue  # a count inside a sentence ("2 people found this helpful"), not a name
        if any(find_date(u.text, language) for u in present):
            continue
        if len(present) > 2 and slot.distinct < 0.3:
            continue  # the same label everywhere ("Verified purchase")
        if len(present) > 1 and slot.distinct * len(present) < 1.5:
            continue
        named = any(_AUTHOR_NAME.search(u.names) for u in present)
        candidates.append((0 if named else 1, 0 if position < body_at else 1, slot))
    if not candidates:
        return []
    candidates.sort(key=lambda c: (c[0], c[1], slots.index(c[2])))
    primary = next((c[2] for c in candidates if c[2].coverage >= 0.5), None)
    if primary is None:
        return []
    # Blocks off the template (a badge moves the name one level down) have their name in
    # another slot, one that is never present where the usual one is.
    chosen = [primary]
    for unnamed, _, slot in candidates:
        if unnamed:
            continue  # a stand-in must say it is a name: a lone line could be anything
        taken = [any(c.units[i] is not None for c in chosen) for i in range(len(slot.units))]
        if all(not (t and u is not None) for t, u in zip(taken, slot.units, strict=True)):
            chosen.append(slot)
    return chosen


_MIN_PROFILE_BLOCKS = 3


def _names_a_profile(slot: _Slot, present: list[_Unit]) -> bool:
    """A control whose text differs in every block: a name that opens its writer's
    profile, not an action ("Reply", "Helpful (3)" say the same words everywhere)."""
    return (
        len(present) >= _MIN_PROFILE_BLOCKS
        and slot.distinct == 1.0
        and all(any(c.isalpha() for c in v) for v in slot.varying if v)
    )


def _author_text(slot: _Slot, index: int) -> str:
    return slot.varying[index].strip(" ,:;-–—·|")


def _date_slot(
    slots: list[_Slot], body: _Slot, language: str | None, relative: bool = False
) -> _Slot | None:
    """The first line, not the body, that holds a written date in most blocks (``relative``:
    or a relative one, "há 5 dias", alone or as a part of a byline "Ana · Recife · há 5 dias")."""
    for slot in slots:
        present = [u for u in slot.units if u is not None]
        if slot is body or not present or _overlaps(slot, body):
            continue
        short = [u for u in present if len(u.text) <= _MAX_DATE_TEXT]
        dated = sum(
            1
            for u in short
            if find_date(u.text, language)
            or is_numeric_date(u.text)
            or (relative and _holds_relative_date(u.text, language))
        )
        if dated * 2 > len(present):
            return slot
    return None


def _holds_relative_date(text: str, language: str | None) -> bool:
    """True if ``text``, or one part of it as a byline separates them, is a relative date."""
    return any(
        len(part) <= _MAX_RELATIVE_DATE and is_relative_date(part.strip(), language)
        for part in _BYLINE_SEPARATOR.split(text)
    )


def _relative_date_slot(slots: list[_Slot], body: _Slot, language: str | None) -> _Slot | None:
    """A lone review's line, not the body, that is a relative date of some digits ("2
    months ago", "il y a 2 mois", "vor 3 Tagen"): a list compares its lines to find the
    date; one review has only its words to say it."""
    for slot in slots:
        unit = slot.units[0]
        if slot is body or unit is None or _overlaps(slot, body):
            continue
        text = unit.text
        if len(text) > _MAX_RELATIVE_DATE or not _DIGIT_AND_WORD.search(text):
            continue
        if is_relative_date(text, language):
            return slot
    return None


def _put_rating(item: ReviewItem, rating: LayoutRating, scale: tuple[float, float]) -> None:
    best, worst = scale
    item.rating, item.rating_raw = rating.value, rating.raw
    item.best_rating, item.worst_rating = best, worst
    item.rating_normalized = normalize_rating(rating.value, best, worst)[0]
    for name in ("rating", "best_rating", "worst_rating", "rating_normalized"):
        item.explain[name] = HEURISTIC.name


def _put(item: ReviewItem, name: str, value: object) -> None:
    if value is not None and value != "":
        setattr(item, name, value)
        item.explain[name] = HEURISTIC.name


def _put_date(
    item: ReviewItem, block: _Block, slot: _Slot | None, index: int, locale: str | None
) -> None:
    """The review's date: a ``<time>``, else the template's date line, else a date-valued
    attribute of the block."""
    language = block.element.get("lang") or locale
    raw = ""
    time_element = block.element.find(".//time")
    if time_element is not None:
        raw = time_element.get("datetime") or " ".join(time_element.text_content().split())
    elif slot is not None and slot.units[index] is not None:
        raw = slot.units[index].text  # type: ignore[union-attr]
    else:
        raw = next(_dated_attributes(block.element), "")
    if raw and len(raw) <= _MAX_DATE_TEXT:
        _put(item, "date_raw", raw)
        # Written dates only: relative ones ("2 days ago") are the pipeline's, with dateparser.
        _put(item, "published", find_date(raw, language))


def _dated_attributes(element: Element) -> Iterator[str]:
    for name, value in element.attrib.items():
        if name.startswith("data-") and re.match(r"\d{4}-\d{2}-\d{2}", value or ""):
            yield value


def _without_clones(items: list[ReviewItem]) -> list[ReviewItem]:
    """One review per (text, rating, date): carousel clones, desktop/mobile copies."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for item in items:
        key = (" ".join((item.text or "").split()).casefold(), item.rating, item.date_raw)
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept

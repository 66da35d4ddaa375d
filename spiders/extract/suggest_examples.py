"""Selectors learnt from examples: the reviews auto extraction reads on a page. Pure.

``targets suggest`` must propose selectors that keep reading a site when its layout shifts
a little, and they must read what the page really shows. Auto extraction already finds a
page's reviews (markup, embedded JSON, layout heuristics); this module finds where each of
their texts sits in the page, takes as a review's *block* the largest element that holds
its text and no other review's, and generalises over the blocks: the block selector is the
tag, class or attribute the blocks share (scored by how many blocks it matches and how few
other elements), and each field selector, relative to its block, is the class, attribute or
tag path that leads to the field's example value in most blocks. No word list: the
examples say which element is the text, the title, the date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lxml.etree import _Element

from settings.records import ReviewItem
from settings.targets import SELECTOR_ERRORS, XPATH_PREFIX, xpath_expression
from spiders.extract.element_text import flat_text, text_pieces

KEY_CHARS = 30
"""Characters of a text compared (whitespace collapsed, case-folded), as the review
benchmark's metric compares them."""
MIN_KEY_CHARS = 12
"""Shorter texts ("Good", "5 stars") are too common on a page to locate a review by."""
MIN_EXAMPLES = 1
MAX_EXAMPLES = 200
"""Enough to generalise from; bounds the pairwise block search on a page with thousands."""
LONE_BLOCK_SLACK = 400
"""A lone review's block holds at most this many characters besides its text (its title,
rating, author and date, not the page section around it)."""
MIN_SHARE = 0.8
"""A selector must find the example in this share of the blocks."""
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title", "meta"})
_ITEM_TAGS = frozenset({"li", "article", "tr"})
"""Tags that hold one item of a list by their meaning."""
_PLAIN_NAME = re.compile(r"-?[_a-zA-Z][\w-]*$")
# Attributes whose values name an element's role rather than its content or position.
_VARYING = frozenset({"id", "class", "style", "href", "src", "srcset", "alt", "title", "value"})


def fold(text: str | None) -> str:
    """Whitespace collapsed, case-folded: how texts are compared."""
    return " ".join((text or "").split()).casefold()


def text_key(text: str | None) -> str:
    """Whitespace removed, case-folded, the first ``KEY_CHARS`` characters: whether the
    selectors read a review auto reads. A review's text in a page's JSON
    ("exactMeasurements") and in its HTML ("exact<br>Measurements") differ in their spaces
    alone often enough; locating examples keeps ``fold``'s spaces."""
    return "".join((text or "").split()).casefold()[:KEY_CHARS]


@dataclass
class LearntSelectors:
    """Selectors generalised from the located examples."""

    review: str
    blocks: list[_Element]
    fields: dict[str, str]
    located: int
    """Examples found in the page's HTML."""


def _is_element(node: object) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _prefix(element: _Element, chars: int = KEY_CHARS) -> str:
    """The element's first ``chars`` characters of text, folded (stops reading early)."""
    pieces: list[str] = []
    size = 0
    for piece in text_pieces(element):
        pieces.append(piece)
        size += len(piece)
        if size > chars * 4:
            break
    return fold("".join(pieces))[:chars]


def _text_elements(root: _Element, texts: Sequence[str]) -> list[_Element]:
    """For each text (in page order of discovery), the smallest element whose text starts
    with it, grown to the element that holds the whole text and little more."""
    keys = Counter(key for t in texts if len(key := fold(t)[:KEY_CHARS]) >= MIN_KEY_CHARS)
    lengths = {fold(t)[:KEY_CHARS]: len(fold(t)) for t in texts}
    found: list[_Element] = []
    used: set[_Element] = set()
    for element in root.iter():
        if not _is_element(element) or element.tag in _SKIPPED:
            continue
        key = _prefix(element)
        if keys.get(key, 0) <= 0:
            continue
        # The deepest element that starts with the text: no child starts with it too.
        if any(_is_element(c) and _prefix(c) == key for c in element):
            continue
        if any(a in used for a in element.iterancestors()):
            continue
        target = lengths[key] + 20
        while (parent := element.getparent()) is not None and parent.tag not in ("body", "html"):
            if _prefix(parent) != key or len(fold(flat_text(parent))) > target:
                break
            element = parent
        found.append(element)
        used.add(element)
        keys[key] -= 1
    return found


def _blocks(text_elements: list[_Element]) -> list[_Element] | None:
    """Each text's block: its highest ancestor that holds no other review's text."""
    lineages = [[e, *e.iterancestors()] for e in text_elements]
    blocks: list[_Element] = []
    for index, lineage in enumerate(lineages):
        others: set[_Element] = set()
        for other_index, other in enumerate(lineages):
            if other_index != index:
                others.update(other)
        shared = next((k for k, a in enumerate(lineage) if a in others), None)
        if not shared:  # an ancestor of another text, or nothing shared at all
            return None
        blocks.append(lineage[shared - 1])
    return blocks


def _lone_block(text_element: _Element) -> list[_Element] | None:
    """A lone review's block: an ancestor of its text that holds little more than the text
    (its title, rating, author, date and buttons, not the page section around it) and has
    a class or attribute of its own; the highest list item, article or table row among
    them, else the highest of them (one review's list has the same text as its item)."""
    size = len(fold(flat_text(text_element)))
    limit = 2 * size + LONE_BLOCK_SLACK
    fitting = []
    for ancestor in [text_element, *text_element.iterancestors()]:
        if ancestor.tag in ("body", "html") or len(fold(flat_text(ancestor))) > limit:
            break
        if _element_marks(ancestor, str(ancestor.tag)):
            fitting.append(ancestor)
    items = [a for a in fitting if a.tag in _ITEM_TAGS]
    chosen = items or fitting
    return [chosen[-1]] if chosen else None


def _classes(element: _Element) -> list[str]:
    return [c for c in str(element.get("class") or "").split() if _PLAIN_NAME.match(c)]


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _element_marks(element: _Element, tag: str) -> set[str]:
    """CSS selectors that match ``element`` by itself: ``tag`` (or "") with each of its
    classes, with all of them, or with one of its attribute values."""
    classes = sorted(set(_classes(element)))
    marks = {f"{tag}.{c}" for c in classes} | ({f".{c}" for c in classes} if tag else set())
    if len(classes) > 1:
        marks.add(tag + "".join(f".{c}" for c in classes))
    marks |= {
        f"{tag}[{name}={_quoted(value)}]"
        for name, value in element.attrib.items()
        if name not in _VARYING and value and len(value) <= 60 and not name.startswith("on")
    }
    return marks


def _shared_marks(groups: Sequence[Sequence[_Element]]) -> list[str]:
    """Marks (see ``_element_marks``) that some element of nearly every group carries, most
    shared first: each group is one block (or one block's elements that hold a field)."""
    tags = Counter(str(e.tag) for group in groups for e in group[:1])
    tag, tag_count = tags.most_common(1)[0] if tags else ("", 0)
    counts: Counter[str] = Counter()
    for group in groups:
        counts.update(set().union(*(_element_marks(e, tag if e.tag == tag else "") for e in group)))
        if tag_count < len(groups):
            counts.update(set().union(*(_element_marks(e, "") for e in group)))
    need = MIN_SHARE * len(groups)
    return [m for m, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if n >= need]


def _block_selector(root: _Element, blocks: list[_Element], capped: bool = False) -> str | None:
    """The mark that matches most blocks and fewest other elements (a block's parent's mark
    before it when the blocks' own marks also match elsewhere). ``capped``: the blocks are
    those of the first ``MAX_EXAMPLES`` reviews only, so an element outside their span may
    be a review that was not an example; only the elements inside it count against a mark."""
    wanted = set(blocks)
    span = _span(root, blocks) if capped else None
    candidates = _shared_marks([[b] for b in blocks])
    parents = [p for b in blocks if (p := b.getparent()) is not None]
    if parents and len(set(parents)) <= max(1, len(blocks) // 2):
        own = candidates or [str(blocks[0].tag)]
        candidates += [f"{p} > {c}" for p in _shared_marks([[p] for p in parents]) for c in own]
    best: tuple[float, float, bool, int, str] | None = None
    for candidate in candidates:
        try:
            matched = root.cssselect(candidate)
        except SELECTOR_ERRORS:
            continue
        if span is not None:
            matched = [m for m in matched if span[0] <= span[2].get(m, -1) <= span[1]]
        hits = sum(m in wanted for m in matched)
        recall, precision = hits / len(blocks), hits / len(matched) if matched else 0.0
        if recall < MIN_SHARE:
            continue
        # Equal matches: the tag-qualified selector (says more to a reader), then shorter.
        score = (
            precision,
            recall,
            not candidate.startswith((".", "[")),
            -len(candidate),
            candidate,
        )
        if best is None or score > best:
            best = score
    return None if best is None or best[0] < 0.5 else best[4]


def _span(root: _Element, blocks: list[_Element]) -> tuple[int, int, dict[_Element, int]]:
    """The first and last block's positions in document order, and every element's."""
    order = {e: n for n, e in enumerate(root.iter()) if _is_element(e)}
    positions = [order[b] for b in blocks if b in order]
    return min(positions, default=0), max(positions, default=-1), order


def _path(block: _Element, element: _Element) -> str | None:
    """``xpath:./div[2]/p[1]``: the element's position under its block, tag by tag."""
    steps: list[str] = []
    node = element
    while node is not block:
        parent = node.getparent()
        if parent is None:
            return None
        same = [c for c in parent if c.tag == node.tag]
        steps.append(f"{node.tag}[{same.index(node) + 1}]")
        node = parent
    return f"{XPATH_PREFIX}./" + "/".join(reversed(steps)) if steps else f"{XPATH_PREFIX}."


def _holding(block: _Element, element: _Element) -> list[_Element]:
    """The elements between ``block`` and the deepest one inside ``element`` that hold the
    same text first (a short review's body sits one level deeper than a long one's)."""
    key = _prefix(element)
    deepest = element
    while (
        child := next((c for c in deepest if _is_element(c) and _prefix(c) == key), None)
    ) is not None:
        deepest = child
    chain = [deepest]
    for ancestor in deepest.iterancestors():
        if ancestor is block or _prefix(ancestor) != key:
            break
        chain.append(ancestor)
    return chain


def field_selector(
    blocks: Sequence[_Element],
    targets: Sequence[_Element | None],
    reads_right: Callable[[int, str], bool],
    holding: Callable[[_Element, _Element], list[_Element]] = lambda block, element: [element],
) -> str | None:
    """A selector, relative to each block, whose first match reads right (``reads_right``
    takes the block's index and the text the selector reads) in most blocks with a target.
    Candidates are the marks shared by the elements that hold each target's value
    (``holding``), then the targets' tag paths; the first that reads right most wins."""
    pairs = [
        (i, b, t) for i, (b, t) in enumerate(zip(blocks, targets, strict=True)) if t is not None
    ]
    if not pairs:
        return None
    candidates = _shared_marks([holding(b, t) for _, b, t in pairs])
    paths = Counter(p for _, b, t in pairs if (p := _path(b, t)))
    candidates += [p for p, _ in paths.most_common(2)]
    best: tuple[float, int, str] | None = None
    for rank, candidate in enumerate(candidates):
        right = sum(reads_right(i, read_first(b, candidate)) for i, b, _ in pairs)
        share = right / len(pairs)
        if share >= MIN_SHARE and (best is None or (share, -rank) > best[:2]):
            best = (share, -rank, candidate)
    return None if best is None else best[2]


def read_first(block: _Element, selector: str) -> str:
    """The text of the first element ``selector`` matches in ``block`` ("" for none)."""
    try:
        expression = xpath_expression(selector)
        matches = block.cssselect(selector) if expression is None else block.xpath(expression)
    except SELECTOR_ERRORS:
        return ""
    first = matches[0] if isinstance(matches, list) and matches else None
    return flat_text(first) if first is not None and _is_element(first) else ""


def _owning(block: _Element, wanted: str) -> _Element | None:
    """The deepest element in ``block`` whose whole text is ``wanted`` (folded)."""
    match = None
    for element in block.iter():
        if (
            _is_element(element)
            and element.tag not in _SKIPPED
            and fold(flat_text(element)) == wanted
        ):
            match = element
    return match


def learn_selectors(root: _Element, reviews: Iterable[ReviewItem]) -> LearntSelectors | None:
    """Block and field selectors generalised from where ``reviews`` sit in ``root``; None
    when no review is found in the HTML or their blocks share no selector."""
    examples = [r for r in reviews if r.text and len(fold(r.text)) >= MIN_KEY_CHARS]
    capped = len(examples) > MAX_EXAMPLES
    examples = examples[:MAX_EXAMPLES]
    text_elements = _text_elements(root, [r.text or "" for r in examples])
    if len(text_elements) < MIN_EXAMPLES:
        return None
    blocks = _blocks(text_elements) if len(text_elements) > 1 else _lone_block(text_elements[0])
    if blocks is None:
        return None
    review = _block_selector(root, blocks, capped)
    if review is None:
        return None
    by_key = {fold(r.text)[:KEY_CHARS]: r for r in examples}
    matched = [by_key.get(_prefix(t)) for t in text_elements]
    keys = [_prefix(t) for t in text_elements]
    fields: dict[str, str] = {}
    text = field_selector(
        blocks,
        text_elements,
        lambda i, read: fold(read).startswith(keys[i]),
        _holding,
    )
    if text is None:
        return None
    fields["text"] = text
    titles = [fold(r.title) if r and r.title else "" for r in matched]
    title_elements = [_owning(b, t) if t else None for b, t in zip(blocks, titles, strict=True)]
    title = field_selector(blocks, title_elements, lambda i, read: fold(read) == titles[i])
    if title and title != text:
        fields["title"] = title
    return LearntSelectors(review, blocks, fields, len(text_elements))

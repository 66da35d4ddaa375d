"""Selector suggestions for ``mode = "selectors"``, from the structure of one page. Pure.

Review blocks are the largest group of sibling elements with the same tag and classes in
which most blocks hold something rating-like (a ``data-rating`` attribute, stars, "4/5",
an element classed ``rating``/``score``/``stars``) and a longer text. Inside the blocks,
each field gets the class selector that is present in most blocks and fits the field:
first by the class name's words (``review-text``, ``opinion-by``, ``post-date``), then by
content (the longest text, a date-like text, a heading for the title). Every field
selector is checked on the blocks, so a suggestion extracts something on this page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import lxml.html
from lxml.etree import ParserError, _Element

from settings.records import ReviewItem
from settings.targets import (
    SELECTOR_ERRORS,
    XPATH_PREFIX,
    Selectors,
    toml_string,
    xpath_expression,
)
from settings.user_errors import UserError
from spiders.extract.auto import extract_auto
from spiders.extract.element_text import flat_text
from spiders.extract.layers import review_carrier, review_layer
from spiders.extract.selectors import extract_with_selectors
from spiders.extract.suggest_examples import (
    learn_selectors,
    read_first,
    text_key,
)
from spiders.raw_fields import clean_text

MIN_BLOCKS = 2
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MIN_TEXT_CHARS = 25
RATING_ATTRIBUTES = ("data-rating", "data-score", "data-stars", "data-value", "content")
BEST_ATTRIBUTES = ("data-best", "data-best-rating", "data-max", "data-scale", "data-out-of")
ID_ATTRIBUTES = ("id", "data-review-id", "data-id")
STARS = re.compile(r"^[★☆✩✪✫✬✭✮✯⭐\s]+$")
OUT_OF = re.compile(r"\b(\d+(?:[.,]\d+)?)\s*(?:/|of|out of|sur|z|av)\s*(\d+)\b", re.IGNORECASE)
DATE_LIKE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}\b|"
    r"\b\d{1,2}\.?\s+\w{3,}\.?\s+\d{4}\b|\b\w{3,}\.?\s+\d{1,2},?\s+\d{4}\b"
)
# Words in class names that say which field an element holds, in order of precedence.
FIELD_HINTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("rating", frozenset({"rating", "score", "stars", "star", "grade", "ratingvalue"})),
    ("date", frozenset({"date", "when", "time", "posted", "published", "datepublished"})),
    ("region", frozenset({"region", "location", "place", "city", "country", "from"})),
    ("author", frozenset({"author", "by", "user", "reviewer", "nickname", "username"})),
    ("title", frozenset({"title", "headline", "summary", "subject", "heading"})),
    ("text", frozenset({"text", "body", "content", "comment", "description", "message"})),
)
NEXT_WORDS = re.compile(
    r"^\s*(next|suivant|page suivante|następna|dalej|neste|nästa|næste|weiter|nächste|siguiente"
    r"|successiva|avanti|volgende|›|»|>|→)",
    re.IGNORECASE,
)
"""A pager's "next" label (the words ``extract.pagination`` follows), at its start."""


@dataclass
class Suggestion:
    """Proposed ``[selectors]`` for one page's reviews."""

    review: str
    """Block selector."""
    blocks: int
    """Blocks it matches on the page."""
    review_fields: dict[str, str] = field(default_factory=dict)
    next_page: str | None = None
    rating_scale: float | None = None
    samples: dict[str, str] = field(default_factory=dict)
    """Field -> its value in the first block."""
    auto_reviews: int = 0
    """Reviews auto extraction reads on the page (markup, embedded JSON, layout)."""
    reviews_read: int = 0
    """Reviews of those that the suggested selectors read too (same ``text_key``)."""
    fields_lost: list[str] = field(default_factory=list)
    """Fields auto extraction reads on most of the page's reviews (from its markup, say)
    that no suggested selector reads: what mode = "selectors" would lose."""
    auto_carriers: list[str] = field(default_factory=list)
    """How the page carries the reviews auto reads ("markup (json-ld)", "layout"...), in
    ``targets detect``'s words."""

    def to_toml(self) -> str:
        """A ``[company.source.selectors]`` table to paste under a ``[[company.source]]``."""
        lines = ["[company.source.selectors]", f"review = {toml_string(self.review)}"]
        if self.next_page:
            lines.append(f"next_page = {toml_string(self.next_page)}")
        if self.rating_scale:
            lines.append(f"rating_scale = {self.rating_scale:g}")
        lines += ["", "[company.source.selectors.review_fields]"]
        lines += [f"{name} = {toml_string(q)}" for name, q in self.review_fields.items()]
        return "\n".join(lines) + "\n"


class SuggestError(UserError):
    """No repeated review-like blocks on the page: nothing to suggest."""


def _classes(element: _Element) -> tuple[str, ...]:
    return tuple(sorted(str(element.get("class") or "").split()))


def _words(class_name: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", class_name)
    return {w.lower() for w in re.split(r"[\s_\-]+", spaced) if w}


def _text(element: _Element) -> str:
    return clean_text(flat_text(element)) or ""


def _is_tag(element: _Element) -> bool:
    return isinstance(element.tag, str)


def _rating_like(element: _Element) -> bool:
    for node in element.iter():
        if not _is_tag(node):
            continue
        if any(node.get(a) for a in RATING_ATTRIBUTES[:4]):
            return True
        if node.get("itemprop") == "ratingValue":
            return True
        if any(_words(c) & FIELD_HINTS[0][1] for c in _classes(node)):
            return True
        own = (node.text or "").strip()
        if own and (STARS.match(own) or OUT_OF.search(own)):
            return True
    return False


def _has_long_text(element: _Element) -> bool:
    return any(
        len(clean_text(node.text or "") or "") >= MIN_TEXT_CHARS
        for node in element.iter()
        if _is_tag(node)
    )


def _css(tag: str, classes: tuple[str, ...]) -> str:
    return tag + "".join(f".{c}" for c in classes if re.fullmatch(r"-?[_a-zA-Z][\w-]*", c))


def _review_blocks(root: _Element) -> tuple[str, list[_Element]]:
    best: tuple[int, int, str, list[_Element]] | None = None
    for parent in root.iter():
        if not _is_tag(parent):
            continue
        groups: dict[tuple[str, tuple[str, ...]], list[_Element]] = {}
        for child in parent:
            if _is_tag(child) and child.tag not in ("script", "style", "meta", "link"):
                groups.setdefault((str(child.tag), _classes(child)), []).append(child)
        for (tag, classes), members in groups.items():
            good = [m for m in members if _rating_like(m) and _has_long_text(m)]
            if len(good) < MIN_BLOCKS or len(good) * 2 < len(members):
                continue
            score = (len(good), len(classes))
            if best is None or score > best[:2]:
                best = (*score, _css(tag, classes), members)
    if best is None:
        raise SuggestError(
            "found no repeated blocks with a rating and a text on this page; "
            "try a page that shows several reviews"
        )
    return best[2], best[3]


def _unique_selector(root: _Element, selector: str, blocks: list[_Element]) -> str:
    """``selector``, narrowed by the blocks' parent if it also matches other elements."""
    if len(root.cssselect(selector)) == len(blocks):
        return selector
    parent = blocks[0].getparent()
    if parent is not None:
        narrowed = f"{_css(str(parent.tag), _classes(parent))} > {selector}"
        if len(root.cssselect(narrowed)) == len(blocks):
            return narrowed
    return selector


@dataclass
class _Candidate:
    selector: str
    values: list[str]
    """Value in each block where it was found."""
    present: int
    tags: set[str]
    words: set[str]


def _candidates(blocks: list[_Element]) -> list[_Candidate]:
    found: dict[str, _Candidate] = {}
    for block in blocks:
        seen: set[str] = set()
        for node in block.iterdescendants():
            if not _is_tag(node):
                continue
            named = [(_css("", (cls,)), cls) for cls in _classes(node)]
            if node.tag == "time" and not named:  # HTML's own date element, often unclassed
                named = [("time", "time")]
            for selector, cls in named:
                if not selector or selector in seen:
                    continue
                seen.add(selector)
                matches = block.cssselect(selector)
                if not matches:
                    continue
                candidate = found.setdefault(
                    selector, _Candidate(selector, [], 0, set(), _words(cls))
                )
                candidate.present += 1
                candidate.values.append(_text(matches[0]))
                candidate.tags.add(str(matches[0].tag))
    return [c for c in found.values() if c.present * 2 >= len(blocks)]


def _attribute(blocks: list[_Element], selector: str, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that the selector's element carries in most blocks."""
    for name in names:
        with_it = [
            block
            for block in blocks
            if (matches := block.cssselect(selector)) and matches[0].get(name)
        ]
        if len(with_it) * 2 >= len(blocks):
            return name
    return None


def _labelled_rating(blocks: list[_Element], selector: str) -> bool:
    """Whether the selector's element states a rating in its label in most blocks, as an
    empty star image does ("Vurdert til 4 av 5", "4 z 5 gwiazdek"): only its text was read,
    and a rating said only so was never proposed."""
    name = _attribute(blocks, selector, ("title", "aria-label"))
    if name is None:
        return False
    labels = [m[0].get(name) or "" for b in blocks if (m := b.cssselect(selector))]
    return sum(bool(OUT_OF.search(label)) for label in labels) * 2 >= len(blocks)


def _hinted(candidate: _Candidate) -> str | None:
    for name, words in FIELD_HINTS:
        if candidate.words & words:
            return name
    return None


def _mean_length(candidate: _Candidate) -> float:
    return statistics.fmean(len(v) for v in candidate.values) if candidate.values else 0.0


def _date_share(candidate: _Candidate) -> float:
    values = candidate.values
    return sum(bool(DATE_LIKE.search(v)) for v in values) / len(values) if values else 0.0


def _choose_fields(blocks: list[_Element]) -> dict[str, _Candidate]:
    candidates = sorted(_candidates(blocks), key=lambda c: (-c.present, c.selector))
    chosen: dict[str, _Candidate] = {}
    for candidate in candidates:  # by class-name words first
        name = _hinted(candidate)
        if name and name not in chosen and any(candidate.values):
            chosen[name] = candidate
    rest = [c for c in candidates if c not in chosen.values()]
    if "rating" not in chosen:
        for candidate in rest:
            shown = [v for v in candidate.values if v]  # an empty image is no rating
            if (
                _attribute(blocks, candidate.selector, RATING_ATTRIBUTES[:4])
                or (shown and all(STARS.match(v) or OUT_OF.search(v) for v in shown))
                or _labelled_rating(blocks, candidate.selector)
            ):
                chosen["rating"] = candidate
                break
    if "date" not in chosen:
        dated = [c for c in rest if c not in chosen.values() and _date_share(c) >= 0.8]
        if dated:
            chosen["date"] = min(dated, key=_mean_length)
    if "text" not in chosen:
        texts = [c for c in rest if c not in chosen.values() and _mean_length(c) >= MIN_TEXT_CHARS]
        if texts:
            chosen["text"] = max(texts, key=_mean_length)
    if "title" not in chosen:
        headings = [c for c in rest if c not in chosen.values() and c.tags & HEADINGS]
        if headings:
            chosen["title"] = headings[0]
    return chosen


def _field_selectors(blocks: list[_Element]) -> tuple[dict[str, str], float | None]:
    chosen = _choose_fields(blocks)
    fields: dict[str, str] = {}
    scale: float | None = None
    for name in ("text", "title", "rating", "date", "author", "region"):
        candidate = chosen.get(name)
        if candidate is None:
            continue
        selector = candidate.selector
        if name == "rating":
            attribute = _attribute(blocks, selector, RATING_ATTRIBUTES)
            if attribute:
                fields["rating"] = f"{selector}::attr({attribute})"
                best = _attribute(blocks, selector, BEST_ATTRIBUTES)
                if best:
                    fields["best_rating"] = f"{selector}::attr({best})"
            else:
                title = _attribute(blocks, selector, ("title", "aria-label"))
                fields["rating"] = f"{selector}::attr({title})" if title else selector
            scale = _scale(blocks, selector)
            continue
        if name == "date":
            attribute = _attribute(blocks, selector, ("datetime", "content"))
            fields["date"] = f"{selector}::attr({attribute})" if attribute else selector
            continue
        fields[name] = selector
    id_attribute = next(
        (
            a
            for a in ID_ATTRIBUTES
            if all(b.get(a) for b in blocks) and len({b.get(a) for b in blocks}) == len(blocks)
        ),
        None,
    )
    if id_attribute:
        fields["id"] = f"{XPATH_PREFIX}@{id_attribute}"
    return fields, scale


def _scale(blocks: list[_Element], selector: str) -> float | None:
    tops: Counter[float] = Counter()
    for block in blocks:
        matches = block.cssselect(selector)
        if not matches:
            continue
        node = matches[0]
        for name in BEST_ATTRIBUTES:
            try:
                tops[float(node.get(name) or "")] += 1
                break
            except ValueError:
                continue
        else:
            text = " ".join(filter(None, [node.get("title"), node.get("aria-label"), _text(node)]))
            out_of = OUT_OF.search(text)
            if out_of:
                tops[float(out_of.group(2))] += 1
            elif STARS.match(_text(node) or "-"):
                tops[float(len(_text(node).replace(" ", "")))] += 1
    return tops.most_common(1)[0][0] if tops else None


def _next_page(root: _Element) -> str | None:
    links = [a for a in root.iter("a") if a.get("href")]
    if any("next" in (a.get("rel") or "").split() for a in links):
        return 'a[rel~="next"]::attr(href)'
    for a in links:
        for cls in _classes(a):
            if "next" in _words(cls):
                return f"{_css('a', (cls,))}::attr(href)"
    labelled = next((a for a in links if NEXT_WORDS.match(_text(a))), None)
    if labelled is not None:
        return _labelled_link(root, labelled)
    if root.xpath("//link[@rel='next'][@href]"):
        return 'link[rel="next"]::attr(href)'
    return None


def _labelled_link(root: _Element, link: _Element) -> str:
    """A selector for the link a "next" label marks: its class where that names it alone
    on the page, else its label as the page writes it ("Następna", "Suivant", "›"): a
    selector for English labels only matched nothing on other languages' pages."""
    for cls in _classes(link):
        css = _css("a", (cls,))
        if css != "a" and len(root.cssselect(css)) == 1:
            return f"{css}::attr(href)"
    # As XPath's normalize-space() has it: only spaces, tabs and line breaks collapse.
    label = " ".join(re.split(r"[ \t\r\n]+", "".join(link.itertext()).strip(" \t\r\n")))
    return f"{XPATH_PREFIX}//a[normalize-space(.)={_xpath_string(label)}]/@href"


def _xpath_string(text: str) -> str:
    """``text`` as an XPath 1.0 string literal (which has no escapes: concat() when it holds
    both quotes)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    items: list[str] = []
    for n, piece in enumerate(text.split("'")):
        if n:
            items.append('"\'"')
        if piece:
            items.append(f"'{piece}'")
    return f"concat({', '.join(items)})"


def suggest_selectors(html: str, url: str = "") -> Suggestion:
    """Selectors for the review blocks and their fields on this page: learnt from the
    reviews auto extraction reads on it where it finds them in the HTML
    (``suggest_examples``), else, on a page auto reads no review on, from the page's
    structure alone (see module docstring)."""
    try:
        root = lxml.html.document_fromstring(html or "<html></html>")
    except (ParserError, ValueError) as exc:
        raise SuggestError(f"cannot parse the page as HTML: {exc}") from None
    auto = extract_auto(html, url or "http://localhost/").reviews
    learnt = learn_selectors(root, auto)
    if learnt is not None:
        selector, blocks = learnt.review, learnt.blocks
        fields, scale = _field_selectors(blocks)
        # The examples say which element holds the text and the title; a structural pick
        # of the same element for another field, or of a title the examples lack, goes.
        taken = set(learnt.fields.values())
        fields = {n: q for n, q in fields.items() if n not in ("text", "title") and q not in taken}
        fields = {**learnt.fields, **fields}
    elif auto:
        # Auto reads reviews here, but not from blocks a selector can name (they are in a
        # script, or share no class): the page's other repeated blocks are not them.
        raise SuggestError(
            f"automatic extraction reads {len(auto)} review{'s' * (len(auto) != 1)} on this "
            "page, but no selector can "
            "read reviews from its HTML (they are in a script, or their blocks share no class "
            'or attribute): use mode = "auto" for this source'
        )
    else:
        selector, blocks = _review_blocks(root)
        selector = _unique_selector(root, selector, blocks)
        fields, scale = _field_selectors(blocks)
    if "text" not in fields:
        raise SuggestError(f"found review blocks ({selector}) but no text inside them")
    suggestion = Suggestion(
        review=selector,
        blocks=_matched(root, selector, len(blocks)),
        review_fields=fields,
        next_page=_next_page(root),
        rating_scale=scale,
    )
    suggestion.auto_reviews = len(auto)
    carriers = (review_carrier(review_layer(r.explain)) for r in auto)
    suggestion.auto_carriers = list(dict.fromkeys(carriers))
    suggestion.reviews_read = _reviews_read(html, suggestion, auto)
    suggestion.fields_lost = [
        name
        for name, attribute in _AUTO_FIELDS.items()
        if name not in fields and 2 * sum(bool(getattr(r, attribute)) for r in auto) > len(auto)
    ]
    first = blocks[0]
    for name, query in fields.items():
        css = query.split("::")[0]
        expression = xpath_expression(query)
        if expression is not None and expression.startswith("@"):
            suggestion.samples[name] = str(first.get(expression.removeprefix("@")) or "")
        elif expression is not None:
            suggestion.samples[name] = clean_text(read_first(first, query)) or ""
        elif matches := first.cssselect(css):
            attribute = re.search(r"::attr\(([^)]+)\)", query)
            value = matches[0].get(attribute.group(1)) if attribute else _text(matches[0])
            suggestion.samples[name] = str(value or "")
    return suggestion


_AUTO_FIELDS = {"rating": "rating", "date": "published", "title": "title", "author": "author"}
"""Review field (as ``review_fields`` names it) -> the ``ReviewItem`` attribute auto fills."""


def _matched(root: _Element, selector: str, learnt: int) -> int:
    """Elements the block selector matches on the page: what a crawl reads, which may be
    more than the blocks it was learnt from (a review auto extraction did not locate)."""
    try:
        return len(root.cssselect(selector))
    except SELECTOR_ERRORS:
        return learnt


def _reviews_read(html: str, suggestion: Suggestion, auto: list[ReviewItem]) -> int:
    """How many of auto extraction's reviews the suggested selectors read as well."""
    selectors = Selectors(
        review=suggestion.review,
        review_fields=suggestion.review_fields,
        rating_scale=suggestion.rating_scale,
    )
    read = Counter(
        text_key(r.text)
        for r in extract_with_selectors(html, "http://localhost/", selectors).reviews
    )
    wanted = Counter(text_key(r.text) for r in auto)
    return sum(min(n, read[key]) for key, n in wanted.items())

"""Reviews from page layout, for pages whose markup has no schema.org reviews.

A review list is a run of sibling blocks with the same tag and class (at least two),
each holding a rating-like element (``data-rating``, ``aria-label="4 out of 5"``,
``★★★★☆``, a rating-named element with a number, a ``width:80%`` star bar) and a
longer prose text. Precision first: blocks that show prices or product links with
images are product cards, not reviews, and a lone rating (the page's summary) is not
a list.
"""

from __future__ import annotations

import re

import lxml.html

from spiders.extract.meta import iso_language
from spiders.extract.visible_price import PRICE_NAME, names_of, own_text
from spiders.items import ReviewItem
from spiders.normalize import (
    find_date,
    infer_scale,
    normalize_rating,
    parse_number,
    parse_rating,
    rating_out_of,
)

# Raw-HTML signs that a page may show ratings at all (skips the tree search otherwise).
_RATING_SIGNS = re.compile(r"rating|stars?\b|star-|score|★|out of|data-rating", re.I)
_RATING_XPATH = (
    "//*[@data-rating or @data-score or @data-stars or @data-rating-value"
    " or contains(@aria-label, ' of ') or contains(@title, '/')"
    " or contains(@class, 'rating') or contains(@class, 'star') or contains(@class, 'score')"
    " or contains(text(), '★')]"
)
_RATING_ATTRS = ("data-rating", "data-score", "data-stars", "data-rating-value")
_BEST_ATTRS = ("data-best", "data-best-rating", "data-max", "data-scale", "data-out-of")
_WIDTH = re.compile(r"width\s*:\s*(\d+(?:\.\d+)?)%")
_TEXT_NAME = re.compile(r"text|body|content|comment|description|message|review-?txt", re.I)
_TITLE_NAME = re.compile(r"title|headline|summary|heading", re.I)
_AUTHOR_NAME = re.compile(r"author|user|reviewer|nickname|byline|customer-?name", re.I)
_DATE_NAME = re.compile(r"date|time|posted|published", re.I)
# Date lines such as "Reviewed in the United Kingdom on 12 March 2024" fit; prose does not.
_MAX_DATE_TEXT = 80
_MIN_TEXT = 20
_MIN_WORDS = 4
_MAX_CLIMB = 6
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_CONTROL_TAGS = frozenset({"form", "textarea", "button", "input", "a", "select", "label"})


def _is_controls(element: lxml.html.HtmlElement, length: int) -> bool:
    """True for forms and link rows: their text is mostly controls, not prose."""
    if element.find(".//form") is not None or element.find(".//textarea") is not None:
        return True
    controls = sum(
        len(" ".join(e.text_content().split()))
        for e in element.iterdescendants("a", "button", "label")
    )
    return controls * 2 >= length


def heuristic_review_items(
    root: lxml.html.HtmlElement, url: str, page_text: str, locale: str | None = None
) -> list[ReviewItem]:
    """Reviews found in repeated rating + text blocks, in page order; [] when unsure.
    ``locale`` is the page's language tag (``"en-GB"``): it orders numeric dates."""
    if not _RATING_SIGNS.search(page_text):
        return []
    groups: dict[tuple[int, str], list[lxml.html.HtmlElement]] = {}
    parents: dict[int, lxml.html.HtmlElement] = {}
    for rating_element in root.xpath(_RATING_XPATH):
        if rating_element.tag in _SKIP_TAGS or _rating_of(rating_element)[0] is None:
            continue
        block = _repeated_block(rating_element)
        if block is None:
            continue
        parent = block.getparent()
        key = (id(parent), _signature(block))
        parents[id(parent)] = parent
        members = groups.setdefault(key, [])
        if block not in members:
            members.append(block)
    reviews: list[ReviewItem] = []
    for blocks in groups.values():
        if len(blocks) < 2 or any(_looks_like_product_card(b) for b in blocks):
            continue
        items = [_review_from_block(block, url, locale) for block in blocks]
        if all(item is not None for item in items):
            reviews.extend(item for item in items if item is not None)
    return reviews


def _signature(element: lxml.html.HtmlElement) -> str:
    return f"{element.tag}.{' '.join(sorted((element.get('class') or '').split()))}"


def _repeated_block(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The nearest ancestor-or-self that has a sibling with the same tag and class."""
    node: lxml.html.HtmlElement | None = element
    for _ in range(_MAX_CLIMB):
        if node is None:
            return None
        parent = node.getparent()
        if parent is None or node.tag in ("body", "html"):
            return None
        signature = _signature(node)
        if node.get("class") or node.tag in ("article", "li", "tr"):
            for sibling in parent:
                same = isinstance(sibling.tag, str) and _signature(sibling) == signature
                if same and sibling is not node:
                    return node
        node = parent
    return None


def _rating_of(element: lxml.html.HtmlElement) -> tuple[float | None, float | None, str]:
    """(rating, best stated, raw) read from one rating-like element."""
    for attr in _RATING_ATTRS:
        value = element.get(attr)
        if value:
            rating, best = parse_rating(value)
            stated = next((parse_number(element.get(a)) for a in _BEST_ATTRS if element.get(a)), None)  # fmt: skip
            return rating, stated or best, value
    for attr in ("aria-label", "title"):
        label = element.get(attr) or ""
        pair = rating_out_of(label)
        if pair is not None:
            return *pair, label
    text = " ".join((element.text or "").split())
    if "★" in text:
        rating, best = parse_rating(text)
        return rating, best, text
    names = element.get("class") or ""
    if re.search(r"rating|star|score", names, re.I):
        full = " ".join(element.text_content().split())
        pair = rating_out_of(full)
        if pair is not None:
            return *pair, full
        if re.fullmatch(r"\d(?:[.,]\d)?", full):
            return parse_number(full), None, full
        width = _WIDTH.search(element.get("style") or "")
        if width:
            return float(width.group(1)), 100.0, width.group(0)
    return None, None, ""


def _looks_like_product_card(block: lxml.html.HtmlElement) -> bool:
    """Product cards show prices and link an image to a product page."""
    for element in block.iter():
        if not isinstance(element.tag, str):
            continue
        if PRICE_NAME.search(names_of(element)):
            return True
        if element.tag == "a" and element.find(".//img") is not None:
            return True
    return False


def _review_from_block(
    block: lxml.html.HtmlElement, url: str, locale: str | None
) -> ReviewItem | None:
    rating_element = next(
        (e for e in block.xpath("." + _RATING_XPATH) if _rating_of(e)[0] is not None), None
    )
    if rating_element is None:
        return None
    rating, stated_best, raw = _rating_of(rating_element)
    title_element = _first_named(block, _TITLE_NAME, ("h2", "h3", "h4", "h5", "strong"))
    text_element = _text_element(block, {rating_element, title_element})
    if text_element is None:
        return None
    text = " ".join(text_element.text_content().split())
    item = ReviewItem(url=url, text=text)
    item.explain["text"] = "heuristic"
    best, worst = infer_scale(rating, stated_best, None)
    item.rating, item.rating_raw, item.best_rating, item.worst_rating = rating, raw, best, worst
    item.rating_normalized = normalize_rating(rating, best, worst)[0]
    for field in ("rating", "best_rating", "worst_rating", "rating_normalized"):
        item.explain[field] = "heuristic"
    if title_element is not None:
        _put(item, "title", " ".join(title_element.text_content().split()))
    author = _first_named(block, _AUTHOR_NAME, ())
    if author is not None:
        _put(item, "author", " ".join(author.text_content().split()))
    _put_date(item, block, block.get("lang") or locale, (text_element, title_element))
    _put(item, "external_id", block.get("id") or block.get("data-review-id"))
    _put(item, "language", iso_language(block.get("lang")))
    return item


def _put(item: ReviewItem, field: str, value: object) -> None:
    if value is not None and value != "":
        setattr(item, field, value)
        item.explain[field] = "heuristic"


def _put_date(
    item: ReviewItem,
    block: lxml.html.HtmlElement,
    language: str | None,
    prose: tuple[lxml.html.HtmlElement | None, ...],
) -> None:
    """The review's date: a ``<time>``, else a date-named element, else a short line of the
    block (not its text or title) that holds a written date."""
    time_element = block.find(".//time")
    if time_element is not None:
        raw = time_element.get("datetime") or " ".join(time_element.text_content().split())
    else:
        dated = _first_named(block, _DATE_NAME, ())
        if dated is not None:
            raw = " ".join(dated.text_content().split())
        else:
            raw = _dated_line(block, language, prose) or ""
    if raw and len(raw) <= _MAX_DATE_TEXT:
        _put(item, "date_raw", raw)
        # Written dates only: relative ones ("2 days ago") are the pipeline's, with dateparser.
        _put(item, "published", find_date(raw, language))


def _dated_line(
    block: lxml.html.HtmlElement,
    language: str | None,
    prose: tuple[lxml.html.HtmlElement | None, ...],
) -> str | None:
    """The first short own text of the block with a date in it ("Anna, 12 mars 2024")."""
    skipped = {e for e in prose if e is not None}
    for element in block.iter():
        if not isinstance(element.tag, str) or element in skipped:
            continue
        if any(a in skipped for a in element.iterancestors()):
            continue
        line = own_text(element)
        short = bool(line) and len(line) <= _MAX_DATE_TEXT and any(c.isdigit() for c in line)
        if short and find_date(line, language) is not None:
            return line
    return None


def _first_named(
    block: lxml.html.HtmlElement, names: re.Pattern[str], tags: tuple[str, ...]
) -> lxml.html.HtmlElement | None:
    """The first descendant whose class/id matches ``names``, else the first of ``tags``."""
    fallback = None
    for element in block.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        named = names.search(f"{element.get('class') or ''} {element.get('id') or ''}")
        if named and element.text_content().strip():
            return element
        if fallback is None and element.tag in tags:
            fallback = element
    return fallback


def _text_element(
    block: lxml.html.HtmlElement, exclude: set[lxml.html.HtmlElement | None]
) -> lxml.html.HtmlElement | None:
    """The block's review text: the longest text-named element, else the longest prose."""
    title = next((e for e in exclude if e is not None and e.tag not in ("span", "div")), None)
    title_text = " ".join(title.text_content().split()) if title is not None else None
    best: tuple[bool, int] = (False, 0)
    chosen: lxml.html.HtmlElement | None = None
    for element in block.iterdescendants():
        if not isinstance(element.tag, str) or element in exclude:
            continue
        if any(e is not None and (element in e.iterancestors()) for e in exclude):
            continue  # inside the title or the rating
        text = " ".join(element.text_content().split())
        if len(text) < _MIN_TEXT or len(text.split()) < _MIN_WORDS or text == title_text:
            continue
        if any(e is not None and e in element.iterdescendants() for e in exclude):
            continue  # a wrapper around the title or rating, not the text itself
        if element.tag in _CONTROL_TAGS or _is_controls(element, len(text)):
            continue  # comment forms, "report abuse" / "translate" links
        names = names_of(element)
        named = bool(_TEXT_NAME.search(names)) and not _TITLE_NAME.search(names)
        rank = (named, len(text))
        if rank > best:
            best, chosen = rank, element
    return chosen

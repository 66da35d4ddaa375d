"""The product's code read from what the page shows, in any language.

For a page whose markup names no code: every code-shaped token of the page's short visible
texts (letters and digits, or five digits or more, with inner separators), every id-like
token of its URL, and the markup's GTIN or MPN are candidates. Each gets general features
(in the URL, a text of its own, after a short label-like text ending in ":" or " - "
whatever its language, distance to the main heading, repeated in same-layout blocks, inside a contact
block, shapes of amounts, dates, quantities and phone numbers) and the ranking model
(``spiders.extract.candidate_model``, weights learned by ``benchmarks/train_code_ranking.py``
under site-grouped folds) scores them. The best is taken only when it scores above no code
at all (score 0), and never a calendar date: a wrong code is worse than none. On a page
that offers nothing the reading found (no price, stock state or markup id: an article, a
recipe) only a code both shown and among the URL's ids is taken. Features that, left out,
lost nothing on held-out sites are not computed (in a link or the page's chrome, in a sentence, not shown,
a GTIN check digit, before the heading, an unknown label, repeated on the page, its length);
``in_title`` and ``markup_id`` stay only as what names a code (``_NAMED``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import lxml.etree
import lxml.html

from spiders.extract.candidate_model import model
from spiders.extract.identifiers import in_url, url_id_tokens
from spiders.extract.page_heading import main_heading
from spiders.extract.page_regions import ancestors, is_hidden
from spiders.extract.price import detect_currency, parse_amount
from spiders.extract.variants import variant_stem_of
from spiders.extract.visible_price import layout_signature, tree_positions

CODE_MODEL = "code_ranking"

# Short visible texts with an ASCII digit, in document order (smart strings: each knows
# its element). One translate() per text node costs 0.6 of ten substring tests here (text
# nodes, unlike elements' text() in ``visible_price``), the parent tests last 0.65 of first
# (most texts have no digit): 0.22 against 0.37 CPU-s on the 73 offers pages. descendant::,
# not "//" (``heuristics._VISIBLE_TEXTS``): 3.75 against 4.05 ms a page, normal and stripped.
_DIGIT_TEXTS = lxml.etree.XPath(
    "//body/descendant::text()[string-length() < 120]"
    "[contains(translate(., '123456789', '000000000'), '0')]"
    "[not(parent::script or parent::style or parent::noscript or parent::template"
    " or parent::option or parent::textarea)]"
)
# Full-width punctuation too: CJK pages write "SKU：JP-1200" with no space after the colon;
# Armenian writes the label's mark as "՝" (its comma), Ethiopic as "፥" (its colon).
_CHUNK = re.compile(r"[^\s,;:()\[\]{}|\"'«»“”‘’<>：；，（）【】՝፥]+")
_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?")
_CODE_LENGTH = (4, 30)
_MIN_DIGITS_ONLY = 5
# "Word word:" before a code in the same text, or a whole short text before it: one to four
# words without digits (a label in any language).
_LABEL = re.compile(r"[^\W\d_][^\W\d]*(?:[ .'’-]+[^\W\d]+){0,3}\s*[.]?\s*(?P<mark>[:：՝፥#№]|-)?")
_MAX_LABEL = 40
# An amount: grouped thousands with a decimal mark of the other kind ("1.299,00", "1,299.00",
# "1 299,00"), or a number with one or two decimals ("12.99"); "002.937.72" is none.
_AMOUNT = re.compile(
    r"[1-9]\d{0,2}(?:(?:\.\d{3})+,|(?:,\d{3})+\.|(?:['’ ]\d{3})+[.,])\d{1,2}|\d+[.,]\d{1,2}"
)
_CURRENCY_AFFIX = re.compile(r"^[A-Za-z]{1,3}|[A-Za-z]{1,3}$")  # "EUR0.00", "12.99zl"
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:T.*)?")
# A quantity: a number and a unit of up to three letters ("800W", "512GB"), sizes ("100x14x96"),
# a score or a fraction ("42/100").
_QUANTITY = re.compile(
    r"\d+(?:[.,]\d+)?[^\W\d_]{1,3}|\d+(?:[.,]\d+)?(?:[xX×]\d+(?:[.,]\d+)?)+|\d+(?:[.,]\d+)?/\d+"
)
_SEPARATORS = re.compile(r"[._/-]")
# Links that make a block a contact block (an address, a phone number, opening hours): a
# candidate is in one when it or its parent is such a link or holds one as a child or a
# grandchild (the link and its two nearest ancestors). Read around each placed candidate,
# a few a page, not the whole page's links (0.9 CPU ms a page).
_NEAR_CONTACT = lxml.etree.XPath(
    "(self::a | parent::a | a | ../a | */a | ../*/a)"
    "[starts-with(normalize-space(@href), 'mailto:') or starts-with(normalize-space(@href), 'tel:')]"
    "[ancestor::body]"
)
_FAR_FROM_HEADING = 450
_LOG_MANY = math.log(10)
_MAX_CANDIDATES = 400
"""Shown tokens weighed per page (a huge catalogue page holds thousands)."""


@dataclass
class CodeCandidate:
    """One code-looking token of the page (or its URL) and how plausible it is as its code."""

    value: str
    order: int
    """Document position of its text (-1: not shown, from the URL or the markup)."""
    features: dict[str, float] = field(default_factory=dict)
    element: lxml.html.HtmlElement | None = None
    """Where it is shown (None: not shown)."""
    score: float = 0.0
    url_id: bool = False
    """One of the URL's id-looking parts (``url_id_tokens``): not a word of its slug or host."""


def compact(value: str) -> str:
    """A code without its separators, case-folded ("002.937.72" -> "00293772")."""
    return _SEPARATORS.sub("", value).casefold()


# A run of four or more characters a code may hold, a digit among them: a text without one
# holds no code (one search in C spares the chunk loop for most texts with a digit: prices,
# counts, dates, words beside a number).
_CODE_RUN = re.compile(r"(?<![A-Za-z0-9._/-])(?=[A-Za-z0-9._/-]{4})[A-Za-z._/-]*\d")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(code, start, end) of the code-shaped chunks of ``text``: four to thirty characters,
    a digit in them, letters as well or five digits or more; a trailing dot dropped."""
    found: list[tuple[str, int, int]] = []
    if _CODE_RUN.search(text) is None:
        return found
    for chunk in _CHUNK.finditer(text):
        match = _CODE.search(chunk.group(0))
        if match is None:
            continue
        value = match.group(0)
        digits = sum(ch.isdigit() for ch in value)
        if not digits or not _CODE_LENGTH[0] <= len(value) <= _CODE_LENGTH[1]:
            continue
        if digits == len(_SEPARATORS.sub("", value)) and digits < _MIN_DIGITS_ONLY:
            continue  # a year, a quantity
        start = chunk.start() + match.start()
        found.append((value, start, start + len(value)))
    return found


def _shape_features(value: str, text: str, start: int, end: int) -> dict[str, float]:
    bare = _SEPARATORS.sub("", value)
    digits = sum(ch.isdigit() for ch in bare)
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return {
        "digits_only": float(digits == len(bare)),
        "separated": float(bare != value),
        "amount_shape": float(
            _AMOUNT.fullmatch(_CURRENCY_AFFIX.sub("", value)) is not None
            or (digits == len(bare) and detect_currency(text)[1] is not None)
        ),
        "date_shape": float(_DATE.fullmatch(value) is not None),
        "quantity_shape": float(_QUANTITY.fullmatch(value) is not None),
        "spaced_digits": float(before[-1:].isdigit() or after[:1].isdigit() or before[-1:] == "+"),
    }


def _label_features(text: str, start: int, previous: str | None, alone: bool) -> dict[str, float]:
    """A short label-like text before the code: in its own text ("Art: 123"), or the text
    before it when the code is a text of its own ("<dt>Art</dt><dd>123</dd>")."""
    label = text[:start].strip()
    if not label and alone and previous is not None:
        label = previous.strip()
    if not label or len(label) > _MAX_LABEL:
        return {}
    # Vowel signs and viramas of Indic and other scripts are marks, not letters to ``\w``:
    # "পণ্য কোড" is a label once they are left out.
    match = _LABEL.fullmatch("".join(ch for ch in label if unicodedata.category(ch)[0] != "M"))
    if match is None:
        return {}
    mark = match.group("mark")
    # "Product code - 123" as "Product code: 123": a spec list's label and value (held out
    # on the offers pages in a made-up language: sku 0.934 -> 0.949 stripped, 0.926 -> 0.941
    # stripped and hashed; as saved and stripped, where the label lists read the words, no
    # page of the offers or ratings sets changes).
    return {
        "colon_label": float(mark in (":", "：", "՝", "፥", "#", "№", "-")),
        "word_label": float(not mark),
    }


def shown_code_candidates(
    root: lxml.html.HtmlElement,
    url: str,
    markup_ids: Sequence[str] = (),
    labelled: dict[str, bool] | None = None,
    *,
    named_only: bool = False,
    variant_skus: Sequence[str] = (),
    page_texts: list[Any] | None = None,
) -> list[CodeCandidate]:
    """Every candidate code of the page with its features, scored (document order, then
    the URL's and the markup's ids not shown); with ``named_only`` those named as codes
    alone (what ``best_shown_code`` chooses from: the others' features of where they sit
    are not read). A candidate that the markup's variant-level ``variant_skus`` extend
    (``variant_stem_of``) is named by them (``variant_stem``). ``page_texts``: the page's
    short texts (``heuristics.page_short_texts``) when the caller listed them."""
    labelled = labelled or {}
    title_element = root.find(".//title")
    title = (title_element.text_content() if title_element is not None else "").casefold()
    url_compact = {compact(t) for t in url_id_tokens(url)}
    heading = main_heading(root)
    candidates: list[CodeCandidate] = []
    texts = _DIGIT_TEXTS(root) if page_texts is None else _digit_texts(page_texts)
    for text in texts:
        element = text.getparent()
        if element is None:
            continue
        owner = element.getparent() if text.is_tail else element
        if owner is None:
            continue
        tokens = _tokens(text)  # first: most texts with a digit hold no code, and is_hidden
        if not tokens or is_hidden(owner):  # walks the ancestors
            continue
        stripped = text.strip()
        previous: str | None = None
        for value, start, end in tokens:
            alone = stripped == value or stripped.rstrip(".") == value
            if alone and previous is None:
                previous = _previous_text(owner, element, text.is_tail)
            features = {
                "bias": 1.0,
                "alone": float(alone),
                **_shape_features(value, text, start, end),
                **_label_features(text, start, previous, alone),
            }
            candidates.append(CodeCandidate(value, len(candidates), features, owner))
            if len(candidates) >= _MAX_CANDIDATES:
                break
        if len(candidates) >= _MAX_CANDIDATES:
            break
    shown = {c.value for c in candidates}
    for token in url_id_tokens(url):
        if token not in shown:
            candidates.append(CodeCandidate(token, -1, {"bias": 1.0}))
    for value in markup_ids:
        if value not in shown:
            candidates.append(CodeCandidate(value, -1, {"bias": 1.0}))
    for c in candidates if variant_skus else ():
        if variant_stem_of(c.value, variant_skus):
            c.features["variant_stem"] = 1.0
    candidates = _add_page_features(
        root, candidates, heading, title, url, url_compact, labelled, markup_ids,
        named_only=named_only,
    )  # fmt: skip
    ranking = model(CODE_MODEL)
    for c in candidates:
        c.score = ranking.score(c.features)
    return candidates


_ASCII_DIGIT = re.compile(r"[0-9]")
_NOT_SHOWN_IN = frozenset({"option", "textarea"})


def _digit_texts(page_texts: list[Any]) -> list[Any]:
    """``_DIGIT_TEXTS`` read from the page's short texts: those with an ASCII digit, not in
    an option or a text box (a tail's parent is its element's parent)."""
    found = []
    for text in page_texts:
        if _ASCII_DIGIT.search(text) is None:
            continue
        parent = text.getparent()
        if text.is_tail and parent is not None:
            parent = parent.getparent()
        if parent is None or parent.tag not in _NOT_SHOWN_IN:
            found.append(text)
    return found


_LABEL_TEXT = 60


def _previous_text(
    owner: lxml.html.HtmlElement, element: lxml.html.HtmlElement, is_tail: bool
) -> str | None:
    """The text just before a text of its own: the element it follows (a tail), else the
    nearest preceding sibling's text or the parent's leading text, up to three levels up
    ("<td>label</td><td><span>code</span></td>")."""
    if is_tail:
        return element.text_content()
    node = owner
    for _ in range(3):
        previous = node.getprevious()
        if previous is not None:
            tail = (previous.tail or "").strip()
            if tail:
                return tail
            text = previous.text_content()
            return text if len(text) <= _LABEL_TEXT else None
        parent = node.getparent()
        if parent is None:
            return None
        if (parent.text or "").strip():
            return parent.text
        node = parent
    return None


def _add_page_features(
    root: lxml.html.HtmlElement,
    candidates: list[CodeCandidate],
    heading: lxml.html.HtmlElement | None,
    title: str,
    url: str,
    url_compact: set[str],
    labelled: dict[str, bool],
    markup_ids: Sequence[str],
    *,
    named_only: bool = False,
) -> list[CodeCandidate]:
    """Features a candidate has among the page's: in the URL, the title, labelled by a
    known label, repeated, in same-layout blocks with other codes, distance to the heading.
    With ``named_only`` the features of where it sits are read only for the candidates
    named as codes (``_NAMED``), the only ones ``best_shown_code`` weighs, and only those
    are returned; else every candidate."""
    for c in candidates:
        f = c.features
        folded = c.value.casefold()
        c.url_id = compact(c.value) in url_compact
        f["in_url"] = float(c.url_id or in_url(c.value, url))
        f["in_title"] = float(_in_text(folded, title))
        if labelled.get(c.value):
            f["known_label"] = 1.0
        f["markup_id"] = float(c.value in markup_ids)
    weighed = [c for c in candidates if _is_named(c)] if named_only else candidates
    shown = [c for c in candidates if c.element is not None]
    placed = [c for c in weighed if c.element is not None]
    index = _positions(root, [c.element for c in placed], heading) if placed else {}
    heading_at = index.get(heading) if heading is not None else None
    signatures: dict[int, str] = {}
    for c in shown:
        assert c.element is not None
        signatures[id(c)] = layout_signature(c.element, ancestors(c.element, 3))
    layouts: dict[str, set[str]] = {}
    for c in shown:
        layouts.setdefault(signatures[id(c)], set()).add(c.value)
    for c in placed:
        assert c.element is not None
        f = c.features
        c.order = index.get(c.element, 0)
        f["same_layout"] = min(1.0, math.log(len(layouts[signatures[id(c)]])) / _LOG_MANY)
        f["contact"] = float(bool(_NEAR_CONTACT(c.element)))
        if heading_at is not None:
            f["heading_distance"] = min(1.0, abs(c.order - heading_at) / _FAR_FROM_HEADING)
    return weighed


def _positions(
    root: lxml.html.HtmlElement,
    elements: Sequence[lxml.html.HtmlElement | None],
    heading: lxml.html.HtmlElement | None,
) -> dict[lxml.html.HtmlElement, int]:
    """The document positions (in ``root.iter()``) of ``elements`` and the heading, read up
    to the last of them (``tree_positions``)."""
    return tree_positions(root, {e for e in (*elements, heading) if e is not None})


def _in_text(folded: str, text: str) -> bool:
    at = text.find(folded)
    while at >= 0:
        before = text[at - 1 : at]
        after = text[at + len(folded) : at + len(folded) + 1]
        if not before.isalnum() and not after.isalnum():
            return True
        at = text.find(folded, at + 1)
    return False


# What names a token as a code: a label before it, the URL, the title, the markup. A token
# with none of these (a number alone near the heading: a count of shares, a rating, a
# phone number) is never taken, whatever its score: a wrong code is worse than none.
# ``variant_stem`` names a token only for ``variant_codes`` (it has no weight): the markup's
# variant skus extend it.
_NAMED = ("colon_label", "word_label", "known_label", "in_url", "in_title", "markup_id",
          "variant_stem")  # fmt: skip


def _is_named(candidate: CodeCandidate) -> bool:
    return any(candidate.features.get(n) for n in _NAMED)


# A calendar date: day, month and year in any of the usual orders, one separator.
_CALENDAR = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})")
_YEARS = range(1900, 2100)


def is_calendar_date(value: str) -> bool:
    """True for a token that reads as a calendar date ("05/24/2024", "4/27/25",
    "12.05.2024", "2024-05-24"): year, month and day in range, in any order pages write
    them. "2016-11-0042" or "103.294.69" are none."""
    match = _CALENDAR.fullmatch(value)
    if match is None:
        return False
    first, _, middle, last = match.groups()
    a, b, c = int(first), int(middle), int(last)
    if len(first) == 4:
        return a in _YEARS and 1 <= b <= 12 and len(last) <= 2 and 1 <= c <= 31
    if len(first) > 2 or not (len(last) == 2 or (len(last) == 4 and c in _YEARS)):
        return False
    return 1 <= min(a, b) <= 12 and max(a, b) <= 31


# What is left of an amount once its currency sign is taken out: digits and the marks that
# group or part them ("125.000", "1 299,00").
_NUMBER = re.compile(r"\d[\d.,'’ ]*")


def is_price_token(value: str, price: str | None) -> bool:
    """True for a token that reads as the offer's own ``price``: a number, with its currency
    sign or not ("Rp125.000", "125.000" for 125000): a price written with no space between
    sign and digits is code-shaped, and the text before it ("From", "Now") names it as a
    code would be named."""
    if not price:
        return False
    _, sign = detect_currency(value)
    number = value.replace(sign, "", 1).strip() if sign else value
    if _NUMBER.fullmatch(number) is None:
        return False
    try:
        amount = parse_amount(value, None, sign)
        return amount is not None and Decimal(amount) == Decimal(price)
    except InvalidOperation:
        return False


# A code written as the URL's id after a short letter prefix and a separator ("TY-55821"
# for a URL ending "-55821"): the shop's code, which its URL writes without the prefix.
_LETTER_PREFIX = re.compile(r"[A-Za-z]{1,4}[-_./]")


def _prefixed_shown(best: CodeCandidate, named: list[CodeCandidate]) -> CodeCandidate | None:
    """The shown, named code that is the URL-only ``best`` after a letter prefix, if one."""
    for c in named:
        if c.element is not None and c.value.endswith(best.value):
            prefix = c.value[: len(c.value) - len(best.value)]
            if _LETTER_PREFIX.fullmatch(prefix):
                return c
    return None


def best_shown_code(
    candidates: list[CodeCandidate], *, offered: bool = True, price: str | None = None
) -> CodeCandidate | None:
    """The best-scored candidate named as a code (``_NAMED``), if it scores above none
    (0); the first shown on a tie. A calendar date is never taken: a page writes its
    posting, update, review or delivery dates after a label ("Updated: 05/24/2024"), and
    the label names it as it would a code (the learned ``date_shape`` weight does not
    outweigh a colon label and a text of its own); a product code that reads as a valid
    date is rarer than a labelled date.

    ``offered`` False: the page offers nothing the reading found (no price, no stock
    state, no markup id). Such a page is mostly an article, a recipe or a blog post, whose
    URL names the page (a post id, a slug) and whose labelled numbers are post ids,
    nutrition amounts or tags, all named as a code would be; a product page that shows no
    price (sold out) still shows its code where its URL names it as an id. So only a
    candidate both shown and one of the URL's ids (``url_id``; a slug's word such as
    "15-minute" or the host's name is none) is taken there: two sources that agree.

    A token that reads as the offer's ``price`` (``is_price_token``) is never a code. When
    the best is an id of the URL the page does not show, and the page shows a named code
    that is that id after a short letter prefix ("TY-55821" for "…-55821"), the shown code
    is taken: the URL writes the shop's code without its prefix."""
    named = [
        c
        for c in candidates
        if _is_named(c)
        and not is_calendar_date(c.value)
        and (offered or (c.element is not None and c.url_id))
        and not is_price_token(c.value, price)
    ]
    if not named:
        return None
    best = max(named, key=lambda c: (c.score, c.element is not None, -c.order))
    if best.score <= model(CODE_MODEL).threshold:
        return None
    return (_prefixed_shown(best, named) if best.element is None else None) or best

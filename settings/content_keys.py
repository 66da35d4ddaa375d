"""Stable identities: the de-duplication keys of a review and the key of a product.

Keys are computed from what the page says (not from the URL, host or port), so the
same review crawled again, from a moved site or a re-served demo, gets the same key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import NamedTuple

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lowercase, accents kept, punctuation and whitespace folded to single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def _folded_product(name: str | None) -> str:
    """``fold`` of a product name (a file or a page repeats a few names on every review)."""
    return fold(name)


def without_accents(text: str) -> str:
    """``text`` in compatibility decomposition (NFKD) without its combining marks: "é" is
    "e", "ﬁ" is "fi"; letters with no decomposition ("ł", "ø") stay as they are."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def product_key(
    *, gtin: str | None = None, sku: str | None = None, name: str | None = None
) -> str | None:
    """``gtin:…``, else ``sku:…``, else ``name:<folded name>``; None if nothing identifies it."""
    if gtin and gtin.strip():
        return f"gtin:{gtin.strip()}"
    if sku and sku.strip():
        return f"sku:{sku.strip()}"
    folded = fold(name)
    return f"name:{folded[:280]}" if folded else None


def review_content_key(
    *,
    external_id: str | None,
    text: str | None,
    title: str | None,
    rating_raw: str | float | None,
    date_raw: str | None,
    author: str | None,
    product: str | None,
) -> str:
    """Hex SHA-256 (32 chars) identifying one review within a company.

    The site's own review id wins when it has one; otherwise the review's visible
    content. The author's name only enters the hash, never the database.
    """
    if external_id and external_id.strip():
        basis = f"id\x1f{external_id.strip()}\x1f{_folded_product(product)}"
    else:
        basis = "\x1f".join(
            [
                "c",
                fold(text),
                fold(title),
                str(rating_raw if rating_raw is not None else "").strip(),
                (date_raw or "").strip(),
                fold(author),
                _folded_product(product),
            ]
        )
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _cased(text: str | None) -> str:
    """Case folded: the copies of one review differ in no more (one extractor reads them
    from one widget, or they are rows of one export; records come with their whitespace
    collapsed). ``fold``'s punctuation pass would cost a writer 3 us a review."""
    return text.strip().casefold() if text else ""


IDENTIFYING_WORDS = 8
"""Words of text (title and body) a review with neither a site id nor a reviewer needs to be
told from another one by its content alone: "Great kettle!" rated 5 the same day is two
people's review as often as one review shown twice."""


def review_identity_key(
    *,
    external_id: str | None,
    text: str | None,
    title: str | None,
    rating: float | None,
    published: date | None,
    author_hash: str | None,
) -> str | None:
    """Hex SHA-256 (32 chars) identifying one review within a company whatever product it
    was shown under (a variant page's review widget shows the same reviews under each
    colour); None when its content cannot tell it from another person's review.

    Unlike ``review_content_key`` it is made of what the database stores (the reviewer's
    pseudonym, never the name; the rating and date as read), so a stored review's key can
    be computed again. The site's id alone does not identify a review here: a site that
    numbers each product's reviews would have one product's review 3 taken for another's.
    """
    body, head = _cased(text), _cased(title)
    has_id = bool(external_id and external_id.strip())
    if not has_id and not author_hash and len(f"{head} {body}".split()) < IDENTIFYING_WORDS:
        return None
    basis = "\x1f".join(
        [
            "r",
            external_id.strip() if external_id and has_id else "",
            body,
            head,
            "" if rating is None else repr(float(rating)),
            published.isoformat() if published else "",
            author_hash or "",
        ]
    )
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


_CUT_MARKS = ("...", "…")
_SENTENCE_END = re.compile(r"[.!?。！？]")
_LINK_WORDS = 3
"""Words after a closing ellipsis still taken for the link that opens the rest ("Read more",
"Lire la suite", "Czytaj dalej"): a general signal, not a list of labels."""


def _uncut(text: str) -> tuple[str, bool]:
    """``text`` without a closing ellipsis and the few words of a "read more" link after
    it, and whether it had one."""
    at, mark = max((text.rfind(m), m) for m in _CUT_MARKS)
    if at < 0:
        return text, False
    tail = text[at + len(mark) :]
    # A link's label ends no sentence: "... it broke." is the end of a text.
    if len(tail.split()) > _LINK_WORDS or _SENTENCE_END.search(tail):
        return text, False
    end = at  # the dots and spaces before the mark go with it
    while end and (text[end - 1].isspace() or text[end - 1] in ".…"):
        end -= 1
    return text[:end], True


def cut_text(text: str | None) -> tuple[str, bool]:
    """``text`` compared between copies of one review, and whether it was cut short:
    whitespace collapsed and case folded, and a closing ellipsis dropped with the few words
    of a "read more" link after it (the teaser a page shows of a longer text)."""
    body, cut = _uncut(text or "")
    return " ".join(body.split()).casefold(), cut


class Prefix(NamedTuple):
    """How two texts compared by ``cut_text`` meet: one is the start of the other."""

    shorter: str
    """The shorter compared text (the first one's when they are as long)."""
    longer: str
    cut: bool
    """Whether the shorter one was cut short (a closing ellipsis: a teaser of the longer)."""
    first: bool
    """Whether the shorter one is the first text given."""

    @property
    def same(self) -> bool:
        """Whether the compared texts are the same."""
        return self.shorter == self.longer


def cut_prefix(a: str | None, b: str | None) -> Prefix | None:
    """How the texts ``a`` and ``b`` meet when one (compared by ``cut_text``) starts the
    other: the same text, or the teaser of the other when ``cut``; None when neither starts
    the other. One place for the comparison of a review's copies (the page's layers,
    ``spiders.extract.review_merge``; the stored rows, ``storage.review_copies``)."""
    (x, x_cut), (y, y_cut) = cut_text(a), cut_text(b)
    if len(x) <= len(y):
        return Prefix(x, y, x_cut, True) if y.startswith(x) else None
    return Prefix(y, x, y_cut, False) if x.startswith(y) else None


def text_key(text: str | None) -> str:
    """``cut_text`` without the flag."""
    return cut_text(text)[0]


def copy_key(text: str | None) -> str | None:
    """Hex SHA-256 (32 chars) of the first ``IDENTIFYING_WORDS`` words of a review's text
    (``cut_text``): the copies of one review, whole or cut short after as many words, share
    it, so a writer looks up a review's stored copies by it (``storage.review_copies``).
    None for a shorter text: "Great!" or "Works as expected, thank you" is many people's
    review, and two of them are not one review. A cut text needs one word more (its last
    one may be cut in the middle)."""
    body, cut = _uncut(text or "")
    words = body.split(maxsplit=IDENTIFYING_WORDS)  # the words needed, and the rest
    if len(words) < IDENTIFYING_WORDS + cut:
        return None
    basis = "cp\x1f" + " ".join(words[:IDENTIFYING_WORDS]).casefold()
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

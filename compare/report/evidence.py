"""Evidence for a number: review ids and two or three short quotes, each with the page the
review was read on (no authors, ever)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, func, select

from compare.report.analysis_source import AnalysisSource
from compare.report.aspects import Segment
from compare.report.report_scope import ReportScope
from compare.report.stored_tables import PRODUCT, REVIEW

MAX_QUOTE_CHARS = 160
EVIDENCE_IDS = 20
QUOTES = 3
RATING_SIDE = {"negative": 1, "positive": -1}
"""Quotes of a label come from reviews rated lowest (negative) or highest (positive) first."""
LABELS = ("negative", "positive", "neutral")
"""Sentence labels that can carry evidence (``unknown`` cannot)."""
SEGMENT_COLUMNS: dict[str, ColumnElement[str | None]] = {
    "language": REVIEW.c.language,
    "region": REVIEW.c.region,
    "category": PRODUCT.c.category,
    "product": PRODUCT.c.name,
}
"""Where each segment dimension's value lives (``aspects.DIMENSIONS``)."""


SAFE_URL_SCHEMES = ("http://", "https://")
"""Only these become links: a scraped ``javascript:`` or ``data:`` URL must stay inert."""


@dataclass(frozen=True)
class Quote:
    """A short quote and the page of the review it comes from (None: no web page, e.g.
    an imported review, or a URL that is not http(s))."""

    text: str
    url: str | None
    review_id: int


@dataclass(frozen=True)
class Evidence:
    review_ids: list[int] = field(default_factory=list)
    items: list[Quote] = field(default_factory=list)

    @property
    def quotes(self) -> list[str]:
        return [quote.text for quote in self.items]


def linkable_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address, else None."""
    if not url:
        return None
    cleaned = url.strip()
    return cleaned if cleaned.lower().startswith(SAFE_URL_SCHEMES) else None


def short_quote(text: str, max_chars: int = MAX_QUOTE_CHARS) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when too long."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= max_chars:
        return flat
    cut = flat[: max_chars - 1].rsplit(" ", 1)[0]
    return cut + "…"


def opinion_evidence(
    connection: Connection,
    scope: ReportScope,
    source: AnalysisSource,
    company_id: int,
    aspect: str,
    label: str | None,
    segment: Segment,
) -> Evidence:
    """The reviews in scope collected last (highest id, not the latest published) whose
    sentences mention ``aspect`` (with ``label``, or any label) within ``segment``; quotes
    are the mentioning sentences, else the review text.

    One query with a LIMIT per label: the (company, aspect, label, review) index is read
    backwards and the scan stops after ``EVIDENCE_IDS`` matches. Any label is the newest
    of the per-label results (a query without the label would sort all the aspect's rows).
    """
    labels = [label] if label is not None else list(LABELS)
    rated = [
        row
        for one in labels
        for row in _newest_mentions(connection, scope, source, company_id, aspect, one, segment)
    ]
    rated.sort(key=lambda row: -row[0])
    rated = rated[:EVIDENCE_IDS]
    rows = [(review_id, text, url) for review_id, text, url, _ in rated]
    if label not in RATING_SIDE:
        return evidence_from_rows(rows)
    # Quotes where the review's own rating agrees with the sentence's label first (a
    # complaint from a 1-star review before one from a 5-star review): a sentence the model
    # misread rarely comes from a review rated its way. Unrated reviews sit in the middle.
    side = RATING_SIDE[label]
    agreeing = sorted(rated, key=lambda row: side * (0.5 if row[3] is None else row[3]))
    return evidence_from_rows(rows, quote_rows=[row[:3] for row in agreeing])


def _newest_mentions(
    connection: Connection,
    scope: ReportScope,
    source: AnalysisSource,
    company_id: int,
    aspect: str,
    label: str,
    segment: Segment,
) -> list[tuple[int, str | None, str | None, float | None]]:
    """(review id, text to quote, page URL, the review's rating on 0..1) of the newest."""
    mention, sentence = source.mention, source.sentence
    conditions = [
        mention.c.company_id == company_id,
        mention.c.aspect == aspect,
        mention.c.label == label,
        scope.review_filter(),
    ]
    if segment.dimension != "all":
        conditions.append(SEGMENT_COLUMNS[segment.dimension] == segment.value)
    joined = mention.join(REVIEW, REVIEW.c.id == mention.c.review_id).outerjoin(
        sentence,
        (sentence.c.review_id == mention.c.review_id)
        & (sentence.c.position == mention.c.sentence_position),
    )
    if segment.dimension in ("category", "product"):
        joined = joined.join(PRODUCT, PRODUCT.c.id == REVIEW.c.product_id)
    rows = connection.execute(
        select(
            mention.c.review_id,
            func.coalesce(sentence.c.text, REVIEW.c.text, REVIEW.c.title),
            REVIEW.c.url,
            REVIEW.c.rating_normalized,
        )
        .select_from(joined)
        .where(*conditions)
        .order_by(mention.c.review_id.desc())
        .limit(EVIDENCE_IDS)
    ).all()
    return [(int(review_id), text, url, rating) for review_id, text, url, rating in rows]


EvidenceRow = tuple[int, str | None, str | None]
"""(review id, text to quote, review page URL)."""


def quote_key(text: str) -> str:
    """What makes two quotes the same to a reader: case, spacing and end punctuation aside.

    Reviews repeat stock phrases ("Fair price for what you get." and "... get"); showing
    both would spend a quote slot on nothing new.
    """
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def evidence_from_rows(
    rows: list[EvidenceRow], quote_rows: list[EvidenceRow] | None = None
) -> Evidence:
    """Distinct review ids in order, and up to ``QUOTES`` distinct short quotes, taken in
    the order of ``quote_rows`` (default: ``rows``)."""
    ids = list(dict.fromkeys(row[0] for row in rows))
    quotes: list[Quote] = []
    seen: set[str] = set()
    for review_id, text, url in rows if quote_rows is None else quote_rows:
        quote = short_quote(text) if text else ""
        key = quote_key(quote)
        if key and key not in seen and len(quotes) < QUOTES:
            seen.add(key)
            quotes.append(Quote(quote, linkable_url(url), review_id))
    return Evidence(ids, quotes)

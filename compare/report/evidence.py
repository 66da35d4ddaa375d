"""Evidence for a number: review ids and two or three short quotes (no authors, ever)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, Table, select

from compare.report.analysis_source import AnalysisSource
from compare.report.tables import REVIEW

MAX_QUOTE_CHARS = 160
EVIDENCE_IDS = 20
QUOTES = 3


@dataclass(frozen=True)
class Evidence:
    review_ids: list[int] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


def short_quote(text: str, max_chars: int = MAX_QUOTE_CHARS) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when too long."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= max_chars:
        return flat
    cut = flat[: max_chars - 1].rsplit(" ", 1)[0]
    return cut + "…"


def opinion_evidence(
    connection: Connection,
    opinions: Table,
    source: AnalysisSource,
    conditions: list[ColumnElement[bool]],
    aspect: str,
    label: str | None,
) -> Evidence:
    """Reviews from the opinions table matching ``conditions``; quotes prefer the sentence
    that mentions the aspect, else the review text."""
    ids = [
        int(row[0])
        for row in connection.execute(
            select(opinions.c.review_id)
            .where(*conditions)
            .order_by(opinions.c.review_id.desc())
            .limit(EVIDENCE_IDS)
        )
    ]
    quotes: list[str] = []
    for review_id in ids[: QUOTES * 3]:
        text = _quote_text(connection, source, review_id, aspect, label)
        quote = short_quote(text) if text else ""
        if quote and quote not in quotes and len(quotes) < QUOTES:
            quotes.append(quote)
    return Evidence(ids, quotes)


def _quote_text(
    connection: Connection, source: AnalysisSource, review_id: int, aspect: str, label: str | None
) -> str | None:
    mention, sentence = source.mention, source.sentence
    conditions = [mention.c.review_id == review_id, mention.c.aspect == aspect]
    if label is not None:
        conditions.append(mention.c.label == label)
    text = connection.execute(
        select(sentence.c.text)
        .join(
            mention,
            (mention.c.review_id == sentence.c.review_id)
            & (mention.c.sentence_position == sentence.c.position),
        )
        .where(*conditions)
        .limit(1)
    ).scalar()
    return str(text) if text else review_text(connection, review_id)


def review_text(connection: Connection, review_id: int) -> str | None:
    row = connection.execute(
        select(REVIEW.c.title, REVIEW.c.text).where(REVIEW.c.id == review_id)
    ).first()
    if row is None:
        return None
    return row.text or row.title

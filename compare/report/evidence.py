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
    for review_id in ids[: QUOTES * 2]:
        text = _quote_text(connection, source, review_id, aspect, label)
        if text and len(quotes) < QUOTES:
            quotes.append(short_quote(text))
    return Evidence(ids, quotes)


def _quote_text(
    connection: Connection, source: AnalysisSource, review_id: int, aspect: str, label: str | None
) -> str | None:
    if source.mention_text is not None:
        conditions = [source.mention_review_id == review_id, source.mention_aspect == aspect]
        if label is not None:
            conditions.append(source.mention_label == label)
        sentence = connection.execute(
            select(source.mention_text).where(*conditions).limit(1)
        ).scalar()
        if sentence:
            return str(sentence)
    return review_text(connection, review_id)


def review_text(connection: Connection, review_id: int) -> str | None:
    row = connection.execute(
        select(REVIEW.c.title, REVIEW.c.text).where(REVIEW.c.id == review_id)
    ).first()
    if row is None:
        return None
    return row.text or row.title

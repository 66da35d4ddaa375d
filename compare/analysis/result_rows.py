"""Analysis results as table rows, and writing them.

Rows are plain tuples in a fixed column order, built where the analysis ran (in the worker
processes), so the parent process only executes inserts: building SQLAlchemy parameter
dicts there cost more than the analysis itself. Where the database takes plain rows
(``storage.dialects``: SQLite), dates are pre-formatted the way SQLAlchemy stores them and the
DB-API ``executemany`` gets the tuples directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert

from compare.analysis.need_phrases import MISSING, WISH
from compare.analysis.review import ReviewResult
from compare.analysis.sentiment.labels import NEUTRAL
from compare.analysis.tables import (
    ASPECT_MENTION,
    DETAIL_TABLES,
    KEY_PHRASE,
    REVIEW_ANALYSIS,
    REVIEW_NEED,
    REVIEW_SENTENCE,
)
from storage.dialects import Dialect, dialect_of
from storage.models import utcnow

COLUMNS: dict[str, tuple[str, ...]] = {
    REVIEW_ANALYSIS.name: (
        "review_id",
        "company_id",
        "analyzer_version",
        "language",
        "polarity",
        "label",
        "confidence",
        "model",
        "sentence_count",
        "published",
        "analyzed_at",
    ),
    REVIEW_SENTENCE.name: ("review_id", "position", "text", "polarity", "label", "aspects"),
    ASPECT_MENTION.name: (
        "review_id",
        "company_id",
        "published",
        "language",
        "sentence_position",
        "aspect",
        "polarity",
        "label",
        "term",
    ),
    REVIEW_NEED.name: (
        "review_id",
        "company_id",
        "published",
        "language",
        "sentence_position",
        "text",
        "kind",
        "topic",
        "aspect",
    ),
    KEY_PHRASE.name: ("review_id", "company_id", "language", "phrase"),
}
TABLES = (REVIEW_ANALYSIS, REVIEW_SENTENCE, ASPECT_MENTION, REVIEW_NEED, KEY_PHRASE)

NEEDS_WITHOUT_JUDGEMENT = frozenset({WISH, MISSING})
"""Need kinds whose sentences name an aspect without judging it (requests and complaints
judge: "never again", "please fix the lid")."""


@dataclass
class ResultRows:
    """Rows for a batch of analysed reviews, per table name."""

    review_ids: list[int] = field(default_factory=list)
    rows: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {name: [] for name in COLUMNS}
    )

    def extend(self, other: ResultRows) -> None:
        self.review_ids.extend(other.review_ids)
        for name, rows in other.rows.items():
            self.rows[name].extend(rows)


def result_rows(
    results: list[ReviewResult], analyzer_version: str, *, plain: Dialect | None
) -> ResultRows:
    """The rows of every table for ``results`` (``plain``: values as that database takes them
    in plain rows, see ``plain_dialect``)."""
    out = ResultRows()
    now = utcnow()
    analyzed_at = now if plain is None else plain.plain_timestamp(now)
    analyses = out.rows[REVIEW_ANALYSIS.name]
    sentences = out.rows[REVIEW_SENTENCE.name]
    mentions = out.rows[ASPECT_MENTION.name]
    needs = out.rows[REVIEW_NEED.name]
    phrases = out.rows[KEY_PHRASE.name]
    for result in results:
        review = result.review
        review_id, company_id, language = review.review_id, review.company_id, result.language
        published: object = (
            review.published if plain is None else plain.plain_date(review.published)
        )
        out.review_ids.append(review_id)
        analyses.append(
            (
                review_id,
                company_id,
                analyzer_version,
                language,
                result.polarity,
                result.label,
                result.confidence,
                result.model,
                len(result.sentences),
                published,
                analyzed_at,
            )
        )
        for sentence in result.sentences:
            position, polarity, label = sentence.index, sentence.polarity, sentence.label
            aspect_names = ",".join(a for a, _ in sentence.aspects)[:300] or None
            sentences.append((review_id, position, sentence.text, polarity, label, aspect_names))
            # a wish or a missing feature ("there is no manual in my language") is a need,
            # stored below: its aspect is named, not judged, or one remark would count twice
            judged = sentence.need not in NEEDS_WITHOUT_JUDGEMENT
            for aspect, term in sentence.aspects:
                mentions.append(
                    (
                        review_id,
                        company_id,
                        published,
                        language,
                        position,
                        aspect,
                        polarity if judged else None,
                        label if judged else NEUTRAL,
                        term[:100],
                    )
                )
            if sentence.need is not None:
                needs.append(
                    (
                        review_id,
                        company_id,
                        published,
                        language,
                        position,
                        sentence.text,
                        sentence.need,
                        sentence.need_topic,
                        sentence.aspects[0][0] if sentence.aspects else None,
                    )
                )
        for phrase in result.key_phrases:
            phrases.append((review_id, company_id, language, phrase[:200]))
    return out


def plain_dialect(engine: Engine) -> Dialect | None:
    """The database's dialect when rows can go to its DB-API as they are, else None."""
    dialect = dialect_of(engine)
    return dialect if dialect.plain_rows else None


def write_rows(engine: Engine, batch: ResultRows, *, plain: Dialect | None) -> None:
    """Replace the batch's reviews' analysis rows in one transaction."""
    with engine.begin() as connection:
        # the analysis tables' indexes take many pages: a larger page cache (SQLite)
        dialect_of(connection).prepare_bulk_insert(connection)
        for table in (REVIEW_ANALYSIS, *DETAIL_TABLES):
            if plain is not None:
                plain.delete_plain_rows(connection, table.name, "review_id", batch.review_ids)
            else:
                connection.execute(delete(table).where(table.c.review_id.in_(batch.review_ids)))
        for table in TABLES:
            _insert(connection, table, batch.rows[table.name], plain)


def _insert(
    connection: Connection, table: Table, rows: list[tuple[Any, ...]], plain: Dialect | None
) -> None:
    if not rows:
        return
    columns = COLUMNS[table.name]
    if plain is not None:
        plain.insert_plain_rows(connection, table.name, columns, rows)
        return
    connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

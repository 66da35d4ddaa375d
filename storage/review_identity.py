"""One review, one row: a review shown under two products, and a review its author edited.

A review's content key (``settings.content_keys.review_content_key``) includes its
product, so a variant page's shared review widget, or a file listing a review under two
products, gives one review two keys. Its identity key (``review_identity_key``) leaves the
product out: the second sighting becomes a ``ReviewAlias`` of the stored row (its key and
product), and every count counts the review once.

A review seen again with the same site id (same content key) but another text or rating,
by the same reviewer, was edited: the row takes the new text (keeping the previous one and
the time) and its analysis is dropped, so ``rivalscope analyze`` analyses it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, select, update

from settings.content_keys import fold, review_identity_key
from settings.records import ReviewItem
from storage.analysis_models import (
    AspectMention,
    KeyPhrase,
    ReviewAnalysis,
    ReviewNeed,
    ReviewSentence,
)
from storage.dialects import dialect_of
from storage.models import Review, ReviewAlias

REVIEW: Table = Review.__table__  # type: ignore[attr-defined]
ALIAS: Table = ReviewAlias.__table__  # type: ignore[attr-defined]
ANALYSIS_TABLES: tuple[Table, ...] = tuple(
    cast(Table, model.__table__)  # type: ignore[union-attr]
    for model in (ReviewAnalysis, ReviewSentence, AspectMention, ReviewNeed, KeyPhrase)
)
"""Every table holding what the analysis made of a review's text."""
CHUNK = 5000
"""Keys per IN list: an import batch in one, as the importer looked its keys up before."""


def chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """``values`` in slices of ``CHUNK`` (an IN list each)."""
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def identity_of(review: ReviewItem, published: date | None) -> str | None:
    """The identity key of ``review`` published on ``published`` (an edit keeps the date the
    review was first stored with)."""
    return review_identity_key(
        external_id=review.external_id,
        text=review.text,
        title=review.title,
        rating=review.rating,
        published=published,
        author_hash=review.author_hash,
    )


def identity_taken(conn: Connection, company_id: int, identity: str | None, review_id: int) -> bool:
    """Whether a review of the company other than ``review_id`` has ``identity`` (a stored
    review whose identity changes keeps its old one then: identities are unique)."""
    if identity is None:
        return False
    found = conn.execute(
        select(REVIEW.c.id).where(
            REVIEW.c.company_id == company_id,
            REVIEW.c.identity_key == identity,
            REVIEW.c.id != review_id,
        )
    )
    return found.first() is not None


def forget_analysis(conn: Connection, review_ids: Sequence[int]) -> None:
    """Drop the reviews' analysis: ``rivalscope analyze`` finds them pending again, and no
    report counts what their old text said meanwhile."""
    for part in chunks(sorted(review_ids)):
        for table in ANALYSIS_TABLES:
            conn.execute(delete(table).where(table.c.review_id.in_(part)))


def stored_content_keys(conn: Connection, company_id: int) -> set[str]:
    """Every content key the company's reviews were seen under (rows and aliases)."""
    keys = set(
        conn.execute(
            select(REVIEW.c.content_key).where(REVIEW.c.company_id == company_id)
        ).scalars()
    )
    keys.update(
        conn.execute(select(ALIAS.c.content_key).where(ALIAS.c.company_id == company_id)).scalars()
    )
    return keys


def insert_reviews(
    conn: Connection, company_id: int, rows: list[dict[str, Any]], *, check_aliases: bool
) -> int:
    """Insert the review rows not stored yet under another product (their key becomes that
    review's alias) nor under their own key; the number of reviews added.

    ``check_aliases``: the caller holds no set of the stored keys (a large import), so rows
    whose key is an alias already are looked up here."""
    if not rows:
        return 0
    if check_aliases and has_aliases(conn, company_id):
        aliased = _existing(
            conn, ALIAS, company_id, "content_key", [r["content_key"] for r in rows]
        )
        rows = [r for r in rows if r["content_key"] not in aliased]
    new: list[dict[str, Any]] = []
    aliases: list[tuple[dict[str, Any], str]] = []
    firsts: set[str] = set()
    for row in rows:
        identity = row["identity_key"]
        if identity is not None and identity in firsts:  # shown twice in this batch
            aliases.append((row, identity))
            continue
        if identity is not None:
            firsts.add(identity)
        new.append(row)
    # No conflict target: a row is skipped on its content key and on its identity (the
    # review stored under another product, or by another source of the company now).
    added = dialect_of(conn).insert_new_rows(conn, REVIEW, new, [])
    stored: dict[str, tuple[int, str]] = {}
    if added < len(new):  # some were stored: under their own key, or under another one's
        identities = sorted({r["identity_key"] for r in new if r["identity_key"]})
        stored = _existing(conn, REVIEW, company_id, "identity_key", identities)
        aliases += [
            (row, row["identity_key"])
            for row in new
            if row["identity_key"] in stored
            and stored[row["identity_key"]][1] != row["content_key"]
        ]
    if aliases:
        missing = sorted({i for _, i in aliases if i not in stored})
        stored.update(_existing(conn, REVIEW, company_id, "identity_key", missing))
        alias_rows = [
            {
                "company_id": company_id,
                "content_key": row["content_key"],
                "review_id": stored[identity][0],
                "product_id": row["product_id"],
                "first_seen_at": row["first_seen_at"],
            }
            for row, identity in aliases
            if identity in stored
        ]
        dialect_of(conn).insert_new_rows(conn, ALIAS, alias_rows, ["company_id", "content_key"])
    return added


def stored_identity_keys(conn: Connection, company_id: int, identities: Sequence[str]) -> set[str]:
    """The identity keys among ``identities`` a stored review of the company has."""
    return set(_existing(conn, REVIEW, company_id, "identity_key", sorted(set(identities))))


def has_aliases(conn: Connection, company_id: int) -> bool:
    """Whether any review of the company was seen under a second key (most companies': none,
    and their writes look up no alias)."""
    found = conn.execute(select(ALIAS.c.id).where(ALIAS.c.company_id == company_id).limit(1))
    return found.first() is not None


def _existing(
    conn: Connection, table: Table, company_id: int, column: str, values: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """``values`` of ``column`` the company's rows of ``table`` hold -> (row id, content key)."""
    found: dict[str, tuple[int, str]] = {}
    key = table.c[column]
    for part in chunks(values):
        rows = conn.execute(
            select(key, table.c.id, table.c.content_key).where(
                table.c.company_id == company_id, key.in_(part)
            )
        )
        found.update((value, (row_id, content_key)) for value, row_id, content_key in rows)
    return found


@dataclass(frozen=True)
class StoredReview:
    review_id: int
    text: str | None
    title: str | None
    rating: float | None
    published: date | None
    author_hash: str | None
    crawl_run_id: int | None
    """The run that stored it first."""


def stored_by_key(
    conn: Connection, company_id: int, keys: Sequence[str]
) -> dict[str, StoredReview]:
    """The stored reviews the content keys name (their own key or an alias)."""
    r = REVIEW.c
    columns = (r.id, r.text, r.title, r.rating, r.published, r.author_hash, r.crawl_run_id)
    found: dict[str, StoredReview] = {}
    aliased = has_aliases(conn, company_id)
    for part in chunks(keys):
        own = select(r.content_key, *columns).where(
            r.company_id == company_id, r.content_key.in_(part)
        )
        alias = (
            select(ALIAS.c.content_key, *columns)
            .join(REVIEW, r.id == ALIAS.c.review_id)
            .where(ALIAS.c.company_id == company_id, ALIAS.c.content_key.in_(part))
        )
        for query in (own, alias) if aliased else (own,):
            for key, *values in conn.execute(query):
                found[key] = StoredReview(*values)
    return found


def was_edited(review: ReviewItem, stored: StoredReview) -> bool:
    """Whether ``review`` (same site id and product as ``stored``) is an edit of it.

    The same reviewer only: a site whose review ids are positions on the page ("review-1")
    would otherwise have its newest review overwrite another person's. Case, punctuation and
    spacing are no edit (an extractor reading the same text a little differently), nor is a
    text the stored one starts with (the shortened text a product page shows beside the
    full one of its reviews page)."""
    if review.author_hash != stored.author_hash:
        return False
    if (review.text, review.title, review.rating) == (stored.text, stored.title, stored.rating):
        return False  # the common case, without folding
    text, before = fold(review.text), fold(stored.text)
    if (text, fold(review.title), review.rating) == (before, fold(stored.title), stored.rating):
        return False
    return not (text != before and before.startswith(text))


def apply_edits(
    conn: Connection,
    company_id: int,
    reviews: Sequence[ReviewItem],
    now: datetime,
    edited: set[int],
) -> int:
    """Store the edits among ``reviews`` (stored keys, site ids); the number of reviews
    edited. ``edited``: the reviews this run edited already (a review shown under two
    products is edited once), updated."""
    keys = sorted({r.content_key for r in reviews if r.content_key})
    if not keys:
        return 0
    stored = stored_by_key(conn, company_id, keys)
    changed: list[int] = []
    for review in reviews:
        before = stored.get(review.content_key or "")
        if before is None or before.review_id in edited or not was_edited(review, before):
            continue
        edited.add(before.review_id)
        values: dict[str, Any] = {
            "text": review.text,
            "title": review.title,
            "rating": review.rating,
            "best_rating": review.best_rating,
            "worst_rating": review.worst_rating,
            "rating_normalized": review.rating_normalized,
            "language": review.language,
            "language_source": review.language_source,
            "edited_at": now,
            "text_before_edit": before.text,
        }
        identity = identity_of(review, before.published)
        if not identity_taken(conn, company_id, identity, before.review_id):
            # else another row is that text already: the old identity stays
            values["identity_key"] = identity
        conn.execute(update(REVIEW).where(REVIEW.c.id == before.review_id).values(**values))
        changed.append(before.review_id)
    forget_analysis(conn, changed)
    return len(changed)

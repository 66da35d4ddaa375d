"""One review read two ways, one row: a review widget's API and the page's layout.

A shop whose reviews a script loads shows each review twice to a crawl: the widget's API
gives it with the site's review id and the reviewer, the rendered page gives it as laid out
(no id, the name maybe written another way, the text maybe cut short with "…"). Their
content keys differ (one is the id, the other the text), and so may their identity keys
(``storage.review_identity``): without this both were stored, and every share and count of
the gap report counted the review twice.

A review arriving under a new content key is a copy of a review stored (or earlier in its
batch) when both are of the same source and product, and:

- their texts are the same (``settings.content_keys.cut_text``: whitespace and case
  collapsed), or one is cut short ("…", "… Read more") and the other starts with it;
- the text has ``IDENTIFYING_WORDS`` words at least (``copy_key`` is None below that):
  "Great!" or "Super" rated 5 the same day is many people's review;
- neither rating nor date says otherwise (equal, or one of them unknown): a different
  rating or date is a different review;
- they are not two reviews of the site (two site ids), nor two reviews read the same way
  under two reviewers' names (no site id, two pseudonyms). A copy with the id and one
  without it may name the reviewer differently ("Anna K." and "Anna Kowalska").

The stored row stays and takes from the copy what it lacks (the site id, the rating, the
date, the title, the reviewer, the whole text of a cut one); nothing it holds is
overwritten. The copy's content key becomes an alias of the row (``ReviewAlias``), so the
next crawl knows it without looking again. One page's copies (markup and layout) are merged
by the extraction already (``spiders.extract.review_merge``); this is the storage's side,
for copies arriving in different responses or batches, or on different runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select, update

from settings.content_keys import cut_prefix, review_identity_key
from storage.dialects import dialect_of
from storage.review_identity import (
    ALIAS,
    REVIEW,
    chunks,
    forget_analysis,
    identity_taken,
    stored_by_key,
)

COLUMNS = (
    # what a copy is compared by and completes with (``same_review``, ``fill``)
    "id",
    "content_key",
    "copy_key",
    "identity_key",
    "source_id",
    "product_id",
    "text",
    "title",
    "rating",
    "best_rating",
    "worst_rating",
    "rating_normalized",
    "published",
    "language",
    "language_source",
    "region",
    "author_hash",
    "external_id",
)
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("external_id",),
    ("title",),
    ("published",),
    ("author_hash",),
    ("region",),
    # A rating goes with its scale, a language with where it came from.
    ("rating", "best_rating", "worst_rating", "rating_normalized"),
    ("language", "language_source"),
)
_FILLED = tuple(name for group in _GROUPS for name in group)

Copy = tuple[dict[str, Any], str]
"""A copy's row, and the content key of the row it is a copy of."""


def same_review(kept: Mapping[str, Any], copy: Mapping[str, Any]) -> bool:
    """Whether the rows ``kept`` and ``copy`` (different content keys) are one review read two
    ways (see the module docstring)."""
    if (kept["source_id"], kept["product_id"]) != (copy["source_id"], copy["product_id"]):
        return False
    if kept["external_id"] and copy["external_id"]:
        return False  # the site tells its reviews apart: two ids, two reviews
    if (
        not kept["external_id"]
        and not copy["external_id"]
        and kept["author_hash"]
        and copy["author_hash"]
        and kept["author_hash"] != copy["author_hash"]
    ):
        return False  # read the same way under two names: two people
    if kept["published"] and copy["published"] and kept["published"] != copy["published"]:
        return False
    if not _same_rating(kept, copy):
        return False
    meet = cut_prefix(kept["text"], copy["text"])
    return meet is not None and (meet.same or meet.cut)


def _same_rating(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    x, y = a["rating_normalized"], b["rating_normalized"]
    if x is not None and y is not None:
        return abs(float(x) - float(y)) <= 1e-6
    x, y = a["rating"], b["rating"]
    return x is None or y is None or float(x) == float(y)


def fill(kept: dict[str, Any], copy: Mapping[str, Any]) -> tuple[bool, bool]:
    """``kept`` completed from ``copy``: (whether anything changed, whether its text did)."""
    changed = False
    for group in _GROUPS:
        if kept[group[0]] is None and copy[group[0]] is not None:
            for name in group:
                kept[name] = copy[name]
            changed = True
    meet = cut_prefix(kept["text"], copy["text"])
    if meet is not None and meet.first and meet.cut and not meet.same:
        kept["text"] = copy["text"]  # the whole text of the teaser stored
        return True, True
    return changed, False


def identity_of_row(row: Mapping[str, Any]) -> str | None:
    return review_identity_key(
        external_id=row["external_id"],
        text=row["text"],
        title=row["title"],
        rating=row["rating"],
        published=row["published"],
        author_hash=row["author_hash"],
    )


def set_copies_aside(
    conn: Connection, company_id: int, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[Copy]]:
    """``rows`` (new content keys) without the copies of a stored review or of an earlier
    row, and those copies. A stored review a copy completes is updated here; an earlier row
    of ``rows`` is completed in place. ``alias_copies`` stores the copies' keys once the
    rows are inserted."""
    # The text keys worth reading the stored reviews of: those a stored review of another
    # content key has (mostly none: a review first seen, or an import's review stored
    # itself), and those of two rows (one may be stored, the other its copy). Read with the
    # rows' own reviews, if stored: a review stored is no copy.
    r = REVIEW.c
    own = sorted({row["content_key"] for row in rows})
    counts = Counter(row["copy_key"] for row in rows if row["copy_key"])
    if not counts:
        return rows, []
    wanted = {key for key, n in counts.items() if n > 1}
    for part in chunks(sorted(counts)):
        found = conn.execute(
            select(r.copy_key)
            .distinct()
            .where(r.company_id == company_id, r.copy_key.in_(part), r.content_key.not_in(own))
        )
        wanted.update(found.scalars())
    seen: dict[str, list[dict[str, Any]]] = {}
    for part in chunks(sorted(wanted)):
        found = conn.execute(
            select(*(r[name] for name in COLUMNS))
            .where(r.company_id == company_id, r.copy_key.in_(part))
            .order_by(r.id)
        )
        for stored in found.mappings():
            seen.setdefault(stored["copy_key"], []).append(dict(stored))
    kept: list[dict[str, Any]] = []
    copies: list[Copy] = []
    completed: dict[int, dict[str, Any]] = {}
    new_texts: set[int] = set()
    filled_rows: list[dict[str, Any]] = []
    for row in rows:
        candidates = seen.get(row["copy_key"] or "")
        if not candidates:  # the common case: a review first seen
            kept.append(row)
            if row["copy_key"]:
                seen[row["copy_key"]] = [row]
            continue
        if any(c["content_key"] == row["content_key"] for c in candidates):
            kept.append(row)  # stored itself (an import holds no set of the stored keys)
            continue
        twin = next((c for c in candidates if same_review(c, row)), None)
        if twin is None:
            kept.append(row)
            if row["copy_key"]:
                seen.setdefault(row["copy_key"], []).append(row)
            continue
        copies.append((row, twin["content_key"]))
        changed, new_text = fill(twin, row)
        if not changed:
            continue
        if twin.get("id") is None:
            filled_rows.append(twin)
        else:
            completed[twin["id"]] = twin
            if new_text:
                new_texts.add(twin["id"])
    for row in filled_rows:
        row["identity_key"] = identity_of_row(row)
    _update_stored(conn, company_id, completed, new_texts)
    return kept, copies


def _update_stored(
    conn: Connection, company_id: int, completed: dict[int, dict[str, Any]], new_texts: set[int]
) -> None:
    """Store what copies added to stored reviews (by id); those of ``new_texts``, whose text
    changed (the whole one of a cut teaser), are analysed again."""
    for review_id, twin in sorted(completed.items()):
        values = {name: twin[name] for name in (*_FILLED, "text")}
        identity = identity_of_row(twin)
        # Another row with the new identity: this one keeps its own (identities are unique).
        if identity != twin["identity_key"] and not identity_taken(
            conn, company_id, identity, review_id
        ):
            values["identity_key"] = twin["identity_key"] = identity
        conn.execute(update(REVIEW).where(REVIEW.c.id == review_id).values(**values))
    forget_analysis(conn, sorted(new_texts))


def alias_copies(conn: Connection, company_id: int, copies: list[Copy]) -> None:
    """The copies' content keys become aliases of the rows they are copies of (those rows
    inserted by now)."""
    if not copies:
        return
    stored = stored_by_key(conn, company_id, sorted({key for _, key in copies}))
    rows = [
        {
            "company_id": company_id,
            "content_key": copy["content_key"],
            "review_id": stored[key].review_id,
            "product_id": copy["product_id"],
            "first_seen_at": copy["first_seen_at"],
        }
        for copy, key in copies
        if key in stored
    ]
    dialect_of(conn).insert_new_rows(conn, ALIAS, rows, ["company_id", "content_key"])

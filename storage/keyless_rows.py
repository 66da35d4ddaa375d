"""Reviews an older rivalscope stored without the keys this version de-duplicates by.

A crawl started by an older version (a scheduled one still running when the user upgraded)
goes on writing to the upgraded database: its rows have no copy key (a writer from before
migration 0017) and maybe no identity key (before 0016), and nothing said so. Such a row
escapes every de-duplication (``storage.review_identity``, ``storage.review_copies``): the
same review can be stored twice, and counted twice by a report.

A key is legitimately missing too: a text of fewer than ``IDENTIFYING_WORDS`` words has no
copy key, nor an identity key without a site id or a reviewer. A row is keyless when the
key computed from its stored columns, with the functions the writer uses
(``review_copies.identity_of_row``, ``settings.content_keys.copy_key``), is not None but
the stored one is. ``storage.merge_copies`` keys such rows and merges them as a crawl would
have; ``count_keyless`` counts them for a command that only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, or_, select

from settings.content_keys import IDENTIFYING_WORDS, copy_key
from storage.review_copies import identity_of_row
from storage.review_identity import REVIEW

SCAN = 2000
"""Rows read at a time (memory stays flat on a large table)."""
_SHORTEST = 2 * IDENTIFYING_WORDS - 2
"""Characters of title and text below which no key can be computed (``IDENTIFYING_WORDS``
words and the spaces between them, the title's and the text's counted apart)."""


def _missing_key() -> ColumnElement[bool]:
    """Rows that may lack a key they should have: its key NULL, and a site id, a reviewer
    or enough text for an identity key, enough text for a copy key (a superset of the
    keyless rows: the short reviews stored rightly without keys, often a good share of a
    shop's, are left in the database)."""
    r = REVIEW.c
    text = func.length(func.coalesce(r.text, ""))
    identifies = or_(
        r.external_id.is_not(None),
        r.author_hash.is_not(None),
        text + func.length(func.coalesce(r.title, "")) >= _SHORTEST,
    )
    return or_(r.identity_key.is_(None) & identifies, r.copy_key.is_(None) & (text >= _SHORTEST))


def keyed(row: dict[str, Any]) -> dict[str, Any] | None:
    """``row`` with the keys it lacks and should have (computed from its columns), or None
    when it lacks none."""
    values: dict[str, Any] = {}
    if row["identity_key"] is None and (identity := identity_of_row(row)) is not None:
        values["identity_key"] = identity
    if row["copy_key"] is None and (copied := copy_key(row["text"])) is not None:
        values["copy_key"] = copied
    return {**row, **values} if values else None


def keyless_batch(
    conn: Connection, columns: Sequence[str], *, after: int = 0, size: int = SCAN
) -> tuple[list[dict[str, Any]], int | None]:
    """The keyless rows among the next ``size`` rows without a key after id ``after`` (their
    ``columns``, ``id``, ``identity_key`` and ``copy_key`` among them), keys added
    (``keyed``); and the last id read (None: no row left)."""
    r = REVIEW.c
    rows = (
        conn.execute(
            select(*(r[name] for name in columns))
            .where(r.id > after, _missing_key())
            .order_by(r.id)
            .limit(size)
        )
        .mappings()
        .all()
    )
    if not rows:
        return [], None
    found = [row for stored in rows if (row := keyed(dict(stored))) is not None]
    return found, int(rows[-1]["id"])


_COUNTED = (
    "id",
    "identity_key",
    "copy_key",
    "external_id",
    "text",
    "title",
    "rating",
    "published",
    "author_hash",
)
"""The columns the keys are computed from (``identity_of_row``, ``copy_key``), and the id."""


def keyless_warning_text(keyless: int) -> str:
    """What `analyze`, `report` (on stderr) and the report's page (beside its collection
    coverage) say of ``keyless`` rows (``count_keyless``): read as they are, such a review
    may be counted twice."""
    rows = f"{keyless} review row{'' if keyless == 1 else 's'}"
    verb = "is" if keyless == 1 else "are"
    return (
        f"{rows} written by an older rivalscope {verb} not yet merged (a review may be "
        "counted twice): run `rivalscope db merge-copies`"
    )


def count_keyless(conn: Connection) -> int:
    """How many stored reviews lack a key they should have (read, not changed): `runs`
    says so."""
    total, after = 0, 0
    while True:
        found, last = keyless_batch(conn, _COUNTED, after=after)
        if last is None:
            return total
        total, after = total + len(found), last

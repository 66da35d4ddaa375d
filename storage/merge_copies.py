"""Reviews stored twice before a crawl knew their copies: merged into one row each.

``storage.review_copies`` keeps a review read two ways (a widget's API with the site's id,
the rendered page without it) to one row from the moment a crawl brings the second copy.
Copies stored before that (before migration 0017 gave the rows their ``copy_key``) stay two
rows until ``merge_stored_copies`` (``rivalscope db merge-copies``) merges them by the same
rules (``review_copies.same_review``):

- the row kept is the one with the site's review id, else the one first seen (the older);
- it takes what the other holds and it lacks (``review_copies.fill``: the id, rating, date,
  title, reviewer, the whole text of a cut one; its link, its edit), the earlier first
  sighting of the two, and its identity and copy keys computed again;
- everything naming the removed row names the kept one: its aliases, its analysis (the
  analysis of the text the kept row ends with stays, that of another text goes, and
  ``rivalscope analyze`` analyses the row again if none is left), the evidence of stored
  findings;
- the removed row's content key becomes an alias of the kept row, so a crawl that reads it
  again knows it and adds no row.

Rows an older rivalscope (a crawl it started before the upgrade, still running) stored
without the keys (``storage.keyless_rows``) are keyed first, a batch at a time, and merged
as a crawl of this version would have stored them: into the row of the same identity (the
review stored under another product, or twice by two versions), and with their copies.
``merge_keyless`` does that part alone (the scheduler runs it after each round of crawls,
before the analysis and the report).

Rows are read a few hundred copy keys at a time, each batch merged in one transaction: a
run killed half-way leaves every batch merged or not at all, and a run again finishes the
rest (a batch merged has no copies left to find; a run with none changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, case, delete, func, select, update

from settings.content_keys import copy_key, text_key
from settings.pause_points import pause_point
from storage.dialects import dialect_of
from storage.findings_models import Finding
from storage.keyless_rows import keyless_batch
from storage.models import Meta, as_utc
from storage.review_copies import COLUMNS, fill, identity_of_row, same_review
from storage.review_identity import ALIAS, ANALYSIS_TABLES, REVIEW, chunks, forget_analysis

BATCH = 500
"""Copy keys shared by several rows merged in one transaction."""
_READ = (
    *COLUMNS,
    "company_id",
    "url",
    "first_seen_at",
    "crawl_run_id",
    "edited_at",
    "text_before_edit",
)
_FINDING: Table = Finding.__table__  # type: ignore[attr-defined]
_META: Table = Meta.__table__  # type: ignore[attr-defined]
MERGED_KEY = "review_copies_merged"
"""``meta`` key a finished merge sets: copies stored before copy keys are merged."""
PAUSE_POINT = "keyless-batches"
"""``settings.pause_points`` point: keyless rows keyed and merged, the batch not committed."""
_DATED = tuple(table for table in ANALYSIS_TABLES if "published" in table.c)
"""Analysis tables that keep the review's date (reports group by it without a join)."""


@dataclass
class Merged:
    """A row kept and the rows merged into it."""

    row: dict[str, Any]
    """The kept row as it ends: completed from the others."""
    before: dict[str, Any]
    """The kept row as it was stored."""
    removed: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class MergeCounts:
    """What ``merge_stored_copies`` found and did (would do, for a dry run)."""

    shared_keys: int = 0
    """Copy keys (a text's first words) several stored rows have: each looked at."""
    kept: int = 0
    """Rows that other rows were merged into."""
    removed: int = 0
    """Rows merged into another one (removed, their key kept as an alias)."""
    whole_texts: int = 0
    """Kept rows that took the whole text of a copy (theirs was cut short)."""
    analyses_kept: int = 0
    """Kept rows whose analysis (theirs or a copy's of the same text) stays."""
    to_analyse: int = 0
    """Kept rows left without an analysis of their text (``rivalscope analyze`` makes it)."""
    aliases_moved: int = 0
    """Aliases of removed rows that name the kept row now."""
    findings: int = 0
    """Stored findings whose evidence named a removed row."""
    keyless: int = 0
    """Rows stored without keys they should have (an older rivalscope's writes): keyed."""
    keyless_removed: int = 0
    """Rows removed merging the keyless rows (counted in ``removed`` too)."""


def merge_stored_copies(engine: Engine, *, dry_run: bool = False) -> MergeCounts:
    """Merge the copies stored as two rows (module docstring); what was found, and done
    unless ``dry_run`` (then nothing is written)."""
    counts = MergeCounts()
    citations = _Citations()
    _merge_keyless(engine, counts, citations, dry_run=dry_run)
    with engine.connect() as conn:
        shared = _shared_copy_keys(conn)
    counts.shared_keys = len(shared)
    for start in range(0, len(shared), BATCH):
        with engine.begin() as conn:
            merged = _find(conn, shared[start : start + BATCH])
            _count(merged, counts)
            if not dry_run:
                _store(conn, merged, counts, citations)
    if not dry_run or not counts.removed:  # none left: the note of possible_copies is done
        with engine.begin() as conn:
            dialect_of(conn).insert_new_rows(
                conn, _META, [{"key": MERGED_KEY, "value": "1"}], ["key"]
            )
    return counts


def merge_keyless(engine: Engine) -> MergeCounts:
    """Key the rows stored without keys and merge them (module docstring); what was done."""
    counts = MergeCounts()
    _merge_keyless(engine, counts, _Citations(), dry_run=False)
    return counts


def _merge_keyless(
    engine: Engine, counts: MergeCounts, citations: _Citations, *, dry_run: bool
) -> None:
    """The keyless rows keyed and merged (counted only, for a ``dry_run``), a batch of rows
    read in one transaction each: a run killed half-way leaves each batch done or not at
    all (a batch done has no keyless row left to find)."""
    after, written = 0, 0
    removed = counts.removed
    while True:
        with engine.begin() as conn:
            found, last = keyless_batch(conn, _READ, after=after)
            if last is None:
                break
            after = last
            counts.keyless += len(found)
            if dry_run or not found:
                continue
            _key(conn, found, counts, citations)
            written += 1
            pause_point(PAUSE_POINT, written)  # written, not committed
    counts.keyless_removed += counts.removed - removed


def _key(
    conn: Connection, rows: list[dict[str, Any]], counts: MergeCounts, citations: _Citations
) -> None:
    """Store the keys of ``rows`` (keyless rows, keys computed): a row whose identity
    another row has (stored, or earlier in ``rows``) is merged with it (the row with the
    site's id, else the first seen, kept); then the rows of their copy keys are merged
    (``_find``)."""
    r = REVIEW.c
    ids = {row["id"] for row in rows}
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for part in chunks(sorted({row["identity_key"] for row in rows if row["identity_key"]})):
        holders = conn.execute(select(*(r[name] for name in _READ)).where(r.identity_key.in_(part)))
        for holder in holders.mappings():
            if holder["id"] not in ids:
                groups[(holder["company_id"], holder["identity_key"])] = [dict(holder)]
    plain: list[dict[str, Any]] = []
    for row in rows:
        if row["identity_key"] is None:
            plain.append(row)
            continue
        groups.setdefault((row["company_id"], row["identity_key"]), []).append(row)
    same = []
    for group in groups.values():
        if len(group) == 1:
            if group[0]["id"] in ids:
                plain.append(group[0])
            continue
        same.append(_merge_same(sorted(group, key=lambda row: row["id"])))
    if plain:
        conn.execute(
            update(REVIEW)
            .where(REVIEW.c.id == bindparam("b_id"))
            .values(identity_key=bindparam("b_identity"), copy_key=bindparam("b_copy_key")),
            [
                {
                    "b_id": row["id"],
                    "b_identity": row["identity_key"],
                    "b_copy_key": row["copy_key"],
                }
                for row in plain
            ],
        )
    _count(same, counts)
    _store(conn, same, counts, citations)
    shared = sorted({(row["company_id"], row["copy_key"]) for row in rows if row["copy_key"]})
    copies = _find(conn, shared)
    _count(copies, counts)
    _store(conn, copies, counts, citations)


def _merge_same(rows: list[dict[str, Any]]) -> Merged:
    """Rows of one identity (in the order stored), one review: merged into one as
    ``_merge_group`` merges copies."""
    kept = Merged(dict(rows[0]), rows[0])
    for row in rows[1:]:
        kept = _join(kept, row)
    return kept


def possible_copies(conn: Connection) -> int:
    """At most how many stored reviews are copies a merge would remove: the rows of each
    copy key several of a company's rows share, but one (read off the copy-key index: a
    tenth of a second on 100,000 reviews, where telling the copies from reviews that begin
    alike takes seconds); 0 once a merge has run (crawls since keep a copy to one row)."""
    if conn.execute(select(_META.c.key).where(_META.c.key == MERGED_KEY)).first():
        return 0
    r = REVIEW.c
    groups = (
        select((func.count() - 1).label("extra"))
        .where(r.copy_key.is_not(None))
        .group_by(r.company_id, r.copy_key)
        .having(func.count() > 1)
        .subquery()
    )
    return int(conn.execute(select(func.coalesce(func.sum(groups.c.extra), 0))).scalar_one())


def _shared_copy_keys(conn: Connection) -> list[tuple[int, str]]:
    """(company, copy key) of every copy key several of the company's rows have (read off
    the company's copy-key index)."""
    r = REVIEW.c
    rows = conn.execute(
        select(r.company_id, r.copy_key)
        .where(r.copy_key.is_not(None))
        .group_by(r.company_id, r.copy_key)
        .having(func.count() > 1)
        .order_by(r.company_id, r.copy_key)
    )
    return [(company, key) for company, key in rows]


def _find(conn: Connection, shared: Sequence[tuple[int, str]]) -> list[Merged]:
    """The merges among the rows of the ``shared`` copy keys."""
    r = REVIEW.c
    merged: list[Merged] = []
    for company, pairs in groupby(shared, key=lambda pair: pair[0]):
        keys = [key for _, key in pairs]
        rows = conn.execute(
            select(*(r[name] for name in _READ))
            .where(r.company_id == company, r.copy_key.in_(keys))
            .order_by(r.copy_key, r.id)
        )
        for _, group in groupby(rows.mappings(), key=lambda row: row["copy_key"]):
            merged += _merge_group([dict(row) for row in group])
    return merged


def _merge_group(rows: list[dict[str, Any]]) -> list[Merged]:
    """The rows of one copy key (in the order stored) merged as a crawl would have merged
    them arriving in that order: each row a copy of the first kept row it matches."""
    kept: list[Merged] = []
    for row in rows:
        at = next((i for i, k in enumerate(kept) if same_review(k.row, row)), None)
        if at is None:
            kept.append(Merged(dict(row), row))
        else:
            kept[at] = _join(kept[at], row)
    return [k for k in kept if k.removed]


def _join(kept: Merged, row: dict[str, Any]) -> Merged:
    """``row`` (stored after the rows of ``kept``) merged with them: the one to keep
    (``_wins``) completed from the other."""
    if _wins(row, kept.row):
        winner = Merged(dict(row), row, [kept.before, *kept.removed])
        _complete(winner.row, kept.row)
        return winner
    kept.removed.append(row)
    _complete(kept.row, row)
    return kept


def _wins(row: dict[str, Any], kept: dict[str, Any]) -> bool:
    """Whether ``row`` (stored after ``kept``) is the one to keep: the one with the site's
    id, else the one first seen."""
    if row["external_id"] or kept["external_id"]:
        return not kept["external_id"]
    return bool(as_utc(row["first_seen_at"]) < as_utc(kept["first_seen_at"]))


def _complete(kept: dict[str, Any], copy: dict[str, Any]) -> None:
    """``kept`` completed from ``copy`` as a crawl does (``fill``), and with what a stored
    row has besides: its link, its edit, the earlier first sighting (and the run of it)."""
    fill(kept, copy)
    if kept["url"] is None:
        kept["url"] = copy["url"]
    if kept["edited_at"] is None and copy["edited_at"] is not None:
        kept["edited_at"], kept["text_before_edit"] = copy["edited_at"], copy["text_before_edit"]
    if as_utc(copy["first_seen_at"]) < as_utc(kept["first_seen_at"]):
        kept["first_seen_at"], kept["crawl_run_id"] = copy["first_seen_at"], copy["crawl_run_id"]


def _count(merged: list[Merged], counts: MergeCounts) -> None:
    counts.kept += len(merged)
    counts.removed += sum(len(m.removed) for m in merged)
    counts.whole_texts += sum(m.row["text"] != m.before["text"] for m in merged)


def _store(
    conn: Connection, merged: list[Merged], counts: MergeCounts, citations: _Citations
) -> None:
    """Write ``merged``: the references moved, the removed rows gone (their keys aliases),
    the kept rows completed. Foreign keys hold after each statement."""
    if not merged:
        return
    moved = {row["id"]: m.before["id"] for m in merged for row in m.removed}
    _keep_analyses(conn, merged, counts)
    counts.aliases_moved += _move(conn, [ALIAS], moved)
    _alias_removed(conn, merged)
    counts.findings += citations.name_kept(conn, moved)
    for part in chunks(sorted(moved)):
        conn.execute(delete(REVIEW).where(REVIEW.c.id.in_(part)))
    _update_kept(conn, merged)


def _keep_analyses(conn: Connection, merged: list[Merged], counts: MergeCounts) -> None:
    """One analysis per kept row: that of the first of its rows (itself first) whose text
    is the one it ends with; the others' go."""
    ids = [row["id"] for m in merged for row in (m.before, *m.removed)]
    analysed = _analysed(conn, ids)
    moved: dict[int, int] = {}
    dropped: list[int] = []
    redated: list[dict[str, Any]] = []
    for m in merged:
        text = text_key(m.row["text"])
        rows = (m.before, *m.removed)
        chosen = next(
            (r for r in rows if r["id"] in analysed and text_key(r["text"]) == text), None
        )
        dropped += [r["id"] for r in rows if r is not chosen and r["id"] in analysed]
        if chosen is None:
            counts.to_analyse += 1
            continue
        counts.analyses_kept += 1
        if chosen is not m.before:
            moved[chosen["id"]] = m.before["id"]
        if chosen["published"] != m.row["published"]:
            redated.append({"b_review": m.before["id"], "b_published": m.row["published"]})
    forget_analysis(conn, dropped)
    _move(conn, ANALYSIS_TABLES, moved)
    if redated:
        for table in _DATED:
            conn.execute(
                update(table)
                .where(table.c.review_id == bindparam("b_review"))
                .values(published=bindparam("b_published")),
                redated,
            )


def _analysed(conn: Connection, ids: Sequence[int]) -> set[int]:
    """The reviews among ``ids`` that have an analysis (of any version)."""
    table = ANALYSIS_TABLES[0]
    found: set[int] = set()
    for part in chunks(sorted(ids)):
        found.update(
            conn.execute(select(table.c.review_id).where(table.c.review_id.in_(part))).scalars()
        )
    return found


def _move(conn: Connection, tables: Iterable[Table], moved: dict[int, int]) -> int:
    """Rows of ``tables`` naming a review of ``moved`` name the one it maps to; how many.
    One statement a table and chunk: one a review cost PostgreSQL a round trip each."""
    total = 0
    for part in chunks(sorted(moved)):
        for table in tables:
            result = conn.execute(
                update(table)
                .where(table.c.review_id.in_(part))
                .values(review_id=case({old: moved[old] for old in part}, value=table.c.review_id))
            )
            total += max(result.rowcount, 0)
    return total


def _alias_removed(conn: Connection, merged: list[Merged]) -> None:
    """The removed rows' content keys: aliases of the kept rows (a crawl reading the copy
    again finds it stored)."""
    rows = [
        {
            "company_id": row["company_id"],
            "content_key": row["content_key"],
            "review_id": m.before["id"],
            "product_id": row["product_id"],
            "first_seen_at": row["first_seen_at"],
        }
        for m in merged
        for row in m.removed
    ]
    dialect_of(conn).insert_new_rows(conn, ALIAS, rows, ["company_id", "content_key"])


class _Citations:
    """The stored findings' evidence, read once for the whole merge (not once a batch): each
    finding's cited reviews, and the findings citing each review. Each batch reads only the
    findings stored since (a report running meanwhile); findings are never deleted, so their
    ids only grow."""

    def __init__(self) -> None:
        self.cited: dict[int, list[int]] = {}
        self.citing: dict[int, set[int]] = {}
        self.read_up_to = 0

    def _read_new(self, conn: Connection) -> None:
        f = _FINDING.c
        found = conn.execute(
            select(f.id, f.evidence_review_ids).where(f.id > self.read_up_to).order_by(f.id)
        )
        for finding_id, cited in found:
            self.read_up_to = finding_id
            if cited:
                self._cite(finding_id, cited)

    def _cite(self, finding_id: int, cited: list[int]) -> None:
        self.cited[finding_id] = cited
        for review_id in cited:
            self.citing.setdefault(review_id, set()).add(finding_id)

    def name_kept(self, conn: Connection, moved: dict[int, int]) -> int:
        """Stored findings citing a removed review cite the kept one (once); how many."""
        self._read_new(conn)
        affected = sorted({f for old in moved for f in self.citing.pop(old, ())})
        changed = []
        for finding_id in affected:
            now = list(dict.fromkeys(moved.get(i, i) for i in self.cited[finding_id]))
            self._cite(finding_id, now)
            changed.append({"b_id": finding_id, "b_ids": now})
        if changed:
            ids_type = _FINDING.c.evidence_review_ids.type
            conn.execute(
                update(_FINDING)
                .where(_FINDING.c.id == bindparam("b_id"))
                .values(evidence_review_ids=bindparam("b_ids", type_=ids_type)),
                changed,
            )
        return len(changed)


_WRITTEN = (
    "external_id",
    "title",
    "published",
    "author_hash",
    "region",
    "rating",
    "best_rating",
    "worst_rating",
    "rating_normalized",
    "language",
    "language_source",
    "text",
    "url",
    "edited_at",
    "text_before_edit",
    "first_seen_at",
    "crawl_run_id",
)


def _update_kept(conn: Connection, merged: list[Merged]) -> None:
    """The kept rows as they end (the removed rows gone: their identities are free), in one
    statement a batch. A row whose new identity another row holds keeps its own (and one
    row's old identity is no other's new one in the same batch: the updates run in order)."""
    new = {m.row["id"]: identity_of_row(m.row) for m in merged}
    wanted = sorted({i for m in merged if (i := new[m.row["id"]]) and i != m.row["identity_key"]})
    taken: set[tuple[int, str | None]] = set()
    for part in chunks(wanted):
        found = conn.execute(
            select(REVIEW.c.company_id, REVIEW.c.identity_key).where(
                REVIEW.c.identity_key.in_(part)
            )
        )
        taken.update((company, identity) for company, identity in found)
    params = []
    for m in merged:
        row, identity = m.row, new[m.row["id"]]
        if identity != row["identity_key"] and (row["company_id"], identity) not in taken:
            taken.add((row["company_id"], identity))
        else:
            identity = row["identity_key"]
        values = {f"b_{name}": row[name] for name in _WRITTEN}
        params.append(
            {
                **values,
                "b_id": row["id"],
                "b_copy_key": copy_key(row["text"]),
                "b_identity": identity,
            }
        )
    conn.execute(
        update(REVIEW)
        .where(REVIEW.c.id == bindparam("b_id"))
        .values(
            copy_key=bindparam("b_copy_key"),
            identity_key=bindparam("b_identity"),
            **{name: bindparam(f"b_{name}") for name in _WRITTEN},
        ),
        params,
    )

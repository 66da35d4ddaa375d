"""Batched writes of collected offers and reviews, and the record of each crawl or import run.

One ``CollectWriter`` serves one source. Every ``write`` call is one transaction, so a
crawl killed at any moment leaves whole batches only; the next run finds the dead run
(status ``running`` whose process is gone), marks it ``interrupted`` and crawls fully.
Rows are inserted with core ``INSERT … ON CONFLICT DO NOTHING`` (tens of thousands of
rows per second, where per-row ORM inserts manage a few thousand).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, Table, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from settings.content_keys import copy_key, fold, product_key
from settings.records import OfferItem, ProductParent, ReviewItem
from settings.user_errors import UserError
from storage.card_products import address_key, hand_over, is_address_key
from storage.dialects import dialect_of
from storage.models import (
    Company,
    CrawlRun,
    OfferObservation,
    Product,
    Review,
    ReviewAlias,
    Source,
    utcnow,
)
from storage.review_copies import alias_copies, set_copies_aside
from storage.review_identity import apply_edits, identity_of, insert_reviews, stored_content_keys
from storage.run_owner import judged_here, owner_alive, owner_words, this_machine
from storage.variant_models import ProductParent as ParentRow

OfferState = tuple[str | None, str | None, str | None]
StateKey = tuple[int, bool]
"""(product id, listing?): a product's page and listing observations are two histories."""


class CollectError(UserError):
    """Collected data cannot be written as asked (e.g. a second own company)."""


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def insert_ignore(
    conn: Connection, model: Any, rows: Sequence[dict[str, Any]], conflict: list[str]
) -> list[int]:
    """Insert rows, skipping those that violate the unique ``conflict`` columns; ids of new rows."""
    if not rows:
        return []
    table = _table(model)
    stmt = dialect_of(conn).insert_ignoring(table, conflict)
    result = conn.execute(stmt.returning(table.c.id), list(rows))
    return [row[0] for row in result]


_LATEST_COLUMNS: tuple[Any, ...] = (
    OfferObservation.product_id,
    OfferObservation.listing,
    OfferObservation.price,
    OfferObservation.currency,
    OfferObservation.availability,
    OfferObservation.crawl_run_id,
    OfferObservation.url,
)
"""A product's offer state (listing cards apart) and where (run, page) it was last observed."""


def url_sorts_first(url: str | None, than: str | None) -> bool:
    """Whether ``url`` is the better address of an offer seen at two pages: the shorter
    (a product's own page before its review page 2), then the smaller."""
    if url is None:
        return False
    return than is None or (len(url), url) < (len(than), than)


def page_address(url: str | None) -> str | None:
    """A product page's URL as cards and pages both write it: no scheme, fragment or
    trailing slash, the host in lower case ("https://Shop.test/p/1/#x" -> "shop.test/p/1")."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


PRODUCT_FIELDS = ("name", "sku", "gtin", "mpn", "brand", "category", "plan", "size", "colour")
"""The product columns an offer sets (besides its key, URL and parent)."""


def product_fields(offer: OfferItem) -> dict[str, Any]:
    """The product row an offer gives: the same whether it creates or upgrades the row."""
    return {**{name: getattr(offer, name) for name in PRODUCT_FIELDS}, "url": offer.url or None}


ENDED_UNCLOSED = "process ended without closing"
"""The reason of a run whose process died before it closed the run (kill -9, a reboot)."""


@lru_cache(maxsize=1024)
def _folded_name(name: str) -> str:
    """``fold`` of a product name (reviews repeat a few names thousands of times)."""
    return fold(name)


def _naive_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


@dataclass
class RunFigures:
    """What a run did, as stored in ``crawl_run``."""

    pages: int = 0
    http_errors: int = 0
    errors: int = 0
    items_dropped: int = 0
    dropped_reasons: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)
    field_coverage: dict[str, float] = field(default_factory=dict)
    page_warnings: int = 0
    robots_blocked: int = 0
    incremental: bool = False
    reviews_declared: dict[str, int] = field(default_factory=dict)
    """Product key -> the review count its page declared (newest seen in the run)."""
    fetch_problems: dict[str, int] = field(default_factory=dict)
    peak_memory_mb: int | None = None

    def minus(self, before: RunFigures) -> RunFigures:
        """What happened since ``before`` (counters and per-reason tables; samples added)."""

        def tables(name: str) -> dict[str, int]:
            now, then = getattr(self, name), getattr(before, name)
            return {k: n - then.get(k, 0) for k, n in now.items() if n - then.get(k, 0)}

        return RunFigures(
            pages=self.pages - before.pages,
            http_errors=self.http_errors - before.http_errors,
            errors=self.errors - before.errors,
            items_dropped=self.items_dropped - before.items_dropped,
            dropped_reasons=tables("dropped_reasons"),
            error_samples=self.error_samples[len(before.error_samples) :],
            status_counts=tables("status_counts"),
            page_warnings=self.page_warnings - before.page_warnings,
            robots_blocked=self.robots_blocked - before.robots_blocked,
            incremental=self.incremental,
            fetch_problems=tables("fetch_problems"),
            peak_memory_mb=self.peak_memory_mb,
        )

    def columns(self) -> dict[str, Any]:
        """The ``crawl_run`` columns these figures set."""
        return {
            "pages": self.pages,
            "http_errors": self.http_errors,
            "errors": self.errors,
            "items_dropped": self.items_dropped,
            "dropped_reasons": self.dropped_reasons,
            "error_samples": self.error_samples[:20],
            "status_counts": self.status_counts,
            "field_coverage": self.field_coverage,
            "incremental": self.incremental,
            "page_warnings": self.page_warnings,
            "robots_blocked": self.robots_blocked,
            "fetch_problems": self.fetch_problems,
            "peak_memory_mb": self.peak_memory_mb,
        }


def merge_coverage(old: dict[str, float], new: dict[str, float]) -> dict[str, float]:
    """Field coverage of two workers' items: shares weighted by their item counts
    (``review.count``, ``offer.count``)."""
    if not new:
        return old
    if not old:
        return dict(new)
    merged: dict[str, float] = {}
    for kind in {key.split(".")[0] for key in (*old, *new)}:
        n_old, n_new = old.get(f"{kind}.count", 0.0), new.get(f"{kind}.count", 0.0)
        total = n_old + n_new
        for key in {k for k in (*old, *new) if k.startswith(kind + ".") and k != f"{kind}.count"}:
            if total:
                share = (old.get(key, 0.0) * n_old + new.get(key, 0.0) * n_new) / total
                merged[key] = round(share, 4)
        merged[f"{kind}.count"] = total
    return merged


def refuse_second_own(session: Session, name: str) -> None:
    """CollectError when a company other than ``name`` is already this database's own one
    (checked by an import's dry run too, which said the rows would be stored)."""
    other = session.exec(select(Company).where(col(Company.is_own), Company.name != name)).first()
    if other is not None:
        raise CollectError(
            f"{other.name!r} is already the own company in this database; "
            f"import {name!r} without --own, or use another database"
        )


class CollectWriter:
    """Writes one source's offers and reviews; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        *,
        company: str,
        source: str,
        own: bool | None = None,
        kind: str = "crawl",
        holds: str = "both",
        remember_review_keys: bool = True,
    ) -> None:
        """``remember_review_keys=False`` holds no set of the company's review keys (memory
        that grows with the database): duplicates are then skipped by the unique constraint
        alone, as an import of millions of rows needs."""
        self.engine = engine
        self._remember_keys = remember_review_keys
        self.run_id: int | None = None
        self.shared = False
        """True when other processes write the same source at once (distributed runs)."""
        self.reviews_seen = 0
        self.reviews_new = 0
        self.offers_seen = 0
        self.offers_changed = 0
        self._touched_products: set[int] = set()
        self._moments: set[tuple[int, datetime]] | None = None
        self._edited: set[int] = set()
        """Reviews this writer stored an edit of (once a run, whatever pages show them)."""
        for attempt in range(2):
            try:
                with Session(engine) as session:
                    self.company_id = self._company(session, company, own)
                    self.source_id = self._source(session, source, kind, holds)
                    session.commit()
                break
            except IntegrityError:
                # Another process created the company or source at the same moment: theirs.
                if attempt:
                    raise
        with engine.connect() as conn:
            self.known_review_keys: set[str] = (
                stored_content_keys(conn, self.company_id) if remember_review_keys else set()
            )
            self._products_by_key: dict[str, int] = {}
            self._products_by_name: dict[str, int] = {}
            # A product's SKU, where one product of the company has it (None: several do).
            self._products_by_sku: dict[str, int | None] = {}
            self._product_urls: dict[int, str | None] = {}
            self._product_names: dict[int, str | None] = {}
            """The name each product is stored under (a renamed product takes its new one)."""
            self._products_by_url: dict[str, int | None] = {}
            self._listing_addresses: set[str] = set()
            self._waiting: dict[str, int] = {}
            """A linked page's address -> the product its cards wait on until the page is
            stored (``storage.card_products``)."""
            self._load_products(conn)
            self._parents_by_key: dict[str, int] = {}
            self._parents_written: set[int] = set()
            self._parented: set[int] = set()
            self._views: dict[str, int] = {}
            """A variant page's view (its product key and its code) -> the variant it shows:
            the product its reviews and declared review count belong to."""
            self._last_state: dict[StateKey, OfferState] = {}
            self._last_seen_at: dict[StateKey, tuple[int | None, str | None]] = {}
            self._page_products: set[tuple[int | None, int, bool, str]] = set()
            """(run, product, listing, page) already observed: a page's first offer of a
            product is its price there; later ones (other sellers) would flap its history."""
            latest = (
                select(*_LATEST_COLUMNS)
                .join(Product, col(Product.id) == col(OfferObservation.product_id))
                .where(col(Product.company_id) == self.company_id)
                .order_by(col(OfferObservation.observed_at), col(OfferObservation.id))
            )
            for row in conn.execute(latest):
                self._note_latest(*row)

    def reload_products(self) -> None:
        """Read the company's products again (another process stored some for this run)."""
        with self.engine.connect() as conn:
            self._load_products(conn)

    def adopt_stored_counts(self) -> int:
        """Take the run's review counters as stored (another process wrote batches for this
        run, some of which this writer has not counted); the reviews seen it had not counted.
        The counters move with the rows in each batch's transaction (``write``), so they
        count exactly the batches committed."""
        if self.run_id is None:
            return 0
        runs = _table(CrawlRun)
        with self.engine.connect() as conn:
            seen, new = conn.execute(
                select(runs.c.reviews_seen, runs.c.reviews_new).where(runs.c.id == self.run_id)
            ).one()
        uncounted = int(seen or 0) - self.reviews_seen
        self.reviews_seen, self.reviews_new = int(seen or 0), int(new or 0)
        return uncounted

    def _load_products(self, conn: Connection) -> None:
        """The company's products by key and by folded name (what other writers stored too)."""
        self._products_by_key.clear()
        self._products_by_name.clear()
        self._products_by_sku.clear()
        self._product_urls.clear()
        self._product_names.clear()
        self._products_by_url.clear()
        self._waiting.clear()
        product = _table(Product)
        for pid, key, name, sku, url in conn.execute(
            product.select()
            .with_only_columns(
                product.c.id, product.c.key, product.c.name, product.c.sku, product.c.url
            )
            .where(product.c.company_id == self.company_id)
            .order_by(product.c.id)
        ):
            self._products_by_key[key] = pid
            if is_address_key(key):
                # No page's product: neither found by its URL nor by its name. Its URL is
                # the cards' link.
                self._waiting[page_address(url) or key] = pid
                continue
            self._note_url(pid, url)
            self._product_names[pid] = name
            if name:
                self._products_by_name.setdefault(fold(name), pid)
            self._note_sku(pid, sku)

    # -- companies and sources -------------------------------------------------

    @staticmethod
    def _company(session: Session, name: str, own: bool | None) -> int:
        company = session.exec(select(Company).where(Company.name == name)).first()
        if own:
            refuse_second_own(session, name)
        if company is None:
            company = Company(name=name, is_own=bool(own))
            session.add(company)
            session.flush()
        elif own is not None and company.is_own != own:
            company.is_own = own
            session.add(company)
        assert company.id is not None
        return company.id

    def _source(self, session: Session, name: str, kind: str, holds: str) -> int:
        source = session.exec(select(Source).where(Source.name == name)).first()
        if source is None:
            source = Source(name=name, kind=kind, holds=holds, company_id=self.company_id)
            session.add(source)
            session.flush()
        elif source.company_id != self.company_id:
            raise CollectError(
                f"source {name!r} already belongs to another company in this database; "
                "give the source a new name"
            )
        elif source.holds != holds:
            source.holds = holds
            session.add(source)
        assert source.id is not None
        return source.id

    # -- runs --------------------------------------------------------------------

    def last_run_complete(self, unreached: Collection[str] = ()) -> bool:
        """True if the source's previous run ended normally (not killed, limited or failed)
        and recorded none of the fetch problems ``unreached`` names (pages it could not
        read: the site down or busy)."""
        with Session(self.engine) as session:
            last = session.exec(
                select(CrawlRun)
                .where(CrawlRun.source_id == self.source_id)
                .order_by(col(CrawlRun.id).desc())
            ).first()
            return bool(
                last
                and last.status == "finished"
                and last.finish_reason == "finished"
                and not any(last.fetch_problems.get(reason) for reason in unreached)
            )

    def start_run(self, queue: str | None = None) -> int:
        """Record a new run (marking dead earlier runs ``interrupted``); returns its id.

        A source has one ``running`` run at most (a unique index): while another live
        process crawls or imports it, this raises CollectError instead of writing beside it.
        ``queue`` makes a distributed run: it belongs to no process (workers serve it); the
        caller has checked that no earlier distributed run of the source is still queued.
        """
        with Session(self.engine) as session:
            running = session.exec(
                select(CrawlRun).where(
                    CrawlRun.source_id == self.source_id, CrawlRun.status == "running"
                )
            ).all()
            for run in running:
                if run.queue is not None and queue is None:
                    raise CollectError(self._busy_message(run))
                ours = run.pid == os.getpid() and judged_here(run)
                if run.queue is not None or ours or not owner_alive(run):
                    run.status = "interrupted"
                    run.finish_reason = run.finish_reason or ENDED_UNCLOSED
                    session.add(run)
                else:
                    raise CollectError(self._busy_message(run))
            run = CrawlRun(
                source_id=self.source_id,
                pid=None if queue else os.getpid(),
                machine=None if queue else this_machine(),
                alive_at=utcnow(),
                queue=queue,
                workers=[] if queue else None,
            )
            session.add(run)
            try:
                session.commit()
            except IntegrityError:  # another process started a run of the source meanwhile
                session.rollback()
                raise CollectError(self._busy_message(None)) from None
            assert run.id is not None
            self.run_id = run.id
            return run.id

    def _busy_message(self, run: CrawlRun | None) -> str:
        with Session(self.engine) as session:
            name = session.get(Source, self.source_id)
        if run is not None and run.queue is not None:
            return (
                f"source {name.name if name else self.source_id!r} is being crawled by workers "
                f"through {run.queue} (run {run.id}); wait for them to finish, or restart it "
                "with `rivalscope crawl --distributed`"
            )
        who = f"{owner_words(run)} (run {run.id})" if run is not None else "another process"
        return (
            f"source {name.name if name else self.source_id!r} is being written by {who}; "
            "wait for it to finish (one crawl or import of a source at a time)"
        )

    def checkpoint(self, figures: RunFigures) -> None:
        """Store the running run's figures so far (a killed run keeps them)."""
        if self.run_id is None:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(_table(CrawlRun))
                .where(_table(CrawlRun).c.id == self.run_id, _table(CrawlRun).c.status == "running")
                .values(**figures.columns(), alive_at=utcnow())
            )

    def add_figures(self, delta: RunFigures, worker: str) -> None:
        """Add one worker's figures (since its last call) to a distributed run.

        Counters are added in SQL; the per-reason tables are merged under a row lock, so
        workers adding at the same moment lose nothing. ``delta.reviews_declared`` is the
        run's, from every worker (it replaces the coverage figures).
        """
        if self.run_id is None:
            return
        runs = _table(CrawlRun)
        with self.engine.begin() as conn:
            row = (
                conn.execute(runs.select().where(runs.c.id == self.run_id).with_for_update())
                .mappings()
                .one()
            )
            values: dict[str, Any] = {
                name: getattr(runs.c, name) + getattr(delta, name)
                for name in ("pages", "http_errors", "errors", "items_dropped")
            }
            values["page_warnings"] = runs.c.page_warnings + delta.page_warnings
            values["robots_blocked"] = runs.c.robots_blocked + delta.robots_blocked
            for name in ("dropped_reasons", "status_counts", "fetch_problems"):
                merged = dict(row[name] or {})
                for key, n in getattr(delta, name).items():
                    merged[key] = merged.get(key, 0) + n
                values[name] = merged
            values["error_samples"] = (list(row["error_samples"] or []) + delta.error_samples)[:20]
            values["field_coverage"] = merge_coverage(
                dict(row["field_coverage"] or {}), delta.field_coverage
            )
            values["incremental"] = bool(row["incremental"]) or delta.incremental
            peaks = [p for p in (row["peak_memory_mb"], delta.peak_memory_mb) if p is not None]
            values["peak_memory_mb"] = max(peaks) if peaks else None
            values["workers"] = sorted({*(row["workers"] or []), worker})
            if delta.reviews_declared:
                # The whole run's declarations (all workers'; a product's page 2, fetched by
                # another worker, declares it again): set, as a one-process run's end does.
                declared, collected = self._review_coverage(conn, delta.reviews_declared)
                values["reviews_declared"] = declared
                values["reviews_collected"] = collected
            conn.execute(update(runs).where(runs.c.id == self.run_id).values(**values))

    def finish_distributed_run(self, reason: str = "finished") -> bool:
        """End a distributed run normally (its queue is empty, no worker holds a request);
        False if another worker ended it first."""
        if self.run_id is None:
            return False
        runs = _table(CrawlRun)
        with self.engine.begin() as conn:
            ended = conn.execute(
                update(runs)
                .where(runs.c.id == self.run_id, runs.c.status == "running")
                .values(status="finished", finish_reason=reason, finished_at=utcnow())
            )
            return bool(ended.rowcount)

    def touch_products(self, conn: Connection | None = None, now: datetime | None = None) -> None:
        """Mark the products this writer saw as seen ``now`` (in ``conn``'s transaction)."""
        if conn is None:
            with self.engine.begin() as own:
                self.touch_products(own, now)
            return
        ids = sorted(self._touched_products)
        for start in range(0, len(ids), 500):
            conn.execute(
                update(_table(Product))
                .where(_table(Product).c.id.in_(ids[start : start + 500]))
                .values(last_seen_at=now or utcnow())
            )

    def finish_run(self, status: str, finish_reason: str | None, figures: RunFigures) -> None:
        """Store the run's final figures; touch the products seen.

        The review and offer counters are not set here: every batch adds its own in the
        transaction that stores it (``write``), so they match the rows even after a kill.
        """
        if self.run_id is None:
            return
        now = utcnow()
        with self.engine.begin() as conn:
            declared, collected = self._review_coverage(conn, figures.reviews_declared)
            self.touch_products(conn, now)
            conn.execute(
                update(_table(CrawlRun))
                .where(_table(CrawlRun).c.id == self.run_id)
                .values(
                    status=status,
                    finish_reason=finish_reason,
                    finished_at=now,
                    reviews_declared=declared,
                    reviews_collected=collected,
                    pid=None,
                    **figures.columns(),
                )
            )

    def _review_coverage(
        self, conn: Connection, declared_by_key: dict[str, int]
    ) -> tuple[int | None, int | None]:
        """Store each product's declared review count; return (declared, collected) summed
        over the products whose page declared one: reviews stored from this source for them.

        A product sold in variants is one product here: its pages (one a variant it shows
        first, ``?variant=`` links) declare the reviews their widget shares, stored under the
        variant a page showed. Its count is the largest of its pages', its reviews those
        stored under any of its variants, each counted once."""
        if not declared_by_key:
            return None, None
        product = _table(Product)
        keys = sorted(declared_by_key)
        ids: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            ids.update(
                (key, pid)
                for pid, key in conn.execute(
                    select(product.c.id, product.c.key).where(
                        product.c.company_id == self.company_id,
                        product.c.key.in_(keys[start : start + 500]),
                    )
                )
            )
        ids.update((key, self._views[key]) for key in keys if key not in ids and key in self._views)
        per_product: dict[int, int] = {}
        for key, pid in ids.items():
            per_product[pid] = max(per_product.get(pid, 0), declared_by_key[key])
        for pid, count in per_product.items():
            conn.execute(update(product).where(product.c.id == pid).values(reviews_declared=count))
        parent_of: dict[int, int | None] = {}
        pids = sorted(per_product)
        for start in range(0, len(pids), 500):
            parent_of.update(
                (pid, parent)
                for pid, parent in conn.execute(
                    select(product.c.id, product.c.parent_id).where(
                        product.c.id.in_(pids[start : start + 500])
                    )
                )
            )
        declared: dict[tuple[str, int], int] = {}
        for pid, count in per_product.items():
            parent = parent_of.get(pid)
            unit = ("parent", parent) if parent is not None else ("product", pid)
            declared[unit] = max(declared.get(unit, 0), count)
        members = {pid for kind, pid in declared if kind == "product"}
        parents = sorted(pid for kind, pid in declared if kind == "parent")
        for start in range(0, len(parents), 500):
            members.update(
                pid
                for (pid,) in conn.execute(
                    select(product.c.id).where(
                        product.c.parent_id.in_(parents[start : start + 500])
                    )
                )
            )
        return sum(declared.values()), self._collected(conn, sorted(members))

    def _collected(self, conn: Connection, pids: list[int]) -> int:
        """Reviews of this source stored under ``pids``, or shown under one of them and
        stored under a product that is none of its variants (``_review_coverage``)."""
        review, alias = _table(Review), _table(ReviewAlias)
        shown, stored = _table(Product).alias("shown"), _table(Product).alias("stored")
        collected = 0
        for start in range(0, len(pids), 500):
            part = pids[start : start + 500]
            collected += conn.execute(
                select(func.count())
                .select_from(review)
                .where(review.c.source_id == self.source_id, review.c.product_id.in_(part))
            ).scalar_one()
            # A review stored under another product is collected for this one too (a
            # variant page declares the reviews its widget shares with the other colours).
            collected += conn.execute(
                select(func.count())
                .select_from(
                    alias.join(review, review.c.id == alias.c.review_id)
                    .join(shown, shown.c.id == alias.c.product_id)
                    .outerjoin(stored, stored.c.id == review.c.product_id)
                )
                .where(
                    review.c.source_id == self.source_id,
                    alias.c.product_id.in_(part),
                    # A copy under the row's own product (read two ways) is the same review.
                    alias.c.product_id.is_distinct_from(review.c.product_id),
                    # ... and one under another variant of the product is too.
                    or_(
                        shown.c.parent_id.is_(None),
                        stored.c.parent_id.is_(None),
                        shown.c.parent_id != stored.c.parent_id,
                    ),
                )
            ).scalar_one()
        return collected

    # -- data --------------------------------------------------------------------

    def write(self, offers: Iterable[OfferItem], reviews: Iterable[ReviewItem]) -> None:
        """Store one batch in one transaction."""
        offers = list(offers)
        reviews = list(reviews)
        now = utcnow()
        with self.engine.begin() as conn:
            if not self._remember_keys:  # an import of many rows (see __init__)
                dialect_of(conn).prepare_bulk_insert(conn)
            observations: list[dict[str, Any]] = []
            pending_state: dict[StateKey, OfferState] = {}
            pending_rows: dict[StateKey, dict[str, Any]] = {}
            offers_seen = 0
            if self.shared:
                # Other workers write this source too: one batch at a time per source, and
                # products and offer states as they are now, not as this writer saw them.
                self._lock_source(conn)
                self._load_products(conn)
                self._parents_by_key.clear()
                self._parents_written.clear()
            for offer in offers:
                if offer.parent is not None:
                    self._parent_id(conn, offer.parent, offer.url, now)
            # The shopper's view of a variant page is its parent (written above); the
            # variants themselves carry the offers.
            stored = [o for o in offers if o.variant_sku is None]
            # Cards of one page sharing an address carry the listing's, not their product's
            # (cards that do not say which listing they were read from).
            cards = [o for o in stored if o.listing]
            addresses = Counter(page_address(o.url) for o in cards)
            self._listing_addresses = {a for a, n in addresses.items() if a and n > 1} | {
                a for o in cards if (a := page_address(o.listing_page))
            }
            resolved = [(offer, self._product_id(conn, offer, now)) for offer in stored]
            if taken := self._take_over_waiting(conn, now):
                resolved = [(o, taken.get(pid, pid) if pid else pid) for o, pid in resolved]
            self._remember_views(offers, resolved)
            if self.shared:
                self._refresh_states(conn, {pid for _, pid in resolved if pid is not None})
            page_products: set[tuple[int | None, int, bool, str]] = set()
            for offer, pid in resolved:
                if pid is None:
                    continue
                if offer.observed_at is None and offer.url:
                    on_page = (self.run_id, pid, offer.listing, offer.url)
                    if on_page in page_products or on_page in self._page_products:
                        continue
                    page_products.add(on_page)
                offers_seen += 1
                if offer.observed_at is not None:
                    # Imported history: an observation at that time is stored already.
                    moment = (pid, _naive_utc(offer.observed_at))
                    if moment in self._observed_moments(conn):
                        continue
                    self._observed_moments(conn).add(moment)
                state: OfferState = (offer.price, offer.currency, offer.availability)
                state_key = (pid, offer.listing)
                previous = pending_state.get(state_key, self._last_state.get(state_key))
                if previous == state:
                    self._prefer_url(
                        conn, state_key, offer.url or None, pending_rows.get(state_key)
                    )
                    continue
                pending_state[state_key] = state
                row = pending_rows[state_key] = {
                    "product_id": pid,
                    "source_id": self.source_id,
                    "crawl_run_id": self.run_id,
                    "observed_at": offer.observed_at or now,
                    "price": offer.price,
                    "price_value": float(offer.price) if offer.price else None,
                    "currency": offer.currency,
                    "availability": offer.availability,
                    "url": offer.url or None,
                    "listing": offer.listing,
                }
                observations.append(row)
            if observations:
                conn.execute(_table(OfferObservation).insert(), observations)
            rows: list[dict[str, Any]] = []
            batch_keys: set[str] = set()
            with_site_id: list[ReviewItem] = []
            for review in reviews:
                key = review.content_key
                if not key or key in batch_keys:
                    continue
                batch_keys.add(key)
                if key in self.known_review_keys:
                    if review.external_id:  # stored: edited since?
                        with_site_id.append(review)
                    continue
                if review.external_id and not self._remember_keys:
                    # An import holds no set of the stored keys: any may be stored, edited.
                    with_site_id.append(review)
                rows.append(self._review_row(conn, review, key, now))
            # Edits first: a stored key's row is then skipped by the insert as stored.
            if with_site_id:
                apply_edits(conn, self.company_id, with_site_id, now, self._edited)
            # A review read two ways (a widget's API, the page's layout): one row.
            rows, copies = set_copies_aside(conn, self.company_id, rows)
            added = insert_reviews(
                conn, self.company_id, rows, check_aliases=not self._remember_keys
            )
            alias_copies(conn, self.company_id, copies)
            if self.run_id is not None:
                # The run's counters move with the rows they count: a kill keeps both.
                runs = _table(CrawlRun)
                conn.execute(
                    update(runs)
                    .where(runs.c.id == self.run_id)
                    .values(
                        reviews_seen=runs.c.reviews_seen + len(reviews),
                        reviews_new=runs.c.reviews_new + added,
                        offers_seen=runs.c.offers_seen + offers_seen,
                        offers_changed=runs.c.offers_changed + len(observations),
                        alive_at=now,
                    )
                )
        # Only after the commit: a failed transaction must not mark rows as known.
        self._last_state.update(pending_state)
        self._page_products.update(page_products)
        for state_key, row in pending_rows.items():
            self._last_seen_at[state_key] = (self.run_id, row["url"])
        self.offers_seen += offers_seen
        self.offers_changed += len(observations)
        if self._remember_keys:
            self.known_review_keys.update(batch_keys)
        self.reviews_seen += len(reviews)
        self.reviews_new += added

    def _lock_source(self, conn: Connection) -> None:
        """Hold the source until this transaction ends (other writers of it wait)."""
        dialect_of(conn).lock_writers(conn, _table(Source), self.source_id)

    def _refresh_states(self, conn: Connection, product_ids: set[int]) -> None:
        """The products' latest offer state, which another worker may have written
        meanwhile (else two workers would both store the same change)."""
        ids = sorted(product_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = conn.execute(
                select(*_LATEST_COLUMNS)
                .where(col(OfferObservation.product_id).in_(chunk))
                .order_by(col(OfferObservation.observed_at), col(OfferObservation.id))
            )
            for row in rows:
                self._note_latest(*row)

    def _note_latest(
        self,
        product_id: int,
        listing: bool | None,
        price: str | None,
        currency: str | None,
        availability: str | None,
        run_id: int | None,
        url: str | None,
    ) -> None:
        key = (product_id, bool(listing))
        self._last_state[key] = (price, currency, availability)
        self._last_seen_at[key] = (run_id, url)

    def _prefer_url(
        self, conn: Connection, key: StateKey, url: str | None, pending: dict[str, Any] | None
    ) -> None:
        """The same offer state seen at another page of the run (a product's review page 2):
        the run's observation keeps the URL that sorts first, whichever page came first,
        so the rows do not depend on the order pages were fetched and stored in."""
        if pending is not None:
            if url_sorts_first(url, pending["url"]):
                pending["url"] = url
            return
        run_id, stored = self._last_seen_at.get(key, (None, None))
        if run_id is None or run_id != self.run_id or not url_sorts_first(url, stored):
            return
        table = _table(OfferObservation)
        conn.execute(
            update(table)
            .where(
                table.c.product_id == key[0],
                table.c.listing == key[1],
                table.c.crawl_run_id == run_id,
                table.c.url.is_(None) if stored is None else table.c.url == stored,
            )
            .values(url=url)
        )
        self._last_seen_at[key] = (run_id, url)

    def _observed_moments(self, conn: Connection) -> set[tuple[int, datetime]]:
        if self._moments is None:
            rows = conn.execute(
                select(OfferObservation.product_id, OfferObservation.observed_at)
                .join(Product, col(Product.id) == col(OfferObservation.product_id))
                .where(col(Product.company_id) == self.company_id)
            )
            self._moments = {(pid, _naive_utc(at)) for pid, at in rows}
        return self._moments

    def _note_url(self, pid: int, url: str | None) -> None:
        """Remember a product's page URL; a URL of several products (a variant page's
        sizes) names none of them (None), nor does a listing's own URL."""
        self._product_urls[pid] = url
        address = page_address(url)
        if address is not None:
            _index_once(
                self._products_by_url, address, pid, shared=address in self._listing_addresses
            )

    def _product_id(
        self, conn: Connection, offer: OfferItem, now: datetime, *, by_link: bool = True
    ) -> int | None:
        key = product_key(gtin=offer.gtin, sku=offer.sku, name=offer.name)
        if key is None:
            return None
        pid = None
        address = page_address(offer.url) if offer.listing and by_link else None
        if address and address not in self._listing_addresses:
            # A card links to its product's page: the product stored from that page, or
            # (not stored yet) the one the page's product takes over. Never by its name: a
            # same-named product of another page is another product.
            if address not in self._products_by_url:
                pid = self._waiting_product(conn, address, offer, now)
                self._touched_products.add(pid)
                return pid
            # None when several products share the page (a variant page's sizes): the
            # card goes by its name, as one without a link.
            pid = self._products_by_url[address]
        pid = pid or self._products_by_key.get(key)
        if pid is None and offer.listing and offer.name:
            # A card names the product its page is known by (a key from sku or gtin).
            pid = self._products_by_name.get(fold(offer.name))
        if pid is None and not key.startswith("name:") and offer.name:
            pid = self._upgrade_named_product(conn, key, offer)
        parent_id = self._parent_id(conn, offer.parent, offer.url, now) if offer.parent else None
        if pid is None:
            pid = self._insert_product(conn, key, now, parent_id=parent_id, **product_fields(offer))
            self._parented.add(pid)
        else:
            changes: dict[str, object] = {}
            if parent_id is not None and pid not in self._parented:
                # A variant stored before its parent was known (or by an older version).
                changes.update(parent_id=parent_id, size=offer.size, colour=offer.colour)
                self._parented.add(pid)
            if not offer.listing and url_sorts_first(
                offer.url or None, self._product_urls.get(pid)
            ):
                # Seen at two pages (its own and its review page 2): the same URL whichever
                # page came first. A listing card's URL is the listing's, never the product's.
                changes["url"] = offer.url
                self._note_url(pid, offer.url)
            if self._renamed(pid, offer):
                # The shop renamed it (its GTIN or SKU kept): the report and the exports
                # named it as it was first seen, for good. Its old name still finds it.
                changes["name"] = self._product_names[pid] = offer.name
                self._products_by_name.setdefault(fold(offer.name), pid)
            if changes:
                conn.execute(
                    update(_table(Product)).where(_table(Product).c.id == pid).values(**changes)
                )
        self._touched_products.add(pid)
        return pid

    def _renamed(self, pid: int, offer: OfferItem) -> bool:
        """Whether ``offer`` is a sighting of product ``pid`` on a page of its own now under
        another name than the stored one (its URL may have changed with the name; a listing
        card may shorten the name, an imported row with its own date may be history)."""
        return (
            not offer.listing
            and offer.observed_at is None
            and bool(offer.name)
            and pid in self._product_names
            and offer.name != self._product_names[pid]
        )

    def _parent_id(
        self, conn: Connection, parent: ProductParent, url: str, now: datetime
    ) -> int | None:
        """The parent product's row, created or brought up to this sighting (once a run)."""
        key = f"code:{parent.code.strip()}" if parent.code and parent.code.strip() else None
        key = key or (f"name:{fold(parent.name)[:280]}" if fold(parent.name) else None)
        if key is None:
            return None
        values = {
            "code": parent.code,
            "name": parent.name,
            "price_low": parent.price_low,
            "price_high": parent.price_high,
            "currency": parent.currency,
            "availability": parent.availability,
            "variants": parent.variants,
            "url": url or None,
            "last_seen_at": now,
        }
        parents = _table(ParentRow)
        pid = self._parents_by_key.get(key)
        if pid is None:
            row = {"company_id": self.company_id, "key": key, "first_seen_at": now, **values}
            ids = insert_ignore(conn, ParentRow, [row], ["company_id", "key"])
            if ids:
                self._parents_by_key[key] = ids[0]
                self._parents_written.add(ids[0])
                return ids[0]
            pid = conn.execute(
                select(parents.c.id).where(
                    parents.c.company_id == self.company_id, parents.c.key == key
                )
            ).scalar_one()
            self._parents_by_key[key] = pid
        if pid not in self._parents_written:
            conn.execute(update(parents).where(parents.c.id == pid).values(**values))
            self._parents_written.add(pid)
        return pid

    def _upgrade_named_product(self, conn: Connection, key: str, offer: OfferItem) -> int | None:
        """A product known only by name (from reviews or a card without a link) gets the
        offer's better key and the offer's fields: the row a product stored from the
        page first would have."""
        name_key = product_key(name=offer.name)
        pid = self._products_by_key.get(name_key) if name_key else None
        if pid is None:
            return None
        conn.execute(
            update(_table(Product))
            .where(_table(Product).c.id == pid)
            .values(key=key, **product_fields(offer))
        )
        self._note_url(pid, offer.url or None)
        self._product_names[pid] = offer.name
        self._note_sku(pid, offer.sku)
        del self._products_by_key[name_key]  # type: ignore[arg-type]
        self._products_by_key[key] = pid
        return pid

    def _insert_product(self, conn: Connection, key: str, now: datetime, **fields: Any) -> int:
        row = {
            "company_id": self.company_id,
            "key": key,
            "first_seen_at": now,
            "last_seen_at": now,
            **fields,
        }
        ids = insert_ignore(conn, Product, [row], ["company_id", "key"])
        if ids:
            pid = ids[0]
        else:  # created meanwhile by another process
            pid = conn.execute(
                select(Product.id).where(
                    col(Product.company_id) == self.company_id, col(Product.key) == key
                )
            ).scalar_one()
        self._products_by_key[key] = pid
        if is_address_key(key):
            return pid  # a product cards wait on (``_waiting_product``)
        if ids:
            self._note_url(pid, fields.get("url"))
            self._product_names[pid] = fields.get("name")
        if fields.get("name"):
            self._products_by_name.setdefault(fold(fields["name"]), pid)
        self._note_sku(pid, fields.get("sku"))
        return pid

    def _note_sku(self, pid: int, sku: str | None) -> None:
        """Index ``pid`` by its SKU (a SKU two products share finds neither)."""
        if sku and sku.strip():
            _index_once(self._products_by_sku, sku.strip(), pid)

    def _waiting_product(
        self, conn: Connection, address: str, card: OfferItem, now: datetime
    ) -> int:
        """The product a card linking to ``address`` waits on (``storage.card_products``)."""
        pid = self._waiting.get(address)
        if pid is None:
            pid = self._insert_product(conn, address_key(address), now, **product_fields(card))
            self._waiting[address] = pid
        return pid

    def _take_over_waiting(self, conn: Connection, now: datetime) -> dict[int, int]:
        """Products stored at the addresses cards wait on take the cards' observations over
        (card first, page later gives the rows of page first, card later); returns
        waiting product -> the product that took it over."""
        taken: dict[int, int] = {}
        for address, waiting in list(self._waiting.items()):
            if address not in self._products_by_url:
                continue
            pid = self._products_by_url[address]
            if pid is None:
                # Several products at the page (a variant page's sizes): the card goes by
                # its name, as it would have if the page had come first.
                pid = self._product_id(conn, self._card_of(conn, waiting), now, by_link=False)
                if pid is None:
                    continue
            hand_over(conn, waiting, pid)
            del self._waiting[address]
            del self._products_by_key[address_key(address)]
            self._product_urls.pop(waiting, None)
            for listing in (False, True):
                self._last_state.pop((waiting, listing), None)
                self._last_seen_at.pop((waiting, listing), None)
            if waiting in self._touched_products:
                self._touched_products.discard(waiting)
                self._touched_products.add(pid)
            self._moments = None  # the observations' products changed
            self._refresh_states(conn, {pid})
            taken[waiting] = pid
        return taken

    @staticmethod
    def _card_of(conn: Connection, waiting: int) -> OfferItem:
        """The card a waiting product was made from (its fields are the card's)."""
        products = _table(Product)
        row = conn.execute(products.select().where(products.c.id == waiting)).mappings().one()
        fields = {name: row[name] for name in PRODUCT_FIELDS}
        return OfferItem(url=row["url"] or "", listing=True, **fields)

    def _remember_views(
        self, offers: list[OfferItem], resolved: list[tuple[OfferItem, int | None]]
    ) -> None:
        by_sku = {offer.sku: pid for offer, pid in resolved if offer.sku and pid is not None}
        for view in offers:
            pid = by_sku.get(view.variant_sku) if view.variant_sku else None
            if pid is None:
                continue
            key = product_key(gtin=view.gtin, sku=view.sku, name=view.name)
            for name in (key, f"sku:{(view.sku or '').strip()}"):
                if name:
                    self._views[name] = pid

    def _review_product(self, conn: Connection, review: ReviewItem, now: datetime) -> int | None:
        if review.product_sku:
            sku_key = f"sku:{review.product_sku.strip()}"
            pid = (
                self._products_by_key.get(sku_key)
                or self._views.get(sku_key)
                # A product known by its GTIN: its SKU still names it after a rename (its
                # reviews went by the name, and under the new name to a product of their own).
                or self._products_by_sku.get(review.product_sku.strip())
            )
            if pid is not None:
                return pid
        if review.product_name:
            pid = self._products_by_name.get(_folded_name(review.product_name))
            if pid is not None:
                return pid
        key = product_key(sku=review.product_sku, name=review.product_name)
        if key is None:
            return None
        return self._products_by_key.get(key) or self._insert_product(
            conn, key, now, name=review.product_name, sku=review.product_sku
        )

    def _review_row(
        self, conn: Connection, review: ReviewItem, key: str, now: datetime
    ) -> dict[str, Any]:
        return {
            "company_id": self.company_id,
            "source_id": self.source_id,
            "product_id": self._review_product(conn, review, now),
            "crawl_run_id": self.run_id,
            "content_key": key,
            "identity_key": identity_of(review, review.published),
            "copy_key": copy_key(review.text),
            "first_seen_at": now,
            "title": review.title,
            "text": review.text,
            "rating": review.rating,
            "best_rating": review.best_rating,
            "worst_rating": review.worst_rating,
            "rating_normalized": review.rating_normalized,
            "published": review.published,
            "language": review.language,
            "language_source": review.language_source,
            "region": review.region,
            "author_hash": review.author_hash,
            "external_id": review.external_id,
            "url": review.url or None,
        }


def _index_once(index: dict[str, int | None], key: str, pid: int, *, shared: bool = False) -> None:
    """``index[key]`` names ``pid``, or nothing (None) once another product has ``key`` too,
    or when it is ``shared`` anyway: a URL or SKU several products have names none of them."""
    known = index.get(key, pid)
    index[key] = None if shared or known != pid else pid

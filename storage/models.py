"""Database tables for collected data: companies, sources, products, offers, reviews, crawls.

Every table has a ``*Base`` with the user-facing fields, the ``table=True`` model, and
where the CLI exposes it a ``*Public`` read model (SQLModel's recommended hierarchy).
Analysis, findings and scheduler tables live in their own modules under ``storage/``
and register on the same ``SQLModel.metadata``.

Times are UTC. Prices are kept twice: ``price`` as the exact decimal string and
``price_value`` as a float for SQL aggregation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now in UTC (what every ``*_at`` column stores)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as aware UTC; naive values (SQLite hands them back) are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ts() -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


class CompanyBase(SQLModel):
    name: str = Field(max_length=120, unique=True, index=True)
    """Company name as in the targets file or given to ``rivalscope import --company``."""
    is_own: bool = False
    """True for the company reports are written for."""


class Company(CompanyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _ts()


class SourceBase(SQLModel):
    name: str = Field(max_length=120, unique=True, index=True)
    """Source name (targets file), or ``import:<company>`` for imported files."""
    kind: str = Field(default="crawl", max_length=20)
    """``crawl`` or ``import``."""
    holds: str = Field(default="both", max_length=10)
    """``reviews``, ``offers`` or ``both``."""


class Source(SourceBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    created_at: datetime = _ts()
    healthy: bool = True
    """False when the last crawl's health checks failed (see ``health_reason``)."""
    health_reason: str | None = Field(default=None, sa_type=Text)


class ProductBase(SQLModel):
    key: str = Field(max_length=300)
    """Stable identity within the company: ``gtin:…``, ``sku:…`` or ``name:<normalised name>``."""
    name: str | None = Field(default=None, max_length=500)
    sku: str | None = Field(default=None, max_length=200)
    gtin: str | None = Field(default=None, max_length=20, index=True)
    mpn: str | None = Field(default=None, max_length=200)
    brand: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=300)
    plan: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, sa_type=Text)
    reviews_declared: int | None = None
    """The review count the product's page declares (aggregate rating), newest seen."""
    parent_id: int | None = Field(default=None, foreign_key="product_parent.id", index=True)
    """For a variant (a size or colour of a product): its parent product
    (``storage.variant_models.ProductParent``); None for a product sold in one form."""
    size: str | None = Field(default=None, max_length=100)
    """Variant size as the page names it."""
    colour: str | None = Field(default=None, max_length=100)
    """Variant colour as the page names it."""


class Product(ProductBase, table=True):
    __table_args__ = (UniqueConstraint("company_id", "key", name="uq_product_company_key"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    first_seen_at: datetime = _ts()
    last_seen_at: datetime = _ts()


class OfferObservation(SQLModel, table=True):
    """One observed state of an offer. A new row is written only when price, currency
    or availability changed since the product's previous observation: this is the
    price history."""

    __tablename__ = "offer_observation"
    __table_args__ = (Index("ix_offer_observation_product_time", "product_id", "observed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    source_id: int = Field(foreign_key="source.id", index=True)
    crawl_run_id: int | None = Field(default=None, foreign_key="crawl_run.id")
    observed_at: datetime = _ts()
    price: str | None = Field(default=None, max_length=40)
    """Decimal string, e.g. ``"1299.00"``."""
    price_value: float | None = None
    currency: str | None = Field(default=None, max_length=3)
    """ISO 4217."""
    availability: str | None = Field(default=None, max_length=30)
    url: str | None = Field(default=None, sa_type=Text)
    listing: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """Read from a product card on a listing page, not from the product's own page:
    reports comparing prices leave these out. A product's listing and page observations
    are two histories (a change is a change within one of them)."""


class ReviewBase(SQLModel):
    title: str | None = Field(default=None, sa_type=Text)
    text: str | None = Field(default=None, sa_type=Text)
    rating: float | None = None
    """Rating on the source's own scale."""
    best_rating: float | None = None
    worst_rating: float | None = None
    rating_normalized: float | None = None
    """0..1."""
    published: date | None = Field(default=None, index=True)
    language: str | None = Field(default=None, max_length=8, index=True)
    language_source: str | None = Field(default=None, max_length=10)
    region: str | None = Field(default=None, max_length=100)
    author_hash: str | None = Field(default=None, max_length=32)
    """Pseudonym (keyed hash) of the reviewer; raw names are never stored."""
    external_id: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, sa_type=Text)


class Review(ReviewBase, table=True):
    __table_args__ = (
        UniqueConstraint("company_id", "content_key", name="uq_review_company_key"),
        # An index, not a constraint: SQLite adds it to a stored table without rebuilding it.
        Index("uq_review_company_identity", "company_id", "identity_key", unique=True),
        Index("ix_review_company_copy", "company_id", "copy_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    product_id: int | None = Field(default=None, foreign_key="product.id", index=True)
    """The product the review was first seen under (``ReviewAlias``: the others)."""
    crawl_run_id: int | None = Field(default=None, foreign_key="crawl_run.id")
    content_key: str = Field(max_length=64)
    """``settings.content_keys.review_content_key`` as first seen (it includes the product)."""
    identity_key: str | None = Field(default=None, max_length=32)
    """``settings.content_keys.review_identity_key``: the review whatever product it was
    shown under, so a review shown under two products is one row. None: too little to
    tell it from another person's review (it is then one row per product, as before)."""
    copy_key: str | None = Field(default=None, max_length=32)
    """``settings.content_keys.copy_key`` of the text: the review's copies read another way
    (a widget's API and the page's layout) are found by it (``storage.review_copies``)."""
    first_seen_at: datetime = _ts()
    edited_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """When a crawl last found the review (same site id) with another text or rating."""
    text_before_edit: str | None = Field(default=None, sa_type=Text)
    """The text the review had before that edit."""


class ReviewAlias(SQLModel, table=True):
    """Another content key of a stored review: the same review seen under another product
    (a variant page's shared review widget, a file listing it under two products). The
    review is stored and counted once; this keeps the key (so a crawl knows it) and the
    product."""

    __tablename__ = "review_alias"
    __table_args__ = (
        UniqueConstraint("company_id", "content_key", name="uq_review_alias_company_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    content_key: str = Field(max_length=64)
    review_id: int = Field(foreign_key="review.id", index=True)
    product_id: int | None = Field(default=None, foreign_key="product.id", index=True)
    first_seen_at: datetime = _ts()


class CrawlRunBase(SQLModel):
    status: str = Field(default="running", max_length=20, index=True)
    """``running``, ``finished``, ``failed``, ``interrupted`` (killed; found at next start)
    or ``timeout``."""
    started_at: datetime = _ts()
    finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    finish_reason: str | None = Field(default=None, max_length=100)
    """Scrapy's close reason (``finished``, ``closespider_pagecount``, ``shutdown``...)."""
    pages: int = 0
    """Responses received (any status), robots.txt's aside."""
    http_errors: int = 0
    """Responses with status >= 400 and download failures (dead site, time-outs)."""
    reviews_seen: int = 0
    reviews_new: int = 0
    offers_seen: int = 0
    offers_changed: int = 0
    """Offer observations written (first sight or a change of price/availability)."""
    items_dropped: int = 0
    errors: int = 0
    """Exceptions in callbacks and pipelines, and pages that failed to parse."""
    page_warnings: int = 0
    """Pages whose markup was broken or partly unreadable (truncated HTML, invalid JSON-LD)."""
    robots_blocked: int = 0
    """Requests not made because robots.txt forbids them."""
    reviews_declared: int | None = None
    """Sum of the review counts declared by the product pages this run saw (None: none
    declared one)."""
    reviews_collected: int | None = None
    """Reviews stored from this source for those same products: "collected X of Y"."""
    incremental: bool = False
    """True if the crawl stopped following pages whose reviews were all stored already."""
    peak_memory_mb: int | None = None
    """Peak resident memory of the crawl process or its largest child process (the store
    worker), sampled (``spiders.memory_guard``)."""


class CrawlRun(CrawlRunBase, table=True):
    __tablename__ = "crawl_run"
    # One running run per source: a second crawl of a source is refused, never interleaved.
    __table_args__ = (
        Index(
            "uq_crawl_run_one_running",
            "source_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    dropped_reasons: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON))
    """Reason -> count of items dropped by validation."""
    error_samples: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    """Up to 20 error messages (URL and reason)."""
    status_counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON))
    """HTTP status -> responses."""
    fetch_problems: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON))
    """Reason -> pages refused or not fetched (``spiders.fetch_problems.REASONS``)."""
    field_coverage: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON))
    """Share of scraped reviews/offers with each field set (health checks)."""
    pid: int | None = None
    """OS process id of the crawl while it runs (to tell a killed run from a live one)."""
    machine: str | None = Field(default=None, max_length=300)
    """The machine the process runs on (host name and boot id, ``storage.run_owner``): its
    process id says nothing on another machine, nor after a reboot. None: recorded before
    machines were (judged by the process id alone)."""
    alive_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """The process's last sign of life (each checkpoint and batch written): how a machine
    tells whether another machine's run is still going."""
    queue: str | None = Field(default=None, max_length=300)
    """Distributed runs: the Redis queue (password hidden) the workers pull from."""
    workers: list[str] | None = Field(default=None, sa_column=Column(JSON))
    """Distributed runs: the workers (host:pid) that served the run."""


class Meta(SQLModel, table=True):
    """Key-value facts about this database (e.g. the pseudonymisation key id)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_type=Text)

"""Variant pages and listing cards stored and read back, on SQLite and PostgreSQL.

A variant page's offers (from extraction, as a crawl writes them) give one parent row and
one product per variant under it; listing cards are observations flagged ``listing``. The
price report compares a parent once and leaves listing data out; exports carry both.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from compare.report.prices import latest_catalogues, price_changes
from compare.report.report_scope import CompanyRef, ReportScope
from settings.records import OfferItem, ReviewItem
from spiders.extract.auto import extract_auto
from storage.db import open_database
from storage.export import DATASETS, stream_rows
from storage.models import Company, OfferObservation, Product, Review
from storage.variant_models import ProductParent
from storage.writer import CollectWriter, RunFigures

URL = "https://shop.test/p/trail-shoe"


def _offer(size: str, sku: str, price: str, stock: str) -> dict[str, Any]:
    return {"@type": "Offer", "sku": sku, "name": size, "price": price,
            "priceCurrency": "EUR", "availability": f"https://schema.org/{stock}"}  # fmt: skip


def _variant_page(prices: tuple[str, str, str]) -> str:
    product = {
        "@type": "Product",
        "name": "Trail shoe",
        "offers": [
            _offer("40", "TS-4410-40", prices[0], "OutOfStock"),
            _offer("41", "TS-4410-41", prices[1], "InStock"),
            _offer("42", "TS-4410-42", prices[2], "InStock"),
        ],
    }
    script = f'<script type="application/ld+json">{json.dumps(product)}</script>'
    return f"<html><head>{script}</head><body><h1>Trail shoe</h1></body></html>"


def _card(name: str, price: str) -> OfferItem:
    """A listing's card linking to the variant page."""
    return OfferItem(url=URL, name=name, price=price, currency="EUR", listing=True)


def _crawl(
    engine: Engine,
    company: str,
    own: bool,
    offers: list[OfferItem],
    reviews: tuple[ReviewItem, ...] = (),
    declared: dict[str, int] | None = None,
) -> None:
    writer = CollectWriter(engine, company=company, source=f"{company}-web", own=own)
    writer.start_run()
    writer.write(offers, reviews)
    writer.finish_run("finished", "finished", RunFigures(reviews_declared=declared or {}))


def _review_of(sku: str) -> ReviewItem:
    review = ReviewItem(
        text="Light and firm.", rating=5, product_name="Trail shoe", product_sku=sku
    )
    review.content_key = "k1"
    return review


def _scope(engine: Engine) -> ReportScope:
    with Session(engine) as session:
        ids = {c.name: c.id for c in session.exec(select(Company)).scalars() if c.id}
    return ReportScope(
        own=CompanyRef(ids["Ours"], "Ours", True),
        competitors=(CompanyRef(ids["Rival"], "Rival", False),),
        since=None,
        until=None,
        min_sample=1,
    )


def _exercise(engine: Engine) -> None:
    first = extract_auto(_variant_page(("89.00", "79.00", "69.00")), URL).offers
    assert first[0].sku == "TS-4410" and first[0].variant_sku == "TS-4410-42"
    # The page's reviews and declared count name the product by its code: they belong to
    # the variant the page shows (no product row is made for the code).
    _crawl(
        engine,
        "Rival",
        False,
        [*first, _card("Trail shoe", "59.00")],
        (_review_of("TS-4410"),),
        {"sku:TS-4410": 7},
    )
    # A second crawl: size 42 sold out, 41 cheaper; the listing card unchanged.
    second = extract_auto(_variant_page(("89.00", "75.00", "69.00")).replace(
        '"sku": "TS-4410-42", "name": "42", "price": "69.00", "priceCurrency": "EUR", '
        '"availability": "https://schema.org/InStock"',
        '"sku": "TS-4410-42", "name": "42", "price": "69.00", "priceCurrency": "EUR", '
        '"availability": "https://schema.org/OutOfStock"',
    ), URL).offers  # fmt: skip
    _crawl(engine, "Rival", False, [*second, _card("Trail shoe", "59.00")])
    ours = OfferItem(url="https://ours.test/p/1", name="Trail shoe", sku="OUR-1", price="70.00",
                     currency="EUR", availability="InStock")  # fmt: skip
    _crawl(engine, "Ours", True, [ours])

    with Session(engine) as session:
        parents = session.exec(select(ProductParent)).scalars().all()
        assert [(p.key, p.code, p.name, p.price_low, p.price_high, p.currency, p.availability,
                 p.variants) for p in parents] == [
            ("code:TS-4410", "TS-4410", "Trail shoe", "69.00", "89.00", "EUR", "InStock", 3)
        ]  # fmt: skip
        products = {p.key: p for p in session.exec(select(Product)).scalars().all() if p.company_id}
        variants = sorted(
            (p.sku, p.size, p.colour, p.name) for p in products.values() if p.parent_id
        )
        assert variants == [
            ("TS-4410-40", "40", None, "Trail shoe"),
            ("TS-4410-41", "41", None, "Trail shoe"),
            ("TS-4410-42", "42", None, "Trail shoe"),
        ]
        assert "sku:TS-4410" not in products  # the shopper's view is the parent, not a product
        review = session.exec(select(Review)).scalars().one()
        assert products["sku:TS-4410-42"].id == review.product_id
        assert products["sku:TS-4410-42"].reviews_declared == 7
        key_of = {p.id: k for k, p in products.items()}
        history = sorted(
            (key_of[o.product_id], o.price, o.availability or "", o.listing)
            for o in session.exec(select(OfferObservation)).scalars().all()
        )
    assert history == [
        ("sku:OUR-1", "70.00", "InStock", False),
        ("sku:TS-4410-40", "89.00", "OutOfStock", False),
        ("sku:TS-4410-41", "75.00", "InStock", False),
        ("sku:TS-4410-41", "79.00", "InStock", False),
        # The card links to the variant page, whose sizes share its address: it goes by its
        # name, to the product stored under that name (its first variant): a history of its
        # own, written once while unchanged, beside the page's.
        ("sku:TS-4410-42", "59.00", "", True),
        ("sku:TS-4410-42", "69.00", "InStock", False),
        ("sku:TS-4410-42", "69.00", "OutOfStock", False),
    ]

    scope = _scope(engine)
    with engine.connect() as connection:
        catalogues = latest_catalogues(connection, scope)
        rival = [(i.name, i.sku, i.price) for i in catalogues[scope.competitors[0].id]]
        # One item for the parent: its cheapest variant in stock, not the listing's 59.
        assert rival == [("Trail shoe", "TS-4410", 75.0)]
        changes = [
            (c.product, c.first_price, c.last_price) for c in price_changes(connection, scope)
        ]
        assert changes == [("Trail shoe (41)", 79.0, 75.0)]
    offers = [row for batch in stream_rows(engine, DATASETS["offers"], None, None) for row in batch]
    names = [f.name for f in DATASETS["offers"].fields]
    exported = sorted(
        (r["sku"], r["parent_code"], r["size"], r["listing"])
        for r in (dict(zip(names, row, strict=True)) for row in offers)
        if r["company"] == "Rival"
    )
    assert exported == [
        ("TS-4410-40", "TS-4410", "40", False),
        ("TS-4410-41", "TS-4410", "41", False),
        ("TS-4410-42", "TS-4410", "42", False),
    ]
    prices = [row for batch in stream_rows(engine, DATASETS["prices"], None, None) for row in batch]
    listing_at = [f.name for f in DATASETS["prices"].fields].index("listing")
    assert sorted(bool(row[listing_at]) for row in prices) == [False] * 6 + [True]


def test_variants_and_listing_round_trip_on_sqlite(engine: Engine) -> None:
    _exercise(engine)


@pytest.mark.postgres
def test_variants_and_listing_round_trip_on_postgres(pg_url: str) -> None:
    engine = open_database(pg_url)
    try:
        _exercise(engine)
    finally:
        engine.dispose()

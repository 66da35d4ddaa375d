"""A variant page's declared review count is its shown variant's, whichever process stores it.

A crawl stores its batches in a store worker process and sums the run's coverage ("collected
X of Y declared") in the crawl's own process: a variant page's count must reach the product
its reviews are stored under there too, so the summary adds up with the reviews stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from settings.records import ReviewItem
from spiders.extract.auto import extract_auto
from storage.db import open_database
from storage.models import Product, Review
from storage.writer import CollectWriter, RunFigures
from tests.cli import run_cli
from tests.loopback_site import QuietHandler, answer, answered_robots, serving, write_targets


def _reviews(who: str, n: int) -> list[dict[str, Any]]:
    return [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": f"{who} {i}"},
            "datePublished": f"2024-03-{i + 1:02d}",
            "reviewRating": {"@type": "Rating", "ratingValue": "4"},
            "reviewBody": f"Review {i} of the {who}: solid build, quiet, and worth the price.",
        }
        for i in range(n)
    ]


def _offer(size: str, sku: str, price: str, stock: str, gtin: str | None) -> dict[str, Any]:
    offer = {"@type": "Offer", "sku": sku, "name": size, "price": price, "priceCurrency": "EUR",
             "availability": f"https://schema.org/{stock}"}  # fmt: skip
    return offer | ({"gtin13": gtin} if gtin else {})


def _variants(name: str, code: str, gtins: bool) -> list[dict[str, Any]]:
    sizes = (("40", "89.00", "OutOfStock"), ("41", "79.00", "InStock"), ("42", "69.00", "InStock"))
    return [
        _offer(size, f"{code}-{size}", price, stock, f"40063813339{size}" if gtins else None)
        for size, price, stock in sizes
    ]


def _product(name: str, offers: Any, reviews: int, sku: str | None = None) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        **({"sku": sku} if sku else {}),
        "offers": offers,
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4", "reviewCount": reviews},
        "review": _reviews(name, reviews),
    }


PAGES = {
    # path: (the page's product, the product key its reviews and declared count belong to);
    # each page links to the trail shoe's size 41 (its page showing that size first)
    "/p/kettle": (
        _product("Kettle", {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"}, 3, "K-1"),
        "sku:K-1",
    ),
    "/p/trail-shoe": (
        _product("Trail shoe", _variants("Trail shoe", "TS-4410", False), 2),
        "sku:TS-4410-42",
    ),
    "/p/road-shoe": (
        _product("Road shoe", _variants("Road shoe", "RS-7", True), 4),
        "gtin:4006381333942",
    ),
}


def _page(product: dict[str, Any]) -> bytes:
    # A related-products link (a page's own path is pagination, not followed).
    sizes = '<a href="/p/trail-shoe?variant=TS-4410-41">Trail shoe, size 41</a>'
    return (
        '<!DOCTYPE html><html lang="en"><head><script type="application/ld+json">'
        f"{json.dumps(product)}</script></head><body><h1>{product['name']}</h1>{sizes}"
        "</body></html>"
    ).encode()


class _Shop(QuietHandler):
    def do_GET(self) -> None:
        if answered_robots(self):
            return
        path = self.path.split("?")[0]
        if path not in PAGES:
            answer(self, 404, {"Content-Type": "text/plain"}, b"no")
            return
        body = _page(PAGES[path][0])
        answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, body)


@pytest.fixture
def shop() -> Iterator[str]:
    with serving(_Shop) as (_, url):
        yield url


def test_a_crawl_counts_each_variant_pages_declared_reviews(tmp_path: Path, shop: str) -> None:
    write_targets(tmp_path, [f"{shop}{path}" for path in PAGES])
    db = f"sqlite:///{tmp_path / 'crawled.db'}"
    done = run_cli("crawl", cwd=tmp_path, db_url=db)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = open_database(db)
    try:
        with Session(engine) as session:
            products = {p.id: p for p in session.exec(select(Product)).all()}
            stored = [products[r.product_id].key for r in session.exec(select(Review)).all()]
        with engine.connect() as conn:
            run = conn.execute(text("SELECT reviews_declared, reviews_collected FROM crawl_run"))
            coverage = tuple(run.one())
    finally:
        engine.dispose()
    declared = {p.key: p.reviews_declared for p in products.values() if p.reviews_declared}
    expected = {key: product["aggregateRating"]["reviewCount"] for product, key in PAGES.values()}
    assert sorted(stored) == sorted(k for k, n in expected.items() for _ in range(n))
    # Size 41's page declares the same two reviews: kept on the size it shows, counted once.
    assert declared == expected | {"sku:TS-4410-41": 2}
    assert coverage == (9, 9)
    assert "collected 9 of 9 declared reviews" in done.stdout


@pytest.mark.parametrize(
    ("declared", "kept_by"),
    [
        # the view's key (a writer that stored the page knows it)
        ({"sku:TS-4410": 7}, ["sku:TS-4410-42"]),
        ({"sku:TS-4410-42": 7}, ["sku:TS-4410-42"]),  # the shown variant's
        ({"sku:TS-4410": 7, "sku:TS-4410-42": 7}, ["sku:TS-4410-42"]),  # both: one product
        # two pages of the product, each showing another size first: one product's count
        ({"sku:TS-4410-41": 7, "sku:TS-4410-42": 7}, ["sku:TS-4410-41", "sku:TS-4410-42"]),
    ],
)
def test_a_variant_product_is_counted_once_whichever_key_declares_it(
    engine: Engine, declared: dict[str, int], kept_by: list[str]
) -> None:
    product = PAGES["/p/trail-shoe"][0] | {"review": []}
    offers = extract_auto(_page(product).decode(), "https://shop.test/p/trail-shoe").offers
    review = ReviewItem(text="Light.", rating=5, product_name="Trail shoe", product_sku="TS-4410")
    review.content_key = "k1"
    writer = CollectWriter(engine, company="Rival", source="rival-web", own=False)
    writer.start_run()
    writer.write(offers, [review])
    writer.finish_run("finished", "finished", RunFigures(reviews_declared=declared))
    with engine.connect() as conn:
        run = conn.execute(text("SELECT reviews_declared, reviews_collected FROM crawl_run"))
        assert tuple(run.one()) == (7, 1)
        rows = conn.execute(text("SELECT key FROM product WHERE reviews_declared = 7 ORDER BY key"))
        assert [key for (key,) in rows] == kept_by

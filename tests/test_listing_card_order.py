"""The rows stored from a listing card and the product page its link leads to do not depend
on which arrives first: in one batch or several, in one run or several, by one process or
two workers writing the same run.

Every order of a case's pages is stored under a company of its own in one database, and
each company's rows must equal the first order's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select

from settings.records import OfferItem
from storage.db import open_database
from storage.models import Company, OfferObservation, Product
from storage.writer import CollectWriter, RunFigures

LISTING = "https://shop.test/c/kettles"
PAGE = "https://shop.test/p/lum-1007"
OUTLET = "https://shop.test/p/lum-1007-outlet"
NAME = "Swan neck kettle"
Batch = list[OfferItem]


def _page(url: str, sku: str, name: str = NAME, price: str = "69.00") -> OfferItem:
    return OfferItem(
        url=url, name=name, sku=sku, price=price, currency="EUR", brand="Lumen", category="Kettles"
    )


def _card(
    url: str, name: str = NAME, price: str = "65.99", listing_page: str = LISTING
) -> OfferItem:
    return OfferItem(
        url=url, name=name, price=price, currency="EUR", listing=True, listing_page=listing_page
    )


CASES: dict[str, list[Batch]] = {
    # The demo's pair: two pages of one name; each card links to one of them.
    "same-name-pair": [
        [_page(PAGE, "LUM-1007")],
        [_page(OUTLET, "LUM-1007-OUT", price="49.00")],
        [_card(OUTLET, price="45.99")],
        [_card(PAGE)],
    ],
    "card-without-link": [[_page(PAGE, "LUM-1007")], [_card("")]],
    "card-linking-to-its-listing": [[_page(PAGE, "LUM-1007")], [_card(LISTING)]],
    # Cards that do not say their listing: those sharing one address are the listing's.
    "cards-sharing-the-listing-address": [
        [_page(PAGE, "LUM-1007")],
        [_card(LISTING, listing_page=""), _card(LISTING, "Tea kettle", listing_page="")],
    ],
    "page-never-stored": [[_page(OUTLET, "LUM-1007-OUT")], [_card(PAGE)]],
    # A variant page's sizes share its address: the card goes by its name.
    "variant-page": [
        [_page(PAGE, "LUM-1007-S", name="Small kettle"), _page(PAGE, "LUM-1007-L")],
        [_card(PAGE)],
    ],
    # An address longer than a product key: the key is cut, the address is not.
    "long-link": [
        [_page(f"{PAGE}?{'q=1&' * 100}", "LUM-1007")],
        [_card(f"{PAGE}?{'q=1&' * 100}")],
        [_page(f"{PAGE}?{'q=1&' * 99}", "LUM-1007-OUT")],
    ],
    "review-page-2-first": [
        [_page(f"{PAGE}?reviews=2", "LUM-1007")],
        [_page(PAGE, "LUM-1007")],
        [_card(PAGE)],
    ],
}


def _writer(engine: Engine, company: str) -> CollectWriter:
    return CollectWriter(engine, company=company, source=f"{company} web", own=False)


def _one_run(engine: Engine, company: str, batches: list[Batch]) -> None:
    writer = _writer(engine, company)
    writer.start_run()
    for batch in batches:
        writer.write(batch, [])
    writer.finish_run("finished", "finished", RunFigures())


def _one_batch(engine: Engine, company: str, batches: list[Batch]) -> None:
    _one_run(engine, company, [[offer for batch in batches for offer in batch]])


def _run_per_batch(engine: Engine, company: str, batches: list[Batch]) -> None:
    for batch in batches:
        _one_run(engine, company, [batch])


def _two_workers(engine: Engine, company: str, batches: list[Batch]) -> None:
    """Two writers of one run, taking turns (as ``rivalscope worker`` processes do)."""
    first = _writer(engine, company)
    run_id = first.start_run(queue="redis://127.0.0.1:6379/0")
    second = _writer(engine, company)
    for writer in (first, second):
        writer.run_id, writer.shared = run_id, True
    for writer, batch in zip(itertools.cycle((first, second)), batches, strict=False):
        writer.write(batch, [])
    first.finish_distributed_run()


WAYS: dict[str, Callable[[Engine, str, list[Batch]], None]] = {
    "one-run": _one_run,
    "one-batch": _one_batch,
    "run-per-batch": _run_per_batch,
    "two-workers": _two_workers,
}


def _rows(engine: Engine, company: str, page_urls: bool = True) -> tuple[Any, ...]:
    """The company's products and observations, ids and moments aside (and the URLs of
    product pages' observations unless ``page_urls``)."""
    with engine.connect() as conn:
        company_id = conn.execute(select(Company.id).where(Company.name == company)).scalar_one()
        products = {
            pid: row
            for pid, *row in conn.execute(
                select(
                    Product.id,
                    Product.key,
                    Product.name,
                    Product.sku,
                    Product.brand,
                    Product.category,
                    Product.url,
                ).where(Product.company_id == company_id)
            )
        }
        observations = sorted(
            (tuple(products[pid][:1]), listing, price, url if listing or page_urls else None)
            for pid, listing, price, url in conn.execute(
                select(
                    OfferObservation.product_id,
                    OfferObservation.listing,
                    OfferObservation.price,
                    OfferObservation.url,
                ).where(OfferObservation.product_id.in_(products))  # type: ignore[attr-defined]
            )
        )
    return tuple(sorted(tuple(row) for row in products.values())), tuple(observations)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, db_url: str) -> Iterator[Engine]:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else db_url
    engine = open_database(url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("case", CASES)
def test_rows_do_not_depend_on_the_order(database: Engine, case: str) -> None:
    expected: dict[bool, Any] = {}
    for n, (way, order) in enumerate(itertools.product(WAYS, itertools.permutations(CASES[case]))):
        company = f"Rival {n}"
        WAYS[way](database, company, list(order))
        # Across runs a page's observation keeps the URL of the run that saw its state
        # first (its review page 2 or its own page): history, not arrival order.
        across_runs = way == "run-per-batch"
        rows = _rows(database, company, page_urls=not across_runs)
        expected.setdefault(across_runs, rows)
        order_names = [[o.url or "(no link)" for o in batch] for batch in order]
        assert rows == expected[across_runs], (way, order_names)


def _card_products(engine: Engine, company: str) -> dict[str | None, str]:
    """Each card's price -> the key of the product it was stored on."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(OfferObservation.price, Product.key)
            .join(Product, Product.id == OfferObservation.product_id)  # type: ignore[arg-type]
            .join(Company, Company.id == Product.company_id)  # type: ignore[arg-type]
            .where(Company.name == company, OfferObservation.listing)
        )
        return {price: key for price, key in rows}


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [2, 3, 0, 1], [2, 0, 3, 1], [3, 1, 2, 0]], ids=str)
def test_a_card_ends_on_its_page_product_not_a_same_named_one(
    engine: Engine, order: list[int]
) -> None:
    """The demo's pair (LUM-1007 and its outlet copy): each card on its own page's
    product, whichever page or card came first."""
    batches = CASES["same-name-pair"]
    _one_run(engine, "Rival", [batches[i] for i in order])
    assert _card_products(engine, "Rival") == {
        "45.99": "sku:LUM-1007-OUT",
        "65.99": "sku:LUM-1007",
    }
    with engine.connect() as conn:
        keys = sorted(conn.execute(select(Product.key)).scalars())
    assert keys == ["sku:LUM-1007", "sku:LUM-1007-OUT"]  # nothing left waiting

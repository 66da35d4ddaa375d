"""What a hostile page or file sends that no database or output holds: NUL and lone
surrogates in JSON text, counts no integer column holds, a database damaged deep inside."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from scrapy import Request
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from settings.records import OfferItem, ReviewItem, drop_unstorable
from spiders.extract.auto import extract_auto
from spiders.pipelines.normalize import normalize_offer
from spiders.pipelines.stages import prepare_offer, prepare_review
from spiders.review_api import find_next_link
from storage.db import DatabaseError, environment_error, open_database
from storage.schema import metadata
from storage.writer import CollectWriter, RunFigures
from tests.cli import run_cli

URL = "https://shop.example/p/kettle"
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
BAD = "\u0000x\ud800y"
"""What a JSON ``"\\u0000x\\ud800y"`` decodes to."""


def _hostile(text: str) -> str:
    return text + BAD


def _product_page() -> str:
    """A product page whose JSON-LD escapes a NUL and a lone surrogate into every text."""
    reviews = [
        {
            "@type": "Review",
            "reviewBody": _hostile("Boils fast and the handle stays cool, very happy"),
            "name": _hostile("Good"),
            "author": {"@type": "Person", "name": _hostile("Ann")},
            "datePublished": "2024-03-01",
            "reviewRating": {"@type": "Rating", "ratingValue": "4", "bestRating": "5"},
        },
        {
            "@type": "Review",
            "reviewBody": "The second kettle review, plain and fine to read",
            "author": _hostile("Bob"),
            "reviewRating": {"@type": "Rating", "ratingValue": "5"},
        },
    ]
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": _hostile("Kettle"),
        "sku": _hostile("SKU-1"),
        "brand": _hostile("Brand"),
        "image": _hostile("/k.png"),
        "offers": {"@type": "Offer", "price": "19.99", "priceCurrency": "EUR"},
        "review": reviews,
    }
    # json.dumps writes the NUL and the surrogate as \u escapes, as a hostile page does
    script = json.dumps(product)
    assert "\\u0000" in script and "\\ud800" in script
    return (
        '<html lang="en"><head><script type="application/ld+json">'
        f"{script}</script></head><body><h1>Kettle</h1></body></html>"
    )


def _texts(record: object) -> list[str]:
    found: list[str] = []
    if not is_dataclass(record):
        return found
    for spec in fields(record):
        value = getattr(record, spec.name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                found.append(item)
            else:
                found.extend(_texts(item))
    return found


def test_json_escapes_of_nul_and_lone_surrogates_are_dropped_at_extraction() -> None:
    page = extract_auto(_product_page(), URL)
    assert len(page.offers) == 1 and len(page.reviews) == 2
    texts = _texts(page)
    assert texts and not [text for text in texts if UNSTORABLE.search(text)]
    assert page.offers[0].name == "Kettlexy"
    # what failed the page in the crawl: hashing its texts for the content key
    for text in texts:
        text.encode("utf-8")


def test_a_review_api_next_link_with_a_lone_surrogate_can_be_requested() -> None:
    link = find_next_link(json.loads('{"links": {"next": "/reviews?page=2\\ud800"}}'))
    assert link == "/reviews?page=2"
    Request(f"https://shop.example{link}")  # raised UnicodeEncodeError: the page's error


def test_drop_unstorable_reaches_nested_records_and_lists() -> None:
    review = ReviewItem(text=_hostile("a"), author=_hostile("b"))
    offer = OfferItem(name=_hostile("c"))
    drop_unstorable(offer)
    drop_unstorable(review)
    assert (offer.name, review.text, review.author) == ("cxy", "axy", "bxy")


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_records_with_nul_and_surrogates_are_stored(
    database: str, engine: Engine, request: pytest.FixtureRequest
) -> None:
    """PostgreSQL refuses NUL in text: one such field failed the whole batch (every page's
    records in it); a lone surrogate failed the pseudonym's hash on either database."""
    if database == "postgres":
        engine = open_database(request.getfixturevalue("pg_url"))
    offer = OfferItem(url=URL, name=_hostile("Kettle"), sku=_hostile("K1"), price="10.00")
    review = ReviewItem(
        url=URL,
        text="A kettle that boils fast and stays cool",
        rating=4.0,
        best_rating=5.0,
        author=_hostile("Ann"),
        product_name=_hostile("Kettle"),
        product_sku=_hostile("K1"),
        region=_hostile("Oslo"),
        content_key="k1",
    )
    assert prepare_offer(offer) is None
    assert prepare_review(review, "en", b"key") is None
    writer = CollectWriter(engine, company="Rival", source="shop", own=False)
    writer.start_run()
    writer.write([offer], [review])
    writer.finish_run("finished", "finished", RunFigures(pages=1))
    with engine.connect() as connection:
        names = connection.execute(select(metadata.tables["product"].c.name)).scalars().all()
        reviews = connection.execute(select(metadata.tables["review"].c.text)).scalars().all()
    assert names == ["Kettlexy"] and len(reviews) == 1
    engine.dispose()


def _aggregate_page(rating_count: str, review_count: str) -> str:
    return (
        '<html lang="en"><head><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "Product", "name": "Kettle",'
        ' "offers": {"@type": "Offer", "price": "19.99", "priceCurrency": "EUR"},'
        ' "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.5",'
        f' "ratingCount": {rating_count}, "reviewCount": {review_count}}}}}'
        "</script></head><body><h1>Kettle</h1></body></html>"
    )


@pytest.mark.parametrize(
    ("rating_count", "review_count"),
    [
        ("9" * 5000, '"12"'),  # past int()'s 4300 digits: failed the whole page
        ('"99999999999999999999"', '"12"'),  # past any database integer
        ("1e30", '"12"'),  # not the digits "130"
        ('"-3"', '"12"'),  # a negative count is none
    ],
    ids=["5000-digits", "20-digits", "exponent", "negative"],
)
def test_an_absurd_count_is_no_count_and_fails_nothing(
    rating_count: str, review_count: str
) -> None:
    page = extract_auto(_aggregate_page(rating_count, review_count), URL)
    assert not [w for w in page.warnings if w.startswith("extraction failed")]
    assert page.offers and page.offers[0].name == "Kettle"
    assert page.aggregate_rating is not None
    assert page.aggregate_rating.rating_count is None
    assert page.aggregate_rating.review_count == 12


@pytest.mark.parametrize("declared", [10**20, -5])
def test_a_declared_review_count_no_integer_column_holds_is_dropped(declared: int) -> None:
    """Such a count failed the run's last write: the run stayed "running" for good."""
    offer = normalize_offer(OfferItem(url=URL, name="Kettle", reviews_declared=declared))
    assert offer.reviews_declared is None
    assert normalize_offer(OfferItem(url=URL, name="K", reviews_declared=12)).reviews_declared == 12


def test_a_database_damaged_deep_inside_is_said_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    engine = open_database(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE filler (x TEXT)")
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
            " INSERT INTO filler SELECT printf('%0500d', i) FROM n"
        )
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with path.open("r+b") as handle:  # the last pages: the filler's, not the schema's
        for offset in range(size - 64 * 4096, size, 4096):
            handle.seek(offset)
            handle.write(b"\xff" * 64)
    engine = open_database(f"sqlite:///{path}", upgrade=False)
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*), max(x) FROM filler").all()
    engine.dispose()
    error = environment_error(raised.value)
    assert isinstance(error, DatabaseError)
    assert "malformed" in str(error) and "backup" in str(error) and "\n" not in str(error)


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_imported_file_with_nul_and_lone_surrogates_is_stored(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """JSON lines escape them as JSON-LD does: the import's pseudonym failed with a
    traceback on either database (and PostgreSQL would refuse the NUL)."""
    url = (
        request.getfixturevalue("pg_url")
        if database == "postgres"
        else f"sqlite:///{tmp_path / 'x.db'}"
    )
    path = tmp_path / "reviews.jsonl"
    row = {
        "text": "A fine kettle, it boils fast\u0000",
        "rating": 5,
        "product": _hostile("Kettle"),
        "author": _hostile("Ann"),
        "region": _hostile("Oslo"),
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    done = run_cli(
        *("import", str(path), "--company", "Nordlys", "--own", "--new-company"),
        cwd=tmp_path,
        db_url=url,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    engine = open_database(url)
    with engine.connect() as connection:
        stored = connection.execute(
            select(metadata.tables["review"].c.text, metadata.tables["review"].c.region)
        ).all()
        names = connection.execute(select(metadata.tables["product"].c.name)).scalars().all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [("A fine kettle, it boils fast", "Osloxy")]
    assert names == ["Kettlexy"]

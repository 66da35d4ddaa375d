"""One review, one row: a review shown under two products (a variant page's shared widget,
a file listing it twice) is stored and counted once; a review its author edited (same site
id) takes its new text and is analysed again; the 0016 migration merges the copies an
older version stored and keeps everything else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, func, insert, text
from sqlmodel import Session, col, select

from settings.content_keys import copy_key, review_content_key
from settings.records import ReviewItem
from spiders import file_import
from storage.analysis_models import ReviewAnalysis, ReviewSentence
from storage.db import HEAD_REVISION, MIGRATIONS_DIR, make_engine, open_database, schema_revision
from storage.export import DATASETS, stream_rows
from storage.models import Company, Product, Review, ReviewAlias, Source
from storage.writer import CollectWriter, RunFigures
from tests.loopback_site import answer, answered_robots, crawled, serving, write_targets

WIDGET = [
    (
        "r-101",
        "Anna",
        "2024-03-02",
        5,
        "Boils a full litre in under three minutes and stays quiet.",
    ),
    ("r-102", "Bjorn", "2024-03-05", 2, "The lid hinge broke after a month of daily use, sadly."),
    (
        "r-103",
        "Chloe",
        "2024-03-09",
        4,
        "Pours cleanly without dripping, the handle stays cool too.",
    ),
]
"""The reviews a shop's review widget shows on every colour's page: (id, author, date,
rating, text)."""


def _page(colour: str, reviews: list[tuple[str, str, str, int, str]], ids: bool) -> bytes:
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": f"Kettle {colour}",
        "sku": f"K-{colour.upper()}",
        "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"},
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": "3.7",
            "reviewCount": len(reviews),
        },
        "review": [
            {
                "@type": "Review",
                **({"@id": review_id} if ids else {}),
                "author": {"@type": "Person", "name": author},
                "datePublished": day,
                "reviewRating": {"@type": "Rating", "ratingValue": str(rating)},
                "reviewBody": body,
            }
            for review_id, author, day, rating, body in reviews
        ],
    }
    return (
        '<!DOCTYPE html><html lang="en"><head><script type="application/ld+json">'
        f"{json.dumps(product)}</script></head><body><h1>Kettle {colour}</h1>"
        '<a href="/kettle/black">black</a> <a href="/kettle/white">white</a></body></html>'
    ).encode()


class _Shop(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if answered_robots(self):
            return
        colour = self.path.rsplit("/", 1)[-1]
        if colour not in ("black", "white"):
            answer(self, 404, {"Content-Type": "text/plain"}, b"no")
            return
        reviews: list[Any] = self.server.reviews  # type: ignore[attr-defined]
        ids: bool = self.server.ids  # type: ignore[attr-defined]
        body = _page(colour, reviews, ids)
        answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=[True, False], ids=["site-ids", "no-ids"])
def shop(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[Any]]]:
    reviews = list(WIDGET)
    with serving(_Shop, reviews=reviews, ids=request.param) as (_, url):
        yield url, reviews


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        reviews = conn.execute(select(func.count()).select_from(Review)).scalar_one()
        aliases = conn.execute(select(func.count()).select_from(ReviewAlias)).scalar_one()
    return reviews, aliases


def test_a_widget_shown_on_two_colour_pages_stores_each_review_once(
    tmp_path: Path, shop: tuple[str, list[Any]]
) -> None:
    url, _ = shop
    write_targets(tmp_path, [f"{url}/kettle/black", f"{url}/kettle/white"])
    db = crawled(tmp_path)
    engine = open_database(db)
    try:
        assert _counts(engine) == (3, 3)  # one row each, the other colour's key an alias
        with engine.connect() as conn:
            shown = conn.execute(
                select(Product.sku, func.count())
                .select_from(ReviewAlias)
                .join(Product, col(Product.id) == col(ReviewAlias.product_id))
                .group_by(Product.sku)
            ).all()
            stored_under = conn.execute(
                select(Product.sku, func.count())
                .select_from(Review)
                .join(Product, col(Product.id) == col(Review.product_id))
                .group_by(Product.sku)
            ).all()
            # each colour's reviews: the first colour's rows, the other's aliases
            assert sorted(s for s, _ in shown + stored_under) == ["K-BLACK", "K-WHITE"]
            # each page declares 3 reviews, and 3 are collected for each
            coverage = conn.execute(
                text("SELECT reviews_declared, reviews_collected FROM crawl_run")
            ).one()
        assert tuple(coverage) == (6, 6)
        crawled(tmp_path)  # the same database again: nothing new, no new alias
        assert _counts(engine) == (3, 3)
        with engine.connect() as conn:
            last = conn.execute(text("SELECT reviews_new FROM crawl_run ORDER BY id DESC")).first()
        assert last is not None and last[0] == 0
    finally:
        engine.dispose()


def test_an_edited_review_with_a_site_id_takes_its_new_text_and_is_analysed_again(
    tmp_path: Path,
) -> None:
    from compare.analysis.run import analyze_database

    reviews = list(WIDGET)
    with serving(_Shop, reviews=reviews, ids=True) as (_, url):
        write_targets(tmp_path, [f"{url}/kettle/black", f"{url}/kettle/white"])
        engine = open_database(crawled(tmp_path))
        try:
            assert analyze_database(engine, progress=False, models_dir=tmp_path / "m").analyzed == 3
            edited = "Update: the seller replaced the kettle and the new lid hinge holds fine."
            reviews[1] = (*reviews[1][:3], 4, edited)
            crawled(tmp_path)
            with Session(engine) as session:
                rows = session.exec(select(Review).order_by(col(Review.id))).all()
                texts = [r.text for r in rows]
                changed = rows[1]
            assert len(texts) == 3 and texts[1] == edited
            assert (changed.rating, changed.text_before_edit) == (4.0, WIDGET[1][4])
            assert changed.edited_at is not None
            with engine.connect() as conn:
                analysed = conn.execute(select(ReviewAnalysis.review_id)).scalars().all()
            assert changed.id not in analysed and len(analysed) == 2  # pending again
            again = analyze_database(engine, progress=False, models_dir=tmp_path / "m")
            assert again.analyzed == 1
            with engine.connect() as conn:
                sentences = (
                    conn.execute(
                        select(ReviewSentence.text).where(ReviewSentence.review_id == changed.id)
                    )
                    .scalars()
                    .all()
                )
            assert any("replaced" in s for s in sentences)
            assert not any("broke" in s for s in sentences)
            crawled(tmp_path)  # seen again unchanged: no second edit
            with Session(engine) as session:
                again_row = session.get(Review, changed.id)
                assert again_row is not None and again_row.edited_at == changed.edited_at
        finally:
            engine.dispose()


def _import_twice_listed(engine: Engine, tmp_path: Path) -> None:
    same = "Heats quickly, the filter keeps scale out of the cup, worth the price."
    rows = [
        ("", "Dora", same, "Kettle black"),
        ("", "Dora", same, "Kettle white"),
        ("77", "Emil", "Loud click when it switches off, otherwise a fine kettle.", "Kettle black"),
        ("77", "Emil", "Loud click when it switches off, otherwise a fine kettle.", "Kettle white"),
        ("", "Frida", "Short one.", "Kettle black"),
    ]
    rows_file = tmp_path / "reviews.csv"
    lines = ["id,author,date,text,rating,product"]
    lines += [f'{i},{a},2024-05-01,"{t}",4,{p}' for i, a, t, p in rows]
    rows_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = file_import.import_file(engine, rows_file, company="Rival", new_company=True)
    assert (report.stored, report.duplicates) == (3, 2)
    assert _counts(engine) == (3, 2)
    with engine.connect() as conn:
        products = (
            conn.execute(
                text(
                    "SELECT p.name FROM review_alias a JOIN product p ON p.id = a.product_id "
                    "ORDER BY p.name"
                )
            )
            .scalars()
            .all()
        )
    assert products == ["Kettle white", "Kettle white"]
    # the export keeps one row each, naming the other product it was shown under
    reviews = DATASETS["reviews"]
    names = [f.name for f in reviews.fields]
    exported = [
        dict(zip(names, row, strict=True))
        for batch in stream_rows(engine, reviews, None, None)
        for row in batch
    ]
    assert sorted((r["product"], r["also_products"] or "") for r in exported) == [
        ("Kettle black", ""),
        ("Kettle black", "Kettle white"),
        ("Kettle black", "Kettle white"),
    ]
    again = file_import.import_file(engine, rows_file, company="Rival")
    assert (again.stored, again.duplicates) == (0, 5)
    assert _counts(engine) == (3, 2)


def test_an_import_listing_a_review_under_two_products_stores_it_once(
    engine: Engine, tmp_path: Path
) -> None:
    _import_twice_listed(engine, tmp_path)


@pytest.mark.postgres
def test_an_import_listing_a_review_under_two_products_stores_it_once_on_postgres(
    pg_url: str, tmp_path: Path
) -> None:
    engine = open_database(pg_url)
    try:
        _import_twice_listed(engine, tmp_path)
    finally:
        engine.dispose()


def _item(
    text_: str, product: str, *, author: str | None, review_id: str | None = None
) -> ReviewItem:
    item = ReviewItem(
        text=text_,
        rating=5.0,
        best_rating=5.0,
        product_name=product,
        language="en",
        external_id=review_id,
        author_hash=author,
    )
    item.content_key = review_content_key(
        external_id=review_id,
        text=text_,
        title=None,
        rating_raw=5.0,
        date_raw=None,
        author=author,
        product=product,
    )
    return item


def test_two_short_anonymous_reviews_of_two_products_stay_two(engine: Engine) -> None:
    """ "Great kettle!" rated 5 under two products, no reviewer, no id: as likely two people."""
    writer = CollectWriter(engine, company="Rival", source="shop")
    writer.start_run()
    writer.write(
        [],
        [
            _item("Great kettle!", "Kettle black", author=None),
            _item("Great kettle!", "Kettle white", author=None),
        ],
    )
    writer.finish_run("finished", "finished", RunFigures())
    assert _counts(engine) == (2, 0)


def test_a_site_id_reused_by_another_reviewer_is_no_edit(engine: Engine) -> None:
    """A site whose ids are positions on the page ("review-1" is the newest review): the
    newest review is another person's, not an edit of the stored one."""
    first = CollectWriter(engine, company="Rival", source="shop")
    first.start_run()
    first.write(
        [], [_item("Lovely kettle, fast and quiet.", "Kettle", author="a1", review_id="review-1")]
    )
    first.finish_run("finished", "finished", RunFigures())
    second = CollectWriter(engine, company="Rival", source="shop")
    second.start_run()
    second.write(
        [], [_item("Rusted within a week, avoid.", "Kettle", author="b2", review_id="review-1")]
    )
    second.finish_run("finished", "finished", RunFigures())
    with Session(engine) as session:
        rows = session.exec(select(Review.text, Review.edited_at)).all()
    assert [tuple(r) for r in rows] == [("Lovely kettle, fast and quiet.", None)]


# -- the migration ----------------------------------------------------------------


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _at_0015(url: str) -> Engine:
    engine = make_engine(url)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0015")
    return engine


SAME = "The kettle boils quietly and the water tastes of nothing, as it should."


def _old_rows(engine: Engine) -> None:
    """What 0015's writer stored: one review twice (two products), three others."""
    with engine.begin() as conn:
        conn.execute(insert(Company.__table__).values(id=1, name="Rival"))  # type: ignore[attr-defined]
        conn.execute(insert(Source.__table__).values(id=1, name="shop", company_id=1))  # type: ignore[attr-defined]
        for pid, name in ((1, "black"), (2, "white")):
            conn.execute(
                insert(Product.__table__).values(
                    id=pid, company_id=1, key=f"name:{name}", name=name
                )
            )  # type: ignore[attr-defined]
        rows = [
            (1, 1, "k-black-same", SAME, "h1"),
            (2, 2, "k-white-same", SAME, "h1"),
            (3, 1, "k-other", "Another review by another person, about the kettle's lid.", "h2"),
            (4, 2, "k-short-1", "Great!", None),
            (5, 1, "k-short-2", "Great!", None),
        ]
        for rid, pid, key, body, author in rows:
            conn.execute(
                text(
                    "INSERT INTO review (id, company_id, source_id, product_id, content_key, text, "
                    "rating, published, author_hash, first_seen_at) VALUES (:id, 1, 1, :pid, :key, "
                    ":body, 4.0, '2024-01-02', :author, '2024-02-01 00:00:00')"
                ),
                {"id": rid, "pid": pid, "key": key, "body": body, "author": author},
            )
        for rid in (1, 2, 3):
            conn.execute(
                insert(ReviewAnalysis.__table__).values(  # type: ignore[attr-defined]
                    review_id=rid,
                    analyzer_version="v",
                    company_id=1,
                    label="positive",
                    model="none",
                )
            )


def _check_migrated(engine: Engine) -> None:
    with engine.connect() as conn:
        reviews = conn.execute(
            text("SELECT id, product_id, content_key, identity_key IS NULL FROM review ORDER BY id")
        ).all()
        aliases = conn.execute(
            text("SELECT review_id, product_id, content_key FROM review_alias")
        ).all()
        analysed = (
            conn.execute(text("SELECT review_id FROM review_analysis ORDER BY review_id"))
            .scalars()
            .all()
        )
    # the copy under "white" is the first row's alias; the short anonymous pair stays two
    assert [tuple(r) for r in reviews] == [
        (1, 1, "k-black-same", False),
        (3, 1, "k-other", False),
        (4, 2, "k-short-1", True),
        (5, 1, "k-short-2", True),
    ]
    assert [tuple(a) for a in aliases] == [(1, 2, "k-white-same")]
    assert analysed == [1, 3]
    # 0017: stored reviews get the key their copies are found by (none for a short text)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT id, copy_key FROM review ORDER BY id")).all()
    assert [k is None for _, k in keys] == [False, False, True, True]
    assert keys[0][1] == copy_key(SAME)
    # every key is still known: a crawl seeing the white page stores nothing again
    writer = CollectWriter(engine, company="Rival", source="shop")
    assert {
        "k-black-same",
        "k-white-same",
        "k-other",
        "k-short-1",
        "k-short-2",
    } <= writer.known_review_keys


def _migrate(url: str) -> None:
    old = _at_0015(url)
    _old_rows(old)
    old.dispose()
    engine = open_database(url)
    try:
        assert schema_revision(engine) == HEAD_REVISION
        _check_migrated(engine)
        # run again from the start (a run stopped half-way): the same rows
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0015'"))
        config = _config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        _check_migrated(engine)
    finally:
        engine.dispose()


def test_migration_merges_a_review_stored_under_two_products_on_sqlite(tmp_path: Path) -> None:
    _migrate(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_migration_merges_a_review_stored_under_two_products_on_postgres(pg_url: str) -> None:
    _migrate(pg_url)

"""A review read two ways (a review widget's API with the site's id and reviewer, the
rendered page's layout without them) is stored once: ``storage.review_copies``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, text
from sqlmodel import Session, select

from settings.content_keys import copy_key, cut_text, review_content_key
from settings.records import ReviewItem
from spiders import file_import
from spiders.import_detection import StoreProcess
from storage.analysis_models import ReviewAnalysis
from storage.db import open_database
from storage.models import Review, ReviewAlias
from storage.writer import CollectWriter, RunFigures

FULL = (
    "The kettle boils a litre in under three minutes and the lid opens wide enough to "
    "clean it; the cord is short though."
)
TEASER = "The kettle boils a litre in under three minutes and the lid…  Read more"
DAY = date(2024, 3, 5)


def _item(
    text_: str,
    *,
    review_id: str | None = None,
    author: str | None = None,
    rating: float | None = None,
    published: date | None = None,
    product: str = "Kettle",
) -> ReviewItem:
    item = ReviewItem(
        text=text_,
        rating=rating,
        best_rating=5.0 if rating is not None else None,
        rating_normalized=(rating - 1) / 4 if rating is not None else None,
        published=published,
        product_name=product,
        language="en",
        external_id=review_id,
        author_hash=author,
    )
    item.content_key = review_content_key(
        external_id=review_id,
        text=text_,
        title=None,
        rating_raw=rating,
        date_raw=published.isoformat() if published else None,
        author=author,
        product=product,
    )
    return item


def _api(text_: str = FULL, **kw: object) -> ReviewItem:
    """The widget API's copy: the site's id, the reviewer, rating and date."""
    values: dict[str, object] = {
        "review_id": "r-981",
        "author": "a" * 16,
        "rating": 4.0,
        "published": DAY,
    }
    values.update(kw)
    return _item(text_, **values)  # type: ignore[arg-type]


def _layout(text_: str = TEASER, **kw: object) -> ReviewItem:
    """The rendered page's copy: no id, the name shown otherwise, no date read."""
    values: dict[str, object] = {"author": "b" * 16, "rating": 4.0}
    values.update(kw)
    return _item(text_, **values)  # type: ignore[arg-type]


def _write(engine: Engine, *batches: list[ReviewItem]) -> CollectWriter:
    writer = CollectWriter(engine, company="Rival", source="shop")
    writer.start_run()
    for batch in batches:
        writer.write([], batch)
    writer.finish_run("finished", "finished", RunFigures())
    return writer


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        rows = session.exec(
            select(
                Review.external_id, Review.rating, Review.published, Review.text, Review.author_hash
            ).order_by(Review.id)  # type: ignore[arg-type]
        ).all()
    return [tuple(r) for r in rows]


def test_a_cut_layout_copy_after_the_api_copy_is_no_second_row(engine: Engine) -> None:
    _write(engine, [_api()])
    later = _write(engine, [_layout()])
    assert later.reviews_new == 0
    assert _rows(engine) == [("r-981", 4.0, DAY, FULL, "a" * 16)]
    # the copy's key is known now: the next crawl looks nothing up for it
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ReviewAlias)).one() == 1
    assert (
        _layout().content_key
        in CollectWriter(engine, company="Rival", source="shop").known_review_keys
    )


def _layout_then_api(engine: Engine) -> None:
    """The layout copy stored first (no id, rating read, no date): the API copy completes it
    (id, date, whole text) and keeps what it holds (its reviewer); analysed again."""
    _write(engine, [_layout()])
    with engine.begin() as conn:
        review_id = conn.execute(text("SELECT id FROM review")).scalar_one()
        conn.execute(
            insert(ReviewAnalysis.__table__).values(  # type: ignore[attr-defined]
                review_id=review_id, analyzer_version="v", company_id=1, label="positive", model="m"
            )
        )
    later = _write(engine, [_api()])
    assert later.reviews_new == 0
    assert _rows(engine) == [("r-981", 4.0, DAY, FULL, "b" * 16)]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ReviewAnalysis)).one() == 0
    # a third crawl sees both again: nothing new, nothing changed
    _write(engine, [_layout(), _api()])
    assert _rows(engine) == [("r-981", 4.0, DAY, FULL, "b" * 16)]


def test_the_api_copy_completes_a_stored_layout_copy(engine: Engine) -> None:
    _layout_then_api(engine)


@pytest.mark.postgres
def test_the_api_copy_completes_a_stored_layout_copy_on_postgres(pg_url: str) -> None:
    engine = open_database(pg_url)
    try:
        _layout_then_api(engine)
    finally:
        engine.dispose()


def test_both_copies_in_one_batch_are_one_row(engine: Engine) -> None:
    writer = _write(engine, [_layout(rating=None), _api()])
    assert writer.reviews_new == 1
    assert _rows(engine) == [("r-981", 4.0, DAY, FULL, "b" * 16)]


def test_the_same_text_whole_on_both_is_one_row(engine: Engine) -> None:
    _write(engine, [_api(FULL.upper())], [_layout("  " + FULL.replace(" ", "\n  "))])
    assert len(_rows(engine)) == 1


@pytest.mark.parametrize(
    ("layout", "rows"),
    [
        (_layout(rating=3.0), 2),  # another rating: another review
        (_layout(published=date(2024, 3, 6)), 2),  # another date: another review
        (_layout(rating=None, published=DAY), 1),  # unknown rating, same date
        (_layout(product="Grinder"), 2),  # another product
        (_layout(FULL.replace("cord", "plug")), 2),  # not the same words
        (_layout(FULL[:60]), 2),  # shorter without being cut short: its own text
        (_layout(review_id="r-982"), 2),  # the site says two reviews
    ],
)
def test_what_tells_two_reviews_apart(engine: Engine, layout: ReviewItem, rows: int) -> None:
    _write(engine, [_api()], [layout])
    assert len(_rows(engine)) == rows


def test_the_same_long_text_under_two_names_read_the_same_way_is_two_reviews(
    engine: Engine,
) -> None:
    _write(engine, [_layout(FULL, author="c" * 16)], [_layout(FULL, author="d" * 16)])
    assert len(_rows(engine)) == 2


@pytest.mark.parametrize(
    ("words", "rows"),
    [
        ("Great!", 2),
        ("Super", 2),
        ("Works as expected, fast delivery, thanks", 2),  # 6 words
        ("Works as expected, fast delivery, thank you all", 1),  # 8 words
    ],
)
def test_a_short_text_is_many_peoples_review(engine: Engine, words: str, rows: int) -> None:
    """Below ``IDENTIFYING_WORDS`` words a text shared by an id-less copy (same rating, no
    date) is taken for another person's review; from it on, for the same review."""
    _write(engine, [_api(words)], [_layout(words)])
    assert len(_rows(engine)) == rows


def test_cut_text_and_copy_key() -> None:
    assert cut_text("A b…  Read more") == ("a b", True)
    assert cut_text("Waited... and waited... it broke.") == (
        "waited... and waited... it broke.",
        False,
    )
    assert copy_key(TEASER) == copy_key(FULL) is not None
    # a cut text needs a word more: its last one may be cut in the middle
    assert copy_key("one two three four five six seven eig…") is None
    assert copy_key("one two three four five six seven eight") is not None


def _import(engine: Engine, tmp_path: Path, *, new: bool = True) -> file_import.ImportReport:
    rows_file = tmp_path / "reviews.csv"
    rows_file.write_text(
        "id,author,date,text,rating,product\n"
        f'981,Anna Kowalska,2024-03-05,"{FULL}",4,Kettle\n'
        f',Anna K.,,"{FULL}",4,Kettle\n',
        encoding="utf-8",
    )
    return file_import.import_file(engine, rows_file, company="Rival", new_company=new)


def test_an_import_stores_a_review_listed_with_and_without_its_id_once(
    engine: Engine, tmp_path: Path
) -> None:
    report = _import(engine, tmp_path)
    assert (report.stored, report.duplicates) == (1, 1)
    assert [r[:3] for r in _rows(engine)] == [("981", 4.0, DAY)]


def test_an_import_again_with_the_id_stores_the_review_it_lacked_once(
    engine: Engine, tmp_path: Path
) -> None:
    """The file first without the id, then with both lines (the stored line after its new
    copy in the batch): the copy completes the stored review."""
    without = tmp_path / "without.csv"
    without.write_text(
        f'id,author,date,text,rating,product\n,Anna K.,,"{FULL}",4,Kettle\n', encoding="utf-8"
    )
    file_import.import_file(engine, without, company="Rival", new_company=True)
    report = _import(engine, tmp_path, new=False)
    assert (report.stored, report.duplicates) == (0, 2)
    assert [r[:3] for r in _rows(engine)] == [("981", 4.0, DAY)]


def test_the_importers_writing_child_stores_the_two_copies_once(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two lines in two batches, each written by the child process."""
    monkeypatch.setattr(file_import, "BATCH", 1)
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(file_import, "_second_core_free", lambda _: True)  # even under load
    monkeypatch.setattr(StoreProcess, "starting", lambda _: False)  # every batch to the child
    report = _import(engine, tmp_path)
    assert (report.stored, report.duplicates) == (1, 1)
    assert [r[:3] for r in _rows(engine)] == [("981", 4.0, DAY)]


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = open_database(pg_url)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_an_import_stores_a_review_listed_with_and_without_its_id_once_on_postgres(
    pg_engine: Engine, tmp_path: Path
) -> None:
    _import(pg_engine, tmp_path)
    assert [r[:3] for r in _rows(pg_engine)] == [("981", 4.0, DAY)]

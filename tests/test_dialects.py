"""Database quirks behind ``storage.dialects``: the same calls on the real SQLite and the real
PostgreSQL give the same results; URLs are understood per dialect."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.engine import make_url

from storage import dialects as storage_dialects
from storage.db import database_url, describe_url, make_engine
from storage.dialects import DIALECTS, STANDARD, PostgreSQL, SQLite, dialect_of

METADATA = MetaData()
THING = Table(
    "dialect_thing",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("key", String(20), nullable=False),
    Column("day", Date),
    UniqueConstraint("key"),
)

STAMP = Table(
    "dialect_stamp",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("key", String(20), nullable=False),
    Column("day", Date),
    Column("at", DateTime(timezone=True)),
    Column("score", Float),
    UniqueConstraint("key"),
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on each real database, with the test's table."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'dialects.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    METADATA.create_all(engine)
    yield engine
    engine.dispose()


def test_insert_ignoring_skips_duplicates_and_returns_new_ids(any_engine: Engine) -> None:
    dialect = dialect_of(any_engine)
    assert dialect is DIALECTS[any_engine.dialect.name]
    with any_engine.begin() as connection:
        statement = dialect.insert_ignoring(THING, ["key"]).returning(THING.c.id)
        first = connection.execute(statement, [{"key": "a"}, {"key": "b"}]).all()
        again = connection.execute(statement, [{"key": "b"}, {"key": "c"}]).all()
        keys = connection.execute(select(THING.c.key).order_by(THING.c.key)).scalars().all()
    assert len(first) == 2 and len(again) == 1
    assert keys == ["a", "b", "c"]


def test_insert_new_rows_counts_new_rows_and_stores_what_a_core_insert_stores(
    any_engine: Engine,
) -> None:
    dialect = dialect_of(any_engine)
    at = datetime(2025, 3, 9, 12, 30, 15, 123456, tzinfo=UTC)
    rows = [
        {"key": "a", "day": date(2025, 3, 9), "at": at, "score": 4.5},
        {"key": "b", "day": None, "at": at, "score": None},
        {"key": "c", "day": date(1999, 12, 31), "at": at, "score": 3},
    ]
    with any_engine.begin() as connection:
        assert dialect.insert_new_rows(connection, STAMP, rows[:2], ["key"]) == 2
        assert dialect.insert_new_rows(connection, STAMP, rows, ["key"]) == 1  # a, b stored
        assert dialect.insert_new_rows(connection, STAMP, [], ["key"]) == 0
        ours = connection.execute(select(STAMP).order_by(STAMP.c.key)).all()
        connection.execute(STAMP.delete())
        connection.execute(STAMP.insert(), rows)
        theirs = connection.execute(select(STAMP).order_by(STAMP.c.key)).all()
    assert [row[1:] for row in ours] == [row[1:] for row in theirs]
    assert [row.score for row in ours] == [4.5, None, 3.0]


def test_month_of_a_date_column(any_engine: Engine) -> None:
    with any_engine.begin() as connection:
        connection.execute(
            THING.insert(), [{"key": "x", "day": date(2025, 3, 9)}, {"key": "y", "day": None}]
        )
        months = connection.execute(
            select(dialect_of(connection).month_of(THING.c.day)).order_by(THING.c.key)
        ).scalars()
        assert list(months) == ["2025-03", None]


def test_lock_writers_holds_within_a_transaction(any_engine: Engine) -> None:
    with any_engine.begin() as connection:
        row_id = connection.execute(THING.insert().values(key="locked")).inserted_primary_key[0]
        dialect_of(connection).lock_writers(connection, THING, int(row_id))
        assert connection.execute(select(THING.c.key)).scalar_one() == "locked"  # row unchanged


@pytest.mark.postgres
def test_advisory_lock_waits_for_its_holder(pg_url: str) -> None:
    engine = make_engine(pg_url)
    dialect = dialect_of(engine)
    key = random.randrange(1, 2**31)  # the test database is shared: a key of our own
    waiting, done = threading.Event(), threading.Event()

    def second() -> None:
        with engine.connect() as connection, dialect.advisory_lock(connection, key, waiting.set):
            done.set()

    try:
        with engine.connect() as holder, dialect.advisory_lock(holder, key, lambda: None):
            thread = threading.Thread(target=second)
            thread.start()
            assert waiting.wait(30)
            assert not done.is_set()  # still waiting while we hold it
        thread.join(30)
        assert done.is_set()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "dialect", "described", "file", "shared"),
    [
        ("sqlite:///shop.db", SQLite, "SQLite file {cwd}/shop.db", "shop.db", True),
        ("sqlite:///:memory:", SQLite, "SQLite file {cwd}/:memory:", None, False),
        ("sqlite://", SQLite, "SQLite file {cwd}/:memory:", None, False),
        (
            "postgresql+psycopg://me:secret@db.invalid/shop",
            PostgreSQL,
            "postgresql+psycopg://me:***@db.invalid/shop",
            None,
            True,
        ),
        (
            "mysql://me:secret@db.invalid/shop",
            type(STANDARD),
            "mysql://me:***@db.invalid/shop",
            None,
            True,
        ),
    ],
)
def test_urls_per_dialect(
    url: str, dialect: type, described: str, file: str | None, shared: bool
) -> None:
    parsed = make_url(url)
    found = dialect_of(url)
    assert type(found) is dialect
    assert describe_url(url) == described.format(cwd=Path.cwd())
    assert found.database_file(parsed) == (None if file is None else Path(file))
    assert found.shares_data_across_connections(parsed) is shared


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://me@db.invalid/shop", "postgresql+psycopg://me@db.invalid/shop"),
        ("postgresql+psycopg://me@db.invalid/shop", "postgresql+psycopg://me@db.invalid/shop"),
        ("sqlite:///shop.db", "sqlite:///shop.db"),
    ],
)
def test_database_url_names_the_driver_we_ship(given: str, used: str) -> None:
    assert database_url(given) == used


@pytest.mark.parametrize(
    ("url", "said", "unsaid"),
    [
        # a port that is no number: SQLAlchemy's ValueError was a traceback in every command
        ("postgresql://me:secret@db.invalid:5432x/shop", "its port is not a number", "secret"),
        ("sqlite:/shop.db", "is not a database URL", None),
        # a scheme SQLAlchemy has no plugin or driver for: say what to write
        ("postgres://me@db.invalid/shop", "PostgreSQL's scheme is postgresql://", None),
        ("postgresql+psycopg2://me@db.invalid/shop", "postgresql+psycopg://", None),
        ("nonsense://x", "rivalscope uses sqlite:///", None),
    ],
)
def test_a_mistyped_url_says_what_to_write(url: str, said: str, unsaid: str | None) -> None:
    from storage.db import DatabaseError

    with pytest.raises(DatabaseError) as raised:
        make_engine(database_url(url))
    assert said in str(raised.value)
    assert unsaid is None or unsaid not in str(raised.value)


@pytest.mark.parametrize(
    ("denied", "said"),
    [
        ("folder", "is read-only: SQLite writes its journal beside the database"),
        ("file", "cannot be read and written by this user"),
        (None, None),
    ],
)
def test_a_sqlite_file_that_cannot_open_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, denied: str | None, said: str | None
) -> None:
    """SQLite's own "unable to open database file" for a database in a read-only folder (a
    mounted share, a backup) reads as if the file were missing. Root passes every
    permission check here, so the checks are refused by hand."""
    import os

    path = tmp_path / "shop.db"
    path.touch()
    barred = {"folder": tmp_path, "file": path}.get(denied or "")
    real = os.access
    monkeypatch.setattr(
        storage_dialects.os,
        "access",
        lambda where, mode: False if Path(where) == barred else real(where, mode),
    )
    found = DIALECTS["sqlite"].open_problem(make_url(f"sqlite:///{path}"))
    assert (found is None) if said is None else (said in (found or "")), found
    assert DIALECTS["sqlite"].open_problem(make_url(f"sqlite:///{tmp_path / 'none.db'}")) is None
    assert DIALECTS["postgresql"].open_problem(make_url("postgresql+psycopg://h.invalid/x")) is None


def test_sqlite_files_are_created_on_open_only_where_their_folder_exists(tmp_path: Path) -> None:
    sqlite = DIALECTS["sqlite"]
    existing = tmp_path / "there.db"
    existing.touch()
    assert sqlite.database_file(make_url(f"sqlite:///{existing}")) == existing
    assert sqlite.url_problem(make_url(f"sqlite:///{tmp_path / 'new.db'}")) is None
    problem = sqlite.url_problem(make_url(f"sqlite:///{tmp_path / 'missing' / 'x.db'}"))
    assert problem is not None and "does not exist" in problem
    assert (
        DIALECTS["postgresql"].database_file(make_url("postgresql+psycopg://db.invalid/x")) is None
    )


@pytest.fixture(params=[32_766, 999], ids=["limit-32766", "limit-999"])
def plain_sqlite(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """A SQLite engine with the test's tables, under each parameter limit SQLite has had."""
    monkeypatch.setattr("storage.dialects._max_parameters", lambda: request.param)
    engine = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    METADATA.create_all(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("count", [0, 1, 199, 200, 403])
def test_sqlite_plain_rows_go_many_to_a_statement_in_their_order(
    plain_sqlite: Engine, count: int
) -> None:
    engine = plain_sqlite
    limit = storage_dialects._max_parameters()
    rows = [
        (f"k{i}", None if i % 3 else date(2025, 1, 1 + i % 28).isoformat(), None, i / 7)
        for i in range(count)
    ]
    rows.reverse()  # stored in the order given, not sorted
    parameter_sets: list[int] = []

    def counted(_conn: object, _cursor: object, sql: str, parameters: object, *_: object) -> None:
        if sql.startswith("INSERT"):
            many = isinstance(parameters, list)
            parameter_sets.append(len(parameters) if many else 1)  # type: ignore[arg-type]

    event.listen(engine, "before_cursor_execute", counted)
    with engine.begin() as connection:
        SQLite().insert_plain_rows(connection, STAMP.name, ("key", "day", "at", "score"), rows)
        stored = connection.execute(select(STAMP).order_by(STAMP.c.id)).all()
    per_statement = min(200, limit // 4)
    assert [(r.key, r.day, r.at, r.score) for r in stored] == [
        (key, None if day is None else date.fromisoformat(day), None, score)
        for key, day, _, score in rows
    ]
    # one parameter set per ROWS_PER_INSERT rows (and one for the rest), not one per row
    assert sum(parameter_sets) == count // per_statement + (count % per_statement > 0)


@pytest.mark.parametrize("count", [0, 1, 998, 999, 2_500])
def test_sqlite_plain_delete_takes_rows_of_the_given_values_only(
    plain_sqlite: Engine, count: int
) -> None:
    rows = [(f"k{i}", None, None, float(i)) for i in range(3_000)]
    doomed = [float(i) for i in range(0, 2 * count, 2)]  # every other row, past the limit
    with plain_sqlite.begin() as connection:
        SQLite().insert_plain_rows(connection, STAMP.name, ("key", "day", "at", "score"), rows)
        SQLite().delete_plain_rows(connection, STAMP.name, "score", doomed)
        kept = connection.execute(select(STAMP.c.score).order_by(STAMP.c.id)).scalars().all()
    assert kept == [score for *_, score in rows if score not in set(doomed)]

"""What differs between the databases we support, in one place.

Each database is a ``Dialect`` registered under SQLAlchemy's dialect name (the way Scrapy
keys its feed storages by URI scheme); ``dialect_of(engine | connection | url)`` finds it,
and code elsewhere asks it for behaviour (``insert_ignoring``, ``month_of``, ...) instead of
comparing names. A database we do not know gets the base ``Dialect``: standard SQL only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import (
    URL,
    ColumnElement,
    Connection,
    Engine,
    Insert,
    Table,
    func,
    insert,
    literal_column,
    text,
    update,
)
from sqlalchemy.engine import make_url


class Dialect:
    """Standard SQL: what any database can do (and the defaults the others override)."""

    name = ""
    default_driver = ""
    """Driver used when a URL names none (``postgresql://`` means psycopg 3, which we ship)."""
    alter_in_batches = False
    """Alembic must copy a table to alter it (``render_as_batch``)."""
    plain_rows = False
    """Rows can go to the DB-API as plain tuples, dates and timestamps as ISO text, without
    SQLAlchemy's per-value processing (the analysis writer's fast path)."""
    advisory_locks = False
    """Has session-level advisory locks (``advisory_lock``)."""
    one_program_per_database = False
    """A database is one program's (a file): tables there without our schema revision are
    another program's, whatever their names. A server's database may hold other programs'
    tables beside ours."""

    def plain_date(self, value: date | None) -> object:
        """A date as a plain row carries it (``plain_rows``)."""
        return value

    def plain_timestamp(self, value: datetime) -> object:
        """A timestamp as a plain row carries it (``plain_rows``)."""
        return value

    def insert_plain_rows(
        self, connection: Connection, table: str, columns: tuple[str, ...], rows: list[Any]
    ) -> None:
        """Plain tuples straight to the DB-API's ``executemany`` (``plain_rows`` only)."""
        raise NotImplementedError(f"{self.name or 'this database'} takes no plain rows")

    def delete_plain_rows(
        self, connection: Connection, table: str, column: str, values: list[Any]
    ) -> None:
        """Delete the rows whose ``column`` is one of ``values``, the values going to the
        DB-API as they are (``plain_rows`` only)."""
        raise NotImplementedError(f"{self.name or 'this database'} takes no plain rows")

    def full_url(self, url: str) -> str:
        """``url`` with the driver we ship when it names none."""
        bare = f"{self.name}://"
        if self.default_driver and url.startswith(bare):
            return f"{self.name}+{self.default_driver}://" + url.removeprefix(bare)
        return url

    def describe(self, url: URL) -> str:
        """The database for messages (no password)."""
        return url.render_as_string(hide_password=True)

    def database_file(self, url: URL) -> Path | None:
        """The local file holding the database (None: a server, or memory)."""
        return None

    def url_problem(self, url: URL) -> str | None:
        """Why ``url`` cannot be opened, found before trying (None: nothing found)."""
        return None

    def open_problem(self, url: URL) -> str | None:
        """What in the user's setup may have stopped ``url`` from opening (None: nothing
        found), to say beside the driver's message."""
        return None

    def engine_options(self) -> dict[str, Any]:
        """Keyword arguments for ``create_engine``."""
        return {}

    def configure(self, engine: Engine) -> None:
        """Settings every new connection of ``engine`` needs."""

    def shares_data_across_connections(self, url: URL) -> bool:
        """A second connection sees the first one's data."""
        return True

    def bound_lock_waits(self, engine: Engine, seconds: float) -> None:
        """Statements on ``engine``'s new connections wait at most ``seconds`` for a lock
        another session holds, then fail (``lock_wait_expired``). Nothing where waits
        cannot be bounded."""

    def lock_wait_expired(self, exc: BaseException) -> bool:
        """``exc`` (the driver's exception) is a statement given up after
        ``bound_lock_waits``' wait."""
        return False

    def lock_holder(self, connection: Connection, waiting: Any) -> str | None:
        """The session holding a lock on this database's tables, for a message, other than
        ``waiting`` (the driver connection whose statement gave up); None where the database
        cannot tell."""
        return None

    def insert_ignoring(self, table: Table, conflict: list[str]) -> Insert:
        """An INSERT that skips rows violating the unique ``conflict`` columns, or any unique
        constraint when ``conflict`` is empty (standard SQL has none: a plain insert, so
        duplicates must be filtered before)."""
        return insert(table)

    def insert_new_rows(
        self, connection: Connection, table: Table, rows: list[dict[str, Any]], conflict: list[str]
    ) -> int:
        """Insert ``rows`` (dicts with the same keys), skipping those that violate the unique
        ``conflict`` columns; the number inserted.

        ``insert_ignoring`` compiled once and handed to the DB-API's ``executemany`` with each
        column's values converted by the column type's own bind processor, as SQLAlchemy
        would convert them: its per-row parameter handling (and RETURNING) cost more than
        the database's insert. The count is the driver's summed ``rowcount`` (sqlite3 and
        psycopg 3 sum it over ``executemany``); a driver that cannot count gets RETURNING.
        """
        if not rows:
            return 0
        if not connection.dialect.supports_sane_multi_rowcount:
            statement = self.insert_ignoring(table, conflict).returning(table.c.id)
            return len(connection.execute(statement, rows).all())
        columns = list(rows[0])
        compiled = (
            self.insert_ignoring(table, conflict)
            .inline()  # no RETURNING of the new ids
            .compile(dialect=connection.dialect, column_keys=columns)
        )
        values = []
        for name in columns:
            column = [row[name] for row in rows]
            kind = table.c[name].type.dialect_impl(connection.dialect)
            convert = kind.bind_processor(connection.dialect)
            values.append(column if convert is None else _converted(column, convert))
        if compiled.positional:
            where = {name: i for i, name in enumerate(columns)}
            order = [values[where[name]] for name in compiled.positiontup or ()]
            parameters: list[Any] = list(zip(*order, strict=True))
        else:
            names = [compiled.escaped_bind_names.get(name, name) for name in columns]
            parameters = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
        return int(connection.exec_driver_sql(compiled.string, parameters).rowcount)

    def prepare_bulk_insert(self, connection: Connection) -> None:
        """Settings for a connection about to insert many rows (an import's batches)."""

    def month_of(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        """``YYYY-MM`` of a date column stored as ISO text: the prefix, written with literal
        arguments so it matches the ``ix_review_segments`` expression index."""
        return func.substr(column, literal_column("1"), literal_column("7"))

    def lock_writers(self, connection: Connection, table: Table, row_id: int) -> None:
        """Until the transaction ends, other transactions writing this row wait: taken by
        writing the row (unchanged), which also takes a database-wide write lock where
        there is one."""
        connection.execute(update(table).where(table.c.id == row_id).values(id=row_id))

    @contextmanager
    def schema_change(self, engine: Engine) -> Iterator[Connection]:
        """A connection whose one transaction holds a whole schema upgrade: committed at the
        end of the block, or nothing of it (an error, a kill). Two processes upgrading the
        same database take turns; the second then finds the schema current."""
        with engine.begin() as connection:
            self.lock_schema(connection)
            yield connection

    def lock_schema(self, connection: Connection) -> None:
        """Until the transaction ends, other ``schema_change`` transactions wait."""

    @contextmanager
    def advisory_lock(
        self, connection: Connection, key: int, on_wait: Callable[[], None]
    ) -> Iterator[None]:
        """Hold the session lock ``key`` for the block (``advisory_locks`` dialects only)."""
        raise NotImplementedError(f"{self.name or 'this database'} has no advisory locks")
        yield


BULK_CACHE_KB = 32_000
"""SQLite page cache (KiB) of a connection inserting an import's batches."""
ROWS_PER_INSERT = 200
"""Rows per INSERT statement of ``SQLite.insert_plain_rows`` (within the parameter limit)."""


def _max_parameters() -> int:
    """Host parameters one SQLite statement may hold: 32,766 since SQLite 3.32, 999 before."""
    return 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999


class SQLite(Dialect):
    name = "sqlite"
    alter_in_batches = True
    plain_rows = True  # the pysqlite driver takes ``?`` parameters and text dates as they are
    one_program_per_database = True

    def describe(self, url: URL) -> str:
        return f"SQLite file {Path(url.database or ':memory:').resolve()}"

    def database_file(self, url: URL) -> Path | None:
        if not url.database or url.database == ":memory:":
            return None
        return Path(url.database)

    def url_problem(self, url: URL) -> str | None:
        path = self.database_file(url)
        if path is None:
            return None
        parent = path.expanduser().resolve().parent
        return (
            None if parent.is_dir() else f"folder {parent} for the SQLite database does not exist"
        )

    def open_problem(self, url: URL) -> str | None:
        # SQLite says "unable to open database file" for a file it may read but not write
        # beside: its journal (WAL) goes next to it, so the folder must be writable too.
        path = self.database_file(url)
        if path is None or not path.is_file():
            return None
        folder = path.expanduser().resolve().parent
        if not os.access(folder, os.W_OK | os.X_OK):
            return (
                f"the folder {folder} is read-only: SQLite writes its journal beside the "
                "database, so copy the file to a folder you can write to"
            )
        if not os.access(path, os.R_OK | os.W_OK):
            return f"{path} cannot be read and written by this user"
        return None

    def engine_options(self) -> dict[str, Any]:
        return {"connect_args": {"timeout": 30}}

    def configure(self, engine: Engine) -> None:
        from sqlalchemy import event

        event.listen(engine, "connect", _sqlite_pragmas)

    def shares_data_across_connections(self, url: URL) -> bool:
        return self.database_file(url) is not None  # each in-memory connection is its own

    def bound_lock_waits(self, engine: Engine, seconds: float) -> None:
        from sqlalchemy import event

        milliseconds = max(int(seconds * 1000), 1)  # 0 would be "never wait"

        def _busy_timeout(dbapi_connection: Any, _record: Any) -> None:
            # after _sqlite_pragmas (listeners run in the order they were added)
            dbapi_connection.execute(f"PRAGMA busy_timeout={milliseconds}")

        event.listen(engine, "connect", _busy_timeout)

    def lock_wait_expired(self, exc: BaseException) -> bool:
        # SQLITE_BUSY itself: the busy timeout ran out. Not SQLITE_BUSY_SNAPSHOT (a WAL
        # transaction that read before another wrote cannot write): no wait there.
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY

    def plain_date(self, value: date | None) -> object:
        # As SQLAlchemy's SQLite DATE type stores it.
        return value.isoformat() if value is not None else None

    def plain_timestamp(self, value: datetime) -> object:
        # As SQLAlchemy's SQLite DATETIME type stores it.
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")

    def insert_plain_rows(
        self, connection: Connection, table: str, columns: tuple[str, ...], rows: list[Any]
    ) -> None:
        # Many rows per INSERT statement: the driver binds and steps one statement per
        # ROWS_PER_INSERT rows, not one per row (the analysis's 550k rows of 20,000 reviews:
        # 3.3 -> 2.4 CPU seconds). Rows are inserted in the given order either way.
        per_statement = max(1, min(ROWS_PER_INSERT, _max_parameters() // len(columns)))
        one = f"({', '.join('?' * len(columns))})"
        start = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        whole = len(rows) - len(rows) % per_statement
        if whole:
            connection.exec_driver_sql(
                start + ", ".join([one] * per_statement),
                [
                    tuple(chain.from_iterable(rows[i : i + per_statement]))
                    for i in range(0, whole, per_statement)
                ],
            )
        if whole < len(rows):
            connection.exec_driver_sql(
                start + ", ".join([one] * (len(rows) - whole)),
                tuple(chain.from_iterable(rows[whole:])),
            )

    def delete_plain_rows(
        self, connection: Connection, table: str, column: str, values: list[Any]
    ) -> None:
        # One statement per parameter limit's worth of values, its placeholders written
        # out: SQLAlchemy's expanding IN renders and processes each value in Python (the
        # deletes of the analysis's write batches, 20,000 reviews: most of a second of the
        # writes' CPU when there was nothing to delete).
        per_statement = _max_parameters()
        for start in range(0, len(values), per_statement):
            part = tuple(values[start : start + per_statement])
            connection.exec_driver_sql(
                f"DELETE FROM {table} WHERE {column} IN ({', '.join('?' * len(part))})", part
            )

    def prepare_bulk_insert(self, connection: Connection) -> None:
        # A 32 MB page cache (the default is 2 MB) keeps the review table's indexes in
        # memory while an import fills them: 200k reviews insert with 20% less CPU
        # (3.5 -> 2.8 s). The cache is the connection's: it grows only as pages are read.
        connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KB}")

    @contextmanager
    def schema_change(self, engine: Engine) -> Iterator[Connection]:
        # The driver begins a transaction only before INSERT, UPDATE or DELETE: the DDL
        # before a migration's first one would commit at once (a failed or killed upgrade
        # left, e.g., its new columns in a database whose revision says it lacks them: the
        # next open failed on "duplicate column"). BEGIN IMMEDIATE holds all of it, and
        # makes a second upgrader wait. Foreign keys are off meanwhile, as SQLite's ALTER
        # TABLE procedure says: Alembic copies a table to alter it, and dropping the old
        # copy of a referenced table fails with them on; they are checked before commit.
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise RuntimeError(f"the schema upgrade broke a foreign key of {broken[0]}")
                connection.commit()
            finally:
                connection.rollback()  # nothing left to undo after the commit
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()

    def insert_ignoring(self, table: Table, conflict: list[str]) -> Insert:
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing(index_elements=conflict or None)


def _converted(column: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` applied to each value, once per distinct value (a batch's rows share their
    timestamp and a few hundred dates); equal values convert equally."""
    try:
        done = {value: convert(value) for value in set(column)}
    except TypeError:  # an unhashable value
        return list(map(convert, column))
    return list(map(done.__getitem__, column))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the report read while a crawl writes; NORMAL sync is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class PostgreSQL(Dialect):
    name = "postgresql"
    default_driver = "psycopg"
    advisory_locks = True

    def insert_ignoring(self, table: Table, conflict: list[str]) -> Insert:
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing(index_elements=conflict or None)

    def month_of(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        return func.to_char(column, "YYYY-MM")

    def lock_schema(self, connection: Connection) -> None:
        # The two-key form: a key space apart from ``lock_writers``' row ids.
        connection.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), SCHEMA_LOCK)

    def lock_writers(self, connection: Connection, table: Table, row_id: int) -> None:
        # An advisory lock instead of a row write: readers and other rows are not held.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": row_id})

    def bound_lock_waits(self, engine: Engine, seconds: float) -> None:
        from sqlalchemy import event

        milliseconds = max(int(seconds * 1000), 1)  # 0 would be PostgreSQL's "wait forever"

        def _lock_timeout(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {milliseconds}")
            dbapi_connection.commit()  # a SET in a transaction rolled back would be undone

        event.listen(engine, "connect", _lock_timeout)

    def lock_wait_expired(self, exc: BaseException) -> bool:
        # SQLSTATE 55P03 lock_not_available: "canceling statement due to lock timeout"
        return getattr(exc, "sqlstate", None) == "55P03"

    def lock_holder(self, connection: Connection, waiting: Any) -> str | None:
        # The oldest transaction holding more than a read's lock on a table of our schema:
        # a LOCK TABLE, a migration, or a writer (whose row locks come with a RowExclusive
        # lock on the table). Another schema's sessions in the same database are left out.
        waiting_pid = getattr(getattr(waiting, "info", None), "backend_pid", None)
        row = connection.execute(
            text(
                "SELECT a.application_name, a.pid, "
                "extract(epoch FROM now() - a.xact_start) "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "JOIN pg_class c ON c.oid = l.relation "
                "WHERE l.granted AND l.locktype = 'relation' AND l.mode <> 'AccessShareLock' "
                "AND c.relnamespace = current_schema()::regnamespace "
                "AND l.pid <> pg_backend_pid() AND l.pid IS DISTINCT FROM :waiting "
                "ORDER BY a.xact_start LIMIT 1"
            ),
            {"waiting": waiting_pid},
        ).first()
        if row is None:
            return None
        name, pid, seconds = row
        who = f"{name!r}" if name else "a session"
        held = f", in a transaction for {float(seconds):.0f} s" if seconds is not None else ""
        return f"held by {who}, server pid {pid}{held}"

    @contextmanager
    def advisory_lock(
        self, connection: Connection, key: int, on_wait: Callable[[], None]
    ) -> Iterator[None]:
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        if not got.scalar_one():
            on_wait()
            # Waited for as long as the holder works (another analyze, said by on_wait),
            # not cut short by ``bound_lock_waits``: for this transaction only.
            connection.execute(text("SELECT set_config('lock_timeout', '0', true)"))
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


SCHEMA_LOCK = {"a": 0x72697661, "b": 0x6C736368}
"""The advisory lock key of ``PostgreSQL.lock_schema``."""


DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLite(), PostgreSQL())}
"""SQLAlchemy dialect name -> its quirks."""
STANDARD = Dialect()


def dialect_of(bind: Engine | Connection | URL | str) -> Dialect:
    """The quirks of the database behind an engine, a connection or a URL."""
    if isinstance(bind, Engine | Connection):
        name = bind.dialect.name
    else:
        name = (make_url(bind) if isinstance(bind, str) else bind).get_backend_name()
    return DIALECTS.get(name, STANDARD)


def full_url(url: str) -> str:
    """``url`` with the driver we ship when it names none (before it is parsed)."""
    scheme = url.split("://", 1)[0]
    return DIALECTS.get(scheme, STANDARD).full_url(url)

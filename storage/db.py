"""Engines, sessions and schema upgrades.

The database is chosen, in order, by an explicit URL, the ``RIVALSCOPE_DATABASE_URL``
environment variable, or ``sqlite:///rivalscope.db`` in the current folder. Opening a
database brings its schema to the newest Alembic revision, so a user never runs
migrations by hand.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DatabaseError as DriverDatabaseError

from settings.pause_points import pause_point
from settings.user_errors import UserError
from storage.dialects import dialect_of, full_url

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import ExceptionContext

DEFAULT_DATABASE_URL = "sqlite:///rivalscope.db"
DATABASE_URL_ENV = "RIVALSCOPE_DATABASE_URL"
LOCK_WAIT_ENV = "RIVALSCOPE_LOCK_WAIT_S"
DEFAULT_LOCK_WAIT_S = 10.0
"""Seconds a reading command (export, report) waits for a lock another session holds on a
table it reads (``LOCK TABLE``, a migration), before it says so and stops."""
WRITE_LOCK_WAIT_ENV = "RIVALSCOPE_WRITE_LOCK_WAIT_S"
DEFAULT_WRITE_LOCK_WAIT_S = 60.0
"""Seconds a writing command (analyze, db merge-copies, db read-as) waits for a lock another
session holds on a table it writes. Longer than a reader's: a crawl's, import's or merge's
transactions each hold one batch, so a writer behind one waits seconds, and a writer that
gives up has a run to start again; what waits a minute is a session left holding a lock
(a ``LOCK TABLE`` in a forgotten psql, another process's long upgrade)."""
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0021"
"""The newest migration's revision (a test checks it against Alembic's scripts)."""
PAUSE_POINT = "schema-upgraded"
"""Tests' pause point (``settings.pause_points``): an upgrade's migrations run, not
committed, the schema lock held (count 0)."""


class DatabaseError(UserError):
    """The database cannot be opened; the message says why and what to do."""


@dataclass(frozen=True)
class LockWaits:
    """How long a command's statements wait for another session's lock, and what it says
    when one waited too long (``open_database(bounded_waits=...)``)."""

    env: str
    """The environment variable giving the seconds."""
    default_s: float
    does: str
    """What the command does to the tables it waits for ("reads", "writes")."""
    instead: str
    """The longer wait the message suggests."""


READING = LockWaits(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT_S, "reads", "60")
WRITING = LockWaits(WRITE_LOCK_WAIT_ENV, DEFAULT_WRITE_LOCK_WAIT_S, "writes", "600")


def database_url(explicit: str | None = None) -> str:
    """The URL to use: explicit, else the environment, else the SQLite default."""
    return full_url(explicit or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL)


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return url
    return dialect_of(parsed).describe(parsed)


EXAMPLE_URLS = "sqlite:///rivalscope.db or postgresql+psycopg://user@host/dbname"
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")
"""The password in a URL SQLAlchemy cannot parse (so cannot hide)."""


def make_engine(url: str) -> Engine:
    """An engine with the settings we rely on (``storage.dialects``: SQLite's WAL, foreign
    keys, busy wait)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        why = " (its port is not a number)" if isinstance(exc, ValueError) else ""
        shown = _PASSWORD.sub(r"\1***@", url)
        raise DatabaseError(
            f"{shown!r} is not a database URL{why}; use e.g. {EXAMPLE_URLS}"
        ) from None
    dialect = dialect_of(parsed)
    problem = dialect.url_problem(parsed)
    if problem is not None:
        raise DatabaseError(problem)
    try:
        engine = create_engine(url, **dialect.engine_options())
    except Exception as exc:  # missing driver, bad options
        raise DatabaseError(
            f"cannot use {describe_url(url)}: {exc}{_scheme_hint(parsed.drivername)}"
        ) from None
    dialect.configure(engine)
    return engine


def _scheme_hint(drivername: str) -> str:
    """What to write instead of a scheme SQLAlchemy has no plugin or driver for."""
    backend = drivername.partition("+")[0]
    if backend in ("postgres", "pgsql", "psql", "postgre", "postgresq"):
        return "; PostgreSQL's scheme is postgresql:// (e.g. postgresql+psycopg://user@host/dbname)"
    if backend == "postgresql":
        return "; the driver rivalscope ships is psycopg: postgresql+psycopg://user@host/dbname"
    return f"; rivalscope uses {EXAMPLE_URLS}"


def schema_revision(engine: Engine) -> str | None:
    """The database's Alembic revision (None: no schema yet)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_schema(engine: Engine) -> None:
    """Apply every Alembic migration the database does not have yet."""
    if schema_revision(engine) == HEAD_REVISION:
        return  # up to date: every command skips importing Alembic (~0.2 s)
    from alembic import command
    from alembic.config import Config

    import storage.schema  # noqa: F401  (registers every table on the metadata)

    _refuse_foreign_tables(engine)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    revision = schema_revision(engine)
    if revision is not None and not _known_revision(config, revision):
        raise _Unusable(
            f"its schema revision {revision!r} is not one this rivalscope knows (newest: "
            f"{HEAD_REVISION}): a newer rivalscope wrote it; upgrade rivalscope or use "
            "another database"
        )
    with dialect_of(engine).schema_change(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # reads the revision again: another may have upgraded
        pause_point(PAUSE_POINT, 0)


def _known_revision(config: Config, revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        ScriptDirectory.from_config(config).get_revision(revision)
    except CommandError:
        return False
    return True


def _refuse_foreign_tables(engine: Engine) -> None:
    """DatabaseError if tables named like ours exist without our revision, or (a database
    that is one program's: a SQLite file) any tables without our revision table: another
    program's database, which the first migration would fill with our tables (or fail on a
    name they share)."""
    if schema_revision(engine) is not None:
        return
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
    foreign = sorted(set(tables) & set(SQLModel.metadata.tables))
    if not foreign and dialect_of(engine).one_program_per_database:
        foreign = [] if "alembic_version" in tables else tables
    if foreign:
        raise _Unusable(
            f"it holds other tables than rivalscope's (e.g. {foreign[0]}) and no rivalscope "
            "schema; use a new file or database for rivalscope"
        )


class _Unusable(Exception):
    """The database is not one rivalscope can use (another program's, or a newer schema)."""


_ENVIRONMENT_PROBLEMS = (
    "attempt to write a readonly database",
    "database or disk is full",
    "disk i/o error",
    "unable to open database file",
    "database is locked",
    "read-only transaction",
    "no space left on device",
    "could not connect to server",
    "connection refused",
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "database disk image is malformed",
    "file is not a database",
)
_DAMAGED = ("database disk image is malformed", "file is not a database")
"""Damage found after opening (a page deep in a table): said with what to do about it."""


def lock_wait_seconds(waits: LockWaits = READING) -> float:
    """How long a command waits for another session's lock: the seconds in ``waits.env``,
    else ``waits.default_s``."""
    given = os.environ.get(waits.env, "").strip()
    if not given:
        return waits.default_s
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 10**6:
        raise DatabaseError(f"{waits.env} must be a number of seconds above 0, not {given!r}")
    return seconds


def environment_error(exc: BaseException) -> DatabaseError | None:
    """A DatabaseError for a driver error the user's setup caused after the database was
    opened (a read-only file, a full disk, a server gone), else None (a bug: let it show).
    A lock waited for too long is said where the wait was bounded (``_say_lock_waits``)."""
    if not isinstance(exc, DriverDatabaseError):
        return None
    reason = " ".join(str(exc.orig).split())
    if not any(problem in reason.lower() for problem in _ENVIRONMENT_PROBLEMS):
        return None
    if any(problem in reason.lower() for problem in _DAMAGED):
        reason += " (the file is damaged: restore it from a backup, or try sqlite3's .recover)"
    return DatabaseError(f"database: {reason}")


def _say_lock_waits(engine: Engine, waits: LockWaits, seconds: float) -> None:
    """A statement of ``engine`` given up after ``seconds`` waiting for another session's
    lock raises a DatabaseError saying so, and who holds it when that can be told: the
    transaction it ran in is rolled back as it propagates (nothing of it is kept)."""
    dialect = dialect_of(engine)
    looking: list[bool] = []  # the holder's lookup waited too: said without looking again

    def said(context: ExceptionContext) -> None:
        if not dialect.lock_wait_expired(context.original_exception):
            return
        holder = None
        if not looking:
            looking.append(True)
            try:
                holder = _lock_holder(engine, context)
            finally:
                looking.clear()
        raise DatabaseError(
            f"database: another session holds a lock on a table this command {waits.does} "
            f"({holder or 'a crawl, import, analyze or upgrade writing, or a LOCK TABLE'}): "
            f"gave up after {seconds:g} s; retry when it has finished, or wait longer with "
            f"{waits.env}={waits.instead}"
        ) from None

    event.listen(engine, "handle_error", said)


def _lock_holder(engine: Engine, context: ExceptionContext) -> str | None:
    """Who holds the lock a statement waited for, as far as can be told: the session the
    database names (PostgreSQL), else a crawl or import recorded as writing now."""
    session = context.connection
    waiting = None if session is None or session.closed else session.connection.dbapi_connection
    try:
        with engine.connect() as connection:
            holder = dialect_of(engine).lock_holder(connection, waiting)
        if holder is not None:
            return holder
        from storage.run_history import running_now

        running = running_now(engine)
    except (DriverDatabaseError, DatabaseError):  # the lookup waited too: nothing said
        return None
    if not running:
        return None
    name, run = running[0]
    return f"run {run.id} of {name} is writing"


def open_database(
    url: str | None = None,
    *,
    upgrade: bool = True,
    existing: bool = False,
    bounded_waits: LockWaits | None = None,
) -> Engine:
    """Open (and create or upgrade) the database; raises DatabaseError for humans.
    ``existing``: a command that only reads what was collected refuses to create a new,
    empty database (a mistyped path would read as "nothing found"). ``bounded_waits``
    (``READING``, ``WRITING``): its statements wait at most ``lock_wait_seconds`` for another
    session's lock, then the command says so (``_say_lock_waits``) instead of waiting
    without end."""
    resolved = database_url(url)
    engine = make_engine(resolved)
    if bounded_waits is not None:
        try:
            seconds = lock_wait_seconds(bounded_waits)
        except DatabaseError:
            engine.dispose()
            raise
        dialect_of(engine).bound_lock_waits(engine, seconds)
        _say_lock_waits(engine, bounded_waits, seconds)
    if existing:
        parsed = make_url(resolved)
        path = dialect_of(parsed).database_file(parsed)
        if path is not None and not path.exists():  # a folder or a dead file: said below
            engine.dispose()
            raise DatabaseError(
                f"no database at {describe_url(resolved)}: nothing is collected there yet. "
                "Run `rivalscope crawl`, `rivalscope import` or `rivalscope demo` first, or "
                f"name your database with --db or {DATABASE_URL_ENV}"
            )
    try:
        if upgrade:
            upgrade_schema(engine)
        else:
            inspect(engine).get_table_names()
    except _Unusable as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open {describe_url(resolved)}: {exc}") from None
    except DriverDatabaseError as exc:  # OperationalError, and "file is not a database"
        engine.dispose()
        reason = " ".join(str(exc.orig).split())  # the driver's message may span lines
        why = dialect_of(resolved).open_problem(make_url(resolved))
        raise DatabaseError(
            f"cannot open {describe_url(resolved)}: {reason}{f' ({why})' if why else ''}"
        ) from None
    return engine

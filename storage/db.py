"""Engines, sessions and schema upgrades.

The database is chosen, in order, by an explicit URL, the ``RIVALSCOPE_DATABASE_URL``
environment variable, or ``sqlite:///rivalscope.db`` in the current folder. Opening a
database brings its schema to the newest Alembic revision, so a user never runs
migrations by hand.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DatabaseError as DriverDatabaseError

from settings.user_errors import UserError
from storage.dialects import dialect_of, full_url, lock_wait_expired

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_DATABASE_URL = "sqlite:///rivalscope.db"
DATABASE_URL_ENV = "RIVALSCOPE_DATABASE_URL"
LOCK_WAIT_ENV = "RIVALSCOPE_LOCK_WAIT_S"
DEFAULT_LOCK_WAIT_S = 10.0
"""Seconds a reading command (export, report) waits for a lock another session holds on a
table it reads (``LOCK TABLE``, a migration), before it says so and stops."""
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0019"
"""The newest migration's revision (a test checks it against Alembic's scripts)."""


class DatabaseError(UserError):
    """The database cannot be opened; the message says why and what to do."""


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


def _known_revision(config: Config, revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        ScriptDirectory.from_config(config).get_revision(revision)
    except CommandError:
        return False
    return True


def _refuse_foreign_tables(engine: Engine) -> None:
    """DatabaseError if tables named like ours exist without our revision: another program's
    database. Checked first because SQLite's DDL is not transactional: the first migration
    would add our tables to that file before failing on the name they share."""
    if schema_revision(engine) is not None:
        return
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        shared = sorted(set(inspect(connection).get_table_names()) & set(SQLModel.metadata.tables))
    if shared:
        raise _Unusable(
            f"it holds other tables than rivalscope's (e.g. {shared[0]}) and no rivalscope "
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


def lock_wait_seconds() -> float:
    """How long a reading command waits for another session's lock: ``RIVALSCOPE_LOCK_WAIT_S``
    (seconds), else ``DEFAULT_LOCK_WAIT_S``."""
    given = os.environ.get(LOCK_WAIT_ENV, "").strip()
    if not given:
        return DEFAULT_LOCK_WAIT_S
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 10**6:
        raise DatabaseError(f"{LOCK_WAIT_ENV} must be a number of seconds above 0, not {given!r}")
    return seconds


def environment_error(exc: BaseException) -> DatabaseError | None:
    """A DatabaseError for a driver error the user's setup caused after the database was
    opened (a read-only file, a full disk, a server gone, another session's lock held past
    ``lock_wait_seconds``), else None (a bug: let it show)."""
    if not isinstance(exc, DriverDatabaseError):
        return None
    if lock_wait_expired(exc):
        return DatabaseError(
            "database: another session holds a lock on a table this command reads (a crawl, "
            f"import or upgrade writing, or a LOCK TABLE): gave up after {lock_wait_seconds():g} "
            f"s; retry when it has finished, or wait longer with {LOCK_WAIT_ENV}=60"
        )
    reason = " ".join(str(exc.orig).split())
    if not any(problem in reason.lower() for problem in _ENVIRONMENT_PROBLEMS):
        return None
    if any(problem in reason.lower() for problem in _DAMAGED):
        reason += " (the file is damaged: restore it from a backup, or try sqlite3's .recover)"
    return DatabaseError(f"database: {reason}")


def open_database(
    url: str | None = None,
    *,
    upgrade: bool = True,
    existing: bool = False,
    bounded_waits: bool = False,
) -> Engine:
    """Open (and create or upgrade) the database; raises DatabaseError for humans.
    ``existing``: a command that only reads what was collected refuses to create a new,
    empty database (a mistyped path would read as "nothing found"). ``bounded_waits``: its
    statements wait at most ``lock_wait_seconds`` for another session's lock (a reading
    command says so, ``environment_error``, instead of waiting without end)."""
    resolved = database_url(url)
    engine = make_engine(resolved)
    if bounded_waits:
        try:
            dialect_of(engine).bound_lock_waits(engine, lock_wait_seconds())
        except DatabaseError:
            engine.dispose()
            raise
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

"""One ``analyze`` at a time per database.

Two analyses at once would each train the same new model version and analyse the same
pending reviews (on PostgreSQL, each replacing the other's rows). The lock is one the
operating system or the database drops by itself when its holder dies, even by kill -9:
an ``flock`` on a file beside a SQLite database, a session advisory lock on PostgreSQL.
A second ``analyze`` waits for the first, then finds the work done.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from storage.dialects import dialect_of

ADVISORY_KEY = 0x72697661  # "riva": the analysis lock among the database's advisory locks


def _quiet(_: str) -> None:
    return None


@contextmanager
def exclusive_analysis(engine: Engine, on_wait: Callable[[str], None] = _quiet) -> Iterator[None]:
    """Hold the database's analysis lock for the block (waiting for it if it is taken)."""
    dialect = dialect_of(engine)

    def waiting() -> None:
        on_wait("another analyze is running on this database; waiting for it")

    if dialect.advisory_locks:
        with (
            engine.connect() as connection,
            dialect.advisory_lock(connection, ADVISORY_KEY, waiting),
        ):
            yield
        return
    database = dialect.database_file(engine.url)
    if database is not None:
        path = Path(f"{database}.analyze.lock")
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            # A folder we cannot write to: the database cannot be written either, and
            # the analysis will say so.
            yield
            return
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the lock
        return
    yield

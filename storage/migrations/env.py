"""Alembic environment: runs on the connection ``storage.db.upgrade_schema`` passes in,
or on ``RIVALSCOPE_DATABASE_URL`` when called through the ``alembic`` command."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.db import database_url, make_engine
from storage.dialects import dialect_of
from storage.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=dialect_of(connection).alter_in_batches,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(database_url())
    with engine.begin() as conn:
        _run(conn)

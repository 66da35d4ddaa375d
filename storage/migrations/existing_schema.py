"""What a migration finds already done: rivalscope before ``Dialect.schema_change`` ran a
SQLite upgrade's first DDL outside its transaction, so an upgrade that failed (0012 on a
database holding products) or was killed left the first pending migration's new columns
in a database whose revision says it lacks them (0012's new table and index, and the copy
of a table Alembic's batch mode makes to alter it). Those migrations add only what is
missing, drop such copies, and such a database upgrades like any other."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def add_missing_columns(table: str, columns: list[sa.Column[object]]) -> None:
    """Add to ``table`` those of ``columns`` it does not have yet."""
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            if column.name not in present:
                batch_op.add_column(column)


def has_table(table: str) -> bool:
    """The database holds ``table`` (left by a failed upgrade: empty, its rows rolled back
    with the rest)."""
    return bool(sa.inspect(op.get_bind()).has_table(table))


def has_index(table: str, index: str) -> bool:
    return any(found["name"] == index for found in sa.inspect(op.get_bind()).get_indexes(table))


def drop_batch_copies(tables: list[str]) -> None:
    """Drop the copies of ``tables`` a failed upgrade left: Alembic's batch mode creates the
    altered table as ``_alembic_tmp_<table>`` (committed at once) before filling it, and
    creating it again would fail."""
    for table in tables:
        if has_table(f"_alembic_tmp_{table}"):
            op.drop_table(f"_alembic_tmp_{table}")

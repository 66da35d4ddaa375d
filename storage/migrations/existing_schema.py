"""What a migration finds already done: rivalscope before ``Dialect.schema_change`` ran a
SQLite upgrade's first DDL outside its transaction, so an upgrade that failed (0012 on a
database holding products) or was killed left the first pending migration's new columns
in a database whose revision says it lacks them. Those migrations add only what is missing,
and such a database upgrades like any other."""

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

"""Tables read from the database's own schema (reflected), kept per engine.

Reflecting builds new ``Table`` objects, and SQLAlchemy's compiled-statement cache keys a
statement by the tables in it: a statement over a table reflected anew on every call is
compiled anew and takes a new cache entry each time (the long-running scheduler's report
and alerts did so after every round, each entry holding its reflected tables, until the
engine's cache evicted them). Keeping one reflection per engine, table and column list
reuses the compiled statements; a changed column list (a migration) reflects again.
"""

from __future__ import annotations

import weakref

from sqlalchemy import Connection, Engine, MetaData, Table, inspect

_REFLECTED: weakref.WeakKeyDictionary[Engine, dict[tuple[str, tuple[str, ...]], Table]] = (
    weakref.WeakKeyDictionary()
)


def reflected_table(connection: Connection, name: str) -> Table:
    """Table ``name`` as the database has it (foreign keys not followed), reflected once per
    engine and column list."""
    columns = tuple(column["name"] for column in inspect(connection).get_columns(name))
    tables = _REFLECTED.setdefault(connection.engine, {})
    key = (name, columns)
    table = tables.get(key)
    if table is None:
        table = Table(name, MetaData(), autoload_with=connection, resolve_fks=False)
        tables[key] = table
    return table

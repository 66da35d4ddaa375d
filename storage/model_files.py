"""Sentiment model versions kept in the database itself (``sentiment_model_file``).

A database without a file of its own (PostgreSQL, shared by several machines and cron jobs)
keeps the files of each trained model version here, so that every command on every machine
scores with the same version (and bounds key phrases with the same learnt function words,
a file of the version too). A version's files are written in one transaction: a killed
``analyze`` leaves the previous version the newest, never half of a new one. The files are
opaque bytes to this layer (``compare.analysis`` writes and reads them).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, LargeBinary, Table, func, select
from sqlmodel import Field, SQLModel


class SentimentModelFile(SQLModel, table=True):
    """One file of one trained model version (``meta.json``, ``<language>.pkl``)."""

    __tablename__ = "sentiment_model_file"

    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    """1, 2, ...: the newest version is the one in use."""
    name: str = Field(primary_key=True, max_length=100)
    content: bytes = Field(sa_type=LargeBinary)


MODEL_FILE: Table = SentimentModelFile.__table__  # type: ignore[attr-defined]


def newest_model_version(engine: Engine) -> int | None:
    """The newest stored version (None: no model was stored yet)."""
    with engine.connect() as connection:
        found = connection.execute(select(func.max(MODEL_FILE.c.version))).scalar_one()
    return None if found is None else int(found)


def model_file(engine: Engine, version: int, name: str) -> bytes | None:
    """One file of a stored version (None if it has no such file)."""
    query = select(MODEL_FILE.c.content).where(
        MODEL_FILE.c.version == version, MODEL_FILE.c.name == name
    )
    with engine.connect() as connection:
        found = connection.execute(query).scalar_one_or_none()
    return None if found is None else bytes(found)


def model_files(
    engine: Engine, version: int, names: Collection[str] | None = None
) -> dict[str, bytes]:
    """Name -> content of every file of a stored version (or of those of ``names`` it has)."""
    query = select(MODEL_FILE.c.name, MODEL_FILE.c.content).where(MODEL_FILE.c.version == version)
    if names is not None:
        query = query.where(MODEL_FILE.c.name.in_(sorted(names)))
    with engine.connect() as connection:
        return {str(name): bytes(content) for name, content in connection.execute(query)}


def store_model_files(engine: Engine, files: dict[str, bytes]) -> int:
    """Store ``files`` as the version one past the newest, in one transaction; returns it."""
    with engine.begin() as connection:
        newest = connection.execute(select(func.max(MODEL_FILE.c.version))).scalar_one()
        version = 1 if newest is None else int(newest) + 1
        connection.execute(
            MODEL_FILE.insert(),
            [
                {"version": version, "name": name, "content": content}
                for name, content in sorted(files.items())
            ],
        )
    return version


def replace_newest_model_file(engine: Engine, name: str, content: bytes) -> int:
    """Make ``content`` the file ``name`` of the newest version (of a first version holding
    only it when none is stored), in one transaction; returns that version. For a file
    learnt apart from the models (the function words), whose version keeps its models."""
    with engine.begin() as connection:
        newest = connection.execute(select(func.max(MODEL_FILE.c.version))).scalar_one()
        version = 1 if newest is None else int(newest)
        connection.execute(
            MODEL_FILE.delete().where(MODEL_FILE.c.version == version, MODEL_FILE.c.name == name)
        )
        connection.execute(
            MODEL_FILE.insert(), [{"version": version, "name": name, "content": content}]
        )
    return version

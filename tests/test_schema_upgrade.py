"""Schema revisions: the fast up-to-date check agrees with Alembic, and old files upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from storage.db import HEAD_REVISION, MIGRATIONS_DIR, make_engine, open_database, schema_revision
from storage.schema import metadata


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def test_head_revision_constant_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(_config()).get_current_head() == HEAD_REVISION


def test_new_database_is_at_head(engine: Engine) -> None:
    assert schema_revision(engine) == HEAD_REVISION


def test_database_at_an_older_revision_is_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_engine(url)
    config = _config()
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    assert "ix_aspect_mention_company_aspect" in _index_names(old, "aspect_mention")
    old.dispose()

    engine = open_database(url)
    assert schema_revision(engine) == HEAD_REVISION
    # 0005 dropped the indexes that wider ones cover
    assert _index_names(engine, "aspect_mention") == {
        "ix_aspect_mention_evidence",
        "ix_aspect_mention_review_aspect_label",
    }
    assert _index_names(engine, "review_analysis") == {"ix_review_analysis_company_label"}
    engine.dispose()


def test_file_without_schema_has_no_revision(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    engine = make_engine(f"sqlite:///{path}")
    assert schema_revision(engine) is None
    engine.dispose()


def _index_names(engine: Engine, table: str) -> set[str]:
    return {str(index["name"]) for index in inspect(engine).get_indexes(table)}


# SQLite cannot reflect the expression index ix_review_segments; both libraries say so
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
def test_migrations_build_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []

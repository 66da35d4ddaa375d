"""Schema revisions: the fast up-to-date check agrees with Alembic, and old files upgrade."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from settings.pause_points import PAUSE_ENV
from storage.db import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    PAUSE_POINT,
    DatabaseError,
    make_engine,
    open_database,
    schema_revision,
)
from storage.dialects import SCHEMA_LOCK
from storage.schema import metadata

ROOT = Path(__file__).resolve().parent.parent


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


def _old_database(url: str, revision: str) -> None:
    """A database an older rivalscope made, at ``revision``, holding a crawl's rows (a
    company, its source, a product with a price and a review of it)."""
    old = make_engine(url)
    config = _config()
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for statement in (
            "INSERT INTO company (id, name, is_own, created_at) "
            "VALUES (1, 'Kaffebrenneriet Nord', FALSE, '2026-11-01 10:00:00')",
            "INSERT INTO source (id, name, kind, holds, company_id, created_at, healthy) "
            "VALUES (1, 'nord-shop', 'site', 'both', 1, '2026-11-01 10:00:00', TRUE)",
            "INSERT INTO product (id, key, name, company_id, first_seen_at, last_seen_at) "
            "VALUES (1, 'sku:NK-1', 'Hand grinder', 1, '2026-11-01 10:00:00', "
            "'2026-11-02 10:00:00')",
            "INSERT INTO offer_observation (id, product_id, source_id, observed_at, price, "
            "price_value, currency) VALUES (1, 1, 1, '2026-11-01 10:00:00', '49.00', 49.0, 'EUR')",
            "INSERT INTO review (id, text, rating, company_id, source_id, product_id, "
            "content_key, first_seen_at) VALUES (1, 'Grinds evenly, a little slow.', 4.0, 1, 1, "
            "1, 'key-1', '2026-11-01 10:00:00')",
        ):
            connection.exec_driver_sql(statement)
    old.dispose()


def _columns(engine: Engine, table: str) -> set[str]:
    return {str(column["name"]) for column in inspect(engine).get_columns(table)}


def _counts(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return [
            connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("company", "product", "offer_observation", "review")
        ]


def test_database_with_rows_from_before_0012_is_upgraded(tmp_path: Path) -> None:
    # 0012 copies product and offer_observation to alter them (SQLite's ALTER TABLE): with
    # the foreign keys on, dropping the old product table failed while reviews named it
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _old_database(url, "0008")

    engine = open_database(url)
    assert schema_revision(engine) == HEAD_REVISION
    assert _counts(engine) == [1, 1, 1, 1]
    assert "parent_id" in _columns(engine, "product")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        # the foreign keys are on again for the connection the upgrade used
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    engine.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_failed_upgrade_leaves_the_database_as_it_was(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # An upgrade that fails (or is killed) half-way must change nothing: SQLite committed
    # the DDL before a migration's first row write, so the next open failed for good on
    # "duplicate column name: built_on" (0013's column, added while the revision said 0012).
    url = (
        f"sqlite:///{tmp_path / 'old.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    _old_database(url, "0012")
    old = make_engine(url)
    with old.begin() as connection:  # 0014 will fail creating it
        connection.exec_driver_sql("CREATE TABLE sentiment_model_file (version INTEGER)")
    old.dispose()

    with pytest.raises(DatabaseError, match="sentiment_model_file"):
        open_database(url)
    old = make_engine(url)
    assert schema_revision(old) == "0012"
    assert "built_on" not in _columns(old, "report_run")
    with old.begin() as connection:
        connection.exec_driver_sql("DROP TABLE sentiment_model_file")
    old.dispose()

    engine = open_database(url)  # the next open upgrades it whole
    assert schema_revision(engine) == HEAD_REVISION
    assert _counts(engine) == [1, 1, 1, 1]
    engine.dispose()


_LEFT_BY_0012 = [
    # what 0012 committed before its first row write: its table and index as it creates
    # them, and the copy of offer_observation Alembic's batch mode had begun
    "CREATE TABLE product_parent (id INTEGER NOT NULL, company_id INTEGER NOT NULL, "
    '"key" VARCHAR(300) NOT NULL, code VARCHAR(200), name VARCHAR(500), '
    "price_low VARCHAR(40), price_high VARCHAR(40), currency VARCHAR(3), "
    "availability VARCHAR(30), variants INTEGER NOT NULL, url TEXT, "
    "first_seen_at DATETIME NOT NULL, last_seen_at DATETIME NOT NULL, PRIMARY KEY (id), "
    "FOREIGN KEY(company_id) REFERENCES company (id), "
    'CONSTRAINT uq_product_parent_company_key UNIQUE (company_id, "key"))',
    "CREATE INDEX ix_product_parent_company_id ON product_parent (company_id)",
    "CREATE TABLE _alembic_tmp_offer_observation (id INTEGER NOT NULL, "
    "product_id INTEGER NOT NULL, source_id INTEGER NOT NULL, crawl_run_id INTEGER, "
    "observed_at DATETIME NOT NULL, price VARCHAR(40), price_value FLOAT, "
    "currency VARCHAR(3), availability VARCHAR(30), url TEXT, "
    "listing BOOLEAN DEFAULT 0 NOT NULL, PRIMARY KEY (id))",
]


# SQLite cannot reflect the expression index ix_review_segments; both libraries say so
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
@pytest.mark.parametrize(
    ("revision", "left"),
    [
        (
            "0008",
            [
                "ALTER TABLE crawl_run ADD COLUMN queue VARCHAR(300)",
                "ALTER TABLE crawl_run ADD COLUMN workers JSON",
            ],
        ),
        ("0006", ["ALTER TABLE crawl_run ADD COLUMN fetch_problems JSON"]),
        ("0010", ["ALTER TABLE product ADD COLUMN reviews_declared INTEGER"]),
        ("0011", _LEFT_BY_0012),
        ("0011", _LEFT_BY_0012[:1]),  # killed between the table and its index
    ],
    ids=["0011-columns", "0008-column", "0006-column", "0012-table-index-copy", "0012-table"],
)
def test_database_a_failed_upgrade_left_half_done_is_upgraded(
    revision: str, left: list[str], tmp_path: Path
) -> None:
    # Before the upgrade was one transaction, a failed one (0012 on SQLite, for every
    # database holding products) committed what the first pending migration did before its
    # first row write: that database, at its old revision with it, must upgrade too, to the
    # schema a new database gets
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _old_database(url, revision)
    old = make_engine(url)
    with old.begin() as connection:
        for change in left:
            connection.exec_driver_sql(change)
    old.dispose()

    engine = open_database(url)
    assert schema_revision(engine) == HEAD_REVISION
    assert _counts(engine) == [1, 1, 1, 1]
    with engine.connect() as connection:
        assert not [t for t in inspect(connection).get_table_names() if "_alembic_tmp_" in t]
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


_UPGRADER = "import sys; from storage.db import open_database; open_database(sys.argv[1]).dispose()"


def _upgrader(url: str, name: str, paused: Path | None = None) -> subprocess.Popen[str]:
    """A process opening (so upgrading) ``url``, its PostgreSQL sessions named ``name``;
    held at ``PAUSE_POINT`` while ``paused`` exists, when given."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PGAPPNAME": name}
    env.pop(PAUSE_ENV, None)
    if paused is not None:
        env[PAUSE_ENV] = f"{PAUSE_POINT}:0:{paused}"
    return subprocess.Popen(
        [sys.executable, "-c", _UPGRADER, url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until(condition: object, what: str, process: subprocess.Popen[str]) -> None:
    """Poll ``condition`` (a callable) until it holds; the process must not end meanwhile."""
    deadline = time.monotonic() + 120
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, f"{what}: it ended first ({process.communicate()})"
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


@pytest.mark.postgres
@pytest.mark.parametrize("first", ["commits", "is_killed"])
def test_concurrent_postgres_upgraders_take_turns(first: str, pg_url: str, tmp_path: Path) -> None:
    """Two processes upgrading one PostgreSQL database (a crawl and a report started
    together): the first holds the schema lock with its migrations run and not committed
    (its pause point); the second, started then, waits on the lock (seen in pg_locks);
    when the first commits, the second finds the schema current and does nothing; when the
    first is killed, nothing of it is kept and the second upgrades it whole."""
    _old_database(pg_url, "0011")
    paused = tmp_path / "paused"
    name = f"upgrader-{tmp_path.name}"[:60]
    first_upgrader = _upgrader(pg_url, f"{name}-1", paused)
    second = None
    watcher = make_engine(pg_url)
    try:
        _until(paused.exists, "the first upgrader reaches its pause point", first_upgrader)
        second = _upgrader(pg_url, f"{name}-2")

        def second_waits_for_the_schema_lock() -> bool:
            with watcher.connect() as connection:
                return bool(
                    connection.execute(
                        text(
                            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a "
                            "ON a.pid = l.pid WHERE a.application_name = :name "
                            "AND l.locktype = 'advisory' AND NOT l.granted "
                            "AND l.classid::bigint = :a AND l.objid::bigint = :b"
                        ),
                        {"name": f"{name}-2", **SCHEMA_LOCK},
                    ).scalar_one()
                )

        _until(second_waits_for_the_schema_lock, "the second waits for the lock", second)
        assert schema_revision(watcher) == "0011"  # nothing committed yet
        if first == "is_killed":
            os.kill(first_upgrader.pid, signal.SIGKILL)
        paused.unlink()
        _, first_error = first_upgrader.communicate(timeout=120)
        _, second_error = second.communicate(timeout=120)
        if first == "commits":
            assert first_upgrader.returncode == 0, first_error
        else:
            assert first_upgrader.returncode == -signal.SIGKILL
        assert second.returncode == 0, second_error
        assert "Traceback" not in second_error
        assert schema_revision(watcher) == HEAD_REVISION
        with watcher.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
        assert _counts(watcher) == [1, 1, 1, 1]
        assert "parent_id" in _columns(watcher, "product")
    finally:
        for process in (first_upgrader, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
        watcher.dispose()

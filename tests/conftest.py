"""Shared fixtures: a real SQLite file per test, the real PostgreSQL server, and the demo
shops served on 127.0.0.1 (per test module; a module that needs other shops or another
pace defines its own ``shops`` / ``server``).

Tests that need a server skip with a reason when it is absent, except under CI
(``RIVALSCOPE_CI=1``), where a missing server fails the run.
"""

from __future__ import annotations

import os
import signal
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.db import open_database

if TYPE_CHECKING:
    from rivalscope.demo.records import DemoShop
    from rivalscope.demo.server import DemoServer

POSTGRES_URL = os.environ.get(
    "RIVALSCOPE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("RIVALSCOPE_CI") == "1"

# A test run started in the background of a shell without job control (`cmd &` in a script,
# nohup) inherits SIGINT ignored, and so does every process the tests start: the tests of
# Ctrl-C (the crawl's, the interrupt helpers') then fail for want of a signal, not of code.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def require_server(host: str, port: int, what: str) -> None:
    """Skip (locally) or fail (in CI) when nothing listens at host:port."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return
    except OSError as exc:
        message = f"{what} is not reachable at {host}:{port} ({exc})"
        if IN_CI:
            pytest.fail(f"{message}; CI needs it running", pytrace=False)
        pytest.skip(message)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file in the test's temporary folder."""
    return f"sqlite:///{tmp_path / 'rivalscope.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated SQLite database."""
    eng = open_database(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty schema in the real PostgreSQL test database; dropped afterwards."""
    yield from throwaway_schema()


def throwaway_schema() -> Iterator[str]:
    """``pg_url``'s body: a test that needs two databases makes a fixture of it too."""
    require_server("127.0.0.1", 5432, "PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def shops() -> list[DemoShop]:
    """The demo's shops (generated, the same every time)."""
    from rivalscope.demo.shops import generate_shops

    return generate_shops()


@pytest.fixture(scope="module")
def server(shops: list[DemoShop]) -> Iterator[DemoServer]:
    """The demo shops on a loopback port, pages served with a half-second pause (so that a
    crawl is still running when a test interrupts it)."""
    from rivalscope.demo.server import DemoServer

    with DemoServer(shops, slow_seconds=0.5) as running:
        yield running

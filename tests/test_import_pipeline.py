"""A large import detects languages and writes batches in a child process: the stored
reviews, their order, the rejected rows and the counts must be exactly those of the
in-process import."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from settings.pause_points import PAUSE_ENV
from settings.records import ReviewItem
from spiders import file_import
from spiders.import_detection import StoreProcess
from spiders.pipelines.store_worker import PAUSE_POINT as STORE_PAUSE
from spiders.pipelines.store_worker import WriterSpec
from storage.child_process import PAUSE_POINT as CHILD_START
from storage.db import open_database
from storage.writer import CollectWriter

ROWS = [
    ("a1", "Great machine, delivery in two days and the coffee is lovely"),
    ("a2", "Leveringen tok tre uker. Skuffet over kundeservicen."),
    ("a3", "Très bon café, mais le support ne répond jamais"),
    ("a1", "Great machine, delivery in two days and the coffee is lovely"),  # repeated
    ("a4", "Ekspres działa świetnie, polecam każdemu"),
    ("a2", "Another text under an id used two batches ago"),  # conflict across batches
    ("", "No id at all, a plain review in English"),
    ("a5", "x"),
    ("a6", "Kaffen smaker godt og maskinen er stille"),
]


def _import(
    tmp_path: Path, name: str
) -> tuple[list[tuple[object, ...]], list[tuple[int, str]], tuple[int, ...]]:
    path = tmp_path / "reviews.csv"
    lines = ["id,text,rating,product"] + [f'{i},"{t}",4,Barista' for i, t in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = open_database(f"sqlite:///{tmp_path / name}")
    try:
        report = file_import.import_file(engine, path, company="Nordlys", new_company=True)
        with engine.connect() as conn:
            stored = conn.execute(
                text(
                    "SELECT r.id, external_id, text, language, language_source, p.key "
                    "FROM review r JOIN product p ON p.id = r.product_id ORDER BY r.id"
                )
            ).all()
            run = conn.execute(
                text(
                    "SELECT reviews_seen, reviews_new, items_dropped FROM crawl_run "
                    "ORDER BY id DESC LIMIT 1"
                )
            ).one()
    finally:
        engine.dispose()
    figures = (report.stored, report.duplicates, report.rejected, *run)
    return [tuple(row) for row in stored], report.bad, figures


def test_pipelined_import_stores_what_the_in_process_import_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_import, "BATCH", 2)  # conflicts across batches still in flight
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 10**12)
    in_process = _import(tmp_path, "in_process.db")
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(file_import, "_second_core_free", lambda _: True)  # even under load
    monkeypatch.setattr(StoreProcess, "starting", lambda _: False)  # every batch to the child
    pipelined = _import(tmp_path, "pipelined.db")
    assert pipelined == in_process
    stored, bad, figures = pipelined
    assert [row[1] for row in stored] == ["a1", "a2", "a3", "a4", None, "a5", "a6"]
    assert figures == (7, 1, 1, 8, 7, 1)
    assert bad == [
        (
            7,
            "id 'a2' is on an earlier line of the file with another text (give each review its own id)",
        )
    ]
    assert {row[1]: row[3] for row in stored}["a3"] == "fr"


def test_batches_are_stored_in_process_when_the_child_is_gone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_database(url)
    writer = CollectWriter(engine, company="Nordlys", source="import:Nordlys", kind="import")
    writer.start_run()
    assert writer.run_id is not None
    spec = WriterSpec(url, "Nordlys", "import:Nordlys", None, "both", writer.run_id)

    def batch(n: int) -> list[ReviewItem]:
        return [ReviewItem(text=f"Très bon café numéro {n}", content_key=f"k{n}", product_name="P")]

    try:
        with StoreProcess(writer, None, spec) as store:
            store.result(store.submit(batch(1)), batch(1))
            assert store._executor is not None
            for child in list(store._executor._processes.values()):
                os.kill(child.pid, signal.SIGKILL)  # killed (out of memory, by hand)
                child.join()
            for n in (2, 3):
                store.result(store.submit(batch(n)), batch(n))
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT content_key, language, product_id FROM review ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row[:2]) for row in rows] == [("k1", "fr"), ("k2", "fr"), ("k3", "fr")]
    assert len({row[2] for row in rows}) == 1  # the child's product, found again
    assert (writer.reviews_seen, writer.reviews_new) == (3, 3)


def test_a_batch_the_child_committed_before_dying_is_counted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed just after committing its first batch (before answering): the rows are the
    in-process import's and the summary counts that batch as stored, not as already stored
    (it was written again and counted as duplicates before)."""
    monkeypatch.setattr(file_import, "BATCH", 2)
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 10**12)
    in_process = _import(tmp_path, "in_process.db")
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(file_import, "_second_core_free", lambda _: True)
    monkeypatch.setattr(StoreProcess, "starting", lambda _: False)  # every batch to the child
    marker = tmp_path / "paused"
    monkeypatch.setenv(PAUSE_ENV, f"{STORE_PAUSE}:1:{marker}")  # the spawned child reads it
    killed: list[int] = []

    def kill_when_paused() -> None:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        pid = int(marker.read_text() or 0)
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_when_paused, daemon=True)
    killer.start()
    pipelined = _import(tmp_path, "killed.db")
    killer.join()
    assert killed and killed[0] != os.getpid()  # the child was killed, at its first batch
    assert pipelined == in_process
    assert pipelined[2] == (7, 1, 1, 8, 7, 1)  # stored, duplicates, rejected; run's counters


def test_batches_are_stored_in_process_while_the_child_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child held at its start (``child-start``) for the whole import: every batch is
    stored in process instead of waiting for it (the old loop handed batches to the child and
    waited), with the in-process import's rows and figures."""
    monkeypatch.setattr(file_import, "BATCH", 2)
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 10**12)
    in_process = _import(tmp_path, "in_process.db")
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(file_import, "_second_core_free", lambda _: True)
    marker = tmp_path / "held"
    monkeypatch.setenv(PAUSE_ENV, f"{CHILD_START}:0:{marker}")
    handed: list[bool] = []
    leave = StoreProcess.__exit__

    def release_then_leave(store: StoreProcess, *exc: object) -> None:
        handed.append(store._handed)
        while not marker.exists():  # the child reaches its start point in any case
            time.sleep(0.01)
        marker.unlink()  # let the child start, so that it can be shut down
        leave(store, *exc)

    monkeypatch.setattr(StoreProcess, "__exit__", release_then_leave)
    assert _import(tmp_path, "held.db") == in_process
    assert handed == [False]

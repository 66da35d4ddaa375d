"""A large import detects languages in a child process: the stored reviews, their order and
the rejected rows must be exactly those of the in-process import."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import text

from spiders import file_import
from spiders.import_detection import DetectionProcess
from storage.db import open_database

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


def _import(tmp_path: Path, name: str) -> tuple[list[tuple[object, ...]], list[tuple[int, str]]]:
    path = tmp_path / "reviews.csv"
    lines = ["id,text,rating"] + [f'{i},"{t}",4' for i, t in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = open_database(f"sqlite:///{tmp_path / name}")
    try:
        report = file_import.import_file(engine, path, company="Nordlys", new_company=True)
        with engine.connect() as conn:
            stored = conn.execute(
                text(
                    "SELECT id, external_id, text, language, language_source FROM review ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    return [tuple(row) for row in stored], report.bad


def test_pipelined_import_stores_what_the_in_process_import_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_import, "BATCH", 2)  # conflicts across batches still in flight
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 10**12)
    in_process = _import(tmp_path, "in_process.db")
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(file_import, "_second_core_free", lambda: True)  # even under load
    pipelined = _import(tmp_path, "pipelined.db")
    assert pipelined == in_process
    stored, bad = pipelined
    assert [row[1] for row in stored] == ["a1", "a2", "a3", "a4", None, "a5", "a6"]
    assert bad == [(7, "id 'a2' is stored already with another text (give this review its own id)")]
    assert {row[1]: row[3] for row in stored}["a3"] == "fr"


def test_detection_goes_on_in_process_when_the_child_is_gone() -> None:
    texts: list[str | None] = ["Très bon café, mais le support ne répond jamais", None]
    with DetectionProcess() as detection:
        expected = detection.result(detection.submit(texts), texts)
        assert detection._executor is not None
        for child in list(detection._executor._processes.values()):
            os.kill(child.pid, signal.SIGKILL)  # killed (out of memory, by hand)
            child.join()
        assert detection.result(detection.submit(texts), texts) == expected
        assert detection.result(detection.submit(texts), texts) == expected
    assert expected[0][0] == "fr"
    assert expected[1] == (None, 0.0)

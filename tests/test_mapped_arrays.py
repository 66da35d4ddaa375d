"""Language detection's tables are memory-mapped from a cache (``settings.mapped_arrays``),
so an import's two processes share them instead of each holding its own copy; the cache is
built once per source file and layout, and a cache that cannot be written falls back to
arrays in memory."""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from settings.mapped_arrays import cache_root, mapped_arrays
from settings.short_detection import ngram_table
from settings.trigram_detection import trigram_table


def _file_backed(array: NDArray[Any]) -> bool:
    """The array's memory is a file mapping (not memory of this process's own)."""
    base: object = array
    while isinstance(base, np.ndarray):
        if isinstance(base, np.memmap) and base._mmap is not None:
            return True
        base = base.base
    return isinstance(base, mmap.mmap)


def _tables() -> list[tuple[str, NDArray[Any]]]:
    trigrams, ngrams = trigram_table(), ngram_table()
    assert trigrams is not None and ngrams is not None, "settings/data tables missing or stale"
    return [
        ("trigram row_of", trigrams.row_of),
        ("trigram values", trigrams.values),
        ("trigram letter_index", trigrams.letter_index),
        ("ngram letter_index", ngrams.letter_index),
        ("ngram fivegram keys (en)", ngrams.keys[4][0]),
        ("ngram unigram logs (no)", ngrams.logs[0][-1]),
        ("ngram starts (pl)", ngrams.starts[2]),
    ]


@pytest.mark.parametrize("index", range(7))
def test_detection_tables_are_read_only_file_mappings(index: int) -> None:
    name, array = _tables()[index]
    assert _file_backed(array), f"{name} is a private copy, not a shared file mapping"
    assert not array.flags.writeable, name


def _build(calls: list[int], value: int = 7) -> Any:
    def build() -> dict[str, NDArray[Any]]:
        calls.append(1)
        return {
            "numbers": np.arange(5, dtype=np.int32) * value,
            "size": np.array(172),
            "version": np.array("2.1.1"),
            "empty": np.zeros(0, dtype=np.uint32),
        }

    return build


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RIVALSCOPE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "table.npz"
    path.write_bytes(b"source one")
    return path


def test_built_once_then_mapped(source: Path) -> None:
    calls: list[int] = []
    first = mapped_arrays("t", source, "v1", _build(calls))
    second = mapped_arrays("t", source, "v1", _build(calls))
    assert calls == [1]
    assert first is not None and second is not None
    for arrays in (first, second):
        assert arrays["numbers"].tolist() == [0, 7, 14, 21, 28]
        assert arrays["numbers"].dtype == np.int32
        assert int(arrays["size"]) == 172 and arrays["size"].shape == ()
        assert str(arrays["version"]) == "2.1.1"
        assert arrays["empty"].shape == (0,)
    assert _file_backed(second["numbers"]) and not second["numbers"].flags.writeable
    assert [p.name for p in cache_root().iterdir()] == [
        p.name for p in cache_root().iterdir() if p.name.startswith("t-")
    ], "no half-written folder left behind"


@pytest.mark.parametrize(
    ("change", "rebuilt"),
    [("nothing", False), ("source bytes", True), ("version", True)],
)
def test_a_changed_source_or_version_is_built_again(
    source: Path, change: str, rebuilt: bool
) -> None:
    calls: list[int] = []
    mapped_arrays("t", source, "v1", _build(calls))
    version = "v1"
    if change == "source bytes":
        source.write_bytes(b"source two")
    elif change == "version":
        version = "v2"
    arrays = mapped_arrays("t", source, version, _build(calls, value=3))
    assert arrays is not None
    assert len(calls) == (2 if rebuilt else 1)
    assert arrays["numbers"].tolist()[1] == (3 if rebuilt else 7)


def test_nothing_built_nothing_cached(source: Path) -> None:
    assert mapped_arrays("t", source, "v1", lambda: None) is None
    assert not cache_root().exists()


def test_unwritable_cache_falls_back_to_memory(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setenv("RIVALSCOPE_CACHE_DIR", str(blocker))
    calls: list[int] = []
    arrays = mapped_arrays("t", source, "v1", _build(calls))
    assert arrays is not None and arrays["numbers"].tolist() == [0, 7, 14, 21, 28]
    assert not _file_backed(arrays["numbers"])

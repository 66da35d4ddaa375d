"""simplemma dictionaries served from an indexed SQLite file instead of decoded in memory.

simplemma decodes a language's whole dictionary on first use: ~4 s for Polish (3.7 M
forms) on an idle core, much more on a busy one, in every process (each CLI run, each
worker). Here each dictionary is decoded once per simplemma version into
``<cache>/simplemma-<version>/<lang>.sqlite`` (form -> lemma, primary key), and lookups are
indexed reads: opening costs nothing, and simplemma's own strategies (case variants,
rules, hyphens) run unchanged on top through its ``DictionaryFactory`` protocol.
The cache is derived from the installed package (nothing is downloaded); it lives in
``$RIVALSCOPE_CACHE_DIR`` or ``~/.cache/rivalscope`` (``settings.mapped_arrays.cache_root``).
It only saves time: when it cannot be written (a read-only home, a full disk) the
dictionary is decoded in memory, as simplemma does, and the lemmas are the same.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

from settings.mapped_arrays import cache_root

BUILD_BATCH = 50_000
MMAP_BYTES = 1 << 30
"""Mapped bytes of a dictionary file at most (Polish's is ~120 MB)."""


def cache_folder() -> Path:
    """Where the SQLite dictionaries live (one folder per simplemma version)."""
    return cache_root() / f"simplemma-{version('simplemma')}"


def _decoded(lang: str) -> Mapping[str, str]:
    """simplemma's own dictionary of ``lang``, decoded in memory."""
    return DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)


def _build(lang: str, path: Path, source: Mapping[str, str] | None = None) -> None:
    """Decode simplemma's dictionary once (unless ``source`` is it) and write it atomically
    (concurrent builders are harmless: the last rename wins and both files are identical)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if source is None:
        source = _decoded(lang)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT) WITHOUT ROWID")
        batch: list[tuple[str, str]] = []
        for form, lemma in source.items():
            batch.append((form, lemma))
            if len(batch) >= BUILD_BATCH:
                connection.executemany("INSERT OR IGNORE INTO lemma VALUES (?, ?)", batch)
                batch.clear()
        connection.executemany("INSERT OR IGNORE INTO lemma VALUES (?, ?)", batch)
        connection.commit()
        connection.close()
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class SqliteLemmaMap(Mapping[str, str]):
    """Read-only form -> lemma mapping over one language's SQLite file (per-process handle)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pid = -1
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        # a connection must not cross a fork: reopen in each process
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(
                f"file:{self._path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            # pages read in place from the mapped file, not copied through SQLite's page
            # cache: a look-up ~3.7 -> ~2.9 µs (a new token's lemma takes about three)
            self._connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._pid = os.getpid()
        return self._connection

    def get(self, key: str, default: object = None) -> str | None:  # type: ignore[override]
        row = self._open().execute("SELECT lemma FROM lemma WHERE form = ?", (key,)).fetchone()
        return str(row[0]) if row is not None else default  # type: ignore[return-value]

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        for (form,) in self._open().execute("SELECT form FROM lemma"):
            yield str(form)

    def __len__(self) -> int:
        return int(self._open().execute("SELECT count(*) FROM lemma").fetchone()[0])


class SqliteDictionaryFactory:
    """simplemma ``DictionaryFactory`` whose dictionaries are ``SqliteLemmaMap``s."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        return dictionary(lang)


@lru_cache(maxsize=64)
def dictionary(lang: str) -> Mapping[str, str]:
    """One language's form -> lemma map: a ``SqliteLemmaMap`` (built on first use), or the
    dictionary decoded in memory when the cache cannot be written."""
    path = cache_folder() / f"{lang}.sqlite"
    if not path.is_file():
        try:
            _build(lang, path)
        except (OSError, sqlite3.Error):
            return _decoded(lang)
    return SqliteLemmaMap(path)


def dictionary_lemmas(lang: str) -> list[str]:
    """Every distinct lemma of the language's dictionary (e.g. to map a lexicon onto it)."""
    found = dictionary(lang)
    if not isinstance(found, SqliteLemmaMap):
        return list(dict.fromkeys(found.values()))
    rows = found._open().execute("SELECT DISTINCT lemma FROM lemma")
    return [str(lemma) for (lemma,) in rows]

"""Where a database's sentiment model versions are kept: ``ModelVersions``.

A database file (SQLite) keeps them beside it, ``<database file>.models/vNNNN/``; a
database without a file (PostgreSQL, shared by machines and cron jobs) keeps them in
itself (``storage.model_files``), so that every folder and machine finds the same version;
``--models-dir`` names a folder instead. Versions kept in the database are copied into a
cache folder when read (``cache_root()/models/<database>/vNNNN``, the folder the code that
loads models needs): the copy is checked against the database's ``meta.json`` each time,
so a stale or foreign copy is replaced, never used.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from compare.analysis.input_errors import AnalysisInputError
from compare.analysis.sentiment.bundle import (
    META_FILE,
    ModelBundle,
    next_version_folder,
    save_bundle,
    versions,
)
from settings.mapped_arrays import CACHE_ENV, cache_root
from storage.dialects import dialect_of
from storage.model_files import model_file, model_files, newest_model_version, store_model_files


class ModelVersions:
    """The model versions of one database (or of an explicit ``--models-dir``)."""

    def __init__(self, engine: Engine, models_dir: Path | None = None) -> None:
        self.engine = engine
        database = dialect_of(engine).database_file(engine.url)
        self.in_database = models_dir is None and database is None
        """True: the versions are kept in the database, ``root`` is only a cache of them."""
        if models_dir is not None:
            self.root = models_dir
        elif database is not None:
            self.root = Path(f"{database}.models")
        else:
            self.root = database_cache_folder(engine)
        """The folder of the version folders (and of the function words' cache)."""

    def describe(self, folder: Path) -> str:
        """How a version is named to the user."""
        if self.in_database:
            return f"{folder.name} (kept in the database)"
        return str(folder)

    def newest(self) -> Path | None:
        """The folder of the newest version (None: none trained yet); it may be of an older
        format (``bundle_is_current`` says)."""
        if not self.in_database:
            found = versions(self.root)
            return found[-1] if found else None
        version = newest_model_version(self.engine)
        if version is None:
            return None
        return self._cached(version)

    def save(self, bundle: ModelBundle) -> Path:
        """Keep ``bundle`` as the next version; returns its folder."""
        if not self.in_database:
            return save_bundle(bundle, next_version_folder(self.root))
        with tempfile.TemporaryDirectory(prefix=".saving-", dir=self._cache_root()) as saving:
            folder = save_bundle(bundle, Path(saving))
            files = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
        version = store_model_files(self.engine, files)  # one transaction
        return self._cached(version, files)

    def _cache_root(self) -> Path:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unwritable(self.root, exc) from None
        return self.root

    def _cached(self, version: int, files: dict[str, bytes] | None = None) -> Path:
        """The cache folder of a stored version, written (or replaced, when it is not that
        version's copy) from the database."""
        folder = self.root / f"v{version:04d}"
        meta = (
            files[META_FILE] if files is not None else model_file(self.engine, version, META_FILE)
        )
        if meta is not None and _reads(folder / META_FILE) == meta:
            return folder
        if files is None:
            files = model_files(self.engine, version)
        try:
            writing = Path(tempfile.mkdtemp(prefix=".writing-", dir=self._cache_root()))
            for name, content in files.items():
                (writing / name).write_bytes(content)
            if folder.exists():  # a stale copy (a database dropped and made again)
                stale = Path(tempfile.mkdtemp(prefix=".stale-", dir=self.root))
                folder.rename(stale / folder.name)
                shutil.rmtree(stale, ignore_errors=True)
            try:
                writing.rename(folder)
            except OSError:
                if _reads(folder / META_FILE) != meta:  # another process wrote another one
                    raise
                shutil.rmtree(writing, ignore_errors=True)
        except OSError as exc:
            raise _unwritable(self.root, exc) from None
        return folder


def database_cache_folder(engine: Engine) -> Path:
    """The cache folder of a database without a file: one per database URL (password left
    out; the schema a URL's options choose is part of it)."""
    shown = engine.url.render_as_string(hide_password=True)
    key = hashlib.sha256(shown.encode("utf-8")).hexdigest()[:20]
    return cache_root() / "models" / key


def _reads(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _unwritable(root: Path, exc: OSError) -> AnalysisInputError:
    return AnalysisInputError(
        f"the sentiment model cache {root} cannot be written ({exc.strerror or exc}); "
        f"point {CACHE_ENV} at a folder you can write"
    )


def check_cache_writable(root: Path) -> None:
    """AnalysisInputError (one line) if the cache folder cannot be written."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        raise _unwritable(root, exc) from None

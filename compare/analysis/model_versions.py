"""Where a database's sentiment model versions are kept: ``ModelVersions``.

A database file (SQLite) keeps them beside it, ``<database file>.models/vNNNN/``; a
database without a file (PostgreSQL, shared by machines and cron jobs) keeps them in
itself (``storage.model_files``), so that every folder and machine finds the same version;
``--models-dir`` names a folder instead. Versions kept in the database are copied into a
cache folder when read (``cache_root()/models/<database>/vNNNN``, the folder the code that
loads models needs): the copy is checked against the database's ``meta.json`` and function
words (``MARKS``) each time, so a stale or foreign copy is replaced, never used. The function words ``analyze`` learns
(``compare.analysis.function_words``) are kept the same way: beside the version folders,
or, in the database, as a file of the newest version (stored with a new version's models in
its transaction, or replacing the newest version's words when only they were learnt anew),
so that every machine bounds key phrases with the same words.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from compare.analysis.function_words import CACHE_NAME
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
from storage.model_files import (
    model_file,
    model_files,
    newest_model_version,
    replace_newest_model_file,
    store_model_files,
)

MARKS = (META_FILE, CACHE_NAME)
"""The files a cached copy is checked by against the database (the small ones that change)."""


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
        folder = self._newest_copy()
        # a first version may hold only function words (learnt before any model)
        return folder if folder is not None and (folder / META_FILE).is_file() else None

    def function_words(self) -> Path | None:
        """The function words' file to read (None: the database keeps none yet)."""
        if not self.in_database:
            return self.root / CACHE_NAME
        folder = self._newest_copy()
        return folder / CACHE_NAME if folder is not None else None

    def save(self, bundle: ModelBundle, words: bytes | None = None) -> Path:
        """Keep ``bundle`` as the next version (in the database with the function words'
        file ``words``, else with the newest version's words); returns its folder."""
        if not self.in_database:
            return save_bundle(bundle, next_version_folder(self.root))
        with tempfile.TemporaryDirectory(prefix=".saving-", dir=self._cache_root()) as saving:
            folder = save_bundle(bundle, Path(saving))
            files = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
        if words is None:
            newest = newest_model_version(self.engine)
            words = model_file(self.engine, newest, CACHE_NAME) if newest is not None else None
        if words is not None:
            files[CACHE_NAME] = words
        version = store_model_files(self.engine, files)  # one transaction
        return self._cached(version, files)

    def save_function_words(self, words: bytes) -> None:
        """Keep the function words' file ``words``, learnt without a new model, as the newest
        version's (``in_database`` only: a folder's words are written by the plan that
        learnt them, ``FunctionWordsPlan.finish``)."""
        assert self.in_database
        replace_newest_model_file(self.engine, CACHE_NAME, words)

    def _newest_copy(self) -> Path | None:
        version = newest_model_version(self.engine)
        return self._cached(version) if version is not None else None

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
        marks = (
            {name: files[name] for name in MARKS if name in files}
            if files is not None
            else model_files(self.engine, version, MARKS)
        )
        if marks and all(_reads(folder / name) == marks.get(name) for name in MARKS):
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
                if any(_reads(folder / name) != marks.get(name) for name in MARKS):
                    # another process wrote another version's copy
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

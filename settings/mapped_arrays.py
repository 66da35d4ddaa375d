"""Read-only arrays derived from a data file, memory-mapped from a cache so processes share them.

Language detection's tables (``settings.trigram_detection``, ``settings.short_detection``)
are computed from compressed ``.npz`` files: decompressed and rebuilt in each process, they
took about 60 MB of private memory in each of an import's two processes (the importer and
its detection child). ``mapped_arrays`` builds them once into
``<cache>/<name>-<digest>/<array>.npy`` (``cache_root``) and maps those files read-only:
every process reading a table then shares the same page-cache pages (the proportional set
size counts them once), only the pages a batch touches become resident, and a process opens
a table without decompressing or computing anything.

The folder's digest covers the source file's bytes and the caller's ``version`` (what else
the arrays depend on), so a changed source or layout gets a new folder. A folder is written
under a temporary name and renamed into place whole: a reader never maps a file being
written (concurrent builders are harmless, the first rename wins). When the cache cannot be
written (a read-only home, a full disk) the arrays are used from memory, as built.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

CACHE_ENV = "RIVALSCOPE_CACHE_DIR"
FORMAT = 1
"""Bumped when the folder layout changes."""

Arrays = Mapping[str, NDArray[Any]]


def cache_root() -> Path:
    """Where rivalscope keeps files derived from its data and packages (never downloaded):
    ``$RIVALSCOPE_CACHE_DIR``, else ``~/.cache/rivalscope``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "rivalscope")


def mapped_arrays(
    name: str, source: Path, version: str, build: Callable[[], Arrays | None]
) -> Arrays | None:
    """The arrays ``build`` derives from ``source``, memory-mapped read-only from the cache
    (built and written there on first use); None when ``build`` returns None (not cached).
    Falls back to ``build``'s arrays in memory if the cache cannot be written."""
    digest = hashlib.blake2b(f"{FORMAT}\x1f{version}\x1f".encode(), digest_size=10)
    with source.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    folder = cache_root() / f"{name}-{digest.hexdigest()}"
    if not folder.is_dir():
        arrays = build()
        if arrays is None:
            return None
        try:
            _write(folder, arrays)
        except OSError:
            return arrays
    return {
        # a plain ndarray view of each map (still backed by the file)
        path.stem: np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
        for path in sorted(folder.glob("*.npy"))
    }


def _write(folder: Path, arrays: Arrays) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        for key, array in arrays.items():
            np.save(building / f"{key}.npy", array, allow_pickle=False)
        os.chmod(building, 0o755)
        try:
            os.rename(building, folder)
        except OSError:
            if not folder.is_dir():  # not a concurrent builder's folder: a real failure
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)

"""A pool of spawned helpers whose starter is killed with ``kill -9`` (a crawl, an import, an
analysis) leaves no "leaked semaphore" warning, and its semaphores are still cleaned up."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from storage.child_process import TRACKER_QUIET, HelperPool

KILLED_WITH_A_POOL = """
import multiprocessing, os, signal
from storage.child_process import TRACKER_QUIET, HelperPool, die_with_parent
pool = HelperPool(1, multiprocessing.get_context("spawn"), die_with_parent, (os.getpid(),))
pool.submit(int).result()  # the helper runs
calls, results = pool._call_queue, pool._result_queue
locks = (calls._rlock, calls._wlock, calls._sem, results._rlock, results._wlock)
print(" ".join(lock._semlock.name for lock in locks), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="named semaphores live in /dev/shm")
def test_a_killed_pool_starter_leaves_no_warning_and_no_semaphore(tmp_path: Path) -> None:
    # Ends when stderr does: the resource tracker, which holds it, ends after its clean-up.
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WITH_A_POOL], capture_output=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == -9, done.stderr.decode()[-3000:]
    names = done.stdout.decode().split()
    assert len(names) == 5, done.stdout
    # It printed "resource_tracker: There appear to be 5 leaked semaphore objects to clean
    # up at shutdown" on the crawl's terminal, after the crawl was gone.
    assert b"leaked" not in done.stderr and b"resource_tracker" not in done.stderr, done.stderr
    # Quiet, not lost: the tracker unlinked them all.
    assert [n for n in names if Path(f"/dev/shm/sem.{n.lstrip('/')}").exists()] == []


def _warnoptions() -> list[str]:
    return list(sys.warnoptions)


def test_the_quiet_filter_is_the_trackers_only() -> None:
    """The helpers of a pool are started with this process's warning options; the filter
    is added for the start of the tracker only."""
    before = list(sys.warnoptions)
    with HelperPool(1, multiprocessing.get_context("spawn")) as pool:
        assert TRACKER_QUIET not in pool.submit(_warnoptions).result()
    assert sys.warnoptions == before

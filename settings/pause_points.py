"""A test hook: a kill point the test controls. Inert unless ``RIVALSCOPE_TEST_PAUSE`` is set.

Kill tests must kill a command mid-work; polling for signs of progress races a run that
can finish between two polls on a loaded machine. A command calls ``pause_point(name, n)``
where a kill is worth testing (``n``: how far it got, e.g. write batches committed). With
``RIVALSCOPE_TEST_PAUSE=name:n:path`` in its environment, the command creates ``path``
(holding its pid) when it reaches that point and waits while ``path`` exists: the test sees
the file, then kills it or removes the file to let it go on.

Harmless if set by mistake: a wrong value does nothing, a point is paused at once per
process, and the wait ends by itself after ``LONGEST_PAUSE_S`` (it says so on stderr).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

PAUSE_ENV = "RIVALSCOPE_TEST_PAUSE"
LONGEST_PAUSE_S = 60.0
_POLL_S = 0.01
_paused: set[str] = set()


def pause_point(name: str, reached: int) -> None:
    """Pause here if the environment asks for point ``name`` at count ``reached``."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted or name in _paused:
        return
    point, _, rest = wanted.partition(":")
    count, _, path = rest.partition(":")
    if point != name or count != str(reached) or not path:
        return
    _paused.add(name)
    marker = Path(path)
    try:
        marker.write_text(str(os.getpid()))
    except OSError:
        return
    print(f"{PAUSE_ENV}: paused at {name} {reached} while {path} exists", file=sys.stderr)
    deadline = time.monotonic() + LONGEST_PAUSE_S
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(_POLL_S)

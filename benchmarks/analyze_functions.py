"""CPU seconds of named functions during ``analyze_database``, without a profiler's cost.

Usage: python benchmarks/analyze_functions.py DB_URL FUNCTION...
e.g.   python benchmarks/analyze_functions.py sqlite:///copy.db \\
           compare.analysis.sentiment.adapted.held_out \\
           compare.analysis.sentiment.vectorizer.FeatureVectorizer.transform

Analyses the database in this one process (``workers=1``: training, then the analysis) with
each FUNCTION (``module.function`` or ``module.Class.method``) wrapped in a CPU clock, then
prints each one's CPU seconds, its share of the whole run and its calls. cProfile charges
every Python call a fixed cost, so calls made by the hundred thousand (lemmatisation,
dictionary look-ups) look several times their real share under ``analyze_stages.py
--profile``; here only the named functions pay a clock read per call. A function that calls
itself, or two named functions of which one calls the other, are counted at each level; a
generator function only while it makes its generator (name what it calls instead).
Run it once ``rivalscope analyze`` has built the lemma stores on disk (``lemma_store``; any
earlier run on this machine), on a copy of a database: the run writes its results.
"""

from __future__ import annotations

import functools
import importlib
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from script_arguments import script_parser

SECONDS: dict[str, float] = {}
CALLS: Counter[str] = Counter()


def _clocked(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def clocked(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SECONDS[name] = SECONDS.get(name, 0.0) + time.process_time() - started
            CALLS[name] += 1

    return clocked


def _wrap(name: str) -> None:
    """Wrap ``name`` where it is defined and in every loaded module that imported it."""
    path, attribute = name.rsplit(".", 1)
    try:
        owner: Any = importlib.import_module(path)
    except ModuleNotFoundError:
        module_name, cls = path.rsplit(".", 1)
        owner = getattr(importlib.import_module(module_name), cls)
        setattr(owner, attribute, _clocked(name, getattr(owner, attribute)))
        return
    original = getattr(owner, attribute)
    clocked = _clocked(name, original)
    for loaded in list(sys.modules.values()):
        if getattr(loaded, attribute, None) is original:
            setattr(loaded, attribute, clocked)


def main(argv: list[str]) -> int:
    parser = script_parser(__doc__)
    parser.add_argument("db_url", metavar="DB_URL")
    parser.add_argument("names", nargs="*", metavar="FUNCTION")
    args = parser.parse_args(argv[1:])
    if not args.db_url.startswith(("sqlite:", "postgresql")):
        print(__doc__)
        return 2
    from compare.analysis.run import analyze_database
    from storage.db import open_database

    engine = open_database(args.db_url)
    names = args.names
    for name in names:
        _wrap(name)
    started = time.process_time()
    summary = analyze_database(engine, progress=False, workers=1)
    total = time.process_time() - started
    print(f"{summary.analyzed:,} reviews analysed, {total:.2f} CPU-s (training included)")
    for name in names:
        print(
            f"  {name:72} {SECONDS.get(name, 0.0):7.2f} s"
            f" {100 * SECONDS.get(name, 0.0) / total:5.1f} %"
            f"  ({CALLS[name]:,} calls)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

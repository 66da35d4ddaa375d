"""Where ``rivalscope analyze`` spends its CPU: the command run in this process with its
stages timed, optionally with cProfile in the parent and in every pool process.

Usage: python benchmarks/analyze_stages.py [--profile PREFIX] -- ANALYZE_ARGS...
e.g.   python benchmarks/analyze_stages.py --profile /tmp/p -- --db sqlite:///copy.db --no-progress

Prints, per stage of the parent (import, training, reading pending reviews, receiving chunk
results, database writes, and the steps that no pool runs beside, named ``serial:``), the
CPU seconds of this process (all its threads: the pool's result thread unpickles the
workers' rows), of its reaped children (the pool processes, counted when a pool shuts down)
and the wall seconds; then the wall the run's CPU would take on two free cores (the measured
wall is the load's on a shared machine). With ``--profile PREFIX``: cProfile
with a CPU clock, written to ``PREFIX.parent`` and ``PREFIX.worker.<pid>`` (read them with
``pstats``); profiling costs CPU itself, so compare shares, not totals. Analyse a copy of a
database: the run writes its results.
"""

from __future__ import annotations

import cProfile
import multiprocessing.util
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from script_arguments import script_parser

STARTED = time.perf_counter()


def _clocks() -> tuple[float, float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        own.ru_utime + own.ru_stime,
        children.ru_utime + children.ru_stime,
        time.perf_counter(),
    )


STAGES: dict[str, list[float]] = {}


def _add(name: str, before: tuple[float, float, float]) -> None:
    after = _clocks()
    totals = STAGES.setdefault(name, [0.0, 0.0, 0.0, 0])
    for i in range(3):
        totals[i] += after[i] - before[i]
    totals[3] += 1


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        before = _clocks()
        try:
            return function(*args, **kwargs)
        finally:
            _add(name, before)

    return timed


def _timed_steps(name: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
    """A generator function whose steps (not the caller's work between them) are timed."""

    def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
        steps = function(*args, **kwargs)
        while True:
            before = _clocks()
            try:
                value = next(steps)
            except StopIteration:
                return
            finally:
                _add(name, before)
            yield value

    return timed


def _profile_pool_processes(run: Any, prefix: str) -> None:
    start_worker = run._start_worker

    def profiled_start(parent: int) -> None:
        start_worker(parent)
        profile = cProfile.Profile(time.process_time)
        profile.enable()

        def dump() -> None:
            profile.disable()
            profile.dump_stats(f"{prefix}.worker.{os.getpid()}")

        # pool processes end through multiprocessing's exit handlers, not atexit
        multiprocessing.util.Finalize(None, dump, exitpriority=100)

    run._start_worker = profiled_start


def main(argv: list[str]) -> int:
    # Its own options before "--", rivalscope analyze's after it (its --help too).
    parser = script_parser(__doc__)
    parser.add_argument("--profile", metavar="PREFIX")
    split = argv.index("--") if "--" in argv else len(argv)
    prefix = parser.parse_args(argv[1:split]).profile
    if split == len(argv):
        parser.error("give rivalscope analyze's arguments after --")
    before = _clocks()
    import compare.analysis.run as run
    from rivalscope.cli import main as cli

    _add("import", before)
    # (analyze trains through _refresh_and_learn: wrapping refresh_database_model, which it
    # does not call, left the training out of the stages)
    run._refresh_and_learn = _timed(
        "training, function words (parent and pool)", run._refresh_and_learn
    )
    run.write_rows = _timed("database writes", run.write_rows)
    # the parent's steps that no pool runs beside (one core idle on a 2-core machine)
    run._warm_models = _timed("serial: lexicons, shipped models", run._warm_models)
    run.learning_texts = _timed("serial: function words' texts", run.learning_texts)
    run.load_bundle = _timed("serial: reading the trained model", run.load_bundle)
    run.ModelVersions.save = _timed("serial: saving the trained model", run.ModelVersions.save)
    import compare.analysis.discovery as discovery

    discovery.candidate_aspects = _timed(
        "serial: candidate aspects (at the end)", discovery.candidate_aspects
    )
    run._pending_chunks = _timed_steps("reading pending reviews", run._pending_chunks)
    run._analyse_pending = _timed_steps(
        "chunk results (incl. reading; workers' CPU)", run._analyse_pending
    )
    if prefix:
        _profile_pool_processes(run, prefix)
    profile = cProfile.Profile(time.process_time) if prefix else None
    sys.argv = ["rivalscope", "analyze", *argv[argv.index("--") + 1 :]]
    if profile:
        profile.enable()
    try:
        cli()
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise
    finally:
        if profile:
            profile.disable()
            profile.dump_stats(f"{prefix}.parent")
    own_cpu, children_cpu, now = _clocks()
    print(
        f"total: this process {own_cpu:.2f} CPU-s, pool processes {children_cpu:.2f} CPU-s, "
        f"wall {now - STARTED:.2f} s, load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    for name, (parent, children, wall, calls) in STAGES.items():
        print(
            f"  {name:44} this process {parent:6.2f}  pool {children:6.2f}  "
            f"wall {wall:6.2f}  ({calls} calls)",
            file=sys.stderr,
        )
    print(f"  {_two_core_wall(own_cpu, children_cpu)}", file=sys.stderr)
    return 0


def _two_core_wall(own_cpu: float, children_cpu: float) -> str:
    """The wall seconds this run's CPU would take on two free cores: the serial stages (this
    process alone, with no pool beside it: import and the ``serial:`` ones) one after the
    other, everything else spread over both (the pools' CPU and this process's while they
    run). A floor on a shared machine, where the measured wall is the load's."""
    serial = sum(v[0] for k, v in STAGES.items() if k == "import" or k.startswith("serial:"))
    parallel = own_cpu + children_cpu - serial
    return (
        f"on two free cores: about {serial + parallel / 2:.2f} s wall "
        f"({serial:.2f} CPU-s serial, {parallel:.2f} CPU-s over both cores)"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Extraction CPU time of several source trees, whole runs alternated in fresh processes.

    python benchmarks/extract_cpu_runs.py PAGES_DIR TRUTH TREE [TREE ...] [--pairs 3]

Each run is a new worker process of ``offers_timing_ab.py`` (``PYTHONPATH=TREE``) that
extracts every page once with ``extract_auto`` and answers each page's CPU seconds (the
process clock); one untimed page first, so that lazy loads and caches warmed by the first
call fall outside the clock. The trees take turns run by run (A B C, A B C, ...), ``--pairs``
rounds, so that the load of a shared machine falls on all alike. Printed per tree: the
median of the per-run medians over pages, the median per-run total, each run's median, and
the ratios to the first tree; with the 1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from site_folds import page_ids

_AB = Path(__file__).resolve().parent / "offers_timing_ab.py"


def one_run(tree: Path, pages_dir: Path, truth: Path, ids: list[str]) -> list[float]:
    """CPU seconds per page of one fresh worker process extracting with ``tree``."""
    worker = subprocess.Popen(
        [
            sys.executable,
            str(_AB),
            *(str(tree),) * 2,
            str(pages_dir),
            str(truth),
            "--serve",
            str(tree),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
        cwd=tree,
    )
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write("".join(f"{i} 1\n" for i in [ids[0], *ids]))
    worker.stdin.close()
    answers = worker.stdout.read().split()
    if worker.wait() != 0 or len(answers) != len(ids) + 1:
        raise SystemExit(2)  # the worker said why on stderr
    return [float(a) for a in answers[1:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path, help="JSON object {id: {url, ...}}")
    parser.add_argument("trees", type=Path, nargs="+")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    if not all((t / "spiders" / "extract" / "auto.py").is_file() for t in args.trees):
        print("error: give source trees (folders holding spiders/extract)", file=sys.stderr)
        return 2
    if not args.pages_dir.is_dir() or not args.truth.is_file() or args.pairs < 1:
        print("error: give the pages folder, the truth file and --pairs >= 1", file=sys.stderr)
        return 2
    ids = page_ids(args.pages_dir, json.loads(args.truth.read_text(encoding="utf-8")))
    load_before = os.getloadavg()[0]
    medians: list[list[float]] = [[] for _ in args.trees]
    totals: list[list[float]] = [[] for _ in args.trees]
    for _ in range(args.pairs):
        for index, tree in enumerate(args.trees):
            seconds = one_run(tree.resolve(), args.pages_dir, args.truth, ids)
            medians[index].append(statistics.median(seconds))
            totals[index].append(sum(seconds))
    print(f"pages={len(ids)} runs_per_tree={args.pairs} "
          f"load_1min before={load_before:.1f} after={os.getloadavg()[0]:.1f}")  # fmt: skip
    first_median = statistics.median(medians[0])
    first_total = statistics.median(totals[0])
    for tree, run_medians, run_totals in zip(args.trees, medians, totals, strict=True):
        median = statistics.median(run_medians)
        total = statistics.median(run_totals)
        runs = " ".join(f"{m * 1000:.1f}" for m in run_medians)
        print(f"{tree}: median_cpu_ms={median * 1000:.1f} total_cpu_s={total:.2f} "
              f"ratio_median={median / first_median:.3f} ratio_total={total / first_total:.3f} "
              f"runs_median_ms=[{runs}]")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

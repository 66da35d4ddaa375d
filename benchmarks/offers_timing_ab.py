"""Extraction time of two source trees on the same saved pages, page by page alternated.

    python benchmarks/offers_timing_ab.py TREE_A TREE_B PAGES_DIR GROUND_TRUTH
        [--rounds 2] [--repeat 3] [--strip-markup]

Each tree runs ``extract_auto`` in its own worker process (``PYTHONPATH=TREE``); the pages
go to the two in turn, the order swapped every page, so that the load of a shared machine
falls on both alike. Per page the median CPU time of ``--repeat`` runs (the process clock);
printed: both trees' median over pages, the ratio of the medians and the median of the
per-page ratios (B over A). ``--strip-markup`` times the pages with their markup taken out
(``stripped_markup.py``, before the clock).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from site_folds import add_tree_arguments, careless_trees

_HERE = Path(__file__).resolve().parent


def serve(tree: str, pages_dir: Path, truth_path: Path, strip: bool) -> None:
    """Worker: read "<page id> <repeat>" lines, answer each with the median CPU seconds."""
    sys.path.insert(0, str(_HERE))
    from site_folds import load_page, tree_worker_truth
    from stripped_markup import strip_markup

    from spiders.extract import auto

    truth = tree_worker_truth(tree, truth_path)
    for line in sys.stdin:
        page_id, repeat = line.split()
        html = load_page(pages_dir, page_id)
        html = strip_markup(html) if strip else html
        times = []
        for _ in range(int(repeat)):
            start = time.process_time()
            auto.extract_auto(html, truth[page_id]["url"])
            times.append(time.process_time() - start)
        print(statistics.median(times), flush=True)


def _ask(worker: subprocess.Popen[str], page_id: str, repeat: int) -> float:
    stdin: IO[str] | None = worker.stdin
    stdout: IO[str] | None = worker.stdout
    assert stdin is not None and stdout is not None
    stdin.write(f"{page_id} {repeat}\n")
    stdin.flush()
    answer = stdout.readline()
    if not answer:
        raise SystemExit(2)  # the worker said why on stderr
    return float(answer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_tree_arguments(parser)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strip-markup", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.pages_dir, args.truth, args.strip_markup)
        return 0
    if careless_trees(args):
        return 2
    trees = (args.tree_a, args.tree_b)
    if args.rounds < 1 or args.repeat < 1:
        print("error: --rounds and --repeat must be at least 1", file=sys.stderr)
        return 2
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    ids = sorted(i for i in truth if any(args.pages_dir.glob(f"{i}.html*")))
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                str(tree),
                str(tree),
                str(args.pages_dir),
                str(args.truth),
                "--serve",
                str(tree),
            ]
            + (["--strip-markup"] if args.strip_markup else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(tree)},
            cwd=tree,
        )
        for tree in trees
    ]
    seconds: list[list[float]] = [[], []]
    ratios = []
    for round_number in range(args.rounds):
        for index, page_id in enumerate(ids):
            order = (0, 1) if (index + round_number) % 2 == 0 else (1, 0)
            took = {w: _ask(workers[w], page_id, args.repeat) for w in order}
            seconds[0].append(took[0])
            seconds[1].append(took[1])
            ratios.append(took[1] / took[0] if took[0] else 1.0)
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    a, b = (statistics.median(s) for s in seconds)
    print(f"pages={len(ids)} rounds={args.rounds} strip_markup={args.strip_markup} "
          f"median_cpu_ms a={a * 1000:.1f} b={b * 1000:.1f} ratio_of_medians={b / a:.3f} "
          f"median_page_ratio={statistics.median(ratios):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Seconds per ``rivalscope targets check`` of one demo page, against baseline trees.

    python benchmarks/targets_check.py [--baseline TREE ...] [--runs 7] [--command check]
    python benchmarks/targets_check.py --phases [--runs 3]

Serves the demo shops on 127.0.0.1 (``rivalscope.demo.server``), writes their targets file,
then runs ``rivalscope targets check SOURCE --url PRODUCT_PAGE`` (or ``suggest --url`` /
``detect --no-browser``, ``detect`` rendering in chromium) as a user would, each run a new process, alternating the tree on
PYTHONPATH (this one by default) with each ``--baseline`` (e.g. ``git archive main``
unpacked; repeat the option for more), so all see the same load. Prints each run (wall
clock and the CPU seconds of the command and its children), then per tree the medians, the
ratios, and the load average.

``--phases`` says where one reading's time goes, in this process with this tree's code:
imports (``spiders.target_check``), then the probe crawl (``spiders.crawl_probe``) from its
start to the engine running, robots.txt, the page, and the close until the crawl returned.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("check", "suggest", "detect", "detect-browser")


def _argv(command: str, source: str, url: str, targets: Path) -> list[str]:
    if command == "check":
        return ["targets", "check", source, "--url", url, "--targets", str(targets)]
    if command == "suggest":
        return ["targets", "suggest", "--url", url, "--targets", str(targets)]
    rendered = [] if command == "detect-browser" else ["--no-browser"]
    return ["targets", "detect", url, *rendered, "--targets", str(targets)]


def _cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(tree: Path, args: list[str], workdir: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one command run with ``tree``'s code."""
    from cli_command import rivalscope_command

    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONWARNINGS": "ignore", "COLUMNS": "200"}
    cpu = _cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(
        [*rivalscope_command(), *args], cwd=workdir, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{tree}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return wall, _cpu_of_children() - cpu


async def _timed_reading(url: str, crawler: Any) -> list[tuple[str, float]]:
    """Read ``url`` in the probe's crawl; when each step happened (``time.perf_counter``:
    the same clock in a child process on Linux)."""
    from scrapy import signals

    from spiders import crawl_probe

    marks = [("crawl running", time.perf_counter())]

    def reached(request: Any, spider: Any) -> None:
        marks.append((f"sent {request.url}", time.perf_counter()))

    def answered(response: Any, request: Any, spider: Any) -> None:
        marks.append((f"got {request.url}", time.perf_counter()))

    crawler.signals.connect(reached, signals.request_reached_downloader, weak=False)
    crawler.signals.connect(answered, signals.response_received, weak=False)
    await crawl_probe.fetch(crawler, url)
    marks.append(("page read", time.perf_counter()))
    return marks


def _phases(source: str, url: str, targets: Path, runs: int) -> None:
    """Where one reading's time goes, with this tree's code; the first run in this process
    (as the command does), the others in a child process (as a second reading would)."""
    start = time.perf_counter()
    import spiders.target_check  # noqa: F401  (the command's own imports of the reading)
    from settings.targets import load_targets
    from spiders import crawl_probe

    print(f"import spiders.target_check: {time.perf_counter() - start:.3f} s")
    plan = load_targets(targets)
    _, found = plan.find_source(source)
    values = crawl_probe.probe_settings(plan.crawler, found.limits, obey_robots=True)
    for run in range(runs):
        begun = time.perf_counter()
        job = partial(_timed_reading, url)
        marks = crawl_probe.run_in_crawl(values, job, 60.0, here=run == 0)
        marks = [("start", begun), *marks, ("crawl returned", time.perf_counter())]
        where = "in this process" if run == 0 else "in a child process"
        print(f"run {run + 1} ({where}):")
        for (_, before), (name, at) in itertools.pairwise(marks):
            print(f"  +{at - before:6.3f} s  {name}")
        print(f"  total {marks[-1][1] - marks[0][1]:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--baseline", type=Path, action="append", default=[], help="tree(s) to compare with"
    )
    parser.add_argument("--runs", type=int, default=7, help="runs of each tree")
    parser.add_argument("--command", choices=COMMANDS, default="check")
    parser.add_argument("--phases", action="store_true", help="time one reading's parts")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))

    from rivalscope.demo.server import DemoServer
    from rivalscope.demo.shops import generate_shops
    from rivalscope.demo.targets import write_targets

    shops = generate_shops(products=2)
    shop = next(s for s in shops if s.markup == "jsonld")
    with tempfile.TemporaryDirectory() as tmp, DemoServer(shops, slow_seconds=0.2) as server:
        workdir = Path(tmp)
        targets = workdir / "targets.toml"
        write_targets(targets, server.base_url, shops)
        source = f"{shop.slug}-shop"
        url = f"{server.base_url}/{shop.slug}/p/{shop.products[0].slug}"
        if args.phases:
            _phases(source, url, targets, args.runs)
            return
        trees = {"this": ROOT, **{f"baseline{i + 1}": tree for i, tree in enumerate(args.baseline)}}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        load_before = os.getloadavg()
        command = _argv(args.command, source, url, targets)
        for run in range(args.runs):
            # Alternated, the first tree of each round in turn: all see the same load.
            order = list(trees)[run % len(trees) :] + list(trees)[: run % len(trees)]
            for name in order:
                wall, cpu = _run(trees[name], command, workdir)
                times[name].append((wall, cpu))
                print(f"run {run + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
        load_after = os.getloadavg()
        medians = {
            name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
            for name, runs in times.items()
        }
        for name, (wall, cpu) in medians.items():
            print(f"{name} ({trees[name]}): median {wall:.2f} s wall, {cpu:.2f} s CPU")
        for name in list(trees)[1:]:
            ratio = medians["this"][0] / medians[name][0]
            cpu_ratio = medians["this"][1] / medians[name][1]
            print(f"ratio this/{name}: {ratio:.2f} wall, {cpu_ratio:.2f} CPU")
        print(
            f"targets {args.command}, {args.runs} runs each, load average "
            f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
        )


if __name__ == "__main__":
    main()

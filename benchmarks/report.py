"""Gap report speed: N synthetic analysed reviews (own + 5 competitors) in a fresh SQLite
database, then ``rivalscope report`` on it, run as the real command in a child process.

Usage: python benchmarks/report.py 100000 [--repeat 3] [--db FILE]

Generating the data is not timed (``--db FILE`` keeps it, or reuses it when it exists).
Each repeat runs ``python -m rivalscope report`` (imports included). Two baselines are
measured in the same run: the floor any report pays (one read of every review and mention
row) and the CLI's start-up (``python -m rivalscope --help``: every command module's imports).
Ends with ``reviews=N seconds=S peak_rss_mb=M``: S is the median wall time of the command,
M the peak RSS of the largest report process (the generator is not counted).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text

from compare.report.synthetic import SyntheticPlan, populate
from storage.db import open_database


def plan(reviews: int) -> SyntheticPlan:
    return SyntheticPlan(
        competitors=tuple(f"Rival {c}" for c in "ABCDE"),
        reviews=reviews,
        positive_share={("Rival A", "delivery"): 0.2, ("Own Coffee", "delivery"): 0.9},
        need_share={("Rival B", "app"): 0.2},
        languages=("en", "fr", "pl", "no"),
        products_per_company=20,
    )


def floor_seconds(engine: Engine) -> float:
    """One read of every review and mention row (no grouping): the baseline."""
    started = time.perf_counter()
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*), sum(rating_normalized) FROM review")).all()
        connection.execute(text("SELECT count(*), sum(length(label)) FROM aspect_mention")).all()
    return time.perf_counter() - started


def run_command(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "rivalscope", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"rivalscope {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("reviews", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, help="SQLite file to keep (reused if it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        fresh = not path.exists()
        engine = open_database(url)
        if fresh:
            started = time.perf_counter()
            populate(engine, plan(args.reviews))
            print(f"generated in {time.perf_counter() - started:.1f} s (not timed)", flush=True)
        load_before = os.getloadavg()[0]
        floors: list[float] = []
        startups: list[float] = []
        runs: list[float] = []
        for repeat in range(args.repeat):
            floors.append(floor_seconds(engine))
            startups.append(run_command("--help"))
            runs.append(run_command("report", "--db", url, "--out", f"{folder}/out{repeat}"))
            print(
                f"run {repeat + 1}: report {runs[-1]:.2f} s, start-up {startups[-1]:.2f} s, "
                f"floor {floors[-1]:.2f} s",
                flush=True,
            )
        engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, floor = statistics.median(runs), statistics.median(floors)
    startup = statistics.median(startups)
    cpu = (usage.ru_utime + usage.ru_stime) / len(runs)
    print(
        f"median report {seconds:.2f} s (min {min(runs):.2f}); median start-up {startup:.2f} s; "
        f"report minus start-up {seconds - startup:.2f} s = {(seconds - startup) / floor:.0f}x "
        f"the floor ({floor:.2f} s); CPU per report + start-up {cpu:.2f} s; "
        f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"reviews={args.reviews} seconds={seconds:.2f} peak_rss_mb={usage.ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()

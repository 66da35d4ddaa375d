"""Export speed and memory: N synthetic reviews in a SQLite database, then
``rivalscope export reviews --format parquet`` as the real command in a child process.

Usage: python benchmarks/export.py 1000000 [--repeat 3] [--db FILE]

Generating the data is not timed (``--db FILE`` keeps it, or reuses it when it exists).
Baseline measured in the same run: a bare child process that reads the same rows through
sqlite3 (``fetchmany``) and drops them, the floor of any export. Goal: 1M reviews in under
30 s with peak RSS under 300 MB. Ends with ``reviews=N seconds=S peak_rss_mb=M`` (median
wall time of the command; peak RSS of its largest run, from ``wait4``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from compare.report.synthetic import SyntheticPlan, populate
from storage.db import open_database

FLOOR = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]).cursor()
c.execute("SELECT r.id, c.name, s.name, p.name, r.published, r.language, r.region, r.rating,"
          " r.best_rating, r.rating_normalized, r.title, r.text, r.author_hash, r.url,"
          " r.first_seen_at FROM review r JOIN company c ON c.id = r.company_id"
          " JOIN source s ON s.id = r.source_id LEFT JOIN product p ON p.id = r.product_id"
          " ORDER BY r.id")
while c.fetchmany(65536):
    pass
"""


LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss)
"""
"""Runs the measured command from a small fresh interpreter: Linux keeps a process's peak
RSS across exec, so a child forked straight from this (large) process would report ours."""


def timed_child(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args], capture_output=True, text=True, check=False
    )
    try:
        code, seconds, peak_kb = done.stdout.split()
    except ValueError:
        raise SystemExit(f"launcher failed:\n{done.stderr[-2000:]}") from None
    if code != "0":
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return float(seconds), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reviews", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, help="SQLite file to create or reuse")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rivalscope-export-bench-"))
    db_file = options.db or folder / "bench.db"
    url = f"sqlite:///{db_file}"
    if not db_file.exists():
        print(f"generating {options.reviews} reviews in {db_file} ...", flush=True)
        engine = open_database(url)
        populate(engine, SyntheticPlan(reviews=options.reviews, languages=("en", "fr", "pl", "no")))
        engine.dispose()
    out = folder / "reviews.parquet"
    floors, runs, peaks, floor_peaks = [], [], [], []
    for _ in range(options.repeat):
        seconds, peak = timed_child([sys.executable, "-c", FLOOR, str(db_file)])
        floors.append(seconds)
        floor_peaks.append(peak)
        seconds, peak = timed_child(
            [sys.executable, "-m", "rivalscope", "export", "reviews", "--format", "parquet",
             "--out", str(out), "--db", url]
        )  # fmt: skip
        runs.append(seconds)
        peaks.append(peak)
    size_mb = out.stat().st_size / 1e6
    print(f"floor (sqlite3 read of the same rows): median {statistics.median(floors):.1f} s, "
          f"peak RSS {max(floor_peaks):.0f} MB")  # fmt: skip
    print(f"export to Parquet: median {statistics.median(runs):.1f} s over {len(runs)} runs "
          f"({statistics.median(runs) / statistics.median(floors):.1f}x the floor), "
          f"file {size_mb:.0f} MB")  # fmt: skip
    print(
        f"reviews={options.reviews} seconds={statistics.median(runs):.1f} "
        f"peak_rss_mb={max(peaks):.0f}"
    )


if __name__ == "__main__":
    main()

"""Throughput of ``rivalscope analyze`` on N synthetic ~60-word rated reviews (en, fr, pl, no).

Usage: python benchmarks/analyze.py N [--repeat K] [--workers W]

Each repetition writes the reviews to a CSV, imports them with ``rivalscope import`` into a
fresh SQLite database, then times:
- ``rivalscope analyze`` as a command (wall clock, including interpreter start-up, training
  the per-language models from the ratings, and writing the results; and the CPU seconds of
  the command and its workers, steadier than the wall clock on a shared machine), and its
  re-run;
- ``analyze_database`` in this process on a copy of the freshly imported database (first
  pass, with the training of the per-language models also timed on its own, and re-run),
  which leaves out start-up and shows the re-run ratio; the first pass's CPU seconds (this
  process and its workers) are split into training and analysis.
Prints each repetition, then medians, and the load average (the machine is shared).
Reviews are built from the demo shops' hand-written clauses (``rivalscope.demo.phrases``).
"""

from __future__ import annotations

import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compare.analysis.run import analyze_database, refresh_database_model
from compare.analysis.training import default_models_dir
from rivalscope.demo.phrases import ASPECTS, CLAUSES, NEEDS
from storage.db import open_database

LANGUAGES = ("en", "fr", "pl", "no")
TARGET_WORDS = 60


def synthetic_review(rng: random.Random, language: str) -> tuple[str, int]:
    """A ~60-word review and a star rating (1-5) consistent with its clauses."""
    positive_share = rng.choice([0.0, 0.2, 0.5, 0.8, 1.0, 1.0])
    clauses: list[str] = []
    positives = negatives = 0
    while sum(len(c.split()) for c in clauses) < TARGET_WORDS:
        aspect = rng.choice(ASPECTS)
        good = rng.random() < positive_share
        positives += good
        negatives += not good
        clauses.append(rng.choice(CLAUSES[language][aspect]["positive" if good else "negative"]))
        if rng.random() < 0.1:
            need = rng.choice(list(NEEDS))
            clauses.append(rng.choice(NEEDS[need][language]))
    text = " ".join(c[0].upper() + c[1:] + "." for c in clauses)
    share = positives / max(positives + negatives, 1)
    rating = (
        5 if share > 0.85 else 4 if share > 0.6 else 3 if share > 0.4 else 2 if share > 0.15 else 1
    )
    return text, rating


def write_csv(path: Path, n: int) -> float:
    """Write N reviews; returns the mean word count."""
    rng = random.Random(0)
    words = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "rating", "best_rating", "language"])
        for i in range(n):
            language = LANGUAGES[i % len(LANGUAGES)]
            text, rating = synthetic_review(rng, language)
            words += len(text.split())
            writer.writerow([f"r{i}", text, rating, 5, language])
    return words / n


def cli(*args: str) -> tuple[float, float]:
    """Run ``python -m rivalscope ARGS``; returns wall seconds and the CPU seconds (user and
    system) of the command and its worker processes (fails loudly on errors)."""
    before = _children_cpu()
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "rivalscope", *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"rivalscope {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    return seconds, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    """CPU seconds (user and system) of this process and its finished workers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + _children_cpu()


def one_repetition(folder: Path, csv_path: Path, n: int, workers: list[str]) -> dict[str, float]:
    imported = folder / "imported.db"
    url = f"sqlite:///{imported}"
    import_s, _ = cli("import", str(csv_path), "--company", "Bench", "--new-company", "--db", url)
    pristine = folder / "pristine.db"
    shutil.copy(imported, pristine)
    first_cli, first_cpu = cli("analyze", "--db", url, "--no-progress", *workers)
    again_cli, _ = cli("analyze", "--db", url, "--no-progress", *workers)
    engine = open_database(f"sqlite:///{pristine}")
    count = int(workers[1]) if workers else None
    started, cpu_started = time.perf_counter(), _own_cpu()
    # the same work as analyze_database's first pass, with the training timed on its own
    refresh_database_model(engine, default_models_dir(engine), workers=count or os.cpu_count() or 1)
    trained, trained_cpu = time.perf_counter() - started, _own_cpu() - cpu_started
    first = analyze_database(engine, progress=False, workers=count)
    first_in = time.perf_counter() - started
    analysed_cpu = _own_cpu() - cpu_started - trained_cpu
    started = time.perf_counter()
    analyze_database(engine, progress=False, workers=count)
    again_in = time.perf_counter() - started
    engine.dispose()
    if first.analyzed != n:
        raise SystemExit(f"analysed {first.analyzed} of {n} reviews")
    for path in folder.glob("*.db*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return {
        "import s": import_s,
        "cli first s": first_cli,
        "cli reviews/s": n / first_cli,
        "cli cpu s": first_cpu,
        "cli re-run s": again_cli,
        "in-process first s": first_in,
        "  of which training s": trained,
        "  training cpu s": trained_cpu,
        "  analysis cpu s": analysed_cpu,
        "in-process reviews/s": n / first_in,
        "in-process re-run s": again_in,
        "re-run ratio": first_in / again_in,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[1].isdigit():
        print(__doc__)
        return 2
    n = int(argv[1])
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    workers = ["--workers", argv[argv.index("--workers") + 1]] if "--workers" in argv else []
    rows: list[dict[str, float]] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_path = folder / "reviews.csv"
        words = write_csv(csv_path, n)
        print(f"{n} reviews, ~{words:.0f} words each, {os.cpu_count()} cores")
        for index in range(repeat):
            loads.append(os.getloadavg()[0])
            row = one_repetition(folder, csv_path, n, workers)
            rows.append(row)
            print(
                f"run {index + 1} (load {loads[-1]:.1f}): "
                + ", ".join(f"{k} {v:,.2f}" for k, v in row.items()),
                flush=True,
            )
    print(f"\nmedians over {repeat} runs, load average {statistics.median(loads):.1f}:")
    for key in rows[0]:
        print(f"  {key:22} {statistics.median(r[key] for r in rows):>10,.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

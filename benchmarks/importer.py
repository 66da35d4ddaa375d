"""Speed and peak memory of ``rivalscope import`` against sqlite-utils' CSV insert.

Usage: python benchmarks/importer.py N [--repeat K] [--words W]

Writes N synthetic review rows (id, title, text of ~40 words in en/fr/pl/no, rating,
best_rating, date, author, product; no language column, so every row goes through language
detection) to a CSV, then in each repetition times, on the same file and in the same run:
- ``rivalscope import FILE --company Bench --new-company`` into a fresh SQLite database,
  with the peak resident memory of that process (``wait4``'s ``ru_maxrss``);
- ``sqlite-utils insert DB reviews FILE --csv`` (a plain load: no normalisation, language,
  pseudonymisation or de-duplication), with its peak memory;
and the CPU seconds (user + system) of each process.
Prints each repetition, then the medians, ending
``rows=N import_s=S peak_rss_mb=M sqlite_utils_s=B`` (medians).
Reviews are built from the demo shops' hand-written clauses (``rivalscope.demo.phrases``).
``--words W`` sets the review length (default 40 words, about 300 characters: every text has
the 120 letters lingua reads with trigrams only; ``--words 8`` gives reviews of about 100
characters, four in five of them short, which lingua reads with all its n-gram orders:
``settings.short_detection`` computes that in numpy).
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rivalscope.demo.phrases import ASPECTS, CLAUSES

LANGUAGES = ("en", "fr", "pl", "no")
PRODUCTS = ("Barista One", "Grinder Pro", "Kettle S", "Milk Frother", "Scale Mini")
TARGET_WORDS = 40


def write_csv(path: Path, n: int, words: int = TARGET_WORDS) -> None:
    """N review rows of about ``words`` words, deterministic (seeded)."""
    rng = random.Random(0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "title", "text", "rating", "best_rating", "date", "author", "product"]
        )
        for i in range(n):
            language = LANGUAGES[i % len(LANGUAGES)]
            clauses: list[str] = []
            good = bad = 0
            while sum(len(c.split()) for c in clauses) < words:
                positive = rng.random() < 0.6
                good += positive
                bad += not positive
                polarity = "positive" if positive else "negative"
                clauses.append(rng.choice(CLAUSES[language][rng.choice(ASPECTS)][polarity]))
            text = " ".join(c[0].upper() + c[1:] + "." for c in clauses)
            rating = 1 + round(4 * good / (good + bad))
            day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
            writer.writerow(
                [
                    f"r{i}",
                    clauses[0][:40],
                    text,
                    rating,
                    5,
                    day,
                    f"Customer {i % 5000}",
                    rng.choice(PRODUCTS),
                ]
            )


def timed(args: list[str]) -> tuple[float, float, float]:
    """Run ``args``; (wall seconds, peak RSS in MB, CPU seconds: user + system) of that
    process. Fails loudly."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{out}\n{err}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def one_repetition(folder: Path, csv_path: Path) -> dict[str, float]:
    ours = folder / "rivalscope.db"
    theirs = folder / "sqlite_utils.db"
    for path in (ours, theirs):
        path.unlink(missing_ok=True)
    import_s, import_mb, import_cpu = timed(
        [
            sys.executable,
            "-m",
            "rivalscope",
            "import",
            str(csv_path),
            "--company",
            "Bench",
            "--new-company",
            "--db",
            f"sqlite:///{ours}",
        ]
    )
    utils_s, utils_mb, utils_cpu = timed(
        [
            sys.executable,
            "-m",
            "sqlite_utils",
            "insert",
            str(theirs),
            "reviews",
            str(csv_path),
            "--csv",
        ]
    )
    return {
        "import_s": import_s,
        "peak_rss_mb": import_mb,
        "sqlite_utils_s": utils_s,
        "sqlite_utils_mb": utils_mb,
        "import_cpu_s": import_cpu,
        "sqlite_utils_cpu_s": utils_cpu,
        "ratio": utils_s / import_s,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[1].isdigit():
        print(__doc__)
        return 2
    n = int(argv[1])
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
    words = int(argv[argv.index("--words") + 1]) if "--words" in argv else TARGET_WORDS
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_path = folder / "reviews.csv"
        write_csv(csv_path, n, words)
        print(
            f"{n} review rows of about {words} words, {csv_path.stat().st_size / 1e6:.0f} MB CSV, "
            f"{os.cpu_count()} cores"
        )
        for index in range(repeat):
            load = os.getloadavg()[0]
            row = one_repetition(folder, csv_path)
            rows.append(row)
            print(
                f"run {index + 1} (load {load:.1f}): "
                + ", ".join(f"{k} {v:,.2f}" for k, v in row.items()),
                flush=True,
            )
    median = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(
        f"rivalscope rate / sqlite-utils rate = {median['ratio']:.2f} "
        f"(>= 1: rivalscope is at least as fast); sqlite-utils peak "
        f"{median['sqlite_utils_mb']:.0f} MB; CPU (user + system) {median['import_cpu_s']:.1f} s "
        f"against {median['sqlite_utils_cpu_s']:.1f} s"
    )
    print(
        f"rows={n} import_s={median['import_s']:.2f} peak_rss_mb={median['peak_rss_mb']:.0f} "
        f"sqlite_utils_s={median['sqlite_utils_s']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

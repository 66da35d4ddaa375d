"""Speed and peak memory of ``rivalscope import`` against sqlite-utils' CSV insert.

Usage: python benchmarks/importer.py N [--repeat K] [--words W] [--child auto|yes|no]

Writes N synthetic review rows (id, title, text of ~40 words in en/fr/pl/no, rating,
best_rating, date, author, product; no language column, so every row goes through language
detection) to a CSV, then in each repetition times, on the same file and in the same run:
- ``rivalscope import FILE --company Bench --new-company`` into a fresh SQLite database,
  with the peak resident memory of its largest process (``wait4``'s ``ru_maxrss``) and of
  the import's processes together (parent + detection child: ``/proc`` sampled every
  ``SAMPLE_S``: the peak of their summed RSS, the sum of each one's peak, and the peak of
  their summed PSS, which counts the pages they share once);
- ``sqlite-utils insert DB reviews FILE --csv`` (a plain load: no normalisation, language,
  pseudonymisation or de-duplication), with its peak memory;
and the CPU seconds (user + system) of each process.
Prints each repetition, then the medians, ending
``rows=N import_s=S peak_rss_mb=M sqlite_utils_s=B`` (medians).
``--child yes`` / ``no`` answers the import's load check for its detection child (a file
below ``PIPELINE_MIN_BYTES`` never starts one): on a shared machine the load would decide.
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
import threading
import time
from pathlib import Path

from script_arguments import script_parser

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


SAMPLE_S = 0.02
"""How often the process tree's resident memory is read (``TreeMemory``)."""


def _memory_kb(pid: int) -> tuple[int, int]:
    """(resident, proportional) memory of one process in KB, (0, 0) once it is gone. The
    proportional set size counts a page shared by n processes (libraries, the page cache of
    files both map) as 1/n in each, so the processes' PSS add up to the memory they use
    together, where their RSS count shared pages once per process."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listed:
                found += [int(child) for child in listed.read().split()]
    except OSError:
        pass
    return found


class TreeMemory:
    """Samples a process and all its descendants (the import's detection child) every
    ``SAMPLE_S``: the peak of their summed resident memory, and each process's own peak.
    ``wait4``'s ``ru_maxrss`` gives only the largest single process, never the sum."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_sum_kb = 0
        self.peak_pss_kb = 0
        self.peaks_kb: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo += _children(pid)
            total = proportional = 0
            for pid in tree:
                rss, pss = _memory_kb(pid)
                total += rss
                proportional += pss
                self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), rss)
            self.peak_sum_kb = max(self.peak_sum_kb, total)
            self.peak_pss_kb = max(self.peak_pss_kb, proportional)
            self._stop.wait(SAMPLE_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def timed(args: list[str]) -> tuple[float, float, float, float, float, float, int]:
    """Run ``args``; (wall seconds, peak RSS in MB, CPU seconds: user + system, peak of the
    summed RSS of the process and its children in MB, sum of each process's own peak in MB,
    peak of their summed PSS in MB, processes seen) of that process (CPU and ``ru_maxrss`` include the children it waited
    for). Fails loudly."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tree = TreeMemory(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    tree.stop()
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{out}\n{err}")
    return (
        seconds,
        usage.ru_maxrss / 1024,
        usage.ru_utime + usage.ru_stime,
        tree.peak_sum_kb / 1024,
        sum(tree.peaks_kb.values()) / 1024,
        tree.peak_pss_kb / 1024,
        len(tree.peaks_kb),
    )


FORCED_CHILD = (
    "import sys; import spiders.file_import as f; f._second_core_free = lambda _: {0}; "
    "from rivalscope.cli import main; sys.argv[0] = 'rivalscope'; main()"
)
"""``rivalscope import`` with the detection child's load check answered (``--child``): a
shared machine's load would otherwise decide whether the child runs."""


def one_repetition(folder: Path, csv_path: Path, child: str = "auto") -> dict[str, float]:
    ours = folder / "rivalscope.db"
    theirs = folder / "sqlite_utils.db"
    for path in (ours, theirs):
        path.unlink(missing_ok=True)
    command = ["-m", "rivalscope"] if child == "auto" else ["-c", FORCED_CHILD.format(child)]
    import_s, import_mb, import_cpu, tree_mb, peaks_mb, pss_mb, processes = timed(
        [
            sys.executable,
            *command,
            "import",
            str(csv_path),
            "--company",
            "Bench",
            "--new-company",
            "--db",
            f"sqlite:///{ours}",
        ]
    )
    utils_s, utils_mb, utils_cpu, *_ = timed(
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
        "both_processes_peak_mb": tree_mb,
        "sum_of_peaks_mb": peaks_mb,
        "both_processes_pss_mb": pss_mb,
        "processes": processes,
        "sqlite_utils_s": utils_s,
        "sqlite_utils_mb": utils_mb,
        "import_cpu_s": import_cpu,
        "sqlite_utils_cpu_s": utils_cpu,
        "ratio": utils_s / import_s,
    }


def main(argv: list[str]) -> int:
    parser = script_parser(__doc__)
    parser.add_argument("n", type=int, metavar="N", help="review rows")
    parser.add_argument("--repeat", type=int, default=1, metavar="K")
    parser.add_argument("--words", type=int, default=TARGET_WORDS, metavar="W")
    parser.add_argument(
        "--child",
        choices=("auto", "yes", "no"),
        default="auto",
        help="auto (the import decides), yes or no (the load is not asked)",
    )
    args = parser.parse_args(argv[1:])
    n, repeat, words = args.n, args.repeat, args.words
    child = {"yes": "True", "no": "False"}.get(args.child, args.child)
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
            row = one_repetition(folder, csv_path, child)
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
        f"both processes (parent + detection child): peak of the summed RSS "
        f"{median['both_processes_peak_mb']:.0f} MB, sum of each process's peak "
        f"{median['sum_of_peaks_mb']:.0f} MB, peak of the summed PSS (shared pages counted "
        f"once) {median['both_processes_pss_mb']:.0f} MB ({median['processes']:.0f} processes)"
    )
    print(
        f"rows={n} import_s={median['import_s']:.2f} peak_rss_mb={median['peak_rss_mb']:.0f} "
        f"sqlite_utils_s={median['sqlite_utils_s']:.2f} "
        f"both_processes_peak_mb={median['both_processes_peak_mb']:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

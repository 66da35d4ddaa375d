"""Worst-case time of extraction on mutated pages (the fuzz test's pages), against the
unmutated fixture pages measured in the same run.

    python benchmarks/extract_fuzz.py [--seeds 1 2 3] [--pages 120]

Ends with: ``pages=N median_ms=M worst_ms=W worst_case=<mutation> baseline_worst_ms=B``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.extract.auto import extract_auto  # noqa: E402
from tests.page_mutations import fixture_pages, mutated_pages  # noqa: E402


def timed_ms(html: str, url: str) -> float:
    started = time.perf_counter()
    extract_auto(html, url)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--pages", type=int, default=120)
    args = parser.parse_args()
    baseline = [timed_ms(html, url) for html, url in fixture_pages()]
    times: list[tuple[float, str]] = []
    for seed in args.seeds:
        for html, url, what in mutated_pages(seed, args.pages):
            times.append((timed_ms(html, url), what))
    worst_ms, worst_case = max(times)
    median = statistics.median(t for t, _ in times)
    print(
        f"pages={len(times)} median_ms={median:.1f} worst_ms={worst_ms:.1f} "
        f"worst_case={worst_case!r} baseline_worst_ms={max(baseline):.1f}"
    )


if __name__ == "__main__":
    main()

"""Gap report speed: N synthetic analysed reviews (own + 5 competitors) in a fresh SQLite
database, then the report in this process.

Usage: python benchmarks/report.py 100000 [--keep DIR]
Prints ``reviews=N seconds=S peak_rss_mb=M`` (S: the report only; M: peak RSS of this
process, which also generated the data, so an upper bound).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from compare.report.build import build_report
from compare.report.synthetic import SyntheticPlan, populate
from storage.db import open_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("reviews", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        plan = SyntheticPlan(
            competitors=tuple(f"Rival {c}" for c in "ABCDE"),
            reviews=args.reviews,
            positive_share={("Rival A", "delivery"): 0.2, ("Own Coffee", "delivery"): 0.9},
            need_share={("Rival B", "app"): 0.2},
            languages=("en", "fr", "pl", "no"),
            products_per_company=20,
        )
        started = time.perf_counter()
        populate(engine, plan)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        result = build_report(engine, Path(folder) / "out")
        seconds = time.perf_counter() - started
        engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"findings={len(result.findings)}")
    print(f"reviews={args.reviews} seconds={seconds:.2f} peak_rss_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()

"""Peak memory, time and recorded reasons of ``rivalscope crawl`` per hostile case.

Serves ``tests/hostile_server.py`` on 127.0.0.1 and crawls each case as the only start URL
(one ``rivalscope crawl`` process per case), then the index page that links to every case
at once (four gzip bombs in parallel among them). For each crawl prints the largest
resident memory of any of its processes (crawl, store worker, resource tracker), the
crawl process's own peak (``crawl_run.peak_memory_mb``), wall time, CPU seconds of the crawl
and its children (steadier than wall time on a loaded machine), exit status and
``crawl_run.fetch_problems``. ``--kin`` adds the pages costly to parse (``KIN_CASES``), and
``/fine`` (one plain product page) as the baseline their time compares with.

    python benchmarks/hostile.py [--case /bomb/1 ...]

Ends with: ``cases=N worst_peak_rss_mb=M all_recorded=yes|no``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_server import (  # noqa: E402
    CASES,
    KIN_CASES,
    HostileServer,
    hostile_targets,
    kin_page,
)

_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(usage.ru_maxrss // 1024, round(usage.ru_utime + usage.ru_stime, 1))\n"
    "sys.exit(done.returncode)\n"
)


def crawl_case(base_url: str, path: str, work: Path) -> dict[str, object]:
    targets = work / "targets.toml"
    # The page of many reviews is crawled by a source that keeps them (stored as well).
    holds = "both" if path in ("/dense-reviews", "/dense-state-reviews") else "offers"
    targets.write_text(hostile_targets(base_url, path, holds), encoding="utf-8")
    db = work / "hostile.db"
    db.unlink(missing_ok=True)
    started = time.monotonic()
    done = subprocess.run(
        [
            *(sys.executable, "-c", _PEAK_WRAPPER, sys.executable, "-m", "rivalscope", "crawl"),
            *("--targets", str(targets), "--db", f"sqlite:///{db}", "--log-level", "ERROR"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT status, pages, http_errors, peak_memory_mb, fetch_problems FROM crawl_run"
        ).fetchone()
    return {
        "case": path,
        "exit": done.returncode,
        "seconds": round(seconds, 1),
        "peak_rss_mb": int((done.stdout.split() or ["0"])[0]),
        "cpu_seconds": float((done.stdout.split() or ["0", "0"])[1]),
        "crawl_peak_mb": row[3],
        "status": row[0],
        "pages": row[1],
        "http_errors": row[2],
        "problems": json.loads(row[4] or "{}"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", help="only these paths (default: all + /)")
    parser.add_argument(
        "--kin", action="store_true", help="also pages costly to parse (KIN_CASES: 300k links...)"
    )
    args = parser.parse_args()
    paths = args.case or [*CASES, "/", *(("/fine", *KIN_CASES) if args.kin else ())]
    results = []
    with HostileServer(slow_seconds=5) as server, tempfile.TemporaryDirectory() as tmp:
        for path in KIN_CASES:
            kin_page(path)  # built before serving, as the gzip bomb is
        for path in paths:
            result = crawl_case(server.base_url, path, Path(tmp))
            results.append(result)
            print(
                f"{path[:24]:<24} exit={result['exit']} {result['seconds']:>5} s "
                f"cpu={result['cpu_seconds']:>5} s "
                f"peak_rss_mb={result['peak_rss_mb']:<4} crawl_peak_mb={result['crawl_peak_mb']} "
                f"pages={result['pages']} problems={result['problems']}",
                flush=True,
            )
    reasons = {**CASES, **KIN_CASES}
    recorded = all(
        not reasons.get(str(r["case"])) or reasons[str(r["case"])] in r["problems"]  # type: ignore[operator]
        for r in results
    )
    worst = max(int(r["peak_rss_mb"]) for r in results)  # type: ignore[call-overload]
    print(
        f"cases={len(results)} worst_peak_rss_mb={worst} all_recorded={'yes' if recorded else 'no'}"
    )


if __name__ == "__main__":
    main()

"""Distributed crawl benchmark: 1, 2 and 4 workers against the real Redis and PostgreSQL.

The demo shops are served on many loopback hosts (127.0.0.2 ... one shop per host, each
page answered after ``--latency`` seconds) and crawled once in one process (the reference
rows, SQLite) and then by 1, 2 and 4 ``rivalscope worker`` processes through
``rivalscope crawl --distributed`` into a throwaway PostgreSQL schema. Prints pages/s per
worker count, whether the rows equal the reference, and the peak number of requests any
one host received in one second, against the limit (1 / download_delay per host).

    python benchmarks/distributed.py [--hosts 20] [--latency 0.5] [--delay 0.1]

Ends with ``speedup_2=X speedup_4=Y rows_identical=1|0 max_host_rps=R limit_rps=L``.
Needs Redis at 127.0.0.1:6379 and PostgreSQL at 127.0.0.1:5432 (database ``test``).
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from rivalscope.demo.server import DemoServer  # noqa: E402
from rivalscope.demo.shops import generate_shops  # noqa: E402
from rivalscope.demo.targets import targets_toml  # noqa: E402
from storage.db import open_database  # noqa: E402
from tests.test_crawl_end_to_end import _snapshot  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"


class TimedServer(DemoServer):
    """A demo server whose pages take ``latency`` seconds and that notes when each came."""

    def __init__(self, *args: Any, latency: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latency = latency
        self.moments: list[float] = []
        self._moments_lock = threading.Lock()

    def _record(self, path: str) -> None:
        with self._moments_lock:
            self.moments.append(time.monotonic())
        super()._record(path)
        time.sleep(self.latency)  # in the handler's thread: other requests go on

    def span(self, since: float) -> tuple[float, float] | None:
        """First and last request received since ``since``."""
        with self._moments_lock:
            moments = [m for m in self.moments if m >= since]
        return (min(moments), max(moments)) if moments else None

    def peak_rps(self, since: float) -> int:
        """Most requests received within any one second since ``since``."""
        with self._moments_lock:
            moments = sorted(m for m in self.moments if m >= since)
        return max(
            (bisect.bisect_left(moments, m + 1.0) - i for i, m in enumerate(moments)), default=0
        )


def host_targets(servers: list[TimedServer], shops: list[Any], delay: float) -> str:
    """One source per host: host i serves shop i % 4 under names of its own."""
    parts = ['[crawler]\ncontact_url = "https://github.com/rivalscope/rivalscope#crawler"\n']
    for i, server in enumerate(servers):
        shop = shops[i % len(shops)]
        body = targets_toml(server.base_url, [shop]).split("[[company]]", 1)[1]
        body = re.sub(r'^name = "(.*)"$', rf'name = "\1-h{i}"', body, flags=re.M)
        if i >= len(shops):
            body = body.replace("own = true", "own = false")
        # A fixed delay (no AutoThrottle): the per-host limit the workers must share.
        body = re.sub(
            r"^download_delay = .*$",
            f"download_delay = {delay}\nautothrottle = false",
            body,
            flags=re.M,
        )
        parts.append("[[company]]" + body)
    return "\n".join(parts)


def cli(*args: str, cwd: Path, db: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rivalscope", *args, "--db", db],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )


def fresh_schema(admin: Any) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema, f"{POSTGRES}?options=-csearch_path%3D{schema}"


def pages_of(url: str) -> int:
    engine = open_database(url)
    with engine.connect() as conn:
        pages = int(
            conn.execute(text("SELECT COALESCE(SUM(pages), 0) FROM crawl_run")).scalar_one()
        )
    engine.dispose()
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per page")
    parser.add_argument("--delay", type=float, default=0.1, help="download_delay per host")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    shops = generate_shops()
    servers = [
        TimedServer(shops, host=f"127.0.0.{2 + i}", slow_seconds=0.5, latency=args.latency)
        for i in range(args.hosts)
    ]
    for server in servers:
        server.start()
    work = Path(tempfile.mkdtemp(prefix="rivalscope-distributed-"))
    targets = work / "targets.toml"
    targets.write_text(host_targets(servers, shops, args.delay), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore",
        "RIVALSCOPE_CHECKPOINT_S": "2",
    }
    admin = create_engine(POSTGRES)
    schemas: list[str] = []
    try:
        reference_url = f"sqlite:///{work / 'reference.db'}"
        started = time.monotonic()
        done = cli(
            "crawl",
            "--targets",
            str(targets),
            "--log-level",
            "ERROR",
            cwd=work,
            db=reference_url,
            env=env,
        )
        one_process_s = time.monotonic() - started
        if done.returncode not in (0, 1):
            sys.exit(f"reference crawl failed: {done.stderr[-2000:]}")
        engine = open_database(reference_url)
        reference: dict[str, Any] = _snapshot(engine)
        engine.dispose()
        print(
            f"one process: {pages_of(reference_url)} pages in {one_process_s:.1f} s, "
            f"{len(reference['reviews'])} reviews"
        )
        rates: dict[int, float] = {}
        identical = True
        peak = 0
        for count in (int(n) for n in args.workers.split(",")):
            schema, url = fresh_schema(admin)
            schemas.append(schema)
            run_env = {**env, "RIVALSCOPE_REDIS_PREFIX": f"bench-{schema}"}
            seeded = cli(
                "crawl",
                "--distributed",
                "--queue",
                REDIS,
                "--targets",
                str(targets),
                cwd=work,
                db=url,
                env=run_env,
            )
            if seeded.returncode != 0:
                sys.exit(f"seeding failed: {seeded.stderr[-2000:]}")
            since = time.monotonic()
            workers = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "rivalscope",
                        "worker",
                        "--queue",
                        REDIS,
                        "--db",
                        url,
                        "--until-idle",
                        "--log-level",
                        "ERROR",
                    ],
                    cwd=work,
                    env=run_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(count)
            ]
            for worker in workers:
                _, err = worker.communicate(timeout=1800)
                if worker.returncode != 0:
                    sys.exit(f"a worker failed: {err[-2000:]}")
            seconds = time.monotonic() - since
            pages = pages_of(url)
            engine = open_database(url)
            rows: dict[str, Any] = _snapshot(engine)
            engine.dispose()
            same = rows == reference
            for table, reference_rows in reference.items():
                ours, theirs = Counter(rows[table]), Counter(reference_rows)
                if ours != theirs:
                    print(
                        f"  {table}: {sum((ours - theirs).values())} extra, e.g. "
                        f"{list(ours - theirs)[:2]}; {sum((theirs - ours).values())} "
                        f"missing, e.g. {list(theirs - ours)[:2]}"
                    )
            identical = identical and same
            host_peak = max(server.peak_rps(since) for server in servers)
            peak = max(peak, host_peak)
            # Crawl rate between the first and the last request the hosts received: the
            # workers' start-up (Scrapy, language models) is the same for any count.
            spans = [span for server in servers if (span := server.span(since)) is not None]
            crawling = max(end for _, end in spans) - min(start for start, _ in spans)
            rates[count] = pages / crawling
            print(
                f"{count} worker(s): {pages} pages, {crawling:.1f} s crawling "
                f"({seconds:.1f} s with start-up) = {rates[count]:.1f} pages/s; "
                f"rows identical: {same}; busiest host: {host_peak} requests/s"
            )
    finally:
        import redis

        client = redis.Redis.from_url(REDIS)
        for schema in schemas:  # the runs' keys (queues, dupe filters, workers)
            keys = list(client.scan_iter(f"bench-{schema}:*"))
            if keys:
                client.delete(*keys)
        client.close()
        for server in servers:
            server.stop()
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    base = rates.get(1) or 1.0
    print(
        f"speedup_2={rates.get(2, 0) / base:.2f} speedup_4={rates.get(4, 0) / base:.2f} "
        f"rows_identical={int(identical)} max_host_rps={peak} limit_rps={1 / args.delay:.0f}"
    )


if __name__ == "__main__":
    main()

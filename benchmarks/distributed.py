"""Distributed crawl benchmark: 1, 2 and 4 workers against the real Redis and PostgreSQL.

The demo shops are served on many loopback hosts (127.0.0.2 ... one shop per host, each
page answered after ``--latency`` seconds) and crawled once in one process (the reference
rows, SQLite) and then by 1, 2 and 4 ``rivalscope worker`` processes through
``rivalscope crawl --distributed`` into a throwaway PostgreSQL schema. Prints pages/s per
worker count, whether the rows equal the reference, and the peak number of requests any
one host got in one second, against the limit (1 / download_delay per host), twice: as
the hosts' servers received them (the kernel's receive timestamps) and as the workers sent
them (``RIVALSCOPE_SEND_LOG``: each worker logs when the socket took each request, and
when the shared limit had let it go; the round prints that stretch and the consecutive
sends to a host closer than the delay).

    python benchmarks/distributed.py [--hosts 20] [--products 6] [--latency 0.5] [--delay 0.1]
        [--worker-concurrency 32]

Each worker keeps at most ``--worker-concurrency`` requests in flight (``rivalscope worker
--concurrency``, a real per-worker bound: sockets, memory, parsing); with enough hosts
(``--hosts 40``: 127.0.0.2-127.0.0.41) the per-host rate is not what binds, and one
worker's throughput is at most concurrency / latency. After each round the benchmark
prints the bounds of that round (the workers' concurrency, the hosts' rate, the CPU) and
which the measured rate is nearest: what binds.

Ends with ``server_max_host_rps=S (...)`` and ``speedup_2=X speedup_4=Y
rows_identical=1|0 max_host_rps=R limit_rps=L``, R the senders' figure. Needs Redis at
127.0.0.1:6379 and PostgreSQL at 127.0.0.1:5432 (database ``test``).
"""

from __future__ import annotations

import argparse
import bisect
import collections
import contextlib
import itertools
import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.row_diff import row_differences  # noqa: E402
from rivalscope.demo.server import DemoServer  # noqa: E402
from rivalscope.demo.shops import generate_shops  # noqa: E402
from rivalscope.demo.sitefiles import private_paths  # noqa: E402
from rivalscope.demo.targets import targets_toml  # noqa: E402
from spiders.distributed.capacity import DEFAULT as DEFAULT_CONCURRENCY  # noqa: E402
from spiders.distributed.keys import Keys  # noqa: E402
from spiders.distributed.sending import read_send_log  # noqa: E402
from storage.db import open_database  # noqa: E402
from tests.test_crawl_end_to_end import _snapshot  # noqa: E402
from tests.test_crawl_kill import process_stats  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"
WORKER = [sys.executable, "-m", "rivalscope", "worker"]
PRODUCTS = 6
"""Products per shop (the demo's). With so few, a run is a few chains of dependent pages
(listing, product, review pages one after the other), bound by the pages' latency more
than by the workers; ``--products 24`` gives each host more pages than one worker keeps
at the host's rate."""


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; Python does not name it
_arrival = threading.local()


def _note_arrival(connection: socket.socket) -> None:
    """Before a request is read (the client sends one at a time): the moment the kernel
    received its first bytes (the socket's receive timestamp, realtime, put on the
    monotonic clock), whenever the handler's thread gets to run."""
    _arrival.moment = None
    with contextlib.suppress(OSError):
        _, ancillary, _, _ = connection.recvmsg(1, 256, socket.MSG_PEEK)
        for level, kind, data in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
                seconds, nanos = struct.unpack("qq", data[:16])
                _arrival.moment = seconds + nanos / 1e9 - (time.time() - time.monotonic())


class TimedServer(DemoServer):
    """A demo server whose pages take ``latency`` seconds and that notes when each came:
    when the kernel received the request's first bytes (its receive timestamp), not when a
    handler thread, one of hundreds under load, got to read it (those moments came late and
    bunched: 12 in one second while the workers sent at most 10)."""

    def __init__(self, *args: Any, latency: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latency = latency
        self.moments: list[float] = []
        self._moments_lock = threading.Lock()

    def start(self) -> TimedServer:
        super().start()
        httpd = self._httpd
        assert httpd is not None
        # Accepted connections inherit the listening socket's timestamping.
        httpd.socket.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        base: Any = httpd.RequestHandlerClass

        class ArrivalTimedHandler(base):  # type: ignore[misc, valid-type]
            def handle_one_request(self) -> None:
                _note_arrival(self.connection)
                super().handle_one_request()

        httpd.RequestHandlerClass = ArrivalTimedHandler
        return self

    def _record(self, path: str) -> None:
        moment = getattr(_arrival, "moment", None)
        with self._moments_lock:
            self.moments.append(time.monotonic() if moment is None else moment)
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
            return peak_in_a_second([m for m in self.moments if m >= since])


def peak_in_a_second(moments: list[float]) -> int:
    """Most of ``moments`` within any one second (a half-open window)."""
    moments = sorted(moments)
    return max((bisect.bisect_left(moments, m + 1.0) - i for i, m in enumerate(moments)), default=0)


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


@dataclass
class Measured:
    seconds: float
    """From seeding the queue to the last run complete (its rows stored)."""
    requests_s: float
    """From the first to the last request the hosts received."""
    first_s: float
    """From seeding to the first request a host received (claims, crawlers, robots.txt)."""
    startup_s: float
    """The workers' start-up, before seeding (not measured as crawling)."""
    host_peak: int
    cpu_s: float
    """CPU time of the workers and their store processes while crawling."""
    forbidden: int
    """Requests for pages robots.txt disallows (must be 0)."""
    served_cpu_s: float
    """CPU time of the hosts' servers (this process): near the seconds, they are the limit."""
    sent: Sent
    """The workers' own log of when they sent each request."""


@dataclass
class Sent:
    """What the workers' send logs (``RIVALSCOPE_SEND_LOG``) say of a round."""

    host_peaks: dict[str, int]
    """Per host, the most requests sent to it within any one second."""
    gaps_below_delay: int
    """Consecutive sends to one host closer than the configured delay."""
    min_gap_s: float
    stretch_ms: tuple[float, float, float]
    """From the shared limit letting a request go to the socket taking it: median, p99, max."""
    late_ms: tuple[float, float, float]
    """From a request's moment (the earliest it could be) to its write: median, p99, max
    (more than the margin between two moments, it takes a new one first)."""
    socket_ms: tuple[float, float, float]
    """From the write on the connection to the socket taking it (the reactor's next write
    turn): median, p99, max."""
    requests: int
    retimed: int
    """Requests that took a new moment at the write (late for theirs)."""

    @property
    def peak(self) -> int:
        return max(self.host_peaks.values(), default=0)


def _spread(values: list[float]) -> tuple[float, float, float]:
    """Median, 99th percentile and maximum."""
    if not values:
        return (float("nan"),) * 3
    values = sorted(values)
    return statistics.median(values), values[int(0.99 * (len(values) - 1))], values[-1]


def sent_figures(folder: Path, delay: float) -> Sent:
    records = read_send_log(folder)
    by_host: dict[str, list[float]] = {}
    stretches, socket_waits, lateness = [], [], []
    for record in records:
        if record.earliest is not None and record.written is not None:
            lateness.append(1000 * (record.written - record.earliest))
        if record.sent is not None and record.written is not None:
            socket_waits.append(1000 * (record.sent - record.written))
        moment = record.sent if record.sent is not None else record.written
        if moment is None:
            continue
        by_host.setdefault(record.host, []).append(moment)
        if record.admitted is not None:
            stretches.append(1000 * (moment - record.admitted))
    gaps = [b - a for moments in by_host.values() for a, b in itertools.pairwise(sorted(moments))]
    return Sent(
        {host: peak_in_a_second(moments) for host, moments in by_host.items()},
        sum(1 for gap in gaps if gap < delay),
        min(gaps, default=float("nan")),
        _spread(stretches),
        _spread(lateness),
        _spread(socket_waits),
        len(records),
        sum(record.retimed for record in records),
    )


def _cpu_seconds(roots: list[int]) -> float:
    """CPU time (user + system) of the processes ``roots`` and their children (Linux)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for pid, fields in process_stats():
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, list(roots)
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def _alive_workers(client: Any, prefix: str) -> int:
    return sum(1 for _ in client.scan_iter(f"{prefix}:worker:*:alive"))


def crawl_with_workers(
    count: int,
    work: Path,
    targets: Path,
    url: str,
    prefix: str,
    env: dict[str, str],
    servers: list[TimedServer],
    concurrency: int,
    delay: float,
) -> Measured:
    """Start ``count`` workers, wait until each is ready (imports, store process, language
    models: a long-lived worker pays them once), then seed the runs from this process
    and time them to the end of the last one. The workers are stopped afterwards."""
    import redis

    from settings.targets import load_targets
    from spiders.distributed.seed import seed_runs

    client = redis.Redis.from_url(REDIS)
    send_log = work / f"sent-{prefix}"
    run_env = {**env, "RIVALSCOPE_REDIS_PREFIX": prefix, "RIVALSCOPE_SEND_LOG": str(send_log)}
    forbidden_before = _forbidden_requests(servers)
    launched = time.monotonic()
    logs = [work / f"worker-{prefix}-{i}.log" for i in range(count)]
    workers = [
        subprocess.Popen(
            [
                *WORKER,
                "--queue",
                REDIS,
                "--db",
                url,
                "--log-level",
                "WARNING",
                "--concurrency",
                str(concurrency),
            ],
            cwd=work,
            env=run_env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w", encoding="utf-8"),
            text=True,
        )
        for log in logs
    ]
    try:
        while _alive_workers(client, prefix) < count:
            if any(worker.poll() is not None for worker in workers):
                sys.exit(f"a worker failed to start: {_tail(logs)}")
            time.sleep(0.05)
        startup = time.monotonic() - launched
        cpu_before = _cpu_seconds([worker.pid for worker in workers])
        os.environ["RIVALSCOPE_REDIS_PREFIX"] = prefix  # the seeding's key prefix
        since = time.monotonic()
        served_before = time.process_time()  # this process serves the hosts' pages
        text_ = targets.read_text(encoding="utf-8")
        seeded = seed_runs(load_targets(targets), text_, None, REDIS, url)
        if any(result.refused for result in seeded):
            sys.exit(f"seeding refused: {[r.refused for r in seeded if r.refused]}")
        registry = Keys(prefix).registry
        while client.hlen(registry):
            if any(worker.poll() is not None for worker in workers):
                sys.exit(f"a worker stopped: {_tail(logs)}")
            time.sleep(0.02)
        seconds = time.monotonic() - since
        cpu = _cpu_seconds([worker.pid for worker in workers]) - cpu_before
        served = time.process_time() - served_before
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            worker.wait(timeout=120)
            if worker.returncode not in (0, -signal.SIGINT):
                print(f"  a worker ended with {worker.returncode}: {_tail(logs)[-500:]}")
        client.close()
    spans = [span for server in servers if (span := server.span(since)) is not None]
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    return Measured(
        seconds,
        last - first,
        first - since,
        startup,
        max(s.peak_rps(since) for s in servers),
        cpu,
        _forbidden_requests(servers) - forbidden_before,
        served,
        sent_figures(send_log, delay),
    )


def _tail(logs: list[Path]) -> str:
    """The end of the workers' logs (for a failure's message)."""
    return "\n".join(log.read_text(encoding="utf-8")[-2000:] for log in logs if log.exists())


def _forbidden_requests(servers: list[TimedServer]) -> int:
    """Requests the hosts received for pages their robots.txt disallows."""
    disallowed = tuple(private_paths(servers[0].shops))
    return sum(
        1 for server in servers for path in server.requested_paths if path.startswith(disallowed)
    )


def binding(count: int, args: argparse.Namespace, measured: Measured, pages: int) -> str:
    """The round's bounds in pages/s, and the one the measured rate is nearest."""
    crawling = pages / measured.seconds
    cpu_per_page = (measured.cpu_s + measured.served_cpu_s) / pages
    bounds = {
        "the hosts' rate": args.hosts / args.delay if args.delay else float("inf"),
        "the machine's CPU": (os.cpu_count() or 1) / cpu_per_page,
    }
    if args.worker_concurrency:
        bounds["the workers' concurrency"] = count * args.worker_concurrency / args.latency
    nearest = min(bounds, key=lambda name: bounds[name] / crawling)
    # Start-up of the runs and their ends are fixed costs: not spent fetching pages.
    fetching = pages / measured.requests_s
    shown = ", ".join(f"{name} {rate:.0f}" for name, rate in bounds.items())
    cores, load = os.cpu_count() or 1, os.getloadavg()[0]
    # The CPU bound assumes the cores are ours: on a machine busy with other work, the
    # workers wait for a core, and no bound above is reached.
    busy = (
        f"; the machine is busy with other work too (load {load:.1f} on {cores} cores, "
        f"the workers and servers used {(measured.cpu_s + measured.served_cpu_s) / measured.seconds:.2f} "
        "cores)"
        if load > cores
        else ""
    )
    return (
        f"bounds (pages/s): {shown}; measured {crawling:.1f} from seeding, {fetching:.1f} "
        f"from the first to the last request: nearest {nearest} "
        f"({100 * fetching / bounds[nearest]:.0f}% of it while fetching){busy}; fixed "
        f"costs (seeding to first request, last request to complete) "
        f"{measured.seconds - measured.requests_s:.1f} s of {measured.seconds:.1f} s"
    )


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
    parser.add_argument(
        "--products",
        type=int,
        default=PRODUCTS,
        help="products per shop (more: more pages per host, less bound by latency)",
    )
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per page")
    parser.add_argument("--delay", type=float, default=0.1, help="download_delay per host")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help="requests in flight per worker, all its runs together (rivalscope worker "
        "--concurrency; 0: no bound)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each worker count N times (medians)"
    )
    args = parser.parse_args()
    shops = generate_shops(products=args.products)
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
        # One pseudonym key for every database: else each has its own and no author_hash
        # of two crawls could be equal.
        "RIVALSCOPE_PSEUDONYM_KEY": "benchmark-pseudonym-key",
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
        reference_pages = pages_of(reference_url)
        print(
            f"one process: {reference_pages} pages in {one_process_s:.1f} s, "
            f"{len(reference['reviews'])} reviews"
        )
        print(
            f"settings of every round: {args.hosts} hosts, {args.products} products per shop, "
            f"{args.latency} s per page, {args.delay} s between requests to a host, "
            f"{args.worker_concurrency or 'unbounded'} requests in flight per worker"
        )
        counts = [int(n) for n in args.workers.split(",")]
        rounds: list[dict[int, float]] = []
        cpu_per_page: dict[int, list[float]] = {}
        loads: list[float] = []
        identical = True
        peak = sent_peak = 0
        # Rounds of every worker count in turn: a ratio within one round shares its load.
        for count, repeat in ((c, r) for r in range(args.repeat) for c in counts):
            if count == counts[0]:
                rounds.append({})
            rates = rounds[-1]
            schema, url = fresh_schema(admin)
            schemas.append(schema)
            prefix = f"bench-{schema}"
            open_database(url).dispose()  # migrated before the clock starts
            measured = crawl_with_workers(
                count,
                work,
                targets,
                url,
                prefix,
                env,
                servers,
                args.worker_concurrency,
                args.delay,
            )
            pages = pages_of(url)
            reference_engine, engine = open_database(reference_url), open_database(url)
            data_differences, run_differences = row_differences(reference_engine, engine)
            rows: dict[str, Any] = _snapshot(engine)
            reference_engine.dispose()
            engine.dispose()
            same = rows == reference and not data_differences
            for line in data_differences:
                print(f"  rows differ: {line}")
            for line in run_differences:
                print(f"  run figures differ: {line}")
            identical = identical and same
            peak = max(peak, measured.host_peak)
            sent_peak = max(sent_peak, measured.sent.peak)
            # The work is the one-process crawl's pages: each worker also fetches robots.txt.
            rates[count] = reference_pages / measured.seconds
            # CPU per page: the figure that does not depend on the other load of the machine.
            cpu_per_page.setdefault(count, []).append(1000 * measured.cpu_s / reference_pages)
            loads.append(os.getloadavg()[0])
            print(
                f"{count} worker(s), round {repeat + 1}: {pages} pages fetched, run complete "
                f"{measured.seconds:.1f} s after seeding = {rates[count]:.1f} pages/s (first "
                f"to last request {measured.requests_s:.1f} s, seeding to first "
                f"{measured.first_s:.1f} s, last request to complete "
                f"{measured.seconds - measured.first_s - measured.requests_s:.1f} s; start-up before seeding "
                f"{measured.startup_s:.1f} s; {measured.cpu_s:.1f} CPU-s in the workers = "
                f"{cpu_per_page[count][-1]:.1f} CPU-ms per page; the servers {measured.served_cpu_s:.1f} "
                f"CPU-s; load {loads[-1]:.1f}); "
                f"robots.txt-disallowed requests: {measured.forbidden}; rows identical: {same}; "
                f"busiest host: {measured.host_peak} requests/s received"
            )
            sent = measured.sent
            spread = collections.Counter(sent.host_peaks.values())
            print(
                f"  sent (the workers' log of each request's socket write, {sent.requests} "
                f"requests): busiest host {sent.peak} requests/s; hosts by their peak: "
                + ", ".join(f"{n} at {p}/s" for p, n in sorted(spread.items(), reverse=True))
                + f"; consecutive sends to a host closer than {args.delay} s: "
                f"{sent.gaps_below_delay} (closest {1000 * sent.min_gap_s:.1f} ms); from the "
                f"shared limit's go to the socket: median {sent.stretch_ms[0]:.1f} ms, p99 "
                f"{sent.stretch_ms[1]:.1f} ms, max {sent.stretch_ms[2]:.1f} ms (of which from the "
                f"write to the socket: median {sent.socket_ms[0]:.1f} ms, p99 "
                f"{sent.socket_ms[1]:.1f} ms, max {sent.socket_ms[2]:.1f} ms); written after its moment: "
                f"median {sent.late_ms[0]:.1f} ms, p99 {sent.late_ms[1]:.1f} ms, max "
                f"{sent.late_ms[2]:.1f} ms; new moments taken at the write: {sent.retimed}"
            )
            print(f"  {binding(count, args, measured, reference_pages)}")
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
    speedups = {
        n: statistics.median(r.get(n, 0) / (r.get(1) or 1.0) for r in rounds) for n in (2, 4)
    }
    for count in counts:
        print(
            f"{count} worker(s): median {statistics.median(r[count] for r in rounds):.1f} "
            f"pages/s, {statistics.median(cpu_per_page[count]):.1f} CPU-ms per page over "
            f"{len(rounds)} round(s)"
        )
    print(f"load average (1 min) during the rounds: {min(loads):.1f}-{max(loads):.1f}")
    print(
        f"server_max_host_rps={peak} (the busiest host in any one second, as its server "
        "received them: the kernel's receive moments)"
    )
    # The last line's figure is the senders' own: when each request went to the socket.
    print(
        f"speedup_2={speedups[2]:.2f} speedup_4={speedups[4]:.2f} "
        f"rows_identical={int(identical)} max_host_rps={sent_peak} limit_rps={1 / args.delay:.0f}"
    )


if __name__ == "__main__":
    main()

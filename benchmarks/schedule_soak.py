"""Soak ``rivalscope schedule``: does the long-running scheduler stay bounded over many rounds?

Usage: python benchmarks/schedule_soak.py ROUNDS [--port 8790] [--scripted] [--db URL]
       [--once] [--keep]

Serves the demo shops (``rivalscope demo --serve``) in a temporary folder, sets every
source's ``schedule`` to every minute and an ``[alerts]`` rule, then runs the scheduler
(one long-running process, or with ``--once`` one ``schedule --once`` process per round,
as a cron user would) until ROUNDS rounds have ended. Per round it prints the scheduler's
RSS, the peak RSS of its children (the crawls), open file descriptors, threads, zombie
children, the database's size and row counts, the log and report folders' sizes, the
files left in the scheduler's private TMPDIR and the round's seconds; with a PostgreSQL
``--db`` also the connections to the database. It ends with one summary line.

A round ends when the scheduler logs its follow-ups ("after the crawls: ...") or that it
skipped them. Run it from the repository root (the worktree's code is imported).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROUND_END = re.compile(r"after the crawls: |analysis, report and alerts skipped")
TABLES = ("crawl_run", "review", "offer_observation", "finding", "report_run", "review_analysis")
SAMPLE_S = 0.5
APP_NAME = "rivalscope-soak"
"""PostgreSQL: the scheduler's and its crawls' connections carry this name (other programs
on the same server are not counted)."""


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":", 1) for line in lines if ":" in line)


def _rss_mb(pid: int) -> float:
    value = _status(pid).get("VmRSS", "0 kB").split()[0]
    return int(value) / 1024


def _children(pid: int) -> list[int]:
    """All descendants of ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _zombies(pid: int) -> int:
    return sum(1 for c in _children(pid) if _status(c).get("State", "").strip().startswith("Z"))


def _fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def _tree_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``."""
    files = size = 0
    for path in folder.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size


def _rows(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {
                t: int(conn.execute(text(f"select count(*) from {t}")).scalar_one()) for t in TABLES
            }
            counts["dup_reviews"] = int(
                conn.execute(
                    text(
                        "select count(*) from (select company_id, content_key from review "
                        "group by company_id, content_key having count(*) > 1) d"
                    )
                ).scalar_one()
            )
            counts["dup_offers"] = int(
                conn.execute(
                    text(
                        "select count(*) from (select product_id, crawl_run_id, listing, url "
                        "from offer_observation group by product_id, crawl_run_id, listing, url "
                        "having count(*) > 1) d"
                    )
                ).scalar_one()
            )
            if url.startswith("postgresql"):
                counts["pg_conns"] = int(
                    conn.execute(
                        text(
                            "select count(*) from pg_stat_activity "
                            "where application_name = :name and pid <> pg_backend_pid()"
                        ),
                        {"name": APP_NAME},
                    ).scalar_one()
                )
    finally:
        engine.dispose()
    return counts


def _serve(work: Path, port: int, scripted: bool) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "rivalscope", "demo", "--serve", "--port", str(port)]
    if not scripted:
        argv.append("--no-scripted")
    server = subprocess.Popen(
        argv,
        cwd=work,
        stdout=open(work / "serve.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not (work / "targets.toml").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"demo server did not start: {(work / 'serve.log').read_text()}")
        time.sleep(0.2)
    time.sleep(0.5)
    return server


def _every_minute(targets: Path) -> None:
    body = re.sub(r'(?m)^schedule = ".*"$', 'schedule = "* * * * *"', targets.read_text())
    body += "\n[schedule]\npoll_seconds = 5\n\n[alerts]\nprice_change_pct = 10\n"
    targets.write_text(body)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", type=int)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--scripted", action="store_true", help="also the JavaScript shops")
    parser.add_argument("--db", help="database URL (default: SQLite in the temp folder)")
    parser.add_argument("--once", action="store_true", help="one `schedule --once` per round")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="schedule-soak-"))
    private_tmp = work / "tmp"
    private_tmp.mkdir()
    db_path = work / "soak.db"
    url = args.db or f"sqlite:///{db_path}"
    if url.startswith("postgresql"):
        url += ("&" if "?" in url else "?") + f"application_name={APP_NAME}"
    log_file = work / "logs" / "schedule.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)  # schedule refuses a missing folder
    env = {**os.environ, "PYTHONPATH": str(Path.cwd()), "TMPDIR": str(private_tmp)}
    schedule_argv = [
        sys.executable, "-m", "rivalscope", "schedule", "--targets", str(work / "targets.toml"),
        "--db", url, "--log-file", str(log_file),
    ]  # fmt: skip
    server = _serve(work, args.port, args.scripted)
    _every_minute(work / "targets.toml")
    print(f"work folder {work}; database {url}; mode {'--once' if args.once else 'serve'}")
    header = (
        "round seconds rss_mb child_peak_mb fds threads zombies db_mb wal_mb crawl_run review "
        "offer_obs finding report_run analysis dup log_kb report_files tmp_files pg_conns"
    )
    print(header)
    figures: list[dict[str, float]] = []
    scheduler: subprocess.Popen[bytes] | None = None
    try:
        if not args.once:
            scheduler = subprocess.Popen(
                schedule_argv, cwd=work, env=env, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=open(work / "schedule.stderr", "wb"),  # noqa: SIM115
            )  # fmt: skip
        seen = 0
        round_start = time.monotonic()
        child_peak = 0.0
        while len(figures) < args.rounds:
            if args.once:
                # cron: one process per round, at most once a minute
                time.sleep(max(0.0, 60 - time.time() % 60 + 1))
                round_start = time.monotonic()
                scheduler = subprocess.Popen(
                    [*schedule_argv, "--once"], cwd=work, env=env, start_new_session=True,
                    stdout=subprocess.DEVNULL, stderr=open(work / "schedule.stderr", "ab"),  # noqa: SIM115
                )  # fmt: skip
            assert scheduler is not None
            pid = scheduler.pid
            last_rss = last_fds = last_threads = last_zombies = 0.0
            ended = False
            while not ended:
                if scheduler.poll() is not None and not args.once:
                    sys.exit(f"scheduler exited ({scheduler.returncode}); see {work}")
                kids = _children(pid)
                child_peak = max([child_peak] + [_rss_mb(k) for k in kids])
                rss, fds = _rss_mb(pid), _fds(pid)
                if scheduler.poll() is None and rss > 0 and fds >= 0:
                    # --once: the round's peak (the process is gone at its end)
                    last_rss = max(last_rss, rss) if args.once else rss
                    last_fds = max(last_fds, fds) if args.once else fds
                    last_threads = int(_status(pid).get("Threads", "0"))
                    last_zombies = _zombies(pid)
                lines = (
                    log_file.read_text(errors="replace").splitlines() if log_file.exists() else []
                )
                ends = sum(1 for line in lines if ROUND_END.search(line))
                if args.once:
                    ended = scheduler.poll() is not None
                    seen = ends
                    time.sleep(0 if ended else SAMPLE_S)
                elif ends > seen:
                    seen += 1
                    ended = True
                else:
                    time.sleep(SAMPLE_S)
            seconds = time.monotonic() - round_start
            round_start = time.monotonic()
            rows = _rows(url)
            db_mb = db_path.stat().st_size / 1e6 if not args.db else 0
            wal = work / "soak.db-wal"
            wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0
            report_files, _ = _tree_size(work / "reports")
            tmp_files = len(list(private_tmp.iterdir()))
            _, log_bytes = _tree_size(work / "logs")
            row = {
                "round": len(figures) + 1, "seconds": seconds, "rss_mb": last_rss,
                "child_peak_mb": child_peak, "fds": last_fds, "threads": last_threads,
                "zombies": last_zombies, "db_mb": db_mb, "wal_mb": wal_mb, **rows,
                "log_kb": log_bytes / 1024, "report_files": report_files, "tmp_files": tmp_files,
            }  # fmt: skip
            figures.append(row)
            child_peak = 0.0
            print(
                f"{row['round']:>5} {seconds:7.1f} {last_rss:6.1f} {row['child_peak_mb']:13.1f} "
                f"{last_fds:3.0f} {last_threads:7.0f} {last_zombies:7.0f} {db_mb:5.2f} {wal_mb:6.2f} "
                f"{rows['crawl_run']:9} {rows['review']:6} {rows['offer_observation']:9} "
                f"{rows['finding']:7} {rows['report_run']:10} {rows['review_analysis']:8} "
                f"{rows['dup_reviews'] + rows['dup_offers']:3} {row['log_kb']:6.0f} "
                f"{report_files:12} {tmp_files:9} {rows.get('pg_conns', '-')}",
                flush=True,
            )
    finally:
        if scheduler is not None:
            _stop(scheduler)
        _stop(server)
    first, last = figures[0], figures[-1]
    dup = int(last["dup_reviews"] + last["dup_offers"])
    print(
        f"rounds={len(figures)} rss_first_mb={first['rss_mb']:.1f} rss_last_mb={last['rss_mb']:.1f} "
        f"fds_first={first['fds']:.0f} fds_last={last['fds']:.0f} "
        f"threads_first={first['threads']:.0f} threads_last={last['threads']:.0f} "
        f"zombies_max={max(f['zombies'] for f in figures):.0f} "
        f"report_files_first={first['report_files']} report_files_last={last['report_files']} "
        f"tmp_files_last={last['tmp_files']} db_mb_last={last['db_mb'] + last['wal_mb']:.2f} "
        f"rows_duplicated={dup}"
    )
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")


if __name__ == "__main__":
    main()

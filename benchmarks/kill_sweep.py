"""kill -9 of each long-running command mid-work, repeated: what it leaves behind.

For each case (command x database) and trial: start the real command in its own session,
wait until it is mid-work, kill -9 its leader, then after ``--grace`` seconds count the
processes of its session still alive and, on PostgreSQL, the connections still open under
the command's application_name; check the stored rows (no duplicates, each run's
reviews_new equal to its rows, no analysis or sentence twice, no report run without its
files) and that a re-run exits 0 and completes (every review analysed, every import row
stored, no run left 'running'). For the crawl, the killed run's figures as stored: its
``pages`` against the requests the site answered in the trial, its ``reviews_new`` against
the reviews stored. Prints one line per trial and a table.

``--signal int`` presses Ctrl-C instead: SIGINT to the command's process group at the same
points; each trial also reports the exit status (non-zero expected), whether a traceback
was printed and how many lines went to stderr (one summary line expected).

Cases and kill points: ``crawl`` of the demo shops (one request at a time) and ``worker``
serving them from Redis (PostgreSQL only), after 25 new reviews; ``analyze`` of 9,000
synthetic reviews at its pause point after one committed write batch; ``import`` of a
60,000-row CSV (>= 4 MB, the detection child forced on whatever the load) after 5,000
rows; ``report`` at its pause point with two files placed and the run not recorded.

    python benchmarks/kill_sweep.py --trials 2 --pg postgresql+psycopg://postgres@127.0.0.1:5432/test \
        --redis redis://127.0.0.1:6379/9
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the tests package is imported below

from compare.report.synthetic import SyntheticPlan, populate  # noqa: E402
from rivalscope.demo.server import DemoServer  # noqa: E402
from rivalscope.demo.shops import generate_shops  # noqa: E402
from rivalscope.demo.targets import targets_toml  # noqa: E402
from settings.pause_points import PAUSE_ENV  # noqa: E402
from storage.db import open_database  # noqa: E402
from tests.test_crawl_kill import session_processes  # noqa: E402

_THIS_TREE = {"PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT)}
"""The commands run this tree's code (from their temporary folder, ``python -m rivalscope``
imported the installed tree: from a second worktree, another tree's code)."""
INTERRUPT_WAIT_S = 60.0
"""Longest wait for an interrupted command to stop (then it is killed and counted stuck)."""
FORCE_DETECTION_CHILD = (
    "import sys, spiders.file_import as f; f._second_core_free = lambda _: True; "
    "from rivalscope.cli import main; sys.argv[0] = 'rivalscope'; main()"
)
"""``import`` with the detection child even when the load leaves no idle core."""


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


@dataclass
class Database:
    url: str  # the command's URL (with the application_name marker on PostgreSQL)
    plain: str  # the same database without the marker
    marker: str | None
    drop: Callable[[], None]

    def connections(self) -> int | None:
        if self.marker is None:
            return None
        admin = create_engine(self.plain)
        try:
            with admin.connect() as c:
                return int(
                    c.execute(
                        text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :m"),
                        {"m": self.marker},
                    ).scalar_one()
                )
        finally:
            admin.dispose()


def new_database(kind: str, folder: Path, pg: str) -> Database:
    if kind == "sqlite":
        url = f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
        return Database(url, url, None, lambda: None)
    schema = f"kill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    plain = f"{pg}?options=-csearch_path%3D{schema}"
    marker = f"killsweep-{schema}"

    def drop() -> None:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return Database(f"{plain}&application_name={marker}", plain, marker, drop)


@dataclass
class Case:
    name: str
    prepare: Callable[[Engine, Path], None]
    command: Callable[[Database, Path], list[str]]
    mid_work: Callable[[Engine, int, int], bool]
    """True once the command has stored part of its work (its kill point); gets the
    reviews stored when the trial started and the requests served since (crawl)."""
    check: Callable[[Engine, Path], str]
    """'' when the database is consistent, else what is wrong."""
    env: Callable[[Path], dict[str, str]] = lambda _: {}
    rerun: Callable[[Database, Path], list[str]] | None = None
    served: Callable[[], int] | None = None
    """Requests the site has answered so far (crawl): a killed run's ``pages`` should keep
    the trial's, but for what came after its last checkpoint."""


def killed_run_figures(engine: Engine, after_run: int) -> tuple[int, int]:
    """(pages, reviews_new) the crawl runs after ``after_run`` (one per source) stored."""
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT coalesce(sum(pages), 0), coalesce(sum(reviews_new), 0) FROM crawl_run "
                "WHERE id > :after"
            ),
            {"after": after_run},
        ).one()
    return int(row[0]), int(row[1])


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "rivalscope", *args]


# -- crawl ---------------------------------------------------------------------------


def crawl_targets(folder: Path, server: DemoServer, distributed: str | None = None) -> Path:
    body = targets_toml(server.base_url, generate_shops())
    body = body.replace("download_delay = 0\n", "download_delay = 0.2\n")
    body = body.replace("concurrency = 8\n", "concurrency = 1\n")
    path = folder / "targets.toml"
    path.write_text(body, encoding="utf-8")
    return path


def crawl_consistent(engine: Engine, _folder: Path) -> str:
    # A killed crawl's runs stay 'running' until the next crawl closes them (re-run check).
    problems = []
    bad = count(
        engine,
        "SELECT count(*) FROM crawl_run r WHERE r.reviews_new <> "
        "(SELECT count(*) FROM review v WHERE v.crawl_run_id = r.id)",
    )
    if bad:
        problems.append(f"{bad} runs whose reviews_new differs from their rows")
    doubled = count(
        engine,
        "SELECT count(*) FROM (SELECT source_id, external_id FROM review "
        "WHERE external_id IS NOT NULL GROUP BY source_id, external_id HAVING count(*) > 1) d",
    )
    if doubled:
        problems.append(f"{doubled} reviews stored twice")
    return "; ".join(problems)


# -- analyze -------------------------------------------------------------------------

ANALYSIS_TABLES = ("aspect_mention", "review_need", "review_sentence", "review_analysis")


def analysis_pending(engine: Engine, _folder: Path) -> None:
    populate(engine, SyntheticPlan(reviews=9000, languages=("en", "fr")))
    with engine.begin() as c:
        for table in ANALYSIS_TABLES:
            c.execute(text(f"DELETE FROM {table}"))


def analysis_consistent(engine: Engine, _folder: Path) -> str:
    problems = []
    doubled = count(
        engine,
        "SELECT count(*) - count(DISTINCT review_id) FROM review_analysis",
    )
    if doubled:
        problems.append(f"{doubled} reviews analysed twice")
    sentences = count(
        engine,
        "SELECT count(*) FROM (SELECT review_id, position FROM review_sentence "
        "GROUP BY review_id, position HAVING count(*) > 1) d",
    )
    if sentences:
        problems.append(f"{sentences} sentences stored twice")
    orphans = count(
        engine,
        "SELECT count(*) FROM review_sentence s WHERE NOT EXISTS "
        "(SELECT 1 FROM review_analysis a WHERE a.review_id = s.review_id)",
    )
    if orphans:
        problems.append(f"{orphans} sentences without their analysis row")
    return "; ".join(problems)


def analysis_complete(engine: Engine) -> str:
    left = count(
        engine,
        "SELECT count(*) FROM review WHERE id NOT IN (SELECT review_id FROM review_analysis)",
    )
    return f"{left} reviews left unanalysed" if left else ""


# -- import --------------------------------------------------------------------------

IMPORT_ROWS = 60_000
WORDS = [
    "great",
    "coffee",
    "machine",
    "delivery",
    "fast",
    "support",
    "slow",
    "price",
    "fair",
    "grinder",
    "noisy",
    "quiet",
    "très",
    "bon",
    "café",
    "livraison",
    "rapide",
    "prix",
    "correct",
    "service",
    "client",
    "lent",
    "machine",
    "bruyante",
    "kaffen",
    "smaker",
    "godt",
    "levering",
    "rask",
    "kundeservice",
    "treg",
    "maskinen",
    "er",
    "stille",
]


def import_file(folder: Path) -> Path:
    path = folder / "reviews.csv"
    if path.exists():
        return path
    rng = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "text", "rating", "date"])
        for i in range(IMPORT_ROWS):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
            out.writerow([f"r{i}", words, rng.randint(1, 5), "2025-03-01"])
    return path


def import_consistent(engine: Engine, folder: Path) -> str:
    doubled = count(
        engine,
        "SELECT count(*) FROM (SELECT external_id FROM review GROUP BY external_id "
        "HAVING count(*) > 1) d",
    )
    problems = [f"{doubled} reviews stored twice"] if doubled else []
    return "; ".join([*problems, crawl_consistent(engine, folder)]).strip("; ")


def import_complete(engine: Engine) -> str:
    stored = count(engine, "SELECT count(*) FROM review")
    return "" if stored == IMPORT_ROWS else f"{stored} of {IMPORT_ROWS} rows stored"


# -- report --------------------------------------------------------------------------


def report_data(engine: Engine, _folder: Path) -> None:
    populate(
        engine,
        SyntheticPlan(reviews=3000, positive_share={("Rival A", "delivery"): 0.15}),
    )


def report_consistent(engine: Engine, _folder: Path) -> str:
    with engine.connect() as c:
        runs = c.execute(text("SELECT id, out_dir FROM report_run")).all()
    missing = [
        run_id
        for run_id, out in runs
        if not all(
            (Path(out) / name).is_file() for name in ("report.html", "summary.md", "findings.json")
        )
    ]
    return f"report runs {missing} without their files" if missing else ""


def reviews_at_least(n: int) -> Callable[[Engine, int, int], bool]:
    return lambda engine, before, _: count(engine, "SELECT count(*) FROM review") >= before + n


def crawl_under_way(engine: Engine, before: int, served: int) -> bool:
    """Ctrl-C trials: 25 new reviews stored, or 30 pages served in the trial (a trial after a
    Ctrl-C, which stored all it had fetched, finds few new reviews but fetches the site
    again: the run before did not end normally)."""
    return reviews_at_least(25)(engine, before, served) or served >= 30


def run_trial(
    case: Case, db: Database, folder: Path, grace: float, interrupt: bool = False
) -> dict[str, object]:
    engine = open_database(db.plain)
    env = {**os.environ, **_THIS_TREE, **case.env(folder)}
    before = count(engine, "SELECT count(*) FROM review")
    served_before = case.served() if case.served is not None else 0
    last_run = count(engine, "SELECT coalesce(max(id), 0) FROM crawl_run")
    stderr_file = folder / f"stderr-{time.time_ns()}.txt"
    process = subprocess.Popen(
        case.command(db, folder),
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(stderr_file, "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while (
        process.poll() is None
        and not case.mid_work(engine, before, (case.served() if case.served else 0) - served_before)
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    alive = process.poll() is None
    during = len(session_processes(process.pid))
    stuck = False
    if alive and interrupt:
        # Ctrl-C in a terminal: SIGINT to the whole foreground process group.
        os.killpg(process.pid, signal.SIGINT)
        (folder / "paused").unlink(missing_ok=True)  # a command held at a pause point goes on
        try:
            process.wait(timeout=INTERRUPT_WAIT_S)
        except subprocess.TimeoutExpired:
            stuck = True
            os.killpg(process.pid, signal.SIGKILL)
    elif alive:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    (folder / "paused").unlink(missing_ok=True)
    time.sleep(grace)
    left = session_processes(process.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    connections = db.connections()
    problem = case.check(engine, folder)
    figures: dict[str, object] = {}
    if case.served is not None:
        pages, reviews_new = killed_run_figures(engine, last_run)
        figures = {
            "pages_served": case.served() - served_before,
            "pages_kept": pages,
            "reviews_kept": reviews_new,
            "reviews_stored": count(engine, "SELECT count(*) FROM review") - before,
        }
    engine.dispose()
    said = [
        line
        for line in stderr_file.read_text(errors="replace").splitlines()
        if line.strip() and not line.startswith(PAUSE_ENV)
    ]
    return {
        "killed_mid_work": alive,
        "processes_during": during,
        "processes_left": len(left),
        "connections_left": connections,
        "problem": problem,
        **figures,
        **(
            {
                "exit": "stuck" if stuck else process.returncode,
                "traceback": any("Traceback (most recent call last)" in line for line in said),
                "stderr_lines": len(said),
                "last_line": said[-1][:120] if said else "",
                "first_traceback": _first_traceback(said),
            }
            if interrupt
            else {}
        ),
    }


def _first_traceback(lines: list[str]) -> str:
    """The first traceback's opening and last lines (what raised, and where), or ''."""
    start = next((i for i, line in enumerate(lines) if "Traceback (most recent" in line), None)
    if start is None:
        return ""
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith((" ", "\t"))),
        len(lines) - 1,
    )
    return " | ".join(line.strip()[:160] for line in lines[max(start, end - 4) : end + 1])


def rerun(case: Case, db: Database, folder: Path) -> str:
    command = (case.rerun or case.command)(db, folder)
    env = {**os.environ, **_THIS_TREE, **case.env(folder)}
    env.pop(PAUSE_ENV, None)
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, timeout=900)
    if done.returncode != 0:
        return f"re-run exit {done.returncode}: {done.stderr.decode()[-300:]}"
    engine = open_database(db.plain)
    problem = case.check(engine, folder)
    extra = {"analyze": analysis_complete, "import": import_complete}.get(case.name)
    if extra is not None:
        problem = "; ".join(p for p in (problem, extra(engine)) if p)
    running = count(engine, "SELECT count(*) FROM crawl_run WHERE status = 'running'")
    if running:
        problem = "; ".join(p for p in (problem, f"{running} runs left 'running'") if p)
    if case.served is not None:  # the killed runs, closed by the re-run, keep their figures
        blank = count(
            engine, "SELECT count(*) FROM crawl_run WHERE status <> 'finished' AND pages = 0"
        )
        if blank:
            problem = "; ".join(p for p in (problem, f"{blank} killed runs without pages") if p)
    engine.dispose()
    return problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=2)
    parser.add_argument("--grace", type=float, default=3.0, help="seconds before counting")
    parser.add_argument("--pg", default="")
    parser.add_argument("--redis", default="")
    parser.add_argument("--cases", default="crawl,analyze,import,report,worker")
    parser.add_argument(
        "--signal",
        choices=("kill", "int"),
        default="kill",
        help="kill -9 the command (default), or Ctrl-C it: SIGINT to its process group, "
        "then its exit status, tracebacks and stderr lines are reported too",
    )
    args = parser.parse_args()
    if args.signal == "int":
        # Started in the background by a shell, this process (and so the commands it starts)
        # may ignore SIGINT; handled here, it is reset to the default in every command.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    wanted = args.cases.split(",")
    kinds = ["sqlite"] + (["postgresql"] if args.pg else [])
    rows = []
    with DemoServer(generate_shops(), slow_seconds=0.5) as server:
        for name in wanted:
            for kind in kinds:
                if name == "worker" and (kind != "postgresql" or not args.redis):
                    continue
                with tempfile.TemporaryDirectory(prefix="killsweep") as tmp:
                    folder = Path(tmp)
                    db = new_database(kind, folder, args.pg)
                    try:
                        rows.append(sweep(name, kind, db, folder, server, args))
                    finally:
                        db.drop()
    print()
    interrupted = "exit | tracebacks | most stderr lines | " if args.signal == "int" else ""
    print(
        f"| command | db | trials | {interrupted}killed mid-work | processes left | "
        "connections left | inconsistent | pages kept/served | reviews kept/stored | re-run |"
    )
    print("|---" * (10 + 3 * bool(interrupted)) + "|")
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")


def make_case(name: str, folder: Path, server: DemoServer, args: argparse.Namespace) -> Case:
    if name == "crawl":
        targets = crawl_targets(folder, server)
        return Case(
            "crawl",
            lambda e, f: None,
            lambda db, f: cli("crawl", "--targets", str(targets), "--db", db.url),
            # kill -9 after stored reviews: the killed run's rows are what the trial checks
            reviews_at_least(25) if args.signal == "kill" else crawl_under_way,
            crawl_consistent,
            env=lambda f: {"RIVALSCOPE_BATCH_SIZE": "20"},
            served=lambda: len(server.requested_paths),
        )
    if name == "analyze":
        models = folder / "models"
        paused = folder / "paused"
        return Case(
            "analyze",
            analysis_pending,
            lambda db, f: cli(
                "analyze", "--no-progress", "--db", db.url, "--models-dir", str(models)
            ),
            lambda e, _, __: paused.exists(),
            analysis_consistent,
            env=lambda f: {PAUSE_ENV: f"analyze-writes:1:{paused}"},
        )
    if name == "import":
        path = import_file(folder)
        return Case(
            "import",
            lambda e, f: None,
            lambda db, f: [
                sys.executable,
                "-c",
                FORCE_DETECTION_CHILD,
                *("import", str(path), "--company", "Own", "--new-company", "--db", db.url),
            ],
            reviews_at_least(5000),
            import_consistent,
            rerun=lambda db, f: cli(
                "import", str(path), "--company", "Own", "--new-company", "--db", db.url
            ),
        )
    if name == "report":
        paused = folder / "paused"
        return Case(
            "report",
            report_data,
            lambda db, f: cli("report", "--db", db.url, "--out", str(f / f"out{time.time_ns()}")),
            lambda e, _, __: paused.exists(),
            report_consistent,
            env=lambda f: {PAUSE_ENV: f"report-files:2:{paused}"},
        )
    if name == "worker":
        targets = crawl_targets(folder, server)
        prefix = f"killsweep{uuid.uuid4().hex[:6]}"
        return Case(
            "worker",
            lambda e, f: None,
            lambda db, f: cli(
                "worker",
                "--queue",
                args.redis,
                "--db",
                db.url,
                "--targets",
                str(targets),
                "--until-idle",
            ),
            reviews_at_least(25),
            crawl_consistent,
            env=lambda f: {"RIVALSCOPE_BATCH_SIZE": "20", "RIVALSCOPE_REDIS_PREFIX": prefix},
        )
    raise SystemExit(f"unknown case {name}")


def sweep(
    name: str, kind: str, db: Database, folder: Path, server: DemoServer, args: argparse.Namespace
) -> list[object]:
    case = make_case(name, folder, server, args)
    engine = open_database(db.plain)
    case.prepare(engine, folder)
    engine.dispose()
    results = []
    if name == "worker":
        queue_distributed(db, folder, args.redis, case.env(folder))
    for trial in range(args.trials):
        result = run_trial(case, db, folder, args.grace, interrupt=args.signal == "int")
        print(name, kind, trial, result, flush=True)
        results.append(result)
    final = rerun(case, db, folder)
    print(name, kind, "re-run", final or "ok", flush=True)
    interrupted = (
        [
            " ".join(str(r["exit"]) for r in results),
            sum(bool(r["traceback"]) for r in results),
            max(int(r["stderr_lines"]) for r in results),  # type: ignore[call-overload]
        ]
        if args.signal == "int"
        else []
    )
    return [
        name,
        kind,
        args.trials,
        *interrupted,
        sum(bool(r["killed_mid_work"]) for r in results),
        sum(int(r["processes_left"]) for r in results),  # type: ignore[call-overload]
        "-" if kind == "sqlite" else sum(int(r["connections_left"] or 0) for r in results),  # type: ignore[call-overload]
        sum(bool(r["problem"]) for r in results),
        _kept(results, "pages_kept", "pages_served"),
        _kept(results, "reviews_kept", "reviews_stored"),
        final or "ok",
    ]


def _kept(results: list[dict[str, object]], kept: str, done: str) -> str:
    """``kept/done`` summed over the trials (the killed runs' figures), or ``-``."""
    if not results or kept not in results[0]:
        return "-"
    return f"{sum(int(r[kept]) for r in results)}/{sum(int(r[done]) for r in results)}"  # type: ignore[call-overload]


def queue_distributed(db: Database, folder: Path, redis: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        cli(
            "crawl",
            "--distributed",
            "--queue",
            redis,
            "--targets",
            "targets.toml",
            "--db",
            db.plain,
        ),
        cwd=folder,
        capture_output=True,
        env={**os.environ, **_THIS_TREE, **env},
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"could not queue: {done.stderr.decode()[-500:]}")


if __name__ == "__main__":
    main()

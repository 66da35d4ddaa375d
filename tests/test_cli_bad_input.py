"""Careless input to the commands that read and write the database: each is one line on
stderr, exit status 2, no traceback, and nothing written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import open_database
from tests.cli import imported_reviews, run_cli

NOT_A_DB = "sqlite:///notdb.db"
FRESH = "sqlite:///fresh.db"

CASES: list[tuple[tuple[str, ...], str]] = [
    # a database that is not one, or cannot be
    (("runs", "--db", NOT_A_DB), "file is not a database"),
    (("runs", "--db", "sqlite:///garbage.db"), "file is not a database"),
    (("runs", "--db", "sqlite:///adir"), "unable to open database file"),
    (("runs", "--db", "sqlite:///foreign.db"), "holds other tables than rivalscope's"),
    (("export", "reviews", "--db", "sqlite:///foreign.db"), "use a new file"),
    # a timeout overflowing the crawl's lease: was an OverflowError traceback
    (("schedule", "--once", "-t", "sched.toml", "--crawl-timeout", "inf"), "less than or equal"),
    (("schedule", "--once", "-t", "sched.toml", "--crawl-timeout", "1e300"), "--crawl-timeout"),
    # another program's SQLite file whose tables share no name with ours: was filled with ours
    (("runs", "--db", "sqlite:///other.db"), "holds other tables than rivalscope's (e.g. notes)"),
    (("findings", "--db", "sqlite:///other.db"), "use a new file"),
    (("analyze", "--db", "sqlite:///other.db"), "use a new file"),
    (("runs", "--db", "sqlite:///missing/dir/x.db"), "does not exist"),
    (("runs", "--db", "nonsense://x"), "cannot use nonsense://x"),
    (("findings", "--db", "postgresql://127.0.0.1:5432x/t"), "its port is not a number"),
    (("runs", "--db", "postgresql://nobody@127.0.0.1:1/x"), "cannot open postgresql"),
    (("runs", "--db", "sqlite:///newer.db"), "revision '9999' is not one this rivalscope knows"),
    (("runs", "--db", ""), "the database URL is empty"),
    (("crawl", "-t", "t.toml", "--log-level", "", "--db", FRESH), "--log-level '' is not a log"),
    (("runs", "--db", "sqlite://"), "is an in-memory database"),
    (
        (
            "import",
            "r.csv",
            "-c",
            "A",
            "--new-company",
            "--db",
            "sqlite:///file:ro.db?mode=ro&uri=1",
        ),
        "database: attempt to write a readonly database",
    ),
    (("sentiment", "score", "--db", NOT_A_DB), "file is not a database"),
    (("sentiment", "score", "--db", "sqlite:///nosuch.db"), "no database at"),
    (("targets", "validate", "-t", "/dev/zero"), "is not a regular file"),
    (
        ("targets", "check", "s", "-t", "t.toml", "--file", "afile", "--page-url", "junk"),
        "--page-url 'junk' is not an http(s) URL",
    ),
    (("findings", "--db", NOT_A_DB), "file is not a database"),
    (("analyze", "--db", NOT_A_DB), "file is not a database"),
    (("report", "--db", NOT_A_DB), "file is not a database"),
    (("import", "r.csv", "--company", "A", "--new-company", "--db", NOT_A_DB), "not a database"),
    # a file given where the command takes it as an option: say which option
    (("targets", "validate", "targets.toml"), "to give a file, write --targets targets.toml"),
    (("targets", "check", "s", "page.html"), "files are given with an option: --file, --targets"),
    (
        ("crawl", "--source", "acme-shop"),
        "write sources without an option",
    ),
    # option values
    (("runs", "--limit", "0", "--db", FRESH), "Invalid value for '--limit'"),
    (("findings", "--kind", "bogus", "--db", FRESH), "--kind must be one of"),
    (("findings", "--they-lead", "--kind", "price gap", "--db", FRESH), "drop --they-lead"),
    (("findings", "--min-score", "abc", "--db", FRESH), "Invalid value for '--min-score'"),
    (("findings", "--min-score", "nan", "--db", FRESH), "--min-score must be a finite number"),
    (("findings", "--min-score", "-inf", "--db", FRESH), "--min-score must be a finite number"),
    (("findings", "--limit", "-1", "--db", FRESH), "--limit must be 1-1,000,000"),
    (("findings", "--limit", "1" + "0" * 20, "--db", FRESH), "--limit must be 1-1,000,000"),
    (("findings", "--competitor", "", "--db", FRESH), "--competitor is empty"),
    (("findings", "--aspect", " ", "--db", FRESH), "--aspect is empty"),
    (("report", "--min-sample", "1" + "0" * 30, "--db", FRESH), "--min-sample must be at most"),
    (("report", "--out", "", "--db", FRESH), "Invalid value for --out: empty"),
    (("analyze", "--models-dir", "afile", "--db", FRESH), "is a file, not a folder"),
    (("analyze", "--taxonomy", "afile", "--db", FRESH), "is not valid TOML"),
    (("analyze", "--models-dir", "/proc/rs-models", "--db", FRESH), "models cannot be written"),
    (("analyze", "--taxonomy", "missing.toml", "--db", FRESH), "does not exist"),
    (("analyze", "--workers", "0", "--db", FRESH), "Invalid value for '--workers'"),
    (("analyze", "--workers", "99999", "--db", FRESH), "--workers 99999 is more than"),
    (("report", "--out", "/proc/rivalscope-report", "--db", FRESH), "cannot create the report"),
    (("report", "--out", "afile", "--db", FRESH), "exists and is not a folder"),
    (("report", "--out", "afile/sub", "--db", FRESH), "cannot create the report folder"),
    (("report", "--since", "2025-13-45", "--db", FRESH), "Invalid value for '--since'"),
    (("report", "--min-sample", "-5", "--db", FRESH), "--min-sample must be at least 1"),
    # a targets file marking it was not enough: its sources must be crawled (user-audit4)
    (("report", "--db", FRESH), "no own company in the database: crawl a source of the company"),
    # Commands that only read what was collected never create an empty database.
    (("report", "--db", "sqlite:///missing.db"), "no database at SQLite file"),
    (("findings", "--db", "sqlite:///missing.db"), "no database at SQLite file"),
    (("runs", "--db", "sqlite:///missing.db"), "no database at SQLite file"),
    (("export", "reviews", "--out", "r.csv", "--db", "sqlite:///missing.db"), "no database at"),
    # analyze read a mistyped path as an empty database: exit 0, "nothing to analyse"
    (("analyze", "--db", "sqlite:///missing.db"), "no database at"),
    (
        ("sentiment", "train", "--from-db", "--out", "m", "--db", "sqlite:///missing.db"),
        "no database",
    ),
    # A missing file is said before a company the database lacks (and creates no database).
    (("import", "nofile.csv", "-c", "Nobody", "--db", "sqlite:///missing.db"), "not found"),
    (("runs", "--source", "nosuch", "--db", FRESH), "no such source 'nosuch'"),
    (("findings", "--competitor", "Nobody", "--db", FRESH), "no company named 'Nobody'"),
    (("extract", "afile", "--url", "notaurl"), "--url 'notaurl' is not an http(s) URL"),
    (("extract", "afile", "--url", "http://[::1"), "is not a URL"),
    (("extract", "afile", "--url", "ftp://host/p"), "is not an http(s) URL"),
    (("extract", "broken.html.gz"), "broken gzip file"),
    (("extract", "/dev/zero"), "is not a regular file"),
    # targets read a saved page as extract does (it read /dev/zero for ever)
    (("targets", "suggest", "--file", "/dev/zero"), "is not a regular file"),
    (("extract", "afile", "--url", ""), "--url '' is not an http(s) URL"),
    # extract read a URL as a path: "https:/shop.example/p/: no such file"
    (("extract", "https://shop.example/p/"), "https://shop.example/p/ is a web address"),
    # a --page-url beside --url was ignored without a word
    (
        (
            "targets",
            "check",
            "s",
            "-t",
            "t.toml",
            "--url",
            "http://127.0.0.1:9/",
            "--page-url",
            "http://127.0.0.1:9/",
        ),
        "--page-url names where a --file page was saved from",
    ),
    (("demo", "--products", "1000000000", "--db", FRESH), "--products must be 1-1,000"),
    (("demo", "--targets", "adir", "--db", FRESH), "--targets adir is a folder"),
    (("demo", "--out", "afile", "--db", FRESH), "--out afile is a file"),
    (("export", "reviews", "--out", "/proc/rivalscope.csv", "--db", FRESH), "cannot write"),
    (
        ("export", "reviews", "--out", "x.xyz", "--db", FRESH),
        "--out x.xyz: no format is written as '.xyz'; name the file .csv, .jsonl, .ndjson or "
        ".parquet, or pass --format csv|jsonl|parquet",
    ),
    (("export", "reviews", "--out", "x.csv.gz", "--db", FRESH), "no format is written as '.gz'"),
    (
        ("export", "reviews", "-f", "csv", "--out", "x.parquet", "--db", FRESH),
        "--format csv contradicts --out x.parquet (a parquet name)",
    ),
    (("demo", "--port", "99999", "--db", FRESH), "--port must be 0-65535"),
    (("demo", "--port", "-1", "--db", FRESH), "--port must be 0-65535"),
    (("demo", "--slow-seconds", "nan", "--db", FRESH), "--slow-seconds must be a number of"),
    (("demo", "--slow-seconds", "-1", "--db", FRESH), "--slow-seconds must be a number of"),
    (("targets", "detect", "http://[::1", "--no-browser"), "'http://[::1' is not a URL"),
    (("sentiment", "train", "adir", "--out", "m"), "training file adir is a folder"),
    (("sentiment", "train", "--from-db", "--out", "afile", "--db", FRESH), "--out afile is a file"),
    (
        ("schedule", "--once", "-t", "t.toml", "--log-file", "/proc/rs.log"),
        "--log-file /proc/rs.log",
    ),
    # A typo in the log's folder created the folders it named (exit 0).
    (
        ("schedule", "--once", "-t", "sched.toml", "--log-file", "nosuch/sub/rs.log"),
        "--log-file nosuch/sub/rs.log: its folder",
    ),
    (
        ("schedule", "--once", "-t", "sched.toml", "--log-file", "afile/rs.log"),
        "is not a folder",
    ),
    # import
    (("import", "adir", "--company", "A", "--new-company", "--db", FRESH), "is a folder"),
    (("import", "missing.csv", "--company", "A", "--new-company", "--db", FRESH), "not found"),
    (("import", "/dev/null", "--company", "A", "--new-company", "--db", FRESH), "not a regular"),
    (("import", "garbage.db", "--company", "A", "--new-company", "--db", FRESH), "use a .csv"),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--kind", "x", "--db", FRESH),
        "--kind",
    ),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--encoding", "bogus"),
        "unknown encoding 'bogus'",
    ),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--encoding", "rot13"),
        "'rot13' is not a text encoding",
    ),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--encoding", "base64"),
        "'base64' is not a text encoding",
    ),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--encoding", "utf-16"),
        "is not utf-16 text",
    ),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--language", "english"),
        "is not a language code",
    ),
    (
        ("import", "r.csv", "--company", "A", "--new-company", "--language", "zz"),
        "Invalid value for --language: 'zz' is not a language we read; use one of en (English), "
        "fr (French), pl (Polish), no (Norwegian), de (German)",
    ),
    (("import", "r.csv", "--company", "", "--db", FRESH), "--company is empty"),
    (
        ("import", "r.csv", "-c", "Acme\nShop", "--new-company", "--db", FRESH),
        "--company: the name holds a control character",
    ),
    (
        ("import", "r.csv", "-c", "Acme\x01", "--new-company", "--db", FRESH),
        "--company: the name holds a control character",
    ),
    (("import", "r.csv", "--company", "Nobody", "--db", FRESH), "pass --new-company"),
    (
        ("import", "odd.csv", "-c", "A", "--new-company", "--kind", "reviews"),
        "unknown column 'txt'",
    ),
    (("import", "r.csv", "--db", FRESH), "Missing option '--company'"),
    (
        ("import", "wide.csv", "-c", "A", "--new-company", "--db", FRESH),
        "unknown columns 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9' and 40 more;",
    ),
    (
        ("import", "noname.csv", "-c", "A", "--new-company", "--db", FRESH),
        "line 2: 'b' in column 2, which the header does not name",
    ),
    (
        ("import", "array.json", "-c", "A", "--new-company", "--db", FRESH),
        "line 1: a JSON row must be an object",  # an array of rows written as arrays
    ),
]


@pytest.fixture
def careless_folder(tmp_path: Path) -> Path:
    (tmp_path / "notdb.db").write_text("not a database at all, just text\n")
    (tmp_path / "garbage.db").write_bytes(bytes(range(256)) * 12)
    (tmp_path / "afile").write_text("file\n")
    (tmp_path / "t.toml").write_text(
        '[[company]]\nname = "A"\n[[company.source]]\nname = "s"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n'
    )
    (tmp_path / "sched.toml").write_text(
        '[[company]]\nname = "A"\n[[company.source]]\nname = "s"\nschedule = "0 4 * * *"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n'
    )
    (tmp_path / "adir").mkdir()
    # FRESH: a database with nothing collected yet (a command that only reads refuses to
    # create one: see the "no database at" cases).
    open_database(f"sqlite:///{tmp_path / 'fresh.db'}").dispose()
    with sqlite3.connect(tmp_path / "foreign.db") as foreign:  # another program's database
        foreign.execute("CREATE TABLE crawl_run (x INTEGER)")
    with sqlite3.connect(tmp_path / "other.db") as other:  # another program's, no shared name
        other.execute("CREATE TABLE notes (x INTEGER)")
    open_database(f"sqlite:///{tmp_path / 'newer.db'}").dispose()
    with sqlite3.connect(tmp_path / "newer.db") as newer:  # written by a later rivalscope
        newer.execute("UPDATE alembic_version SET version_num = '9999'")
    open_database(f"sqlite:///{tmp_path / 'ro.db'}").dispose()
    (tmp_path / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(200))  # zlib.error
    (tmp_path / "r.csv").write_text("text,rating\nGood coffee,5\n", encoding="utf-8")
    (tmp_path / "array.json").write_text('[["Good coffee", 5]]\n')
    (tmp_path / "noname.csv").write_text("text,,rating\nGood coffee,b,5\n", encoding="utf-8")
    wide = ",".join(["text", *(f"c{i}" for i in range(50))])
    (tmp_path / "wide.csv").write_text(f"{wide}\n{'x,' * 50}y\n", encoding="utf-8")
    (tmp_path / "odd.csv").write_text("txt,rating\nGood coffee,5\n", encoding="utf-8")
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_careless_input_is_one_line(
    careless_folder: Path, args: tuple[str, ...], message: str
) -> None:
    before = {p.name: p.stat().st_size for p in careless_folder.iterdir() if p.is_file()}
    result = run_cli(
        *args, cwd=careless_folder, db_url=f"sqlite:///{careless_folder / 'env.db'}", stdin=""
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0], lines[0]
    after = {p.name: p.stat().st_size for p in careless_folder.iterdir() if p.is_file()}
    inputs = {k: v for k, v in before.items() if not k.startswith("fresh.db")}
    assert {k: v for k, v in after.items() if k in inputs} == inputs  # inputs untouched
    assert not (careless_folder / "rivalscope-report").exists()
    assert not (careless_folder / "missing.db").exists()  # refused, not created empty
    assert not (careless_folder / "nosuch").exists()  # a log's missing folder: not created


PAGE_URLS = [
    ("ftp://host/p", "'ftp://host/p' is not an http(s) URL"),
    ("shop.example/p", "'shop.example/p' is not an http(s) URL"),
    ("http:///p", "'http:///p' is not an http(s) URL"),
    ("http://[::1/p", "'http://[::1/p' is not a URL (Invalid IPv6 URL)"),
    (
        "http://127.0.0.1:99999/p",
        "'http://127.0.0.1:99999/p' has an invalid port; write e.g. http://host:8080/",
    ),
    ("http://a b/p", "'http://a b/p' has an invalid host 'a b'"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("url", "message"), PAGE_URLS)
def test_a_page_url_gets_the_same_words_everywhere(tmp_path: Path, url: str, message: str) -> None:
    """A start URL in the targets file, ``extract --url``, ``targets check --url`` and
    ``targets detect URL`` refuse one URL in one wording (check's said "is not an absolute
    http(s) URL", detect read "http:///p" and ports over 65535), each with its exit code."""
    (tmp_path / "afile").write_text("<html></html>\n")
    (tmp_path / "t.toml").write_text(
        '[[company]]\nname = "A"\n[[company.source]]\nname = "s"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n'
    )
    (tmp_path / "bad.toml").write_text(
        f'[[company]]\nname = "A"\n[[company.source]]\nname = "s"\nstart_urls = ["{url}"]\n'
    )
    commands = {
        ("targets", "validate", "-t", "bad.toml"): 2,
        ("extract", "afile", "--url", url): 2,
        ("targets", "check", "s", "-t", "t.toml", "--url", url): 2,
        ("targets", "detect", url, "--no-browser", "--targets", "t.toml"): 2,
    }
    for args, status in commands.items():
        result = run_cli(*args, cwd=tmp_path)
        lines = result.stderr.strip().splitlines()
        assert (result.returncode, len(lines)) == (status, 1), (args, result.stderr)
        assert message in lines[0], (args, lines[0])


@pytest.mark.parametrize(
    ("name", "names", "message"),
    [
        ("acme-shp", ["acme-shop", "nordlys"], "did you mean 'acme-shop'?"),
        ("zzz", ["acme-shop", "nordlys"], "sources: acme-shop, nordlys"),
        # as import offers column names (SUGGEST_CUTOFF): at 0.6 'rating' was offered 'gtin'
        ("rating", ["gtin", "nordlys"], "sources: gtin, nordlys"),
        ("zzz", [], "no source has crawled yet"),
    ],
)
def test_an_unknown_source_lists_close_names(name: str, names: list[str], message: str) -> None:
    from rivalscope.commands.runs import check_source
    from settings.user_errors import UserError

    with pytest.raises(UserError, match="no such source") as raised:
        check_source(name, names)
    assert str(raised.value).endswith(message)


def test_a_known_source_without_runs_is_no_error() -> None:
    from rivalscope.commands.runs import check_source

    check_source("acme-shop", ["acme-shop"])


@pytest.mark.parametrize(("signum", "status"), [(2, 130), (15, 143)])
def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path, signum: int, status: int) -> None:
    """Typer turned Ctrl-C into exit status 130 without a word; now one line says so. SIGTERM
    ended the command at once, without a word: now as Ctrl-C, exit 143."""
    import signal

    process = subprocess.Popen(
        [sys.executable, "-m", "rivalscope", "sentiment", "score"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write('{"text": "Great coffee", "lang": "en"}\n')
    process.stdin.flush()
    assert '"label"' in process.stdout.readline()  # scored: now waiting for the next line
    os.killpg(process.pid, signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        "interrupted: what was committed is kept; run the command again to finish"
    ]


@pytest.mark.parametrize(
    ("args", "signum", "status"),
    [
        (("runs",), 2, 130),
        (("crawl", "-v"), 2, 130),
        (("report", "--out", "r"), 2, 130),
        # SIGTERM ended the process without a word (shell status 143, -15 here)
        (("runs",), 15, 143),
        (("schedule", "--once"), 15, 143),
    ],
)
def test_ctrl_c_while_the_commands_load_is_one_line(
    tmp_path: Path, args: tuple[str, ...], signum: int, status: int
) -> None:
    """Ctrl-C in the second or two the command modules take to import (before main runs)
    printed a KeyboardInterrupt traceback from deep in an import."""
    import signal
    import time

    from rivalscope.cli import LOADING_PAUSE_POINT
    from settings.pause_points import PAUSE_ENV

    paused = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-m", "rivalscope", *args],
        cwd=tmp_path,
        env={**os.environ, PAUSE_ENV: f"{LOADING_PAUSE_POINT}:0:{paused}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not paused.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    said = [line for line in stderr.splitlines() if not line.startswith(PAUSE_ENV)]
    assert said == ["interrupted: nothing was done"]
    assert stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["paused"]


def test_sentiment_score_of_a_lone_surrogate_is_one_line(tmp_path: Path) -> None:
    result = run_cli("sentiment", "score", cwd=tmp_path, stdin='{"text": "good \\ud800"}\n')
    assert result.returncode == 2, result.stderr  # was a UnicodeEncodeError traceback
    assert result.stderr.strip().splitlines() == [
        'error: stdin line 1: expected {"text": "...", "lang": "xx"}'
    ]


READ_ONLY_MOUNT = (
    'mount --make-rprivate / && mount --bind ro ro && mount -o remount,ro,bind ro && exec "$@"'
)


READ_ONLY = ("unshare", "-m", "sh", "-c", READ_ONLY_MOUNT, "sh")
"""Runs a command in a folder whose ``ro`` is a read-only file system (a mount of its own, in
a mount namespace of its own: nothing outside the command sees it)."""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "reviews", "--out", "ro/x.csv"), "error: cannot write ro/x.csv: Read-only"),
        (("export", "reviews", "--out", "ro/x.jsonl"), "error: cannot write ro/x.jsonl: Read-only"),
        (("export", "reviews", "--out", "ro/x.parquet"), "error: cannot write ro/x.parquet: "),
    ],
)
def test_export_into_a_read_only_file_system_is_one_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    # Its clean-up of the partial file raised EROFS from `finally`: a traceback over the error
    (tmp_path / "ro").mkdir()
    probe = subprocess.run([*READ_ONLY, "touch", "ro/probe"], cwd=tmp_path, check=False)
    if probe.returncode != 1:
        pytest.skip("no read-only mount here (unshare -m needs root)")
    url = imported_reviews(tmp_path, ["text,rating", "Good coffee,5"])
    result = run_cli(*args, cwd=tmp_path, db_url=url, wrapper=READ_ONLY)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert list((tmp_path / "ro").iterdir()) == []


@pytest.mark.parametrize(
    "args", [("export", "reviews"), ("export", "reviews", "--format", "jsonl"), ("findings",)]
)
def test_standard_output_on_a_full_disk_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    # `rivalscope export reviews > reviews.csv` on a full disk: was an OSError traceback,
    # exit 1; its partial output is said to be incomplete
    url = imported_reviews(tmp_path, ["text,rating", "Good coffee,5"])
    to_full_disk = ("sh", "-c", 'exec "$@" > /dev/full', "sh")
    result = run_cli(*args, cwd=tmp_path, db_url=url, wrapper=to_full_disk)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "error: cannot write the output: No space left on device; what was written is incomplete"
    ], result.stderr

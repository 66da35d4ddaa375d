"""Careless input that ``benchmarks/bad_input.py`` found accepted or ending in a traceback (kin
of issue #14's list): each is now refused with its reason (a UserError: one line) or a row
rejected with it, and a refused command stores nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path

import pytest
import typer
from sqlalchemy import text

from compare.analysis.taxonomy import load_taxonomy
from compare.report.currency import load_rates
from compare.report.report_error import ReportError
from rivalscope.options import checked_database
from settings.interrupts import interrupts_deferred
from settings.targets import TargetsError, load_targets, parse_targets
from settings.user_errors import UserError
from spiders.file_import import ImportFileError, import_file
from storage.db import DatabaseError, environment_error, open_database

OWN = 'name = "Nordlys Kaffe"\nown = true\n'
SOURCE = '[[company.source]]\nname = "s{n}"\nstart_urls = ["http://127.0.0.1:9/"]\n'


def _targets(*companies: str, source: str = "") -> str:
    return "".join(
        f"[[company]]\n{body}{SOURCE.format(n=n)}{source}" for n, body in enumerate(companies)
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (_targets(OWN, 'name = "NORDLYS KAFFE"\n'), "company names must be unique (case aside)"),
        (_targets('name = "   "\n'), "the name is blank"),
        (_targets('name = "Evil\\nCo"\n'), "holds a control character"),
        (_targets('name = " Padded"\n'), "starts or ends with spaces"),
        (_targets(OWN, source='schedule = "0 0 30 2 *"\n'), "never comes: no date matches it"),
        (_targets(OWN, source='region = "Narnia\\n"\n'), "is not a market"),
        (
            _targets(OWN, source="[company.source.limits]\nmax_response_mb = nan\n"),
            "finite number",
        ),
        (
            _targets(OWN, source="[company.source.politeness]\ndownload_delay = inf\n"),
            "finite number",
        ),
    ],
    ids=["case", "blank", "control", "spaces", "feb-30", "region", "nan", "inf"],
)
def test_targets_mistakes_are_refused(body: str, problem: str) -> None:
    with pytest.raises(TargetsError) as raised:
        parse_targets(body)
    assert problem in str(raised.value)


def test_a_targets_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text("\ufeff" + _targets(OWN), encoding="utf-8")
    assert [c.name for c in load_targets(path).company] == ["Nordlys Kaffe"]


LOADERS = {
    "targets": load_targets,
    "taxonomy": load_taxonomy,
    "rates": load_rates,
}


@pytest.mark.parametrize("loader", list(LOADERS))
@pytest.mark.parametrize("kind", ["fifo", "huge"])
def test_a_user_file_that_is_no_file_or_huge_is_refused_unread(
    tmp_path: Path, kind: str, loader: str
) -> None:
    path = tmp_path / "file.toml"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would wait for a writer forever (as /dev/zero never ends)
    else:
        path.write_bytes(b"#" * 10_000_001)
    with pytest.raises(UserError, match=r"not a regular file|larger than 10 MB"):
        LOADERS[loader](path)


def test_exchange_rates_that_are_not_finite_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text('date = "2025-01-01"\nsource = "mine"\n[per_eur]\nNOK = nan\n')
    with pytest.raises(ReportError, match=r"per_eur\.NOK must be a positive number"):
        load_rates(path)


def _tables(url: str) -> dict[str, int]:
    engine = open_database(url)
    with engine.connect() as conn:
        counts = {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in ("company", "source", "crawl_run", "review", "offer_observation")
        }
    engine.dispose()
    return counts


@pytest.mark.parametrize(
    ("content", "kind", "problem"),
    [
        ("text,rating\nGood coffee,5\n", "offers", "unknown columns 'text', 'rating'"),
        ("product,price\nKettle,19.99\n", "reviews", "unknown column 'price'"),
        ("text,ratng\nGood coffee,5\n", None, "unknown column 'ratng'"),
    ],
)
def test_a_refused_import_file_records_no_company_source_or_run(
    tmp_path: Path, db_url: str, content: str, kind: str | None, problem: str
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(content, encoding="utf-8")
    before = _tables(db_url)
    engine = open_database(db_url)
    with pytest.raises(ImportFileError) as raised:
        import_file(engine, path, company="New Co", new_company=True, kind=kind)  # type: ignore[arg-type]
    engine.dispose()
    assert problem in str(raised.value)
    assert _tables(db_url) == before


@pytest.mark.parametrize(
    "name", ["NORDLYS KAFFE", "nordlys-kaffe", "Nordlys  Kaffe", "Nördlys Kaffe"]
)
@pytest.mark.parametrize("new_company", [False, True])
def test_a_company_name_differing_only_in_case_or_accents_is_not_a_new_company(
    tmp_path: Path, db_url: str, name: str, new_company: bool
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("text,rating\nGood coffee,5\n", encoding="utf-8")
    engine = open_database(db_url)
    import_file(engine, path, company="Nordlys Kaffe", new_company=True)
    with pytest.raises(ImportFileError, match=r"'Nordlys Kaffe' is .*use that name"):
        import_file(engine, path, company=name, new_company=new_company)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM company")).scalars().all() == ["Nordlys Kaffe"]
    engine.dispose()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("text,rating,language\nGood coffee,5,en\nBad row,4,klingon\n", "is not a language code"),
        (
            "product,price,currency,url\nKettle,19.99,EUR,https://shop.test/k\n"
            "Mill,5,EUR,javascript:alert(1)\n",
            "url not http",
        ),
        (
            "product,price,currency,date\nKettle,19.99,EUR,2025-01-01\nMill,5,EUR,2999-01-01\n",
            "date '2999-01-01' is in the future",
        ),
        (
            "product,price,currency,date\nKettle,19.99,EUR,2025-01-01\nMill,5,EUR,1900-01-01\n",
            "date '1900-01-01' is before 1995",
        ),
    ],
)
def test_rows_with_garbage_are_rejected_with_their_reason(
    tmp_path: Path, db_url: str, content: str, reason: str
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(content, encoding="utf-8")
    engine = open_database(db_url)
    report = import_file(engine, path, company="A", new_company=True)
    engine.dispose()
    assert report.rejected == 1 and report.stored == 1
    assert report.bad[0][0] == 3 and reason in report.bad[0][1], report.bad


def test_a_database_of_a_newer_schema_is_refused_in_one_line(db_url: str) -> None:
    open_database(db_url).dispose()
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="revision '9999' is not one this rivalscope knows"):
        open_database(db_url)


def test_a_read_only_database_is_a_user_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    open_database("sqlite:///ro.db").dispose()
    engine = open_database("sqlite:///file:ro.db?mode=ro&uri=true")  # writes fail
    with pytest.raises(Exception) as raised, engine.begin() as conn:
        conn.execute(text("INSERT INTO meta (key, value) VALUES ('x', 'y')"))
    engine.dispose()
    error = environment_error(raised.value)
    assert isinstance(error, DatabaseError)
    assert str(error) == "database: attempt to write a readonly database"
    assert environment_error(ValueError("a bug")) is None


@pytest.mark.parametrize(
    ("value", "env", "problem"),
    [
        ("", None, "the database URL is empty"),
        ("  ", None, "the database URL is empty"),
        ("sqlite://", None, "is an in-memory database"),
        ("sqlite:///:memory:", None, "is an in-memory database"),
        (None, "sqlite://", "RIVALSCOPE_DATABASE_URL=sqlite:// is an in-memory database"),
        ("sqlite:///shop.db", None, None),
        (None, "sqlite:///shop.db", None),
        (None, "", None),
        ("not a url", None, None),  # opening it says why
    ],
)
def test_database_option_refuses_blank_and_in_memory_urls(
    monkeypatch: pytest.MonkeyPatch, value: str | None, env: str | None, problem: str | None
) -> None:
    monkeypatch.delenv("RIVALSCOPE_DATABASE_URL", raising=False)
    if env is not None:
        monkeypatch.setenv("RIVALSCOPE_DATABASE_URL", env)
    if problem is None:
        assert checked_database(value) == value
        return
    with pytest.raises((typer.BadParameter, DatabaseError)) as raised:
        checked_database(value)
    assert problem in str(raised.value)


def test_an_interrupt_during_a_deferred_block_comes_at_its_end() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("after the signal")
        steps.append("never")
    assert steps == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _worker_sigint(parent: int, answer: multiprocessing.queues.Queue[str]) -> None:
    from compare.analysis.run import _start_worker

    _start_worker(parent)
    answer.put(str(signal.getsignal(signal.SIGINT)))


def test_analysis_workers_leave_ctrl_c_to_the_analyze_process() -> None:
    context = multiprocessing.get_context("fork")
    answer: multiprocessing.queues.Queue[str] = context.Queue()
    worker = context.Process(target=_worker_sigint, args=(os.getpid(), answer))
    worker.start()
    got = answer.get(timeout=60)
    worker.join(timeout=60)
    assert got == str(signal.SIG_IGN)  # else a Ctrl-C printed a traceback per worker

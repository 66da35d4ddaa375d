"""``rivalscope export``: every data set in every format, streamed, filtered by date and
company (accents aside), formula-safe CSV, Parquet in row groups, one-line errors."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, func, select, text
from typer.testing import CliRunner

import storage.export
from compare.report.build import build_report
from compare.report.synthetic import SyntheticPlan, add_review, populate
from rivalscope.cli import app
from storage.db import open_database
from storage.export import DATASETS, ExportError, export
from storage.schema import metadata

PLAN = SyntheticPlan(
    own="Nordlys", competitors=("Maison Lumière", "Rival B"), reviews=900,
    positive_share={("Maison Lumière", "delivery"): 0.1},
)  # fmt: skip
HOSTILE = '=HYPERLINK("http://x","y") <script>alert(1)</script>'


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(metadata.tables[table])
            ).scalar_one()
        )


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_every_data_set_in_every_format(
    engine: Engine, tmp_path: Path, dataset: str, fmt: str
) -> None:
    populate(engine, PLAN)
    build_report(engine, tmp_path / "report")
    out = tmp_path / f"{dataset}.{fmt}"
    result = export(engine, dataset, fmt, out=out)
    expected = {
        "reviews": _count(engine, "review"),
        "offers": _count(engine, "product"),
        "prices": _count(engine, "offer_observation"),
        "findings": _count(engine, "finding"),
        "opinions": _count(engine, "aspect_mention"),
    }[dataset]
    assert expected > 0 and result.rows == expected
    names = [f.name for f in DATASETS[dataset].fields]
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == names and len(rows) == expected + 1
    elif fmt == "jsonl":
        records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert len(records) == expected and list(records[0]) == names
    else:
        table = pq.read_table(out)
        assert table.num_rows == expected and table.column_names == names
    assert not list(tmp_path.glob(".*.partial"))


def test_reviews_are_pseudonymised_and_formula_safe(engine: Engine, tmp_path: Path) -> None:
    ids = populate(engine, PLAN)
    add_review(engine, ids["Maison Lumière"], HOSTILE, "delivery", "negative", 999_999)
    with engine.begin() as connection:
        connection.execute(text("UPDATE review SET author_hash = 'a1b2c3' WHERE id = 999999"))
    buffer = io.StringIO()
    export(engine, "reviews", "csv", stdout=buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    hostile = next(r for r in rows if r["id"] == "999999")
    assert hostile["text"].startswith("'=HYPERLINK")
    assert hostile["author_pseudonym"] == "a1b2c3"
    assert hostile["sentiment"] == "negative"  # its analysis, beside the text
    assert not any(k.startswith("author") and k != "author_pseudonym" for k in rows[0])


def test_opinions_carry_their_sentence_company_and_label_formula_safe(engine: Engine) -> None:
    """Each aspect opinion the report counts, with the sentence it is in: what an analyst
    pivots on (no data set held it before)."""
    ids = populate(engine, PLAN)
    add_review(engine, ids["Maison Lumière"], HOSTILE, "delivery", "negative", 999_999)
    buffer = io.StringIO()
    export(engine, "opinions", "csv", company="maison lumiere", stdout=buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert rows and {r["company"] for r in rows} == {"Maison Lumière"}
    hostile = [r for r in rows if r["review_id"] == "999999"]
    assert [(r["aspect"], r["label"]) for r in hostile] == [("delivery", "negative")]
    assert hostile[0]["sentence"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text
    later = io.StringIO()
    export(engine, "opinions", "jsonl", since=date(2025, 7, 1), stdout=later)
    dates = [json.loads(line)["published"] for line in later.getvalue().splitlines()]
    dated = [d for d in dates if d is not None]  # undated: first seen since then
    assert dated and min(dated) >= "2025-07-01" and len(dates) < _count(engine, "aspect_mention")


def test_company_without_accents_and_since(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    buffer = io.StringIO()
    export(engine, "reviews", "jsonl", company="maison lumiere", stdout=buffer)
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert records and {r["company"] for r in records} == {"Maison Lumière"}
    later = io.StringIO()
    export(engine, "reviews", "jsonl", since=date(2025, 7, 1), stdout=later)
    dates = [json.loads(line)["published"] for line in later.getvalue().splitlines()]
    assert dates and min(dates) >= "2025-07-01"
    with pytest.raises(ExportError, match="did you mean 'Maison Lumière'"):
        export(engine, "reviews", "csv", company="Maison Lumire", stdout=io.StringIO())


def test_parquet_is_written_in_row_groups(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(engine, PLAN)
    monkeypatch.setattr(storage.export, "BATCH_ROWS", 100)
    out = tmp_path / "reviews.parquet"
    result = export(engine, "reviews", "parquet", out=out)
    meta = pq.ParquetFile(out).metadata
    assert meta.num_row_groups == -(-result.rows // 100) and meta.num_rows == result.rows
    table = pq.read_table(out)
    assert str(table.schema.field("first_seen_at").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("published").type) == "date32[day]"


def test_a_pipe_is_written_through_and_stays_a_pipe(engine: Engine, tmp_path: Path) -> None:
    """``--out`` a FIFO (or /dev/stdout): a finished file renamed onto it put a regular file
    in its place (as root, even /dev/null's), and the reader got nothing."""
    populate(engine, PLAN)
    fifo = tmp_path / "reviews.csv"
    os.mkfifo(fifo)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        result = export(engine, "reviews", "csv", out=fifo)
    finally:
        if reader.is_alive():  # the old code never opened the pipe: let the reader end
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert read and len(read[0].decode().splitlines()) == result.rows + 1


def test_a_link_keeps_pointing_at_the_file_it_names(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "reviews.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    result = export(engine, "reviews", "csv", out=link)
    assert link.is_symlink() and link.resolve() == target
    assert len(target.read_text(encoding="utf-8").splitlines()) == result.rows + 1
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["reviews.csv"]


@pytest.mark.postgres
def test_postgres_export_streams_through_a_server_side_cursor(pg_url: str, tmp_path: Path) -> None:
    engine = open_database(pg_url)
    try:
        populate(engine, PLAN)
        result = export(engine, "reviews", "csv", out=tmp_path / "reviews.csv")
        assert result.rows == PLAN.reviews
        with engine.connect() as connection:
            streamed = connection.execution_options(stream_results=True, yield_per=10).execute(
                DATASETS["reviews"].query(None, None)
            )
            assert streamed.cursor.__class__.__name__ == "ServerCursor"
            streamed.close()
    finally:
        engine.dispose()


def test_command_line(
    db_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(engine, PLAN)
    runner = CliRunner()
    out = tmp_path / "prices.parquet"
    ran = runner.invoke(app, ["export", "prices", "--out", str(out), "--db", db_url])
    assert ran.exit_code == 0, ran.output
    assert pq.read_table(out).num_rows == _count(engine, "offer_observation")
    shown = runner.invoke(app, ["export", "offers", "--format", "jsonl", "--db", db_url])
    assert shown.exit_code == 0 and len(shown.stdout.splitlines()) == _count(engine, "product")
    # "-o -" is standard output, as for most tools; before, a file named "-" was written.
    monkeypatch.chdir(tmp_path)
    dashed = runner.invoke(app, ["export", "offers", "-o", "-", "--db", db_url])
    assert dashed.exit_code == 0 and len(dashed.stdout.splitlines()) == 1 + _count(
        engine, "product"
    )
    assert not (tmp_path / "-").exists()
    told = tmp_path / "offers.txt"  # a suffix no format has: --format says what to write
    ran = runner.invoke(app, ["export", "offers", "-f", "jsonl", "-o", str(told), "--db", db_url])
    assert ran.exit_code == 0, ran.output
    assert [json.loads(line) for line in told.read_text().splitlines()]
    for args, message in (
        (["export", "reviews", "--format", "parquet"], "--out FILE.parquet"),
        (["export", "reviews", "--since", "yesterday"], "--since must be a date"),
        (["export", "people"], "unknown data set"),
        (["export", "reviews", "--company", "Nobody"], "no company named"),
        (["export", "reviews", "--format", "xml"], "--format must be one of"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "rivalscope", *args, "--db", db_url],
            capture_output=True, text=True, cwd=tmp_path, check=False,
        )  # fmt: skip
        assert run.returncode == 2, (args, run.stderr)
        assert message in run.stderr and "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


def test_a_since_in_the_future_is_refused_as_the_report_refuses_it(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """`export --since 2099-01-01` wrote an empty file, exit 0, while `report --since
    2099-01-01` refused it: both say the same, and no file is written (found by
    user-audit5)."""
    populate(engine, PLAN)
    said = "--since 2099-01-01 is in the future: no review is that recent"
    folder = tmp_path / "out"
    folder.mkdir()
    for dataset, row in (
        ("offers", "offer"),
        ("prices", "price"),
        ("opinions", "opinion"),
        ("findings", "finding"),
    ):  # each names what it exports: an offer export said "no review is that recent"
        with pytest.raises(ExportError, match=f"^{said.replace('review', row)}$"):
            export(engine, dataset, "csv", out=folder / "o.csv", since=date(2099, 1, 1))
    out = folder / "reviews.csv"
    runs = {
        command: subprocess.run(
            [sys.executable, "-m", "rivalscope", *args, "--since", "2099-01-01", "--db", db_url],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        for command, args in (
            ("export", ["export", "reviews", "--out", str(out)]),
            ("report", ["report", "--out", str(folder / "report")]),
        )
    }
    for command, run in runs.items():
        assert run.returncode == 2 and run.stderr.strip() == f"error: {said}", (command, run)
    assert sorted(p.name for p in folder.iterdir()) == []


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_moments_are_written_in_utc_with_their_offset_from_either_database(
    request: pytest.FixtureRequest, tmp_path: Path, database: str, fmt: str
) -> None:
    """SQLite's export wrote "2026-12-06T13:22:41.383086", PostgreSQL's the same moment as
    "2026-12-06T13:22:41.383086+00:00": a sheet fed from both read them as two times."""
    engine = (
        request.getfixturevalue("engine")
        if database == "sqlite"
        else open_database(request.getfixturevalue("pg_url"))
    )
    try:
        populate(engine, SyntheticPlan(own="Nordlys", competitors=("Rival B",), reviews=20))
        out = tmp_path / f"reviews.{fmt}"
        export(engine, "reviews", fmt, out=out)
    finally:
        if database != "sqlite":
            engine.dispose()
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as handle:
            seen = [row["first_seen_at"] for row in csv.DictReader(handle)]
    else:
        seen = [json.loads(line)["first_seen_at"] for line in out.read_text("utf-8").splitlines()]
    assert seen and all(value.endswith("+00:00") for value in seen), seen[:2]


OLD_FINDING_COLUMNS = [
    "report_id", "report_created_at", "competitor", "aspect", "kind", "segment_product",
    "segment_category", "segment_language", "segment_region", "effect", "effect_low",
    "effect_high", "sample_size", "own_sample_size", "score", "summary", "quotes",
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_findings_carry_the_report_files_unit_columns(
    engine: Engine, tmp_path: Path, fmt: str
) -> None:
    """The report's findings.csv says what each effect and sample measures (``effect_unit``,
    ``sample_unit``); the export of the same findings did not, so its effect read as one
    number across kinds (a net sentiment gap, a share of reviews, a price premium). The
    columns come after the ones the export had, in their order, for consumers that read
    them by position."""
    populate(engine, PLAN)
    build_report(engine, tmp_path / "report")
    with (tmp_path / "report" / "findings.csv").open(encoding="utf-8", newline="") as handle:
        report = list(csv.DictReader(handle))
    out = tmp_path / f"findings.{fmt}"
    export(engine, "findings", fmt, out=out)
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as handle:
            exported = list(csv.DictReader(handle))
    elif fmt == "jsonl":
        exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    else:
        exported = pq.read_table(out).to_pylist()
    assert list(exported[0])[: len(OLD_FINDING_COLUMNS)] == OLD_FINDING_COLUMNS
    units = {"effect_unit", "sample_unit"}
    assert units <= set(exported[0])

    def key(row: dict[str, object]) -> tuple[object, ...]:
        segments = [
            row[f"segment_{s}"] or "" for s in ("product", "category", "language", "region")
        ]
        return (row["competitor"], row["aspect"], row["kind"], *segments)

    said = {key(row): (row["effect_unit"], row["sample_unit"]) for row in report}
    assert len({row["kind"] for row in report}) >= 2, report  # more than one unit compared
    assert {key(row): (row["effect_unit"], row["sample_unit"]) for row in exported} == said


def _price_history(engine: Engine) -> None:
    """One product's page prices (May, June, August) and listing prices (May, September)
    beside populate's observations of today."""
    populate(engine, PLAN)
    offer = metadata.tables["offer_observation"]
    with engine.begin() as connection:
        product_id, source_id = connection.execute(
            select(offer.c.product_id, offer.c.source_id).order_by(offer.c.id).limit(1)
        ).one()
        connection.execute(
            offer.insert(),
            [
                {"product_id": product_id, "source_id": source_id, "listing": listing,
                 "observed_at": datetime.fromisoformat(moment), "price_value": price,
                 "price": f"{price:.2f}", "currency": "EUR"}
                for moment, price, listing in [
                    ("2025-05-02 08:00", 10.0, False), ("2025-06-03 08:00", 12.0, False),
                    ("2025-08-04 08:00", 11.0, False), ("2025-05-05 08:00", 9.0, True),
                    ("2025-09-06 08:00", 8.0, True),
                ]
            ],
        )  # fmt: skip


def _exported_prices(engine: Engine, since: date) -> list[tuple[str, float, bool, bool]]:
    buffer = io.StringIO()
    export(engine, "prices", "jsonl", since=since, stdout=buffer)
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return sorted(
        (r["observed_at"][:10], r["price"], r["listing"], r["in_force_at_since"])
        for r in records
        if r["observed_at"] < "2026"
    )


def _check_price_in_force(engine: Engine) -> None:
    _price_history(engine)
    # August's change from 12 to 11 needs June's 12; September's listing price needs May's 9.
    assert _exported_prices(engine, date(2025, 7, 1)) == [
        ("2025-05-05", 9.0, True, True),
        ("2025-06-03", 12.0, False, True),
        ("2025-08-04", 11.0, False, False),
        ("2025-09-06", 8.0, True, False),
    ]
    # Before every observation: nothing was in force.
    assert all(not row[3] for row in _exported_prices(engine, date(2025, 1, 1)))


def test_prices_since_a_date_start_with_the_price_then_in_force(engine: Engine) -> None:
    _check_price_in_force(engine)


@pytest.mark.postgres
def test_prices_since_a_date_start_with_the_price_then_in_force_on_postgresql(
    pg_url: str,
) -> None:
    engine = open_database(pg_url)
    try:
        _check_price_in_force(engine)
    finally:
        engine.dispose()

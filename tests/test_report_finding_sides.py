"""Stored findings keep both sides of their comparison: an unmet need's effect is the
difference between their share of reviews voicing it and ours (a need every shop's
customers voice alike is no opening), with both shares, the counts and the p-values; an
aspect gap keeps both net sentiments. Rows stored by an earlier version still show."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from compare.report.build import build_report
from compare.report.stats import fdr_level
from compare.report.stored_tables import FINDING
from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.cli import app
from storage.db import MIGRATIONS_DIR, make_engine, open_database
from storage.schema import metadata

# Both voice "timer" (Rival A twice as often); only Rival A's reviewers want an "app".
NEEDS = SyntheticPlan(
    reviews=1500,
    need_share={
        ("Rival A", "timer"): 0.4,
        ("Own Coffee", "timer"): 0.2,
        ("Rival A", "app"): 0.3,
    },
    positive_share={("Rival A", "delivery"): 0.15, ("Own Coffee", "delivery"): 0.9},
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest) -> str:
    """A fresh database URL: a SQLite file, then a PostgreSQL schema."""
    return str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))


def _stored(engine: Engine, kind: str, aspect: str) -> list[sa.Row[tuple[object, ...]]]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(FINDING).where(FINDING.c.kind == kind, FINDING.c.aspect == aspect)
            ).all()
        )


def test_a_need_finding_stores_the_difference_with_our_share(any_url: str, tmp_path: Path) -> None:
    # Stored before: effect 0.40 [0.35, 0.46] on "timer", Rival A's share alone, although
    # our own customers voice it half as often; nothing said how often.
    engine = open_database(any_url)
    populate(engine, NEEDS)
    build_report(engine, tmp_path / "out")
    (timer,) = _stored(engine, "unmet_need", "timer")
    assert 0.32 < timer.competitor_value < 0.48 and 0.13 < timer.own_value < 0.27
    assert timer.effect == pytest.approx(timer.competitor_value - timer.own_value)
    assert 0 < timer.effect_low < timer.effect < timer.effect_high < timer.competitor_value
    assert timer.competitor_count == round(timer.competitor_value * timer.sample_size)
    assert timer.own_count == round(timer.own_value * timer.own_sample_size)
    assert 0 <= timer.p_value <= timer.p_adjusted <= 0.05
    (wanted,) = _stored(engine, "unmet_need", "app")
    assert wanted.own_value == 0 and wanted.own_count == 0
    assert wanted.effect == pytest.approx(wanted.competitor_value)
    # findings.csv says the same, with units.
    with (tmp_path / "out" / "findings.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["aspect"] == "timer"]
    (row,) = rows
    assert row["effect_unit"] == "share of reviews voicing it, theirs - ours (-1..1)"
    assert float(row["effect"]) == pytest.approx(timer.effect)
    assert row["value_unit"] == "share of reviews voicing it (0..1)"
    assert row["count_unit"] == "reviews voicing it"
    assert int(row["own_count"]) == timer.own_count
    engine.dispose()


def test_an_aspect_gap_stores_both_net_sentiments(engine: Engine, tmp_path: Path) -> None:
    populate(engine, NEEDS)
    build_report(engine, tmp_path / "out")
    weak = [
        w for w in _stored(engine, "competitor_weakness", "delivery") if w.competitor == "Rival A"
    ]
    segments = ("segment_product", "segment_category", "segment_language", "segment_region")
    (overall,) = [w for w in weak if all(getattr(w, s) is None for s in segments)]
    assert overall.competitor_value < 0 < overall.own_value
    # A net gap is the difference of the two nets, their negative opinions counted.
    assert overall.effect == pytest.approx(overall.own_value - overall.competitor_value)
    their_negative = overall.sample_size * (1 - overall.competitor_value) / 2
    assert overall.competitor_count == round(their_negative)
    assert 0 <= overall.p_value <= overall.p_adjusted <= 0.05
    for segment in weak:  # a segment's own net, against our whole company's
        assert segment.own_value == overall.own_value
        assert segment.effect == pytest.approx(segment.own_value - segment.competitor_value)


def test_a_need_voiced_by_us_as_often_stops_being_a_finding(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    ids = populate(engine, NEEDS)
    build_report(engine, tmp_path / "one")
    assert _stored(engine, "unmet_need", "app")
    # Our reviewers come to wish for an app as often (30%): the next report has no such
    # finding, and `findings` lists the latest report's only.
    review, need = metadata.tables["review"], metadata.tables["review_need"]
    rng = random.Random(5)
    with engine.begin() as connection:
        ours = connection.execute(
            select(review.c.id, review.c.published, review.c.language).where(
                review.c.company_id == ids["Own Coffee"]
            )
        ).all()
        connection.execute(
            need.insert(),
            [
                {
                    "review_id": r.id,
                    "company_id": ids["Own Coffee"],
                    "published": r.published,
                    "language": r.language,
                    "sentence_position": 0,
                    "text": "I wish it had an app.",
                    "kind": "wish",
                    "aspect": "app",
                }
                for r in ours
                if rng.random() < 0.3
            ],
        )
    build_report(engine, tmp_path / "two")
    runner = CliRunner()
    latest = runner.invoke(app, ["findings", "--db", db_url, "--aspect", "app"])
    assert latest.exit_code == 0, latest.output
    # Not "'app' is the aspect website." above the website's findings (a seed term of it):
    # the need that was a finding is said to be one no longer.
    assert latest.output.strip() == (
        "Report #2 found nothing about 'app'; earlier reports did: pass --all-runs to list "
        "their findings."
    )
    earlier = runner.invoke(app, ["findings", "--db", db_url, "--aspect", "app", "--all-runs"])
    assert earlier.exit_code == 0 and "Rival A" in earlier.output, earlier.output


def test_findings_show_their_share_ours_and_the_difference(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    populate(engine, NEEDS)
    build_report(engine, tmp_path / "out")
    (timer,) = _stored(engine, "unmet_need", "timer")
    listed = CliRunner().invoke(
        app, ["findings", "--db", db_url, "--kind", "unmet need"], env={"COLUMNS": "160"}
    )
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if "timer" in line)
    theirs, ours = f"{timer.competitor_value:.0%}", f"{timer.own_value:.0%}"
    assert f"{theirs} {ours} {timer.effect * 100:+.0f} [" in " ".join(row.split()), row
    assert f"{timer.sample_size}/{timer.own_sample_size}" in row
    assert "share of reviews, theirs − ours" in listed.output


def _database_at(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    old = make_engine(url)
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    old.dispose()


def test_a_need_stored_by_an_earlier_version_shows_as_their_share(any_url: str) -> None:
    db_url = any_url
    _database_at(db_url, "0017")
    company = sa.table("company", *(sa.column(c) for c in ("id", "name", "is_own", "created_at")))
    run = sa.table(
        "report_run",
        *(sa.column(c) for c in ("id", "created_at", "min_sample", "reviews")),
        sa.column("competitors", sa.JSON),
        sa.column("snapshot", sa.JSON),
    )
    columns = [
        "report_run_id",
        "competitor_id",
        "competitor",
        "aspect",
        "kind",
        "effect",
        "effect_low",
        "effect_high",
        "sample_size",
        "own_sample_size",
        "score",
        "summary",
    ]
    finding = sa.table(
        "finding",
        *(sa.column(c) for c in columns),
        sa.column("evidence_review_ids", sa.JSON),
        sa.column("quotes", sa.JSON),
    )
    old = make_engine(db_url)
    with old.begin() as connection:
        connection.execute(
            company.insert(),
            [
                {"id": 1, "name": "Own Coffee", "is_own": True, "created_at": datetime.now(UTC)},
                {"id": 2, "name": "Rival A", "is_own": False, "created_at": datetime.now(UTC)},
            ],
        )
        connection.execute(
            run.insert().values(
                id=1,
                created_at=datetime.now(UTC),
                min_sample=20,
                reviews=243,
                competitors=["Rival A"],
                snapshot={},
            )
        )
        connection.execute(
            finding.insert().values(
                report_run_id=1,
                competitor_id=2,
                competitor="Rival A",
                aspect="app",
                kind="unmet_need",
                effect=0.2397,
                effect_low=0.1777,
                effect_high=0.3151,
                sample_size=128,
                own_sample_size=115,
                score=1.2,
                summary="24% of Rival A's reviews (31 of 128) want something about app",
                evidence_review_ids=[],
                quotes=[],
            )
        )
    old.dispose()
    open_database(db_url).dispose()  # upgraded to the head
    runner = CliRunner()
    listed = runner.invoke(app, ["findings", "--db", db_url], env={"COLUMNS": "160"})
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if "Rival A" in line)
    assert "unmet need*" in row and "24%" in row and "[" not in row, row
    assert "stored by an earlier version" in listed.output
    exported = runner.invoke(app, ["export", "findings", "--db", db_url, "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    (record,) = [json.loads(line) for line in exported.output.splitlines() if line.strip()]
    assert record["effect_unit"] == "share of their reviews (0..1)"
    assert record["competitor_value"] is None


def test_the_adjusted_p_value_is_benjamini_hochbergs() -> None:
    family = fdr_level([0.01, 0.04, 0.03, 0.5])
    assert family.significant == 1
    adjusted = [family.adjusted(p) for p in (0.01, 0.03, 0.04, 0.5)]
    assert adjusted == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert [q <= 0.05 for q in adjusted] == [True, False, False, False]


def test_findings_of_every_report_say_when_each_was_made(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """`findings --all-runs` listed report ids alone: which was last month's took a look
    at `report_run` by hand."""
    populate(engine, NEEDS)
    build_report(engine, tmp_path / "one")
    with engine.begin() as connection:
        connection.execute(
            metadata.tables["report_run"].update().values(created_at=datetime(2026, 11, 2, 6))
        )
    build_report(engine, tmp_path / "two")
    listed = CliRunner().invoke(
        app, ["findings", "--db", db_url, "--all-runs"], env={"COLUMNS": "200"}
    )
    assert listed.exit_code == 0, listed.output
    today = f"{datetime.now(UTC):%Y-%m-%d}"
    assert "#1 2026-11-02" in listed.output and f"#2 {today}" in listed.output, listed.output

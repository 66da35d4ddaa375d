"""A segment of a competitor's reviews is compared with our reviews in the same segment when
we have enough of them, else with our whole company, and each stored finding says which
(``own_base``); needs our customers voice more than theirs are stored and shown apart from
the targets to win. Real SQLite files, the report and the command as a user runs them."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from compare.report.aspects import AspectCell, Segment
from compare.report.build import build_report
from compare.report.findings import aspect_findings
from compare.report.report_scope import CompanyRef, ReportScope
from compare.report.stored_tables import FINDING
from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.cli import app
from storage.db import MIGRATIONS_DIR, make_engine, open_database

# French reviewers are harsher on delivery than English ones at every shop (0.3 positive
# against 0.9): Rival A's French reviews are no worse than ours. Its French reviewers are
# harsher on customer service than ours (0.2 against 0.8): a gap like for like. Rival B's
# Polish reviews have no counterpart of ours.
SEGMENTS = SyntheticPlan(
    reviews=6000,
    company_languages={"Rival B": ("en", "pl")},
    positive_share={
        ("Own Coffee", "delivery"): 0.9,
        ("Rival A", "delivery"): 0.9,
        ("Rival B", "delivery"): 0.9,
    },
    language_positive_share={
        ("Own Coffee", "delivery", "fr"): 0.3,
        ("Rival A", "delivery", "fr"): 0.3,
        ("Rival A", "customer_service", "fr"): 0.2,
        ("Own Coffee", "customer_service", "fr"): 0.8,
        ("Rival B", "delivery", "pl"): 0.2,
    },
)


def _stored(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(FINDING)).all()]


def _segment(rows: list[dict[str, object]], competitor: str, aspect: str, language: str) -> list:
    return [
        r
        for r in rows
        if r["competitor"] == competitor
        and r["aspect"] == aspect
        and r["segment_language"] == language
    ]


def test_a_segment_is_compared_with_ours_in_the_same_segment(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    # Before: Rival A's French reviews on delivery (net -0.4) were compared with our whole
    # company (+0.2, half of it English): "Rival A is weak on delivery (language fr)",
    # although our French reviewers say the same of ours. A segment-mix effect.
    populate(engine, SEGMENTS)
    build_report(engine, tmp_path / "out")
    rows = _stored(engine)
    assert _segment(rows, "Rival A", "delivery", "fr") == []
    # ... and their English reviews "strong on delivery" beside our whole (half French).
    assert _segment(rows, "Rival A", "delivery", "en") == []
    assert _segment(rows, "Rival B", "delivery", "en") == []
    # A gap like for like stays, compared with our French reviews.
    [service] = _segment(rows, "Rival A", "customer_service", "fr")
    assert service["kind"] == "competitor_weakness" and service["own_base"] == "segment"
    assert 0.4 < float(service["own_value"]) < 0.8  # our French net (0.8 positive: +0.6)
    assert float(service["p_adjusted"]) <= 0.05
    assert "in language fr" in str(service["summary"])
    # Where we have no reviews of our own, our whole company, said so.
    [polish] = _segment(rows, "Rival B", "delivery", "pl")
    assert polish["own_base"] == "company"
    assert "our whole company: too few of ours in language pl" in str(polish["summary"])
    # Every finding on all their reviews is against our whole company; prices matched.
    assert {r["own_base"] for r in rows if r["segment_language"] is None} <= {
        "company",
        "matched_products",
    }
    files = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))["findings"]
    assert {f["own_base"] for f in files} == {r["own_base"] for r in rows}
    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "ours from" in page and "whole company (too few of ours in the segment)" in page
    listed = CliRunner().invoke(app, ["findings", "--db", db_url], env={"COLUMNS": "160"})
    assert listed.exit_code == 0, listed.output
    assert "+0.62†" not in listed.output  # the marker follows the value, on fallback rows only
    assert "† ours is our whole company's" in listed.output
    assert "ours is from our reviews in the same segment" in listed.output


def _cell(company: int, segment: Segment, positive: int, negative: int) -> AspectCell:
    return AspectCell(company, "delivery", segment, positive + negative, 0, positive, negative)


@pytest.mark.parametrize(
    ("ours_in_segment", "found"),
    [
        # Our French opinions as harsh as theirs: the French gap was the mix, none.
        ((60, 140), []),
        # Too few French opinions of ours to compare with: our whole company, said so.
        ((3, 7), ["company"]),
        # Ours clearly better in French too: a gap like for like.
        ((170, 30), ["segment"]),
    ],
)
def test_a_segment_gap_by_what_we_have_in_the_segment(
    ours_in_segment: tuple[int, int], found: list[str]
) -> None:
    french, english = Segment("language", "fr"), Segment("language", "en")
    scope = ReportScope(
        CompanyRef(1, "Own Coffee", True), (CompanyRef(2, "Rival A", False),), None, None, 20
    )
    own_fr = _cell(1, french, *ours_in_segment)
    cells = [
        _cell(1, Segment(), 360 + own_fr.positive, 40 + own_fr.negative),
        _cell(1, english, 360, 40),
        own_fr,
        _cell(2, Segment(), 420, 180),
        _cell(2, english, 360, 40),
        _cell(2, french, 60, 140),
    ]
    bases = [f.own_base for f in aspect_findings(cells, scope, 20) if f.segment == french]
    assert bases == found


# Our reviewers want a timer twice as often as Rival A's: a need they meet better.
OWN_NEED = SyntheticPlan(
    reviews=3000,
    need_share={("Own Coffee", "timer <b>x</b>"): 0.3, ("Rival A", "timer <b>x</b>"): 0.1},
    positive_share={("Rival A", "delivery"): 0.2, ("Own Coffee", "delivery"): 0.9},
)


def test_needs_we_voice_more_are_stored_and_shown_apart(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    # Before: compared in the need family, then dropped: stored nowhere, shown nowhere.
    populate(engine, OWN_NEED)
    build_report(engine, tmp_path / "out")
    [need] = [r for r in _stored(engine) if r["kind"] == "own_unmet_need"]
    assert need["competitor"] == "Rival A" and need["aspect"] == "timer <b>x</b>"
    assert (
        float(need["effect_high"]) < 0 < float(need["own_value"]) - float(need["competitor_value"])
    )
    assert float(need["p_adjusted"]) <= 0.05 and need["own_base"] == "company"
    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "Needs our customers voice more than theirs" in page
    assert "timer <b>x</b>" not in page and html.escape("timer <b>x</b>") in page
    runner = CliRunner()
    targets = runner.invoke(app, ["findings", "--db", db_url], env={"COLUMNS": "160"})
    assert targets.exit_code == 0, targets.output
    assert "timer" not in targets.output
    assert "finding(s) where they beat us match too: --they-lead lists them." in targets.output
    lead = runner.invoke(app, ["findings", "--they-lead", "--db", db_url], env={"COLUMNS": "160"})
    assert lead.exit_code == 0, lead.output
    assert lead.output.startswith("Where they beat us (not targets to win) of report #1")
    assert "timer <b>x</b>" in lead.output and "own unmet need" in lead.output
    assert "delivery" not in lead.output.split("\n\n")[0]  # their weakness is a target


def _revision_before_own_base() -> str:
    """The revision before the one that added ``finding.own_base`` (read off the scripts,
    not written here: the chain grows)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    for script in ScriptDirectory.from_config(config).walk_revisions():
        if "own_base" in Path(str(script.path)).read_text("utf-8"):
            before = script.down_revision
            assert isinstance(before, str)
            return before
    raise AssertionError("no migration adds finding.own_base")


def test_findings_stored_before_say_they_were_against_our_whole_company(db_url: str) -> None:
    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, _revision_before_own_base())
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO company (id, name, is_own, created_at) VALUES "
                "(1, 'Own Coffee', :t, :now), (2, 'Rival A', :f, :now)"
            ),
            {"t": True, "f": False, "now": now},
        )
        connection.execute(
            sa.text(
                "INSERT INTO report_run (id, created_at, min_sample, reviews, competitors, "
                "snapshot) VALUES (1, :now, 20, 300, '[\"Rival A\"]', '{}')"
            ),
            {"now": now},
        )
        for kind, language, effect in (
            ("competitor_weakness", "pl", 1.5),
            ("price_gap", None, 0.2),
        ):
            connection.execute(
                sa.text(
                    "INSERT INTO finding (report_run_id, competitor_id, competitor, aspect, "
                    "kind, segment_language, effect, effect_low, effect_high, sample_size, "
                    "own_sample_size, competitor_value, own_value, score, summary, "
                    "evidence_review_ids, quotes) VALUES (1, 2, 'Rival A', 'delivery', :kind, "
                    ":language, :effect, :effect, :effect, 40, 30, -0.9, 0.6, 5, 's', '[]', "
                    "'[]')"
                ),
                {"kind": kind, "language": language, "effect": effect},
            )
    engine.dispose()
    open_database(db_url).dispose()  # upgraded to the head
    runner = CliRunner()
    listed = runner.invoke(app, ["findings", "--db", db_url], env={"COLUMNS": "160"})
    assert listed.exit_code == 0, listed.output
    assert "+0.60†" in listed.output and "† ours is our whole company's" in listed.output
    exported = runner.invoke(app, ["export", "findings", "--db", db_url, "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    records = [json.loads(line) for line in exported.output.splitlines() if line.strip()]
    assert {(r["kind"], r["own_base"]) for r in records} == {
        ("competitor_weakness", "company"),
        ("price_gap", "matched_products"),
    }

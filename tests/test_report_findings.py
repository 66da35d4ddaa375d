"""The report on synthetic analysed databases: a planted gap is found with the right sign,
no gap gives no gap findings, hostile review text comes out inert, the CLI works."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from compare.report.build import build_report
from compare.report.evidence import evidence_from_rows
from compare.report.stored_tables import FINDING, REPORT_RUN
from compare.report.synthetic import SyntheticPlan, add_review, populate
from rivalscope.cli import app
from storage.db import open_database
from tests.cli import run_cli

GAP_KINDS = ("competitor_weakness", "competitor_strength")
HOSTILE = '=HYPERLINK("http://x","y") late delivery <script>alert(1)</script>'
PLANTED = SyntheticPlan(
    reviews=1500,
    positive_share={("Rival A", "delivery"): 0.15, ("Own Coffee", "delivery"): 0.9},
)


def test_planted_gap_is_found_with_the_right_sign(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLANTED)
    result = build_report(engine, tmp_path / "out")
    weak = [
        f
        for f in result.findings
        if f.kind == "competitor_weakness" and f.competitor == "Rival A" and f.aspect == "delivery"
    ]
    assert weak, [f.summary for f in result.findings]
    overall = next(f for f in weak if f.segment.dimension == "all")
    assert overall.effect.low > 0  # own minus competitor: we are better
    assert overall.sample_size >= 20
    assert len(overall.evidence.review_ids) > 0 and overall.evidence.quotes
    assert result.findings[0].competitor == "Rival A"
    # Rival B has the base profile on delivery: no weakness there beyond chance.
    assert not any(
        f.competitor == "Rival B" and f.aspect != "delivery" and f.kind in GAP_KINDS
        for f in result.findings
    )
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(FINDING)).scalar_one()
    assert stored == len(result.findings)


def test_no_gap_database_gives_no_gap_findings(engine: Engine, tmp_path: Path) -> None:
    populate(engine, SyntheticPlan(reviews=1500, seed=3))
    result = build_report(engine, tmp_path / "out")
    assert [f.summary for f in result.findings if f.kind in GAP_KINDS] == []
    # The synthetic Rival A is 30 % dearer on matched products: that stays a price gap.
    assert {f.kind for f in result.findings} <= {"price_gap"}


def test_min_sample_suppresses_gaps_on_small_samples(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLANTED)
    result = build_report(engine, tmp_path / "out", min_sample=10_000)
    assert [f for f in result.findings if f.kind in GAP_KINDS] == []


def test_hostile_review_text_is_inert_in_html_and_csv(engine: Engine, tmp_path: Path) -> None:
    ids = populate(engine, PLANTED)
    add_review(engine, ids["Rival A"], HOSTILE, "delivery", "negative", review_id=999_999)
    out = tmp_path / "out"
    build_report(engine, out)
    page = (out / "report.html").read_text("utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with (out / "findings.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # neutralised, text kept
    assert not any(c.startswith(("=", "+", "-", "@")) and not _is_number(c) for c in cells)
    quotes = json.loads((out / "findings.json").read_text("utf-8"))["findings"][0]["quotes"]
    assert any("HYPERLINK" in q for q in quotes)


def test_second_report_lists_changes_and_keeps_runs(engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLANTED)
    build_report(engine, tmp_path / "one")
    build_report(engine, tmp_path / "two", min_sample=30)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(REPORT_RUN)).scalar_one() == 2
    assert "Since the previous report" in (tmp_path / "two" / "report.html").read_text("utf-8")


def test_a_finding_that_stops_being_one_is_said_so(engine: Engine, tmp_path: Path) -> None:
    """A finding the next report no longer had vanished from the page unmentioned: after
    weeks of crawls an analyst could not tell a closed gap from one never found (found by
    qa-weeks). Now "Since the previous report" lists findings new and no longer found."""
    populate(engine, PLANTED)
    build_report(engine, tmp_path / "one")
    build_report(engine, tmp_path / "same")
    build_report(engine, tmp_path / "two", min_sample=10_000)  # no gap clears the bar
    build_report(engine, tmp_path / "three")
    weak = "Rival A is weaker than us on delivery: their net -"

    def summary(name: str) -> str:
        return (tmp_path / name / "summary.md").read_text("utf-8")

    assert "new finding" not in summary("one") and "no longer a finding" not in summary("one")
    same = (tmp_path / "same" / "report.html").read_text("utf-8")
    assert "The same findings as the previous report" in same
    assert "new finding" not in summary("same")
    assert re.search(rf"^- no longer a finding: {weak}", summary("two"), re.M), summary("two")
    assert re.search(rf"^- new finding: {weak}", summary("three"), re.M), summary("three")
    assert "no longer a finding" not in summary("three")
    with (tmp_path / "two" / "tables" / "trends-findings_since.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {row["change"] for row in rows} == {"no longer a finding"}
    assert any(row["finding"].startswith(weak) for row in rows)


def test_a_gap_finding_says_whose_net_is_lower_not_that_a_positive_net_is_weak(
    engine: Engine, tmp_path: Path
) -> None:
    """The demo said "Kawa Mistrz is weak on delivery: net +0.18": a positive net called
    weak. A gap finding now says what the test shows, weaker or stronger than us, with
    both nets named, in the page, summary.md, findings.csv and the database alike."""
    populate(engine, PLANTED)  # Rival B's delivery is net positive, below ours
    out = tmp_path / "out"
    build_report(engine, out)
    with (out / "findings.csv").open(encoding="utf-8") as handle:
        gaps = [r for r in csv.DictReader(handle) if r["kind"] in GAP_KINDS]
    assert any(float(r["competitor_value"]) > 0 for r in gaps if r["kind"] == "competitor_weakness")
    for row in gaps:
        side = "weaker" if row["kind"] == "competitor_weakness" else "stronger"
        said = (
            f"{row['competitor']} is {side} than us on {row['aspect'].replace('_', ' ')}"
            f": their net {float(row['competitor_value']):+.2f} vs our "
            f"{float(row['own_value']):+.2f}"
        )
        assert row["summary"].startswith(said), row["summary"]
    with engine.connect() as connection:
        stored = set(connection.execute(select(FINDING.c.summary)).scalars())
    assert {r["summary"] for r in gaps} <= stored
    page = (out / "report.html").read_text("utf-8") + (out / "summary.md").read_text("utf-8")
    assert " is weak on " not in page and " is strong on " not in page


def test_a_finding_stored_in_the_old_wording_is_shown_in_the_new(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """Reports before the comparative wording stored "X is weak on delivery: net +0.42
    against our +0.86"; the next report's "no longer a finding" reads it back in today's
    wording, figures unchanged."""
    _stored_in_the_old_wording(db_url, engine, tmp_path / "one")
    build_report(engine, tmp_path / "two", min_sample=10_000)  # no gap clears the bar
    summary = (tmp_path / "two" / "summary.md").read_text("utf-8")
    gone = [line for line in summary.splitlines() if line.startswith("- no longer a finding")]
    assert gone and not any(" is weak on " in line for line in gone), gone
    assert any(re.search(r"is weaker than us on delivery: their net [+-]\d\.\d\d vs our", line)
               for line in gone), gone  # fmt: skip


def test_an_export_of_findings_stored_in_the_old_wording_says_what_the_report_says(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """`rivalscope export findings` printed the summaries an older report stored ("X is weak
    on delivery: net +0.42 against our +0.86", a positive net called weak) while the report
    and `rivalscope findings` reworded them: the database is reworded once (a migration),
    so every reader, the export too, says what today's report says."""
    today = _stored_in_the_old_wording(db_url, engine, tmp_path / "one")
    exported = CliRunner().invoke(app, ["export", "findings", "--db", db_url, "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    records = [json.loads(line) for line in exported.output.splitlines() if line.strip()]
    gaps = [r for r in records if r["kind"] in GAP_KINDS]
    assert {r["summary"] for r in gaps} == today
    assert not any(" is weak on " in r["summary"] or " is strong on " in r["summary"] for r in gaps)


def _stored_in_the_old_wording(db_url: str, engine: Engine, out: Path) -> set[str]:
    """A report's gap findings stored in the wording reports before the comparative one
    wrote, in a database at the last revision that could hold them, then upgraded to the
    head; their summaries in today's wording."""
    populate(engine, PLANTED)
    build_report(engine, out)
    with engine.begin() as connection:
        rows = connection.execute(
            select(FINDING.c.id, FINDING.c.summary).where(FINDING.c.kind.in_(GAP_KINDS))
        ).all()
        for row in rows:
            old = re.sub(r" is (weak|strong)er than us on ", r" is \1 on ", row.summary)
            old = old.replace(": their net ", ": net ").replace(" vs our ", " against our ")
            connection.execute(FINDING.update().where(FINDING.c.id == row.id).values(summary=old))
    assert rows
    _to_revision(engine, "0020")
    open_database(db_url).dispose()  # upgraded to the head
    return {row.summary for row in rows}


def _to_revision(engine: Engine, revision: str) -> None:
    """The database's schema stepped down to ``revision`` (its data kept)."""
    from alembic import command
    from alembic.config import Config

    from storage.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_a_difference_column_reads_at_one_precision() -> None:
    """The demo's threats showed "+14%" above "+10.8%" (the second needs a decimal to keep
    its bound off 0) under "share points": now every row of a kind takes the decimals the
    column needs, in percentage points without a % sign; the values are unchanged."""
    from compare.report.numbers import effect_text, kind_digits
    from compare.report.stats import Interval

    effects = [
        ("own_unmet_need", Interval(-0.1361, -0.2171, -0.0671)),
        ("own_unmet_need", Interval(-0.1081, -0.1941, -0.0041)),
        ("competitor_weakness", Interval(0.78, 0.45, 1.09)),
    ]
    digits = kind_digits(effects)
    assert digits == {"own_unmet_need": 1, "competitor_weakness": 2}
    texts = [
        effect_text(k, e.value, e.low, e.high, unit=False, digits=digits[k]) for k, e in effects
    ]
    assert texts == ["-13.6 [-21.7, -6.7]", "-10.8 [-19.4, -0.4]", "+0.78 [+0.45, +1.09]"]


def test_report_and_findings_commands(db_url: str, engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLANTED)
    runner = CliRunner()
    out = tmp_path / "cli-out"
    result = runner.invoke(app, ["report", "--out", str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "Top opportunities" in result.output and str(out / "report.html") in result.output
    for name in ("report.html", "summary.md", "findings.csv", "findings.json", "aspects.csv"):
        assert (out / name).is_file()
    listed = runner.invoke(
        app,
        ["findings", "--db", db_url, "--competitor", "Rival A", "--kind", "competitor_weakness"],
    )
    assert listed.exit_code == 0, listed.output
    assert "delivery" in listed.output and "Rival B" not in listed.output
    # Piped (not a terminal, no COLUMNS), the table keeps its words whole, not "compet…".
    piped = subprocess.run(
        [sys.executable, "-m", "rivalscope", "findings", "--db", db_url],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "competitor weakness" in piped.stdout and "…" not in piped.stdout, piped.stdout
    folded = runner.invoke(app, ["findings", "--db", db_url, "--competitor", "rival a"])
    assert folded.exit_code == 0 and "delivery" in folded.output


def test_findings_filtered_to_nothing_do_not_ask_for_a_report(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """Filters matching none of a stored report's findings said "No stored findings match
    (run `rivalscope report` first)", as if no report had been stored."""
    populate(engine, PLANTED)
    runner = CliRunner()
    before = runner.invoke(app, ["findings", "--db", db_url])
    assert before.exit_code == 0 and "No report stored yet" in before.output, before.output
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "out"), "--db", db_url])
    assert result.exit_code == 0, result.output
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(FINDING)).scalar_one()
    assert stored > 0
    none = runner.invoke(app, ["findings", "--db", db_url, "--min-score", "1e9"])
    assert none.exit_code == 0, none.output
    assert "report` first" not in none.output
    assert f"None of report #1's {stored} findings match these filters." in none.output


@pytest.mark.parametrize("columns", [80, 100])
def test_findings_fit_a_narrow_terminal_with_whole_words_and_units_once(
    db_url: str, engine: Engine, tmp_path: Path, columns: int
) -> None:
    """Before, at 80 columns "customer service" became "custo…", each effect cell wrapped over
    six lines with its unit "(net sentiment, ours − theirs)", each sample size over two with
    its unit, and a "report" column repeated the one report's number on every row."""
    populate(
        engine,
        SyntheticPlan(
            reviews=1500,
            competitors=("Brewcraft Supply Company", "Rival B"),
            positive_share={("Brewcraft Supply Company", "customer_service"): 0.1},
            need_share={("Rival B", "timer"): 0.3},
        ),
    )
    build_report(engine, tmp_path / "out")
    shown = subprocess.run(
        [sys.executable, "-m", "rivalscope", "findings", "--db", db_url],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={**os.environ, "COLUMNS": str(columns)},
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "Stored findings of report #1"
    assert max(map(len, lines)) <= columns, shown.stdout
    assert "…" not in shown.stdout, shown.stdout
    assert "report" not in lines[1]  # one report: no column repeating its number
    assert shown.stdout.count("ours − theirs") == 1, shown.stdout
    # Sample units once below too: "62 opinions" in a cell wrapped each row over two lines.
    assert shown.stdout.count("opinions") == 1, shown.stdout
    assert re.search(r"[+-]\d\.\d\d \[[+-]\d\.\d\d, [+-]\d\.\d\d\]", shown.stdout)


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        # The kind as the table writes it, as stored, any case or hyphen.
        (["--kind", "competitor weakness"], "delivery"),
        (["--kind", "Competitor-Weakness"], "delivery"),
        # An aspect with a space where the store has an underscore, and the reverse; LIKE's
        # wildcards are plain characters ("_" no longer matches any letter, "%" nothing).
        (["--aspect", "Delivery"], "delivery"),
        # The aspect in the user's language: the findings store its English name.
        (["--aspect", "dostawa"], "'dostawa' is the aspect delivery."),
        (["--aspect", "Leveringen"], "'Leveringen' is the aspect delivery."),
        # ... and filtered away by another option it says so, not "no finding is about".
        (["--aspect", "livraison", "--kind", "price_gap"], "None of report #1's"),
    ],
)
def test_findings_take_kinds_and_aspects_as_tables_write_them(
    db_url: str, engine: Engine, tmp_path: Path, options: list[str], shown: str
) -> None:
    populate(engine, PLANTED)
    build_report(engine, tmp_path / "out")
    listed = CliRunner().invoke(app, ["findings", "--db", db_url, *options])
    assert listed.exit_code == 0, listed.output
    assert shown in " ".join(listed.output.split()), listed.output


@pytest.mark.parametrize(
    ("aspect", "status", "said"),
    [
        # No aspect at all: a mistake, as an unknown --competitor or --kind is (exit 0 before).
        ("bogus", 2, "--aspect 'bogus' is no aspect or need"),
        ("delivry", 2, "did you mean delivery?"),
        # LIKE's wildcards are plain characters: "%" matches nothing.
        ("deliver%", 2, "findings name: delivery"),
        # An aspect of the taxonomy no finding is about, in English or another language: an
        # answer, not a mistake.
        ("returns", 0, "No stored finding is about 'returns'"),
        ("retours", 0, "No stored finding is about 'retours'"),
        ("dostawa", 0, "'dostawa' is the aspect delivery."),
    ],
)
def test_unknown_aspects_exit_2_with_the_known_ones(
    db_url: str, engine: Engine, tmp_path: Path, aspect: str, status: int, said: str
) -> None:
    populate(engine, PLANTED)
    build_report(engine, tmp_path / "out")
    listed = run_cli("findings", "--aspect", aspect, cwd=tmp_path, db_url=db_url)
    assert listed.returncode == status, listed.stdout + listed.stderr
    shown = " ".join((listed.stderr if status else listed.stdout).split())
    assert said in shown, listed.stdout + listed.stderr
    assert "Traceback" not in listed.stderr


def test_stored_aspects_with_underscores_match_spaces(engine: Engine, tmp_path: Path) -> None:
    from compare.report.report_runs import stored_findings

    populate(engine, PLANTED)
    build_report(engine, tmp_path / "out")
    with engine.begin() as connection:
        connection.execute(FINDING.update().values(aspect="customer_service"))
    for written in ("customer service", "Customer_Service", " customer  service "):
        assert stored_findings(engine, aspect=written), written
    assert not stored_findings(engine, aspect="customer_servic_")


def test_findings_match_a_company_without_accents(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    populate(engine, SyntheticPlan(reviews=1500, competitors=("Maison Lumière", "Rival B"),
                                   positive_share={("Maison Lumière", "delivery"): 0.15}))  # fmt: skip
    build_report(engine, tmp_path / "out")
    runner = CliRunner()
    listed = runner.invoke(app, ["findings", "--db", db_url, "--competitor", "Maison Lumiere"])
    assert listed.exit_code == 0 and "Lumière" in listed.output, listed.output
    assert "delivery" in listed.output
    run = subprocess.run(
        [sys.executable, "-m", "rivalscope", "findings", "--competitor", "Maison Lumire",
         "--db", db_url],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert run.returncode == 2 and "did you mean 'Maison Lumière'" in run.stderr


def test_report_takes_a_competitor_as_findings_does(engine: Engine, tmp_path: Path) -> None:
    """``findings --competitor "Maison Lumiere"`` matched, ``report --competitor`` with the
    same words was refused as unknown."""
    from compare.report.report_error import ReportError

    populate(engine, SyntheticPlan(reviews=300, competitors=("Maison Lumière", "Rival B")))
    report = build_report(engine, tmp_path / "out", competitors=["maison  LUMIERE"])
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert report.run_id and "1 competitor (Maison Lumière)" in summary
    for names, message in (
        (["Maison Lumire"], "'Maison Lumire': did you mean 'Maison Lumière'?"),
        (["own coffee"], "'Own Coffee' is your own company"),
    ):
        with pytest.raises(ReportError, match=re.escape(message)):
            build_report(engine, tmp_path / "out", competitors=names)


def test_findings_say_which_competitors_and_dates_the_report_compared(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """After `report --competitor "Rival B" --since ...`, `findings --competitor "Rival A"`
    said "Report #2 found nothing significant", as if Rival A had been compared (found by
    qa-walk6)."""
    from datetime import date

    populate(engine, PLANTED)
    build_report(engine, tmp_path / "all")
    runner = CliRunner()
    whole = runner.invoke(app, ["findings", "--db", db_url])
    assert whole.exit_code == 0 and "Report #1 compared" not in whole.output, whole.output
    build_report(engine, tmp_path / "b", competitors=["Rival B"], since=date(2024, 1, 1))
    listed = runner.invoke(app, ["findings", "--db", db_url, "--competitor", "rival a"])
    assert listed.exit_code == 0, listed.output
    said = " ".join(listed.output.split())
    assert (
        "Report #2 compared only Rival B, reviews 2024-01-01 to the latest: it did not "
        "compare 'rival a'; run `rivalscope report`" in said
    )
    assert "found nothing significant" not in said
    for args in ([], ["--competitor", "Rival B"]):
        own = runner.invoke(app, ["findings", "--db", db_url, *args])
        assert own.exit_code == 0, own.output
        assert "Report #2 compared only Rival B, reviews 2024-01-01 to the latest." in " ".join(
            own.output.split()
        )


def test_user_mistakes_give_one_line_errors(db_url: str, engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLANTED)
    import subprocess
    import sys

    for args, message in (
        (["report", "--competitor", "Nobody"], "unknown competitor"),
        (["report", "--since", "2025-05-01", "--until", "2025-01-01"], "is after"),
        (["findings", "--kind", "nonsense"], "--kind must be one of"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "rivalscope", *args, "--db", db_url],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert run.returncode == 2, run.stderr
        assert message in run.stderr and "Traceback" not in run.stderr


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("texts", "kept"),
    [
        (["Fair price for what you get.", "Fair price for what you get"], 1),
        (["Elle est compliquée à installer", "elle est  compliquée à installer !"], 1),
        (["Fair price.", "Unfair price."], 2),
        (["!!!", "Good."], 1),
        (["a", "b", "c", "d"], 3),
    ],
)
def test_evidence_quotes_differ_in_more_than_case_and_punctuation(
    texts: list[str], kept: int
) -> None:
    rows = [(i, text, "https://shop.example/p") for i, text in enumerate(texts, start=1)]
    evidence = evidence_from_rows(rows)
    assert len(evidence.items) == kept
    assert evidence.review_ids == list(range(1, len(texts) + 1))


@pytest.mark.parametrize(
    ("label", "ratings", "first"),
    [
        # Newest first would quote the 5-star review's "complaint" (a misread sentence).
        ("negative", [0.0, 0.25, None, 1.0], "review 0.0"),
        ("positive", [1.0, 0.75, None, 0.0], "review 1.0"),
        ("negative", [None, None], "review None"),  # unrated: newest first, as before
    ],
)
def test_evidence_quotes_come_from_reviews_rated_their_way_first(
    engine: Engine, label: str, ratings: list[float | None], first: str
) -> None:
    from compare.report.analysis_source import analysis_source
    from compare.report.aspects import Segment
    from compare.report.evidence import opinion_evidence
    from compare.report.report_scope import CompanyRef, ReportScope

    ids = populate(engine, SyntheticPlan(reviews=40))
    rival = ids["Rival A"]
    for n, rating in enumerate(ratings):  # later reviews have higher ids: newer
        add_review(engine, rival, f"review {rating} number {n}", "warranty", label,
                   900_000 + n, rating_normalized=rating)  # fmt: skip
    scope = ReportScope(CompanyRef(ids["Own Coffee"], "Own Coffee", True),
                        (CompanyRef(rival, "Rival A", False),), None, None, 1)  # fmt: skip
    with engine.connect() as connection:
        evidence = opinion_evidence(
            connection, scope, analysis_source(connection), rival, "warranty", label, Segment()
        )
    assert evidence.quotes[0].startswith(first), evidence.quotes
    assert evidence.review_ids == [900_000 + n for n in reversed(range(len(ratings)))]


@pytest.mark.parametrize(
    ("kind", "effect", "written"),
    [
        (
            "competitor_weakness",
            (1.6, 1.32, 1.76),
            "+1.60 [+1.32, +1.76] (net sentiment, ours − theirs)",
        ),
        (
            "competitor_strength",
            (-0.58, -0.98, -0.004),
            "-0.580 [-0.980, -0.004] (net sentiment, ours − theirs)",
        ),
        (
            "unmet_need",
            (0.2397, 0.1777, 0.3151),
            "+24 [+18, +32] (share of reviews, theirs − ours, percentage points)",
        ),
        # An unmet need stored before revision 0018 holds their share alone.
        (
            "unmet_need_share",
            (0.2397, 0.1777, 0.3151),
            "24% [18%, 32%] (their share of reviews alone, 95% CI; stored by an earlier version)",
        ),
        ("price_gap", (0.2, 0.11, 0.3), "+20% [+11%, +30%] (their price premium)"),
    ],
)
def test_findings_write_each_kinds_effect_in_its_own_unit(
    kind: str, effect: tuple[float, float, float], written: str
) -> None:
    # `findings` printed every effect as a net difference: an unmet need's 24% share read
    # "+0.24" beside the report's "24%", a price premium "+0.20" beside "+20%".
    from compare.report.numbers import effect_text

    assert effect_text(kind, *effect) == written


def test_findings_command_prints_needs_as_shares(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    populate(engine, SyntheticPlan(reviews=1500, need_share={("Rival B", "app"): 0.3}))
    build_report(engine, tmp_path / "out")
    listed = CliRunner().invoke(app, ["findings", "--db", db_url, "--kind", "unmet need"])
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if "Rival B" in line)
    # their share, ours, and the difference in percentage points (no % sign) with its interval
    assert re.search(r"\d+%\s+0%\s+\+\d+(\.\d)? \[\+\d+(\.\d)?, \+\d+(\.\d)?\]", row), row
    assert "percentage points" in listed.output

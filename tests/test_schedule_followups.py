"""After a round of crawls: analysis, report and alerts run by default, and every step
that does not run says why in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine

from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.scheduler.followups import run_followups
from settings.targets import load_targets

TARGETS = """
{schedule}
[[company]]
name = "Own Coffee"
own = true
[[company.source]]
name = "own-shop"
start_urls = ["http://127.0.0.1:9/"]
"""


def _targets(tmp_path: Path, schedule: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "targets.toml"
    path.write_text(TARGETS.format(schedule=schedule), encoding="utf-8")
    return load_targets(path)


def test_defaults_run_analysis_and_report(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    populate(engine, SyntheticPlan(reviews=300))
    targets = _targets(tmp_path, "")
    assert targets.schedule.analyze and targets.schedule.report and targets.schedule.alerts
    with caplog.at_level(logging.INFO, logger="rivalscope.schedule"):
        done = run_followups(engine, targets, tmp_path)
    assert done[0] == "analysis" and done[1] == f"report in {tmp_path / 'reports'}"
    assert (tmp_path / "reports" / "report.html").is_file()
    assert "alerts skipped: no rule in [alerts]" in caplog.text


def test_every_skipped_step_is_logged_with_its_reason(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    targets = _targets(tmp_path, "[schedule]\nanalyze = false\nreport = false\nalerts = false\n")
    with caplog.at_level(logging.INFO, logger="rivalscope.schedule"):
        assert run_followups(engine, targets, tmp_path) == []
    for step in ("analysis", "report", "alerts"):
        key = "analyze" if step == "analysis" else step
        assert f"{step} skipped: [schedule] {key} = false" in caplog.text


def test_a_refused_report_is_one_line_not_a_traceback(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    targets = _targets(tmp_path, "[schedule]\nanalyze = false\n")
    with caplog.at_level(logging.INFO, logger="rivalscope.schedule"):
        run_followups(engine, targets, tmp_path)  # an empty database: nothing to compare
    refused = [r for r in caplog.records if r.getMessage().startswith("report skipped:")]
    assert refused and refused[0].exc_info is None


def test_a_round_that_found_nothing_new_does_not_repeat_the_report(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Before, every round stored a new report run with the same findings, even when its
    crawls found no new review and no price change (288 copies a day on a 5-minute
    schedule); and what the last report was built on lived in the scheduler's memory, so
    each `schedule --once` from cron, and the first round after a restart, reported
    again. Each call below is a fresh start, as `schedule --once` is."""
    from sqlalchemy import func, select

    from compare.report.build import build_report
    from compare.report.stored_tables import REPORT_RUN
    from compare.report.synthetic import add_review

    def runs() -> int:
        with engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(REPORT_RUN)).scalar_one()
            )

    ids = populate(engine, SyntheticPlan(reviews=300))
    targets = _targets(tmp_path, "")
    with caplog.at_level(logging.INFO, logger="rivalscope.schedule"):
        run_followups(engine, targets, tmp_path)
        assert runs() == 1
        run_followups(engine, targets, tmp_path)  # nothing new
        assert runs() == 1
        assert "report skipped: nothing new since the last report" in caplog.text
        (tmp_path / "reports" / "report.html").unlink()  # the user removed it
        run_followups(engine, targets, tmp_path)
        assert runs() == 2
        add_review(
            engine, ids["Rival A"], "The delivery was late again.", "delivery", "negative", 999_999
        )
        run_followups(engine, targets, tmp_path)  # a new review: a new report
        assert runs() == 3
        # A narrower report by hand into the same folder: the next round writes the whole one.
        build_report(engine, tmp_path / "reports", competitors=["Rival A"])
        assert runs() == 4
        run_followups(engine, targets, tmp_path)
        assert runs() == 5
        run_followups(engine, targets, tmp_path)
        assert runs() == 5
        # The same whole report by hand, elsewhere: the scheduler's folder is reported again.
        build_report(engine, tmp_path / "elsewhere")
        run_followups(engine, targets, tmp_path)
        assert runs() == 7


def test_the_analysis_draws_no_progress_bar_into_the_schedulers_output(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`schedule --log-file s.log` still wrote the analysis's progress bar to its standard
    output after every round: from cron, a mail of bar characters per round (found by
    user-audit3). The step's outcome is in the log."""
    from sqlalchemy import text

    populate(engine, SyntheticPlan(reviews=60))
    with engine.begin() as conn:  # reviews the analysis has not read yet
        for table in ("aspect_mention", "review_need", "review_sentence", "review_analysis"):
            conn.execute(text(f"DELETE FROM {table}"))
    targets = _targets(tmp_path, "[schedule]\nreport = false\nalerts = false\n")
    assert run_followups(engine, targets, tmp_path) == ["analysis"]
    printed = capsys.readouterr()
    assert "analysing reviews" not in printed.out + printed.err, printed

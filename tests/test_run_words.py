"""The crawl summary and `rivalscope runs` use the same words for the same counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import Engine
from sqlmodel import Session

import rivalscope.display
from rivalscope.display import print_collection_summary
from storage.crawl_summary import company_summaries
from storage.models import Company, CrawlRun, Source, utcnow
from tests.cli import run_cli


def _targets(tmp_path: Path, source: str) -> None:
    """A targets file of Rival's ``source`` (for `targets status`)."""
    (tmp_path / "targets.toml").write_text(
        f'[[company]]\nname = "Rival"\n[[company.source]]\nname = "{source}"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n',
        encoding="utf-8",
    )


def _rival_shop(session: Session) -> Source:
    """A competitor's source, flushed (it has its id)."""
    company = Company(name="Rival", is_own=False)
    session.add(company)
    session.flush()
    source = Source(name="rival-shop", company_id=company.id or 0)
    session.add(source)
    session.flush()
    return source


def test_summary_and_runs_agree(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        source = _rival_shop(session)
        session.add(
            CrawlRun(source_id=source.id or 0, status="finished", finished_at=utcnow(), pages=9,
                     reviews_seen=12, reviews_new=5, offers_seen=7, offers_changed=2)
        )  # fmt: skip
        session.commit()
    console = Console(record=True, width=250)
    monkeypatch.setattr(rivalscope.display, "console", console)
    print_collection_summary(company_summaries(engine), "test")
    summary = console.export_text()
    runs = run_cli("runs", "--db", db_url, cwd=tmp_path).stdout
    for text in (summary, runs):
        assert "reviews seen / new" in text and "12 / 5" in text
        assert "offers seen / changed" in text and "7 / 2" in text
    assert "reviews (new)" not in summary + runs


REFUSED = (
    "robots_unreadable: http://127.0.0.1:9/: robots.txt could not be read (Connection refused)"
)


@pytest.mark.parametrize(
    ("run", "reason"),
    [
        (CrawlRun(source_id=1, status="finished", finish_reason="finished", pages=9), ""),
        # In the progress line's words (it read Scrapy's "closespider_pagecount").
        (CrawlRun(source_id=1, status="finished", finish_reason="closespider_pagecount", pages=9),
         "stopped at its page limit"),
        # A dead site: the run ended "finished" with no page; the table used to say nothing
        # and the scheduler "crawl process exited with status 1".
        (CrawlRun(source_id=1, status="finished", finish_reason="finished", pages=0,
                  error_samples=[REFUSED]), REFUSED),
        (CrawlRun(source_id=1, status="finished", pages=0), "no page answered"),
        # robots.txt now disallows the site: no page answered is not why
        (CrawlRun(source_id=1, status="finished", pages=0, robots_blocked=3),
         "robots.txt forbids the crawler every page it found (3 pages): the site no longer "
         "allows crawling; ask its owner, or remove the source"),
        (CrawlRun(source_id=1, status="running", pages=0), ""),
    ],
)  # fmt: skip
def test_a_run_says_why_beside_its_status(run: CrawlRun, reason: str) -> None:
    from storage.crawl_summary import run_reason

    assert run_reason(run) == reason


def test_an_import_run_fetches_no_page_and_says_nothing_of_it(tmp_path: Path) -> None:
    # `runs` listed every import as "no page answered", as if a site were down.
    (tmp_path / "r.csv").write_text("text,rating\nGood,5\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    run_cli("import", "r.csv", "-c", "Nordlys", "--new-company", cwd=tmp_path, db_url=url)
    listed = run_cli("runs", cwd=tmp_path, db_url=url)
    assert listed.returncode == 0, listed.stderr
    assert "import:Nordlys" in listed.stdout
    assert "no page answered" not in listed.stdout


def test_runs_takes_the_source_by_name_as_crawl_does(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("text,rating\nGood,5\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    run_cli("import", "r.csv", "-c", "Nordlys", "--new-company", cwd=tmp_path, db_url=url)
    named = run_cli("runs", "import:Nordlys", cwd=tmp_path, db_url=url)
    assert named.returncode == 0, named.stderr
    assert named.stdout == run_cli("runs", "-s", "import:Nordlys", cwd=tmp_path, db_url=url).stdout
    both = run_cli("runs", "import:Nordlys", "-s", "other", cwd=tmp_path, db_url=url)
    assert both.returncode == 2 and "give one" in both.stderr


def test_a_run_whose_process_is_gone_is_not_shown_running(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A crawl killed with kill -9 (or by the OOM killer, a reboot) left its run ``running``:
    `runs` and `targets status` said so until the source was crawled again, for good if it
    never was. A run of a live process, and a distributed run (no process's), stay running."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names no process now
    with Session(engine) as session:
        company = Company(name="Rival", is_own=False)
        session.add(company)
        session.flush()
        for name, pid, queue in (
            ("killed", gone.pid, None),
            ("live", os.getpid(), None),
            ("queued", None, "redis://127.0.0.1:6379/0"),
        ):
            source = Source(name=name, company_id=company.id or 0)
            session.add(source)
            session.flush()
            session.add(CrawlRun(source_id=source.id or 0, status="running", pid=pid, queue=queue))
        session.commit()
    runs = run_cli("runs", "--db", db_url, cwd=tmp_path).stdout
    lines = {line.split("│")[2].strip(): line for line in runs.splitlines() if line.count("│") > 3}
    assert "interrupted" in lines["killed"] and "process ended without closing" in lines["killed"]
    assert "running" in lines["live"] and "running" in lines["queued"], runs
    _targets(tmp_path, "killed")
    status = run_cli("targets", "status", "--db", db_url, cwd=tmp_path).stdout
    assert "interrupted" in status and "running" not in status, status


def _judged_unhealthy(session: Session, source: Source, pages: int, why: str) -> None:
    """A finished run of ``source`` that the health check judged unhealthy for ``why``."""
    from storage.schedule_models import HealthCheck

    run = CrawlRun(source_id=source.id or 0, status="finished", finish_reason="finished",
                   finished_at=utcnow(), pages=pages)  # fmt: skip
    session.add(run)
    session.flush()
    session.add(HealthCheck(source_id=source.id or 0, crawl_run_id=run.id or 0,
                            healthy=False, reasons=[why]))  # fmt: skip


def test_an_unhealthy_run_says_why_in_runs(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """A run that ended normally but that the health check judged unhealthy (a layout change:
    pages fetched, no review read) showed "UNHEALTHY" beside an empty reason column."""

    why = "0 reviews on 5 pages; the last good run had 48 on 5"
    with Session(engine) as session:
        source = _rival_shop(session)
        _judged_unhealthy(session, source, 5, why)
        session.commit()
    listed = run_cli("runs", "--db", db_url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    shown = " ".join(" ".join(listed.stdout.split("│")).split())
    assert "UNHEALTHY" in shown and why in shown, listed.stdout


def test_status_says_which_run_a_verdict_is_of(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """A source judged unhealthy on run 1, then killed mid-run (run 2, interrupted, not
    judged): `targets status` showed run 2 as the last run beside "UNHEALTHY" and run 1's
    reason, read as the verdict on run 2."""

    why = "4 HTTP errors on 2 pages (100%)"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names no process now: run 2 is shown interrupted
    with Session(engine) as session:
        source = _rival_shop(session)
        source.healthy, source.health_reason = False, why
        _judged_unhealthy(session, source, 2, why)
        session.add(CrawlRun(source_id=source.id or 0, status="running", pid=gone.pid, pages=7))
        session.commit()
    _targets(tmp_path, "rival-shop")
    shown = run_cli("targets", "status", "--db", db_url, cwd=tmp_path).stdout
    row = next(line for line in shown.splitlines() if "rival-shop" in line and "│" in line)
    assert "UNHEALTHY (run 1)" in row and "interrupted" in row, shown
    assert f"rival-shop: {why} (run 1; the last run, 2, is not judged)" in shown, shown


def test_status_of_a_source_no_check_judged_is_not_ok(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A source whose only crawl was killed (`kill -9` of its scheduler: interrupted, never
    judged) showed health "ok" in `targets status`, while `runs` showed "-" for that run
    (found by user-audit3)."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with Session(engine) as session:
        source = _rival_shop(session)
        session.add(CrawlRun(source_id=source.id or 0, status="running", pid=gone.pid, pages=7))
        session.commit()
    _targets(tmp_path, "rival-shop")
    shown = run_cli("targets", "status", "--db", db_url, cwd=tmp_path).stdout
    row = next(line for line in shown.splitlines() if "rival-shop" in line and "│" in line)
    assert "not checked yet" in row and " ok " not in row and "interrupted" in row, shown


def test_coverage_of_a_run_the_site_left_half_unread_says_so(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A site that went down mid-run answered 1 of its 5 product pages: `runs` said
    "collected 4 of 4 declared reviews (100%)", full coverage, of the one page it read."""
    with Session(engine) as session:
        source = _rival_shop(session)
        session.add(
            CrawlRun(source_id=source.id or 0, status="finished", finished_at=utcnow(), pages=2,
                     http_errors=4, fetch_problems={"no_answer": 4}, reviews_declared=4,
                     reviews_collected=4)
        )  # fmt: skip
        session.commit()
    listed = run_cli("runs", "--db", db_url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    shown = " ".join(listed.stdout.split())
    assert (
        "collected 4 of 4 declared reviews (100%) on the pages read; 4 pages left unread "
        "(the site down, busy or slow: the next run crawls in full)"
    ) in shown, listed.stdout


def test_a_killed_run_shows_how_long_it_crawled(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A crawl killed with kill -9 after 17 s of crawling: `runs` showed "-" seconds for its
    interrupted run; it lasted until its last sign of life."""
    from datetime import timedelta

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid names no process now
    started = utcnow() - timedelta(minutes=5)
    with Session(engine) as session:
        source = _rival_shop(session)
        session.add(
            CrawlRun(source_id=source.id or 0, status="running", pid=gone.pid, pages=16,
                     started_at=started, alive_at=started + timedelta(seconds=17))
        )  # fmt: skip
        session.commit()
    listed = run_cli("runs", "--db", db_url, cwd=tmp_path)
    row = next(line for line in listed.stdout.splitlines() if "rival-shop" in line)
    cells = [cell.strip() for cell in row.split("│")]
    assert cells[3] == "interrupted" and cells[5] == "17", listed.stdout


WRITES_AN_EMPTY_RUN = """
import sys
from sqlmodel import Session
from storage.db import open_database
from storage.models import CrawlRun, utcnow
engine = open_database(sys.argv[1])
with Session(engine) as session:
    session.add(CrawlRun(source_id=int(sys.argv[2]), status="finished", finish_reason="finished",
                         finished_at=utcnow(), pages=0, http_errors=1, error_samples=[sys.argv[3]]))
    session.commit()
engine.dispose()
sys.exit(1)  # as `rivalscope crawl` does when a source answered no page
"""


@pytest.mark.parametrize("url_fixture", ["db_url", "pg_url"])
def test_the_schedule_table_and_runs_agree_on_a_crawl_that_fetched_nothing(
    url_fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A dead site: the crawl closed its run ``finished`` with no page and exited 1; the
    scheduler's table said ``failed``, `runs` and `targets status` ``finished``, for the
    same run. All say ``failed`` now, with why beside it."""
    import threading

    from rivalscope.scheduler.crawl_process import run_crawl
    from storage.db import open_database
    from storage.run_history import shown_status

    url: str = request.getfixturevalue(url_fixture)
    engine = open_database(url)
    try:
        with Session(engine) as session:
            source_id = _rival_shop(session).id or 0
            session.commit()
        argv = [sys.executable, "-c", WRITES_AN_EMPTY_RUN, url, str(source_id), REFUSED]
        outcome = run_crawl(engine, "rival-shop", argv, timeout_s=120, stop=threading.Event())
        with Session(engine) as session:
            run = session.get(CrawlRun, outcome.run_id)
            assert run is not None and run.status == "finished"  # stored as it ended
            assert shown_status(run) == (outcome.status, None) == ("failed", None)
    finally:
        engine.dispose()
    assert REFUSED in outcome.detail
    listed = run_cli("runs", "--db", url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    row = " ".join(" ".join(listed.stdout.split("│")).split())
    assert " failed " in row and "finished" not in row and "Connection refused" in row, row
    _targets(tmp_path, "rival-shop")
    status = run_cli("targets", "status", "--db", url, cwd=tmp_path).stdout
    assert "failed" in status and "finished" not in status, status


def test_an_import_that_fetched_no_page_is_not_failed() -> None:
    from storage.run_history import shown_status

    run = CrawlRun(source_id=1, status="finished", finish_reason="finished", pages=0)
    assert shown_status(run, fetches_pages=False) == ("finished", None)
    assert shown_status(run) == ("failed", None)


def test_runs_name_only_the_runs_that_collected_less_than_declared(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Weeks of crawls printed "collected 52 of 52 declared reviews (100%)" under the table
    for every run: the one run that fell short was lost among them."""
    with Session(engine) as session:
        source = _rival_shop(session)
        for collected in (52, 47, 52):
            session.add(
                CrawlRun(source_id=source.id or 0, status="finished", finished_at=utcnow(),
                         pages=3, reviews_declared=52, reviews_collected=collected)
            )  # fmt: skip
        session.commit()
    listed = run_cli("runs", "--db", db_url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    shown = " ".join(listed.stdout.split())
    assert "run 2 rival-shop: collected 47 of 52 declared reviews (90%)" in shown, shown
    assert "52 of 52" not in shown, shown

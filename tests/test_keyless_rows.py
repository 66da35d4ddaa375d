"""Rows an older rivalscope (a crawl started before the upgrade, still running) wrote to an
upgraded database without identity and copy keys: keyed and merged (``storage.keyless_rows``,
``storage.merge_copies``), so no review is stored, nor counted, twice.

The old writer is simulated as it was: a plain INSERT naming the columns it knew, the key
columns left NULL."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.scheduler.followups import run_followups
from settings.pause_points import PAUSE_ENV
from settings.records import ReviewItem
from storage import merge_copies
from storage.db import open_database
from storage.keyless_rows import SCAN, count_keyless
from storage.merge_copies import PAUSE_POINT, merge_keyless, merge_stored_copies
from storage.models import Review, ReviewAlias
from tests.cli import run_cli
from tests.conftest import throwaway_schema
from tests.test_review_copies import FULL, _api, _item, _layout, _write
from tests.test_schedule_followups import _targets

ROOT = Path(__file__).resolve().parent.parent
_REVIEW = Review.__table__  # type: ignore[attr-defined]
_ALIAS = ReviewAlias.__table__  # type: ignore[attr-defined]
SHORT = "Great kettle, works fine"
"""Fewer than ``IDENTIFYING_WORDS`` words, no id, no reviewer: no key, rightly."""


def _old_write(engine: Engine, *reviews: ReviewItem, seen: int = 0) -> None:
    """``reviews`` inserted as a version before migrations 0016/0017 inserted them: no
    identity key, no copy key (their products stored already, by name)."""
    with engine.begin() as conn:
        for review in reviews:
            conn.execute(
                text(
                    "INSERT INTO review (company_id, source_id, product_id, content_key, text, "
                    "title, rating, best_rating, rating_normalized, published, language, "
                    "author_hash, external_id, first_seen_at) "
                    "SELECT p.company_id, s.id, p.id, :key, :text, :title, :rating, :best, "
                    ":normalized, :published, :language, :author, :site_id, :seen "
                    "FROM product p JOIN source s ON s.company_id = p.company_id "
                    "WHERE p.name = :product"
                ),
                {
                    "key": review.content_key,
                    "text": review.text,
                    "title": review.title,
                    "rating": review.rating,
                    "best": review.best_rating,
                    "normalized": review.rating_normalized,
                    "published": review.published,
                    "language": review.language,
                    "author": review.author_hash,
                    "site_id": review.external_id,
                    "product": review.product_name,
                    "seen": datetime(2030 + seen, 1, 1, tzinfo=UTC),
                },
            )


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    """Each review row: site id, text, whether it has both keys."""
    r = _REVIEW.c
    with engine.connect() as conn:
        found = conn.execute(
            select(
                r.external_id, r.text, r.identity_key.is_not(None) & r.copy_key.is_not(None)
            ).order_by(r.id)
        )
        return [tuple(row) for row in found]


def _aliases(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(_ALIAS)).scalar_one())


def _teaser_after_review(engine: Engine) -> None:
    """A copy-key-less writer stores the page's cut copy of a review stored with its id."""
    _write(engine, [_api()])
    _old_write(engine, _layout())


def _teaser_before_review(engine: Engine) -> None:
    """The old writer's cut copy stored first: this version's API copy, not finding it by
    its copy key, was a second row."""
    _write(engine, [_item(SHORT, author="c" * 16)])  # the product and source exist
    _old_write(engine, _layout(), seen=-10)
    _write(engine, [_api()])


def _review_under_another_product(engine: Engine) -> None:
    """An identity-key-less writer stores the review again under another colour's page."""
    _write(engine, [_api()], [_item(SHORT, product="Kettle blue")])
    _old_write(engine, _api(product="Kettle blue"))


def _short_review(engine: Engine) -> None:
    """A short text without id or reviewer: no key is missing (none can be computed)."""
    _write(engine, [_api()])
    _old_write(engine, _item(SHORT))


CASES: list[tuple[Callable[[Engine], None], int, int, list[tuple[object, ...]], int]] = [
    # scene, keyless rows, rows removed, rows after, aliases after
    (_teaser_after_review, 1, 1, [("r-981", FULL, True)], 1),
    (_teaser_before_review, 1, 1, [(None, SHORT, False), ("r-981", FULL, True)], 1),
    (_review_under_another_product, 1, 1, [("r-981", FULL, True), (None, SHORT, False)], 1),
    (_short_review, 0, 0, [("r-981", FULL, True), (None, SHORT, False)], 0),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite file, or a fresh schema of the PostgreSQL test database (skipped
    locally, failed in CI, when no server listens)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rivalscope.db'}"
    else:
        yield from throwaway_schema()


@pytest.fixture
def any_engine(any_url: str) -> Iterator[Engine]:
    """``any_url`` migrated."""
    engine = open_database(any_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("scene", "keyless", "removed", "rows", "aliases"), CASES)
def test_merge_copies_keys_and_merges_what_an_old_writer_stored(
    any_engine: Engine,
    scene: Callable[[Engine], None],
    keyless: int,
    removed: int,
    rows: list[tuple[object, ...]],
    aliases: int,
) -> None:
    engine = any_engine
    scene(engine)
    with engine.connect() as conn:
        assert count_keyless(conn) == keyless
    dry = merge_stored_copies(engine, dry_run=True)
    assert dry.keyless == keyless
    counts = merge_stored_copies(engine)
    assert (counts.keyless, counts.removed) == (keyless, removed)
    assert _rows(engine) == rows
    assert _aliases(engine) == aliases
    with engine.connect() as conn:
        assert count_keyless(conn) == 0
    again = merge_stored_copies(engine)
    assert (again.keyless, again.removed) == (0, 0)


def test_a_keyed_row_is_found_by_the_next_crawl(engine: Engine) -> None:
    """The old writer's review, keyed, is found by this version's writer: its cut copy read
    from the page adds no row (unkeyed, it was a second one)."""
    _write(engine, [_item(SHORT, author="c" * 16)])
    _old_write(engine, _api())
    counts = merge_keyless(engine)
    assert (counts.keyless, counts.removed) == (1, 0)
    later = _write(engine, [_layout()])
    assert later.reviews_new == 0
    assert len(_rows(engine)) == 2


def _many_teasers(engine: Engine, n: int) -> None:
    _write(engine, [_api(f"Review {i} says: {FULL}", review_id=f"r-{i}") for i in range(n)])
    teasers = [
        _layout(" ".join(f"Review {i} says: {FULL}".split()[:12]) + "…  Read more")
        for i in range(n)
    ]
    _old_write(engine, *teasers)


def _killed_in_the_second_batch(url: str, tmp_path: Path) -> None:
    """`db merge-copies` killed (SIGKILL) with its second batch of keyless rows written, not
    committed: the first batch is merged, the second not at all; a run again finishes."""
    n = SCAN + 50
    engine = open_database(url)
    try:
        _many_teasers(engine, n)
        paused = tmp_path / "paused"
        env = {**os.environ, "RIVALSCOPE_DATABASE_URL": url}
        env[PAUSE_ENV] = f"{PAUSE_POINT}:2:{paused}"
        process = subprocess.Popen(
            [sys.executable, "-m", "rivalscope", "db", "merge-copies"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 240
            while not paused.exists():
                assert process.poll() is None, "the merge ended before its second batch"
                assert time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        with engine.connect() as conn:
            assert count_keyless(conn) == n - SCAN
        assert len(_rows(engine)) == 2 * n - SCAN
        assert _aliases(engine) == SCAN
        counts = merge_stored_copies(engine)
        assert (counts.keyless, counts.removed) == (n - SCAN, n - SCAN)
        rows = _rows(engine)
        assert len(rows) == n and all(row[0] and row[2] for row in rows)
        assert _aliases(engine) == n
    finally:
        engine.dispose()


def test_a_merge_killed_in_a_batch_of_keyless_rows_leaves_each_batch_whole(
    any_url: str, tmp_path: Path
) -> None:
    _killed_in_the_second_batch(any_url, tmp_path)


def test_the_scheduler_keys_and_merges_them_after_a_round_no_crawl_writes(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """While a crawl writes (maybe the old one) the round's follow-ups leave the rows; after
    it, they key and merge them before the analysis and the report read them."""
    _teaser_after_review(engine)
    targets = _targets(tmp_path, "[schedule]\nanalyze = false\nreport = false\nalerts = false\n")
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE crawl_run SET status = 'running', pid = :pid, machine = NULL"),
            {"pid": os.getpid()},
        )
    said = "1 review row stored without keys by an older rivalscope: keyed (1 of them merged"
    with caplog.at_level(logging.INFO, logger="rivalscope.schedule"):
        run_followups(engine, targets, tmp_path)
        assert len(_rows(engine)) == 2 and said not in caplog.text
        with engine.begin() as conn:
            conn.execute(text("UPDATE crawl_run SET status = 'finished'"))
        run_followups(engine, targets, tmp_path)
    assert said in caplog.text
    assert _rows(engine) == [("r-981", FULL, True)]


def test_the_commands_say_how_many_rows_lack_keys(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    _teaser_after_review(engine)
    listed = run_cli("runs", cwd=tmp_path, db_url=db_url)
    assert listed.returncode == 0, listed.stderr
    said = " ".join(listed.stdout.split())
    assert "note: 1 review row stored without keys by an older rivalscope" in said
    dry = run_cli("db", "merge-copies", "--dry-run", cwd=tmp_path, db_url=db_url)
    assert dry.returncode == 0, dry.stderr
    assert "1 review row stored without keys by an older rivalscope" in dry.stdout
    done = run_cli("db", "merge-copies", cwd=tmp_path, db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert "1 review row stored without keys by an older rivalscope: keyed" in done.stdout
    assert len(_rows(engine)) == 1
    after = run_cli("runs", cwd=tmp_path, db_url=db_url)
    assert after.returncode == 0 and "without keys" not in after.stdout, after.stdout


WARNED = "written by an older rivalscope"


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if WARNED in line]


@pytest.mark.parametrize(
    ("command", "keyless"),
    [
        (("analyze", "--no-progress"), 1),
        (("report", "--out", "out"), 1),
        (("report", "--out", "out"), 0),
    ],
)
def test_analyze_and_report_say_in_one_line_that_old_rows_are_not_merged(
    any_engine: Engine, any_url: str, tmp_path: Path, command: tuple[str, ...], keyless: int
) -> None:
    """Neither command keys them (a crawl of the older version may be writing them): each
    says on stderr how many there are and what merges them, once, on one line."""
    (_teaser_after_review if keyless else _short_review)(any_engine)
    with any_engine.begin() as conn:  # the report compares with an own company
        conn.execute(
            text("INSERT INTO company (name, is_own, created_at) VALUES ('Own', TRUE, :now)"),
            {"now": datetime(2030, 1, 1, tzinfo=UTC)},
        )
    done = run_cli(*command, cwd=tmp_path, db_url=any_url)
    assert done.returncode == 0, done.stderr
    expected = (
        [
            "warning: 1 review row written by an older rivalscope is not yet merged "
            "(a review may be counted twice): run `rivalscope db merge-copies`"
        ]
        if keyless
        else []
    )
    assert _warnings(done.stderr) == expected
    assert len(_rows(any_engine)) == 2  # left as it was
    if command[0] == "report":
        # Read later, the page is all its reader has: it says so beside its coverage.
        said = "1 review row written by an older rivalscope is not yet merged"
        page = (tmp_path / "out" / "report.html").read_text("utf-8")
        summary = (tmp_path / "out" / "summary.md").read_text("utf-8")
        assert page.count(said) == keyless, page
        assert summary.count(said) == keyless, summary
        if keyless:
            # The command to run reads as code, not between literal backticks.
            assert (
                "(a review may be counted twice): run <code>rivalscope db merge-copies</code>."
                in page
            )
            assert "run `rivalscope db merge-copies`." in summary, summary


def test_the_synthetic_report_data_is_stored_keyed(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """The synthetic data the report's tests and benchmark read is stored with the keys a
    crawl stores (its identical texts told apart by the site's id): a report on it warns of
    no row an older rivalscope wrote."""
    populate(engine, SyntheticPlan(reviews=600))
    with engine.connect() as conn:
        assert count_keyless(conn) == 0
        stored = conn.execute(
            select(func.count(), func.count(_REVIEW.c.identity_key), func.count(_REVIEW.c.copy_key))
        ).one()
    assert tuple(stored) == (600, 600, 600)
    assert merge_stored_copies(engine, dry_run=True).removed == 0
    done = run_cli("report", "--out", "out", "--min-sample", "5", cwd=tmp_path, db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert _warnings(done.stderr) == []


def test_a_keying_that_fails_round_after_round_is_said_where_users_look(
    any_engine: Engine, any_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scheduler's step keying the old rows fails (logged, the round goes on): its
    status line says so each round, and `runs` says in how many rounds in a row and why,
    until a round keys them."""
    _teaser_after_review(any_engine)
    targets = _targets(tmp_path, "[schedule]\nanalyze = false\nreport = false\nalerts = false\n")

    def failing(engine: Engine) -> None:
        raise RuntimeError("disk I/O error\n[SQL: UPDATE review SET ...]")

    monkeypatch.setattr(merge_copies, "merge_keyless", failing)
    said = (
        "the scheduler's merge of the review rows an older rivalscope stored without keys "
        "failed in the last {}: RuntimeError: disk I/O error; `rivalscope db merge-copies` "
        "merges them and shows the whole error"
    )
    assert run_followups(any_engine, targets, tmp_path) == [said.format("round")]
    assert run_followups(any_engine, targets, tmp_path) == [said.format("2 rounds in a row")]
    listed = run_cli("runs", cwd=tmp_path, db_url=any_url)
    assert listed.returncode == 0, listed.stderr
    shown = " ".join(listed.stdout.split())
    warned = "warning: the scheduler's merge of the review rows an older rivalscope stored "
    assert f"{warned}without keys failed in the last 2 rounds in a row (last at " in shown
    assert " UTC): RuntimeError: disk I/O error; `rivalscope db merge-copies` merges" in shown
    monkeypatch.undo()
    assert run_followups(any_engine, targets, tmp_path) == []
    assert _rows(any_engine) == [("r-981", FULL, True)]
    after = run_cli("runs", cwd=tmp_path, db_url=any_url)
    assert after.returncode == 0 and warned not in " ".join(after.stdout.split()), after.stdout

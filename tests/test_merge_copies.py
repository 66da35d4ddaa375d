"""Reviews stored twice before a crawl knew their copies (a widget's API with the site's id,
the rendered page without it) merged into one row: ``storage.merge_copies`` and
``rivalscope db merge-copies``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event, func, insert, select, text
from sqlmodel import Session

from settings.content_keys import cut_prefix
from storage import merge_copies, writer
from storage.analysis_models import AspectMention, ReviewAnalysis
from storage.db import open_database
from storage.findings_models import Finding, ReportRun
from storage.merge_copies import merge_stored_copies
from storage.models import Meta, Review, ReviewAlias
from tests.cli import run_cli
from tests.test_review_copies import DAY, FULL, TEASER, _api, _layout, _write

ROOT = Path(__file__).resolve().parent.parent
_REVIEW = Review.__table__  # type: ignore[attr-defined]
_ALIAS = ReviewAlias.__table__  # type: ignore[attr-defined]
_FINDING = Finding.__table__  # type: ignore[attr-defined]
_META = Meta.__table__  # type: ignore[attr-defined]


def _store_twice(engine: Engine, monkeypatch: pytest.MonkeyPatch, *batches: Any) -> None:
    """``batches`` written as a crawl wrote them before it knew a review's copies."""
    with monkeypatch.context() as patch:
        patch.setattr(writer, "set_copies_aside", lambda conn, company, rows: (rows, []))
        _write(engine, *batches)


def _ids(engine: Engine) -> dict[str | None, int]:
    """Review id by site id."""
    with engine.connect() as conn:
        return dict(conn.execute(select(_REVIEW.c.external_id, _REVIEW.c.id)).all())


def _analyse(engine: Engine, review_id: int, label: str, published: date | None = None) -> None:
    with engine.begin() as conn:
        for model, values in (
            (ReviewAnalysis, {"analyzer_version": "v", "label": label, "model": "m"}),
            (
                AspectMention,
                {"sentence_position": 0, "aspect": "lid", "label": label, "term": "lid"},
            ),
        ):
            conn.execute(
                insert(model.__table__).values(  # type: ignore[attr-defined]
                    review_id=review_id, company_id=1, published=published, **values
                )
            )


def _cite(engine: Engine, *review_ids: int) -> None:
    with Session(engine) as session:
        run = ReportRun()
        session.add(run)
        session.flush()
        assert run.id is not None
        session.add(
            Finding(
                report_run_id=run.id,
                competitor_id=1,
                competitor="Rival",
                aspect="lid",
                kind="competitor_weakness",
                effect=0.1,
                effect_low=0.0,
                effect_high=0.2,
                sample_size=2,
                score=1.0,
                summary="s",
                evidence_review_ids=list(review_ids),
            )
        )
        session.commit()


def _state(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {
            "reviews": conn.execute(
                select(
                    _REVIEW.c.external_id,
                    _REVIEW.c.text,
                    _REVIEW.c.author_hash,
                    _REVIEW.c.published,
                    _REVIEW.c.rating,
                ).order_by(_REVIEW.c.id)
            ).all(),
            "aliases": conn.execute(
                select(_ALIAS.c.content_key, _ALIAS.c.review_id).order_by(_ALIAS.c.content_key)
            ).all(),
            "analyses": conn.execute(
                text("SELECT review_id, label FROM review_analysis ORDER BY review_id")
            ).all(),
            "mentions": conn.execute(
                text("SELECT review_id, published FROM aspect_mention ORDER BY review_id")
            ).all(),
            "evidence": conn.execute(select(_FINDING.c.evidence_review_ids)).scalars().all(),
        }


def _merge_the_layout_copy_into_the_api_copy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's cut copy stored first (analysed, aliased under another product, cited by
    a finding), the API's copy with the id later: one row, the API's, with the older first
    sighting; the copy's key, alias, finding go to it; its analysis (of the teaser) goes."""
    _store_twice(engine, monkeypatch, [_layout()], [_api()])
    layout_id, api_id = _ids(engine)[None], _ids(engine)["r-981"]
    _analyse(engine, layout_id, "negative")
    _analyse(engine, api_id, "positive", DAY)
    with engine.begin() as conn:
        conn.execute(
            insert(_ALIAS).values(
                company_id=1,
                content_key="k-other-product",
                review_id=layout_id,
                first_seen_at=func.now(),
            )
        )
    _cite(engine, layout_id, api_id, 7)
    with engine.connect() as conn:
        first_seen = conn.execute(select(func.min(_REVIEW.c.first_seen_at))).scalar_one()

    counts = merge_stored_copies(engine)

    assert (counts.kept, counts.removed, counts.aliases_moved, counts.findings) == (1, 1, 1, 1)
    state = _state(engine)
    assert state["reviews"] == [("r-981", FULL, "a" * 16, DAY, 4.0)]
    assert state["aliases"] == sorted(
        [(_layout().content_key, api_id), ("k-other-product", api_id)]
    )
    assert state["analyses"] == [(api_id, "positive")]
    assert state["evidence"] == [[api_id, 7]]
    with engine.connect() as conn:
        assert conn.execute(select(_REVIEW.c.first_seen_at)).scalar_one() == first_seen
    # a crawl reading both copies again adds no row, and a merge again changes nothing
    again = _write(engine, [_layout(), _api()])
    assert again.reviews_new == 0
    assert _state(engine) == state
    assert merge_stored_copies(engine).removed == 0
    assert _state(engine) == state


def test_the_layout_copy_stored_before_merges_into_the_api_copy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _merge_the_layout_copy_into_the_api_copy(engine, monkeypatch)


@pytest.mark.postgres
def test_the_layout_copy_stored_before_merges_into_the_api_copy_on_postgres(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(pg_url)
    try:
        _merge_the_layout_copy_into_the_api_copy(engine, monkeypatch)
    finally:
        engine.dispose()


def test_the_whole_texts_analysis_moves_to_the_kept_row(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's copy cut short, the page's whole: the row with the id is kept and takes the
    whole text, and the page copy's analysis of that text with it (dated as the row now)."""
    _store_twice(engine, monkeypatch, [_api(TEASER)], [_layout(FULL, published=None)])
    api_id, layout_id = _ids(engine)["r-981"], _ids(engine)[None]
    _analyse(engine, api_id, "negative", DAY)
    _analyse(engine, layout_id, "positive")
    counts = merge_stored_copies(engine)
    assert (counts.whole_texts, counts.analyses_kept, counts.to_analyse) == (1, 1, 0)
    state = _state(engine)
    assert state["reviews"] == [("r-981", FULL, "a" * 16, DAY, 4.0)]
    assert state["analyses"] == [(api_id, "positive")]
    assert [(i, str(day)) for i, day in state["mentions"]] == [(api_id, DAY.isoformat())]


def test_three_copies_end_in_the_api_copy_with_the_whole_texts_analysis(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's teaser, the page's whole text (the same reviewer's copies: one merged
    into the other first) and the API's copy: one row, the API's; the analysis kept is the
    whole text's, whichever row had it."""
    _store_twice(engine, monkeypatch, [_layout()], [_layout(FULL)], [_api()])
    with engine.connect() as conn:
        teaser, whole, api = conn.execute(select(_REVIEW.c.id).order_by(_REVIEW.c.id)).scalars()
    _analyse(engine, teaser, "negative")
    _analyse(engine, whole, "positive")
    counts = merge_stored_copies(engine)
    assert (counts.kept, counts.removed, counts.analyses_kept) == (1, 2, 1)
    state = _state(engine)
    assert state["reviews"] == [("r-981", FULL, "a" * 16, DAY, 4.0)]
    assert state["analyses"] == [(api, "positive")]
    assert [r for _, r in state["aliases"]] == [api, api]


@pytest.mark.parametrize(
    "layout",
    [
        _layout(rating=3.0),  # another rating: another review
        _layout(published=date(2024, 3, 6)),  # another date
        _layout(product="Grinder"),  # another product
        _layout(FULL[:60]),  # shorter without being cut short: its own text
        _layout(review_id="r-982"),  # the site says two reviews
    ],
)
def test_two_reviews_stay_two(engine: Engine, monkeypatch: pytest.MonkeyPatch, layout: Any) -> None:
    _store_twice(engine, monkeypatch, [_api()], [layout])
    before = _state(engine)
    assert merge_stored_copies(engine).removed == 0
    assert _state(engine) == before and len(before["reviews"]) == 2


def test_a_dry_run_counts_and_changes_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_twice(engine, monkeypatch, [_layout()], [_api()])
    before = _state(engine)
    counts = merge_stored_copies(engine, dry_run=True)
    assert (counts.kept, counts.removed) == (1, 1)
    assert _state(engine) == before


def test_cut_prefix() -> None:
    assert cut_prefix(TEASER, FULL) is not None and cut_prefix(TEASER, FULL).cut  # type: ignore[union-attr]
    assert cut_prefix(FULL, TEASER).first is False  # type: ignore[union-attr]
    assert cut_prefix(FULL.upper(), FULL).same  # type: ignore[union-attr]
    assert cut_prefix(FULL[:60], FULL).cut is False  # type: ignore[union-attr]
    assert cut_prefix(FULL, FULL.replace("cord", "plug")) is None


PAIRS = 12


def _many_pairs(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """``PAIRS`` reviews stored twice, each analysed and cited under its page copy's id."""
    layouts = [_layout(f"Review {i} says: {TEASER}") for i in range(PAIRS)]
    apis = [_api(f"Review {i} says: {FULL}", review_id=f"r-{i}") for i in range(PAIRS)]
    _store_twice(engine, monkeypatch, layouts, apis)
    with engine.connect() as conn:
        layout_ids = (
            conn.execute(select(_REVIEW.c.id).where(_REVIEW.c.external_id.is_(None)))
            .scalars()
            .all()
        )
    for review_id in layout_ids:
        _analyse(engine, review_id, "negative")
    _cite(engine, *layout_ids)


def _consistent(engine: Engine) -> None:
    """Every reference names a stored review; each review once."""
    with engine.connect() as conn:
        ids = set(conn.execute(select(_REVIEW.c.id)).scalars())
        for table in ("review_alias", "review_analysis", "aspect_mention"):
            named = set(conn.execute(text(f"SELECT review_id FROM {table}")).scalars())
            assert named <= ids, table
        for cited in conn.execute(select(_FINDING.c.evidence_review_ids)).scalars():
            assert set(cited) <= ids
        assert len(ids) + len(_state(engine)["aliases"]) == 2 * PAIRS


_KILLED = """
import os, signal, sys
from storage import merge_copies
from storage.db import open_database
merge_copies.BATCH = 4
original, calls = merge_copies._update_kept, []
def killed(conn, merged):
    original(conn, merged)
    calls.append(1)
    if len(calls) == 2:  # the second batch written, not committed
        os.kill(os.getpid(), signal.SIGKILL)
merge_copies._update_kept = killed
merge_copies.merge_stored_copies(open_database(sys.argv[1]))
"""


def _killed_half_way(engine: Engine, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge killed (SIGKILL) in its second batch: the first batch is merged, the second
    not at all; a run again merges the rest, as a run not killed would."""
    _many_pairs(engine, monkeypatch)
    child = subprocess.run(
        [sys.executable, "-c", _KILLED, url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert child.returncode == -9, child.stderr
    _consistent(engine)
    assert len(_state(engine)["reviews"]) == 2 * PAIRS - 4
    counts = merge_stored_copies(engine)
    assert counts.removed == PAIRS - 4
    _consistent(engine)
    state = _state(engine)
    assert [r[0] for r in state["reviews"]] == [f"r-{i}" for i in range(PAIRS)]
    assert state["analyses"] == []  # the teasers' analyses: the rows are to analyse
    assert sorted(state["evidence"][0]) == sorted(_ids(engine)[f"r-{i}"] for i in range(PAIRS))


def test_a_merge_killed_half_way_leaves_each_batch_whole(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _killed_half_way(engine, db_url, monkeypatch)


@pytest.mark.postgres
def test_a_merge_killed_half_way_leaves_each_batch_whole_on_postgres(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(pg_url)
    try:
        _killed_half_way(engine, pg_url, monkeypatch)
    finally:
        engine.dispose()


def test_the_command_merges_after_a_dry_run(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_twice(engine, monkeypatch, [_layout()], [_api()])
    dry = run_cli("db", "merge-copies", "--dry-run", cwd=tmp_path, db_url=db_url)
    assert dry.returncode == 0, dry.stderr
    assert "1 review rows would be merged into 1" in dry.stdout
    assert len(_state(engine)["reviews"]) == 2
    done = run_cli("db", "merge-copies", cwd=tmp_path, db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert "1 review rows merged into 1" in done.stdout
    again = run_cli("db", "merge-copies", cwd=tmp_path, db_url=db_url)
    assert again.returncode == 0 and "no review is stored twice" in again.stdout


def test_the_command_refuses_while_a_crawl_writes(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_twice(engine, monkeypatch, [_layout()], [_api()])
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE crawl_run SET status = 'running', pid = :pid, machine = NULL"),
            {"pid": os.getpid()},
        )
    refused = run_cli("db", "merge-copies", cwd=tmp_path, db_url=db_url)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "is writing to" in refused.stderr
    assert len(_state(engine)["reviews"]) == 2


def _findings_read_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The merge read every stored finding again in each batch of copy keys (a database of
    many reports: the findings table read hundreds of times); each is read once now, and
    the evidence ends the same."""
    _many_pairs(engine, monkeypatch)
    for review_id in range(1, 6):
        _cite(engine, review_id)  # findings citing kept rows, and others to rename too
    monkeypatch.setattr(merge_copies, "BATCH", 4)
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and " finding" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        counts = merge_stored_copies(engine)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert counts.removed == PAIRS
    _consistent(engine)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(_FINDING)).scalar_one()
        read = sum(
            len(conn.exec_driver_sql(statement, parameters).all())
            for statement, parameters in statements
        )
        evidence = (
            conn.execute(select(_FINDING.c.evidence_review_ids).order_by(_FINDING.c.id))
            .scalars()
            .all()
        )
    assert read == stored == 6
    assert sorted(evidence[0]) == sorted(_ids(engine)[f"r-{i}"] for i in range(PAIRS))


def test_the_merge_reads_the_stored_findings_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _findings_read_once(engine, monkeypatch)


@pytest.mark.postgres
def test_the_merge_reads_the_stored_findings_once_on_postgres(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(pg_url)
    try:
        _findings_read_once(engine, monkeypatch)
    finally:
        engine.dispose()


def _as_before_copy_keys(engine: Engine) -> None:
    """The fresh database made as one whose reviews an older rivalscope stored, before copy
    keys: not marked merged."""
    with engine.begin() as conn:
        conn.execute(delete(_META).where(_META.c.key == merge_copies.MERGED_KEY))


def test_runs_says_when_reviews_may_be_stored_twice(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies stored before copy keys were known only to readers of the README: `runs`
    says how many there may be and how to see them, until a merge has run."""
    _as_before_copy_keys(engine)
    _store_twice(engine, monkeypatch, [_layout()], [_api()])
    note = "note: up to 1 review may be stored twice"
    listed = run_cli("runs", cwd=tmp_path, db_url=db_url)
    assert listed.returncode == 0, listed.stderr
    said = " ".join(listed.stdout.split())
    assert note in said and "`rivalscope db merge-copies --dry-run` shows them" in said
    assert run_cli("db", "merge-copies", cwd=tmp_path, db_url=db_url).returncode == 0
    after = run_cli("runs", cwd=tmp_path, db_url=db_url)
    assert after.returncode == 0 and "stored twice" not in after.stdout, after.stdout


def test_runs_on_a_new_database_warns_of_no_copies(db_url: str, tmp_path: Path) -> None:
    """A database this version made holds no copy an older one stored: `runs` after the
    first import (or the demo's first crawl) does not say reviews may be stored twice
    because texts of different reviews begin alike."""
    start = "The coffee machine arrived quickly and works very well"
    rows = ["text,rating", f'"{start}, I love it.",5', f'"{start}, but it is loud.",3']
    (tmp_path / "reviews.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    imported = run_cli(
        "import", "reviews.csv", "-c", "Rival", "--new-company", cwd=tmp_path, db_url=db_url
    )
    assert imported.returncode == 0, imported.stderr
    listed = run_cli("runs", cwd=tmp_path, db_url=db_url)
    assert listed.returncode == 0, listed.stderr
    assert "stored twice" not in listed.stdout, listed.stdout
    dry = run_cli("db", "merge-copies", "--dry-run", cwd=tmp_path, db_url=db_url)
    assert dry.returncode == 0 and "no review is stored twice" in dry.stdout.lower(), dry.stdout

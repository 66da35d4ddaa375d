"""An import that finds a stored review (same id) with another text or rating: an edit by
its reviewer takes its new text, as a crawl does; anything else is refused, never stored
over another person's review."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

import spiders.file_import as file_import
from spiders.file_import import ImportReport, import_file
from storage.db import open_database
from storage.models import Review

HEADER = "id,author,date,product,text,rating\n"
FIRST = "r1,Kari H.,2026-03-01,Kettle,Good kettle and it boils fast,5\n"


def _engine(tmp_path: Path) -> Engine:
    return open_database(f"sqlite:///{tmp_path / 'x.db'}")


def _import(engine: Engine, tmp_path: Path, body: str, **options: object) -> ImportReport:
    path = tmp_path / "reviews.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return import_file(engine, path, company="Nordlys", new_company=True, **options)  # type: ignore[arg-type]


def _rows(engine: Engine) -> list[tuple[str | None, float | None, str | None]]:
    with Session(engine) as session:
        return [
            (r.text, r.rating, r.text_before_edit)
            for r in session.exec(select(Review).order_by(Review.id)).all()  # type: ignore[arg-type]
        ]


OLD = ("Good kettle and it boils fast", 5.0, None)


@pytest.mark.parametrize(
    ("second", "edited", "rejected", "stored"),
    [
        # Same reviewer, new text and rating: an edit.
        (
            "r1,Kari H.,2026-03-01,Kettle,It started leaking after a month,2\n",
            1,
            0,
            [("It started leaking after a month", 2.0, "Good kettle and it boils fast")],
        ),
        # No reviewer in the export, the same date: an edit.
        (
            "r1,,2026-03-01,Kettle,It started leaking after a month,2\n",
            None,
            None,
            None,
        ),
        # The same text, a new rating: an edit of the rating.
        ("r1,Kari H.,2026-03-01,Kettle,Good kettle and it boils fast,4\n", 1, 0, None),
        # Another reviewer under the id: refused, the stored review kept.
        ("r1,Ola N.,2026-03-01,Kettle,It started leaking after a month,2\n", 0, 1, [OLD]),
        # Neither reviewer nor date to tell an edit by (ids that are row numbers): refused.
        ("r1,,,Kettle,It started leaking after a month,2\n", 0, 1, [OLD]),
        # The stored text shortened (an excerpt): no edit, refused as before.
        ("r1,Kari H.,2026-03-01,Kettle,Good kettle,5\n", 0, 1, [OLD]),
        # The same row again: nothing changes.
        (FIRST, 0, 0, [OLD]),
    ],
)
def test_reimported_review(
    tmp_path: Path,
    second: str,
    edited: int | None,
    rejected: int | None,
    stored: list[tuple[str | None, float | None, str | None]] | None,
) -> None:
    engine = _engine(tmp_path)
    first_body = FIRST if ",,2026" not in second else FIRST.replace("Kari H.", "")
    _import(engine, tmp_path, first_body)
    dry = _import(engine, tmp_path, second, dry_run=True)
    report = _import(engine, tmp_path, second)
    if edited is None:  # the no-reviewer case: an edit, as the first row
        edited, rejected = 1, 0
        stored = [("It started leaking after a month", 2.0, "Good kettle and it boils fast")]
    for counted in (dry, report):
        assert (counted.edited, counted.rejected, counted.stored) == (edited, rejected, 0)
        assert counted.duplicates == 1 - edited - rejected
    rows = _rows(engine)
    if stored is None:  # the rating edit
        assert rows == [("Good kettle and it boils fast", 4.0, "Good kettle and it boils fast")]
    else:
        assert rows == stored
    again = _import(engine, tmp_path, second)
    assert (again.edited, again.stored) == (0, 0)
    assert _rows(engine) == rows


def test_edit_in_the_same_import_is_a_conflict_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file giving one id two texts is refused on its later line, whether the first was
    stored by an earlier batch of this import or is in the same batch."""
    monkeypatch.setattr(file_import, "BATCH", 2)
    engine = _engine(tmp_path)
    filler = "".join(
        f"f{n},Someone {n},2026-03-0{n},Kettle,Filler review number {n} of the file,4\n"
        for n in range(1, 6)
    )
    body = FIRST + filler + "r1,Kari H.,2026-03-01,Kettle,It started leaking after a month,2\n"
    report = _import(engine, tmp_path, body)
    assert (report.stored, report.edited, report.rejected) == (6, 0, 1)
    assert report.bad[0][0] == 8 and "earlier line of the file" in report.bad[0][1]
    assert _rows(engine)[0] == OLD


def test_dry_run_counts_a_review_under_two_products_once(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    text = "The lid broke after two weeks and support never answered my emails"
    body = (
        f"a1,Kari H.,2026-03-01,Kettle,{text},1\n"
        f"a1,Kari H.,2026-03-01,Kettle XL,{text},1\n"
        f"a2,Ola N.,2026-03-02,Kettle,Another review that is long enough to count,4\n"
    )
    dry = _import(engine, tmp_path, body, dry_run=True)
    real = _import(engine, tmp_path, body)
    assert (real.stored, real.duplicates) == (2, 1)
    assert (dry.stored, dry.duplicates) == (2, 1)
    assert len(_rows(engine)) == 2
    again = _import(engine, tmp_path, body, dry_run=True)
    assert (again.stored, again.duplicates) == (0, 3)


def test_edit_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    engine = open_database(pg_url)
    try:
        _import(engine, tmp_path, FIRST)
        report = _import(
            engine, tmp_path, "r1,Kari H.,2026-03-01,Kettle,It started leaking after a month,2\n"
        )
        assert (report.edited, report.stored, report.duplicates) == (1, 0, 0)
        assert _rows(engine) == [
            ("It started leaking after a month", 2.0, "Good kettle and it boils fast")
        ]
    finally:
        engine.dispose()


def test_edit_written_by_the_import_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import writes in a child process (``spiders.import_detection``): it applies
    the edits as the in-process writer does."""
    from spiders.import_detection import StoreProcess

    engine = _engine(tmp_path)
    _import(engine, tmp_path, FIRST)
    monkeypatch.setattr(file_import, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(file_import, "_second_core_free", lambda _: True)
    monkeypatch.setattr(StoreProcess, "starting", lambda _: False)
    report = _import(
        engine, tmp_path, "r1,Kari H.,2026-03-01,Kettle,It started leaking after a month,2\n"
    )
    assert (report.edited, report.stored, report.duplicates) == (1, 0, 0)
    assert _rows(engine) == [
        ("It started leaking after a month", 2.0, "Good kettle and it boils fast")
    ]


LEAK = "It started leaking after a month"
VERDICT_CASES = [
    # (stored before by a first import, the file imported, what both paths say)
    ("", FIRST + FIRST, "1 new, 1 repeat"),
    ("", FIRST + f"r1,Kari H.,2026-03-01,Kettle,{LEAK},2\n", "1 new, 1 other text in the file"),
    ("", f",Kari H.,2026-03-01,Kettle,{LEAK},2\n" * 2, "1 new, 1 repeat (no id)"),
    (FIRST, FIRST, "1 repeat of a stored review"),
    (FIRST, f"r1,Kari H.,2026-03-01,Kettle,{LEAK},2\n", "an edit by its reviewer"),
    (FIRST, "r1,Kari H.,2026-03-01,Kettle,Good kettle and it boils fast,4\n", "a new rating"),
    (FIRST, f"r1,Ola N.,2026-03-01,Kettle,{LEAK},2\n", "another reviewer under a stored id"),
    (FIRST, f"r1,,,Kettle,{LEAK},2\n", "nothing to tell an edit by"),
    (FIRST, f"r1,Kari H.,2026-03-01,Kettle,{LEAK},2\n" * 2, "an edit, then its repeat"),
    (FIRST, f"r1,Kari H.,2026-03-01,Kettle,{LEAK},2\nr1,Kari H.,2026-03-01,Kettle,Else,3\n",
     "an edit, then another text under its id"),
    (FIRST, "r2,Kari H.,2026-03-01,Kettle XL,Good kettle and it boils fast,5\n",
     "a stored review under another product and id"),
]  # fmt: skip


@pytest.mark.parametrize("batch", [5000, 1])
@pytest.mark.parametrize(("first", "second", "case"), VERDICT_CASES)
def test_the_dry_run_classes_every_row_as_the_import_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, second: str, case: str,
    batch: int,
) -> None:  # fmt: skip
    """``_dry_run`` and ``_conflicts`` class rows by one rule (``review_verdict``): the dry
    run says what the import then does, row by row, whatever the batches."""
    monkeypatch.setattr(file_import, "BATCH", batch)
    engine = _engine(tmp_path)
    if first:
        _import(engine, tmp_path, first)
    dry = _import(engine, tmp_path, second, dry_run=True)
    real = _import(engine, tmp_path, second)
    engine.dispose()

    def said(report: ImportReport) -> tuple[object, ...]:
        return (report.stored, report.duplicates, report.edited, report.rejected, report.bad)

    assert said(dry) == said(real), case

"""Imports of a 0-10 score (a recommendation score's 0 was refused as "below its scale (1 to
10)", with no way to say the scale starts at 0) and of US month-first dates (``--language
en-US`` was cut to "en", so "03/12/2024" stayed ambiguous and was refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from spiders.file_import import import_file
from storage.db import open_database
from storage.models import Review
from tests.cli import run_cli


def _imported(
    tmp_path: Path, csv: str, **options: object
) -> tuple[list[tuple[float | None, float | None, float | None, str]], list[str]]:
    """(rating, worst, normalised, day) of each stored review, and the refusals."""
    path = tmp_path / "rows.csv"
    path.write_text(csv, encoding="utf-8")
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        report = import_file(engine, path, company="Nordlys", new_company=True, **options)  # type: ignore[arg-type]
        with Session(engine) as session:
            reviews = session.exec(select(Review).order_by(Review.external_id)).all()
            stored = [
                (r.rating, r.worst_rating, r.rating_normalized, f"{r.published:%Y-%m-%d}")
                for r in reviews
            ]
    finally:
        engine.dispose()
    return stored, [reason for _, reason in report.bad]


SCORES = "id,text,rating,date\nr1,Would not recommend,0,2026-03-01\nr2,Perfect,10,2026-03-02\n"


@pytest.mark.parametrize(
    ("csv", "scale", "stored"),
    [
        (SCORES, (0.0, 10.0), [(0.0, 0.0, 0.0), (10.0, 0.0, 1.0)]),
        (SCORES, (1.0, 10.0), [(10.0, 1.0, 1.0)]),  # 0 below a 1-10 scale: refused
        # a worst_rating column says it row by row
        ("id,text,rating,best_rating,worst_rating,date\nr1,Bad,0,10,0,2026-03-01\n", None,
         [(0.0, 0.0, 0.0)]),
        # a row stating its own best keeps its own scale (1 to 5), not the file's
        ("id,text,rating,best_rating,date\nr1,Fine,3,5,2026-03-01\n", (0.0, 10.0),
         [(3.0, 1.0, 0.5)]),
    ],
)  # fmt: skip
def test_a_rating_scale_from_zero_is_read(
    tmp_path: Path,
    csv: str,
    scale: tuple[float, float] | None,
    stored: list[tuple[float, float, float]],
) -> None:
    rows, _ = _imported(tmp_path, csv, rating_scale=scale)
    assert [row[:3] for row in rows] == stored


def test_a_zero_below_the_scale_says_how_to_give_a_scale_from_zero(tmp_path: Path) -> None:
    rows, refusals = _imported(tmp_path, SCORES.replace(",10,", ",5,"))
    assert [row[0] for row in rows] == [5.0]  # 0 below 1 on the default scale
    assert refusals == [
        "rating '0' is below its scale (1 to 5): a scale from 0 is given by --rating-scale 0-5 "
        "or a worst_rating column"
    ]
    # a row stating its best of 5 is refused alone, the rest stored
    rows, refusals = _imported(tmp_path, "id,text,rating,best_rating\nr9,Odd,9,5\n")
    assert any("with --rating-scale (1-10, 0-10)" in refusal for refusal in refusals)


# A 1-10 export imported without its scale: ratings read as 5 stars
TEN_POINTS = (
    "id,text,rating,date\nr1,Altfor dyr,4,2026-03-01\nr2,Rask levering,9,2026-03-02\n"
    "r3,Verdt pengene,3,2026-03-03\n"
)


def test_ratings_above_five_without_a_scale_refuse_the_file_storing_nothing(
    tmp_path: Path,
) -> None:
    """Was: the 9/10 refused row by row and the 4/10 and 3/10 stored as 4 and 3 of 5 (good
    ratings); the same file imported again with --rating-scale 1-10 found them stored already
    and left them misread."""
    path = tmp_path / "rows.csv"
    path.write_text(TEN_POINTS, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for dry_run in (["--dry-run"], []):
        refused = run_cli("import", str(path), "-c", "Nordlys", "--new-company", *dry_run,
                          cwd=tmp_path, db_url=url)  # fmt: skip
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "ratings go up to 9 (line 3), above 5 stars" in refused.stderr
        assert "--rating-scale" in refused.stderr and "Traceback" not in refused.stderr
    engine = open_database(url)
    try:
        with Session(engine) as session:
            assert session.exec(select(Review)).all() == []
    finally:
        engine.dispose()
    rows, refusals = _imported(tmp_path, TEN_POINTS, rating_scale=(1.0, 10.0))
    assert refusals == [] and [row[0] for row in rows] == [4.0, 9.0, 3.0]
    assert [round(row[2] or 0, 3) for row in rows] == [0.333, 0.889, 0.222]
    # told it is on 5 stars, the file's 9 is a mistake of its own row
    rows, refusals = _imported(tmp_path, TEN_POINTS.replace("r1", "r4").replace("r3", "r5"),
                               rating_scale=(1.0, 5.0))  # fmt: skip
    assert [row[0] for row in rows][-2:] == [4.0, 3.0] and len(refusals) == 1


def test_a_worst_rating_at_or_above_the_best_is_refused(tmp_path: Path) -> None:
    csv = "id,text,rating,best_rating,worst_rating\nr1,Odd,3,5,5\n"
    rows, refusals = _imported(tmp_path, csv)
    assert rows == [] and refusals == ["worst rating 5 must be at least 0 and below the best, 5"]


@pytest.mark.parametrize(
    ("hint", "row_language", "day"),
    [
        ("en-US", "", "2024-03-12"),
        ("en-GB", "", "2024-12-03"),
        ("fr", "", "2024-12-03"),
        (None, "en-US", "2024-03-12"),  # the row's own tag orders its date
        (None, "en_GB", "2024-12-03"),
        (None, "en", None),  # English alone does not say: refused as ambiguous
        (None, "", None),
    ],
)
def test_a_language_tag_with_a_region_orders_numeric_dates(
    tmp_path: Path, hint: str | None, row_language: str, day: str | None
) -> None:
    csv = f"id,text,date,language\nr1,Arrived quickly and works well,03/12/2024,{row_language}\n"
    rows, refusals = _imported(tmp_path, csv, language_hint=hint)
    if day is None:
        assert rows == [] and "is ambiguous (day/month order)" in refusals[0]
        assert "en-US the month" in refusals[0]
    else:
        assert [row[3] for row in rows] == [day]


def test_the_cli_reads_a_rating_scale_and_a_month_first_language(tmp_path: Path) -> None:
    path = tmp_path / "nps.csv"
    path.write_text("text,rating,date\nNot for me,0,03/12/2024\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    done = run_cli(
        "import", str(path), "-c", "Nordlys", "--new-company", "--rating-scale", "0-10",
        "--language", "en-US", cwd=tmp_path, db_url=url,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 new review" in done.stdout
    for scale, message in [
        ("10-0", "the low end must be below the high end"),
        ("five", "write LOW-HIGH, e.g. 0-10 or 1-5"),
        ("0-5000", "at most 1000"),
    ]:
        refused = run_cli(
            "import", str(path), "-c", "Nordlys", "--rating-scale", scale, cwd=tmp_path,
            db_url=url,
        )  # fmt: skip
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr

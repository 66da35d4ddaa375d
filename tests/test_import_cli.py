"""``rivalscope import`` run for real on files in several formats and states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import Company, OfferObservation, Review
from tests.cli import run_cli

REVIEWS_CSV = """text,rating,best_rating,date,author,product,region,id
"Great machine, delivery in two days",5,5,2026-03-01,Ola N.,Barista One,Oslo,r1
"Leveringen tok tre uker. Skuffet.",2,,12. mars 2026,Kari H.,Barista One,Bergen,r2
"Très bon café, mais le support ne répond jamais",6,10,2026-02-03,Jean D.,Barista One,Lyon,r3
,4,5,2026-01-01,x,Barista One,,r4
"Absurd rating",9,5,2026-01-01,x,Barista One,,r5
"From the future",4,5,2099-01-01,x,Barista One,,r6
"Bad date",4,5,someday,x,Barista One,,r7
"Bad rating",four,5,2026-01-01,x,Barista One,,r8
"Which month?",4,5,03/04/2026,x,Barista One,,r9
"""


def test_import_reviews_reports_bad_rows_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(REVIEWS_CSV, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = run_cli(
        "import",
        str(path),
        "--company",
        "Nordlys",
        "--own",
        "--new-company",
        cwd=tmp_path,
        db_url=url,
    )
    assert first.returncode == 0, first.stderr
    assert "9 rows, 3 new reviews, 0 already stored, 6 rejected" in first.stdout
    for line, reason in [
        (5, "text is empty"),
        (6, "rating outside scale"),
        (7, "date in future"),
        (8, "date 'someday' is not a date"),
        (9, "rating 'four' is not a number"),
        (10, "date '03/04/2026' is ambiguous (day/month order); write it as YYYY-MM-DD"),
    ]:
        assert f"line {line}: {reason}" in first.stdout
    second = run_cli("import", str(path), "--company", "Nordlys", "--own", cwd=tmp_path, db_url=url)
    assert "0 new reviews, 3 already stored" in second.stdout

    engine = open_database(url)
    with Session(engine) as session:
        reviews = session.exec(select(Review).order_by(Review.external_id)).all()  # type: ignore[arg-type]
        assert [r.external_id for r in reviews] == ["r1", "r2", "r3"]
        assert [r.language for r in reviews] == ["en", "no", "fr"]
        assert [r.rating_normalized for r in reviews] == [1.0, 0.25, pytest.approx(5 / 9)]
        assert all(r.author_hash and len(r.author_hash) == 16 for r in reviews)
        assert session.exec(select(Company)).one().is_own
    engine.dispose()
    raw = (tmp_path / "x.db").read_bytes()
    assert b"Ola N." not in raw and b"Kari H." not in raw  # names never stored


def test_import_offers_jsonl_keeps_history(tmp_path: Path) -> None:
    lines = [
        {
            "product": "Barista One",
            "price": "4 999,00 kr",
            "currency": "NOK",
            "sku": "B1",
            "date": "2026-01-01",
        },
        {
            "product": "Barista One",
            "price": "5 299,00",
            "currency": "NOK",
            "sku": "B1",
            "date": "2026-02-01",
        },
        {
            "product": "Barista One",
            "price": "5 299,00",
            "currency": "NOK",
            "sku": "B1",
            "date": "2026-03-01",
        },
        {"product": "Grinder", "price": "-5", "currency": "NOK"},
        {"price": "10"},
    ]
    path = tmp_path / "offers.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = run_cli(
        "import", str(path), "--company", "Nordlys", "--new-company", cwd=tmp_path, db_url=url
    )
    assert result.returncode == 0, result.stderr
    assert "6 rows, 2 new offer observations" in result.stdout
    assert "line 4: negative price" in result.stdout
    assert "line 5: product is empty" in result.stdout
    assert "line 6: not valid JSON" in result.stdout
    again = run_cli("import", str(path), "--company", "Nordlys", cwd=tmp_path, db_url=url)
    assert "0 new offer observations" in again.stdout
    engine = open_database(url)
    with Session(engine) as session:
        prices = session.exec(
            select(OfferObservation.price).order_by(OfferObservation.observed_at)
        ).all()  # type: ignore[arg-type]
    engine.dispose()
    assert prices == ["4999.00", "5299.00"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "missing.csv not found"),
        ("latin.csv", "text\nTrès bien\n".encode("cp1252"), "is not utf-8 text"),
        ("data.xml", b"<x/>", "use a .csv, .tsv or .jsonl file"),
        ("odd.csv", b"foo,bar\n1,2\n", "cannot tell whether"),
    ],
)
def test_import_errors_are_one_line(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run_cli(
        "import",
        name,
        "--company",
        "A",
        "--new-company",
        cwd=tmp_path,
        db_url=f"sqlite:///{tmp_path / 'x.db'}",
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_import_with_encoding_option(tmp_path: Path) -> None:
    (tmp_path / "pl.csv").write_bytes(
        'text,rating\n"Dostawa była szybka, polecam",5\n'.encode("cp1250")
    )
    result = run_cli(
        "import",
        "pl.csv",
        "--company",
        "A",
        "--new-company",
        "--encoding",
        "cp1250",
        cwd=tmp_path,
        db_url=f"sqlite:///{tmp_path / 'x.db'}",
    )
    assert "1 new reviews" in result.stdout, result.stderr

"""``rivalscope import`` run for real on files in several formats and states."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
import typer
from sqlmodel import Session, select

from spiders.import_rows import MAX_LINE_CHARS
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
    # Rejected rows: exit 1 so scripts notice; the good rows are stored all the same.
    assert first.returncode == 1, first.stderr
    assert "9 rows, 3 new reviews, 0 already stored, 6 rejected" in first.stdout
    for line, reason in [
        (5, "text is empty"),
        (6, "rating '9' is above its scale's best, 5: give the scale with --rating-scale"),
        (7, "date '2099-01-01' is in the future"),
        (8, "date 'someday' is not a date"),
        (9, "rating 'four': not a rating (write 4, 4.5, 4/5, 4 stars, 80% or ★★★★☆)"),
        (10, "date '03/04/2026' is ambiguous (day/month order): pass --language (fr, pl, no"),
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
    assert result.returncode == 1, result.stderr
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


UTF16_CSV = "text,rating\nŚwietna kawa, dostawa szybka,5\n"


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        # Excel's "Unicode text" and many Windows exports: UTF-16 with its byte-order mark.
        # utf-8 said "re-save it as UTF-8 or pass --encoding (e.g. cp1250, latin-1)", and
        # those read every other character as NUL: "no row could be read".
        (UTF16_CSV.encode("utf-16"), "utf-8", "is UTF-16 text"),
        (UTF16_CSV.encode("utf-16"), "latin-1", "is UTF-16 text"),
        (UTF16_CSV.encode("utf-16"), "cp1250", "is UTF-16 text"),
        (UTF16_CSV.encode("utf-16"), "utf-16", None),
        (UTF16_CSV.encode("utf-16"), "UTF_16", None),
        ("text\nTrès bien\n".encode("cp1252"), "utf-8", "is not utf-8 text"),
        ("text\nTrès bien\n".encode("cp1252"), "cp1252", None),
    ],
    ids=[
        "utf16-utf8",
        "utf16-latin1",
        "utf16-cp1250",
        "utf16",
        "utf16-alias",
        "cp1252-utf8",
        "cp1252",
    ],
)
def test_a_file_not_in_its_encoding_says_which_to_pass(
    tmp_path: Path, content: bytes, encoding: str, message: str | None
) -> None:
    from spiders.import_rows import ImportFileError, check_decodable, check_encoding

    path = tmp_path / "export.csv"
    path.write_bytes(content)
    if message is None:
        check_decodable(path, check_encoding(encoding))
        return
    with pytest.raises(ImportFileError) as raised:
        check_decodable(path, check_encoding(encoding))
    assert message in str(raised.value)
    if "UTF-16" in message:
        assert str(raised.value).endswith("pass --encoding utf-16")


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
    assert "1 new review" in result.stdout, result.stderr


def _import(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("import", name, *args, cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'x.db'}")


def _stored_texts(tmp_path: Path) -> list[str]:
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as session:
        texts = [r.text or "" for r in session.exec(select(Review).order_by(Review.id)).all()]  # type: ignore[arg-type]
    engine.dispose()
    return texts


def test_broken_rows_are_rejected_by_line_and_never_merged(tmp_path: Path) -> None:
    huge = "x" * (MAX_LINE_CHARS + 10)
    (tmp_path / "r.csv").write_text(
        "id,text,rating,best_rating\n"
        "a,Good coffee and quick delivery,5,5\n"
        'b,"Unterminated quote here,4,5\n'
        "c,The grinder broke after a week,1,5\n"
        "d,Too many fields,3,5,surplus\n"
        f"e,{huge},3,5\n"
        "f,Zero scale,3,0\n"
        "g,Negative scale,3,-5\n"
        "h,Huge number,1e400,5\n"
        "i,Fine again at the end,4,5\n",
        encoding="utf-8",
    )
    result = _import(tmp_path, "r.csv", "--company", "A", "--new-company")
    assert result.returncode == 1, result.stderr
    assert "9 rows, 3 new reviews" in result.stdout, result.stdout
    for expected in (
        "line 3: unterminated",
        "line 5: 5 fields, the header has 4 (extra: 'surplus')",
        f"line 6: line longer than {MAX_LINE_CHARS:,} characters",
        "line 7: best rating '0' must be above 0",
        "line 8: best rating '-5' must be above 0",
        "line 9: rating '1e400': exponent form",
    ):
        assert expected in result.stdout, result.stdout
    # The row after the unterminated quote is stored on its own, not swallowed.
    assert _stored_texts(tmp_path) == [
        "Good coffee and quick delivery",
        "The grinder broke after a week",
        "Fine again at the end",
    ]


def test_doubled_quotes_after_the_sniffed_sample_are_read(tmp_path: Path) -> None:
    """csv.Sniffer decides from the first 4 KB whether quotes are doubled; a file whose first
    doubled quote comes later (a multi-paragraph review quoting someone) lost those rows."""
    import csv

    plain = [f"Plain review number {n} about the grinder and the delivery." for n in range(120)]
    quoted = 'First paragraph.\n\nHe said "never again", and I agree: ""no"".'
    with (tmp_path / "q.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "rating"])
        writer.writerows([text, 4] for text in plain)
        writer.writerow([quoted, 1])
        writer.writerow(["The last one, after the quoted row.", 5])
    result = _import(tmp_path, "q.csv", "--company", "A", "--new-company")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "122 rows, 122 new reviews" in result.stdout, result.stdout
    stored = _stored_texts(tmp_path)
    assert any("never again" in text and '""no""' in text for text in stored), stored


def test_jsonl_nesting_and_nested_values_are_row_errors(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "r.jsonl").write_text(
        json.dumps({"text": "Fine coffee", "rating": 5})
        + "\n"
        + deep
        + "\n"
        + '{"text": '
        + "[" * 100_000
        + "]" * 100_000
        + "}\n"
        + json.dumps({"text": {"nested": "x"}})
        + "\n"
        + '{"text": "Long number", "rating": '
        + "9" * 5000
        + "}\n",
        encoding="utf-8",
    )
    result = _import(tmp_path, "r.jsonl", "--company", "A", "--new-company")
    assert result.returncode == 1, result.stderr
    assert "5 rows, 1 new review" in result.stdout
    assert "line 2: " in result.stdout and "line 3: JSON nested too deep" in result.stdout
    assert "line 4: text: a value must be text or a number" in result.stdout
    assert "line 5: a number of more than 4,300 digits" in result.stdout


def test_company_must_exist_or_be_new(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("text,rating\nGood,5\n", encoding="utf-8")
    assert _import(tmp_path, "r.csv", "--company", "Café Lumière", "--new-company").returncode == 0
    misspelt = _import(tmp_path, "r.csv", "--company", "Cafe Lumire")
    assert misspelt.returncode == 2
    assert "no company 'Cafe Lumire'" in misspelt.stderr
    assert "similar: 'Café Lumière'" in misspelt.stderr
    assert "--new-company" in misspelt.stderr
    unaccented = _import(tmp_path, "r.csv", "--company", "Cafe Lumiere", "--new-company")
    assert unaccented.returncode == 2  # the same company written without accents: not a new one
    assert "but 'Café Lumière' is" in unaccented.stderr and "use that name" in unaccented.stderr
    empty = _import(tmp_path, "r.csv", "--company", "")
    assert empty.returncode == 2 and "--company is empty" in empty.stderr
    assert len(_stored_texts(tmp_path)) == 1


def test_unknown_columns_are_named(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("text,ratng,colour\nGood,5,red\n", encoding="utf-8")
    result = _import(tmp_path, "r.csv", "--company", "A", "--new-company")
    assert result.returncode == 2
    assert "unknown columns 'ratng', 'colour'" in result.stderr
    assert "'ratng' -> 'rating'" in result.stderr


def test_duplicate_id_with_other_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,text,rating\nr1,Good coffee,5\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(
        "id,text,rating\nr1,Good coffee,5\nr1,Changed my mind: bad coffee,1\nr2,Other,4\n",
        encoding="utf-8",
    )
    assert _import(tmp_path, "a.csv", "--company", "A", "--new-company").returncode == 0
    dry = _import(tmp_path, "b.csv", "--company", "A", "--dry-run")
    assert "dry run, nothing written" in dry.stdout
    assert "3 rows, 1 new review would be stored" in dry.stdout, dry.stdout
    assert "1 already stored, 1 rejected" in dry.stdout
    assert "line 3: id 'r1' is on an earlier line of the file with another text" in dry.stdout
    assert _stored_texts(tmp_path) == ["Good coffee"]
    real = _import(tmp_path, "b.csv", "--company", "A")
    assert "3 rows, 1 new review, 1 already stored, 1 rejected" in real.stdout, real.stdout
    assert "line 3: id 'r1' is on an earlier line of the file with another text" in real.stdout
    assert _stored_texts(tmp_path) == ["Good coffee", "Other"]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("text,rating\nGood,5\nBad,1\n", encoding="utf-8")
    open_database(f"sqlite:///{tmp_path / 'x.db'}").dispose()  # an empty database
    size = (tmp_path / "x.db").stat().st_size
    dry = _import(tmp_path, "r.csv", "--company", "New Co", "--new-company", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "2 new reviews would be stored (for a new company 'New Co')" in dry.stdout
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as session:
        assert session.exec(select(Company)).all() == []
        assert session.exec(select(Review)).all() == []
    engine.dispose()
    assert (tmp_path / "x.db").stat().st_size == size


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--encoding", "bogus"), "unknown encoding 'bogus'"),
        (("--encoding", ""), "unknown encoding ''"),  # was read as utf-8 and stored
        (("--encoding", " "), "unknown encoding ' '"),
        (("--kind", "photos"), "use reviews or offers"),
    ],
)
def test_bad_options_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "r.csv").write_text("text,rating\nGood,5\n", encoding="utf-8")
    result = _import(tmp_path, "r.csv", "--company", "A", "--new-company", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.db"))  # refused before a database is created


def test_absurd_offer_prices_are_rejected_by_line(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text(
        f"product,price,currency\nA,{'9' * 5000},EUR\nB,1e400,EUR\nC,2E3,EUR\nD,19.99,EUR\n",
        encoding="utf-8",
    )
    result = _import(tmp_path, "o.csv", "--company", "A", "--new-company")
    assert result.returncode == 1, result.stderr
    assert "4 rows, 1 new offer observation" in result.stdout, result.stdout
    assert "line 3: price '1e400': exponent form" in result.stdout
    assert "line 4: price '2E3': exponent form" in result.stdout
    assert "line 2: price '999" in result.stdout and ": absurd magnitude" in result.stdout


def test_a_clean_file_exits_0_and_a_file_of_only_bad_rows_says_why(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_text("text,rating\nGood,5\nBad,1\n", encoding="utf-8")
    assert _import(tmp_path, "good.csv", "--company", "A", "--new-company").returncode == 0
    # The header names 'text', but no row has the header's width: the error says which line
    # and why, instead of claiming that the columns are wrong.
    (tmp_path / "short.csv").write_text("text,rating,region\nGood,5\n", encoding="utf-8")
    result = _import(tmp_path, "short.csv", "--company", "A")
    assert result.returncode == 2
    assert "no row could be read (line 2: 2 fields, the header has 3)" in result.stderr


@pytest.mark.parametrize(
    ("piped", "code", "said"),
    [
        ("text,rating\nGreat coffee,5\nBitter,1\n", 0, "standard input: 2 rows, 2 new reviews"),
        ("text\trating\nGreat coffee\t5\n", 0, "standard input: 1 row, 1 new review"),
        ('\ufeff\n{"text": "Bra kaffe", "rating": 5}\n', 0, "standard input: 1 row, 1 new"),
        ('{"text": "Bra kaffe"}\n{"rating": 2}\n', 1, "line 2: text is empty"),
        ('[{"text": "Bra kaffe"},\n {"text": "God", "rating": 4}]', 0, "2 rows, 2 new"),
        ("a,b\n1,2\n", 2, "cannot tell whether standard input holds reviews"),
        ("", 2, "standard input has no header line"),
    ],
)
def test_import_dash_reads_standard_input(tmp_path: Path, piped: str, code: int, said: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    args = ("import", "-", "-c", "Nordlys", "--own", "--new-company")
    done = run_cli(*args, cwd=tmp_path, db_url=url, stdin=piped)
    assert done.returncode == code, done.stderr
    assert said in done.stdout + done.stderr
    assert "rivalscope-stdin-" not in done.stdout + done.stderr  # the spool is no file to fix
    assert not (tmp_path / "-").exists()
    if code == 0:  # piped again: nothing new, as for a file
        again = run_cli(*args, cwd=tmp_path, db_url=url, stdin=piped)
        assert "0 new reviews" in again.stdout, again.stderr


def test_import_dash_from_a_terminal_says_to_pipe_rows(tmp_path: Path) -> None:
    from rivalscope.commands.importer import _readable

    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    with (
        pytest.raises(typer.BadParameter, match="nothing is piped in"),
        _readable(Path("-"), Terminal()),
    ):
        pass


def test_a_company_name_with_brackets_is_printed_as_written(tmp_path: Path) -> None:
    """rich markup in a name ("[/]") stopped the summary line with a traceback."""
    path = tmp_path / "reviews.csv"
    path.write_text('text,rating\n"Great coffee, fast delivery",5\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for extra in (["--dry-run"], []):
        done = run_cli(
            "import", str(path), "-c", "[/]", "--new-company", *extra, cwd=tmp_path, db_url=url
        )
        assert done.returncode == 0, done.stderr
        assert "'[/]'" in done.stdout or "1 new review" in done.stdout, done.stdout
        assert "Traceback" not in done.stderr


def test_a_spreadsheets_polish_export_is_read_whole(pg_url: str, tmp_path: Path) -> None:
    """As a spreadsheet saves it in Poland: cp1250, ';' between cells, decimal commas, dotted
    dates, Polish headers, a text over two lines, and an empty row (";;;;"), which was
    rejected as a review without text: exit 1 for a file whose every review was read."""
    rows = [
        "Treść;Ocena;Data;Produkt;Autor",
        "Świetna kawa, szybka dostawa. Polecam!;4,5;05.12.2025;Kawa 1 kg;Jan Kowalski",
        ";;;;",
        '"Źle zapakowane,\r\nziarna rozsypane.";1;06.12.2025;Kawa mielona;Anna',
        ";;;;",
    ]
    (tmp_path / "opinie.csv").write_bytes("\r\n".join(rows).encode("cp1250") + b"\r\n")
    columns = ("text=Treść", "rating=Ocena", "date=Data", "product=Produkt", "author=Autor")
    args = [arg for column in columns for arg in ("--column", column)]
    result = run_cli(
        "import", "opinie.csv", "-c", "Kawa Mistrz", "--new-company", "--encoding", "cp1250",
        *args, cwd=tmp_path, db_url=pg_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 rows, 2 new reviews, 0 already stored, 0 rejected" in result.stdout
    engine = open_database(pg_url)
    with Session(engine) as session:
        stored = session.exec(select(Review.rating, Review.published).order_by(Review.rating)).all()
    engine.dispose()
    assert [(r, str(d)) for r, d in stored] == [(1.0, "2025-12-06"), (4.5, "2025-12-05")]


def test_numeric_dates_take_their_order_from_the_language_hint(tmp_path: Path) -> None:
    """A French export writes 05/12/2025 for 5 December: --language fr says so (as a
    source's language does for a crawl); a day no calendar has is no ambiguity. Dates whose
    order only the hint tells (no date of the file puts a day above 12 first) are refused
    without it."""
    (tmp_path / "avis.csv").write_text(
        "text;rating;date\nCafé correct;3;05/12/2025\nTrès bon;5;06/11/2025\nBof;2;31/02/2025\n",
        encoding="utf-8",
    )
    without = _import(tmp_path, "avis.csv", "--company", "A", "--new-company")
    assert "line 2: date '05/12/2025' is ambiguous (day/month order): pass --language" in (
        without.stdout
    )
    assert "line 4: date '31/02/2025' is not a date" in without.stdout
    hinted = _import(tmp_path, "avis.csv", "--company", "A", "--language", "fr")
    assert "3 rows, 2 new reviews, 0 already stored, 1 rejected" in hinted.stdout
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as session:
        day = session.exec(select(Review.published).where(Review.text == "Café correct")).one()
    engine.dispose()
    assert str(day) == "2025-12-05"


@pytest.mark.parametrize(
    ("dates", "stored", "said"),
    [
        # a day above 12 first: the file writes the day first, and so are its other dates
        (["05/12/2025", "25/12/2025", "06/11/2025"], ["2025-12-05", "2025-12-25", "2025-11-06"],
         "the file's dates write the day first (as in '25/12/2025')"),
        (["12/05/2025", "12/25/2025"], ["2025-12-05", "2025-12-25"],
         "the file's dates write the month first (as in '12/25/2025')"),
        # no date could be either (dotted dates are day first anyway): nothing to say
        (["05.12.2025", "25.12.2025"], ["2025-12-05", "2025-12-25"], "2 new reviews"),
        (["25/12/2025", "26/12/2025"], ["2025-12-25", "2025-12-26"], "2 new reviews"),
        # both orders in one file: nothing tells, the ambiguous date is refused
        (["05/12/2025", "25/12/2025", "12/26/2025"], ["2025-12-25", "2025-12-26"],
         "line 2: date '05/12/2025' is ambiguous"),
    ],
)  # fmt: skip
def test_numeric_dates_take_their_order_from_the_file_s_own_dates(
    tmp_path: Path, dates: list[str], stored: list[str], said: str
) -> None:
    """Met by a QA walk: a French review tool's export, 01/09/2026 to 28/11/2026, imported
    without --language, stored its 13th to 31st of each month and refused the rest (21 of
    41 rows) as ambiguous, though its own dates showed the day first."""
    rows = "".join(f"Avis {i};4;{day}\n" for i, day in enumerate(dates))
    (tmp_path / "avis.csv").write_text("text;rating;date\n" + rows, encoding="utf-8")
    done = _import(tmp_path, "avis.csv", "--company", "A", "--new-company")
    assert said in " ".join(done.stdout.split()), done.stdout
    assert ("the file's dates write" in done.stdout) == said.startswith("the file's"), done.stdout
    assert done.returncode == (0 if len(stored) == len(dates) else 1), done.stdout
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as session:
        days = session.exec(select(Review.published).order_by(Review.id)).all()  # type: ignore[arg-type]
    engine.dispose()
    assert [str(day) for day in days] == stored


@pytest.mark.parametrize(
    ("currency", "said"),
    [
        ("zł", None),  # a sign, as a Polish shop system exports it: PLN
        ("pln", None),
        ("kr", "line 2: currency 'kr' is written by several currencies (DKK, ISK, NOK, SEK)"),
        ("EURO", "line 2: currency 'EURO' is not a currency code"),
    ],
)
def test_a_currency_column_takes_a_sign_or_says_which_code(
    tmp_path: Path, currency: str, said: str | None
) -> None:
    (tmp_path / "ceny.csv").write_text(
        f"product;price;currency\nKawa;49,99;{currency}\n", encoding="utf-8"
    )
    result = _import(tmp_path, "ceny.csv", "--company", "A", "--new-company")
    if said is None:
        assert result.returncode == 0, result.stdout
        engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
        with Session(engine) as session:
            stored = session.exec(select(OfferObservation.currency)).all()
        engine.dispose()
        assert stored == ["PLN"]
    else:
        assert result.returncode == 1 and said in result.stdout, result.stdout


def test_a_json_export_holding_one_array_is_read_object_by_object(tmp_path: Path) -> None:
    """Most tools export JSON as one array, pretty-printed: it was refused whole ("line 1:
    not valid JSON"), as if only JSON lines were JSON. Bad objects are rejected by the line
    they start on; a syntax error ends the reading there, the rows before it kept."""
    rows = [
        {"Kommentar": "Veldig god kaffe", "Vurdering": "8/10", "Dato": "5. desember 2025"},
        {"Kommentar": "Grei nok", "Vurdering": 3, "Dato": "2025-12-04T10:00:00+01:00"},
        {"Kommentar": {"nested": 1}},
        {"Kommentar": "Rask levering", "Vurdering": 4},
    ]
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    (tmp_path / "eksport.json").write_text("\ufeff" + text, encoding="utf-8")
    args = ("--column", "text=Kommentar", "--column", "rating=Vurdering", "--column", "date=Dato")
    first = _import(tmp_path, "eksport.json", "-c", "Nordlys", "--new-company", *args)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "4 rows, 3 new reviews, 0 already stored, 1 rejected" in first.stdout
    assert "line 12: text: a value must be text or a number" in first.stdout
    again = _import(tmp_path, "eksport.json", "-c", "Nordlys", *args)
    assert "4 rows, 0 new reviews, 3 already stored, 1 rejected" in again.stdout
    broken = text.replace('"Grei nok",', '"Grei nok"')  # a comma lost by hand
    (tmp_path / "broken.json").write_text(broken, encoding="utf-8")
    cut = _import(tmp_path, "broken.json", "-c", "Nordlys", *args)
    assert cut.returncode == 1, cut.stdout + cut.stderr
    assert "2 rows, 0 new reviews, 1 already stored, 1 rejected" in cut.stdout
    assert "line 7: not valid JSON (Expecting ',' delimiter at line 9, column 5)" in cut.stdout


@pytest.mark.parametrize("form", ["lines", "array"])
def test_reading_a_json_file_holds_one_row_not_the_file(tmp_path: Path, form: str) -> None:
    """Memory stays flat whatever the file's size: JSON lines kept every line read (238 MB
    peak for a 67 MB file, against 127 MB once let go; the CSV reader let them go)."""
    import tracemalloc

    from spiders.import_rows import read_rows

    row = {"text": "Veldig god kaffe og rask levering. " * 5, "rating": 4}
    rows = (json.dumps({**row, "id": f"r{n}"}) for n in range(60_000))
    path = tmp_path / ("big.jsonl" if form == "lines" else "big.json")
    joined = "\n".join(rows) if form == "lines" else "[\n" + ",\n".join(rows) + "\n]"
    path.write_text(joined, encoding="utf-8")
    assert path.stat().st_size > 12_000_000
    tracemalloc.start()
    try:
        read = sum(1 for _ in read_rows(path, "utf-8", ("text", "rating", "id")))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == 60_000
    assert peak < 8_000_000, peak  # measured: 2.1 MB (lines), 5.3 MB (array)


def test_a_utf16_export_is_read_without_naming_its_encoding(tmp_path: Path) -> None:
    """Excel's "Unicode text" (UTF-16, tab-separated .txt): its byte-order mark says the
    encoding, which the import asked to be passed (exit 2); a named one is still obeyed."""
    text = "text\trating\tdate\nŚwietna kawa\t4,5\t05.12.2025\nBardzo dobra\t★★★★☆\t2025-12-04\n"
    (tmp_path / "opinie.txt").write_bytes(text.encode("utf-16"))
    read = _import(tmp_path, "opinie.txt", "-c", "Kawa", "--new-company")
    assert read.returncode == 0, read.stdout + read.stderr
    assert "2 rows, 2 new reviews" in read.stdout
    named = _import(tmp_path, "opinie.txt", "-c", "Kawa", "--encoding", "utf-8")
    assert named.returncode == 2 and "pass --encoding utf-16" in named.stderr


@pytest.mark.parametrize(
    "directive",
    ["sep=;", "\ufeffsep=;", '"sep=;"', "SEP=;"],
    ids=["plain", "bom", "quoted", "upper"],
)
def test_excels_sep_line_names_the_delimiter(tmp_path: Path, directive: str) -> None:
    """Excel's first line "sep=;" (written by shop systems so that Excel splits the cells)
    was read as the header: "its columns are 'sep=;'", exit 2."""
    rows = "text;rating;date\r\nBardzo dobra kawa;4,5;05.12.2025\r\nŚrednia;3;06.12.2025\r\nzła\r\n"
    (tmp_path / "opinie.csv").write_text(f"{directive}\r\n{rows}", encoding="utf-8")
    result = _import(tmp_path, "opinie.csv", "-c", "Kawa", "--new-company")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "3 rows, 2 new reviews, 0 already stored, 1 rejected" in result.stdout
    assert "line 5: 1 fields, the header has 3" in result.stdout


@pytest.mark.parametrize("name", ["opinie.csv", "opinie.jsonl"])
def test_a_decomposed_header_is_the_column_typed_composed(tmp_path: Path, name: str) -> None:
    """A header saved decomposed (NFD, as macOS tools write it) against --column typed
    composed: "has no column 'treść'; its columns are 'treść', 'ocena'", exit 2."""
    import unicodedata

    column = unicodedata.normalize("NFD", "Treść")
    body = (
        f"{column};Ocena\nDobra kawa;5\n"
        if name.endswith(".csv")
        else json.dumps({column: "Dobra kawa", "Ocena": 5}) + "\n"
    )
    (tmp_path / name).write_text(body, encoding="utf-8")
    args = ("--column", "text=Treść", "--column", "rating=Ocena")
    result = _import(tmp_path, name, "-c", "Kawa", "--new-company", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 row, 1 new review" in result.stdout


@pytest.mark.parametrize(
    "rows",
    [
        '{"text": "Veldig god kaffe", "rating": 5}\n{"text": "Grei", "rating": 3}\n',
        '[{"text": "Veldig god kaffe", "rating": 5},\n {"text": "Grei", "rating": 3}]\n',
    ],
    ids=["lines", "array"],
)
def test_utf16_json_on_standard_input_is_json(tmp_path: Path, rows: str) -> None:
    """The format of piped rows is their first character's: after UTF-16's byte-order mark
    it was the mark's first byte, so UTF-16 JSON was read as CSV ("has no column")."""
    import os
    import sys

    env = {**os.environ, "RIVALSCOPE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "rivalscope", "import", "-", "-c", "N", "--new-company"],
        cwd=tmp_path, env=env, input=rows.encode("utf-16"), capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert b"standard input: 2 rows, 2 new reviews" in done.stdout


@pytest.mark.parametrize(
    ("header", "kind"),
    [("text,rating,date", "reviews"), ("product;price;currency", "offer observations")],
)
def test_a_header_without_rows_imports_nothing_and_exits_0(
    tmp_path: Path, header: str, kind: str
) -> None:
    # A nightly export with nothing new: its kind is read off the header, as with --kind.
    # Was exit 2: "cannot tell whether ... holds reviews (needs a 'text' column)" of a file
    # whose header has one.
    (tmp_path / "new.csv").write_text(header + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = run_cli("import", "new.csv", "-c", "Shop", "--new-company", cwd=tmp_path, db_url=db)
    assert result.returncode == 0, result.stderr
    assert f"0 rows, 0 new {kind}" in " ".join(result.stdout.split()), result.stdout


def test_an_empty_json_array_says_it_holds_no_row(tmp_path: Path) -> None:
    (tmp_path / "new.json").write_text("[]\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = run_cli("import", "new.json", "-c", "Shop", "--new-company", cwd=tmp_path, db_url=db)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: new.json holds no row: nothing to import (with --kind, it imports no row)"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_says_which_encoding_to_pass(
    tmp_path: Path, codec: str
) -> None:
    # A tool's "Unicode" export without the mark decoded as UTF-8 without an error: the
    # import then said it could not tell the kind of a file of columns 't\x00e\x00x\x00t'
    rows = 'text,rating\n"Très bon café, livraison rapide",5\n'
    (tmp_path / "export.csv").write_bytes(rows.encode(codec))
    db = f"sqlite:///{tmp_path / 'r.db'}"
    args = ("import", "export.csv", "-c", "Shop", "--new-company")
    refused = run_cli(*args, cwd=tmp_path, db_url=db)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "error: export.csv looks like UTF-16 text without a byte-order mark (every other "
        f"byte is 0), not utf-8: pass --encoding {codec}"
    )
    imported = run_cli(*args, "--encoding", codec, cwd=tmp_path, db_url=db)
    assert imported.returncode == 0, imported.stderr
    assert "1 new review" in imported.stdout


@pytest.mark.parametrize("tail", ["", "\n", ',\n  {"text": "Rask levering", "rating": 4}\n'])
def test_a_json_array_cut_short_is_not_read_as_whole(tmp_path: Path, tail: str) -> None:
    """A JSON export cut short after a whole object (no closing "]": an interrupted download)
    was imported as complete, exit 0 (found by user-audit3): now the rows read are kept and a
    rejected row says the file ends early, so the import exits 1."""
    text = '[\n  {"text": "Veldig god kaffe", "rating": 5}' + tail
    (tmp_path / "cut.json").write_text(text, encoding="utf-8")
    cut = _import(tmp_path, "cut.json", "-c", "Nordlys", "--new-company")
    assert cut.returncode == 1, cut.stdout + cut.stderr
    assert "closing ']' (cut short?)" in cut.stdout, cut.stdout
    whole = text + "]\n"
    (tmp_path / "whole.json").write_text(whole, encoding="utf-8")
    assert _import(tmp_path, "whole.json", "-c", "Nordlys").returncode == 0


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('[{"text": "a"} {"text": "b"}]', "Expecting ',' delimiter at line 1, column 16"),
        ('[\n  {"text": "a"}\n  {"text": "b"}\n]', "Expecting ',' delimiter at line 3, column 3"),
        ('[{"text": "a"},, {"text": "b"}]', "Expecting value at line 1, column 16"),
        ('[, {"text": "a"}]', "Expecting value at line 1, column 2"),
        ('[{"text": "a"},\n]', "Expecting value at line 2, column 1"),
    ],
)
def test_json_array_objects_are_parted_by_one_comma(
    tmp_path: Path, text: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`[{"a":1} {"a":2}]` (a comma lost between objects) was read as two rows, exit 0,
    and ",," or a leading or trailing comma passed too: json refuses them all. The error
    says the line and column, as for any other syntax error in the array (found by
    user-audit5); the column counts right when the buffer is let go in chunks."""
    import spiders.import_rows
    from spiders.import_rows import BadRow, read_rows

    monkeypatch.setattr(spiders.import_rows, "CHUNK", 4)
    path = tmp_path / "rows.json"
    path.write_text(text, encoding="utf-8")
    *_, (_, last) = read_rows(path, "utf-8", ("text", "rating"))
    assert isinstance(last, BadRow), last
    assert last.reason == f"not valid JSON ({why}); the array is not read past it"
    result = _import(tmp_path, "rows.json", "-c", "Nordlys", "--new-company")
    said = result.stdout + result.stderr  # exit 2 when no row comes before it (no kind)
    assert result.returncode in (1, 2) and f"({why})" in said, said


@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_an_unknown_field_is_offered_only_a_close_name(tmp_path: Path, form: str) -> None:
    """An offer file's 'rating' was met with "did you mean 'rating' -> 'gtin'?" (difflib's
    ratio 0.6, its default cutoff): a name is suggested only when it is close (found by
    user-audit5)."""
    for name, hint in (("rating", None), ("pric", "'pric' -> 'price'")):
        path = tmp_path / f"offers.{form}"
        if form == "csv":
            path.write_text(f"product,price,{name}\nMocca,5 EUR,4\n", encoding="utf-8")
        else:
            path.write_text(json.dumps({"product": "Mocca", "price": "5 EUR", name: 4}) + "\n")
        result = _import(tmp_path, path.name, "-c", "Nordlys", "--new-company", "--kind", "offers")
        said = result.stdout + result.stderr
        assert result.returncode == 2 and f"unknown field '{name}'" in said.replace(
            "column", "field"
        ), said
        if hint is None:
            assert "did you mean" not in said, said
        else:
            assert f"(did you mean {hint}?)" in said, said


def test_a_control_character_in_a_json_array_is_said_once(tmp_path: Path) -> None:
    """json's own message ends with "at": the row read "Invalid control character at at
    line 1" (found by user-audit3)."""
    from spiders.import_rows import BadRow, read_rows

    path = tmp_path / "ctrl.json"
    path.write_text('[{"text": "line one\nline two", "rating": 4}]', encoding="utf-8")
    ((_, row),) = read_rows(path, "utf-8", ("text", "rating"))
    assert isinstance(row, BadRow) and "at at" not in row.reason, row
    assert "Invalid control character at line 1" in row.reason, row


def test_a_cut_json_line_is_said_once(tmp_path: Path) -> None:
    """JSON lines too: a file cut short ended in "Unterminated string starting at at column
    10" (found by user-audit4)."""
    from spiders.import_rows import BadRow, read_rows

    path = tmp_path / "cut.jsonl"
    path.write_text('{"text": "fine", "rating": 4}\n{"text": "cut sh', encoding="utf-8")
    *_, (number, row) = read_rows(path, "utf-8", ("text", "rating"))
    assert isinstance(row, BadRow) and number == 2, row
    assert row.reason == "not valid JSON (Unterminated string starting at column 10)", row


def test_a_dry_run_refuses_a_second_own_company_as_the_import_does(tmp_path: Path) -> None:
    """`import --dry-run --own` for a competitor said "3 new reviews would be stored" (exit
    0) while the import itself refused it: another company is the own one (found by
    user-audit3)."""
    (tmp_path / "r.csv").write_text("text,rating\nVeldig god kaffe,5\n", encoding="utf-8")
    assert _import(tmp_path, "r.csv", "-c", "Nordlys", "--own", "--new-company").returncode == 0
    for dry in (("--dry-run",), ()):
        args = ("-c", "Rival", "--own", "--new-company", *dry)
        refused = _import(tmp_path, "r.csv", *args)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "'Nordlys' is already the own company" in refused.stderr, refused.stderr


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_tells_its_progress_row_by_row(tmp_path: Path, dry_run: bool) -> None:
    """A file of millions of rows said nothing for minutes until its summary: the import
    tells what it does and how many rows it has read, every 1,000 rows of each pass over
    the whole file (`rivalscope import` redraws it on a terminal; found by user-audit4)."""
    from spiders.file_import import import_file

    path = tmp_path / "many.csv"
    rows = (f"r{i},Review {i} of a grinder,{1 + i % 5},en" for i in range(2500))
    path.write_text("id,text,rating,language\n" + "\n".join(rows) + "\n", encoding="utf-8")
    told: list[tuple[str, int]] = []
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        report = import_file(
            engine,
            path,
            company="Nordlys",
            new_company=True,
            dry_run=dry_run,
            on_rows=lambda doing, read: told.append((doing, read)),
        )
    finally:
        engine.dispose()
    assert report.rows == 2500 and report.stored == 2500, report
    doing = "checking rows (dry run)" if dry_run else "importing rows"
    assert told == [
        ("checking the ratings' scale", 1000),
        ("checking the ratings' scale", 2000),
        (doing, 1000),
        (doing, 2000),
    ]

"""``import --column NAME=COLUMN``: exports with their own headers ("Kommentar", "Review
Content") are read without rewriting the file; every mistake is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from spiders.file_import import import_file
from spiders.import_rows import ImportFileError
from storage.db import open_database
from storage.models import Review
from tests.cli import run_cli

NORWEGIAN_EXPORT = (
    "Dato;Vurdering;Kommentar;Produkt\r\n"
    "03.11.2026;5;Rask levering og god kundeservice!;Kaffekvern K2\r\n"
    "04.11.2026;2;Maskinen lekker vann etter to uker. Skuffet.;Espressomaskin\r\n"
)
NORWEGIAN_COLUMNS = {
    "kommentar": "text",
    "vurdering": "rating",
    "dato": "date",
    "produkt": "product",
}


def test_a_csv_with_its_own_headers_is_read_through_column(tmp_path: Path) -> None:
    path = tmp_path / "eksport.csv"
    path.write_bytes(NORWEGIAN_EXPORT.encode("cp1252"))
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    report = import_file(
        engine, path, company="Nordlys", new_company=True, encoding="cp1252",
        renamed={"Kommentar": "text", "VURDERING": "rating", "dato": "date", "Produkt": "product"},
    )  # fmt: skip
    assert (report.kind, report.stored, report.rejected) == ("reviews", 2, 0)
    with Session(engine) as session:
        rows = session.exec(select(Review).order_by(Review.rating)).all()
    assert [(r.text[:8], r.rating) for r in rows] == [("Maskinen", 2.0), ("Rask lev", 5.0)]
    assert [str(r.published) for r in rows] == ["2026-11-04", "2026-11-03"]


def test_json_lines_keys_are_renamed_and_rows_may_leave_them_out(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    lines = [{"Review Content": "Great grinder", "Review Stars": 5}, {"Review Content": "Meh"}]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    report = import_file(
        engine, path, company="Rival", new_company=True,
        renamed={"review content": "text", "review stars": "rating"},
    )  # fmt: skip
    assert (report.stored, report.rejected) == (2, 0)


@pytest.mark.parametrize(
    ("header", "renamed", "message"),
    [
        # A column the file does not have: the file's columns are listed.
        ("Kommentar;Vurdering", {"komentar": "text"},
         "has no column 'komentar' (--column); its columns are 'kommentar', 'vurdering'"),
        # Ours and a renamed one would both be "text".
        ("text;Kommentar", {"kommentar": "text"}, "column 'text' appears twice"),
    ],
)  # fmt: skip
def test_column_mistakes_in_the_file_are_refused_before_any_row(
    tmp_path: Path, header: str, renamed: dict[str, str], message: str
) -> None:
    path = tmp_path / "eksport.csv"
    path.write_text(f"{header}\nGod kaffe;5\n", encoding="utf-8")
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_file(engine, path, company="Rival", new_company=True, kind="reviews",
                    renamed=renamed)  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "its columns are 'dato', 'vurdering', 'kommentar', 'produkt': name them with "
             "--column"),
        (["--column", "Kommentar"], "write NAME=COLUMN"),
        (["--column", "txt=Kommentar"], "'txt' is not a column rivalscope reads"),
        (["--column", "text=Kommentar", "--column", "text=Produkt"], "renames a column twice"),
    ],
)  # fmt: skip
def test_the_command_says_how_to_name_columns(
    tmp_path: Path, options: list[str], message: str
) -> None:
    path = tmp_path / "eksport.csv"
    path.write_bytes(NORWEGIAN_EXPORT.encode("utf-8"))
    url = f"sqlite:///{tmp_path / 'x.db'}"
    done = run_cli("import", str(path), "-c", "Nordlys", "--new-company", *options,
                   cwd=tmp_path, db_url=url)  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in " ".join(done.stderr.split()), done.stderr
    assert "Traceback" not in done.stderr


def test_the_command_imports_with_columns(tmp_path: Path) -> None:
    path = tmp_path / "eksport.csv"
    path.write_bytes(NORWEGIAN_EXPORT.encode("utf-8"))
    options = [f"--column={name}={column}" for column, name in NORWEGIAN_COLUMNS.items()]
    url = f"sqlite:///{tmp_path / 'x.db'}"
    done = run_cli("import", str(path), "-c", "Nordlys", "--new-company", *options,
                   cwd=tmp_path, db_url=url)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 rows, 2 new reviews, 0 already stored, 0 rejected" in done.stdout


def _stored_texts(url: str) -> list[str]:
    engine = open_database(url)
    try:
        with Session(engine) as session:
            return sorted(r.text for r in session.exec(select(Review)).all())
    finally:
        engine.dispose()


@pytest.mark.parametrize("array", [False, True])
def test_a_json_field_we_do_not_read_is_refused_as_a_csv_column_is(
    tmp_path: Path, array: bool
) -> None:
    """A JSON export whose rows all hold a field we do not read ("reviewer") lost its first
    row ("line 1: unknown field 'reviewer'") and stored the rest without the field (found by
    qa-walk6): a CSV with that column is refused whole. Now the file is refused (exit 2,
    nothing stored) when its first row has the field, and every later row that has one is
    rejected."""
    rows = [{"id": f"a{i}", "text": text, "rating": 4, "reviewer": "Jean"}
            for i, text in enumerate(["Livraison rapide", "SAV lent", "Bien"])]  # fmt: skip
    path = tmp_path / ("reviews.json" if array else "reviews.jsonl")
    written = json.dumps(rows) if array else "".join(json.dumps(r) + "\n" for r in rows)
    path.write_text(written, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    refused = run_cli("import", str(path), "-c", "Rival", "--new-company", cwd=tmp_path,
                      db_url=url)  # fmt: skip
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "line 1: unknown field 'reviewer'" in refused.stderr
    assert "--column NAME=FIELD" in refused.stderr
    assert _stored_texts(url) == []
    mapped = run_cli("import", str(path), "-c", "Rival", "--new-company", "--column",
                     "author=reviewer", cwd=tmp_path, db_url=url)  # fmt: skip
    assert mapped.returncode == 0 and "3 new reviews" in mapped.stdout, mapped.stdout
    # the field from a later row on: each row holding it is rejected, not only the first
    del rows[0]["reviewer"]
    for row in rows:
        row["id"] += "-late"
    written = json.dumps(rows) if array else "".join(json.dumps(r) + "\n" for r in rows)
    path.write_text(written, encoding="utf-8")
    late = run_cli("import", str(path), "-c", "Rival", cwd=tmp_path, db_url=url)
    assert late.returncode == 1, late.stdout + late.stderr
    assert "3 rows, 1 new review, 0 already stored, 2 rejected" in late.stdout


def _review_tool_export(tmp_path: Path, array: bool) -> Path:
    """A review tool's export: the reviewer, the rating and the date inside objects."""
    rows = [
        {"id": "t1", "text": "Livraison rapide, très bon café.",
         "consumer": {"displayName": "Jean D.", "countryCode": "FR"},
         "rating": {"value": 4}, "dates": {"publishedDate": "2025-11-03T10:00:00Z"}},
        {"id": "t2", "text": "Kawa przyszła zimna i późno.",
         "consumer": {"displayName": "Anna", "countryCode": "PL"},
         "rating": {"value": 2}, "dates": {"publishedDate": "2025-11-04T10:00:00Z"}},
        {"id": "t3", "text": "Nobody named, no date.", "consumer": None, "rating": {"value": 5}},
    ]  # fmt: skip
    path = tmp_path / ("export.json" if array else "export.jsonl")
    written = json.dumps(rows, indent=2) if array else "".join(json.dumps(r) + "\n" for r in rows)
    path.write_text(written, encoding="utf-8")
    return path


NESTED_COLUMNS = {
    "consumer.displayName": "author",
    "Consumer.CountryCode": "region",
    "rating.value": "rating",
    "dates.publishedDate": "date",
}


@pytest.mark.parametrize("array", [False, True])
def test_a_dotted_column_reads_a_field_inside_an_object(tmp_path: Path, array: bool) -> None:
    """Nested fields (``consumer.displayName``, ``rating.value``) could not be named by
    --column: every row was refused ("consumer, dates, rating: a value must be text or a
    number"). A row without the object (or with null) leaves the field out."""
    path = _review_tool_export(tmp_path, array)
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    report = import_file(engine, path, company="Rival", new_company=True, renamed=NESTED_COLUMNS)
    assert (report.kind, report.stored, report.rejected) == ("reviews", 3, 0), report.bad
    with Session(engine) as session:
        rows = session.exec(select(Review).order_by(Review.external_id)).all()
    engine.dispose()
    assert [(r.rating, r.region, str(r.published)) for r in rows] == [
        (4.0, "FR", "2025-11-03"), (2.0, "PL", "2025-11-04"), (5.0, None, "None"),
    ]  # fmt: skip
    assert [r.author_hash is not None for r in rows] == [True, True, False]


@pytest.mark.parametrize(
    ("renamed", "message"),
    [
        # a field the object does not hold: what it holds is listed
        ({**NESTED_COLUMNS, "consumer.name": "author", "consumer.displayName": "title"},
         "--column author=consumer.name: no row holds 'consumer.name' (its 'consumer' holds "
         "'displayname', 'countrycode')"),
        # a path through a value that is no object
        ({**NESTED_COLUMNS, "text.body": "title"},
         "--column title=text.body: no row holds 'text.body' (its 'text' is 'Livraison rapide"),
        # an object none of the rows holds
        ({**NESTED_COLUMNS, "review.title": "title"},
         "--column title=review.title: no row holds 'review.title' (it holds 'id', 'text', "),
        # fields of an object left unread are named by their path, and the file refused
        ({"rating.value": "rating"},
         "line 1: unknown fields 'consumer.countrycode', 'consumer.displayname', "
         "'dates.publisheddate'; the fields read are text, rating"),
    ],
)  # fmt: skip
def test_a_dotted_column_the_rows_do_not_hold_refuses_the_file(
    tmp_path: Path, renamed: dict[str, str], message: str
) -> None:
    path = _review_tool_export(tmp_path, array=False)
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ImportFileError) as refused:
        import_file(engine, path, company="Rival", new_company=True, renamed=renamed)
    engine.dispose()
    assert message in str(refused.value), str(refused.value)


def test_an_object_named_whole_or_unread_under_our_name_says_which_fields_it_holds(
    tmp_path: Path,
) -> None:
    path = _review_tool_export(tmp_path, array=False)
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    whole = {**NESTED_COLUMNS, "consumer": "author"}
    del whole["consumer.displayName"], whole["Consumer.CountryCode"]
    report = import_file(engine, path, company="Rival", new_company=True, renamed=whole)
    assert report.rejected == 2 and report.stored == 1  # the third row's consumer is null
    assert report.bad[0] == (
        1,
        "author: a value must be text or a number ('consumer' is an object holding "
        "'consumer.displayname', 'consumer.countrycode': --column author=consumer.displayname "
        "reads one of them)",
    )
    engine.dispose()


def test_the_command_reads_dotted_columns_and_says_so_in_its_help(tmp_path: Path) -> None:
    path = _review_tool_export(tmp_path, array=True)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    options = [f"--column={name}={column}" for column, name in NESTED_COLUMNS.items()]
    done = run_cli("import", str(path), "-c", "Rival", "--new-company", *options,
                   cwd=tmp_path, db_url=url)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 rows, 3 new reviews, 0 already stored, 0 rejected" in done.stdout
    typo = run_cli("import", str(path), "-c", "Rival", "--column", "rating=rating.score",
                   *options[:2], "--column=date=dates.publishedDate", cwd=tmp_path, db_url=url)  # fmt: skip
    assert typo.returncode == 2, typo.stdout + typo.stderr
    assert "no row holds 'rating.score' (its 'rating' holds 'value')" in " ".join(
        typo.stderr.split()
    )
    # a path for the text is checked before the kind is guessed from the fields
    text_typo = tmp_path / "texts.json"
    text_typo.write_text(json.dumps([{"content": {"body": "Great coffee"}}]), encoding="utf-8")
    untold = run_cli("import", str(text_typo), "-c", "Rival", "--column", "text=content.bdy",
                     cwd=tmp_path, db_url=url)  # fmt: skip
    assert untold.returncode == 2, untold.stdout + untold.stderr
    assert "no row holds 'content.bdy' (its 'content' holds 'body')" in " ".join(
        untold.stderr.split()
    )
    helped = run_cli("import", "--help", cwd=tmp_path, db_url=url)
    assert "rating=rating.value" in " ".join(helped.stdout.split())


UNRATED_EXPORT = [  # an export whose first reviews are unrated and untitled
    {"id": "a1", "body": "Strong and fresh", "stars": None, "headline": None},
    {"id": "a2", "body": "Arrived late", "stars": None, "headline": "Slow"},
    {"id": "a3", "body": "Fine beans", "stars": None, "headline": None},
]
UNRATED_COLUMNS = {"body": "text", "stars.value": "rating", "headline": "title"}


@pytest.mark.parametrize("url_fixture", ["db_url", "pg_url"])
def test_optional_fields_null_in_every_row_are_read_as_absent_and_counted(
    tmp_path: Path, url_fixture: str, request: pytest.FixtureRequest
) -> None:
    """A rating object null in every row read refused the whole file ("--column
    rating=stars.value: no row holds 'stars.value' (null in every row read)"): the rows are
    stored without it, and the summary says how many rows lacked which field."""
    path = tmp_path / "unrated.json"
    path.write_text(json.dumps(UNRATED_EXPORT), encoding="utf-8")
    engine = open_database(request.getfixturevalue(url_fixture))
    report = import_file(engine, path, company="Rival", new_company=True, renamed=UNRATED_COLUMNS)
    with Session(engine) as session:
        rows = session.exec(select(Review).order_by(Review.external_id)).all()
        stored = [(r.rating, r.title) for r in rows]
    engine.dispose()
    assert (report.stored, report.rejected) == (3, 0), report.bad
    assert stored == [(None, None), (None, "Slow"), (None, None)]
    assert report.without == {"rating": 3, "title": 2}


def test_keys_a_json_line_leaves_out_are_counted_as_nulls_are(tmp_path: Path) -> None:
    """JSON lines where some objects lack a key the others give: the summary counted a null
    title and said nothing of a title left out; both are rows stored without one."""
    lines = [
        {"text": "Strong and fresh", "rating": 5, "title": "Good"},
        {"text": "Arrived late", "rating": 2, "title": None},
        {"text": "Fine beans", "rating": 4},
        {"text": "Bitter", "title": "Meh"},
    ]
    path = tmp_path / "sparse.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    engine = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    report = import_file(engine, path, company="Rival", new_company=True)
    engine.dispose()
    assert (report.stored, report.rejected) == (4, 0), report.bad
    assert report.without == {"title": 2, "rating": 1}
    # the key left out by every row is no field of the file: not counted
    assert "date" not in report.without


def test_the_summary_counts_rows_without_a_field_and_the_text_stays_required(
    tmp_path: Path,
) -> None:
    path = tmp_path / "unrated.json"
    path.write_text(json.dumps(UNRATED_EXPORT), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    options = [f"--column={name}={column}" for column, name in UNRATED_COLUMNS.items()]
    done = run_cli("import", str(path), "-c", "Rival", "--new-company", *options,
                   cwd=tmp_path, db_url=url)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    said = " ".join(done.stdout.split())
    assert "3 rows, 3 new reviews" in said
    assert "stored without a value (null or absent): rating in 3 rows, title in 2 rows" in said
    # the text null in every row: refused as before, saying it is required
    texts = [{"body": None, "stars": {"value": 4}}] * 2
    path.write_text(json.dumps(texts), encoding="utf-8")
    refused = run_cli("import", str(path), "-c", "Rival", "--column", "text=body.inner",
                      "--column", "rating=stars.value", cwd=tmp_path, db_url=url)  # fmt: skip
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "null in every row read; the text is required" in " ".join(refused.stderr.split())
    # one row's text null: that row is refused, the other stored
    path.write_text(json.dumps([{"body": None}, {"body": "Good"}]), encoding="utf-8")
    one = run_cli("import", str(path), "-c", "Rival", "--column", "text=body",
                  cwd=tmp_path, db_url=url)  # fmt: skip
    assert one.returncode == 1 and "line 1: text is empty" in one.stdout, one.stdout


def test_ignore_leaves_fields_we_do_not_read_unread(tmp_path: Path) -> None:
    """An export with fields rivalscope does not read had every JSON row refused ("unknown
    fields 'consumer.countrycode', 'likes'") and a CSV refused whole, with no way to read
    it but to edit the file: --ignore leaves them unread (an object with its fields)."""
    rows = [
        {"text": "Strong and fresh", "rating": 5, "likes": 3, "consumer": {"countryCode": "NO"}},
        {"text": "Arrived late", "rating": 2, "likes": None, "consumer": None},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    csv_path = tmp_path / "export.csv"
    csv_path.write_text("text,rating,Likes\nStrong and fresh,5,3\nArrived late,2,\n", "utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for file, ignored in ((path, ["likes", "consumer"]), (csv_path, ["Likes"])):
        refused = run_cli("import", str(file), "-c", "Rival", "--new-company",
                          cwd=tmp_path, db_url=url)  # fmt: skip
        assert refused.returncode == 2, refused.stdout
        assert "--ignore" in " ".join(refused.stderr.split()), refused.stderr
        options = [f"--ignore={name}" for name in ignored]
        read = run_cli("import", str(file), "-c", "Rival", "--new-company", *options,
                       cwd=tmp_path, db_url=url)  # fmt: skip
        assert read.returncode == 0, read.stdout + read.stderr
        assert "2 rows" in read.stdout and "0 rejected" in read.stdout, read.stdout
    # a field none of the rows holds is a typo: said, as for --column
    typo = run_cli("import", str(path), "-c", "Rival", "--ignore", "likez", "--ignore",
                   "consumer", cwd=tmp_path, db_url=url)  # fmt: skip
    assert typo.returncode == 2 and "--ignore likez: no row holds 'likez'" in typo.stderr
    both = run_cli("import", str(path), "-c", "Rival", "--ignore", "likes", "--column",
                   "rating=likes", cwd=tmp_path, db_url=url)  # fmt: skip
    assert both.returncode == 2 and "read with --column too" in both.stderr, both.stderr

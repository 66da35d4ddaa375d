"""Names become ASCII slugs that keep their letters: report table files and demo URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.report.blocks import Cell, Column, Row, Table
from compare.report.render_tables import write_section_tables
from compare.report.section_registry import BuiltSection
from settings.ascii_slug import ascii_slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bønhus", "bonhus"),
        ("Maison Lumière", "maison-lumiere"),
        ("Kawa Mistrz Łódź", "kawa-mistrz-lodz"),
        ("Ærlig Kaffe", "aerlig-kaffe"),
        ("Straße & Söhne", "strasse-sohne"),
        ("  --Crema   Lab--  ", "crema-lab"),
        ("Café №5", "cafe-no5"),
        ("咖啡", ""),
        ("", ""),
    ],
)
def test_names_fold_to_ascii_words(name: str, slug: str) -> None:
    assert ascii_slug(name) == slug


def test_a_name_with_no_ascii_letters_takes_the_fallback() -> None:
    assert ascii_slug("咖啡", empty="x") == "x"


def _table(key: str, value: str) -> Table:
    return Table(key, key, [Column("v", "value")], [Row({"v": Cell(value)})])


def test_two_tables_whose_names_fold_alike_get_two_files(tmp_path: Path) -> None:
    tables = [_table(f"needs_{ascii_slug(n)}", n) for n in ("Café Noir", "Cafe Noir")]
    section = BuiltSection("needs", "Needs", list(tables), "Needs", [])
    paths = write_section_tables([section], tmp_path)
    assert [p.name for p in paths] == ["needs-needs_cafe-noir.csv", "needs-needs_cafe-noir-2.csv"]
    assert [p.read_text("utf-8").splitlines()[1].split(",")[0] for p in paths] == [
        "Café Noir",
        "Cafe Noir",
    ]


def test_two_companies_whose_names_fold_alike_have_two_anchors_on_the_page(
    tmp_path: Path,
) -> None:
    """Two competitors named in another script (both fold to "x"): their needs tables were
    written to two files but headed by one HTML id, and a link to the second opened the
    first. Each heading's id now names its table as its file does."""
    import re

    from tests.cli import run_cli

    db = f"sqlite:///{tmp_path / 'r.db'}"
    wishes = {"Own Co": "a grinder", "شركة": "a timer", "مقهى": "an app"}
    for number, (company, wish) in enumerate(wishes.items()):
        rows = ["text,rating"] + [
            f"Good coffee and quick delivery. I wish it had {wish} (order {number}-{i}).,4"
            for i in range(12)
        ]
        (tmp_path / f"c{number}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        own = ("--own",) if number == 0 else ()
        done = run_cli(
            "import",
            f"c{number}.csv",
            "-c",
            company,
            "--new-company",
            *own,
            cwd=tmp_path,
            db_url=db,
        )
        assert done.returncode == 0, done.stderr
    for args in (("analyze",), ("report", "--out", "rep")):
        done = run_cli(*args, cwd=tmp_path, db_url=db)
        assert done.returncode == 0, done.stderr
    page = (tmp_path / "rep" / "report.html").read_text("utf-8")
    ids = re.findall(r' id="([^"]+)"', page)
    assert "needs-needs_x" in ids and "needs-needs_x-2" in ids, ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    files = {p.stem for p in (tmp_path / "rep" / "tables").glob("needs-*.csv")}
    assert {"needs-needs_x", "needs-needs_x-2"} <= files

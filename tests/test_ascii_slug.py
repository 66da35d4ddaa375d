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

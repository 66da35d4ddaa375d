"""Report sections are registered objects read by every renderer, and scraped text stays
inert in each format: HTML (autoescaped Jinja2), Markdown (escaped) and CSV (formula-safe)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine, func, select, text

from compare.report.blocks import Block, BulletList, Cell, Column, Paragraph, Row, Table
from compare.report.build import build_report
from compare.report.data_model import ReportData
from compare.report.render_markdown import md_escape
from compare.report.section_registry import (
    SECTIONS,
    ReportQuery,
    loaded,
    register,
    registered_sections,
)
from compare.report.stored_tables import COMPANY
from compare.report.synthetic import SyntheticPlan, populate

PLAN = SyntheticPlan(
    reviews=600,
    positive_share={("Rival A", "delivery"): 0.1, ("Own Coffee", "delivery"): 0.9},
)
NEGATIVE_DELIVERY = "Delivery was late and the box arrived damaged."
"""synthetic.py's sentence for a negative delivery opinion: the weakness's quotes."""


@pytest.fixture
def extra_section() -> Iterator[None]:
    """Registers a section the way a new one would be added, and takes it away again."""
    registered = list(registered_sections())

    def count_companies(query: ReportQuery) -> int:
        return int(query.connection.execute(select(func.count()).select_from(COMPANY)).scalar())

    def summary(data: ReportData) -> list[Block]:
        return [BulletList([f"{loaded(data, 'companies', int)} companies"])]

    @register("companies", "Companies counted", load=count_companies, summary=summary)
    def page(data: ReportData) -> list[Block]:
        count = loaded(data, "companies", int)
        return [
            Paragraph("Companies in the database."),
            Table(
                "count",
                "Company count",
                [Column("companies", "companies", numeric=True)],
                [Row({"companies": Cell(f"{count} companies", value=count)})],
            ),
        ]

    yield
    SECTIONS[:] = registered


def test_a_new_section_is_one_registered_object(
    engine: Engine, tmp_path: Path, extra_section: None
) -> None:
    populate(engine, PLAN)
    out = tmp_path / "out"
    build_report(engine, out)
    page = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    section = page.find("section", id="companies")
    assert section is not None and section.h2 is not None
    assert section.h2.get_text() == "Companies counted"
    assert "3 companies" in section.get_text()
    assert [a["href"] for a in page.select("nav a")][-1] == "#companies"
    summary = (out / "summary.md").read_text("utf-8")
    assert "## Companies counted\n\n- 3 companies\n" in summary
    with (out / "tables" / "companies-count.csv").open(encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == [{"companies": "3", "row_level": "0"}]


def test_sections_are_registered_in_page_order() -> None:
    assert [s.key for s in registered_sections()] == [
        "glance",
        "opportunities",
        "threats",
        "aspects",
        "ratings",
        "prices",
        "trends",
        "needs",
        "evidence",
        "method",
    ]


def test_a_section_key_is_registered_once() -> None:
    key = registered_sections()[0].key
    with pytest.raises(ValueError, match="registered twice"):
        register(key, "Again")(lambda data: [])
    assert [s.key for s in SECTIONS].count(key) == 1


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    '=HYPERLINK("http://x","y")',
    "@SUM(1) | *bold* [link](javascript:x) `code`",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_scraped_text_stays_inert_in_every_file(
    engine: Engine, tmp_path: Path, hostile: str
) -> None:
    populate(engine, PLAN)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE company SET name = :n WHERE name = 'Rival A'"), {"n": hostile}
        )
        connection.execute(
            text("UPDATE review_sentence SET text = :t WHERE text = :old"),
            {"t": f"{NEGATIVE_DELIVERY} {hostile}", "old": NEGATIVE_DELIVERY},
        )
    out = tmp_path / "out"
    build_report(engine, out)

    raw = (out / "report.html").read_text("utf-8")
    page = BeautifulSoup(raw, "html.parser")
    assert page.find_all("script") == [] and page.find_all("img") == []
    assert not any("onerror" in tag.attrs for tag in page.find_all(True))
    opportunities = page.find("section", id="opportunities")
    assert opportunities is not None
    assert hostile in opportunities.get_text()  # shown literally (templates not evaluated)
    assert f"{NEGATIVE_DELIVERY} {hostile}" in [q.get_text() for q in page.select("q")]
    assert "javascript:" not in " ".join(str(a.get("href")) for a in page.find_all("a"))

    summary = (out / "summary.md").read_text("utf-8")
    assert md_escape(hostile) in summary
    assert re.search(r"(?<!\\)<", summary) is None  # every < is escaped

    for path, column in (
        (out / "findings.csv", "competitor"),
        (out / "tables" / "opportunities-weaknesses.csv", "competitor"),
    ):
        with path.open(encoding="utf-8") as handle:
            names = {row[column] for row in csv.DictReader(handle)} - {"", "Rival B"}
        expected = "'" + hostile if hostile[0] in "=+-@" else hostile
        assert names == {expected}, path.name

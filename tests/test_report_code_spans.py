"""A command the report tells the reader to run (`rivalscope report --min-sample 19`) reads as
code on the page and in summary.md, not as text between literal backticks; everything else
in the sentence stays escaped."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markupsafe import Markup

from compare.report.blocks import Column, Table
from compare.report.render_markdown import _table, md_prose
from compare.report.report_templates import report_templates

HINT = (
    "9 segments <b>Rival & Co</b> too small; `rivalscope report --min-sample 19` would compare 2."
)


def _page(paragraph: str, note: str) -> BeautifulSoup:
    html = (
        report_templates()
        .get_template("report.html.j2")
        .render(
            title="t",
            meta="m",
            css=Markup(""),
            sections=[
                {
                    "key": "opportunities",
                    "title": "Opportunities",
                    "css": "",
                    "blocks": [
                        {"kind": "paragraph", "text": paragraph, "css": "lead"},
                        {
                            "kind": "table",
                            "key": "k",
                            "html_id": "opportunities-k",
                            "heading": "h",
                            "columns": [],
                            "rows": [],
                            "note": note,
                        },
                    ],
                }
            ],
        )
    )
    return BeautifulSoup(html, "html.parser")


def test_page_shows_a_command_as_code_and_keeps_the_rest_escaped() -> None:
    page = _page(HINT, "Run `rivalscope findings` & see.")
    paragraph = page.find("p", class_="lead")
    assert paragraph is not None
    assert [c.get_text() for c in paragraph.find_all("code")] == [
        "rivalscope report --min-sample 19"
    ]
    assert "`" not in paragraph.get_text()
    assert paragraph.find("b") is None and "<b>Rival & Co</b>" in paragraph.get_text()
    note = page.find("p", class_="note")
    assert note is not None and [c.get_text() for c in note.find_all("code")] == [
        "rivalscope findings"
    ]


def test_an_unpaired_backtick_stays_text() -> None:
    paragraph = _page("it`s <i>odd</i>", "").find("p", class_="lead")
    assert paragraph is not None and paragraph.find("code") is None
    assert paragraph.get_text() == "it`s <i>odd</i>"


def test_summary_keeps_a_command_as_markdown_code() -> None:
    assert md_prose(HINT) == (
        "9 segments \\<b\\>Rival & Co\\</b\\> too small; "
        "`rivalscope report --min-sample 19` would compare 2."
    )
    table = Table(
        "k", "h", [Column("a", "a")], [], note="Lower it: `rivalscope report --min-sample 5`."
    )
    assert "_Lower it: `rivalscope report --min-sample 5`._" in _table(table)


def test_an_empty_table_is_its_note_not_a_header_without_rows() -> None:
    """A table with no rows (no change had enough data) printed its column headers over
    nothing, which reads as a broken page; its heading and note say it instead."""
    page = _page("p", "No changes had enough data on both sides to be compared.")
    assert page.find("table") is None and page.find("th") is None
    assert page.find("h3", id="opportunities-k") is not None
    table = Table("k", "Complaint share", [Column("a", "company")], [], note="No changes.")
    lines = _table(table)
    assert "| company |" not in lines and "_No changes._" in lines

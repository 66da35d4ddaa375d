"""report.html: one self-contained page (inline CSS and SVG, no scripts, no network),
rendered from the registered sections by a Jinja2 template with autoescape on."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from markupsafe import Markup

from compare.report.blocks import BulletList, Chart, Paragraph, QuoteBlock, Table
from compare.report.data_model import ReportData
from compare.report.report_templates import report_templates
from compare.report.section_registry import BuiltSection, build_sections

BLOCK_KINDS = {
    Paragraph: "paragraph",
    Table: "table",
    Chart: "chart",
    QuoteBlock: "quotes",
    BulletList: "list",
}


def report_css() -> str:
    """The page's style sheet (a package file, inlined so the page stands alone)."""
    return files("compare.report").joinpath("templates/report.css").read_text(encoding="utf-8")


def _block(block: Any, section: str, ids: set[str]) -> dict[str, Any]:
    """The block's fields for the template; a table's ``html_id`` is its section's key and
    its own, as its tables/*.csv file is named, with "-2"... when another table took it (two
    companies whose names fold to one slug: one id named two headings)."""
    kind = BLOCK_KINDS[type(block)]
    fields = {"kind": kind, **vars(block)}
    if kind == "table":
        stem = html_id = f"{section}-{block.key}"
        number = 1
        while html_id in ids:
            number += 1
            html_id = f"{stem}-{number}"
        ids.add(html_id)
        fields["html_id"] = html_id
    return fields


def report_meta(data: ReportData) -> str:
    scope = data.scope
    dates = scope.dates_text()
    competitors = ", ".join(c.name for c in scope.competitors)
    return (
        f"Against {competitors} · {dates} · {data.reviews_text()} · minimum sample "
        f"{scope.min_sample} · report #{data.run_id}, {data.created_at:%Y-%m-%d %H:%M} UTC"
    )


def render_html(data: ReportData, sections: list[BuiltSection] | None = None) -> str:
    sections = build_sections(data) if sections is None else sections
    ids: set[str] = set()
    return (
        report_templates()
        .get_template("report.html.j2")
        .render(
            title=f"Competitor gap report: {data.scope.own.name}",
            meta=report_meta(data),
            css=Markup(report_css()),
            sections=[
                {
                    "key": s.key,
                    "title": s.title,
                    "css": s.css,
                    "blocks": [_block(b, s.key, ids) for b in s.blocks],
                }
                for s in sections
            ],
        )
    )

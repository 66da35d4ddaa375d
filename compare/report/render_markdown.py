"""summary.md: each section's summary blocks (at a glance, opportunities, threats, prices,
what changed, collection coverage) as Markdown, for chat or mail. Scraped text is escaped;
quotes link to their page."""

from __future__ import annotations

import re
from urllib.parse import quote as percent_encode

from compare.report.blocks import BulletList, Cell, Paragraph, Table
from compare.report.code_spans import split_code_spans
from compare.report.data_model import ReportData
from compare.report.evidence import Quote
from compare.report.section_registry import BuiltSection, build_sections
from settings.visible_text import visible_controls

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
URL_SAFE = ":/?#@!$&'*+,;=%-._~"
"""Characters kept as they are in a Markdown link target; ``(``, ``)``, spaces and ``<>`` are
percent-encoded so a scraped URL cannot end the link early."""


def md_escape(text: str) -> str:
    """Scraped text as literal Markdown (no links, emphasis, HTML or table breaks; bidi
    overrides and control characters as their codes, ``visible_controls``)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible_controls(text.replace("\n", " ")))


def md_prose(text: str) -> str:
    """The report's own prose: escaped like scraped text, but its `command` spans kept as
    Markdown code (so they do not print as \\`...\\`)."""
    return "".join(
        f"`{visible_controls(part.replace(chr(10), ' '))}`" if is_code else md_escape(part)
        for part, is_code in split_code_spans(text)
    )


def md_quote(quote: Quote) -> str:
    text = f"“{md_escape(quote.text)}”"
    if quote.url is None:
        return text
    return f"[{text}]({percent_encode(quote.url, safe=URL_SAFE)})"


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return ""
    parts = [md_escape(cell.text)] if cell.text else []
    parts += [md_quote(q) for q in cell.quotes]
    return " ".join(parts)


def _table(table: Table) -> list[str]:
    lines = [f"### {md_escape(table.heading)}", ""]
    if not table.rows:  # a header with nothing under it reads as a broken table
        return [*lines, f"_{md_prose(table.note)}_" if table.note else "No rows.", ""]
    lines.append("| " + " | ".join(md_escape(c.label) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|")
    for row in table.rows:
        cells = [_cell(row.cells.get(c.key)) for c in table.columns]
        if row.level and cells:
            cells[0] = "↳ " + cells[0]
        lines.append("| " + " | ".join(cells) + " |")
    if table.note:
        lines += ["", f"_{md_prose(table.note)}_"]
    return [*lines, ""]


def render_markdown(data: ReportData, sections: list[BuiltSection] | None = None) -> str:
    sections = build_sections(data) if sections is None else sections
    scope = data.scope
    lines = [
        f"# Competitor gap report: {md_escape(scope.own.name)}",
        "",
        f"Report #{data.run_id}, {data.created_at:%Y-%m-%d}: {scope.dates_text()}, "
        f"{data.reviews_text()}, "
        f"{len(scope.competitors)} competitor{'' if len(scope.competitors) == 1 else 's'} "
        f"({md_escape(', '.join(c.name for c in scope.competitors))}), "
        f"minimum sample {scope.min_sample}.",
        "",
    ]
    for section in sections:
        if not section.summary_blocks:
            continue
        lines += [f"## {md_escape(section.summary_title)}", ""]
        for block in section.summary_blocks:
            if isinstance(block, Paragraph):
                text = md_prose(block.text)
                lines += [f"**{text}**" if block.css == "banner" else text, ""]
            elif isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, BulletList):
                lines += [*(f"- {md_escape(item)}" for item in block.items), ""]
            # Charts and quote lists are for the page only.
    lines += [
        "Full report with evidence: report.html; findings in findings.csv / findings.json; "
        "every table of the page in tables/.",
        "",
    ]
    return "\n".join(lines)

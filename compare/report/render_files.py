"""Write every report file into the output folder."""

from __future__ import annotations

from pathlib import Path

from compare.report.data_model import ReportData
from compare.report.render_html import render_html
from compare.report.render_markdown import render_markdown
from compare.report.render_tables import write_aspects, write_findings, write_section_tables
from compare.report.sections import build_sections


def write_report_files(data: ReportData, out_dir: Path) -> list[Path]:
    """report.html, summary.md, findings.csv, findings.json, aspects.csv and tables/*.csv in
    ``out_dir``, all read from the same built sections."""
    sections = build_sections(data)
    html_path = out_dir / "report.html"
    html_path.write_text(render_html(data, sections), encoding="utf-8")
    markdown_path = out_dir / "summary.md"
    markdown_path.write_text(render_markdown(data, sections), encoding="utf-8")
    return [
        html_path,
        markdown_path,
        *write_findings(data, out_dir),
        write_aspects(data, out_dir),
        *write_section_tables(sections, out_dir),
    ]

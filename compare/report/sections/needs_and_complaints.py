"""Needs and complaints: each company's most voiced needs with examples."""

from __future__ import annotations

from compare.report.aspects import aspect_label
from compare.report.blocks import Block, Cell, Column, Paragraph, Row, Table
from compare.report.data_model import ReportData
from compare.report.evidence import Evidence
from compare.report.numbers import number_text
from compare.report.section_registry import register
from compare.report.sections.anchors_and_cells import TABLE_QUOTES, need_anchor, slug

NEEDS_PER_COMPANY = 5


@register("needs", "Needs and complaints")
def needs_section(data: ReportData) -> list[Block]:
    blocks: list[Block] = []
    for company in data.scope.companies:
        needs = [n for n in data.needs if n.company_id == company.id][:NEEDS_PER_COMPANY]
        if not needs:
            continue
        rows = [
            Row(
                {
                    "need": Cell(aspect_label(n.need), value=n.need),
                    "kind": Cell("wish / missing" if n.kind == "unmet" else n.kind),
                    "reviews": Cell(
                        str(n.reviews), href="#" + need_anchor(company.id, n.key), css="num"
                    ),
                    "share": Cell(
                        number_text(n.share.value, "share"), value=n.share.value, css="num"
                    ),
                    "examples": Cell(
                        "",
                        quotes=data.need_evidence.get((company.id, n.key), Evidence()).items[
                            :TABLE_QUOTES
                        ],
                    ),
                }
            )
            for n in needs
        ]
        blocks.append(
            Table(
                f"needs_{slug(company.name)}",
                f"{company.name}{' (us)' if company.own else ''}: most voiced needs",
                [
                    Column("need", "need"),
                    Column("kind", "kind"),
                    Column("reviews", "reviews voicing it", numeric=True),
                    Column("share", "share of the company's reviews", numeric=True),
                    Column("examples", "examples"),
                ],
                rows,
            )
        )
    return blocks or [Paragraph("No needs found.", css="")]

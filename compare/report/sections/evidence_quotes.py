"""Evidence: the quotes behind every finding group, aspect figure and need."""

from __future__ import annotations

from compare.report.aspects import aspect_label
from compare.report.blocks import Block, Paragraph, QuoteBlock
from compare.report.data_model import ReportData
from compare.report.evidence import Evidence, opinion_evidence
from compare.report.finding_groups import opportunities, threats
from compare.report.section_registry import ReportQuery, loaded, register
from compare.report.sections.anchors_and_cells import aspect_anchor, group_anchor, need_anchor
from compare.report.sections.finding_tables import TOP_GROUPS


def _aspect_evidence(query: ReportQuery) -> dict[tuple[int, str], Evidence]:
    """Quotes behind each company's overall net sentiment on each aspect."""
    return {
        (cell.company_id, cell.aspect): opinion_evidence(
            query.connection,
            query.scope,
            query.source,
            cell.company_id,
            cell.aspect,
            None,
            cell.segment,
        )
        for cell in query.data.overall_cells()
    }


@register("evidence", "Evidence", load=_aspect_evidence, css="evidence")
def evidence_section(data: ReportData) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(
            "Quotes from the reviews behind each number that were collected last; each links "
            "to the page the review was read on (imported reviews have none). Reviewers are never named."
        )
    ]
    for section, one, groups in (
        ("opportunities", "Opportunity", opportunities(data.findings)[:TOP_GROUPS]),
        ("threats", "Threat", threats(data.findings)[:TOP_GROUPS]),
    ):
        for rank, group in enumerate(groups, start=1):
            blocks.append(
                QuoteBlock(
                    group_anchor(section, rank),
                    f"{one} #{rank}: {group.main.summary}",
                    group.quotes(6),
                )
            )
    aspect_evidence: dict[tuple[int, str], Evidence] = loaded(data, "evidence", dict)
    for (company_id, aspect), evidence in sorted(aspect_evidence.items()):
        blocks.append(
            QuoteBlock(
                aspect_anchor(company_id, aspect),
                f"{data.scope.name_of(company_id)} on {aspect_label(aspect)}",
                evidence.items,
            )
        )
    for (company_id, need), evidence in sorted(data.need_evidence.items()):
        blocks.append(
            QuoteBlock(
                need_anchor(company_id, need),
                f"{data.scope.name_of(company_id)}: "
                f"{need.replace(':', ' about ').replace('_', ' ')}",
                evidence.items,
            )
        )
    return blocks

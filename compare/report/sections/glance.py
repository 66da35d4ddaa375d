"""At a glance: the headline opportunities, the biggest threat, and a banner when
reviews in scope are not analysed yet or a source's newest crawl was unhealthy."""

from __future__ import annotations

from compare.report.blocks import Block, Paragraph
from compare.report.collection_coverage import UnhealthySource, unhealthy_sources
from compare.report.data_model import ReportData
from compare.report.finding_groups import opportunities, threats
from compare.report.section_registry import ReportQuery, loaded, register


def unanalysed_text(unanalysed: int, in_scope: int, stale: int = 0) -> str:
    """The warning of a report some of whose reviews are not analysed, or were analysed by an
    earlier version of the analysis (page and terminal)."""
    parts = []
    if unanalysed > stale:
        parts.append(
            f"{unanalysed - stale} of {in_scope} reviews in scope are not analysed yet and are "
            "left out of every sentiment, aspect and need figure (review counts and ratings "
            "include them)"
        )
    if stale:
        parts.append(
            f"{stale} of {in_scope} reviews in scope were analysed by an earlier version of "
            "the analysis: their aspect opinions are that version's, and their needs are left "
            "out (unmet needs and shares of reviews voicing one read low or are missing)"
        )
    return "; ".join(parts) + ": run `rivalscope analyze`, then the report again."


def _unhealthy_sources(query: ReportQuery) -> list[UnhealthySource]:
    return unhealthy_sources(query.connection, query.scope)


@register("glance", "At a glance", in_summary=True, load=_unhealthy_sources)
def glance(data: ReportData) -> list[Block]:
    blocks: list[Block] = []
    if data.unanalysed:
        blocks.append(
            Paragraph(
                unanalysed_text(data.unanalysed, data.reviews_in_scope, data.stale),
                css="banner",
            )
        )
    # A dead site or a changed layout leaves the report on older data without a word.
    for source in loaded(data, "glance", list):
        blocks.append(Paragraph(source.text, css="banner"))
    best = opportunities(data.findings)[:3]
    if best:
        blocks.append(
            Paragraph(
                "Top opportunities: " + "; ".join(g.main.summary for g in best) + ".", css="lead"
            )
        )
    else:
        blocks.append(
            Paragraph(
                "No significant opportunity found: no competitor is weaker than us on an aspect, "
                "has customers with more unmet needs, or charges more, beyond chance with at "
                f"least {data.scope.min_sample} opinions on each side.",
                css="lead",
            )
        )
    worst = threats(data.findings)[:1]
    if worst:
        blocks.append(Paragraph("Biggest threat: " + worst[0].main.summary + ".", css="lead"))
    return blocks

"""Aspect comparison: net sentiment per aspect and company, with charts and gaps."""

from __future__ import annotations

from compare.report.aspects import AspectCell, aspect_label
from compare.report.blocks import (
    Block,
    BulletList,
    Cell,
    Chart,
    Column,
    Paragraph,
    Row,
    Table,
)
from compare.report.data_model import ReportData
from compare.report.numbers import family_text, interval_text, number_text
from compare.report.section_registry import register
from compare.report.sections.anchors_and_cells import (
    aspect_anchor,
    company_colours,
    significance_cell,
)
from compare.report.segment_mix import MIN_STRATUM, MixComparison, mix_notes
from compare.report.stats import compare_nets
from compare.report.svg import IntervalRow, interval_chart


def _mix_summary(data: ReportData) -> list[Block]:
    """summary.md: what the segment-mix adjustment changes (nothing when none was made)."""
    return _mix_paragraphs(data, data.mix_comparisons())


@register(
    "aspects",
    "Aspect comparison",
    summary=_mix_summary,
    summary_title="Whole-company gaps adjusted for segment mix",
)
def aspects_section(data: ReportData) -> list[Block]:
    cells = {(c.company_id, c.aspect): c for c in data.overall_cells()}
    colours = company_colours(data)
    blocks: list[Block] = [
        Paragraph(
            "Net sentiment = (positive − negative) / (positive + negative) opinions on the "
            "aspect, one opinion per review, with a 95% Wilson interval. A chart is drawn where "
            "at least two companies have opinions on the aspect."
        )
    ]
    for aspect in data.aspects():
        points = [
            IntervalRow(
                label=f"{company.name}{' (us)' if company.own else ''}",
                value=cell.net.value,
                low=cell.net.low,
                high=cell.net.high,
                colour=colours[company.id],
                href="#" + aspect_anchor(company.id, aspect),
                note=f"n={cell.opinions}",
            )
            for company in data.scope.companies
            if (cell := cells.get((company.id, aspect))) is not None and cell.opinions
        ]
        if len(points) >= 2:
            blocks.append(
                Chart(
                    f"Net sentiment on {aspect_label(aspect)} (n: opinions)",
                    interval_chart(
                        points,
                        axis_min=-1,
                        axis_max=1,
                        reference=0,
                        title=f"Net sentiment on {aspect_label(aspect)} with 95% intervals",
                        ticks=(-1, -0.5, 0, 0.5, 1),
                    ),
                )
            )
    columns = [
        Column("aspect", "aspect"),
        Column("company", "company"),
        Column("share", "reviews mentioning it (share)", numeric=True),
        Column("mentioning", "reviews mentioning / reviews", numeric=True),
        Column("net", "net sentiment (−1..1) [95% CI]", numeric=True),
        Column("opinions", "opinions + / −", numeric=True),
        Column("gap", "ours − theirs (−2..2) [adjusted CI]", numeric=True),
    ]
    rows: list[Row] = []
    for aspect in data.aspects():
        own = cells.get((data.scope.own.id, aspect))
        for company in data.scope.companies:
            cell = cells.get((company.id, aspect))
            if cell is not None:
                rows.append(Row(_aspect_row(data, aspect, company.id, cell, own)))
    blocks.append(
        Table(
            "net_sentiment",
            "Net sentiment per aspect and company",
            columns,
            rows,
            family_text(
                data.gap_level, "net sentiment gaps (every aspect, competitor and segment)"
            ),
        )
    )
    return blocks + _mix_blocks(data)


MIX_METHOD = (
    "Our reviews and a competitor's may come from different mixes of customers: if most of "
    "theirs are from a segment harsher at every shop, the gap over all reviews can mislead "
    "or even change sign (Simpson's paradox). The adjusted gap weights both sides' "
    "per-segment positive shares by one common mix, both sides' opinions pooled (direct "
    "standardisation), with the MOVER interval of a weighted sum of proportions (each "
    "segment's Wilson interval; the weights taken as fixed) at the raw gap's level. "
    f"Segments with fewer than {MIN_STRATUM} opinions on either side, and opinions with no "
    "value in the dimension, are pooled into 'other'; an 'other' too small on a side is left "
    "out and the share of opinions covered is said. A dimension with fewer than two "
    "segments left is not adjusted; products are one shop's own, never a shared mix."
)


def _mix_paragraphs(data: ReportData, comparisons: list[MixComparison]) -> list[Block]:
    if not comparisons:
        return []
    notes = mix_notes(comparisons, data.scope.name_of)
    if not notes:
        return [
            Paragraph(
                f"Adjusting the {len({(c.competitor_id, c.aspect) for c in comparisons})} "
                "whole-company gaps that could be adjusted to a common segment mix changes "
                "none of them in sign or significance."
            )
        ]
    # A sign change of two gaps neither significant is said, not raised as a warning.
    loud = any(c.disagreement in ("reversed", "significance") for c in comparisons)
    return [
        Paragraph(
            "Where the segment mix matters: the gap over all reviews and the gap at a common "
            "segment mix disagree in sign or significance; read the adjusted one as the "
            "like-for-like comparison.",
            css="banner" if loud else "meta",
        ),
        BulletList(notes),
    ]


def _mix_blocks(data: ReportData) -> list[Block]:
    comparisons = data.mix_comparisons()
    if not comparisons:
        return []
    columns = [
        Column("aspect", "aspect"),
        Column("company", "competitor"),
        Column("dimension", "mix of"),
        Column("raw", "ours − theirs, all reviews (−2..2) [adjusted CI]", numeric=True),
        Column(
            "adjusted", "ours − theirs at the pooled mix (−2..2) [CI, same level]", numeric=True
        ),
        Column("own_net", "our net at the pooled mix (−1..1)", numeric=True),
        Column("their_net", "their net at the pooled mix (−1..1)", numeric=True),
        Column("segments", "segments weighted"),
        Column("note", "note"),
    ]
    # Disagreements first, then in the order of the table above (aspects by volume).
    aspects = {aspect: i for i, aspect in enumerate(data.aspects())}
    companies = {company.id: i for i, company in enumerate(data.scope.companies)}
    comparisons = sorted(
        comparisons,
        key=lambda c: (
            c.disagreement is None,
            aspects.get(c.aspect, len(aspects)),
            companies.get(c.competitor_id, len(companies)),
        ),
    )
    rows = []
    for c in comparisons:
        anchor = "#" + aspect_anchor(c.competitor_id, c.aspect)
        name = data.scope.name_of(c.competitor_id)
        kind = c.disagreement
        rows.append(
            Row(
                {
                    "aspect": Cell(aspect_label(c.aspect), value=c.aspect),
                    "company": Cell(name),
                    "dimension": Cell(c.dimension),
                    "raw": significance_cell(c.raw, "net", c.raw_significant, anchor),
                    "adjusted": significance_cell(
                        c.adjusted.gap, "net", c.adjusted_significant, anchor
                    ),
                    "own_net": _net_cell(c.adjusted.own_net),
                    "their_net": _net_cell(c.adjusted.their_net),
                    "segments": Cell(c.coverage_text()),
                    "note": Cell(MIX_NOTES[kind] if kind else "", value=kind),
                }
            )
        )
    return [
        Table(
            "segment_mix",
            "Whole-company gaps adjusted for segment mix",
            columns,
            rows,
            MIX_METHOD,
        ),
        *_mix_paragraphs(data, comparisons),
    ]


def _net_cell(value: float) -> Cell:
    return Cell(number_text(value, "net"), value=value, css="num")


MIX_NOTES = {
    "reversed": "reversed at a common mix",
    "sign": "sign changes at a common mix (neither significant)",
    "significance": "significance changes at a common mix",
}


def _aspect_row(
    data: ReportData, aspect: str, company_id: int, cell: AspectCell, own: AspectCell | None
) -> dict[str, Cell]:
    anchor = "#" + aspect_anchor(company_id, aspect)
    net = cell.net
    gap = Cell("–")
    if own is not None and company_id != data.scope.own.id:
        test = compare_nets(
            own.positive,
            own.negative,
            cell.positive,
            cell.negative,
            min_sample=data.scope.min_sample,
            z=data.gap_level.z,
        )
        if test.enough_data:
            gap = significance_cell(test.gap, "net", test.significant, anchor)
        else:
            gap = Cell(f"too few opinions (< {data.scope.min_sample})", css="num ns")
    name = data.scope.name_of(company_id)
    return {
        "aspect": Cell(aspect_label(aspect), value=aspect),
        "company": Cell(name + (" (us)" if company_id == data.scope.own.id else ""), value=name),
        "share": Cell(number_text(cell.share.value, "share"), value=cell.share.value, css="num"),
        "mentioning": Cell(f"{cell.mentioning} / {cell.reviews}", css="num"),
        "net": Cell(
            interval_text(net, "net") if cell.opinions else "–",
            value=net.value if cell.opinions else None,
            href=anchor,
            css="num",
            interval=net if cell.opinions else None,
        ),
        "opinions": Cell(f"{cell.positive} / {cell.negative}", css="num"),
        "gap": gap,
    }

"""Aspect comparison: net sentiment per aspect and company, with charts and gaps."""

from __future__ import annotations

from compare.report.aspects import AspectCell, aspect_label
from compare.report.blocks import Block, Cell, Chart, Column, Paragraph, Row, Table
from compare.report.data_model import ReportData
from compare.report.numbers import family_text, interval_text, number_text
from compare.report.section_registry import register
from compare.report.sections.anchors_and_cells import (
    aspect_anchor,
    company_colours,
    significance_cell,
)
from compare.report.stats import compare_nets
from compare.report.svg import IntervalRow, interval_chart


@register("aspects", "Aspect comparison")
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
    return blocks


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

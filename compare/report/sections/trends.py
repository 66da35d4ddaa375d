"""Trends: net sentiment per month, reviews per month, changes since the last report."""

from __future__ import annotations

from compare.report.aspects import aspect_label
from compare.report.blocks import Block, BulletList, Cell, Chart, Column, Paragraph, Row, Table
from compare.report.data_model import CHANGE_THRESHOLD, ReportData
from compare.report.numbers import number_text
from compare.report.section_registry import register
from compare.report.sections.anchors_and_cells import company_colours
from compare.report.svg import Series, line_chart

MIN_MONTH_OPINIONS = 5
"""Months with fewer aspect opinions are left out of the trend lines (too noisy)."""


CHANGES_IN_SUMMARY = 5


def _changes_summary(data: ReportData) -> list[Block]:
    """summary.md: the largest moves since the previous report."""
    if not data.changes:
        return []
    return [
        BulletList(
            [
                f"{c.company} on {c.aspect}: {c.before:+.2f} → {c.after:+.2f}"
                for c in data.changes[:CHANGES_IN_SUMMARY]
            ]
        )
    ]


@register(
    "trends",
    "Trends",
    summary=_changes_summary,
    summary_title="Changed since the previous report",
)
def trends_section(data: ReportData) -> list[Block]:
    colours = company_colours(data)
    series = []
    for company in data.scope.companies:
        points = [
            (p.month, (p.positive - p.negative) / (p.positive + p.negative))
            for p in data.trends
            if p.company_id == company.id and p.positive + p.negative >= MIN_MONTH_OPINIONS
        ]
        series.append(Series(company.name, colours[company.id], points))
    blocks: list[Block] = [
        Paragraph(
            "Net sentiment of aspect opinions per month (months with at least "
            f"{MIN_MONTH_OPINIONS} opinions)."
        ),
        Chart(
            "Net sentiment per month",
            line_chart(series, y_min=-1, y_max=1, title="Net sentiment per month"),
        ),
    ]
    months = sorted({p.month for p in data.trends})[-6:]
    counts = {(p.company_id, p.month): p.reviews for p in data.trends}
    blocks.append(
        Table(
            "reviews_per_month",
            "Reviews per month (latest six)",
            [Column("company", "company"), *(Column(m, m, numeric=True) for m in months)],
            [
                Row(
                    {
                        "company": Cell(company.name),
                        **{m: Cell(str(counts.get((company.id, m), 0)), css="num") for m in months},
                    }
                )
                for company in data.scope.companies
            ],
        )
    )
    if data.previous_run_at is None:
        blocks.append(
            Paragraph(
                "No earlier stored report covers the same dates: the next one lists what changed.",
                css="",
            )
        )
    else:
        blocks.append(
            Table(
                "changes",
                f"Since the previous report ({data.previous_run_at:%Y-%m-%d %H:%M})",
                [
                    Column("company", "company"),
                    Column("aspect", "aspect"),
                    Column("before", "net sentiment before (−1..1)", numeric=True),
                    Column("after", "now (−1..1)", numeric=True),
                ],
                [
                    Row(
                        {
                            "company": Cell(c.company),
                            "aspect": Cell(aspect_label(c.aspect)),
                            "before": Cell(number_text(c.before, "net"), value=c.before, css="num"),
                            "after": Cell(number_text(c.after, "net"), value=c.after, css="num"),
                        }
                    )
                    for c in data.changes
                ],
                note=(
                    f"Net sentiment moves of {CHANGE_THRESHOLD} or more on at least "
                    f"{data.scope.min_sample} opinions both times; a move is not tested for "
                    "significance (the two reports share most of their reviews)."
                    if data.changes
                    else f"No aspect's net sentiment moved by {CHANGE_THRESHOLD} or more on at "
                    f"least {data.scope.min_sample} opinions both times."
                ),
            )
        )
    return blocks

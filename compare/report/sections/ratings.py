"""Ratings per company on a 5-star scale."""

from __future__ import annotations

from compare.report.blocks import Block, Cell, Column, Paragraph, Row, Table
from compare.report.data_model import ReportData
from compare.report.section_registry import register


@register("ratings", "Ratings")
def ratings_section(data: ReportData) -> list[Block]:
    columns = [
        Column("company", "company"),
        Column("reviews", "reviews", numeric=True),
        Column("rated", "reviews with a rating", numeric=True),
        Column("average", "average (1–5 ★)", numeric=True),
        Column("stars", "reviews per star: 1 / 2 / 3 / 4 / 5", numeric=True),
    ]
    rows = []
    for summary in data.ratings:
        average = summary.average
        rows.append(
            Row(
                {
                    "company": Cell(data.scope.name_of(summary.company_id)),
                    "reviews": Cell(str(summary.reviews), css="num"),
                    "rated": Cell(str(summary.rated), css="num"),
                    "average": Cell(
                        "–" if average is None else f"{1 + 4 * average:.2f}",
                        value=None if average is None else 1 + 4 * average,
                        css="num",
                    ),
                    "stars": Cell(
                        " / ".join(str(summary.stars[s]) for s in range(1, 6)), css="num"
                    ),
                }
            )
        )
    return [
        Paragraph(
            "Ratings normalised across sources (1–5, 1–10, ...) and shown on a 5-star scale; "
            "distribution by nearest star."
        ),
        Table("ratings", "Ratings per company", columns, rows),
    ]

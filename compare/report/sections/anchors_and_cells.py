"""What several sections share: in-page anchors, company colours, significance cells."""

from __future__ import annotations

from compare.report.blocks import Cell
from compare.report.data_model import ReportData
from compare.report.numbers import interval_text
from compare.report.stats import Interval
from compare.report.svg import OWN_COLOUR, PALETTE
from settings.ascii_slug import ascii_slug

TABLE_QUOTES = 2
"""Quotes per table cell (the evidence section shows more)."""


def slug(text: str) -> str:
    return ascii_slug(text, empty="x")


def aspect_anchor(company_id: int, aspect: str) -> str:
    return f"ev-a-{company_id}-{slug(aspect)}"


def need_anchor(company_id: int, need: str) -> str:
    return f"ev-n-{company_id}-{slug(need)}"


def group_anchor(section: str, rank: int) -> str:
    return f"ev-{section[0]}-{rank}"


def company_colours(data: ReportData) -> dict[int, str]:
    colours = {data.scope.own.id: OWN_COLOUR}
    for i, company in enumerate(data.scope.competitors):
        colours[company.id] = PALETTE[i % len(PALETTE)]
    return colours


def significance_cell(
    interval: Interval, style: str, significant: bool, href: str, digits: int | None = None
) -> Cell:
    """An interval with its test (``digits``: its column's ``numbers.shared_digits``)."""
    text = interval_text(interval, style, significant, digits)
    return Cell(
        text + ("" if significant else " (not significant)"),
        value=interval.value,
        href=href,
        css="num sig" if significant else "num ns",
        interval=interval,
        significant=significant,
    )

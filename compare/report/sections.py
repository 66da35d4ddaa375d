"""The report's sections as registered objects: each builds blocks (paragraphs, tables,
charts, quote lists) from ``ReportData`` once, and every renderer (HTML, Markdown, CSV) reads
the same blocks. A section that should appear in ``summary.md`` says so (``in_summary``).

Cells hold display text *and* the raw value (CSV writes the raw value, so no rounding is
lost); text is plain: renderers escape it for their format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from compare.report.evidence import Quote

if TYPE_CHECKING:
    from compare.report.data_model import ReportData


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    """The header, with its unit where it has one (``net sentiment gap (−2..2)``)."""
    numeric: bool = False


@dataclass
class Cell:
    text: str
    value: object = None
    """Raw value for machine-readable outputs (None: the text)."""
    href: str | None = None
    """``#anchor`` inside the report, or an http(s) URL."""
    quotes: list[Quote] = field(default_factory=list)
    css: str = ""

    @property
    def raw(self) -> object:
        return self.text if self.value is None else self.value


@dataclass
class Row:
    cells: dict[str, Cell]
    level: int = 0
    """0: a row; 1: a sub-row (a segment of the row above)."""


@dataclass
class Table:
    key: str
    heading: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""


@dataclass
class Paragraph:
    text: str
    css: str = "meta"
    """``meta`` (small print), ``lead`` (the headline) or ``banner`` (a warning)."""


@dataclass
class Chart:
    heading: str
    svg: str
    """Markup from ``svg.py``, which escapes every text it draws."""


@dataclass
class QuoteBlock:
    anchor: str
    heading: str
    quotes: list[Quote]


Block = Paragraph | Table | Chart | QuoteBlock


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    build: Callable[[ReportData], list[Block]]
    in_summary: bool = False
    """Also rendered in summary.md (charts and quote lists are left out there)."""


SECTIONS: list[ReportSection] = []
"""In page order."""


def register(
    key: str, title: str, *, in_summary: bool = False
) -> Callable[[Callable[[ReportData], list[Block]]], Callable[[ReportData], list[Block]]]:
    """Decorator: add a section builder to the report, after those registered before."""

    def add(build: Callable[[ReportData], list[Block]]) -> Callable[[ReportData], list[Block]]:
        if any(section.key == key for section in SECTIONS):
            raise ValueError(f"report section {key!r} is registered twice")
        SECTIONS.append(ReportSection(key, title, build, in_summary))
        return build

    return add


@dataclass
class BuiltSection:
    key: str
    title: str
    blocks: list[Block]
    in_summary: bool

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def build_sections(data: ReportData) -> list[BuiltSection]:
    """Every registered section's blocks, in page order."""
    import compare.report.report_sections  # noqa: F401  (registers the sections)

    return [
        BuiltSection(s.key, s.title, s.build(data), s.in_summary)
        for s in SECTIONS
        if s.build is not None
    ]

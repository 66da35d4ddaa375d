"""What report sections are made of: paragraphs, tables, charts, quote lists and bullet
lists, rendered by every renderer (HTML, Markdown, CSV) from the same objects.

Cells hold display text *and* the raw value (CSV writes the raw value, so no rounding is
lost); text is plain: renderers escape it for their format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from compare.report.evidence import Quote
from compare.report.stats import Interval


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
    interval: Interval | None = None
    """The interval the text shows, if any: tables' CSV files give its bounds beside the value."""
    significant: bool | None = None
    """Whether the difference the cell shows is significant (None: no test), for the CSV."""
    csv_extra: dict[str, object] = field(default_factory=dict)
    """Facts the text shows beside the raw value, for the CSV: column name -> value (a
    "theirs / ours" cell's ``sample_ours``), written after ``row_level``."""

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
    svg: Markup
    """From ``svg.py``'s autoescaped templates (so the page template does not escape it)."""


@dataclass
class QuoteBlock:
    anchor: str
    heading: str
    quotes: list[Quote]


@dataclass
class BulletList:
    items: list[str]


Block = Paragraph | Table | Chart | QuoteBlock | BulletList

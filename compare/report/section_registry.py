"""The report's sections as registered objects. A section is one object: its title, the
data it loads beyond the shared ``ReportData`` (``load``), the blocks it shows on the page
(paragraphs, tables, charts, quote lists) and those it shows in ``summary.md``. Every renderer
(HTML, Markdown, CSV) reads the same built blocks (``blocks.py``); adding a section is one
module in ``sections/`` (one ``register`` call).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from compare.report.blocks import Block, Table

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from compare.report.analysis_source import AnalysisSource
    from compare.report.data_model import ReportData
    from compare.report.report_scope import ReportScope


Builder = Callable[["ReportData"], list[Block]]
"""Blocks from the report's data (an empty list: nothing to show)."""


@dataclass(frozen=True)
class ReportQuery:
    """What a section's ``load`` reads from: the report's transaction, scope and analysis,
    and the data every section shares (computed before any ``load`` runs)."""

    connection: Connection
    scope: ReportScope
    source: AnalysisSource
    data: ReportData


Loader = Callable[[ReportQuery], object]


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    page: Builder
    """The section on report.html (its tables also go to ``tables/*.csv``)."""
    summary: Builder | None = None
    """The section in summary.md (None: left out; charts and quote lists never show there)."""
    summary_title: str = ""
    """The heading in summary.md when it differs from ``title``."""
    load: Loader | None = None
    """Data only this section reads, loaded in the report's transaction into
    ``ReportData.loaded[key]`` (read back with ``loaded``)."""
    css: str = ""
    """Class of the page's ``<section>`` element."""


SECTIONS: list[ReportSection] = []
"""In page order (summary.md keeps the same order)."""


def register(
    key: str,
    title: str,
    *,
    in_summary: bool = False,
    summary: Builder | None = None,
    summary_title: str = "",
    load: Loader | None = None,
    css: str = "",
) -> Callable[[Builder], Builder]:
    """Decorator: add a page builder as a section, after those registered before.
    ``in_summary``: summary.md shows the page's blocks; ``summary``: it shows these instead."""

    def add(page: Builder) -> Builder:
        if any(section.key == key for section in SECTIONS):
            raise ValueError(f"report section {key!r} is registered twice")
        shown = page if in_summary else summary
        SECTIONS.append(ReportSection(key, title, page, shown, summary_title, load, css))
        return page

    return add


T = TypeVar("T")


def loaded(data: ReportData, key: str, kind: type[T]) -> T:
    """What section ``key``'s ``load`` returned for this report."""
    value = data.loaded[key]
    if not isinstance(value, kind):
        raise TypeError(f"section {key!r} loaded {type(value).__name__}, not {kind.__name__}")
    return value


def registered_sections() -> list[ReportSection]:
    """Every section, in page order."""
    import compare.report.sections  # noqa: F401  (registers the sections)

    return SECTIONS


def load_sections(query: ReportQuery) -> dict[str, object]:
    """Every section's own data (``ReportData.loaded``)."""
    return {s.key: s.load(query) for s in registered_sections() if s.load is not None}


@dataclass
class BuiltSection:
    key: str
    title: str
    blocks: list[Block]
    """On the page."""
    summary_title: str
    summary_blocks: list[Block]
    """In summary.md (empty: the section is not there)."""
    css: str = ""

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def build_sections(data: ReportData) -> list[BuiltSection]:
    """Every registered section's blocks, in page order."""
    built = []
    for s in registered_sections():
        blocks = s.page(data)
        summary = [] if s.summary is None else (blocks if s.summary is s.page else s.summary(data))
        built.append(
            BuiltSection(s.key, s.title, blocks, s.summary_title or s.title, summary, s.css)
        )
    return built

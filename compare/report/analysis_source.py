"""Where the analysis (issue #4) keeps what the report reads: aspect mentions and needs.

The report only needs, per aspect mention, the review, aspect and polarity label, and per
need, the review, the need's name and kind. This module names those columns in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Connection, MetaData, Table, inspect

from compare.report.errors import ReportError

MENTION_TABLE = "aspect_mention"
NEED_TABLE = "review_need"


@dataclass(frozen=True)
class AnalysisSource:
    mention: Table
    mention_review_id: Column[int]
    mention_aspect: Column[str]
    mention_label: Column[str]
    mention_text: Column[str] | None
    """The sentence the mention is in, when the analysis stores it (best quote)."""
    need: Table
    need_review_id: Column[int]
    need_name: Column[str]
    need_kind: Column[str] | None
    need_text: Column[str] | None


def _column(table: Table, *names: str) -> Column | None:
    for name in names:
        if name in table.c:
            return table.c[name]
    return None


def analysis_source(connection: Connection) -> AnalysisSource:
    """The analysis tables, or a ReportError saying to run the analysis first."""
    present = set(inspect(connection).get_table_names())
    if not {MENTION_TABLE, NEED_TABLE} <= present:
        raise ReportError(
            "this database has no review analysis yet: run `rivalscope analyze` first "
            "(the report compares analysed aspects and needs)"
        )
    # Reflected, not imported: the report depends on the columns, not on the model classes.
    reflected = MetaData()
    mention = Table(MENTION_TABLE, reflected, autoload_with=connection)
    need = Table(NEED_TABLE, reflected, autoload_with=connection)
    return AnalysisSource(
        mention=mention,
        mention_review_id=mention.c.review_id,
        mention_aspect=mention.c.aspect,
        mention_label=mention.c.label,
        mention_text=_column(mention, "sentence", "text"),
        need=need,
        need_review_id=need.c.review_id,
        need_name=_column(need, "need", "name", "aspect"),  # type: ignore[arg-type]
        need_kind=_column(need, "kind"),
        need_text=_column(need, "text", "sentence"),
    )

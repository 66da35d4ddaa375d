"""Where the analysis (issue #4, ``storage/analysis_models.py``) keeps what the report reads.

Per aspect mention: review, aspect, sentence position and polarity label; per sentence its
text (the best quote); per need sentence: review, kind, first aspect and text. The tables are
reflected from the database so a database without analysis gives a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Table, func, inspect

from compare.report.report_error import ReportError
from storage.reflection import reflected_table

MENTION_TABLE = "aspect_mention"
NEED_TABLE = "review_need"
SENTENCE_TABLE = "review_sentence"
GENERAL_NEED = "general"
"""Need topic of need sentences that mention no aspect."""


@dataclass(frozen=True)
class AnalysisSource:
    mention: Table
    need: Table
    sentence: Table

    @property
    def need_topic(self) -> ColumnElement[str]:
        """What a need is about: its topic ("app", "timer"), else the aspect its sentence
        mentions, else ``general`` (databases analysed before topics have no topic column)."""
        if "topic" in self.need.c:
            return func.coalesce(self.need.c.topic, self.need.c.aspect, GENERAL_NEED)
        return func.coalesce(self.need.c.aspect, GENERAL_NEED)


def analysis_source(connection: Connection) -> AnalysisSource:
    """The analysis tables, or a ReportError saying to run the analysis first."""
    present = set(inspect(connection).get_table_names())
    if not {MENTION_TABLE, NEED_TABLE, SENTENCE_TABLE} <= present:
        raise ReportError(
            "this database has no review analysis yet: run `rivalscope analyze` first "
            "(the report compares analysed aspects and needs)"
        )
    # Reflected, not imported: the report depends on the columns, not on the model classes.
    return AnalysisSource(
        mention=reflected_table(connection, MENTION_TABLE),
        need=reflected_table(connection, NEED_TABLE),
        sentence=reflected_table(connection, SENTENCE_TABLE),
    )

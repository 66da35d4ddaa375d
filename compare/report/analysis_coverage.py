"""How many reviews in scope the analysis has not labelled yet (the report's banner)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, exists, func, inspect, select

from compare.analysis.version import ANALYZER_VERSION
from compare.report.report_scope import ReportScope
from compare.report.stored_tables import REVIEW
from storage.reflection import reflected_table

ANALYSIS_TABLE = "review_analysis"


def analysis_coverage(connection: Connection, scope: ReportScope) -> tuple[int, int, int]:
    """(reviews in scope, of which without a current-version analysis, of those the ones an
    earlier version analysed: their aspect opinions count, their needs wait for the
    current version)."""
    total = int(
        connection.execute(
            select(func.count()).select_from(REVIEW).where(scope.review_filter())
        ).scalar_one()
    )
    if ANALYSIS_TABLE not in inspect(connection).get_table_names():
        return total, total, 0
    analysis = reflected_table(connection, ANALYSIS_TABLE)
    analysed = exists().where(
        analysis.c.review_id == REVIEW.c.id, analysis.c.analyzer_version == ANALYZER_VERSION
    )
    earlier = exists().where(
        analysis.c.review_id == REVIEW.c.id, analysis.c.analyzer_version != ANALYZER_VERSION
    )
    missing, stale = connection.execute(
        select(func.count(), func.count().filter(earlier))
        .select_from(REVIEW)
        .where(scope.review_filter(), ~analysed)
    ).one()
    return total, int(missing), int(stale or 0)


def analysed(connection: Connection, review_id: ColumnElement[int]) -> ColumnElement[bool] | None:
    """Whether the review ``review_id`` has a current-version analysis; None when the
    database keeps no per-review analysis record."""
    if ANALYSIS_TABLE not in inspect(connection).get_table_names():
        return None
    analysis = reflected_table(connection, ANALYSIS_TABLE)
    return exists().where(
        analysis.c.review_id == review_id, analysis.c.analyzer_version == ANALYZER_VERSION
    )


def analysed_any_version(
    connection: Connection, review_id: ColumnElement[int]
) -> ColumnElement[bool] | None:
    """Whether the review ``review_id`` has an analysis of any version: the reviews whose
    aspect mentions the report reads (it reads an earlier version's until `analyze` redoes
    them); None when the database keeps no per-review analysis record."""
    if ANALYSIS_TABLE not in inspect(connection).get_table_names():
        return None
    analysis = reflected_table(connection, ANALYSIS_TABLE)
    return exists().where(analysis.c.review_id == review_id)


def analysed_per_company(connection: Connection, scope: ReportScope) -> dict[int, int] | None:
    """Company id -> reviews in scope with a current-version analysis (the denominator of a
    share of reviews voicing something: an unanalysed review voices nothing yet); None when
    the database keeps no per-review analysis record."""
    condition = analysed(connection, REVIEW.c.id)
    if condition is None:
        return None
    rows = connection.execute(
        select(REVIEW.c.company_id, func.count())
        .where(scope.review_filter(), condition)
        .group_by(REVIEW.c.company_id)
    )
    return {int(company_id): int(count) for company_id, count in rows}

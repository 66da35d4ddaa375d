"""What a gap report reads, summed up in a few numbers per table.

Rows are added (reviews, their analysis, offer observations on a change), rarely updated,
so each table's row count and highest id change whenever the report's input does. Each
report run stores the fingerprint it was built on (``report_run.built_on``); the scheduler
compares the fingerprint after a round's analysis with the latest report's, and skips a
report that would repeat it (a round of crawls that found nothing new)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select

from storage.schema import metadata

TABLES = (
    "company",
    "source",
    "product",
    "offer_observation",
    "review",
    "review_analysis",
    "aspect_mention",
    "review_need",
    "key_phrase",
)
"""Every table whose rows a report reads (the scope's companies, prices, reviews and what
the analysis found in them)."""


def data_fingerprint(source: Engine | Connection) -> tuple[int, ...]:
    """Row count and highest id of each of ``TABLES``, and which company is ours."""
    if isinstance(source, Engine):
        with source.connect() as connection:
            return data_fingerprint(connection)
    values: list[int] = []
    for name in TABLES:
        table = metadata.tables[name]
        count, highest = source.execute(
            select(func.count(), func.max(table.c.id)).select_from(table)
        ).one()
        values += [int(count), int(highest or 0)]
    company = metadata.tables["company"]
    own = source.execute(
        select(func.max(company.c.id)).where(company.c.is_own.is_(True))
    ).scalar_one()
    values.append(int(own or 0))
    return tuple(values)

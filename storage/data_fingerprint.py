"""What a gap report reads, summed up in a few numbers per table.

Rows are added (reviews, their analysis, offer observations on a change), rarely updated,
so each table's row count and highest id change whenever the report's input does. The
scheduler compares the fingerprint after a round's analysis with the one its last report
was built on, and skips a report that would repeat the previous one (a round of crawls
that found nothing new)."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

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


def data_fingerprint(engine: Engine) -> tuple[int, ...]:
    """Row count and highest id of each of ``TABLES``, and which company is ours."""
    values: list[int] = []
    with engine.connect() as connection:
        for name in TABLES:
            table = metadata.tables[name]
            count, highest = connection.execute(
                select(func.count(), func.max(table.c.id)).select_from(table)
            ).one()
            values += [int(count), int(highest or 0)]
        company = metadata.tables["company"]
        own = connection.execute(
            select(func.max(company.c.id)).where(company.c.is_own.is_(True))
        ).scalar_one()
        values.append(int(own or 0))
    return tuple(values)

"""Whether two databases hold the same analysis results, table by table.

Usage: python benchmarks/analysis_rows.py DB_URL_A DB_URL_B

For a speed change that must not change results: analyse copies of one database with the
old and the new code (e.g. the ``imported.db`` of ``benchmarks/analyze.py``, or any database
``rivalscope import`` filled), then compare. Every stored column of the analysis tables is
compared except row ids and the analysis moment; the sentiment model's version id (part of
``model``) is compared too, so both must have trained the same number of versions.
Prints each table's row count on both sides and the first differing rows; exit 1 if any
table differs.
"""

from __future__ import annotations

import sys
from typing import Any

from sqlalchemy import Engine, Table, select

from compare.analysis.tables import (
    ASPECT_MENTION,
    KEY_PHRASE,
    REVIEW_ANALYSIS,
    REVIEW_NEED,
    REVIEW_SENTENCE,
)
from storage.db import open_database

TABLES = (REVIEW_ANALYSIS, REVIEW_SENTENCE, ASPECT_MENTION, REVIEW_NEED, KEY_PHRASE)
IGNORED = {"id", "analyzed_at"}
EXAMPLES = 3


def table_rows(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    """The table's rows (ignored columns left out), sorted."""
    columns = [c for c in table.columns if c.name not in IGNORED]
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(select(*columns))]
    return sorted(rows, key=repr)


def compare(a: Engine, b: Engine) -> bool:
    same = True
    for table in TABLES:
        left, right = table_rows(a, table), table_rows(b, table)
        if left == right:
            print(f"{table.name}: {len(left):,} rows, identical")
            continue
        same = False
        left_set, right_set = set(left), set(right)
        only_left = [r for r in left if r not in right_set]
        only_right = [r for r in right if r not in left_set]
        print(f"{table.name}: {len(left):,} against {len(right):,} rows, DIFFERENT")
        for row in only_left[:EXAMPLES]:
            print(f"  only in A: {row}")
        for row in only_right[:EXAMPLES]:
            print(f"  only in B: {row}")
    return same


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    return 0 if compare(open_database(argv[1]), open_database(argv[2])) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

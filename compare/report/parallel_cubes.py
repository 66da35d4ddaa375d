"""Both cubes of ``cubes.py`` computed side by side on separate connections.

The opinion scan is split into review-id ranges; each part and the review cube run in their
own thread (the SQLite and PostgreSQL drivers release the GIL while a query runs), and the
parts are summed in pandas. Databases another connection cannot see (in-memory SQLite) run
the same work in sequence on the caller's connection.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pandas as pd
from sqlalchemy import Connection, Engine

from compare.report.analysis_source import AnalysisSource
from compare.report.cubes import (
    OPINION_COUNTS,
    SEGMENT_COLUMNS,
    mentioned_aspects,
    mentioned_review_ids,
    opinion_cube,
    review_cube,
)
from compare.report.report_scope import ReportScope
from storage.dialects import dialect_of

MAX_PARTS = 4


def segment_cubes(
    connection: Connection, scope: ReportScope, source: AnalysisSource
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(review cube, opinion cube) for the report's scope."""
    aspects = mentioned_aspects(connection, scope, source)
    ids = mentioned_review_ids(connection, source)
    engine = connection.engine
    parts = min(os.cpu_count() or 1, MAX_PARTS)
    if ids is None or parts < 2 or not _shared(engine):
        return review_cube(connection, scope), opinion_cube(connection, scope, source, aspects)
    with ThreadPoolExecutor(max_workers=parts + 1) as pool:
        reviews = pool.submit(_on_own_connection, engine, lambda c: review_cube(c, scope))
        pieces = [
            pool.submit(
                _on_own_connection, engine, partial(_opinion_part, scope, source, aspects, part)
            )
            for part in _split(ids, parts)
        ]
        opinions = pd.concat([piece.result() for piece in pieces], ignore_index=True)
        review_frame = reviews.result()
    # A segment seen in several id ranges has a row per range: add them up.
    keys = [*SEGMENT_COLUMNS, "aspect"]
    summed = opinions.groupby(keys, dropna=False, sort=False)[OPINION_COUNTS].sum()
    return review_frame, summed.reset_index()


def _opinion_part(
    scope: ReportScope,
    source: AnalysisSource,
    aspects: list[str],
    review_ids: tuple[int, int],
    connection: Connection,
) -> pd.DataFrame:
    return opinion_cube(connection, scope, source, aspects, review_ids)


def _shared(engine: Engine) -> bool:
    """Whether a second connection sees the same data (not so for in-memory SQLite)."""
    return dialect_of(engine).shares_data_across_connections(engine.url)


def _on_own_connection(engine: Engine, work: Callable[[Connection], pd.DataFrame]) -> pd.DataFrame:
    with engine.connect() as connection:
        return work(connection)


def _split(ids: tuple[int, int], parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous (first, last) id ranges covering ``ids``."""
    low, high = ids
    step = max(1, (high - low + parts) // parts)
    return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]

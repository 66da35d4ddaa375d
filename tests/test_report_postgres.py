"""The gap report on the real PostgreSQL server: the same synthetic data gives the same
findings as on SQLite (month expressions, ordinal GROUP BYs, skip scans, evidence)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from compare.report.build import ReportResult, build_report
from compare.report.synthetic import SyntheticPlan, populate
from storage.db import open_database

PLAN = SyntheticPlan(
    reviews=1200,
    positive_share={("Rival A", "delivery"): 0.15, ("Own Coffee", "delivery"): 0.9},
    need_share={("Rival B", "app"): 0.3},
)


def _findings(result: ReportResult) -> list[tuple[str, str, str, str, int]]:
    return [
        (f.competitor, f.aspect, f.kind, f.segment.describe(), f.sample_size)
        for f in result.findings
    ]


@pytest.mark.postgres
def test_report_on_postgres_matches_sqlite(pg_url: str, engine: Engine, tmp_path: Path) -> None:
    populate(engine, PLAN)
    on_sqlite = build_report(engine, tmp_path / "sqlite")
    pg_engine = open_database(pg_url)
    try:
        populate(pg_engine, PLAN)
        on_postgres = build_report(pg_engine, tmp_path / "postgres")
    finally:
        pg_engine.dispose()
    assert _findings(on_postgres) == _findings(on_sqlite)
    kinds = {(f.competitor, f.aspect, f.kind) for f in on_postgres.findings}
    assert ("Rival A", "delivery", "competitor_weakness") in kinds
    assert ("Rival B", "app", "unmet_need") in kinds
    top = on_postgres.findings[0]
    assert top.evidence.review_ids and top.evidence.quotes
    page = (tmp_path / "postgres" / "report.html").read_text("utf-8")
    assert "Rival A" in page and "<svg" in page

"""Storing report runs and their findings; reading stored findings back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, func, select

from compare.report.findings import (
    SMALL_SEGMENTS_KEY,
    Finding,
    SmallSegments,
    fold_name,
)
from compare.report.report_error import ReportError
from compare.report.report_scope import ReportScope
from compare.report.segment_mix import SEGMENT_MIX_KEY, StoredMixNote, stored_mix_notes
from compare.report.stored_tables import COMPANY, FINDING, REPORT_RUN
from storage.company_names import find_company, suggest_company
from storage.company_names import fold_name as fold_company

INSERT_BATCH = 500


def previous_snapshot(
    connection: Connection, scope: ReportScope
) -> tuple[int, datetime, dict[str, Any]] | None:
    """Id, time and aspect snapshot of the latest stored report run over the same dates as
    ``scope``, if any (a report over other dates is another sample, not an earlier state)."""
    same_dates = [
        REPORT_RUN.c.since.is_(None) if scope.since is None else REPORT_RUN.c.since == scope.since,
        REPORT_RUN.c.until.is_(None) if scope.until is None else REPORT_RUN.c.until == scope.until,
    ]
    row = connection.execute(
        select(REPORT_RUN.c.id, REPORT_RUN.c.created_at, REPORT_RUN.c.snapshot)
        .where(*same_dates)
        .order_by(REPORT_RUN.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (int(row.id), row.created_at, dict(row.snapshot or {}))


FINDING_KEY = (
    "competitor",
    "kind",
    "aspect",
    "segment_product",
    "segment_category",
    "segment_language",
    "segment_region",
)
"""What makes two reports' findings the same finding (its figures may differ)."""


def finding_key(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(name) for name in FINDING_KEY)


def run_findings(connection: Connection, run_id: int) -> dict[tuple[Any, ...], str]:
    """A stored report run's findings: key (``FINDING_KEY``) -> summary."""
    rows = connection.execute(
        select(*(FINDING.c[name] for name in FINDING_KEY), FINDING.c.summary)
        .where(FINDING.c.report_run_id == run_id)
        .order_by(FINDING.c.score.desc())
    )
    return {finding_key(dict(row._mapping)): str(row.summary) for row in rows}


def store_run(
    connection: Connection,
    scope: ReportScope,
    out_dir: Path,
    reviews: int,
    snapshot: dict[str, Any],
    findings: list[Finding],
    created_at: datetime,
    built_on: tuple[int, ...] | None = None,
) -> int:
    """Insert the run and its findings; returns the run id."""
    run_id = connection.execute(
        REPORT_RUN.insert().values(
            created_at=created_at,
            out_dir=str(out_dir.resolve()),
            since=scope.since,
            until=scope.until,
            min_sample=scope.min_sample,
            competitors=[c.name for c in scope.competitors],
            reviews=reviews,
            snapshot=snapshot,
            built_on=None if built_on is None else list(built_on),
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    rows = [
        {
            "report_run_id": run_id,
            "competitor_id": f.competitor_id,
            "competitor": f.competitor,
            "aspect": f.aspect,
            "kind": f.kind,
            **f.segment_columns,
            "effect": f.effect.value,
            "effect_low": f.effect.low,
            "effect_high": f.effect.high,
            "sample_size": f.sample_size,
            "own_sample_size": f.own_sample_size,
            "competitor_value": f.competitor_value,
            "own_value": f.own_value,
            "own_base": f.own_base,
            "competitor_count": f.competitor_count,
            "own_count": f.own_count,
            "p_value": f.p_value,
            "p_adjusted": f.p_adjusted,
            "score": f.score,
            "summary": f.summary,
            "evidence_review_ids": f.evidence.review_ids,
            "quotes": f.evidence.quotes,
        }
        for f in findings
    ]
    for start in range(0, len(rows), INSERT_BATCH):
        connection.execute(FINDING.insert(), rows[start : start + INSERT_BATCH])
    return int(run_id)


def repeats_latest_report(
    connection: Connection, out_dir: Path, built_on: tuple[int, ...], min_sample: int
) -> bool:
    """Whether a whole-database report into ``out_dir`` (every competitor, no date window)
    would repeat the latest stored run: that run was such a report, into the same folder,
    built on the same figures (``storage.data_fingerprint``), and its page is still there."""
    row = connection.execute(select(REPORT_RUN).order_by(REPORT_RUN.c.id.desc()).limit(1)).first()
    if row is None or row.built_on is None or tuple(row.built_on) != tuple(built_on):
        return False
    if row.out_dir != str(out_dir.resolve()) or not (out_dir / "report.html").is_file():
        return False
    if row.since is not None or row.until is not None or row.min_sample != min_sample:
        return False
    competitors = connection.execute(
        select(COMPANY.c.name).where(COMPANY.c.is_own.is_(False))
    ).scalars()
    return sorted(str(n) for n in competitors) == sorted(row.competitors or [])


@dataclass(frozen=True)
class StoredFinding:
    id: int
    report_run_id: int
    competitor: str
    aspect: str
    kind: str
    segment: str
    effect: float
    effect_low: float
    effect_high: float
    sample_size: int
    score: float
    summary: str
    own_sample_size: int = 0
    competitor_value: float | None = None
    own_value: float | None = None
    competitor_count: int | None = None
    own_count: int | None = None
    p_adjusted: float | None = None
    own_base: str | None = None
    report_created_at: datetime | None = None
    """When its report was made (UTC)."""

    @property
    def own_base_fallback(self) -> bool:
        """A segment of theirs compared with our whole company (too few of ours in it)."""
        return self.segment != "all" and self.own_base == "company"

    @property
    def legacy_need(self) -> bool:
        """An unmet need stored before revision 0018: its effect is the competitor's share
        alone, not the difference with ours."""
        return self.kind == "unmet_need" and self.competitor_value is None


def _competitor_named(connection: Connection, name: str) -> str:
    """The stored company ``name`` means (accents and case aside), or a ReportError that
    suggests the closest names."""
    names = [str(n) for n in connection.execute(select(COMPANY.c.name)).scalars()]
    match = find_company(name, names)
    if match is None:
        raise ReportError(f"no company named {name!r}; {suggest_company(name, names)}")
    return match


def stored_findings(
    engine: Engine,
    *,
    competitor: str | None = None,
    aspect: str | None = None,
    kind: str | None = None,
    min_score: float | None = None,
    limit: int = 50,
    all_runs: bool = False,
    kinds: tuple[str, ...] | None = None,
) -> list[StoredFinding]:
    """Findings of the latest report run (or all runs), filtered (``kinds``: only these),
    highest score first."""
    query = select(FINDING, REPORT_RUN.c.created_at.label("report_created_at")).join(
        REPORT_RUN, REPORT_RUN.c.id == FINDING.c.report_run_id
    )
    with engine.connect() as connection:
        filtered = _filtered(
            connection, query, competitor, aspect, kind, kinds, min_score, all_runs
        )
        if filtered is None:
            return []
        query = filtered.order_by(FINDING.c.score.desc(), FINDING.c.id).limit(limit)
        rows = connection.execute(query).all()
    return [
        StoredFinding(
            id=r.id,
            report_run_id=r.report_run_id,
            competitor=r.competitor,
            aspect=r.aspect,
            kind=r.kind,
            segment=_segment_text(r._mapping),
            effect=r.effect,
            effect_low=r.effect_low,
            effect_high=r.effect_high,
            sample_size=r.sample_size,
            score=r.score,
            summary=r.summary,
            own_sample_size=r.own_sample_size,
            competitor_value=r.competitor_value,
            own_value=r.own_value,
            competitor_count=r.competitor_count,
            own_count=r.own_count,
            p_adjusted=r.p_adjusted,
            own_base=r.own_base,
            report_created_at=r.report_created_at,
        )
        for r in rows
    ]


def stored_finding_matches(
    engine: Engine,
    *,
    competitor: str | None = None,
    aspect: str | None = None,
    min_score: float | None = None,
    all_runs: bool = False,
    kinds: tuple[str, ...] | None = None,
) -> int:
    """How many findings ``stored_findings`` would list on these filters without a limit
    (counted by the database, not read)."""
    with engine.connect() as connection:
        filtered = _filtered(
            connection,
            select(func.count()).select_from(FINDING),
            competitor,
            aspect,
            None,
            kinds,
            min_score,
            all_runs,
        )
        return 0 if filtered is None else int(connection.execute(filtered).scalar_one())


def _filtered(
    connection: Connection,
    query: Select[Any],
    competitor: str | None,
    aspect: str | None,
    kind: str | None,
    kinds: tuple[str, ...] | None,
    min_score: float | None,
    all_runs: bool,
) -> Select[Any] | None:
    """``query`` on FINDING narrowed to the findings the filters name (see
    ``stored_findings``); None when no report is stored and ``all_runs`` is not given."""
    # The name is checked first: a misspelt competitor is an error even before any report.
    if competitor:
        query = query.where(FINDING.c.competitor == _competitor_named(connection, competitor))
    if not all_runs:
        latest = connection.execute(
            select(REPORT_RUN.c.id).order_by(REPORT_RUN.c.id.desc()).limit(1)
        ).scalar()
        if latest is None:
            return None
        query = query.where(FINDING.c.report_run_id == latest)
    if aspect:
        # Aspects are stored with underscores ("customer_service") and need topics with
        # spaces ("milk frother"); a user may write either (and LIKE's "_" and "%"
        # would be wildcards).
        query = query.where(_folded_aspect(FINDING.c.aspect) == fold_name(aspect))
    if kind:
        query = query.where(FINDING.c.kind == kind)
    if kinds is not None:
        query = query.where(FINDING.c.kind.in_(kinds))
    if min_score is not None:
        query = query.where(FINDING.c.score >= min_score)
    return query


def _folded_aspect(column: Any) -> ColumnElement[str]:
    """``findings.fold_name`` in SQL (stored aspects are single-spaced already)."""
    return func.lower(func.replace(func.replace(column, "_", " "), "-", " "))


def finding_aspects(engine: Engine, *, all_runs: bool = False) -> list[str]:
    """The aspects and needs the latest report's findings (or every report's) name."""
    query = select(FINDING.c.aspect).distinct().order_by(FINDING.c.aspect)
    with engine.connect() as connection:
        if not all_runs:
            latest = connection.execute(select(func.max(REPORT_RUN.c.id))).scalar()
            query = query.where(FINDING.c.report_run_id == latest)
        return [str(a) for a in connection.execute(query).scalars()]


def stored_finding_count(engine: Engine, *, all_runs: bool = False) -> tuple[int | None, int]:
    """The latest report's id (None: no report stored) and how many findings it stored (or
    every report stored)."""
    with engine.connect() as connection:
        latest = connection.execute(select(func.max(REPORT_RUN.c.id))).scalar()
        query = select(func.count()).select_from(FINDING)
        if not all_runs:
            query = query.where(FINDING.c.report_run_id == latest)
        return latest, int(connection.execute(query).scalar() or 0)


def stored_small_segments(engine: Engine, run_id: int) -> SmallSegments | None:
    """The segments a stored report left out for small samples (None: a report stored
    before it kept them)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(REPORT_RUN.c.snapshot, REPORT_RUN.c.min_sample).where(REPORT_RUN.c.id == run_id)
        ).first()
    if row is None or not isinstance(row.snapshot, dict):
        return None
    return SmallSegments.from_json(row.snapshot.get(SMALL_SEGMENTS_KEY), int(row.min_sample))


def stored_segment_mix(engine: Engine, run_id: int) -> list[StoredMixNote] | None:
    """The whole-company gaps a stored report found to read differently at a common segment
    mix (None: a report stored before it kept them)."""
    with engine.connect() as connection:
        snapshot = connection.execute(
            select(REPORT_RUN.c.snapshot).where(REPORT_RUN.c.id == run_id)
        ).scalar()
    if not isinstance(snapshot, dict):
        return None
    return stored_mix_notes(snapshot.get(SEGMENT_MIX_KEY))


@dataclass(frozen=True)
class ReportCoverage:
    """What a stored report compared: its competitors and dates."""

    run_id: int
    competitors: list[str]
    partial: bool
    """It compared fewer competitors than the database holds now (``--competitor``)."""
    since: date | None
    until: date | None

    def covers(self, competitor: str) -> bool:
        return fold_company(competitor) in {fold_company(c) for c in self.competitors}

    def text(self) -> str | None:
        """ "Report #5 compared only Kawa Mistrz, reviews 2026-06-01 to the latest", or None
        for a report of every competitor over all review dates."""
        parts = []
        if self.partial:
            parts.append("only " + ", ".join(self.competitors))
        if self.since is not None or self.until is not None:
            parts.append(
                f"reviews {self.since or 'from the first'} to {self.until or 'the latest'}"
            )
        return f"Report #{self.run_id} compared {', '.join(parts)}" if parts else None


def report_coverage(engine: Engine, run_id: int) -> ReportCoverage | None:
    """The competitors and dates report ``run_id`` compared (None: no such report)."""
    with engine.connect() as connection:
        row = connection.execute(
            select(REPORT_RUN.c.competitors, REPORT_RUN.c.since, REPORT_RUN.c.until).where(
                REPORT_RUN.c.id == run_id
            )
        ).first()
        if row is None:
            return None
        others = connection.execute(
            select(func.count()).select_from(COMPANY).where(COMPANY.c.is_own.is_(False))
        ).scalar_one()
    competitors = [str(c) for c in row.competitors or []]
    return ReportCoverage(run_id, competitors, len(competitors) < others, row.since, row.until)


def _segment_text(row: Any) -> str:
    parts = [
        f"{name} {row[f'segment_{name}']}"
        for name in ("product", "category", "language", "region")
        if row[f"segment_{name}"]
    ]
    return ", ".join(parts) or "all"

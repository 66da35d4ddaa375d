"""Machine-readable outputs: findings.csv, findings.json, aspects.csv, and every table of
the report's sections as ``tables/<section>-<table>.csv`` (raw values, not display text)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from compare.report.blocks import Table
from compare.report.csv_safety import safe_cell
from compare.report.data_model import ReportData
from compare.report.finding_groups import THREAT_KINDS, opportunities, threats
from compare.report.findings import Finding
from compare.report.section_registry import BuiltSection
from storage.findings_models import COUNT_UNITS, EFFECT_UNITS, SAMPLE_UNITS, VALUE_UNITS

FINDING_COLUMNS = (
    "rank",
    "report_id",
    "section",
    "competitor",
    "aspect",
    "kind",
    "segment_product",
    "segment_category",
    "segment_language",
    "segment_region",
    "effect_unit",
    "effect",
    "effect_low",
    "effect_high",
    "significant",
    "p_value",
    "p_adjusted",
    "value_unit",
    "competitor_value",
    "own_value",
    "own_base",
    "sample_unit",
    "sample_size",
    "own_sample_size",
    "count_unit",
    "competitor_count",
    "own_count",
    "score",
    "summary",
    "evidence_review_ids",
    "quotes",
    "quote_urls",
)
ASPECT_COLUMNS = (
    "company",
    "own",
    "aspect",
    "segment_dimension",
    "segment_value",
    "reviews",
    "mentioning",
    "share",
    "positive",
    "negative",
    "net",
    "net_low",
    "net_high",
)


def finding_record(data: ReportData, rank: int, finding: Finding) -> dict[str, Any]:
    return {
        "rank": rank,
        "report_id": data.run_id,
        "section": "threats" if finding.kind in THREAT_KINDS else "opportunities",
        "competitor": finding.competitor,
        "aspect": finding.aspect,
        "kind": finding.kind,
        **finding.segment_columns,
        "effect_unit": EFFECT_UNITS.get(finding.kind, ""),
        "effect": finding.effect.value,
        "effect_low": finding.effect.low,
        "effect_high": finding.effect.high,
        "significant": finding.significant,
        "p_value": finding.p_value,
        "p_adjusted": finding.p_adjusted,
        "value_unit": VALUE_UNITS.get(finding.kind, ""),
        "competitor_value": finding.competitor_value,
        "own_value": finding.own_value,
        "own_base": finding.own_base or "",
        "sample_unit": SAMPLE_UNITS.get(finding.kind, ""),
        "sample_size": finding.sample_size,
        "own_sample_size": finding.own_sample_size,
        "count_unit": COUNT_UNITS.get(finding.kind, ""),
        "competitor_count": finding.competitor_count,
        "own_count": finding.own_count,
        "score": round(finding.score, 3),
        "summary": finding.summary,
        "evidence_review_ids": finding.evidence.review_ids,
        "quotes": finding.evidence.quotes,
        "quote_urls": [q.url or "" for q in finding.evidence.items],
    }


def _write_csv(path: Path, columns: tuple[str, ...], records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            row = []
            for column in columns:
                value = record[column]
                if isinstance(value, list):
                    value = " | ".join(str(v) for v in value)
                row.append(safe_cell(value))
            writer.writerow(row)


def page_ranked(findings: list[Finding]) -> list[tuple[int, Finding]]:
    """(rank, finding) as the page ranks them: opportunities, then threats, each ranked by
    its group (a segment sub-row takes its group's rank, as "Opportunity #6" names it)."""
    ranked: list[tuple[int, Finding]] = []
    for groups in (opportunities(findings), threats(findings)):
        for rank, group in enumerate(groups, start=1):
            ranked.extend((rank, finding) for finding in group.members)
    return ranked


def write_findings(data: ReportData, out_dir: Path) -> list[Path]:
    records = [finding_record(data, rank, f) for rank, f in page_ranked(data.findings)]
    csv_path, json_path = out_dir / "findings.csv", out_dir / "findings.json"
    _write_csv(csv_path, FINDING_COLUMNS, records)
    json_path.write_text(
        json.dumps(
            {
                "report_id": data.run_id,
                "created_at": data.created_at.isoformat(),
                "own_company": data.scope.own.name,
                "min_sample": data.scope.min_sample,
                "findings": records,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return [csv_path, json_path]


def write_aspects(data: ReportData, out_dir: Path) -> Path:
    records = []
    for cell in data.cells:
        net = cell.net
        records.append(
            {
                "company": data.scope.name_of(cell.company_id),
                "own": cell.company_id == data.scope.own.id,
                "aspect": cell.aspect,
                "segment_dimension": cell.segment.dimension,
                "segment_value": cell.segment.value or "",
                "reviews": cell.reviews,
                "mentioning": cell.mentioning,
                "share": round(cell.share.value, 4),
                "positive": cell.positive,
                "negative": cell.negative,
                "net": round(net.value, 4) if cell.opinions else "",
                "net_low": round(net.low, 4) if cell.opinions else "",
                "net_high": round(net.high, 4) if cell.opinions else "",
            }
        )
    path = out_dir / "aspects.csv"
    _write_csv(path, ASPECT_COLUMNS, records)
    return path


def write_section_tables(sections: list[BuiltSection], out_dir: Path) -> list[Path]:
    """One CSV per table of the report (raw values; quotes and their URLs in a cell each)."""
    folder = out_dir / "tables"
    folder.mkdir(exist_ok=True)
    paths: list[Path] = []
    for section in sections:
        for table in section.tables():
            columns = _csv_columns(table)
            records = []
            for row in table.rows:
                record: dict[str, Any] = dict.fromkeys(columns, "")
                for key, cell in row.cells.items():
                    if key not in record:
                        continue
                    record[key] = [q.text for q in cell.quotes] if cell.quotes else cell.raw
                    if cell.interval is not None and f"{key}_low" in record:
                        record[f"{key}_low"] = cell.interval.low
                        record[f"{key}_high"] = cell.interval.high
                    if cell.significant is not None and f"{key}_significant" in record:
                        record[f"{key}_significant"] = cell.significant
                    record.update(
                        (name, value) for name, value in cell.csv_extra.items() if name in record
                    )
                record["row_level"] = row.level
                records.append(record)
            path = _unused_path(folder, f"{section.key}-{table.key}", paths)
            _write_csv(path, columns, records)
            paths.append(path)
    return paths


def _csv_columns(table: Table) -> tuple[str, ...]:
    """The table's columns, each followed by ``_low`` and ``_high`` where a cell shows an
    interval and ``_significant`` where one shows a test (so a gap that is not significant
    does not read as one in the CSV), then ``row_level``, then the cells' ``csv_extra``
    columns (``sample_ours``: our sample beside a "theirs / ours" cell's)."""
    columns: list[str] = []
    for column in table.columns:
        cells = [row.cells[column.key] for row in table.rows if column.key in row.cells]
        columns.append(column.key)
        if any(c.interval is not None for c in cells):
            columns += [f"{column.key}_low", f"{column.key}_high"]
        if any(c.significant is not None for c in cells):
            columns.append(f"{column.key}_significant")
    # Added later than the rest, so at the end: a reader of the columns by position keeps them.
    extra = [name for row in table.rows for cell in row.cells.values() for name in cell.csv_extra]
    return (*columns, "row_level", *dict.fromkeys(extra))


def _unused_path(folder: Path, stem: str, taken: list[Path]) -> Path:
    """``folder/stem.csv``, or ``stem-2.csv``... when another table took that name (two companies
    whose names fold to one slug, such as "Café Noir" and "Cafe Noir", must not overwrite)."""
    path, number = folder / f"{stem}.csv", 1
    while path in taken:
        number += 1
        path = folder / f"{stem}-{number}.csv"
    return path

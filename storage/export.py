"""``rivalscope export``: the raw data out of the database, streamed.

Rows are read in batches through a server-side cursor (``stream_results`` + ``yield_per``:
PostgreSQL's named cursor, SQLite's stepping cursor) and written batch by batch, so memory
stays flat whatever the table's size. Reviewers appear only as the stored pseudonym (a
keyed hash; raw names are never stored). CSV cells that a spreadsheet would run as a
formula are prefixed with an apostrophe. Parquet goes through pyarrow, one row group per
batch. A file is written beside its target and renamed into place when complete.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Engine,
    Select,
    String,
    Table,
    and_,
    case,
    false,
    func,
    or_,
    select,
    type_coerce,
)

from settings.user_errors import UserError
from storage.company_names import find_company, suggest_company
from storage.csv_safety import safe_cell
from storage.findings_models import (
    COUNT_UNITS,
    EFFECT_UNITS,
    LEGACY_NEED_UNIT,
    SAMPLE_UNITS,
    VALUE_UNITS,
)
from storage.schema import metadata
from storage.since_dates import future_since

ALSO_SEPARATOR = " | "
"""Between the names of the other products a review was shown under (``also_products``)."""
BATCH_ROWS = 16_384
"""Rows per fetch and per Parquet row group."""
FORMATS = ("csv", "jsonl", "parquet")


class ExportError(UserError):
    """A bad export request (unknown data set, format or company; Parquet to a terminal)."""


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    """``int``, ``float``, ``text``, ``date``, ``timestamp``, ``bool`` or ``json``."""


@dataclass(frozen=True)
class Dataset:
    name: str
    fields: tuple[Field, ...]
    query: Callable[[date | None, int | None], Select[Any]]
    """(since, company id) -> the ordered query, columns in ``fields`` order."""
    row: str
    """What a row is, as an error names it: "--since ...: no offer is that recent"."""


def _table(name: str) -> Table:
    return metadata.tables[name]


def _since_moment(since: date) -> datetime:
    return datetime.combine(since, time.min)


def _published_since(published: Any, first_seen_at: Any, since: date) -> Any:
    """Published on or after ``since``; an undated review counts from when it was first
    seen."""
    return or_(published >= since, and_(published.is_(None), first_seen_at >= _since_moment(since)))


def _reviews(since: date | None, company_id: int | None) -> Select[Any]:
    review, company, source, product, analysis = (
        _table(n) for n in ("review", "company", "source", "product", "review_analysis")
    )
    # The review's latest analysis (one row per analyser version): looked up per review
    # through the (review_id, analyzer_version) index, nothing held for the whole table.
    newer = analysis.alias("newer")
    latest = select(func.max(newer.c.id)).where(newer.c.review_id == review.c.id).scalar_subquery()
    # The other products the review was shown under (stored once, under the first).
    alias, shown = _table("review_alias"), product.alias("shown")
    also = (
        select(func.aggregate_strings(shown.c.name, ALSO_SEPARATOR))
        .select_from(alias.join(shown, shown.c.id == alias.c.product_id))
        .where(alias.c.review_id == review.c.id, alias.c.product_id != review.c.product_id)
        .scalar_subquery()
    )
    query = (
        select(
            review.c.id,
            company.c.name,
            source.c.name,
            product.c.name,
            review.c.published,
            review.c.language,
            review.c.region,
            review.c.rating,
            review.c.best_rating,
            review.c.rating_normalized,
            review.c.title,
            review.c.text,
            review.c.author_hash,
            review.c.url,
            review.c.first_seen_at,
            analysis.c.label,
            analysis.c.polarity,
            analysis.c.confidence,
            analysis.c.model,
            also,
            review.c.edited_at,
        )
        .select_from(
            review.join(company, company.c.id == review.c.company_id)
            .join(source, source.c.id == review.c.source_id)
            .outerjoin(product, product.c.id == review.c.product_id)
            .outerjoin(analysis, analysis.c.id == latest)
        )
        .order_by(review.c.id)
    )
    if since is not None:
        query = query.where(_published_since(review.c.published, review.c.first_seen_at, since))
    if company_id is not None:
        query = query.where(review.c.company_id == company_id)
    return query


def _offers(since: date | None, company_id: int | None) -> Select[Any]:
    """One row a product (a variant is one, beside its parent's code and name) with its
    latest observation, which ``listing`` says came from a listing page's card."""
    product, company, offer = (_table(n) for n in ("product", "company", "offer_observation"))
    parent = _table("product_parent")
    latest = (
        select(offer.c.product_id, func.max(offer.c.id).label("offer_id"))
        .group_by(offer.c.product_id)
        .subquery()
    )
    query = (
        select(
            product.c.id,
            company.c.name,
            product.c.name,
            product.c.sku,
            product.c.gtin,
            product.c.brand,
            product.c.category,
            product.c.plan,
            offer.c.price_value,
            offer.c.currency,
            offer.c.availability,
            offer.c.listing,
            parent.c.code,
            parent.c.name,
            product.c.size,
            product.c.colour,
            product.c.url,
            product.c.first_seen_at,
            product.c.last_seen_at,
        )
        .select_from(
            product.join(company, company.c.id == product.c.company_id)
            .outerjoin(latest, latest.c.product_id == product.c.id)
            .outerjoin(offer, offer.c.id == latest.c.offer_id)
            .outerjoin(parent, parent.c.id == product.c.parent_id)
        )
        .order_by(product.c.id)
    )
    if since is not None:
        query = query.where(product.c.last_seen_at >= _since_moment(since))
    if company_id is not None:
        query = query.where(product.c.company_id == company_id)
    return query


def _prices(since: date | None, company_id: int | None) -> Select[Any]:
    """Each observation; with ``since``, those from it on and, per price history (a product's
    page or listing observations), the one in force when ``since`` begins: without it the
    window's first row read as a change (or hid one) with nothing to compare it with."""
    product, company, offer = (_table(n) for n in ("product", "company", "offer_observation"))
    in_force = offer.c.observed_at < _since_moment(since) if since is not None else false()
    query = (
        select(
            offer.c.id,
            product.c.id,
            company.c.name,
            product.c.name,
            offer.c.observed_at,
            offer.c.price_value,
            offer.c.currency,
            offer.c.availability,
            offer.c.listing,
            offer.c.url,
            in_force,
        )
        .select_from(
            offer.join(product, product.c.id == offer.c.product_id).join(
                company, company.c.id == product.c.company_id
            )
        )
        .order_by(offer.c.id)
    )
    if since is not None:
        latest_first = func.row_number().over(
            partition_by=(offer.c.product_id, offer.c.listing),
            order_by=(offer.c.observed_at.desc(), offer.c.id.desc()),
        )
        before = (
            select(offer.c.id, latest_first.label("newness"))
            .where(offer.c.observed_at < _since_moment(since))
            .subquery("before_since")
        )
        query = query.where(
            or_(
                offer.c.observed_at >= _since_moment(since),
                offer.c.id.in_(select(before.c.id).where(before.c.newness == 1)),
            )
        )
    if company_id is not None:
        query = query.where(product.c.company_id == company_id)
    return query


def _opinions(since: date | None, company_id: int | None) -> Select[Any]:
    """One row per aspect opinion the analysis found (a review's verdict on one aspect in
    one sentence), with the sentence: what the report counts, for a pivot of your own."""
    mention, company, review, source, product, sentence = (
        _table(n)
        for n in ("aspect_mention", "company", "review", "source", "product", "review_sentence")
    )
    query = (
        select(
            mention.c.id,
            mention.c.review_id,
            company.c.name,
            source.c.name,
            product.c.name,
            mention.c.published,
            mention.c.language,
            review.c.region,
            mention.c.aspect,
            mention.c.label,
            mention.c.polarity,
            mention.c.term,
            sentence.c.text,
        )
        .select_from(
            mention.join(company, company.c.id == mention.c.company_id)
            .join(review, review.c.id == mention.c.review_id)
            .join(source, source.c.id == review.c.source_id)
            .outerjoin(product, product.c.id == review.c.product_id)
            .outerjoin(
                sentence,
                and_(
                    sentence.c.review_id == mention.c.review_id,
                    sentence.c.position == mention.c.sentence_position,
                ),
            )
        )
        .order_by(mention.c.id)
    )
    if since is not None:
        query = query.where(_published_since(mention.c.published, review.c.first_seen_at, since))
    if company_id is not None:
        query = query.where(mention.c.company_id == company_id)
    return query


def _findings(since: date | None, company_id: int | None) -> Select[Any]:
    finding, run = _table("finding"), _table("report_run")
    query = (
        select(
            finding.c.report_run_id,
            run.c.created_at,
            finding.c.competitor,
            finding.c.aspect,
            finding.c.kind,
            finding.c.segment_product,
            finding.c.segment_category,
            finding.c.segment_language,
            finding.c.segment_region,
            finding.c.effect,
            finding.c.effect_low,
            finding.c.effect_high,
            finding.c.sample_size,
            finding.c.own_sample_size,
            finding.c.score,
            finding.c.summary,
            finding.c.quotes,
            case(
                # An unmet need stored before revision 0018 holds their share alone.
                (
                    and_(finding.c.kind == "unmet_need", finding.c.competitor_value.is_(None)),
                    LEGACY_NEED_UNIT,
                ),
                else_=_unit_of(finding.c.kind, EFFECT_UNITS),
            ),
            _unit_of(finding.c.kind, SAMPLE_UNITS),
            finding.c.competitor_value,
            finding.c.own_value,
            _unit_of(finding.c.kind, VALUE_UNITS),
            finding.c.competitor_count,
            finding.c.own_count,
            _unit_of(finding.c.kind, COUNT_UNITS),
            finding.c.p_value,
            finding.c.p_adjusted,
            finding.c.own_base,
        )
        .select_from(finding.join(run, run.c.id == finding.c.report_run_id))
        .order_by(finding.c.report_run_id, finding.c.score.desc(), finding.c.id)
    )
    if since is not None:
        query = query.where(run.c.created_at >= _since_moment(since))
    if company_id is not None:
        query = query.where(finding.c.competitor_id == company_id)
    return query


def _unit_of(kind: Any, units: dict[str, str]) -> Any:
    """What a finding of ``kind`` measures, as the report's findings.csv says it ("" for a
    kind without one)."""
    return case(units, value=kind, else_="")


def _fields(spec: str) -> tuple[Field, ...]:
    return tuple(Field(*item.split(":")) for item in spec.split())


DATASETS = {
    "reviews": Dataset(
        "reviews",
        _fields(
            "id:int company:text source:text product:text published:date language:text "
            "region:text rating:float best_rating:float rating_normalized:float title:text "
            "text:text author_pseudonym:text url:text first_seen_at:timestamp "
            "sentiment:text sentiment_polarity:float sentiment_confidence:float "
            "sentiment_model:text also_products:text edited_at:timestamp"
        ),
        _reviews,
        "review",
    ),
    "offers": Dataset(
        "offers",
        _fields(
            "product_id:int company:text product:text sku:text gtin:text brand:text "
            "category:text plan:text price:float currency:text availability:text listing:bool "
            "parent_code:text parent_name:text size:text colour:text url:text "
            "first_seen_at:timestamp last_seen_at:timestamp"
        ),
        _offers,
        "offer",
    ),
    "prices": Dataset(
        "prices",
        _fields(
            "observation_id:int product_id:int company:text product:text "
            "observed_at:timestamp price:float currency:text availability:text listing:bool "
            "url:text in_force_at_since:bool"
        ),
        _prices,
        "price",
    ),
    "opinions": Dataset(
        "opinions",
        _fields(
            "opinion_id:int review_id:int company:text source:text product:text "
            "published:date language:text region:text aspect:text label:text polarity:float "
            "term:text sentence:text"
        ),
        _opinions,
        "opinion",
    ),
    "findings": Dataset(
        "findings",
        _fields(
            "report_id:int report_created_at:timestamp competitor:text aspect:text kind:text "
            "segment_product:text segment_category:text segment_language:text "
            "segment_region:text effect:float effect_low:float effect_high:float "
            "sample_size:int own_sample_size:int score:float summary:text quotes:json "
            # after the columns consumers read by position; the names of findings.csv
            "effect_unit:text sample_unit:text competitor_value:float own_value:float "
            "value_unit:text competitor_count:int own_count:int count_unit:text "
            "p_value:float p_adjusted:float own_base:text"
        ),
        _findings,
        "finding",
    ),
}


def company_id_for(engine: Engine, name: str) -> int:
    """The id of the company ``name`` means (accents and case aside), or an ExportError
    with a suggestion."""
    company = _table("company")
    with engine.connect() as connection:
        rows = {str(n): int(i) for i, n in connection.execute(select(company.c.id, company.c.name))}
    match = find_company(name, rows)
    if match is None:
        raise ExportError(f"no company named {name!r}; {suggest_company(name, rows)}")
    return rows[match]


def stream_rows(
    engine: Engine, dataset: Dataset, since: date | None, company_id: int | None
) -> Iterator[Sequence[Any]]:
    """Batches of rows (tuples in ``dataset.fields`` order), read through a server-side
    cursor."""
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
            dataset.query(since, company_id)
        )
        yield from result.partitions()


# --- writers ------------------------------------------------------------------------------


def _iso(value: datetime | date) -> str:
    """A date, or a moment in UTC with its offset: SQLite hands the stored UTC times back
    without one, PostgreSQL with it, and an export reads the same from either."""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _text_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return _iso(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(handle: IO[str], dataset: Dataset, batches: Iterator[Sequence[Any]]) -> int:
    writer = csv.writer(handle)
    writer.writerow([f.name for f in dataset.fields])
    count = 0
    for batch in batches:
        writer.writerows([safe_cell(_text_value(v)) for v in row] for row in batch)
        count += len(batch)
    return count


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return _iso(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_jsonl(handle: IO[str], dataset: Dataset, batches: Iterator[Sequence[Any]]) -> int:
    names = [f.name for f in dataset.fields]
    count = 0
    for batch in batches:
        handle.write(
            "".join(
                json.dumps(
                    dict(zip(names, row, strict=True)), ensure_ascii=False, default=_json_default
                )
                + "\n"
                for row in batch
            )
        )
        count += len(batch)
    return count


def stream_raw_rows(
    engine: Engine, dataset: Dataset, since: date | None, company_id: int | None
) -> Iterator[Sequence[Any]]:
    """Like ``stream_rows``, but dates and timestamps as the driver gives them (SQLite: as
    text): Parquet parses whole columns at once in Arrow, several times faster than
    converting value by value."""
    query = dataset.query(since, company_id)
    columns = [
        type_coerce(column, String) if field.kind in ("date", "timestamp") else column
        for column, field in zip(query.selected_columns, dataset.fields, strict=True)
    ]
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
            query.with_only_columns(*columns)
        )
        yield from result.partitions()


def write_parquet(path: Path, dataset: Dataset, batches: Iterator[Sequence[Any]]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = _arrow_types()
    schema = pa.schema([pa.field(f.name, types[f.kind]) for f in dataset.fields])
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches:
            columns = list(zip(*batch, strict=True))
            arrays = [
                _arrow_column(values, f.kind)
                for values, f in zip(columns, dataset.fields, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(batch)
    return count


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "int": pa.int64(),
        "float": pa.float64(),
        "text": pa.string(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "bool": pa.bool_(),
        "json": pa.list_(pa.string()),
    }


def _arrow_column(values: Sequence[Any], kind: str) -> Any:
    """One column as an Arrow array; text dates and timestamps (SQLite) are parsed by
    Arrow in one call, naive timestamps read as UTC (what the database stores)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    target = _arrow_types()[kind]
    sample = next((v for v in values if v is not None), None)
    if kind in ("date", "timestamp") and isinstance(sample, str):
        parsed = pc.cast(
            pa.array(values, pa.string()), pa.date32() if kind == "date" else pa.timestamp("us")
        )
        return parsed.cast(target)
    if kind == "timestamp":
        values = [v if v is None or v.tzinfo is not None else v.replace(tzinfo=UTC) for v in values]
    if kind == "json":
        values = [
            None if v is None else [str(x) for x in (json.loads(v) if isinstance(v, str) else v)]
            for v in values
        ]
    return pa.array(values, type=target)


@dataclass(frozen=True)
class ExportResult:
    rows: int
    path: Path | None


def export(
    engine: Engine,
    dataset_name: str,
    output_format: str,
    *,
    out: Path | None = None,
    since: date | None = None,
    company: str | None = None,
    stdout: IO[str] | None = None,
) -> ExportResult:
    """Export one data set; ``out`` None writes CSV or JSON lines to ``stdout``."""
    dataset = DATASETS.get(dataset_name)
    if dataset is None:
        raise ExportError(f"unknown data set {dataset_name!r}; choose one of {', '.join(DATASETS)}")
    if output_format not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if out is None and output_format == "parquet":
        raise ExportError("Parquet is binary: name a file with --out FILE.parquet")
    if out is not None and out.is_dir():
        raise ExportError(f"{out} is a folder: name a file with --out")
    if out is not None and not out.parent.is_dir():
        raise ExportError(f"folder {out.parent} does not exist")
    if (
        future := future_since(since, rows=dataset.row)
    ) is not None:  # as `report` refuses it: no empty file
        raise ExportError(future)
    company_id = None if company is None else company_id_for(engine, company)
    batches = stream_rows(engine, dataset, since, company_id)
    if out is None:
        handle = stdout or sys.stdout
        write = write_csv if output_format == "csv" else write_jsonl
        return ExportResult(write(handle, dataset, batches), None)
    # A device or a pipe (/dev/stdout, a FIFO) is written through: renaming a file onto it
    # would put a file in its place. A link's file is replaced, the link kept.
    through = out.exists() and not out.is_file()
    target = out if through else out.resolve()
    partial = target if through else target.with_name(f".{target.name}.partial")
    try:
        if output_format == "parquet":
            raw = stream_raw_rows(engine, dataset, since, company_id)
            rows = write_parquet(partial, dataset, raw)
        else:
            write = write_csv if output_format == "csv" else write_jsonl
            with partial.open("w", encoding="utf-8", newline="") as handle:
                rows = write(handle, dataset, batches)
        if not through:
            os.replace(partial, target)
    except OSError as exc:  # a read-only folder, a full disk, /proc...
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if not through:
            with contextlib.suppress(OSError):  # a read-only file system refuses even that
                partial.unlink(missing_ok=True)
    return ExportResult(rows, out)

"""Every stored column of two crawls compared, table by table (ids and moments aside).

Rows are matched by their natural key (company and content key, company and product key,
source name); ids, run ids and timestamps differ between any two crawls and are left out.
Used by ``benchmarks/distributed.py`` to say which tables and columns differ.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import MetaData, Table, select
from sqlalchemy.engine import Engine

IGNORED = {"id", "crawl_run_id", "pid", "queue", "workers", "peak_memory_mb", "error_samples"}
"""Columns that differ between any two crawls (ids, the process, the queue URL)."""
RUN_ONLY = {"pages", "status_counts"}
"""crawl_run columns a distributed run adds its workers' robots.txt fetches to."""
DATA_TABLES = ("review", "product", "offer_observation")
EXAMPLES = 2
"""Differing rows shown per table and column."""


def _rows(engine: Engine) -> dict[str, dict[Any, Any]]:
    meta = MetaData()
    meta.reflect(engine, only=["company", "source", "product", *DATA_TABLES, "crawl_run"])
    with engine.connect() as conn:

        def read(name: str) -> list[dict[str, Any]]:
            table: Table = meta.tables[name]
            return [dict(row._mapping) for row in conn.execute(select(table))]

        companies = {r["id"]: r["name"] for r in read("company")}
        sources = {r["id"]: r["name"] for r in read("source")}
        products = read("product")
        product_keys = {p["id"]: (companies[p["company_id"]], p["key"]) for p in products}

        def natural(row: dict[str, Any]) -> dict[str, Any]:
            out = {}
            for column, value in row.items():
                if column in IGNORED or column.endswith("_at"):
                    continue
                if column == "company_id":
                    column, value = "company", companies[value]
                elif column == "source_id":
                    column, value = "source", sources[value]
                elif column == "product_id":
                    column, value = "product", product_keys.get(value)
                out[column] = value
            return out

        tables: dict[str, dict[Any, Any]] = {}
        tables["review"] = {
            (companies[r["company_id"]], r["content_key"]): natural(r) for r in read("review")
        }
        tables["product"] = {product_keys[p["id"]]: natural(p) for p in products}
        observations: dict[Any, list[Any]] = defaultdict(list)
        for o in read("offer_observation"):
            observations[product_keys[o["product_id"]]].append(
                tuple(sorted(natural(o).items(), key=lambda kv: kv[0]))
            )
        tables["offer_observation"] = {k: Counter(v) for k, v in observations.items()}
        tables["crawl_run"] = {sources[r["source_id"]]: natural(r) for r in read("crawl_run")}
    return tables


def row_differences(reference: Engine, other: Engine) -> tuple[list[str], list[str]]:
    """(differences in the data tables, differences in crawl_run), one line per table and
    column: how many rows differ and one example."""
    ours, theirs = _rows(reference), _rows(other)
    data: list[str] = []
    runs: list[str] = []
    for table in (*DATA_TABLES, "crawl_run"):
        out = data if table in DATA_TABLES else runs
        a, b = ours[table], theirs[table]
        if missing := sorted(set(a) - set(b), key=repr):
            out.append(f"{table}: {len(missing)} rows missing, e.g. {missing[0]!r}")
        if extra := sorted(set(b) - set(a), key=repr):
            out.append(f"{table}: {len(extra)} rows extra, e.g. {extra[0]!r}")
        by_column: dict[str, list[Any]] = defaultdict(list)
        for key in set(a) & set(b):
            if table == "offer_observation":
                if a[key] != b[key]:
                    # Only the observations one side has: the shared ones say nothing.
                    only_a, only_b = a[key] - b[key], b[key] - a[key]
                    by_column["(observations of the product)"].append(
                        (key, dict(only_a), dict(only_b))
                    )
                continue
            for column in a[key].keys() | b[key].keys():
                if table == "crawl_run" and column in RUN_ONLY:
                    continue
                if a[key].get(column) != b[key].get(column):
                    by_column[column].append((key, a[key].get(column), b[key].get(column)))
        for column, cases in sorted(by_column.items()):
            examples = "; ".join(
                f"{key!r}: {str(was)[:400]!r} -> {str(now)[:400]!r}"
                for key, was, now in sorted(cases, key=repr)[:EXAMPLES]
            )
            out.append(f"{table}.{column}: {len(cases)} rows differ, e.g. {examples}")
    return data, runs

"""Cost of ``rivalscope db merge-copies`` (``storage.merge_copies``) on a large database.

Usage: python benchmarks/merge_copies.py N [--copies SHARE] [--keyless SHARE] [--url URL]
       [--repeat K] [--findings F]

Builds a database of N stored reviews (default SQLite in a temporary folder; ``--url`` a
PostgreSQL database, in a schema of its own made for the run and dropped after it) of one company, 200 products: a
share SHARE (default 0.1) of them are the page's cut copies (no id, "…  Read more") of a
review stored with its site id, as a crawl stored them before it knew copies; one review in
ten starts with the same 8 words as another one without being its copy (looked at, not
merged). Every review has an analysis (one ``review_analysis`` row, two aspect mentions),
and ``--findings`` stored findings (default 200) cite 20 reviews each. Then times, in each repetition on a fresh
build: a dry run, the merge, and the merge again (nothing left). ``--keyless`` (default
0): a share of the rows stored as an older version stored them, without identity and copy
keys (``storage.keyless_rows``); ``scan`` times counting them (``count_keyless``, what
`runs` and `report` pay) before the merge, ``scan_after`` once none is left, and
``keyless_after`` the keying step alone (``merge_keyless``, what `analyze` runs first). Prints wall and CPU
seconds (this process's; PostgreSQL's own work shows in the wall time only) and the counts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text
from sqlmodel import Session

from settings.content_keys import copy_key, review_content_key, review_identity_key
from storage.analysis_models import AspectMention, ReviewAnalysis
from storage.db import open_database
from storage.findings_models import Finding, ReportRun
from storage.keyless_rows import count_keyless
from storage.merge_copies import merge_keyless, merge_stored_copies
from storage.models import Company, Product, Review, Source

WORDS = tuple(
    [
        "kettle",
        "lid",
        "cord",
        "boils",
        "litre",
        "quickly",
        "quietly",
        "handle",
        "spout",
        "filter",
        "scale",
        "water",
        "steam",
        "button",
        "light",
        "base",
        "switch",
        "cup",
        "fast",
        "slow",
        "warm",
        "hot",
        "cold",
        "clean",
        "easy",
        "hard",
        "heavy",
        "small",
    ]
)


def _texts(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(30)]
        if i % 10 == 1:  # starts as the previous one does: another review, same copy key
            words[:8] = out[-1].split()[:8]
        else:
            words[0] = f"n{i}"
        out.append(" ".join(words).capitalize() + ".")
    return out


def build(
    engine: Engine, n: int, share: float, findings: int = 200, seed: int = 7, keyless: float = 0.0
) -> None:
    rng = random.Random(seed)
    with Session(engine) as session:
        company = Company(name="Bench")
        session.add(company)
        session.flush()
        assert company.id is not None
        source = Source(name="bench-shop", company_id=company.id)
        products = [
            Product(key=f"name:p{i}", name=f"p{i}", company_id=company.id) for i in range(200)
        ]
        session.add(source)
        session.add_all(products)
        session.flush()
        ids = (company.id, source.id, [p.id for p in products])
        session.commit()
    company_id, source_id, product_ids = ids
    copies = int(n * share)
    texts = _texts(rng, n - copies)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    for i, body in enumerate(texts):
        published = date(2024, 1, 1) + timedelta(days=i % 300)
        product = product_ids[i % len(product_ids)]
        rows.append(_row(company_id, source_id, product, body, f"r{i}", published, start, i))
    for j in range(copies):  # the page's teaser of review j (stored before it, no date)
        body = " ".join(texts[j].split()[:14]) + "…  Read more"
        product = product_ids[j % len(product_ids)]
        rows.append(_row(company_id, source_id, product, body, None, None, start, -j - 1))
    rng.shuffle(rows)
    for row in rows[: int(n * keyless)]:  # an older version's writes: no keys
        row["identity_key"] = row["copy_key"] = None
    with engine.begin() as conn:
        for at in range(0, len(rows), 5000):
            conn.execute(insert(Review.__table__), rows[at : at + 5000])  # type: ignore[attr-defined]
        review_ids = list(conn.execute(text("SELECT id FROM review")).scalars())
        analyses = [
            {
                "review_id": r,
                "analyzer_version": "v",
                "company_id": company_id,
                "label": "positive",
                "model": "m",
                "analyzed_at": start,
            }
            for r in review_ids
        ]
        mentions = [
            {
                "review_id": r,
                "company_id": company_id,
                "sentence_position": p,
                "aspect": "lid",
                "label": "positive",
                "term": "lid",
            }
            for r in review_ids
            for p in (0, 1)
        ]
        for table, values in ((ReviewAnalysis, analyses), (AspectMention, mentions)):
            for at in range(0, len(values), 5000):
                conn.execute(insert(table.__table__), values[at : at + 5000])  # type: ignore[attr-defined]
    with Session(engine) as session:
        run = ReportRun()
        session.add(run)
        session.commit()
        run_id = run.id
    finding = {
        "report_run_id": run_id,
        "competitor_id": company_id,
        "competitor": "Bench",
        "aspect": "lid",
        "kind": "competitor_weakness",
        "effect": 0.1,
        "effect_low": 0.0,
        "effect_high": 0.2,
        "sample_size": 20,
        "score": 1.0,
    }
    cited = [
        {**finding, "summary": f"s{f}", "evidence_review_ids": rng.sample(review_ids, 20)}
        for f in range(findings)
    ]
    with engine.begin() as conn:
        for at in range(0, len(cited), 5000):
            conn.execute(insert(Finding.__table__), cited[at : at + 5000])  # type: ignore[attr-defined]


def _row(
    company: int,
    source: int,
    product: int,
    body: str,
    site_id: str | None,
    published: date | None,
    start: datetime,
    order: int,
) -> dict[str, Any]:
    author = f"{abs(order) % 997:032x}" if site_id else None
    return {
        "company_id": company,
        "source_id": source,
        "product_id": product,
        "content_key": review_content_key(
            external_id=site_id,
            text=body,
            title=None,
            rating_raw=4.0,
            date_raw=published.isoformat() if published else None,
            author=author,
            product=str(product),
        ),
        "identity_key": review_identity_key(
            external_id=site_id,
            text=body,
            title=None,
            rating=4.0,
            published=published,
            author_hash=author,
        ),
        "copy_key": copy_key(body),
        "text": body,
        "rating": 4.0,
        "best_rating": 5.0,
        "rating_normalized": 0.75,
        "published": published,
        "author_hash": author,
        "external_id": site_id,
        "first_seen_at": start + timedelta(seconds=order + 10**6),
    }


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return count_keyless(conn)


def _timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--copies", type=float, default=0.1)
    parser.add_argument("--keyless", type=float, default=0.0)
    parser.add_argument("--url")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--findings", type=int, default=200, help="stored findings (20 ids each)")
    args = parser.parse_args()
    steps: list[tuple[str, Callable[[Engine], Any]]] = [
        ("scan", _count),
        ("dry", lambda e: merge_stored_copies(e, dry_run=True)),
        ("merge", merge_stored_copies),
        ("again", merge_stored_copies),
        ("keyless_after", merge_keyless),
        ("scan_after", _count),
    ]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in steps}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="merge-copies-") as folder:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            admin = create_engine(args.url) if args.url else None
            if admin is not None:
                with admin.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = (
                f"{args.url}?options=-csearch_path%3D{schema}"
                if args.url
                else f"sqlite:///{folder}/bench.db"
            )
            engine = open_database(url)
            try:
                wall, _cpu, _ = _timed(
                    lambda e=engine: build(
                        e, args.n, args.copies, args.findings, keyless=args.keyless
                    )
                )
                print(f"built {args.n} reviews in {wall:.1f} s")
                for name, step in steps:
                    wall, cpu, counts = _timed(lambda e=engine, step=step: step(e))
                    results[name].append((wall, cpu))
                    print(f"{name}: wall {wall:.2f} s cpu {cpu:.2f} s  {counts}")
            finally:
                engine.dispose()
                if admin is not None:
                    with admin.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                    admin.dispose()
    for name, runs in results.items():
        print(
            f"{name}_wall_s={statistics.median(w for w, _ in runs):.2f} "
            f"{name}_cpu_s={statistics.median(c for _, c in runs):.2f}"
        )


if __name__ == "__main__":
    main()

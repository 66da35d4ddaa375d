"""Synthetic analysed reviews with known gaps, for tests and ``benchmarks/report.py``.

Writes companies, one source each, a few products with offers, reviews, and the analysis
rows the report reads (sentences, aspect mentions, needs) with SQLAlchemy core inserts in
batches. ``positive_share[(company, aspect)]`` plants gaps; everything else is ``base``.

Each review is stored as the crawl's writer stores one (``_keyed``): with the site's id of a
review (the texts repeat a few phrases: two reviews of one product, day and rating may read
alike, and a site tells them apart by its id) and the identity and copy keys computed by
the writer's functions. Stored without them, they were the rows an older rivalscope wrote
(``storage.keyless_rows``), and every report on them said so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, MetaData, Table

from compare.analysis.version import ANALYZER_VERSION
from settings.content_keys import copy_key
from storage.review_copies import identity_of_row
from storage.schema import metadata

ASPECTS = ("delivery", "price", "quality", "customer_service", "usability")
BATCH = 20_000
TABLES = ("review", "review_sentence", "aspect_mention", "review_need", "review_analysis")
"""Written in this order (the review first: the others refer to it)."""
PHRASES = {
    ("delivery", "positive"): "Delivery was fast and the parcel arrived intact.",
    ("delivery", "negative"): "Delivery was late and the box arrived damaged.",
    ("price", "positive"): "The price is fair for what you get.",
    ("price", "negative"): "Far too expensive for what it is.",
    ("quality", "positive"): "Build quality is excellent.",
    ("quality", "negative"): "The quality is poor, it broke quickly.",
    ("customer_service", "positive"): "Support answered quickly and helped.",
    ("customer_service", "negative"): "Support never answered my emails.",
    ("usability", "positive"): "Very easy to use every morning.",
    ("usability", "negative"): "Confusing to use, the buttons are awkward.",
}


@dataclass
class SyntheticPlan:
    own: str = "Own Coffee"
    competitors: tuple[str, ...] = ("Rival A", "Rival B")
    reviews: int = 1000
    base_positive_share: float = 0.7
    positive_share: dict[tuple[str, str], float] = field(default_factory=dict)
    need_share: dict[tuple[str, str], float] = field(default_factory=dict)
    """(company, need topic) -> share of its reviews voicing it as a wish."""
    languages: tuple[str, ...] = ("en", "fr")
    company_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A company's review languages where not ``languages``."""
    language_positive_share: dict[tuple[str, str, str], float] = field(default_factory=dict)
    """(company, aspect, language) -> positive share, over ``positive_share`` (customers of
    one language harsher on an aspect at every shop: a segment-mix effect)."""
    products_per_company: int = 4
    seed: int = 1


def _table(name: str) -> Table:
    return metadata.tables[name]


def populate(engine: Engine, plan: SyntheticPlan) -> dict[str, int]:
    """Fill an empty, migrated database; returns company name -> id."""
    rng = random.Random(plan.seed)
    now = datetime.now(UTC)
    names = (plan.own, *plan.competitors)
    company_ids: dict[str, int] = {}
    products: dict[str, list[int]] = {}
    with engine.begin() as connection:
        for i, name in enumerate(names):
            company_id = connection.execute(
                _table("company").insert().values(name=name, is_own=i == 0, created_at=now)
            ).inserted_primary_key[0]  # type: ignore[index]
            company_ids[name] = int(company_id)
            source_id = connection.execute(
                _table("source")
                .insert()
                .values(
                    name=f"{name} shop",
                    kind="crawl",
                    holds="both",
                    company_id=company_id,
                    created_at=now,
                    healthy=True,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            products[name] = []
            for p in range(plan.products_per_company):
                product_id = connection.execute(
                    _table("product")
                    .insert()
                    .values(
                        key=f"gtin:{4000000000000 + p}",
                        name=f"Model {p} Grinder",
                        gtin=str(4000000000000 + p),
                        category="grinders" if p % 2 else "brewers",
                        company_id=company_id,
                        first_seen_at=now,
                        last_seen_at=now,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
                products[name].append(int(product_id))
                price = (100 + 20 * p) * (1.3 if i == 1 else 1.0)
                connection.execute(
                    _table("offer_observation")
                    .insert()
                    .values(
                        product_id=product_id,
                        source_id=source_id,
                        observed_at=now,
                        price=f"{price:.2f}",
                        price_value=price,
                        currency="EUR",
                        availability="InStock",
                    )
                )
            company_ids[f"source:{name}"] = int(source_id)
    _insert_reviews(engine, plan, rng, company_ids, products)
    return {n: company_ids[n] for n in names}


def _insert_reviews(
    engine: Engine,
    plan: SyntheticPlan,
    rng: random.Random,
    company_ids: dict[str, int],
    products: dict[str, list[int]],
) -> None:
    names = (plan.own, *plan.competitors)
    start_date = date(2025, 1, 1)
    review_rows: list[dict[str, Any]] = []
    sentence_rows: list[dict[str, Any]] = []
    mention_rows: list[dict[str, Any]] = []
    need_rows: list[dict[str, Any]] = []
    analysis_rows: list[dict[str, Any]] = []
    tables = {n: _table(n) for n in TABLES}
    first_seen = datetime.now(UTC)
    with engine.begin() as connection:
        for review_id in range(1, plan.reviews + 1):
            name = names[review_id % len(names)]
            company_id = company_ids[name]
            published = start_date + timedelta(days=rng.randrange(365))
            languages = plan.company_languages.get(name, plan.languages)
            language = languages[rng.randrange(len(languages))]
            aspects = rng.sample(ASPECTS, 2)
            texts, positives = [], 0
            for position, aspect in enumerate(aspects):
                share = plan.language_positive_share.get(
                    (name, aspect, language),
                    plan.positive_share.get((name, aspect), plan.base_positive_share),
                )
                label = "positive" if rng.random() < share else "negative"
                positives += label == "positive"
                text = PHRASES[(aspect, label)]
                texts.append(text)
                sentence_rows.append(
                    {
                        "review_id": review_id,
                        "position": position,
                        "text": text,
                        "polarity": 0.5 if label == "positive" else -0.5,
                        "label": label,
                        "aspects": aspect,
                    }
                )
                mention_rows.append(
                    {
                        "review_id": review_id,
                        "company_id": company_id,
                        "published": published,
                        "language": language,
                        "sentence_position": position,
                        "aspect": aspect,
                        "polarity": 0.5 if label == "positive" else -0.5,
                        "label": label,
                        "term": aspect,
                    }
                )
            for (need_company, topic), share in plan.need_share.items():
                if need_company == name and rng.random() < share:
                    text = f"I wish it had a {topic}."
                    texts.append(text)
                    need_rows.append(
                        {
                            "review_id": review_id,
                            "company_id": company_id,
                            "published": published,
                            "language": language,
                            "sentence_position": len(texts) - 1,
                            "text": text,
                            "kind": "wish",
                            "aspect": topic,
                        }
                    )
            review_rows.append(
                _keyed(
                    {
                        "id": review_id,
                        "company_id": company_id,
                        "source_id": company_ids[f"source:{name}"],
                        "product_id": products[name][rng.randrange(len(products[name]))],
                        "content_key": f"synthetic-{review_id}",
                        "first_seen_at": first_seen,
                        "text": " ".join(texts),
                        "rating": 1 + positives * 2,
                        "best_rating": 5,
                        "worst_rating": 1,
                        "rating_normalized": positives / 2,
                        "published": published,
                        "language": language,
                        "region": "North" if review_id % 3 else "South",
                        "url": f"https://reviews.invalid/{company_id}/{review_id}",
                        "external_id": f"synthetic-{review_id}",
                    }
                )
            )
            analysis_rows.append(
                {
                    "review_id": review_id,
                    "analyzer_version": ANALYZER_VERSION,
                    "company_id": company_id,
                    "language": language,
                    "label": "positive" if positives else "negative",
                    "model": "synthetic",
                    "published": published,
                    "analyzed_at": first_seen,
                }
            )
            buffers = (review_rows, sentence_rows, mention_rows, need_rows, analysis_rows)
            if len(review_rows) >= BATCH:
                _flush(connection, tables, *buffers)
        _flush(
            connection, tables, review_rows, sentence_rows, mention_rows, need_rows, analysis_rows
        )


def _keyed(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the identity and copy keys the crawl's writer stores a review with
    (``storage.writer``: ``review_identity_key`` and ``copy_key`` of its columns)."""
    columns = {"title": None, "rating": None, "published": None, "author_hash": None, **row}
    return {**row, "identity_key": identity_of_row(columns), "copy_key": copy_key(row["text"])}


def _flush(connection: Any, tables: dict[str, Table], *buffers: list[dict[str, Any]]) -> None:
    for name, rows in zip(TABLES, buffers, strict=True):
        if rows:
            connection.execute(tables[name].insert(), rows)
            rows.clear()


def add_review(
    engine: Engine,
    company_id: int,
    text: str,
    aspect: str,
    label: str,
    review_id: int,
    rating_normalized: float | None = 0.0,
) -> None:
    """One extra analysed review (e.g. hostile text for the escaping tests)."""
    source_id = _source_of(engine, company_id)
    with engine.begin() as connection:
        connection.execute(
            _table("review")
            .insert()
            .values(
                _keyed(
                    {
                        "id": review_id,
                        "company_id": company_id,
                        "source_id": source_id,
                        "text": text,
                        "content_key": f"extra-{review_id}",
                        "external_id": f"extra-{review_id}",
                        "first_seen_at": datetime.now(UTC),
                        "published": date(2025, 6, 1),
                        "language": "en",
                        "rating_normalized": rating_normalized,
                    }
                )
            )
        )
        connection.execute(
            _table("review_sentence")
            .insert()
            .values(review_id=review_id, position=0, text=text, label=label)
        )
        connection.execute(
            _table("aspect_mention")
            .insert()
            .values(
                review_id=review_id,
                company_id=company_id,
                sentence_position=0,
                aspect=aspect,
                label=label,
                term=aspect,
                language="en",
            )
        )
        connection.execute(
            _table("review_need")
            .insert()
            .values(
                review_id=review_id,
                company_id=company_id,
                sentence_position=0,
                text=text,
                kind="complaint",
                aspect=aspect,
            )
        )
        connection.execute(
            _table("review_analysis")
            .insert()
            .values(
                review_id=review_id,
                analyzer_version=ANALYZER_VERSION,
                company_id=company_id,
                language="en",
                label=label,
                model="synthetic",
                analyzed_at=datetime.now(UTC),
            )
        )


def _source_of(engine: Engine, company_id: int) -> int:
    source = Table("source", MetaData(), autoload_with=engine)
    with engine.connect() as connection:
        return int(
            connection.execute(
                source.select()
                .with_only_columns(source.c.id)
                .where(source.c.company_id == company_id)
            ).scalar_one()
        )

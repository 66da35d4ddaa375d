"""``rivalscope demo`` analyses the demo shops so their planted aspects, polarity and needs show.

One real run (serve, crawl, analyse, report) in a fresh temporary folder, then the database
is compared with the demo's ground truth (``rivalscope.demo``: the same seed the command uses).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, func, select

from compare.analysis.tables import ASPECT_MENTION, REVIEW_ANALYSIS, REVIEW_NEED
from rivalscope.demo.gaps import PLANTED_GAPS, need_share
from rivalscope.demo.records import DemoReview
from rivalscope.demo.shops import generate_shops
from storage.models import Company

pytestmark = pytest.mark.slow

DEMO_TO_TAXONOMY = {"support": "customer_service"}
"""Demo aspect names that the taxonomy calls differently."""
MIN_TRUTH_MENTIONS = 20
"""Aspects with fewer ground-truth mentions at a shop are too noisy to compare."""
MIN_RECALL = 0.6
"""Share of an aspect's ground-truth mentions the taxonomy must find (reviews, not clauses)."""
NEGATIVE_SHARE_TOLERANCE = 0.2
GAP_NEGATIVE_SHARE_TOLERANCE = 0.12
"""Tighter for the aspects the planted gaps are about (what the report must get right)."""
NEED_SHARE_TOLERANCE = 0.06


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "rivalscope",
            "demo",
            "--port",
            "0",
            "--out",
            str(folder / "report"),
            # The planted truth is the four classic shops'. The scripted shops' reviews would
            # join the pooled sentiment model's training (it learns from every language), and
            # move Polish aspect shares of a non-gap aspect by a few points.
            "--no-scripted",
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "RIVALSCOPE_DATABASE_URL": url},
        timeout=280,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "reviews analysed" in run.stdout, run.stdout[-3000:]
    engine = create_engine(url)
    yield engine
    engine.dispose()


def _truth() -> dict[str, list[DemoReview]]:
    """Company name -> its valid ground-truth reviews."""
    return {
        shop.name: [r for r in shop.reviews if r.invalid_reason is None]
        for shop in generate_shops()
    }


def _company_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {str(n): int(i) for i, n in connection.execute(select(Company.id, Company.name))}  # type: ignore[call-overload]


def test_every_demo_language_is_scored_by_a_model(demo_engine: Engine) -> None:
    """Trained from the demo's ratings, or a shipped base model (kept or corrected by the
    ratings), or for French (no base model) its lexicons unless a model of the ratings
    beats them: never unknown."""
    query = select(REVIEW_ANALYSIS.c.language, REVIEW_ANALYSIS.c.model, func.count()).group_by(
        REVIEW_ANALYSIS.c.language, REVIEW_ANALYSIS.c.model
    )
    with demo_engine.connect() as connection:
        rows = connection.execute(query).all()
    models: dict[str, Counter[str]] = {}
    for language, model, count in rows:
        models.setdefault(str(language), Counter())[str(model).split(":")[0]] += int(count)
    for language in ("en", "fr", "pl", "no"):
        kinds = ("classifier", "pooled", "adapted", "base")
        kinds += ("lexicon-seed-fr+pattern-fr+cognate-fr+vader-fr",) if language == "fr" else ()
        trained = sum(models[language][kind] for kind in kinds)
        assert trained == sum(models[language].values()), (language, models[language])


def _negative_shares(engine: Engine, company_id: int) -> dict[str, tuple[int, float]]:
    c = ASPECT_MENTION.c
    query = (
        select(c.aspect, c.label, func.count(func.distinct(c.review_id)))
        .where(c.company_id == company_id, c.label.in_(("positive", "negative")))
        .group_by(c.aspect, c.label)
    )
    counts: dict[str, Counter[str]] = {}
    with engine.connect() as connection:
        for aspect, label, n in connection.execute(query):
            counts.setdefault(str(aspect), Counter())[str(label)] = int(n)
    return {
        aspect: (sum(by.values()), by["negative"] / sum(by.values()))
        for aspect, by in counts.items()
    }


def test_aspect_polarity_matches_the_planted_truth(demo_engine: Engine) -> None:
    ids = _company_ids(demo_engine)
    misses: list[str] = []
    compared = 0
    slugs = {shop.name: shop.slug for shop in generate_shops()}
    gap_aspects = {
        (slug, gap.topic)
        for gap in PLANTED_GAPS
        if gap.kind != "unmet_need"
        for slug in (gap.company, gap.compare_with)
        if slug is not None
    }
    for company, reviews in _truth().items():
        found = _negative_shares(demo_engine, ids[company])
        truth: dict[str, Counter[str]] = {}
        for review in reviews:
            for aspect, polarity in review.aspects.items():
                truth.setdefault(aspect, Counter())[polarity] += 1
        for aspect, by in truth.items():
            total = by["positive"] + by["negative"]
            if total < MIN_TRUTH_MENTIONS:
                continue
            compared += 1
            expected = by["negative"] / total
            mentions, share = found.get(DEMO_TO_TAXONOMY.get(aspect, aspect), (0, 0.0))
            tolerance = (
                GAP_NEGATIVE_SHARE_TOLERANCE
                if (slugs[company], aspect) in gap_aspects
                else NEGATIVE_SHARE_TOLERANCE
            )
            if mentions < MIN_RECALL * total or abs(share - expected) > tolerance:
                misses.append(
                    f"{company} {aspect}: {mentions} mentions, negative {share:.2f} "
                    f"(truth {total}, {expected:.2f})"
                )
    assert compared >= 15
    assert not misses, misses


def test_planted_needs_are_found_with_their_topic(demo_engine: Engine) -> None:
    ids = _company_ids(demo_engine)
    truth = _truth()
    shops = {shop.slug: shop.name for shop in generate_shops()}
    c = REVIEW_NEED.c
    for gap in [g for g in PLANTED_GAPS if g.kind == "unmet_need"]:
        company = shops[gap.company]
        expected = need_share(truth[company], gap.topic)
        with demo_engine.connect() as connection:
            total = connection.execute(
                select(func.count())
                .select_from(REVIEW_ANALYSIS)
                .where(REVIEW_ANALYSIS.c.company_id == ids[company])
            ).scalar_one()
            by_topic: dict[str | None, int] = {
                topic: int(n)
                for topic, n in connection.execute(
                    select(c.topic, func.count(func.distinct(c.review_id)))
                    .where(c.company_id == ids[company])
                    .group_by(c.topic)
                )
            }
        share = by_topic.get(gap.topic, 0) / total
        assert abs(share - expected) <= NEED_SHARE_TOLERANCE, (gap.key, share, expected, by_topic)
        assert max(by_topic, key=lambda t: by_topic[t] if t else -1) == gap.topic, by_topic

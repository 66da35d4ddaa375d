"""Extraction of saved demo pages, field by field against ``expected.json``.

Each folder ``tests/fixtures/demo-<markup>/<case>/`` holds ``page.html``, ``url.txt`` and
``expected.json`` (written by ``python -m rivalscope.demo.fixtures``). The structured
shops go through ``auto`` mode; the plain shop through the selectors the demo's targets
file configures. The records then go through the crawl's stages (``spiders.pipelines.stages``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rivalscope.demo.shops import generate_shops
from rivalscope.demo.targets import targets_toml
from settings.records import PageExtraction
from settings.targets import Source, parse_targets
from spiders.pipelines.stages import detect_missing_languages, prepare_offer, prepare_review
from spiders.target_spider import extract_page
from storage.pseudonym import pseudonymize

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("demo-*/*") if (p / "expected.json").exists())
OFFER_FIELDS = ("name", "price", "currency", "availability", "sku", "gtin")
REVIEW_FIELDS = ("external_id", "title", "text", "rating", "best_rating", "region", "language")
KEY = b"fixtures" * 4


def _source(markup: str) -> Source:
    targets = parse_targets(targets_toml("http://127.0.0.1:8765", generate_shops()))
    slug = {"plain": "brewcraft", "jsonld": "lumiere", "microdata": "kawamistrz", "rdfa": "nordlys"}
    return next(s for _, s in targets.sources() if s.name.startswith(slug[markup]))


def _extract(case: Path) -> tuple[PageExtraction, dict[str, Any], dict[int, str | None]]:
    """The page's records after the crawl's stages, and each record's refusal (by id())."""
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    url = (case / "url.txt").read_text(encoding="utf-8").strip()
    html = (case / "page.html").read_text(encoding="utf-8")
    source = _source(expected["markup"])
    page = extract_page(html, url, source)
    problems: dict[int, str | None] = {id(o): prepare_offer(o) for o in page.offers}
    for review in page.reviews:
        problems[id(review)] = prepare_review(review, source.language, KEY)
    detect_missing_languages(page.reviews, source.language)
    return page, expected, problems


def test_fixtures_exist() -> None:
    markups = {case.parent.name for case in CASES}
    assert markups == {"demo-jsonld", "demo-microdata", "demo-plain", "demo-rdfa"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_offers(case: Path) -> None:
    page, expected, problems = _extract(case)
    by_sku = {o.sku: o for o in page.offers}
    for truth in expected.get("offers", []):
        if truth.get("invalid_reason") is not None and truth["sku"] in by_sku:
            assert problems[id(by_sku[truth["sku"]])] is not None, truth["sku"]
    wanted = [o for o in expected.get("offers", []) if o.get("invalid_reason") is None]
    if expected["markup"] == "plain" and not wanted:
        return
    for truth in wanted:
        got = by_sku.get(truth["sku"])
        assert got is not None, f"offer {truth['sku']} not found; got {list(by_sku)}"
        for name in OFFER_FIELDS:
            if expected["markup"] == "plain" and (
                name == "gtin" or (name == "availability" and truth.get("plan"))
            ):
                continue  # the plain shop shows no GTINs, and its plan cards no availability
            assert getattr(got, name) == truth.get(name), f"{truth['sku']}.{name}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_reviews(case: Path) -> None:
    page, expected, problems = _extract(case)
    if case.name == "broken-markup":
        # The demo's "broken" switch renames review markup: extraction must find nothing,
        # which is what target health checks detect.
        assert page.reviews == []
        return
    # A page cut off in transfer may end inside a review: its rating can be read, its text
    # not. Such rating-only reviews are legitimate data; only reviews with text are counted.
    assert len([r for r in page.reviews if r.text]) == expected["reviews_on_page"]
    by_id = {r.external_id: r for r in page.reviews}
    for truth in expected["reviews"]:
        got = by_id.get(truth["external_id"]) if truth.get("external_id") else None
        if got is None:
            got = next((r for r in page.reviews if r.text == truth["text"]), None)
        assert got is not None, f"review {truth['external_id']} not found"
        for name in REVIEW_FIELDS:
            if name == "external_id" and expected["markup"] == "plain":
                continue
            want = truth.get(name)
            assert getattr(got, name) == want, f"{truth['external_id']}.{name}"
        assert got.published == date.fromisoformat(truth["published"])
        refused = problems[id(got)]
        assert (refused is None) == (truth.get("invalid_reason") is None), refused
        if refused is None:  # stored reviews keep a keyed pseudonym, never the name
            assert (got.author, got.author_hash) == (None, pseudonymize(truth["author"], KEY))
        else:
            assert got.author == truth["author"]
    if expected.get("next_page"):
        assert page.next_page == expected["next_page"]

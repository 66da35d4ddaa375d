"""Reviews of invented review pages (tests/fixtures/fresh-reviews and fresh-reviews-2, written
with their answers before any extraction ran on them; scored as a whole by
benchmarks/reviews_fresh.py): per page, its reviews, their ratings and its aggregate's
value and count, as the reviews benchmark's official metric reads them; and no review text
holding a reviewer's name the page shows (names are stored only as keyed hashes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spiders.extract.auto import extract_auto
from tests.benchmark_scripts import load_benchmark

TABLES = (
    Path(__file__).parent / "fixtures" / "fresh-reviews",
    Path(__file__).parent / "fixtures" / "fresh-reviews-2",
)
FIELDS = ("reviews", "ratings", "aggregate_value", "aggregate_count")
# Fields read wrong still, with why: a fix makes its row pass, and the strict xfail fail.
_AR = "the header's name and date spans read as one line ('أحمد س.منذ أسبوعين'): neither is read"
_SUBSET = (
    "the markup holds one of the three reviews shown: the layout is not read then (reading it"
    " beside markup cost +22 % median CPU on the dev offer pages)"
)
_ET = "ratings as bare 'N/5' text; the body is read from hidden originals, which one block lacks"
_SR = "the shop's reviews and score in an aside, on a page without product reviews"
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("en-markup-stale", "reviews"): _SUBSET,
    ("en-markup-stale", "ratings"): _SUBSET,
    ("pt-json-state", "aggregate_value"): "a JSON summary under Portuguese keys (media, total)",
    ("pt-json-state", "aggregate_count"): "a JSON summary under Portuguese keys (media, total)",
    # fresh-reviews-2
    ("ar-indic-digits", "reviews"): _AR,
    ("ar-indic-digits", "ratings"): _AR,
    ("et-show-original", "reviews"): _ET,
    ("et-show-original", "ratings"): _ET,
    ("sk-recommend-percent", "reviews"): "ratings only in a CSS custom property (--rating: 4)",
    ("sk-recommend-percent", "ratings"): "ratings only in a CSS custom property (--rating: 4)",
    ("sr-shop-reviews-only", "reviews"): _SR,
    ("sr-shop-reviews-only", "aggregate_value"): _SR,
    ("sr-shop-reviews-only", "aggregate_count"): _SR,
}


def _folders() -> list[Path]:
    return [
        folder
        for table in TABLES
        for folder in sorted(table.iterdir())
        if (folder / "expected.json").is_file()
    ]


def _rows() -> list[Any]:
    rows = []
    for folder in _folders():
        for field in FIELDS:
            miss = KNOWN_MISSES.get((folder.name, field))
            marks = [pytest.mark.xfail(reason=miss, strict=True)] if miss else []
            rows.append(pytest.param(folder, field, marks=marks, id=f"{folder.name}-{field}"))
    return rows


@pytest.fixture(scope="module")
def fresh() -> Any:
    return load_benchmark("reviews_fresh")


@pytest.mark.parametrize(("folder", "field"), _rows())
def test_fresh_review_page_field(fresh: Any, folder: Path, field: str) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    page = extract_auto((folder / "page.html").read_bytes(), url)
    assert fresh.page_fields(expected, page)[field]


@pytest.mark.parametrize(
    "folder",
    [f for f in _folders() if "reviewer_names" in json.loads((f / "expected.json").read_text())],
    ids=lambda folder: folder.name,
)
def test_fresh_review_texts_hold_no_reviewer_name(folder: Path) -> None:
    names = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["reviewer_names"]
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    page = extract_auto((folder / "page.html").read_bytes(), url)
    leaked = [(n, r.text) for r in page.reviews for n in names if n in (r.text or "")]
    assert not leaked


def test_known_misses_name_pages_and_fields() -> None:
    names = {folder.name for folder in _folders()}
    assert len(names) == len(_folders())
    assert {case for case, _ in KNOWN_MISSES} <= names
    assert {field for _, field in KNOWN_MISSES} <= set(FIELDS)

"""Seeded fuzzing of extraction: no exception escapes on mutated real-shaped pages.

Worst-case time per call is measured in ``benchmarks/extract_fuzz.py`` (speed is not
asserted in unit tests).
"""

from __future__ import annotations

import pytest

from settings.targets import Selectors
from spiders.extract.auto import extract_auto
from spiders.extract.selectors import extract_with_selectors
from spiders.pipelines.stages import prepare_offer, prepare_review
from tests.page_mutations import mutated_pages

SEEDS = (1, 2, 3)
KEY = b"fuzz" * 8
PAGES_PER_SEED = 120
SELECTORS = Selectors(
    review="article.review, div.review, li.review",
    review_fields={"text": "p", "rating": "[data-rating]::attr(data-rating)", "date": "time"},
    offer="body",
    offer_fields={"name": "h1", "price": ".price"},
    next_page="a[rel=next]",
)


@pytest.mark.parametrize("seed", SEEDS)
def test_extraction_survives_mutated_pages(seed: int) -> None:
    checked = 0
    for html, url, what in mutated_pages(seed, PAGES_PER_SEED):
        try:
            for page in (
                extract_auto(html, url),
                extract_with_selectors(html, url, SELECTORS, language="en"),
            ):
                for offer in page.offers:
                    prepare_offer(offer)
                for review in page.reviews:
                    prepare_review(review, "en", KEY)
        except Exception as exc:  # the failing mutation is named, to replay it
            raise AssertionError(f"{what}: {type(exc).__name__}: {exc}") from exc
        checked += 1
    assert checked == PAGES_PER_SEED

"""A Norwegian shop whose target sets no language: its short reviews that lingua reads as
Danish (no aspects, no needs, the Danish lexicon) are Norwegian by their page's
``<html lang="nb">``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import Review
from tests.loopback_site import (
    QuietHandler,
    answer,
    answered_robots,
    crawled,
    serving,
    write_targets,
)
from tests.test_language_assignment import NORWEGIAN_READ_AS_DANISH


def _page(lang: str) -> bytes:
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kaffemaskin",
        "review": [
            {
                "@type": "Review",
                "reviewBody": NORWEGIAN_READ_AS_DANISH,
                "reviewRating": {"@type": "Rating", "ratingValue": "4"},
            }
        ],
    }
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><script type="application/ld+json">'
        f"{json.dumps(product, ensure_ascii=False)}</script></head>"
        "<body><h1>Kaffemaskin</h1></body></html>"
    ).encode()


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        if not answered_robots(self):
            lang = self.path.strip("/")
            answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, _page(lang))


@pytest.fixture
def site() -> Iterator[str]:
    with serving(_Handler) as (_, url):
        yield url


@pytest.mark.parametrize(("lang", "stored"), [("nb", "no"), ("nb-NO", "no"), ("en", "da")])
def test_a_review_takes_its_pages_scandinavian_language(
    tmp_path: Path, site: str, lang: str, stored: str
) -> None:
    write_targets(tmp_path, [f"{site}/{lang}"])
    engine = open_database(crawled(tmp_path))
    with Session(engine) as session:
        languages = session.exec(select(Review.language)).all()
    engine.dispose()
    assert languages == [stored]

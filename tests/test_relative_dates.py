"""A site that writes its reviews' dates relative to today ("2 days ago") says another date
each day: with the date as written in the review's content key, every crawl stored each of
its reviews again (three crawls: three copies, counted three times by the analysis)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from spiders.raw_fields import key_date
from storage.db import open_database
from storage.models import Review
from tests.loopback_site import answer, answered_robots, crawled, serving, write_targets

REVIEWS = 4


def _page(days: int) -> bytes:
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kettle",
        "sku": "K-1",
        "review": [
            {
                "@type": "Review",
                "reviewBody": f"Boils fast and pours well, review number {n}.",
                "reviewRating": {"@type": "Rating", "ratingValue": str(1 + n)},
                "datePublished": f"{days + n} days ago",
            }
            for n in range(REVIEWS)
        ],
    }
    return (
        '<!DOCTYPE html><html lang="en"><head><script type="application/ld+json">'
        f"{json.dumps(product)}</script></head><body><h1>Kettle</h1></body></html>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if not answered_robots(self):
            days: list[int] = self.server.days  # type: ignore[attr-defined]
            answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, _page(days[0]))

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[str, list[int]]]:
    days = [2]
    with serving(_Handler, days=days) as (_, url):
        yield url, days


def test_a_review_dated_relative_to_today_is_stored_once(
    tmp_path: Path, site: tuple[str, list[int]]
) -> None:
    url, days = site
    write_targets(tmp_path, [f"{url}/kettle"])
    for day in range(3):  # three daily crawls: the page says one day more each time
        days[0] = 2 + day
        db = crawled(tmp_path)  # the same database each time
    engine = open_database(db)
    with Session(engine) as session:
        stored = session.exec(select(func.count()).select_from(Review)).one()
    engine.dispose()
    assert stored == REVIEWS


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("2 days ago", False),
        ("for 3 dager siden", False),
        ("hier", False),
        ("2026-11-01", True),
        ("2026-12-04T10:00:00Z", True),
        ("12 March 2024", True),
        ("12.03.2024", True),
        ("03/04/2026", True),  # its order unclear, but a date written all the same
    ],
)
def test_the_key_keeps_written_dates_only(raw: str, kept: bool) -> None:
    assert key_date(raw) == (raw if kept else None)

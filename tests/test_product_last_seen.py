"""A product seen again by a later crawl is marked seen then (``product.last_seen_at``):
what tells a product still on sale from one a shop took down, and what `export --since`
filters products by."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.loopback_site import (
    answer,
    answered_robots,
    crawled,
    product_page,
    serving,
    write_targets,
)


class _Shop(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not answered_robots(self):
            answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, product_page(1))


def _seen(db: str) -> tuple[str, str, str]:
    engine = create_engine(db)
    with engine.connect() as conn:
        first, last = conn.execute(text("SELECT first_seen_at, last_seen_at FROM product")).one()
        started = conn.execute(text("SELECT max(started_at) FROM crawl_run")).scalar_one()
    engine.dispose()
    return str(first), str(last), str(started)


def test_a_recrawl_marks_its_products_seen(tmp_path: Path) -> None:
    with serving(_Shop) as (_, base):
        write_targets(tmp_path, [f"{base}/p/1"])
        db = crawled(tmp_path)
        first, _, _ = _seen(db)
        crawled(tmp_path)  # the same page again, through the crawl's store process
    first_again, last_again, second_started = _seen(db)
    assert first_again == first
    # before the fix the store process's writer forgot its products unmarked
    assert last_again > second_started > first

"""A shop-wide review widget (its API URL names neither ``{product_id}`` nor ``{url}``):
its reviews are the shop's, read once a crawl from whichever page comes first, a reviews
page without a product included, and stored under no product. They were asked only from
product pages, so a shop whose reviews page has no product got none of them, and they were
stored as the reviews of the first product page that asked."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import Product, Review
from tests.loopback_site import (
    QuietHandler,
    answer,
    answered_robots,
    crawled,
    product_page,
    serving,
    write_targets,
)

SHOP_REVIEWS = [
    {"id": f"s{n}", "body": text, "rating": rating, "createdAt": f"2026-03-0{n}"}
    for n, (text, rating) in enumerate(
        [
            ("Fast delivery and friendly support.", 5),
            ("The parcel came a week late.", 2),
            ("Good prices, easy returns.", 4),
        ],
        start=1,
    )
]


class ShopWidget(QuietHandler):
    """``/reviews`` (no product on it) and ``/p/N`` product pages; ``/api/shop`` answers
    the shop's reviews two to a page, ``/api/product`` one review of the product asked."""

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        parsed = urlparse(self.path)
        query = parse_qs(parsed.query)
        self.server.asked.append(parsed.path)  # type: ignore[attr-defined]
        links = '<a href="/p/1">Kettle 1</a> <a href="/p/2">Kettle 2</a>'
        if parsed.path == "/reviews":
            body = (
                f"<html><body><h1>What our customers say</h1><div id=w></div>{links}</body></html>"
            )
            answer(self, 200, {"Content-Type": "text/html"}, body.encode())
        elif parsed.path.startswith("/p/"):
            answer(self, 200, {"Content-Type": "text/html"}, product_page(int(parsed.path[3:])))
        elif parsed.path == "/api/shop":
            page = int(query.get("page", ["1"])[0])
            data = {"results": SHOP_REVIEWS[(page - 1) * 2 : page * 2]}
            answer(self, 200, {"Content-Type": "application/json"}, json.dumps(data).encode())
        elif parsed.path == "/api/product":
            sku = query["id"][0]
            review = {"id": f"r-{sku}", "body": f"My kettle {sku} boils fast.", "rating": 5}
            data = {"results": [review]}
            answer(self, 200, {"Content-Type": "application/json"}, json.dumps(data).encode())
        else:
            answer(self, 404, {"Content-Type": "text/plain"}, b"not found")


def _stored(folder: Path) -> dict[str, str | None]:
    engine = open_database(crawled(folder))
    try:
        with Session(engine) as session:
            names = {p.id: p.name for p in session.exec(select(Product)).all()}
            return {
                str(review.external_id): names.get(review.product_id)
                for review in session.exec(select(Review)).all()
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", ["/reviews", "/p/1"])
def test_a_shop_wide_widget_is_read_once_and_under_no_product(tmp_path: Path, start: str) -> None:
    with serving(ShopWidget, asked=[]) as (server, base):
        api = f'[company.source.review_api]\nurl = "{base}/api/shop?page={{page}}"\n'
        api += 'paginate = "page"\n'
        write_targets(tmp_path, [base + start], extra=f'holds = "reviews"\n{api}')
        stored = _stored(tmp_path)
        asked = list(server.asked)  # type: ignore[attr-defined]
    assert stored == {"s1": None, "s2": None, "s3": None}
    assert asked.count("/api/shop") == 3  # pages 1, 2 and the empty 3: once a crawl


def test_a_products_widget_is_still_asked_per_product_only(tmp_path: Path) -> None:
    with serving(ShopWidget, asked=[]) as (server, base):
        api = f'[company.source.review_api]\nurl = "{base}/api/product?id={{product_id}}"\n'
        api += 'paginate = "none"\n'
        write_targets(tmp_path, [base + "/reviews"], extra=f'holds = "reviews"\n{api}')
        stored = _stored(tmp_path)
        asked = list(server.asked)  # type: ignore[attr-defined]
    assert stored == {"r-K-1": "Kettle 1", "r-K-2": "Kettle 2"}
    assert asked.count("/api/product") == 2  # not from the reviews page

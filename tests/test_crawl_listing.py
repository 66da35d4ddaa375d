"""A real crawl of a small shop on 127.0.0.1: its listing page never becomes a product
(no product named after the page heading), its cards are stored as listing observations of
the products their pages describe, and its variant page as a parent with its variants."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import OfferObservation, Product
from storage.variant_models import ProductParent
from tests.cli import run_cli

KETTLES = {1: "Steel kettle one", 2: "Glass kettle two", 3: "Stone kettle three"}


def _listing() -> str:
    cards = "".join(
        f'<div class="card"><a href="/p/{n}">{name}</a><span class="price">{n}9,00 €</span></div>'
        for n, name in KETTLES.items()
    )
    shoe = '<div class="card"><a href="/p/shoe">Trail shoe low</a><span class="price">69,00 €</span></div>'  # fmt: skip
    return f"<html><body><h1>Kettles</h1><main>{cards}{shoe}</main></body></html>"


def _product_page(data: dict[str, object]) -> str:
    script = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    return f"<html><head>{script}</head><body><h1>{data['name']}</h1></body></html>"


def _offer(sku: str, price: str, stock: str = "InStock") -> dict[str, str]:
    return {"@type": "Offer", "sku": sku, "name": sku[-2:], "price": price,
            "priceCurrency": "EUR", "availability": f"https://schema.org/{stock}"}  # fmt: skip


def _pages() -> dict[str, str]:
    pages = {"/shop/": _listing()}
    for n, name in KETTLES.items():
        pages[f"/p/{n}"] = _product_page(
            {"@type": "Product", "name": name, "sku": f"KT-{n}", "offers": _offer(f"KT-{n}", f"{n}9.00")}
        )  # fmt: skip
    pages["/p/shoe"] = _product_page(
        {"@type": "Product", "name": "Trail shoe low", "offers": [
            _offer("TS-4410-40", "89.00", "OutOfStock"), _offer("TS-4410-41", "79.00")]}
    )  # fmt: skip
    return pages


class _Shop(BaseHTTPRequestHandler):
    pages = _pages()

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        data = (body or "not here").encode()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def shop_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Shop)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_listing_page_through_a_real_crawl(tmp_path: Path, shop_url: str) -> None:
    targets = tmp_path / "targets.toml"
    targets.write_text(
        f"""
[[company]]
name = "Own"
own = true

[[company]]
name = "Kettles Inc"
[[company.source]]
name = "kettles"
start_urls = ["{shop_url}/shop/"]
holds = "offers"
language = "en"
[company.source.politeness]
download_delay = 0
obey_robots = false
""",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    result = run_cli("crawl", "--targets", str(targets), cwd=tmp_path, db_url=db)
    assert result.returncode == 0, result.stderr[-3000:]
    engine = open_database(db)
    try:
        with Session(engine) as session:
            products = {p.id: p for p in session.exec(select(Product)).all()}
            observations = session.exec(select(OfferObservation)).all()
            parents = session.exec(select(ProductParent)).all()
    finally:
        engine.dispose()
    assert "Kettles" not in {p.name for p in products.values()}
    page = sorted((products[o.product_id].key, o.price) for o in observations if not o.listing)
    cards = sorted((products[o.product_id].name, o.price) for o in observations if o.listing)
    assert page == [
        ("sku:KT-1", "19.00"),
        ("sku:KT-2", "29.00"),
        ("sku:KT-3", "39.00"),
        ("sku:TS-4410-40", "89.00"),
        ("sku:TS-4410-41", "79.00"),
    ]
    # Each card is a listing observation of the product its page stores (one product each).
    assert cards == sorted([*((name, f"{n}9.00") for n, name in KETTLES.items()),
                            ("Trail shoe low", "69.00")])  # fmt: skip
    assert len(products) == 5
    assert [(p.code, p.price_low, p.price_high, p.availability, p.variants) for p in parents] == [
        ("TS-4410", "79.00", "89.00", "InStock", 2)
    ]

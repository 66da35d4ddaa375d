"""Regenerate the extraction fixtures saved from the demo shops.

Writes ``tests/fixtures/demo-<markup>/<case>/{page.html,url.txt,expected.json}``: each page
is fetched from a running ``DemoServer`` (then its random port is replaced by 8765 so the
files stay stable), and ``expected.json`` states what the page shows, from the ground truth.

Run ``python -m rivalscope.demo.fixtures [OUT_DIR]`` after changing the demo shops.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rivalscope.demo.localformat import format_date
from rivalscope.demo.pages import REVIEWS_PER_PAGE, product_url, review_pages
from rivalscope.demo.records import DemoProduct, DemoReview, DemoShop
from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_shops

FIXTURE_SEED = 7
FIXTURE_BASE = "http://127.0.0.1:8765"
"""Base URL written into the saved pages and url.txt files."""
FIRST_REVIEWS = 3
"""Reviews listed in expected.json (the first ones on the page)."""
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures"

SITE_OF_MARKUP = {
    "jsonld": "demo-jsonld",
    "microdata": "demo-microdata",
    "rdfa": "demo-rdfa",
    "plain": "demo-plain",
}


@dataclass(frozen=True)
class FixtureCase:
    shop: str
    case: str
    kind: Literal["product", "plans", "broken", "absurd"]
    page: int = 1
    break_markup: bool = False


CASES: tuple[FixtureCase, ...] = (
    FixtureCase("nordlys", "product-page", "product"),
    FixtureCase("nordlys", "reviews-page-2", "product", page=2),
    FixtureCase("nordlys", "plans-page", "plans"),
    FixtureCase("nordlys", "truncated-page", "broken"),
    FixtureCase("nordlys", "future-date", "absurd"),
    FixtureCase("lumiere", "product-page", "product"),
    FixtureCase("lumiere", "plans-page", "plans"),
    FixtureCase("lumiere", "invalid-jsonld", "broken"),
    FixtureCase("lumiere", "rating-above-scale", "absurd"),
    FixtureCase("kawamistrz", "product-page", "product"),
    FixtureCase("kawamistrz", "plans-page", "plans"),
    FixtureCase("kawamistrz", "rating-above-scale", "absurd"),
    FixtureCase("brewcraft", "product-page", "product"),
    FixtureCase("brewcraft", "reviews-page-2", "product", page=2),
    FixtureCase("brewcraft", "plans-page", "plans"),
    FixtureCase("brewcraft", "broken-markup", "product", break_markup=True),
)


def _offer(product: DemoProduct) -> dict[str, Any]:
    return {
        "name": product.name,
        "price": f"{product.price:.2f}",
        "currency": product.currency,
        "availability": product.availability,
        "sku": product.sku,
        "gtin": product.gtin,
        "brand": product.brand,
        "plan": None,
    }


def _review(review: DemoReview, shop: DemoShop) -> dict[str, Any]:
    return {
        "external_id": review.review_id,
        "title": review.title,
        "text": review.text,
        "rating": review.rating,
        "best_rating": review.scale,
        "worst_rating": 1,
        "published": review.published.isoformat(),
        "date_raw": format_date(review.published, shop.language),
        "author": review.author,
        "region": review.region,
        "language": review.language,
        "invalid_reason": review.invalid_reason,
    }


def _absurd_page(product: DemoProduct) -> int:
    position = next(i for i, r in enumerate(product.reviews) if r.invalid_reason)
    return position // REVIEWS_PER_PAGE + 1


def _product_expected(
    shop: DemoShop, product: DemoProduct, page: int, html: str, url: str
) -> dict[str, Any]:
    on_page = product.reviews[(page - 1) * REVIEWS_PER_PAGE : page * REVIEWS_PER_PAGE]
    # A truncated page shows only the reviews whose block is complete.
    complete = [r for r in on_page if _closed(html, r)]
    valid = [r.rating for r in product.reviews if r.invalid_reason is None]
    average = round(sum(valid) / len(valid), 1) if valid else None
    complete_page = html.rstrip().endswith("</html>")
    next_url = (
        product_url(FIXTURE_BASE, shop, product, page + 1) if page < review_pages(product) else None
    )
    absurd = [r for r in on_page if r.invalid_reason]
    return {
        "url": url,
        "markup": shop.markup,
        "language": shop.language,
        "offers": [_offer(product)],
        "aggregate_rating": None
        if average is None
        else {
            "rating_value": average,
            "best_rating": shop.rating_scale,
            "worst_rating": 1,
            "review_count": product.review_count,
        },
        "review_count": product.review_count,
        "reviews_on_page": len(complete),
        "reviews": [_review(r, shop) for r in complete[:FIRST_REVIEWS]],
        "invalid_reviews": [_review(r, shop) for r in absurd],
        "next_page": next_url if complete_page else None,
    }


def _closed(html: str, review: DemoReview) -> bool:
    start = html.find(f'id="{review.review_id}"')
    return start >= 0 and html.find("</article>", start) >= 0


def _plans_expected(shop: DemoShop, url: str) -> dict[str, Any]:
    offers = [
        {
            "name": plan.name,
            "price": f"{plan.price:.2f}",
            "currency": plan.currency,
            "availability": "InStock",
            "sku": plan.sku,
            "gtin": None,
            "brand": None,
            "plan": plan.plan,
            "invalid_reason": plan.invalid_reason,
        }
        for plan in shop.plans
    ]
    return {
        "url": url,
        "markup": shop.markup,
        "language": shop.language,
        "offers": offers,
        "aggregate_rating": None,
        "review_count": 0,
        "reviews_on_page": 0,
        "reviews": [],
        "invalid_reviews": [],
        "next_page": None,
    }


def _target(shop: DemoShop, case: FixtureCase) -> tuple[str, DemoProduct | None, int]:
    """(path on the server, product shown or None, review page)."""
    if case.kind == "plans":
        return f"/{shop.slug}/plans", None, 1
    if case.kind == "broken":
        broken = shop.broken_pages[0]
        return broken.path, broken.product, 1
    product = (
        shop.products[min(2, len(shop.products) - 1)] if case.kind == "absurd" else shop.products[0]
    )
    page = _absurd_page(product) if case.kind == "absurd" else case.page
    path = product_url("", shop, product, page)
    return path, product, page


def _fetch(server: DemoServer, path: str) -> str:
    with urllib.request.urlopen(server.base_url + path, timeout=30) as response:
        charset = response.headers.get_content_charset() or "utf-8"
        text: str = response.read().decode(charset)
    return text.replace(server.base_url, FIXTURE_BASE)


def write_fixtures(out_dir: Path = DEFAULT_OUT, seed: int = FIXTURE_SEED) -> list[Path]:
    """Write every fixture case under ``out_dir``; returns the case folders."""
    shops = {shop.slug: shop for shop in generate_shops(seed=seed)}
    written: list[Path] = []
    with DemoServer(list(shops.values()), slow_seconds=0) as server:
        for case in CASES:
            shop = shops[case.shop]
            server.set_break_markup({shop.slug} if case.break_markup else set())
            path, product, page = _target(shop, case)
            html = _fetch(server, path)
            url = FIXTURE_BASE + path
            if product is None:
                expected = _plans_expected(shop, url)
            else:
                expected = _product_expected(shop, product, page, html, url)
            expected["case"] = {"kind": case.kind, "broken_markup": case.break_markup, "seed": seed}
            folder = Path(out_dir) / SITE_OF_MARKUP[shop.markup] / case.case
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "page.html").write_text(html, encoding="utf-8")
            (folder / "url.txt").write_text(url + "\n", encoding="utf-8")
            (folder / "expected.json").write_text(
                json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            written.append(folder)
    return written


def main(argv: list[str] | None = None) -> None:
    """Regenerate the fixtures (into tests/fixtures, or the folder given as argument)."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    for folder in write_fixtures(out_dir):
        print(folder)


if __name__ == "__main__":
    main()

"""Write a targets.toml that crawls the demo shops (validated by ``settings.targets``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rivalscope.demo.markup import REVIEW_CLASSES
from rivalscope.demo.pages import PRODUCTS_PER_LISTING_PAGE, REVIEWS_PER_PAGE
from rivalscope.demo.records import DemoShop
from rivalscope.demo.scripted_pages import LOAD_MORE_ID, WIDGET_PAGE_SIZE

OWN_SCHEDULE = "0 4 * * *"
COMPETITOR_SCHEDULE = "30 4 * * *"
DEMO_CONCURRENCY = 8

# The plain shop has no structured data: these selectors read its CSS classes.
PLAIN_REVIEW_FIELDS = {
    "text": f".{REVIEW_CLASSES.text}",
    "title": f".{REVIEW_CLASSES.title}",
    "rating": f".{REVIEW_CLASSES.rating}::attr(data-rating)",
    "best_rating": f".{REVIEW_CLASSES.rating}::attr(data-best)",
    "date": f".{REVIEW_CLASSES.date}",
    "author": f".{REVIEW_CLASSES.author}",
    "region": f".{REVIEW_CLASSES.region}",
    "id": "xpath:@id",
}
PLAIN_OFFER_FIELDS = {
    "name": ".product-name",
    "price": ".price",
    "availability": ".availability",
    "sku": ".sku",
    "gtin": ".gtin",
    "brand": ".brand",
    "plan": ".plan-name",
}


def _toml(value: object) -> str:
    """A TOML value: JSON strings, numbers, booleans and arrays are valid TOML too."""
    return json.dumps(value, ensure_ascii=False)


def _page_budget(shop: DemoShop) -> int:
    review_pages = sum(max(1, -(-p.review_count // REVIEWS_PER_PAGE)) for p in shop.products)
    listing_pages = -(-len(shop.products) // PRODUCTS_PER_LISTING_PAGE)
    # Room for the plans page, broken pages, their review pages and retries.
    return 2 * (review_pages + listing_pages) + 50


def _max_widget_clicks(shop: DemoShop) -> int:
    most = max((p.review_count for p in shop.products), default=0)
    return max(1, -(-most // WIDGET_PAGE_SIZE))


def _source_toml(shop: DemoShop, base_url: str) -> list[str]:
    shop_prefix = f"{base_url}/{shop.slug}/"
    lines = [
        "[[company.source]]",
        f"name = {_toml(f'{shop.slug}-shop')}",
        f"start_urls = {_toml([shop_prefix])}",
        f"follow = {_toml(['^' + re.escape(shop_prefix)])}",
        'holds = "both"',
        f'mode = "{"selectors" if shop.markup == "plain" else "auto"}"',
        *(['render = "browser"'] if shop.markup == "widget" else []),
        f"language = {_toml(shop.language)}",
        f"region = {_toml(shop.market)}",
        f"schedule = {_toml(OWN_SCHEDULE if shop.own else COMPETITOR_SCHEDULE)}",
        "",
        "[company.source.limits]",
        f"max_pages = {_page_budget(shop)}",
        f"max_reviews = {max(1000, 2 * sum(p.review_count for p in shop.products))}",
        "timeout_s = 900",
        "",
        "# Local demo server: no delay and 8 parallel requests are fine here, never on real sites.",
        "[company.source.politeness]",
        "download_delay = 0",
        f"concurrency = {DEMO_CONCURRENCY}",
    ]
    if shop.markup == "widget":
        # Reviews arrive by JavaScript from the shop's review API: render in chromium and
        # press "Load more" until every page is in.
        lines += [
            "",
            "[company.source.browser]",
            f"click = {_toml('#' + LOAD_MORE_ID)}",
            f"max_clicks = {_max_widget_clicks(shop)}",
            "wait_timeout_s = 10",
        ]
    if shop.markup == "plain":
        lines += [
            "",
            "[company.source.selectors]",
            f"review = {_toml('.' + REVIEW_CLASSES.block)}",
            'offer = ".product"',
            'next_page = "a.next-page::attr(href)"',
            f"rating_scale = {shop.rating_scale}",
            "",
            "[company.source.selectors.review_fields]",
            *(f"{field} = {_toml(selector)}" for field, selector in PLAIN_REVIEW_FIELDS.items()),
            "",
            "[company.source.selectors.offer_fields]",
            *(f"{field} = {_toml(selector)}" for field, selector in PLAIN_OFFER_FIELDS.items()),
        ]
    return lines


def targets_toml(base_url: str, shops: list[DemoShop]) -> str:
    """The text of a targets file for the shops served at ``base_url``."""
    markups = ", ".join(f"{s.name}: {s.markup}" for s in shops)
    lines = [
        f"# Targets for the rivalscope demo shops served at {base_url} (written by rivalscope.demo).",
        f"# Markup per shop: {markups}.",
        "",
        "[crawler]",
        'contact_url = "https://github.com/rivalscope/rivalscope#crawler"',
    ]
    for shop in shops:
        lines += ["", "[[company]]", f"name = {_toml(shop.name)}", f"own = {_toml(shop.own)}", ""]
        lines += _source_toml(shop, base_url)
    return "\n".join(lines) + "\n"


def write_targets(path: Path, base_url: str, shops: list[DemoShop]) -> None:
    """Write the targets file for the demo shops served at ``base_url`` to ``path``."""
    Path(path).write_text(targets_toml(base_url.rstrip("/"), shops), encoding="utf-8")

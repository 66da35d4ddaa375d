"""Routing of the demo server: a request path to a response, with no sockets involved.

URL layout (one prefix per shop on the same host)::

    /robots.txt, /sitemap.xml             shared by all shops
    /<shop>/                              product listing (?page=N, 48 a page)
    /<shop>/p/<product>                   product page with reviews (?page=N, 10 a page)
    /<shop>/plans                         subscription plans
    /<shop>/widget/reviews                the widget shop's review API (?product=SKU&page=N)
    /<shop>/sitemap.xml                   the shop's sitemap
    /<shop>/private/                      forbidden by robots.txt
    broken pages                          see DemoShop.broken_pages
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from rivalscope.demo import pages, scripted_pages, sitefiles
from rivalscope.demo.records import BrokenPage, DemoProduct, DemoShop

HTML = "text/html"
TRUNCATE_AT = 0.55
"""Fraction of the page kept by the truncated page (then cut inside the next tag)."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str


def _html(text: str, charset: str = "utf-8") -> Response:
    # Characters the legacy charset lacks (stars) become character references.
    return Response(200, text.encode(charset, "xmlcharrefreplace"), f"{HTML}; charset={charset}")


def _text(text: str, content_type: str) -> Response:
    return Response(200, text.encode("utf-8"), f"{content_type}; charset=utf-8")


NOT_FOUND = Response(
    404,
    b"<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>\n",
    f"{HTML}; charset=utf-8",
)
SERVER_ERROR = Response(
    500,
    b"<!DOCTYPE html><title>Error</title><h1>500 Internal Server Error</h1>\n",
    f"{HTML}; charset=utf-8",
)


def truncate_mid_tag(body: bytes) -> bytes:
    """Cut a page a little after its middle, three bytes into a tag."""
    start = body.find(b"<", int(len(body) * TRUNCATE_AT))
    return body[: start + 4] if start >= 0 else body[: len(body) // 2]


class DemoSite:
    """Answers requests for the shops; ``break_markup`` may change while serving."""

    def __init__(
        self,
        shops: list[DemoShop],
        base_url: str,
        slow_seconds: float = 3.0,
        break_markup: set[str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.shops = {shop.slug: shop for shop in shops}
        self.base_url = base_url
        self.slow_seconds = slow_seconds
        self.break_markup: set[str] = set(break_markup or ())
        self._sleep = sleep
        self._products = {
            (shop.slug, product.slug): product for shop in shops for product in shop.products
        }
        self._broken = {page.path: page for shop in shops for page in shop.broken_pages}

    def respond(self, raw_path: str) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path
        page_values = parse_qs(parts.query).get("page", ["1"])
        if not page_values[0].isdigit():
            return NOT_FOUND
        page = int(page_values[0])
        shop_list = list(self.shops.values())
        if path == "/":
            return _html(pages.home_page(shop_list, self.base_url))
        if path == "/robots.txt":
            return _text(sitefiles.robots_txt(shop_list, self.base_url), "text/plain")
        if path == "/sitemap.xml":
            return _text(sitefiles.sitemap_index(shop_list, self.base_url), "application/xml")
        if path in self._broken:
            return self._broken_response(self._broken[path], page)
        segments = path.strip("/").split("/")
        shop = self.shops.get(segments[0])
        if shop is None:
            return NOT_FOUND
        if shop.markup == "widget" and segments[1:] == ["widget", "reviews"]:
            sku = parse_qs(parts.query).get("product", [""])[0]
            return self._widget_response(shop, sku, page)
        return self._shop_response(shop, segments[1:], path.endswith("/"), page)

    def _shop_response(
        self, shop: DemoShop, rest: list[str], trailing_slash: bool, page: int
    ) -> Response:
        if not rest:
            text = pages.listing_page(shop, page, self.base_url)
            return NOT_FOUND if text is None else _html(text)
        if rest == ["sitemap.xml"]:
            return _text(sitefiles.shop_sitemap(shop, self.base_url), "application/xml")
        if rest == ["plans"]:
            return _html(pages.plans_page(shop, self.base_url))
        if rest == ["private"] and trailing_slash:
            return _html(pages.private_page(shop, self.base_url))
        if len(rest) == 2 and rest[0] == "p":
            product = self._products.get((shop.slug, rest[1]))
            if product is not None:
                return self._product_response(shop, product, page)
        return NOT_FOUND

    def _product_response(
        self, shop: DemoShop, product: DemoProduct, page: int, invalid_jsonld: bool = False
    ) -> Response:
        text = pages.product_page(
            shop,
            product,
            page,
            self.base_url,
            broken_markup=shop.slug in self.break_markup,
            invalid_jsonld=invalid_jsonld,
        )
        return NOT_FOUND if text is None else _html(text, product.encoding)

    def _widget_response(self, shop: DemoShop, sku: str, page: int) -> Response:
        """One page of the review widget's JSON API."""
        product = next((p for p in shop.products if p.sku == sku), None)
        if product is None or page < 1:
            return NOT_FOUND
        text = scripted_pages.widget_reviews_json(shop, product, page, self.base_url)
        return _text(text, "application/json")

    def _broken_response(self, broken: BrokenPage, page: int) -> Response:
        shop = self.shops[broken.path.split("/")[1]]
        if broken.kind == "server-error":
            return SERVER_ERROR
        if broken.kind == "slow":
            self._sleep(self.slow_seconds)
            return _html(pages.stores_page(shop, self.base_url))
        assert broken.product is not None
        response = self._product_response(
            shop, broken.product, page, invalid_jsonld=broken.kind == "invalid-jsonld"
        )
        if broken.kind == "truncated" and response.status == 200:
            return Response(200, truncate_mid_tag(response.body), response.content_type)
        return response

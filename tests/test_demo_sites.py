"""The bundled demo shops: generation, ground truth, the 127.0.0.1 server, targets and fixtures."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.robotparser import RobotFileParser

import pytest
from parsel import Selector

from rivalscope.demo.fixtures import DEFAULT_OUT, write_fixtures
from rivalscope.demo.gaps import PLANTED_GAPS, PlantedGap, need_share, negative_share
from rivalscope.demo.localformat import format_date, format_price
from rivalscope.demo.pages import product_url
from rivalscope.demo.reviews import REFERENCE_DATE
from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import DemoReview, DemoShop, generate_shops
from rivalscope.demo.targets import write_targets
from settings.targets import load_targets
from settings.user_errors import UserError

SLOW_SECONDS = 0.3


@pytest.fixture(scope="module")
def shops() -> list[DemoShop]:
    return generate_shops()


@pytest.fixture(scope="module")
def by_slug(shops: list[DemoShop]) -> dict[str, DemoShop]:
    return {shop.slug: shop for shop in shops}


@pytest.fixture(scope="module")
def server(shops: list[DemoShop]) -> Iterator[DemoServer]:
    with DemoServer(shops, slow_seconds=SLOW_SECONDS) as running:
        yield running


def fetch(url: str) -> tuple[int, bytes, str]:
    """(status, body, content type) of a GET, HTTP errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


def fetch_text(url: str) -> str:
    status, body, _ = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


# --- generation and ground truth -------------------------------------------------


def test_generation_is_deterministic_for_a_seed() -> None:
    def fingerprint(shops: list[DemoShop]) -> list[tuple[str, str, int, date]]:
        return [(s.slug, r.text, r.rating, r.published) for s in shops for r in s.reviews]

    assert fingerprint(generate_shops(seed=7)) == fingerprint(generate_shops(seed=7))
    assert fingerprint(generate_shops(seed=7)) != fingerprint(generate_shops(seed=8))


def test_default_sizes_and_languages(shops: list[DemoShop]) -> None:
    assert [s.own for s in shops].count(True) == 1
    assert {s.markup for s in shops} == {"jsonld", "microdata", "rdfa", "plain"}
    assert {s.rating_scale for s in shops} == {5, 10}
    for shop in shops:
        assert 40 <= len(shop.reviews) <= 300, shop.slug
        languages = [r.language for r in shop.reviews]
        assert languages.count(shop.language) > len(languages) / 2, shop.slug
        if shop.language != "en":
            assert "en" in languages, shop.slug
    assert {r.language for s in shops for r in s.reviews} == {"en", "fr", "pl", "no"}


def test_reviews_are_sorted_newest_first_and_dated_in_the_past(shops: list[DemoShop]) -> None:
    for shop in shops:
        for product in shop.products:
            dates = [r.published for r in product.reviews]
            assert dates == sorted(dates, reverse=True)
            valid = [r for r in product.reviews if r.invalid_reason is None]
            assert all(r.published <= REFERENCE_DATE and 1 <= r.rating <= r.scale for r in valid)


def test_ratings_agree_with_the_text(shops: list[DemoShop]) -> None:
    for review in (r for s in shops for r in s.reviews if r.invalid_reason is None):
        polarities = set(review.aspects.values())
        share = (review.rating - 1) / (review.scale - 1)
        if polarities == {"positive"}:
            assert share >= 0.6, review
        elif polarities == {"negative"}:
            assert share <= 0.34, review
        assert 1 <= review.text.count(".") + review.text.count("!") <= 8, review.text


def test_each_shop_has_exactly_one_absurd_review(shops: list[DemoShop]) -> None:
    reasons = {s.slug: [r.invalid_reason for r in s.reviews if r.invalid_reason] for s in shops}
    assert reasons == {
        "nordlys": ["date in the future"],
        "lumiere": ["rating above its scale"],
        "kawamistrz": ["rating above its scale"],
        "brewcraft": ["rating below its scale"],
    }
    negative_plans = [p for s in shops for p in s.plans if p.price < 0]
    assert [p.invalid_reason for p in negative_plans] == ["negative price"]


def test_matched_products_share_gtins_and_prices_differ(shops: list[DemoShop]) -> None:
    for index in (0, 1):
        gtins = {s.products[index].gtin for s in shops}
        assert len(gtins) == 1 and None not in gtins
        assert len({s.products[index].name for s in shops}) == 4
    assert all(s.products[2].gtin is None for s in shops)
    assert any(p.availability == "OutOfStock" for s in shops for p in s.products)
    assert all(len(s.plans) >= 2 for s in shops)


def _reviews_in(shop: DemoShop, regions: tuple[str, ...], inside: bool) -> list[DemoReview]:
    return [r for r in shop.reviews if (r.region in regions) == inside]


@pytest.mark.parametrize("gap", PLANTED_GAPS, ids=lambda g: g.key)
def test_planted_gaps_are_clear_in_the_ground_truth(
    gap: PlantedGap, by_slug: dict[str, DemoShop]
) -> None:
    shop = by_slug[gap.company]
    others = [s for slug, s in by_slug.items() if slug != gap.company]
    # "Clear" = the company stands out by at least 30 points of negative share.
    if gap.kind == "weak_aspect":
        reviews = _reviews_in(shop, gap.regions, True) if gap.regions else shop.reviews
        share = negative_share(reviews, gap.topic)
        assert share >= 0.7
        if gap.regions:
            assert negative_share(_reviews_in(shop, gap.regions, False), gap.topic) <= share - 0.3
        for other in [by_slug[gap.compare_with]] if gap.compare_with else others:
            assert negative_share(other.reviews, gap.topic) <= share - 0.3, other.slug
    elif gap.kind == "strong_aspect":
        share = negative_share(shop.reviews, gap.topic)
        assert share <= 0.15
        assert gap.compare_with is not None
        assert negative_share(by_slug[gap.compare_with].reviews, gap.topic) >= share + 0.3
    else:
        share = need_share(shop.reviews, gap.topic)
        assert share >= 0.12
        assert all(share >= 3 * need_share(o.reviews, gap.topic) for o in others)


def test_large_shops_generate_lazily(shops: list[DemoShop]) -> None:
    big = generate_shops(products=2000, reviews_per_product=20)
    assert [len(s.products) for s in big] == [2000] * 4
    assert len({p.slug for p in big[0].products}) == 2000
    assert "reviews" not in vars(big[0].products[1999])  # not generated until asked
    assert len(big[0].products[1999].reviews) == 20
    assert big[0].products[1999].gtin == big[3].products[1999].gtin


@pytest.mark.parametrize(("products", "reviews"), [(0, None), (3, -1)])
def test_bad_sizes_are_user_errors(products: int, reviews: int | None) -> None:
    with pytest.raises(UserError):
        generate_shops(products=products, reviews_per_product=reviews)


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1299.00", "NOK", "1\u00a0299,00\u00a0kr"),
        ("1299.00", "EUR", "1\u00a0299,00\u00a0€"),
        ("1299.99", "PLN", "1 299,99 zł"),
        ("1299.99", "GBP", "£1,299.99"),
        ("-5.00", "GBP", "-£5.00"),
        ("89.90", "EUR", "89,90\u00a0€"),
    ],
)
def test_local_price_formats(amount: str, currency: str, text: str) -> None:
    assert format_price(Decimal(amount), currency) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("no", "12. mars 2026"),
        ("fr", "12 mars 2026"),
        ("pl", "12 marca 2026"),
        ("en", "12 March 2026"),
    ],
)
def test_local_date_formats(language: str, text: str) -> None:
    assert format_date(date(2026, 3, 12), language) == text


# --- the server ---------------------------------------------------------------------


def test_server_binds_loopback_on_a_free_port(server: DemoServer) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert not server.base_url.endswith(":0")
    with pytest.raises(UserError):
        DemoServer([], host="0.0.0.0")


def test_listing_links_every_product_plans_and_odd_pages(
    server: DemoServer, shops: list[DemoShop]
) -> None:
    for shop in shops:
        page = Selector(text=fetch_text(f"{server.base_url}/{shop.slug}/"))
        links = set(page.css("a::attr(href)").getall())
        assert {product_url(server.base_url, shop, p) for p in shop.products} <= links
        assert f"{server.base_url}/{shop.slug}/plans" in links
        assert {server.base_url + b.path for b in shop.broken_pages} <= links
        assert f"{server.base_url}/{shop.slug}/private/" in links


@pytest.mark.parametrize("slug", ["nordlys", "lumiere", "kawamistrz", "brewcraft"])
def test_product_pages_paginate_reviews(
    server: DemoServer, by_slug: dict[str, DemoShop], slug: str
) -> None:
    shop = by_slug[slug]
    product = shop.products[0]
    pages = -(-len(product.reviews) // 10)
    seen: list[str] = []
    for number in range(1, pages + 1):
        status, body, content_type = fetch(product_url(server.base_url, shop, product, number))
        assert status == 200
        page = Selector(text=body.decode(content_type.split("charset=")[1]))
        seen += page.css("article.review::attr(id)").getall()
        next_link = page.css("a[rel=next]::attr(href)").get()
        expected_next = (
            product_url(server.base_url, shop, product, number + 1) if number < pages else None
        )
        assert next_link == expected_next
        assert page.css("link[rel=next]::attr(href)").get() == expected_next
    assert seen == [r.review_id for r in product.reviews]
    past_end = fetch(product_url(server.base_url, shop, product, pages + 1))
    assert past_end[0] == 404


def test_robots_forbids_private_pages_only(server: DemoServer, shops: list[DemoShop]) -> None:
    robots = RobotFileParser()
    robots.parse(fetch_text(server.base_url + "/robots.txt").splitlines())
    for shop in shops:
        assert not robots.can_fetch("rivalscope", f"{server.base_url}/{shop.slug}/private/")
        assert robots.can_fetch("rivalscope", product_url(server.base_url, shop, shop.products[0]))
        assert (
            fetch(f"{server.base_url}/{shop.slug}/private/")[0] == 200
        )  # exists; must not be crawled


def test_sitemaps_list_every_shop_and_product(server: DemoServer, shops: list[DemoShop]) -> None:
    index = Selector(text=fetch_text(server.base_url + "/sitemap.xml"), type="xml")
    index.remove_namespaces()
    assert index.xpath("//loc/text()").getall() == [
        f"{server.base_url}/{s.slug}/sitemap.xml" for s in shops
    ]
    shop = shops[0]
    sitemap = Selector(text=fetch_text(f"{server.base_url}/{shop.slug}/sitemap.xml"), type="xml")
    sitemap.remove_namespaces()
    locations = set(sitemap.xpath("//loc/text()").getall())
    assert {product_url(server.base_url, shop, p) for p in shop.products} <= locations


def test_requested_paths_are_recorded(server: DemoServer) -> None:
    fetch(server.base_url + "/nordlys/?page=1")
    assert "/nordlys/?page=1" in server.requested_paths


def test_unknown_paths_are_404(server: DemoServer) -> None:
    for path in (
        "/nowhere/",
        "/nordlys/p/no-such-product",
        "/nordlys/?page=x",
        "/nordlys/?page=99",
    ):
        assert fetch(server.base_url + path)[0] == 404, path


def _broken(shops: list[DemoShop], kind: str) -> str:
    return next(b.path for s in shops for b in s.broken_pages if b.kind == kind)


def test_server_error_page(server: DemoServer, shops: list[DemoShop]) -> None:
    assert fetch(server.base_url + _broken(shops, "server-error"))[0] == 500


def test_slow_page_waits_the_configured_delay(server: DemoServer, shops: list[DemoShop]) -> None:
    started = time.monotonic()
    status, _, _ = fetch(server.base_url + _broken(shops, "slow"))
    assert status == 200
    assert time.monotonic() - started >= SLOW_SECONDS


def test_truncated_page_is_cut_mid_tag(server: DemoServer, shops: list[DemoShop]) -> None:
    text = fetch_text(server.base_url + _broken(shops, "truncated"))
    assert "</html>" not in text
    assert text.rfind("<") > text.rfind(">")


def _jsonld_scripts(text: str) -> list[str]:
    return Selector(text=text).css('script[type="application/ld+json"]::text').getall()


def test_jsonld_is_valid_except_on_the_invalid_page(
    server: DemoServer, by_slug: dict[str, DemoShop]
) -> None:
    shop = by_slug["lumiere"]
    product = shop.products[0]
    (good,) = _jsonld_scripts(fetch_text(product_url(server.base_url, shop, product)))
    doc = json.loads(good)
    assert doc["offers"]["price"] == f"{product.price:.2f}"
    assert doc["aggregateRating"]["bestRating"] == 10
    assert [r["identifier"] for r in doc["review"]] == [r.review_id for r in product.reviews[:10]]
    assert {r["inLanguage"] for r in doc["review"]} <= {"fr", "en"}
    (bad,) = _jsonld_scripts(fetch_text(server.base_url + _broken([shop], "invalid-jsonld")))
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad)


def test_legacy_charset_page_decodes_with_its_header(
    server: DemoServer, by_slug: dict[str, DemoShop]
) -> None:
    shop = by_slug["kawamistrz"]
    product = shop.products[1]
    status, body, content_type = fetch(product_url(server.base_url, shop, product))
    assert status == 200 and content_type == "text/html; charset=windows-1250"
    text = body.decode("windows-1250")
    assert product.name in text and "ł" in product.name
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_microdata_and_rdfa_carry_schema_org_reviews(
    server: DemoServer, by_slug: dict[str, DemoShop]
) -> None:
    microdata = by_slug["kawamistrz"]
    page = Selector(text=fetch_text(product_url(server.base_url, microdata, microdata.products[0])))
    assert len(page.css('[itemtype="https://schema.org/Review"]')) == 10
    assert (
        page.css('[itemprop="price"]::attr(content)').get() == f"{microdata.products[0].price:.2f}"
    )
    rdfa = by_slug["nordlys"]
    page = Selector(text=fetch_text(product_url(server.base_url, rdfa, rdfa.products[0])))
    assert len(page.css('[typeof="Review"]')) == 10
    assert (
        page.css('[property="datePublished"]::attr(content)').get()
        == rdfa.products[0].reviews[0].published.isoformat()
    )


# --- targets file and the plain shop's selectors ----------------------------------


def _select(block: Selector, selector: str) -> str | None:
    if selector.startswith("xpath:"):
        return block.xpath(selector.removeprefix("xpath:")).get()
    return (
        block.css(selector if "::" in selector else f"{selector} *::text").get()
        or block.css(f"{selector}::text").get()
    )


def test_written_targets_validate_and_selectors_read_the_plain_shop(
    tmp_path: Path, server: DemoServer, by_slug: dict[str, DemoShop]
) -> None:
    path = tmp_path / "targets.toml"
    write_targets(path, server.base_url, list(by_slug.values()))
    targets = load_targets(path)
    assert [c.own for c in targets.company] == [True, False, False, False]
    modes = {source.name: source.mode for _, source in targets.sources()}
    assert modes == {
        "nordlys-shop": "auto",
        "lumiere-shop": "auto",
        "kawamistrz-shop": "auto",
        "brewcraft-shop": "selectors",
    }
    _, source = targets.find_source("brewcraft-shop")
    assert source.politeness.download_delay == 0 and source.start_urls == [
        f"{server.base_url}/brewcraft/"
    ]
    selectors = source.selectors
    assert selectors is not None and selectors.review and selectors.offer and selectors.next_page

    shop = by_slug["brewcraft"]
    product = shop.products[0]
    page = Selector(text=fetch_text(product_url(server.base_url, shop, product)))
    blocks = page.css(selectors.review)
    assert len(blocks) == 10
    first = product.reviews[0]
    fields = {name: _select(blocks[0], sel) for name, sel in selectors.review_fields.items()}
    assert fields["text"] == first.text and fields["id"] == first.review_id
    assert fields["rating"] == str(first.rating) and fields["best_rating"] == "5"
    assert fields["date"] == format_date(first.published, "en") and fields["author"] == first.author
    (offer,) = page.css(selectors.offer)
    assert _select(offer, selectors.offer_fields["sku"]) == product.sku
    assert _select(offer, selectors.offer_fields["price"]) == format_price(product.price, "GBP")
    assert page.css(selectors.next_page).get() == product_url(server.base_url, shop, product, 2)


def test_break_switch_changes_review_markup(shops: list[DemoShop]) -> None:
    shop = next(s for s in shops if s.slug == "kawamistrz")
    plain = next(s for s in shops if s.slug == "brewcraft")
    with DemoServer(shops, slow_seconds=0) as running:

        def review_blocks() -> tuple[int, int]:
            micro = Selector(text=fetch_text(product_url(running.base_url, shop, shop.products[0])))
            html = Selector(
                text=fetch_text(product_url(running.base_url, plain, plain.products[0]))
            )
            return len(micro.css('[itemtype="https://schema.org/Review"]')), len(
                html.css(".review")
            )

        assert review_blocks() == (10, 10)
        running.set_break_markup({"kawamistrz", "brewcraft"})
        assert review_blocks() == (0, 0)
        running.set_break_markup(set())
        assert review_blocks() == (10, 10)
    with pytest.raises(UserError):
        DemoServer(shops, break_markup={"nobody"})


def test_break_switch_from_the_environment(
    shops: list[DemoShop], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIVALSCOPE_DEMO_BREAK_MARKUP", "brewcraft")
    assert DemoServer(shops).break_markup == {"brewcraft"}


# --- fixtures ----------------------------------------------------------------------


def test_saved_fixtures_are_in_sync_with_the_demo(tmp_path: Path) -> None:
    written = write_fixtures(tmp_path)
    assert len(written) >= 12
    for folder in written:
        saved = DEFAULT_OUT / folder.relative_to(tmp_path)
        for name in ("page.html", "url.txt", "expected.json"):
            assert (folder / name).read_text(encoding="utf-8") == (saved / name).read_text(
                encoding="utf-8"
            ), f"{saved / name} is stale: run python -m rivalscope.demo.fixtures"

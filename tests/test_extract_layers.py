"""The layer registry, and a source's selectors put over auto extraction field by field."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from rivalscope.cli import app
from settings.targets import Selectors
from spiders.extract.auto import extract_auto
from spiders.extract.layers import (
    HEURISTIC,
    JSON_LD,
    LAYERS,
    SELECTORS,
    STRUCTURED_LAYER_NAMES,
    describe_layer_shares,
    layer_coverage_key,
    layer_names,
    layer_priority,
    layer_shares,
)
from spiders.extract.selector_overlay import overlay_selectors

URL = "https://shop.example/p/kettle-9"
PAGE = """<!doctype html><html lang="en"><head>
<meta property="og:image" content="https://shop.example/k.jpg">
<script type="application/ld+json">{"@type": "Product", "name": "Kettle", "sku": "K9",
 "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"},
 "review": [{"@type": "Review", "reviewBody": "Boils fast and the handle stays cool.",
   "author": {"@type": "Person", "name": "Ann"}, "datePublished": "2024-03-02",
   "reviewRating": {"@type": "Rating", "ratingValue": "5"}}]}</script></head>
<body><h1>Kettle</h1><p class="price-vat">59,00 €</p>
<div class="rv"><span class="txt">Boils fast and the handle stays cool.</span><b>4</b></div>
</body></html>"""


def test_registry_orders_layers_by_trust() -> None:
    priorities = [layer.priority for layer in LAYERS.values()]
    assert priorities == sorted(priorities) and len(set(priorities)) == len(priorities)
    assert layer_names().startswith("selectors, json-ld, microdata, rdfa")
    assert layer_priority(JSON_LD.name) < layer_priority(HEURISTIC.name)
    assert layer_priority("unknown") > layer_priority(HEURISTIC.name)
    assert layer_priority(None) == layer_priority("unknown")
    assert JSON_LD.name in STRUCTURED_LAYER_NAMES
    assert {HEURISTIC.name, SELECTORS.name}.isdisjoint(STRUCTURED_LAYER_NAMES)


@pytest.mark.parametrize(
    ("coverage", "kind", "shares", "text"),
    [
        (
            {"review.layer.heuristic": 0.25, "review.layer.json-ld": 0.75},
            "review",
            [("json-ld", 0.75), ("heuristic", 0.25)],
            "json-ld 75%, heuristic 25%",
        ),
        ({"review.layer.json-ld": 1.0}, "offer", [], ""),
        ({"review.layer.nonsense": 1.0}, "review", [], ""),
        ({}, "review", [], ""),
    ],
)
def test_layer_shares(
    coverage: dict[str, float], kind: str, shares: list[tuple[str, float]], text: str
) -> None:
    assert layer_shares(coverage, kind) == shares
    assert describe_layer_shares(coverage, kind) == text
    assert layer_coverage_key("offer", "rdfa") == "offer.layer.rdfa"


def test_every_explained_layer_is_registered() -> None:
    page = extract_auto(PAGE, URL)
    explains = [o.explain for o in page.offers] + [r.explain for r in page.reviews]
    assert explains and all(v in LAYERS for e in explains for v in e.values())
    assert page.offers[0].explain["image"] == "opengraph"


def test_selectors_override_single_offer_fields_and_keep_the_rest() -> None:
    page = extract_auto(PAGE, URL)
    overlay_selectors(page, PAGE, Selectors(offer_fields={"price": ".price-vat"}))
    offer = page.offers[0]
    assert (offer.price_raw, offer.price) == ("59,00 €", None)  # the pipeline normalises it
    assert offer.explain["price"] == SELECTORS.name
    assert (offer.name, offer.sku, offer.explain["sku"]) == ("Kettle", "K9", JSON_LD.name)


def test_selector_reviews_keep_auto_fields_they_do_not_give() -> None:
    page = extract_auto(PAGE, URL)
    selectors = Selectors(review=".rv", review_fields={"text": ".txt", "rating": "b"})
    overlay_selectors(page, PAGE, selectors)
    (review,) = page.reviews
    assert review.rating_raw == "4" and review.rating is None  # selector's rating, renormalised
    assert review.explain["text"] == review.explain["rating_raw"] == SELECTORS.name
    assert (review.author, review.date_raw) == ("Ann", "2024-03-02")
    assert review.explain["author"] == JSON_LD.name


@pytest.mark.parametrize(
    "selectors",
    [
        Selectors(review=".missing", review_fields={"text": ".txt"}),
        Selectors(offer_fields={"price": ".missing"}),
        Selectors(offer=".missing", offer_fields={"price": ".price-vat"}),
    ],
)
def test_selectors_that_find_nothing_leave_auto_alone(selectors: Selectors) -> None:
    page = extract_auto(PAGE, URL)
    before = (page.offers[0].price, [r.text for r in page.reviews], page.reviews[0].rating)
    overlay_selectors(page, PAGE, selectors)
    assert (page.offers[0].price, [r.text for r in page.reviews], page.reviews[0].rating) == before


def test_selector_offer_on_a_page_auto_finds_nothing_on() -> None:
    html = "<html><body><h1>Plan</h1><span class='p'>9 €</span></body></html>"
    page = overlay_selectors(extract_auto(html, URL), html, Selectors(offer_fields={"price": ".p"}))
    assert [(o.price_raw, o.explain["price"]) for o in page.offers] == [("9 €", "selectors")]


def test_runs_lists_the_layers_that_read_each_run(engine: Engine, db_url: str) -> None:
    from sqlmodel import Session

    from storage.models import Company, CrawlRun, Source

    with Session(engine) as session:
        company = Company(name="Acme")
        session.add(company)
        session.flush()
        source = Source(name="acme-shop", company_id=company.id or 0)
        session.add(source)
        session.flush()
        coverage = {"review.layer.heuristic": 0.4, "review.layer.json-ld": 0.6,
                    "offer.layer.opengraph": 1.0}  # fmt: skip
        session.add(CrawlRun(source_id=source.id or 0, status="finished", field_coverage=coverage))
        session.commit()
    result = CliRunner().invoke(app, ["runs", "--db", db_url], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    # The table wraps the cell: its parts, in the registry's order, each kind named.
    parts = [
        result.output.index(p)
        for p in ("reviews:", "json-ld 60%", "heuristic 40%", "offers:", "opengraph 100%")
    ]
    assert parts == sorted(parts)


@pytest.mark.parametrize(
    ("coverage", "shown"),
    [
        ({"review.layer.json-ld": 1.0, "offer.layer.json-ld": 1.0}, "json-ld 100%"),
        ({"review.layer.rdfa": 0.99, "offer.layer.rdfa": 1.0}, "reviews: rdfa 99%; offers: rdfa 100%"),
        ({"offer.layer.opengraph": 1.0}, "offers: opengraph 100%"),
        ({}, ""),
    ],
)  # fmt: skip
def test_runs_names_the_kind_only_when_reviews_and_offers_were_read_apart(
    coverage: dict[str, float], shown: str
) -> None:
    from rivalscope.commands.runs import _read_by

    assert _read_by(coverage) == shown


def test_targets_check_shows_the_overriding_selectors_of_an_auto_source() -> None:
    from settings.targets import Source
    from spiders.target_check import check_page

    source = Source(
        name="kettles",
        start_urls=[URL],
        mode="auto",
        selectors=Selectors(offer_fields={"price": ".price-vat", "brand": ".nope"}),
    )
    check = check_page(PAGE, URL, source)
    found = {r.name: (r.matched, r.of, r.sample) for r in check.selectors}
    assert found == {"offer_fields.price": (1, 1, "59,00 €"), "offer_fields.brand": (0, 1, None)}
    assert check.extraction.offers[0].price_raw == "59,00 €"
    assert any("offer_fields.brand" in w for w in check.warnings)
    assert next(iter(check.layers)) == "selectors"  # most trusted first

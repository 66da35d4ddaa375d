"""The silver offers benchmark: markup offers as truth for the visible reading."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from settings.records import OfferItem
from tests.benchmark_scripts import load_benchmark

silver = load_benchmark("offers_silver")

MARKED_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Kettle",'
    ' "sku": "KT-200", "offers": {"@type": "Offer", "price": "1299.00", "priceCurrency": "EUR",'
    ' "availability": "https://schema.org/OutOfStock"}}</script></head>'
    "<body><h1>Kettle</h1><p>Item no. KT-200</p><span>1.299,00 \u20ac</span>"
    "<p>Sold out</p><button disabled>Add to cart</button></body></html>"
)
HIDDEN_PRICE_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Lamp",'
    ' "offers": {"@type": "Offer", "price": "40", "priceCurrency": "EUR"}}</script></head>'
    "<body><h1>Lamp</h1><span>35,00 \u20ac</span></body></html>"
)
RECIPE_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "Recipe", "name": "Soup"}'
    "</script></head><body><h1>Soup</h1><p>Simmer for 20 minutes.</p></body></html>"
)


@pytest.mark.parametrize(
    ("price", "text", "shown"),
    [
        ("1299.00", "Now 1.299,00 \u20ac", True),
        ("1299.00", "Now $1,299", True),
        ("1299.00", "Now 1 299 kr", True),
        ("1299.00", "Now 1\u00a0299,00", True),
        ("173.34", "173\n  34 Lei", True),  # cents in an element of their own
        ("12.50", "12,5 \u20ac", True),
        ("299.00", "1.299,00", False),  # part of a longer number
        ("12.00", "112.00", False),
        ("12.00", "12.005", False),
        ("0", "0 \u20ac", False),  # a price of nothing is never silver
        ("14.99", "Was 22,90 \u20ac", False),
    ],
)
def test_visible_price(price: str, text: str, shown: bool) -> None:
    assert silver.visible_price(price, text) is shown


@pytest.mark.parametrize(
    ("explain", "keys"),
    [
        (
            {"price": "json-ld", "sku": "json-ld", "availability": "microdata"},
            {"sku", "availability"},
        ),
        ({"price": "rdfa", "sku": "heuristic", "availability": "heuristic"}, set()),
        ({"price": "heuristic", "sku": "json-ld"}, None),  # the price is not the markup's
        ({"price": "opengraph"}, None),
    ],
)
def test_silver_record_keeps_the_markup_fields(
    explain: dict[str, str], keys: set[str] | None
) -> None:
    offer = OfferItem(price="9.00", sku="A-1", availability="InStock", explain=explain)
    record = silver.silver_record(offer, "https://shop.test/p/1")
    if keys is None:
        assert record is None
    else:
        assert record is not None and record["price"] == ["9.00"]
        assert set(record) - {"url", "price"} == keys


def test_run_on_pages_of_three_sites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    truth = {}
    for page_id, (html, host) in {
        "a": (MARKED_PAGE, "kettles.test"),
        "b": (HIDDEN_PRICE_PAGE, "lamps.test"),
        "c": (RECIPE_PAGE, "soups.test"),
    }.items():
        (pages / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"url": f"https://{host}/p/{page_id}"}
    (tmp_path / "truth.json").write_text(json.dumps(truth))
    args = [str(pages), str(tmp_path / "truth.json"), "--folds", "2", "--modes", "strip"]
    assert silver.main([*args, "--show-doubtful"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "silver pages 2 of 3, 2 sites" in out[1]
    assert "doubtful b" in out[2]
    assert "selling nothing by their markup: 1 pages, 1 sites" in out[1]
    assert out[-1].startswith("pages=3 silver=2 sites=2 doubtful=1 ")
    assert out[-1].endswith(" nothing_sold=1 false_price=0/0 false_sku=0/0")
    # The stripped kettle page still shows its code, stock and grouped price.
    visible = next(line for line in out if line.startswith("strip visible price"))
    assert "price=1.000 (n=1) sku=1.000 (n=1) availability=1.000 (n=1)" in visible


def test_wrong_arguments(tmp_path: Path) -> None:
    assert silver.main([str(tmp_path / "none"), str(tmp_path / "none.json")]) == 2
    (tmp_path / "t.json").write_text("{}")
    assert silver.main([str(tmp_path), str(tmp_path / "t.json"), "--modes", "shout"]) == 2

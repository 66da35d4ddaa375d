"""The offers misses benchmark: each wrong answer with its cause, causes counted by site."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.benchmark_scripts import load_benchmark

misses = load_benchmark("offers_misses")

# An invented shop: no markup, a price shown, nothing said about stock.
PLAIN_PAGE = (
    "<html><body><h1>Copper kettle</h1><span>1.299,00 \u20ac</span>"
    "<p>A kettle for every stove.</p></body></html>"
)
MARKED_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Lamp",'
    ' "offers": {"@type": "Offer", "price": "40", "priceCurrency": "EUR"}}</script></head>'
    "<body><h1>Lamp</h1><span>40,00 \u20ac</span></body></html>"
)


def _causes(html: str, record: dict[str, object], mode: str = "normal") -> dict[str, str]:
    page = misses.stressed(html.encode(), mode)
    return {m.attribute: m.cause for m in misses.page_misses(mode, "p1", page, record)}


@pytest.mark.parametrize(
    ("record", "causes"),
    [
        # Right price, sku only in the address, stock truth the page never says.
        (
            {
                "url": "https://kettles.example/p/ck-7731",
                "price": ["1299.00"],
                "sku": ["ck-7731"],
                "availability": ["OutOfStock"],
            },
            {"sku": "in URL only", "availability": "no evidence"},
        ),
        # A truth reading the grouping dot as decimals.
        ({"url": "https://kettles.example/p/1", "price": ["1.299"]}, {"price": "thousands"}),
        # An amount the page does not show; a code it does not show.
        (
            {"url": "https://kettles.example/p/1", "price": ["15.50"], "sku": ["Q-88"]},
            {"price": "not shown", "sku": "not shown"},
        ),
    ],
)
def test_causes_of_a_plain_page(record: dict[str, object], causes: dict[str, str]) -> None:
    assert _causes(PLAIN_PAGE, record) == causes


def test_a_markup_price_kept_against_the_truth_is_said_so() -> None:
    record = {"url": "https://lamps.example/lamp", "price": ["35"]}
    assert _causes(MARKED_PAGE, record) == {"price": "kept markup"}
    # Stripped, the reading is the visible one: the truth's amount is not shown.
    assert _causes(MARKED_PAGE, record, "strip") == {"price": "not shown"}


def test_the_command_counts_causes_by_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    truth = {}
    for number, host in enumerate(("kettles.example", "kettle-shop.example", "kettles.example")):
        page_id = f"page{number}"
        (pages / f"{page_id}.html.gz").write_bytes(gzip.compress(PLAIN_PAGE.encode()))
        truth[page_id] = {"url": f"https://{host}/p/{number}", "price": ["99"]}
    truth_file = tmp_path / "truth.json"
    truth_file.write_text(json.dumps(truth), encoding="utf-8")
    assert misses.main([str(pages), str(truth_file), "--modes", "normal,strip+unknown"]) == 0
    out = capsys.readouterr().out
    assert "price        not shown          3     2 normal,strip+unknown" in out
    assert out.rstrip().endswith("causes on two sites or more: price not shown (2 sites)")


@pytest.mark.parametrize("modes", ["strip+shuffle", "", "normal+strip"])
def test_unknown_modes_are_refused(tmp_path: Path, modes: str) -> None:
    truth_file = tmp_path / "truth.json"
    truth_file.write_text("{}", encoding="utf-8")
    assert misses.main([str(tmp_path), str(truth_file), "--modes", modes]) == 2

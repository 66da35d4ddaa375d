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
        # A truth reading the grouping dot as decimals: euros have two minor units, so the
        # shown 1.299,00 can only be the answer's 1299.
        ({"url": "https://kettles.example/p/1", "price": ["1.299"]}, {"price": "truth decimals"}),
        # An amount the page does not show; a code it does not show.
        (
            {"url": "https://kettles.example/p/1", "price": ["15.50"], "sku": ["Q-88"]},
            {"price": "not shown", "sku": "not shown"},
        ),
    ],
)
def test_causes_of_a_plain_page(record: dict[str, object], causes: dict[str, str]) -> None:
    assert _causes(PLAIN_PAGE, record) == causes


def _one_amount_page(shown: str, markup: str = "") -> str:
    return (
        f"<html><head>{markup}</head><body><h1>Copper kettle</h1><span>{shown}</span>"
        "<p>A kettle for every stove.</p></body></html>"
    )


@pytest.mark.parametrize(
    ("page", "price", "cause"),
    [
        # Pesos have no minor units: "$12.990" is twelve thousand whatever the truth says.
        (_one_amount_page("$12.990"), "12.99", "truth decimals"),
        (_one_amount_page("$8.000"), "8", "truth decimals"),
        # Dinars have three: "KWD 1.299" is 1.299, the truth's 1299 is the reading's fault
        # if anyone's, and so is a truth a thousand times the answer.
        (_one_amount_page("KWD 1.299"), "1299", "thousands"),
        (_one_amount_page("$12.990"), "12990000", "thousands"),
        # A markup amount with no currency: nothing says which reading is right.
        (
            _one_amount_page(
                "1299",
                '<script type="application/ld+json">{"@type": "Product", "name": "Kettle",'
                ' "offers": {"@type": "Offer", "price": "1299"}}</script>',
            ),
            "1.299",
            "thousands",
        ),
    ],
)
def test_a_thousand_times_off_blames_the_truth_only_where_minor_units_do(
    page: str, price: str, cause: str
) -> None:
    record = {"url": "https://kettles.example.cl/p/1", "price": [price]}
    assert _causes(page, record) == {"price": cause}


def test_a_markup_price_kept_against_the_truth_is_said_so() -> None:
    record = {"url": "https://lamps.example/lamp", "price": ["35"]}
    assert _causes(MARKED_PAGE, record) == {"price": "kept markup"}
    # Stripped, the reading is the visible one: the truth's amount is not shown.
    assert _causes(MARKED_PAGE, record, "strip") == {"price": "not shown"}


def _run(tmp_path: Path, hosts: tuple[str, ...], price: str, modes: str) -> None:
    """The command over PLAIN_PAGE saved once per host, each with truth ``price``."""
    pages = tmp_path / "pages"
    pages.mkdir()
    truth = {}
    for number, host in enumerate(hosts):
        page_id = f"page{number}"
        (pages / f"{page_id}.html.gz").write_bytes(gzip.compress(PLAIN_PAGE.encode()))
        truth[page_id] = {"url": f"https://{host}/p/{number}", "price": [price]}
    truth_file = tmp_path / "truth.json"
    truth_file.write_text(json.dumps(truth), encoding="utf-8")
    assert misses.main([str(pages), str(truth_file), "--modes", modes]) == 0


def test_the_command_counts_causes_by_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hosts = ("kettles.example", "kettle-shop.example", "kettles.example")
    _run(tmp_path, hosts, "99", "normal,strip+unknown")
    out = capsys.readouterr().out
    assert "price        not shown          3     2 normal,strip+unknown" in out
    assert out.rstrip().endswith("causes on two sites or more: price not shown (2 sites)")


def test_truth_faults_are_counted_apart_from_the_causes_to_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(tmp_path, ("kettles.example", "kettle-shop.example"), "1.299", "normal")
    out = capsys.readouterr().out
    assert (
        "the truth at fault (nothing to fix in the reading): price truth decimals (2 pages, 2 sites)"
        in out
    )
    assert out.rstrip().endswith("causes on two sites or more: none")


@pytest.mark.parametrize("modes", ["strip+shuffle", "", "normal+strip"])
def test_unknown_modes_are_refused(tmp_path: Path, modes: str) -> None:
    truth_file = tmp_path / "truth.json"
    truth_file.write_text("{}", encoding="utf-8")
    assert misses.main([str(tmp_path), str(truth_file), "--modes", modes]) == 2

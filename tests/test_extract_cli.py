"""``rivalscope extract`` through the real CLI app and as a subprocess."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rivalscope.cli import app
from settings.user_errors import UserError

SNIPPET = Path(__file__).parent / "fixtures" / "snippets" / "product_cp1252.html"
URL = "https://shop.example.fr/p/cafetiere"


@pytest.fixture
def gz_page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(SNIPPET.read_bytes()))
    return path


@pytest.mark.parametrize("compressed", [False, True])
def test_extract_prints_one_json_document(compressed: bool, gz_page: Path) -> None:
    path = gz_page if compressed else SNIPPET
    result = CliRunner().invoke(app, ["extract", str(path), "--url", URL])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["url"] == URL
    offer = document["offers"][0]
    assert (offer["name"], offer["price"], offer["currency"]) == ("Cafetière", "49.90", "EUR")
    assert (offer["availability"], offer["sku"]) == ("InStock", "CF-1")
    assert document["aggregate_rating"]["rating_value"] == 4.4
    (review,) = document["reviews"]
    assert (review["rating"], review["best_rating"], review["language"]) == (5.0, 5.0, "fr")
    assert (review["text"], review["date"]) == ("Très bonne cafetière", "2023-05-01")
    assert document["next_page"] == "https://shop.example.fr/avis?page=2"
    assert "Jeanne" not in result.output and "author" not in result.output
    assert "explain" not in result.output


BYLINE_PAGE = """<html lang="sv"><body><h1>Kaffekvarn</h1>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
 "name": "Kaffekvarn", "review": [{"@type": "Review", "reviewBody": "Maler jämnt och tyst.",
 "datePublished": "Lena Berg, Umeå, förra vintern", "author": "Lena Berg",
 "reviewRating": {"@type": "Rating", "ratingValue": 5}}]}</script></body></html>"""


def test_an_unread_date_is_shown_only_with_explain(tmp_path: Path) -> None:
    # A review's date line is often a byline ("Name, town, date"): written out as found, an
    # unread one shows the reviewer's name, which output never does without --explain.
    page = tmp_path / "byline.html"
    page.write_text(BYLINE_PAGE, encoding="utf-8")
    plain = CliRunner().invoke(app, ["extract", str(page), "--url", "https://shop.example.se/k"])
    assert plain.exit_code == 0, plain.output
    (review,) = json.loads(plain.output)["reviews"]
    assert review["text"] == "Maler jämnt och tyst." and review["date"] is None
    assert "Lena" not in plain.output
    explained = CliRunner().invoke(
        app, ["extract", str(page), "--url", "https://shop.example.se/k", "--explain"]
    )
    (review,) = json.loads(explained.output)["reviews"]
    assert review["date_raw"] == "Lena Berg, Umeå, förra vintern"


def test_explain_adds_source_layers(gz_page: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(gz_page), "--url", URL, "--explain"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["offers"][0]["explain"]["price"] == "json-ld"
    assert document["reviews"][0]["explain"]["text"] == "json-ld"
    assert document["aggregate_rating"]["explain"]["rating_value"] == "json-ld"


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "missing.html")])
    assert isinstance(result.exception, UserError)
    assert "no such file" in str(result.exception)


@pytest.mark.parametrize(
    "address", ["http://127.0.0.1:9/p/kettle", "https://shop.example/p?id=1", "HTTP://x.example/"]
)
def test_a_web_address_says_extract_reads_saved_pages(address: str) -> None:
    """`rivalscope extract https://...` said "https:/shop.example/p?id=1: no such file": the
    address folded as a path, and not a word on the commands that fetch a page."""
    result = CliRunner().invoke(app, ["extract", address])
    assert isinstance(result.exception, UserError)
    assert str(result.exception).startswith(f"{address} is a web address: extract reads a saved")
    assert "targets check SOURCE --url URL" in str(result.exception)


@pytest.mark.parametrize("name", ["missing.html", "broken.html.gz", "."])
def test_unreadable_file_is_one_line_exit_2(tmp_path: Path, name: str) -> None:
    (tmp_path / "broken.html.gz").write_bytes(b"\x1f\x8b\x08garbage")
    completed = subprocess.run(
        [sys.executable, "-m", "rivalscope", "extract", str(tmp_path / name)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip().startswith("error:")
    assert len(completed.stderr.strip().splitlines()) == 1


def test_a_page_without_url_gets_no_warning_about_its_file_address() -> None:
    # Without --url the page's address is its file:// URI, which no crawl sees: its offers
    # are not "dropped by a crawl" for it.
    result = CliRunner().invoke(app, ["extract", str(SNIPPET)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["offers"] and document["offers"][0]["price"] == "49.90"
    assert not any("url not http" in w for w in document["warnings"]), document["warnings"]


VARIANTS = Path(__file__).parent / "fixtures" / "snippets" / "variant_group_shown_variant.html"
_MUG = {"code": "TM-3300", "name": "Travel mug", "price_low": "19.00", "price_high": "24.00",
        "currency": "EUR", "availability": "InStock", "variants": 3}  # fmt: skip
# the group's brand goes to each variant that names none
_NONE = {"mpn": None, "brand": "Fjordware", "category": None, "size": None, "listing": False}


def _mug(name: str, sku: str, price: str, stock: str, colour: str, **more: Any) -> dict[str, Any]:
    fields = {"name": name, "price": price, "currency": "EUR", "availability": stock, "sku": sku,
              "gtin": None, "image": None, "price_raw": price,
              "availability_raw": f"https://schema.org/{stock}", "variant_sku": None,
              "colour": colour}  # fmt: skip
    return {**fields, **_NONE, **more, "parent": _MUG}


def test_a_variant_page_lists_the_shoppers_view_then_each_variant_once() -> None:
    """A group's variants and the shown variant's own product node: the view (the group's
    code, the cheapest colour in stock), then each colour once, the shown one completed
    from its own node (GTIN, image)."""
    result = CliRunner().invoke(app, ["extract", str(VARIANTS), "--url", "https://shop.test/p/mug"])
    assert result.exit_code == 0, result.output
    shown = {"gtin": "4006381333931", "image": "https://shop.test/img/tm-3300-blu.jpg"}
    expected = [
        _mug(
            "Travel mug", "TM-3300", "22.00", "InStock", "blue", variant_sku="TM-3300-BLU", **shown
        ),
        _mug("Travel mug blue", "TM-3300-BLU", "22.00", "InStock", "blue", **shown),
        _mug("Travel mug red", "TM-3300-RED", "24.00", "InStock", "red"),
        _mug("Travel mug grey", "TM-3300-GRY", "19.00", "OutOfStock", "grey"),
    ]
    offers = json.loads(result.output)["offers"]
    assert [sorted(o) for o in offers] == [sorted(e) for e in expected]
    for got, want in zip(offers, expected, strict=True):
        assert got == want


HIDDEN_NAMES = ["Evil\u202eoC", "Esc\x1b[31mRed", "Ann\u2066B"]
"""Names holding a bidi override or isolate, or an escape sequence, as a scraped page may."""


def test_scraped_text_shows_its_bidi_and_control_characters_as_escapes(tmp_path: Path) -> None:
    """extract printed a review text's U+202E raw (json.dumps with ensure_ascii=False), so
    the terminal reversed the rest of the line; now written as the JSON escape ``\\u202e``,
    which a JSON reader reads back as the same text."""
    markup = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kettle \u202eelttek",
        "review": [
            {
                "@type": "Review",
                "reviewBody": f"Review by {name}: it boils water fast and stays quiet.",
                "reviewRating": {"@type": "Rating", "ratingValue": 4, "bestRating": 5},
            }
            for name in HIDDEN_NAMES
        ],
    }
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><script type="application/ld+json">{json.dumps(markup)}</script></head>'
        "<body><h1>Kettle</h1></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["extract", str(page), "--url", URL])
    assert result.exit_code == 0, result.output
    assert not {"\u202e", "\u2066", "\x1b"} & set(result.output)
    assert "Evil\\u202eoC" in result.output
    document = json.loads(result.output)
    texts = [review["text"] for review in document["reviews"]]
    assert texts == [
        f"Review by {name}: it boils water fast and stays quiet." for name in HIDDEN_NAMES
    ]
    assert document["offers"][0]["name"] == "Kettle \u202eelttek"


def test_an_error_line_shows_a_names_control_characters_as_codes(tmp_path: Path) -> None:
    """The one-line error printed a file name (saved under a page's title) with its U+202E and
    ESC raw: the terminal reordered or recoloured the line."""
    name = "Evil\u202eoC \x1b[31mred.html"
    run = subprocess.run(
        [sys.executable, "-m", "rivalscope", "extract", name],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == "error: Evil\\u202eoC \\x1b[31mred.html: no such file"

"""The availability ablation benchmark on two self-written pages of two sites."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import availability_evidence as bench

SIZES = {"product": {"skus": [{"id": "A-1", "available": False}, {"id": "A-2", "available": True}]}}
VARIANT_PAGE = (
    '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Boot",'
    ' "sku": "A", "offers": {"@type": "Offer", "price": "10.00", "priceCurrency": "EUR",'
    ' "availability": "https://schema.org/OutOfStock"}}</script>'
    f'<script type="application/json">{json.dumps(SIZES)}</script></head>'
    "<body><h1>Boot</h1></body></html>"
)
TEXT_PAGE = (
    '<html><body><h1>Kettle</h1><span class="price">12,00 €</span>'
    '<p class="stock">Sold out</p></body></html>'
)


def ablation_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], second_page: str, *flags: str
) -> dict[str, str]:
    """The benchmark's lines by name, on the variant page and ``second_page`` (two sites)."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html.gz").write_bytes(gzip.compress(VARIANT_PAGE.encode()))
    (pages / "b.html.gz").write_bytes(gzip.compress(second_page.encode()))
    truth = {
        "a": {"url": "https://boots.test/p/a", "availability": ["InStock"]},
        "b": {"url": "https://kettles.test/p/b", "availability": ["OutOfStock"]},
    }
    (tmp_path / "truth.json").write_text(json.dumps(truth))
    assert bench.main([str(pages), str(tmp_path / "truth.json"), "--folds", "2", *flags]) == 0
    return {
        line.split(" availability ")[0].strip(): line
        for line in capsys.readouterr().out.splitlines()
    }


def test_ablation_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ablation_lines(tmp_path, capsys, TEXT_PAGE)
    assert "whole=1.000" in lines["shipped"]
    assert "whole=0.500" in lines["without script_variants"]
    assert "whole=0.500" in lines["without any stock text"]
    assert "whole=0.000" in lines["markup only"]


def test_wrong_paths(tmp_path: Path) -> None:
    assert bench.main([str(tmp_path / "none"), str(tmp_path / "none.json")]) == 2


COLOUR_PAGE = (
    '<html><body><h1>Kettle</h1><span class="price">12,00 €</span>'
    '<p class="stock stock--error">Sold out</p></body></html>'
)


def test_ablation_in_unknown_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With made-up words the stock line reads only by its status colour: leaving that
    feature out loses the out-of-stock page."""
    lines = ablation_lines(tmp_path, capsys, COLOUR_PAGE, "--strip-markup", "--unknown-words")
    assert "whole=1.000" in lines["shipped"]
    assert "whole=0.500" in lines["without stock_line_status"]

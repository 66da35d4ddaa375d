"""benchmarks/offers_stages.py: CPU per extraction stage, the stages left as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.extract import auto, document, heuristic_reviews
from tests.benchmark_scripts import load_benchmark

stages = load_benchmark("offers_stages")

PAGE = """<html><head><title>Oak stool</title></head><body><h1>Oak stool</h1>
<p class="price">€ 49.00</p><div class="review"><span class="stars" title="4 of 5">★★★★☆</span>
<p>Sturdy and easy to assemble, would buy again.</p></div></body></html>"""


def _page_set(folder: Path, count: int) -> Path:
    truth = {}
    for n in range(count):
        (folder / f"p{n}.html").write_text(PAGE, encoding="utf-8")
        truth[f"p{n}"] = {"url": f"http://shop.test/p/{n}"}
    path = folder / "truth.json"
    path.write_text(json.dumps(truth), encoding="utf-8")
    return path


@pytest.mark.parametrize("middle", [False, True])
def test_stages_are_timed_and_put_back(
    tmp_path: Path, middle: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = (auto.parse_document, document.within_attribute_budget, heuristic_reviews._ratings)
    truth = _page_set(tmp_path, 4)
    argv = [str(tmp_path), str(truth), "--rounds", "1"] + (["--middle"] if middle else [])
    assert stages.main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"pages={2 if middle else 4} rounds=1 middle={middle}"
    labels = {line.split()[0] for line in out[1:]}
    assert {"TOTAL", "auto.parse_document", "document.within_attribute_budget"} <= labels
    assert "heuristic_reviews._ratings" in labels
    after = (auto.parse_document, document.within_attribute_budget, heuristic_reviews._ratings)
    assert all(a is b for a, b in zip(originals, after, strict=True))


@pytest.mark.parametrize(
    "argv",
    [
        ["{pages}", "{pages}/missing.json"],
        ["{pages}", "{pages}/truth.json", "--rounds", "0"],
        ["{pages}/empty", "{pages}/truth.json"],
    ],
)
def test_stages_refuse_careless_input_in_one_line(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _page_set(tmp_path, 1)
    (tmp_path / "empty").mkdir()
    assert stages.main([a.format(pages=tmp_path) for a in argv]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1

"""Which sources `rivalscope crawl NAMES...` crawls (``spiders.runner.select_sources``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings.targets import load_targets
from spiders.runner import select_sources

TARGETS = """
[[company]]
name = "Us"
own = true
[[company.source]]
name = "us-shop"
start_urls = ["http://127.0.0.1:9/us/"]

[[company]]
name = "Them"
[[company.source]]
name = "them-shop"
start_urls = ["http://127.0.0.1:9/them/"]
"""


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (None, ["us-shop", "them-shop"]),
        ([], ["us-shop", "them-shop"]),
        (["them-shop"], ["them-shop"]),
        (["them-shop", "us-shop"], ["them-shop", "us-shop"]),
        # a name given twice ran two crawls of one source at once, both recorded
        (["them-shop", "them-shop"], ["them-shop"]),
        (["them-shop", "us-shop", "them-shop"], ["them-shop", "us-shop"]),
    ],
)
def test_each_named_source_is_crawled_once(
    tmp_path: Path, names: list[str] | None, chosen: list[str]
) -> None:
    (tmp_path / "targets.toml").write_text(TARGETS, encoding="utf-8")
    pairs = select_sources(load_targets(tmp_path / "targets.toml"), names)
    assert [source.name for _, source in pairs] == chosen

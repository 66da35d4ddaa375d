"""The HTML report in real headless Chromium: renders, no console errors, charts visible."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine

from compare.report.build import build_report
from compare.report.section_registry import SECTIONS
from compare.report.synthetic import SyntheticPlan, add_review, populate

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("RIVALSCOPE_CI") == "1":
            pytest.fail("chromium is not installed; CI needs it (tests/install.sh)", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return path


def screenshot_report(html: Path, png: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    """Test helper: a 1280x2000 screenshot of the report, with Chromium's log on stderr."""
    return subprocess.run(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={png}",
            "--window-size=1280,2000",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _png_is_not_uniform(png: Path) -> bool:
    """Decode the PNG's first rows (8-bit RGB/RGBA) and look for more than one colour."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, _, depth, colour_type = struct.unpack(">IIBB", data[16:26])
    chunks, offset = [], 8
    while offset < len(data):
        length = struct.unpack(">I", data[offset : offset + 4])[0]
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    channels = 4 if colour_type == 6 else 3
    stride = 1 + width * channels * depth // 8
    colours: set[bytes] = set()
    for row in range(0, min(len(raw) // stride, 600)):
        line = raw[row * stride + 1 : (row + 1) * stride]
        colours.update(line[i : i + channels] for i in range(0, len(line), channels * 7))
        if len(colours) > 20:
            return True
    return len(colours) > 1


def test_report_renders_in_chromium(engine: Engine, tmp_path: Path) -> None:
    ids = populate(
        engine,
        SyntheticPlan(
            reviews=1500,
            positive_share={
                ("Rival A", "delivery"): 0.15,
                ("Own Coffee", "delivery"): 0.9,
                ("Rival B", "quality"): 0.97,
            },
            need_share={("Rival B", "app"): 0.3},
        ),
    )
    add_review(
        engine, ids["Rival A"], "<script>alert(1)</script> late", "delivery", "negative", 999_999
    )
    out = tmp_path / "out"
    build_report(engine, out)
    html = out / "report.html"
    # A probe that would record any script error into the DOM: the page must stay clean.
    probed = out / "probe.html"
    probed.write_text(
        html.read_text("utf-8").replace(
            "<head>",
            "<head><script>window.onerror=function(m){document.documentElement"
            ".setAttribute('data-error',String(m))};</script>",
            1,
        ),
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'p1'}",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "data-error=" not in dom.stdout.split("<head>", 1)[0]
    assert dom.stdout.count("<svg") >= 3 and "<circle" in dom.stdout
    assert "alert(1)" in dom.stdout and "<script>alert" not in dom.stdout
    # As a reader sees it: the sections' headings in order, a heading above every table,
    # opportunities and threats apart, quotes instead of review ids.
    page = BeautifulSoup(dom.stdout, "html.parser")
    assert [h.get_text() for h in page.find_all("h2")] == [s.title for s in SECTIONS]
    for table in page.find_all("table"):
        heading = table.parent.find_previous_sibling()  # the table sits in its scroll box
        assert heading is not None and heading.name == "h3"
    opportunities = page.find("section", id="opportunities")
    threats = page.find("section", id="threats")
    assert opportunities is not None and threats is not None
    assert (
        "Where their net sentiment is below ours, and ours is positive" in opportunities.get_text()
    )
    assert "Where their net sentiment is above ours, and theirs is positive" in threats.get_text()
    assert page.select("section#opportunities q a[href^='https://']")
    assert "review ids" not in page.get_text()
    png = tmp_path / "report.png"
    shot = screenshot_report(html, png, tmp_path / "p2")
    assert png.is_file(), shot.stderr[-2000:]
    assert "Uncaught" not in shot.stderr and ":CONSOLE(" not in shot.stderr
    assert _png_is_not_uniform(png)
    keep = os.environ.get("RIVALSCOPE_REPORT_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)

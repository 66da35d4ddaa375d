"""``targets check`` and ``targets detect`` refuse a redirect off the crawl's hosts, as the
crawl does (``offsite_redirect``): they read and showed the page it led to, where a crawl of
the same URL read nothing. Two servers on loopback addresses: the shop's, whose ``/moved``
redirects to the other's product page."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.loopback_site import answer, serving

PAGE = (
    b'<!DOCTYPE html><html><head><title>Kettle</title><script type="application/ld+json">'
    b'{"@context": "https://schema.org", "@type": "Product", "name": "Kettle", "sku": "K-1",'
    b' "offers": {"@type": "Offer", "price": "25", "priceCurrency": "EUR"}}</script></head>'
    b"<body><h1>Kettle</h1></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        other: str = self.server.other  # type: ignore[attr-defined]
        headers = {"Content-Type": "text/html; charset=utf-8"}
        status, body = 200, PAGE
        if self.path == "/robots.txt":
            headers["Content-Type"], body = "text/plain", b"User-agent: *\nAllow: /\n"
        elif self.path == "/moved":
            status, body, headers["Location"] = 301, b"", f"{other}/kettle"
        elif self.path != "/kettle":
            status, body = 404, b"not found"
        answer(self, status, headers, body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def shops() -> Iterator[tuple[str, str]]:
    """The shop (``127.0.0.1``) and the host it redirects to (``127.0.0.2``)."""
    with (
        serving(_Handler, "127.0.0.2", other="") as (_, other),
        serving(_Handler, "127.0.0.1", other=other) as (_, shop),
    ):
        yield shop, other


def _targets(tmp_path: Path, shop: str, more: str = "") -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        '[[company]]\nname = "Kettles"\n[[company.source]]\nname = "kettles"\n'
        f'start_urls = ["{shop}/moved"]\n{more}'
        "[company.source.politeness]\ndownload_delay = 0\n",
        encoding="utf-8",
    )
    return path


def test_check_and_detect_refuse_a_redirect_the_crawl_refuses(
    tmp_path: Path, shops: tuple[str, str]
) -> None:
    shop, other = shops
    targets = _targets(tmp_path, shop)
    crawled = run_cli("crawl", "--targets", str(targets), cwd=tmp_path, db_url="sqlite:///c.db")
    assert crawled.returncode == 1 and "offsite_redirect" in crawled.stderr, crawled.stderr
    for args in (
        ("targets", "check", "kettles", "--url", f"{shop}/moved"),
        ("targets", "detect", f"{shop}/moved", "--no-browser"),
    ):
        done = run_cli(*args, "--targets", str(targets), cwd=tmp_path)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"redirects to {other}/kettle, off the crawl's hosts" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_check_reads_a_redirect_to_a_host_the_source_allows(
    tmp_path: Path, shops: tuple[str, str]
) -> None:
    shop, _ = shops
    targets = _targets(tmp_path, shop, 'allowed_domains = ["127.0.0.1", "127.0.0.2"]\n')
    done = run_cli("targets", "check", "kettles", "--targets", str(targets), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Kettle" in done.stdout

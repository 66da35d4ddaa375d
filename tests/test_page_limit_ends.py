"""A crawl cut by its page limit ends as page-limited, whatever its fetches were.

Redirects and retried answers (429 with a short ``Retry-After``) spend the page budget but
reach no callback: such a crawl never received ``max_pages`` responses, ended ``finished``
with pages refused over the limit, and the next run, taking it for complete, crawled
incrementally (the pages it had not reached stayed out of reach).
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import CrawlRun
from tests.cli import run_cli
from tests.loopback_site import answer, product_page, serving, write_targets

PRODUCTS = 12


def _product(n: int) -> bytes:
    return product_page(n, "".join(f'<a href="/p/{k}">p{k}</a> ' for k in range(PRODUCTS)))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        kind: str = self.server.kind  # type: ignore[attr-defined]
        headers = {"Content-Type": "text/html; charset=utf-8"}
        status, body = 200, b""
        if self.path == "/robots.txt":
            headers["Content-Type"], body = "text/plain", b"User-agent: *\nAllow: /\n"
        elif self.path == "/":
            body = _product(0)
        elif self.path.startswith("/p/") and not self.path.endswith("/"):
            if kind == "redirect":  # as a shop adding its trailing slash
                status, headers["Location"] = 301, self.path + "/"
            else:  # asked to wait, at once, every time
                status, headers["Retry-After"] = 429, "0"
        elif self.path.startswith("/p/"):
            body = _product(int(self.path.split("/")[2]))
        else:
            status = 404
        answer(self, status, headers, body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=["redirect", "retry"])
def site(request: pytest.FixtureRequest) -> Iterator[str]:
    with serving(_Handler, kind=request.param) as (_, url):
        yield url


def test_a_crawl_cut_by_its_page_limit_is_recorded_so(tmp_path: Path, site: str) -> None:
    write_targets(
        tmp_path,
        [f"{site}/"],
        extra="[company.source.limits]\nmax_pages = 6\n",
        politeness="concurrency = 2\n",
    )
    url = f"sqlite:///{tmp_path / 'cut.db'}"
    done = run_cli("crawl", cwd=tmp_path, db_url=url)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = open_database(url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert (run.fetch_problems or {}).get("over_page_limit", 0) >= 1, run
    assert run.pages < 6  # redirects and retries are fetches, not pages
    assert run.finish_reason == "closespider_pagecount", run
    assert "stopped at its page limit" in done.stderr

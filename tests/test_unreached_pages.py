"""A run that could not read some pages for reasons of the moment (the site down, busy) is
not complete: the next run crawls in full instead of stopping at pages whose reviews it
knows, which would leave the pages this run never read out of reach."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import brotli
import pytest
from backports import zstd
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from sqlmodel import Session, select
from twisted.internet.error import ConnectionDone
from twisted.python.failure import Failure

from spiders.fetch_problems import REASONS, UNREACHED_REASONS, failure_reason
from storage.db import open_database
from storage.models import CrawlRun
from storage.writer import CollectWriter
from tests.cli import run_cli
from tests.loopback_site import answer, product_page, serving
from tests.ports import free_port


def _http_error(status: int) -> Exception:
    response = HtmlResponse("http://127.0.0.1/p", status=status, request=Request("http://x/"))
    return HttpError(response, "ignored")


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (_http_error(503), "unavailable"),
        (_http_error(429), "unavailable"),
        (_http_error(502), "unavailable"),
        (_http_error(500), None),  # the page's own fault: crawled again next time anyway
        (_http_error(404), None),
        (DownloadConnectionRefusedError("refused"), "no_answer"),
        (CannotResolveHostError("no such host"), "no_answer"),
        (ConnectionDone(), "no_answer"),
        (ValueError("ours"), None),
    ],
)
def test_failure_reasons(error: Exception, reason: str | None) -> None:
    assert failure_reason(Failure(error)) == reason


def _decoder_error(decode: Callable[[bytes], bytes]) -> Exception:
    try:
        decode(b"not compressed at all")
    except Exception as exc:
        return exc
    raise AssertionError("decoded")


@pytest.mark.parametrize(
    "decode",
    [gzip.decompress, zlib.decompress, brotli.decompress, zstd.decompress],
    ids=["gzip", "deflate", "br", "zstd"],
)
def test_a_body_its_content_encoding_does_not_decode_is_counted(
    decode: Callable[[bytes], bytes],
) -> None:
    """HttpCompressionMiddleware lets the decoder's error through: it was counted under no
    reason, and the run's summary showed "BadGzipFile" or "error" alone."""
    assert failure_reason(Failure(_decoder_error(decode))) == "undecodable_body"


def test_every_unreached_reason_is_a_reason() -> None:
    assert set(UNREACHED_REASONS) <= set(REASONS)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        broken: int = self.server.broken  # type: ignore[attr-defined]
        dead: str = self.server.dead  # type: ignore[attr-defined]
        if self.path == "/robots.txt":
            answer(self, 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
        elif self.path == "/":
            links = f'<a href="/ok">ok</a> <a href="/broken">b</a> <a href="{dead}/p">d</a>'
            answer(self, 200, {"Content-Type": "text/html"}, product_page(1, links))
        elif self.path == "/ok":
            answer(self, 200, {"Content-Type": "text/html"}, product_page(2))
        else:
            answer(self, broken, {"Content-Type": "text/html", "Retry-After": "0"}, b"no")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def dead_site() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens there


@pytest.mark.parametrize(
    ("broken", "dead_link", "complete"),
    [
        (404, False, True),  # a missing page: the run read all it could
        (500, False, True),
        (503, False, False),  # busy: the page was not served
        (404, True, False),  # a host of the source that did not answer
    ],
)
def test_the_next_run_is_full_after_pages_left_unread(
    tmp_path: Path, dead_site: str, broken: int, dead_link: bool, complete: bool
) -> None:
    with serving(_Handler, broken=broken, dead=dead_site if dead_link else "") as (_, url):
        (tmp_path / "targets.toml").write_text(
            '[[company]]\nname = "Kettles"\n[[company.source]]\nname = "kettles"\n'
            f'start_urls = ["{url}/"]\n'
            "[company.source.politeness]\ndownload_delay = 0\nconcurrency = 2\n",
            encoding="utf-8",
        )
        db = f"sqlite:///{tmp_path / 'unreached.db'}"
        done = run_cli("crawl", cwd=tmp_path, db_url=db)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    engine = open_database(db)
    try:
        with Session(engine) as session:
            run = session.exec(select(CrawlRun)).one()
        assert run.status == "finished" and run.finish_reason == "finished", run
        writer = CollectWriter(engine, company="Kettles", source="kettles")
        assert writer.last_run_complete(UNREACHED_REASONS) is complete, run.fetch_problems
        assert writer.last_run_complete()  # what the run was judged by before
    finally:
        engine.dispose()

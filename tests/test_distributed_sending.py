"""The shared per-host moment holds at the write of a request (issue #18), against the real
Redis at 127.0.0.1:6379 and a loopback HTTP server.

Between the shared limit letting a request go (a downloader middleware) and its write on
the connection lie Scrapy's slot queue, the connection pool and a connect: on a loaded
machine up to 140 ms. A request held up there was written next to the following one,
closer than the host's delay. Here a middleware placed after the limit holds up every other
request by more than the margin between two moments, and the workers' send log
(``RIVALSCOPE_SEND_LOG``) says when each request was written.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from spiders.distributed.sending import read_send_log
from tests.test_distributed import REDIS_URL, redis_prefix  # noqa: F401 (a fixture)

DELAY = 0.1
REQUESTS = 12

_CRAWL = """
import asyncio, sys
from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess

base, prefix, log, held_up, requests = sys.argv[1:6]


class HeldUp:
    '''Every other request held up after the shared limit let it go (as by a busy
    connection pool), by more than the margin between two moments of its host.'''

    def __init__(self):
        self.seen = 0

    async def process_request(self, request):
        self.seen += 1
        if self.seen % 2:
            await asyncio.sleep(float(held_up))


class Pages(Spider):
    name = "pages"

    async def start(self):
        for i in range(int(requests)):
            yield Request(f"{base}/{i}", dont_filter=True)

    answered = 0

    def parse(self, response):
        Pages.answered += 1

    def closed(self, reason):
        print("answered", Pages.answered, flush=True)


process = CrawlerProcess({
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "LOG_LEVEL": "WARNING",
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "REDIS_URL": sys.argv[6],
    "RIVALSCOPE_REDIS_PREFIX": prefix,
    "RIVALSCOPE_RUN_ID": 1,
    "RIVALSCOPE_WORKER": "sending-test",
    "RIVALSCOPE_HOST_DELAY": float(sys.argv[7]),
    "RIVALSCOPE_SEND_LOG": log,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "DOWNLOADER_MIDDLEWARES": {
        "spiders.distributed.politeness.SharedHostLimits": 960,
        "__main__.HeldUp": 970,
    },
    "DOWNLOAD_HANDLERS": {"http": "spiders.distributed.sending.SendingDownloadHandler"},
})
process.crawl(Pages)
process.start()
"""


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.redis
def test_a_request_held_up_after_the_limit_is_not_written_nearer_the_next_than_the_delay(
    redis_prefix: str,  # noqa: F811
    base_url: str,
    tmp_path: Path,
) -> None:
    root = Path(__file__).resolve().parent.parent
    log = tmp_path / "sent"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _CRAWL,
            base_url,
            redis_prefix,
            str(log),
            str(DELAY * 0.6),
            str(REQUESTS),
            REDIS_URL,
            str(DELAY),
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # Every request answered (a held request's response reaches Scrapy like any other).
    assert done.stdout.split() == ["answered", str(REQUESTS)], done.stderr[-3000:]
    records = read_send_log(log)
    assert len(records) == REQUESTS, done.stderr[-3000:]
    # The hold-ups happened: half the requests reached their write late for their moment.
    stretches = [
        r.written - r.admitted for r in records if r.written is not None and r.admitted is not None
    ]
    assert len(stretches) == REQUESTS
    assert sum(1 for stretch in stretches if stretch >= DELAY * 0.5) >= REQUESTS // 2 - 1
    written = sorted(r.written for r in records if r.written is not None)
    gaps = [round(b - a, 4) for a, b in itertools.pairwise(written)]
    assert min(gaps) >= DELAY, gaps

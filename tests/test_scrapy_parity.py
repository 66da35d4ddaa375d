"""``scrapy crawl target`` and ``rivalscope crawl`` behave the same: both apply the targets
file's [crawler] table (user agent with the contact URL, HTTP cache) through the one
settings path, log dropped items without their text, and start neither telnet nor Scrapy's
remote-control server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cli import run_cli

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
CONTACT = "https://example.org/our-crawler"
PAGE = (
    b'<html lang="en"><head><script type="application/ld+json">{"@type": "Product", '
    b'"name": "Kettle", "offers": {"price": "10.00", "priceCurrency": "EUR"}}</script>'
    b"</head><body><h1>Kettle</h1></body></html>"
)


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    agents: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            agents.append(self.headers.get("User-Agent", ""))
            body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else PAGE
            self.send_response(200)
            kind = "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", agents
    server.shutdown()
    server.server_close()


def _targets(tmp_path: Path, base_url: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        f'[crawler]\ncontact_url = "{CONTACT}"\nhttp_cache = true\n\n'
        '[[company]]\nname = "Own"\nown = true\n\n[[company.source]]\nname = "own-shop"\n'
        f'start_urls = ["{base_url}/p/kettle"]\nholds = "offers"\n'
        "[company.source.politeness]\ndownload_delay = 0\n",
        encoding="utf-8",
    )
    return path


def _check(output: str, agents: list[str], cache_dir: Path) -> None:
    assert agents and all(CONTACT in agent and "rivalscope/" in agent for agent in agents)
    assert cache_dir.is_dir()  # [crawler] http_cache = true reached Scrapy
    lowered = output.lower()
    assert "telnet console listening" not in lowered
    assert "remote control" not in lowered and "web service" not in lowered


def test_scrapy_crawl_applies_the_crawler_table(
    tmp_path: Path, site: tuple[str, list[str]]
) -> None:
    if shutil.which("scrapy") is None:
        pytest.skip("the scrapy command is not on PATH")
    base_url, agents = site
    targets = _targets(tmp_path, base_url)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "RIVALSCOPE_DATABASE_URL": f"sqlite:///{tmp_path / 'scrapy.db'}",
        "RIVALSCOPE_STORE_PROCESS": "0",
        "SCRAPY_SETTINGS_MODULE": "settings.scrapy_settings",
        "PYTHONWARNINGS": "ignore",
    }
    run = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "target", "-a", "source=own-shop",
         "-a", f"targets={targets}", "-s", f"HTTPCACHE_DIR={tmp_path / 'cache-scrapy'}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    _check(run.stderr, agents, tmp_path / "cache-scrapy")


def test_rivalscope_crawl_applies_it_the_same_way(
    tmp_path: Path, site: tuple[str, list[str]]
) -> None:
    base_url, agents = site
    targets = _targets(tmp_path, base_url)
    run = run_cli(
        "crawl", "--targets", str(targets), cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'r.db'}"
    )
    assert run.returncode == 0, run.stderr[-3000:]
    # HTTPCACHE_DIR is relative to the project data dir (.scrapy) of the working directory.
    _check(run.stdout + run.stderr, agents, tmp_path / ".scrapy" / "httpcache")

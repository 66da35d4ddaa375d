"""Small sites on loopback addresses for crawl tests: a handler's answer, and its server."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def answer(
    handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
) -> None:
    """Send ``status``, ``headers`` (and the body's length), then ``body``."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def serving(
    handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1", **attributes: object
) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    """``handler`` served on ``host`` (a free port) in a daemon thread, with ``attributes``
    set on the server (the handler reads them as ``self.server.NAME``); yields the server
    and its base URL."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    for name, value in attributes.items():
        setattr(server, name, value)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server, f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def product_page(n: int, links: str = "") -> bytes:
    """A product page (JSON-LD offer of kettle ``n``, price 10 + n EUR) with ``links``."""
    return (
        '<!DOCTYPE html><html><head><title>Kettle</title><script type="application/ld+json">'
        f'{{"@context": "https://schema.org", "@type": "Product", "name": "Kettle {n}", '
        f'"sku": "K-{n}", "offers": {{"@type": "Offer", "price": "{10 + n}", '
        '"priceCurrency": "EUR"}}</script></head>'
        f"<body><h1>Kettle {n}</h1>{links}</body></html>"
    ).encode()


def answered_robots(handler: BaseHTTPRequestHandler) -> bool:
    """Answer ``/robots.txt`` with "allow everything"; False for any other path."""
    if handler.path != "/robots.txt":
        return False
    answer(handler, 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
    return True


def write_targets(
    folder: Path,
    start_urls: Iterable[str],
    *,
    company: str = "Kettles",
    source: str = "kettles",
    politeness: str = "",
    extra: str = "",
) -> None:
    """``folder/targets.toml``: one company with one source crawling ``start_urls`` with no
    download delay (``politeness``: more keys of that table; ``extra``: more tables)."""
    starts = ", ".join(f'"{url}"' for url in start_urls)
    (folder / "targets.toml").write_text(
        f'[[company]]\nname = "{company}"\n[[company.source]]\nname = "{source}"\n'
        f"start_urls = [{starts}]\n{extra}"
        f"[company.source.politeness]\ndownload_delay = 0\n{politeness}",
        encoding="utf-8",
    )


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that logs nothing (pytest shows what a test asserts, not each request)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def crawled(folder: Path) -> str:
    """Run ``rivalscope crawl`` in ``folder`` (its ``targets.toml``) into a new SQLite file
    there; asserts it succeeded and returns the database's URL."""
    from tests.cli import run_cli

    db = f"sqlite:///{folder / 'crawled.db'}"
    done = run_cli("crawl", cwd=folder, db_url=db)
    assert done.returncode == 0, done.stderr[-2000:]
    return db

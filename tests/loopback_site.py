"""Small sites on loopback addresses for crawl tests: a handler's answer, and its server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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

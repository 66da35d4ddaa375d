"""A hostile web site on 127.0.0.1 for crawl tests: each path is one way a site can hurt a crawler.

Bounded itself: the gzip bomb is built once in memory (1.5 MB), large bodies are streamed in
chunks of zeros, slow answers sleep at most ``slow_seconds``, and every handler thread is a
daemon. Nothing here leaves the loopback interface: the off-host redirect points at another
loopback address the crawler must refuse to visit.

Paths (``CASES`` lists them with the reason the crawl should record):

- ``/`` an index page with one real offer (JSON-LD) and a link to every case;
- ``/bomb/N`` 1.5 MB of gzip that expands to 1.5 GiB;
- ``/big`` a 50 MB page with its Content-Length, ``/big-chunked`` the same without it;
- ``/loop/N`` redirects to ``/loop/N+1`` forever; ``/ping`` -> ``/pong`` -> ``/ping``;
- ``/away`` redirects off host (to 127.0.0.2); ``SCHEME_REDIRECTS`` to a ``data:``, ``file:``
  and ``javascript:`` URL;
- ``/limited`` 429 and ``/busy`` 503, both with ``Retry-After: 3600``;
- ``/brief`` 503 with ``Retry-After: 1`` on the first request, then a real page;
- ``/slow`` answers after ``slow_seconds`` (longer than the crawl's download timeout);
- ``/aaa…a!`` a link that makes ``/(a+)+$`` backtrack exponentially in a backtracking engine
  (it does not match: a crawl denying that pattern follows it), ``/aaa…a`` one that matches;
- ``KIN_CASES``, pages within the size limits that are costly to parse: ``/links`` (300,000
  links), ``/dense-links`` (1,000,000 ``<a href=x>``), ``/deep`` (200,000 nested elements),
  ``/deep-json`` (200,000 nested JSON-LD arrays), ``/attributes`` (one element of 9 MB of
  distinct attributes), ``/duplicate-attributes`` (one element of the same attribute 2.4
  million times), ``/attribute-elements`` (9 MB of elements of 100 attributes each),
  ``/dense-reviews`` (a product of 200,000 short JSON-LD reviews in 9 MB),
  ``/dense-state-reviews`` (a product of 80,000 short reviews in its script state).
"""

from __future__ import annotations

import contextlib
import functools
import json
import struct
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

BOMB_EXPANDED = 1536 * 1024 * 1024
"""Bytes the gzip bomb expands to (1.5 GiB)."""
BIG_BYTES = 50 * 1024 * 1024
"""Bytes of the large page."""
REGEX_TRAP = "/" + "a" * 40 + "!"
"""A path on which ``/(a+)+$`` takes 2**40 steps in Python's ``re``."""
CATASTROPHIC_PATTERN = r"/(a+)+$"
DENIED_LINK = "/" + "a" * 40
"""A link the catastrophic pattern matches (so a ``deny`` of it must keep the crawl off)."""

SCHEME_REDIRECTS = {
    "/to-data": "data:text/html,<h1>Not a page of the site</h1>",
    "/to-file": "file:///etc/passwd",
    "/to-script": "javascript:alert(1)",
}
"""Paths that redirect to a URL of another scheme than http(s), and that URL."""

CASES: dict[str, str] = {
    "/bomb/1": "decompressed_too_large",
    "/bomb/2": "decompressed_too_large",
    "/bomb/3": "decompressed_too_large",
    "/bomb/4": "decompressed_too_large",
    "/big": "response_too_large",
    "/big-chunked": "response_too_large",
    "/loop/0": "redirect_loop",
    "/ping": "redirect_loop",
    "/away": "offsite_redirect",
    **dict.fromkeys(SCHEME_REDIRECTS, "redirect_scheme_refused"),
    "/limited": "retry_after_over_cap",
    "/busy": "retry_after_over_cap",
    "/slow": "timeout",
    REGEX_TRAP: "",  # followed (or denied) in linear time: no problem to record
}
"""Path -> the reason ``crawl_run.fetch_problems`` should count for it."""

LINKS = 300_000
"""Links on ``/links`` (a 9 MB page: under the default 10 MB response limit)."""
DENSE_LINKS = 1_000_000
"""``<a href=x>`` on ``/dense-links``: the densest links (10 bytes each) in 10 MB."""
NESTING = 200_000
"""Elements nested in one another on ``/deep``, arrays in its JSON-LD on ``/deep-json``."""
ATTRIBUTE_BYTES = 9 * 1024 * 1024
"""Bytes of attributes on the attribute-bomb pages (under the default 10 MB limit)."""
DENSE_REVIEWS = 200_000
"""JSON-LD reviews on ``/dense-reviews`` (9 MB: four times the default ``max_reviews``)."""
DENSE_STATE_REVIEWS = 80_000
"""Reviews in the script state of ``/dense-state-reviews`` (2.7 MB, under the 3 MB a script
is read up to: 1.6 times the default ``max_reviews``)."""
KIN_CASES: dict[str, str] = {
    "/links": "elements_over_limit",
    "/dense-links": "elements_over_limit",
    "/deep": "elements_over_limit",
    "/deep-json": "json_too_deep",
    "/attributes": "tag_attributes_over_limit",
    "/duplicate-attributes": "tag_attributes_over_limit",
    "/attribute-elements": "page_attributes_over_limit",
    "/dense-reviews": "reviews_over_limit",
    "/dense-state-reviews": "reviews_over_limit",
}
"""Pages within every size limit that are costly to parse (benchmarks/hostile.py --kin; not
linked from the index page), with the reason the crawl records: bounded memory and time,
the crawl goes on."""

_bomb: bytes | None = None
_bomb_lock = threading.Lock()


def gzip_bomb() -> bytes:
    """1.5 GiB of zeros as gzip (about 1.5 MB), built once per process.

    Each MiB of zeros is deflated after a full flush, so every block but the first is the
    same bytes: one block is compressed and repeated instead of deflating 1.5 GiB.
    """
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            chunk = bytes(1024 * 1024)
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
            block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
            blocks = BOMB_EXPANDED // len(chunk)
            crc = 0
            for _ in range(blocks):
                crc = zlib.crc32(chunk, crc)
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
            trailer = struct.pack("<II", crc, BOMB_EXPANDED & 0xFFFFFFFF)
            _bomb = header + first + block * (blocks - 1) + packer.flush() + trailer
        return _bomb


def _page(title: str, body: str, *, price: str = "19.99", sku: str = "SKU-1") -> bytes:
    offer = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": title,
        "sku": sku,
        "offers": {
            "@type": "Offer",
            "price": price,
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
        },
    }
    return (
        "<!DOCTYPE html><html><head><title>"
        + title
        + '</title><script type="application/ld+json">'
        + json.dumps(offer)
        + "</script></head><body><h1>"
        + title
        + "</h1>"
        + body
        + "</body></html>"
    ).encode()


RATING_REVIEWS: dict[str, dict[str, object]] = {
    "Four of five, as stated": {"ratingValue": "4", "bestRating": "5"},
    "Minus four, a sign and not a rating": {"ratingValue": "-4", "bestRating": "5"},
    "Minus two with a minus sign": {"ratingValue": "\u22122"},
    "Four on a stated scale of zero": {"ratingValue": "4", "bestRating": "0"},
    "Three on a stated scale of minus five": {"ratingValue": 3, "bestRating": -5},
    "Seven on a stated scale of five": {"ratingValue": "7", "bestRating": "5"},
    "Eight on a stated scale of zero": {"ratingValue": "8", "bestRating": 0},
}
"""``/ratings``: a product page's JSON-LD reviews (text -> reviewRating)."""


def ratings_page() -> bytes:
    reviews = [
        {"@type": "Review", "reviewBody": text, "reviewRating": {"@type": "Rating", **rating}}
        for text, rating in RATING_REVIEWS.items()
    ]
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Rated product",
        "sku": "SKU-RATED",
        "review": reviews,
    }
    return (
        "<!DOCTYPE html><html><head><title>Rated product</title>"
        '<script type="application/ld+json">' + json.dumps(product) + "</script></head>"
        "<body><h1>Rated product</h1></body></html>"
    ).encode()


def dense_reviews_page(count: int) -> bytes:
    """A product page whose JSON-LD holds ``count`` short reviews (45 bytes each)."""
    reviews = [{"@type": "Review", "reviewBody": f"fine {i}"} for i in range(count)]
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Dense product"}
    product |= {"sku": "SKU-DENSE", "review": reviews}
    return (
        "<!DOCTYPE html><html><head><title>Dense product</title>"
        '<script type="application/ld+json">'
        + json.dumps(product, separators=(",", ":"))
        + "</script></head><body><h1>Dense product</h1></body></html>"
    ).encode()


def dense_state_reviews_page(count: int) -> bytes:
    """A product page whose script state holds ``count`` short reviews (34 bytes each)."""
    reviews = [{"text": f"fine {i}", "rating": 4} for i in range(count)]
    state = json.dumps({"props": {"reviews": reviews}}, separators=(",", ":"))
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Dense product"}
    return (
        "<!DOCTYPE html><html><head><title>Dense product</title>"
        '<script type="application/ld+json">'
        + json.dumps(product | {"sku": "SKU-STATE"})
        + '</script></head><body><h1>Dense product</h1><script type="application/json">'
        + state
        + "</script></body></html>"
    ).encode()


def index_page() -> bytes:
    links = "".join(f'<a href="{path}">{path[:20]}</a> ' for path in CASES)
    links += f'<a href="/brief">brief</a> <a href="/fine">fine</a> <a href="{DENIED_LINK}">a</a>'
    return _page("Hostile index", f"<p>{links}</p>", sku="SKU-INDEX")


@functools.cache
def kin_page(path: str) -> bytes:
    """The body of a ``KIN_CASES`` page, built once (a 2-second download time-out must not
    run out while a loaded machine builds 9 MB)."""
    if path == "/links":
        links = "".join(f'<a href="/fine?{i}">p{i}</a>' for i in range(LINKS))
        return f"<html><body>{links}</body></html>".encode()
    if path == "/dense-links":
        return b"<html><body>" + b"<a href=x>" * DENSE_LINKS + b"</body></html>"
    if path == "/deep":
        nested = "<div>" * NESTING + "x" + "</div>" * NESTING
        return _page("Deep product", nested, sku="SKU-DEEP")
    if path == "/attributes":
        names = " ".join(f"a{i}=x" for i in range(ATTRIBUTE_BYTES // 9))[:ATTRIBUTE_BYTES]
        return _page("Attribute bomb", f"<div {names}>x</div>", sku="SKU-ATTR")
    if path == "/duplicate-attributes":
        return _page("Duplicates", "<div " + "a=x " * (ATTRIBUTE_BYTES // 4) + ">x</div>")
    if path == "/attribute-elements":
        element = "<i " + " ".join(f"a{i}=1" for i in range(100)) + "></i>"
        return _page("Attribute elements", element * (ATTRIBUTE_BYTES // len(element)))
    if path == "/dense-reviews":
        return dense_reviews_page(DENSE_REVIEWS)
    if path == "/dense-state-reviews":
        return dense_state_reviews_page(DENSE_STATE_REVIEWS)
    script = '<script type="application/ld+json">' + "[" * NESTING + "]" * NESTING
    return _page("Deep JSON", script + "</script>", sku="SKU-DJ")


MAX_REDIRECTS = 5
"""Redirects the crawl of ``hostile_targets`` follows (``/loop/N`` stops after these)."""


def hostile_targets(base_url: str, start: str = "/", holds: str = "offers") -> str:
    """A targets file crawling the hostile site from ``start``: short time-out and
    Retry-After cap (so that the slow page and the long waits are refused quickly), the
    catastrophic pattern as a ``deny``; the source ``holds`` offers (or reviews, both)."""
    return f"""
[[company]]
name = "Hostile"

[[company.source]]
name = "hostile"
start_urls = ["{base_url}{start}"]
deny = ['{CATASTROPHIC_PATTERN}']
holds = "{holds}"

[company.source.politeness]
download_delay = 0
concurrency = 8

[company.source.limits]
timeout_s = 120
download_timeout_s = 2
max_redirects = {MAX_REDIRECTS}
max_retry_after_s = 5
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HostileHTTPServer

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner.record(path)
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path == "/":
            self._send(200, index_page())
        elif path == "/ratings":
            self._send(200, ratings_page())
        elif path in ("/fine", "/brief-ok"):
            self._send(200, _page("Fine product", "<p>ok</p>", sku="SKU-FINE"))
        elif path.startswith("/bomb/"):
            self._send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
        elif path == "/big":
            self._stream(BIG_BYTES, with_length=True)
        elif path == "/big-chunked":
            self._stream(BIG_BYTES, with_length=False)
        elif path.startswith("/loop/"):
            step = int(path.rsplit("/", 1)[1] or 0)
            self._redirect(f"/loop/{step + 1}")
        elif path == "/ping":
            self._redirect("/pong")
        elif path == "/pong":
            self._redirect("/ping")
        elif path in SCHEME_REDIRECTS:
            self._redirect(SCHEME_REDIRECTS[path])
        elif path == "/away":
            self._redirect(f"http://127.0.0.2:{owner.port}/")
        elif path == "/limited":
            self._send(429, b"slow down", "text/plain", headers={"Retry-After": "3600"})
        elif path == "/busy":
            self._send(503, b"busy", "text/plain", headers={"Retry-After": "3600"})
        elif path == "/brief":
            if owner.hits[path] == 1:
                self._send(503, b"busy", "text/plain", headers={"Retry-After": "1"})
            else:
                self._send(200, _page("Brief product", "<p>back</p>", sku="SKU-BRIEF"))
        elif path == "/slow":
            time.sleep(owner.slow_seconds)
            self._send(200, _page("Slow product", "<p>late</p>", sku="SKU-SLOW"))
        elif path in KIN_CASES:
            self._send(200, kin_page(path))
        elif path == REGEX_TRAP:
            self._send(200, _page("Trap product", "<p>a's</p>", sku="SKU-TRAP"))
        else:
            self._send(404, b"not found", "text/plain")

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(OSError):  # the crawler hung up (a refused body): fine
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream(self, size: int, *, with_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        try:
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except OSError:  # the crawler cancelled the download: what we want
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``hits`` instead."""


class _HostileHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: HostileServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a crawler hanging up on a refused body is the expected end."""


class HostileServer:
    """Serves the hostile site on ``http://127.0.0.1:<free port>`` in a background thread."""

    def __init__(self, slow_seconds: float = 6.0) -> None:
        self.slow_seconds = slow_seconds
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        gzip_bomb()  # built before serving: the first request must not wait for it
        self._server = _HostileHTTPServer(self)
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def record(self, path: str) -> None:
        with self._lock:
            self.hits[path] += 1

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


if __name__ == "__main__":  # serve by hand: python -m tests.hostile_server
    with HostileServer() as running:
        print(running.base_url, flush=True)
        threading.Event().wait()

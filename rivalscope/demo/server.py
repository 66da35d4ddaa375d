"""A threaded HTTP server for the demo shops, bound to the loopback interface only.

Usage::

    with DemoServer(generate_shops(), slow_seconds=0.1) as server:
        urllib.request.urlopen(server.base_url + "/nordlys/")
"""

from __future__ import annotations

import ipaddress
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from rivalscope.demo.records import DemoShop
from rivalscope.demo.site import DemoSite, Response
from settings.user_errors import UserError

BREAK_MARKUP_ENV = "RIVALSCOPE_DEMO_BREAK_MARKUP"
"""Comma-separated shop slugs whose review markup is broken when the constructor gets None."""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: crawlers reuse connections
    # Headers and body go out in two writes; with Nagle on, each response waits ~40 ms.
    disable_nagle_algorithm = True
    server: _DemoHTTPServer

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        owner = self.server.owner
        owner._record(self.path)
        response: Response = owner.site.respond(self.path)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and the demo command print their own summaries."""


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: DemoServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet when the crawler went away (a killed or stopped crawl): no traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class DemoServer:
    """Serves the shops on ``http://127.0.0.1:<port>``; ``port=0`` picks a free port.

    ``break_markup`` names shops whose review markup is renamed (for health checks); it can
    be changed while serving through ``set_break_markup``. ``slow_seconds`` is the delay of
    the slow page.
    """

    def __init__(
        self,
        shops: list[DemoShop],
        host: str = "127.0.0.1",
        port: int = 0,
        slow_seconds: float = 3.0,
        break_markup: set[str] | None = None,
    ) -> None:
        if not _loopback(host):
            raise UserError(f"the demo server only binds to the loopback interface, not {host!r}")
        if break_markup is None:
            break_markup = {s for s in os.environ.get(BREAK_MARKUP_ENV, "").split(",") if s}
        unknown = break_markup - {shop.slug for shop in shops}
        if unknown:
            known = ", ".join(shop.slug for shop in shops)
            raise UserError(
                f"cannot break markup of unknown shop(s) {', '.join(sorted(unknown))}; shops: {known}"
            )
        self.shops = shops
        self.host = host
        self.port = port
        self.slow_seconds = slow_seconds
        self._break_markup = set(break_markup)
        self.requested_paths: list[str] = []
        """Every request path (with query) in arrival order."""
        self._lock = threading.Lock()
        self._httpd: _DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._site: DemoSite | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (no trailing slash); available after start()."""
        if self._httpd is None:
            raise RuntimeError("DemoServer.base_url is known only after start()")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def site(self) -> DemoSite:
        if self._site is None:
            raise RuntimeError("DemoServer is not started")
        return self._site

    @property
    def break_markup(self) -> set[str]:
        """Shops whose review markup is currently broken (a copy)."""
        return set(self._break_markup)

    def set_break_markup(self, slugs: set[str]) -> None:
        """Break (or, with an empty set, restore) review markup while serving."""
        self._break_markup = set(slugs)
        if self._site is not None:
            self._site.break_markup = set(slugs)

    def start(self) -> DemoServer:
        if self._httpd is not None:
            return self
        try:
            self._httpd = _DemoHTTPServer((self.host, self.port), self)
        except OSError as exc:
            raise UserError(
                f"cannot serve the demo on {self.host}:{self.port}: {exc.strerror}"
            ) from None
        self._site = DemoSite(self.shops, self.base_url, self.slow_seconds, self._break_markup)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name="demo-server",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def _record(self, path: str) -> None:
        with self._lock:
            self.requested_paths.append(path)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

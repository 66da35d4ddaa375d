"""A page on 127.0.0.1 whose robots.txt answers as a test says (``RobotsSite``)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Kettle</title></head>'
    b"<body><h1>Kettle</h1><p>A kettle.</p></body></html>"
)
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
DISALLOW_PRIVATE = b"User-agent: *\nDisallow: /private/\n"
# What a robots.txt answer is: status, headers, body, seconds before answering.
Answer = tuple[int, dict[str, str], bytes, float]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        site: RobotsSite = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        with site.lock:
            site.hits[path] += 1
            asked = site.hits[path]
        if path == "/robots.txt":
            status, headers, body, wait = site.robots(asked, self.path)
            time.sleep(wait)
        elif path == "/shop/":
            site.page_asked.set()
            site.release.wait(60)  # a slow page, while a test holds it
            status, headers, body = 200, {"Content-Type": "text/html; charset=utf-8"}, PAGE
        else:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "text/plain", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the crawler gave up waiting (a time-out case)
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


class RobotsSite:
    """A page (``/shop/``) on 127.0.0.1 whose robots.txt answers as ``robots`` says (given
    how many times robots.txt was asked, and the path asked). The page sets ``page_asked``
    when asked, and answers once ``release`` is set (it is, unless a test clears it)."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.page_asked, self.release = threading.Event(), threading.Event()
        self.release.set()
        self.robots: Callable[[int, str], Answer] = lambda n, p: (200, {}, b"", 0.0)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]

    def __enter__(self) -> RobotsSite:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

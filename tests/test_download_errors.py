"""A failed download is said in words (``spiders.download_errors``), not as the repr of the
Twisted failures Scrapy wraps: a site that closed the connection was reported as
``DownloadFailedError: [<twisted.python.failure.Failure twisted.internet.error.ConnectionDone:
...>]`` in the crawl's output, ``runs``, ``targets status`` and the health notices."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

from scrapy.exceptions import DownloadFailedError
from twisted.internet.error import ConnectionDone
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from spiders.download_errors import error_message
from tests.cli import run_cli
from tests.loopback_site import answer, serving


class _Hangup(BaseHTTPRequestHandler):
    """robots.txt answers; every page closes the connection unanswered (a site going down)."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            answer(self, 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
        else:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_wrapped_failures_are_named() -> None:
    failed = ResponseFailed([Failure(ConnectionDone())])
    try:
        raise DownloadFailedError(str(failed)) from failed
    except DownloadFailedError as error:
        assert error_message(error) == "ConnectionDone: Connection was closed cleanly."
    assert error_message(ValueError("plain")) == "plain"


def test_a_site_that_hangs_up_is_reported_in_words(tmp_path: Path) -> None:
    with serving(_Hangup) as (_, url):
        (tmp_path / "targets.toml").write_text(
            '[[company]]\nname = "Gone"\n[[company.source]]\nname = "gone"\n'
            f'start_urls = ["{url}/"]\n[company.source.politeness]\ndownload_delay = 0\n',
            encoding="utf-8",
        )
        done = run_cli("crawl", cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'gone.db'}")
    assert done.returncode == 1, done.stderr[-2000:]
    said = [line for line in done.stderr.splitlines() if line.startswith("unhealthy: gone")]
    assert said and "ConnectionDone: Connection was closed cleanly." in said[0], done.stderr
    assert "twisted.python.failure" not in said[0], said  # Scrapy's own log line aside
    # said once: the health notice's log line repeated it ("gone is unhealthy: gone: ...")
    assert len(said) == 1 and "gone is unhealthy" not in done.stderr, done.stderr

"""The crawl in which ``targets check``, ``suggest`` and ``detect`` read a page
(``spiders.crawl_probe``): the crawl's own downloader middlewares (its robots.txt reader
among them), nothing it does not need, and a clean end on Ctrl-C or a dead site.

The command runs that crawl in its own process (``python -m rivalscope``: one reading, then
it ends); a command called in this test process (CliRunner) or a library call runs it in a
child process, which leaves this process without Scrapy's reactor.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from settings.targets import Crawler as CrawlerTable
from settings.targets import Limits
from spiders.crawl_probe import fetch, probe_settings, run_in_crawl, time_limit
from tests.loopback_site import QuietHandler, answer, answered_robots, serving, write_targets
from tests.ports import free_port
from tests.robots_site import DISALLOW_PRIVATE, RobotsSite


@pytest.fixture(scope="module")
def site() -> Iterator[RobotsSite]:
    with RobotsSite() as running:
        running.robots = lambda n, path: (200, {}, DISALLOW_PRIVATE, 0.0)
        yield running


def _names(components: list[Any]) -> list[str]:
    return [f"{type(c).__module__}.{type(c).__name__}" for c in components]


async def _components(values: dict[str, object], url: str, crawler: Any) -> dict[str, Any]:
    """After reading ``url``: the downloader middlewares the probe's crawl loaded and those
    a crawl with the project's settings and ``values`` (nothing left out) loads, its
    extensions, and the delays its download slots keep between requests."""
    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.utils.test import get_crawler

    await fetch(crawler, url)
    settings = Settings()
    settings.setmodule("settings.scrapy_settings", priority="project")
    settings.update(values, priority="cmdline")
    full = get_crawler(settings_dict=settings.copy_to_dict())
    downloader = crawler.engine.downloader
    return {
        "loaded": _names(downloader.middleware.middlewares),
        "a crawl's": _names(DownloaderMiddlewareManager.from_crawler(full).middlewares),
        "extensions": _names(crawler.extensions.middlewares),
        "delays": {slot.delay for slot in downloader.slots.values()},
    }


@pytest.mark.slow
@pytest.mark.parametrize("obey_robots", [True, False])
def test_the_probe_loads_the_crawls_downloader_and_nothing_more(
    site: RobotsSite, obey_robots: bool
) -> None:
    values = probe_settings(CrawlerTable(), Limits(), obey_robots=obey_robots)
    job = partial(_components, values, f"{site.base_url}/shop/")
    found = run_in_crawl(values, job, time_limit(values, 1))
    # The same reader of robots.txt, retries, redirects, decompression... in the same order.
    assert found["loaded"] == found["a crawl's"]
    robots = "spiders.robots_rules.FailClosedRobotsTxtMiddleware"
    assert (robots in found["loaded"]) is obey_robots
    # No telnet, remote control, statistics or AutoThrottle: none reads a page.
    assert found["extensions"] == []
    # One page after robots.txt: no politeness delay between them.
    assert found["delays"] == {0}


def _targets(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        '[[company]]\nname = "Own"\nown = true\n\n[[company]]\nname = "Shop"\n'
        f'[[company.source]]\nname = "shop"\nstart_urls = ["{url}"]\n',
        encoding="utf-8",
    )
    return path


def _command(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    """``python -m rivalscope ARGS`` as a terminal starts it: its own process group, SIGINT
    at its default (a shell's background job would have it ignored)."""
    return subprocess.Popen(
        [sys.executable, "-m", "rivalscope", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


COMMANDS = {
    "check": ("targets", "check", "shop", "--url", "{url}", "--targets", "{targets}"),
    "suggest": ("targets", "suggest", "--url", "{url}"),
    "detect": ("targets", "detect", "{url}", "--no-browser"),
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "signum"),
    [*((c, signal.SIGINT) for c in COMMANDS), ("check", signal.SIGTERM)],
)
def test_ctrl_c_while_the_page_is_read_ends_the_command_cleanly(
    tmp_path: Path, site: RobotsSite, command: str, signum: int
) -> None:
    """SIGTERM stops the command as Ctrl-C does, exit 143 (it ended it without a word)."""
    url = f"{site.base_url}/shop/"
    targets = _targets(tmp_path, url)
    site.page_asked.clear()
    site.release.clear()
    try:
        args = [a.format(url=url, targets=targets) for a in COMMANDS[command]]
        running = _command(tmp_path, *args)
        assert site.page_asked.wait(120), "the command never asked for the page"
        os.killpg(running.pid, signum)  # Ctrl-C: the terminal's whole process group
        out, err = running.communicate(timeout=60)
    finally:
        site.release.set()
    assert "Traceback" not in err, err
    assert running.returncode == 128 + signum, out + err
    assert "interrupted" in err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "flags", "says"),
    [
        (
            "check",
            (),
            "the site does not answer: robots.txt of 127.0.0.1:{port} could not be read "
            "(DownloadConnectionRefusedError",
        ),
        ("check", ("--ignore-robots",), "cannot fetch {url}: DownloadConnectionRefusedError"),
        ("suggest", ("--ignore-robots",), "cannot fetch {url}: DownloadConnectionRefusedError"),
        (
            "detect",
            (),
            "the site does not answer: robots.txt of 127.0.0.1:{port} could not be read "
            "(DownloadConnectionRefusedError",
        ),
    ],
)
def test_a_dead_site_is_one_clear_line(
    tmp_path: Path, command: str, flags: tuple[str, ...], says: str
) -> None:
    port = free_port()  # nothing listens there
    url = f"http://127.0.0.1:{port}/shop/"
    targets = _targets(tmp_path, url)
    args = [a.format(url=url, targets=targets) for a in COMMANDS[command]]
    running = _command(tmp_path, *args, *flags)
    out, err = running.communicate(timeout=240)
    assert "Traceback" not in err, err
    assert running.returncode == 2, out + err
    assert says.format(port=port, url=url) in err, err


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/to-data", "/to-script"])
def test_a_redirect_to_another_scheme_is_said_not_followed(tmp_path: Path, path: str) -> None:
    """A page redirecting to a data: URL was read as its empty 302 ("no repeated blocks")."""
    from tests.hostile_server import SCHEME_REDIRECTS, HostileServer

    scheme = SCHEME_REDIRECTS[path].split(":", 1)[0]
    with HostileServer() as hostile:
        url = hostile.base_url + path
        running = _command(tmp_path, "targets", "suggest", "--url", url)
        out, err = running.communicate(timeout=240)
    assert "Traceback" not in err, err
    assert running.returncode == 2, out + err
    assert f"cannot fetch {url}: redirects to a {scheme}: URL, not followed" in err, err


class _EscapeRedirects(QuietHandler):
    """Redirects to URLs holding ESC c (a terminal's reset): in the port, in the host."""

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        to = {"/port": "http://127.0.0.1:8\x1bc/", "/host": "http://a\x1bc.example/"}
        answer(self, 302, {"Location": to[self.path]}, b"")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/port", ("ValueError: Port could not be cast to integer value as 8c",)),
        # w3lib before 2.6 dropped the control character from the host (robots.txt of
        # "ac.example" then fails); w3lib 2.6 refuses the host as a forbidden code point
        (
            "/host",
            (
                "robots.txt of ac.example (the host it redirects to) could not be read",
                "contains a forbidden domain code point",
            ),
        ),
    ],
)
def test_a_redirect_url_quoted_in_an_error_line_sends_no_control_characters(
    tmp_path: Path, path: str, says: tuple[str, ...]
) -> None:
    """The error's words quote the server's Location: its escape sequences reached the
    terminal."""
    with serving(_EscapeRedirects) as (_, base):
        running = _command(tmp_path, "targets", "suggest", "--url", base + path)
        out, err = running.communicate(timeout=240)
    assert running.returncode == 2, out + err
    assert any(words in err for words in says), err
    assert "\x1b" not in err, err


@pytest.mark.slow
def test_a_crawl_says_that_redirect_without_control_characters(tmp_path: Path) -> None:
    """The crawl's error samples (its summary, the health notice) quoted the error's words
    with the server's escape sequences."""
    from tests.cli import run_cli

    with serving(_EscapeRedirects) as (_, base):
        write_targets(tmp_path, [base + "/port"])
        done = run_cli("crawl", cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'crawl.db'}")
    output = done.stdout + done.stderr
    assert "Port could not be cast to integer value as 8c" in output, output
    assert "\x1b" not in output, output

"""``targets detect`` and ``targets suggest`` fetch as the crawl would: with the user agent
./targets.toml sets (the crawler the user configured), and ``detect`` says on stderr what it
is fetching while a slow page keeps it waiting."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.loopback_site import QuietHandler, answer, answered_robots, serving

PAGE = Path(__file__).parent / "fixtures" / "demo-plain" / "product-page" / "page.html"
AGENT = "AcmeWatch/2.1 (+https://acme.test/crawler)"


class _Shop(QuietHandler):
    def do_GET(self) -> None:
        agents: dict[str, str] = self.server.agents  # type: ignore[attr-defined]
        agents[self.path] = self.headers.get("User-Agent", "")
        if answered_robots(self):
            return
        if self.path == "/slow":
            self.server.asked.set()  # type: ignore[attr-defined]
            self.server.release.wait(120)  # type: ignore[attr-defined]
        answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.read_bytes())


@pytest.fixture
def shop() -> Iterator[tuple[str, dict[str, str], threading.Event, threading.Event]]:
    agents: dict[str, str] = {}
    asked, release = threading.Event(), threading.Event()
    with serving(_Shop, agents=agents, asked=asked, release=release) as (_, url):
        try:
            yield url, agents, asked, release
        finally:
            release.set()


def _targets_with_agent(folder: Path, url: str) -> None:
    (folder / "targets.toml").write_text(
        f'[crawler]\nuser_agent = "{AGENT}"\n\n[[company]]\nname = "Acme"\n'
        f'[[company.source]]\nname = "acme"\nstart_urls = ["{url}/p/kettle"]\n',
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "command",
    [
        ("targets", "detect", "{url}/p/kettle", "--no-browser"),
        ("targets", "suggest", "--url", "{url}/p/kettle"),
    ],
    ids=["detect", "suggest"],
)
def test_a_page_is_fetched_with_the_targets_files_user_agent(
    tmp_path: Path, shop: tuple[str, dict[str, str], threading.Event, threading.Event],
    command: tuple[str, ...],
) -> None:  # fmt: skip
    url, agents, _, _ = shop
    _targets_with_agent(tmp_path, url)
    done = run_cli(*(part.format(url=url) for part in command), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert agents == {"/robots.txt": AGENT, "/p/kettle": AGENT}


def test_detect_says_what_it_fetches_while_a_page_is_slow(
    tmp_path: Path, shop: tuple[str, dict[str, str], threading.Event, threading.Event]
) -> None:
    url, agents, asked, release = shop
    _targets_with_agent(tmp_path, url)
    running = subprocess.Popen(
        [sys.executable, "-m", "rivalscope", "targets", "detect", f"{url}/slow", "--no-browser"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert asked.wait(120), "the command never asked for the page"
        assert running.stderr is not None
        # The page is held until the command says what it waits on (else the command's own
        # download time-out ends it, and the line never came).
        line = running.stderr.readline()
        assert line == f"fetching {url}/slow as {AGENT} ...\n"
        release.set()
        out, err = running.communicate(timeout=240)
    finally:
        release.set()
        if running.poll() is None:
            running.kill()
            running.communicate()
    assert running.returncode == 0, err
    assert err == ""  # one line, said once
    assert out.startswith(f"# {url}/slow\n# reviews carried by: ")
    assert agents["/slow"] == AGENT

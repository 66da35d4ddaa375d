"""``targets check`` and ``targets detect`` read robots.txt as the crawl does: the crawl's
parser, user agent, downloader and fail-closed rules (``spiders.crawl_probe``).

A loopback server answers robots.txt in ways on which the commands' own urllib reader and
the crawl disagreed; for each, a real crawl of the source and ``targets check`` of its start
page (and ``targets detect``, where the source's limits play no part) must give the same
answer: the page fetched, or refused with the reason.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.robots_site import DISALLOW_ALL, DISALLOW_PRIVATE, Answer, RobotsSite

AGENT = "acmebot/2.0"


@pytest.fixture(scope="module")
def site() -> Iterator[RobotsSite]:
    with RobotsSite() as running:
        yield running


def _gzipped(n: int, path: str) -> Answer:
    # Compressed whatever the request accepts: a crawler that does not decompress reads
    # bytes that hold no rule.
    return 200, {"Content-Encoding": "gzip"}, gzip.compress(DISALLOW_ALL), 0.0


def _redirect_loop(n: int, path: str) -> Answer:
    return 302, {"Location": f"/robots.txt?n={n}"}, b"", 0.0


def _oversized(n: int, path: str) -> Answer:
    # 200 KiB: over the source's 0.1 MiB response limit, within RFC 9309's 500 KiB.
    return 200, {}, DISALLOW_PRIVATE + b"# padding\n" * 20_000, 0.0


def _slow(n: int, path: str) -> Answer:
    # Later than the source's 1-second download time-out, at every try.
    return 200, {}, DISALLOW_PRIVATE, 1.5


def _brief_outage(n: int, path: str) -> Answer:
    # 503 at the first request only: the crawl's retry reads the rules.
    return (503, {}, b"busy", 0.0) if n == 1 else (200, {}, DISALLOW_PRIVATE, 0.0)


def _utf16(n: int, path: str) -> Answer:
    # Saved as Windows' "Unicode": Scrapy's parser read UTF-8, found no rule, allowed all.
    return 200, {}, DISALLOW_ALL.decode().encode("utf-16"), 0.0


def _other_agents_allowed(n: int, path: str) -> Answer:
    # The crawl's user agent (the targets file's) is refused; every other agent allowed.
    return 200, {}, b"User-agent: acmebot\nDisallow: /\n\nUser-agent: *\nAllow: /\n", 0.0


@dataclass(frozen=True)
class Case:
    robots: Callable[[int, str], Answer]
    fetched: bool
    """Whether the page is fetched (by the crawl and by ``targets check``)."""
    says: str
    """What ``targets check`` says when it refuses the page."""
    table: str = ""
    """More of the source's table (its limits)."""
    detect: bool = True
    """Whether ``targets detect`` (default limits) answers as the source's crawl."""


CASES = {
    # The targets file's user agent is the one matched to robots.txt's groups: the old
    # reader matched the default agent, which these rules allow.
    "agent group": Case(_other_agents_allowed, False, f"robots.txt forbids {{url}} for {AGENT}"),
    # The crawl decompresses robots.txt; the old reader parsed the gzip bytes (no rules).
    "gzip": Case(_gzipped, False, f"robots.txt forbids {{url}} for {AGENT}"),
    # The rules in UTF-16 (with its byte order mark) are rules all the same.
    "utf-16": Case(_utf16, False, f"robots.txt forbids {{url}} for {AGENT}"),
    # Too many redirects: unreadable (RFC 9309), the host not crawled; the old reader took
    # the last redirect's empty body for the rules (everything allowed).
    "redirect loop": Case(_redirect_loop, False, "could not be read (IgnoreRequest: max redir"),
    # Over the source's response limit: unreadable; the old reader read it whole.
    "oversized": Case(
        _oversized,
        False,
        "could not be read (",
        "[company.source.limits]\nmax_response_mb = 0.1\nwarn_response_mb = 0.1",
        detect=False,
    ),
    # No answer within the source's time-out (retries included): unreadable; the old
    # reader waited 30 s a read.
    "time-out": Case(
        _slow,
        False,
        "could not be read (",
        "[company.source.limits]\ndownload_timeout_s = 1",
        detect=False,
    ),
    # A 503 the crawl's retry gets past: the rules allow the page; the old reader asked
    # once and refused it.
    "brief 503": Case(_brief_outage, True, ""),
}


def _targets(tmp_path: Path, site: RobotsSite, table: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        f'[crawler]\nuser_agent = "{AGENT}"\n\n'
        '[[company]]\nname = "Own"\nown = true\n\n[[company]]\nname = "Shop"\n'
        f'[[company.source]]\nname = "shop"\nstart_urls = ["{site.base_url}/shop/"]\n'
        "[company.source.politeness]\ndownload_delay = 0\n"
        f"{table}\n",
        encoding="utf-8",
    )
    return path


def _page_fetched(site: RobotsSite, run: Callable[[], object]) -> tuple[bool, int]:
    """Whether ``run`` fetched the page, and how often it asked for robots.txt."""
    with site.lock:
        site.hits.clear()
    run()
    return site.hits["/shop/"] > 0, site.hits["/robots.txt"]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_check_and_detect_answer_as_the_crawl_for_the_same_robots_txt(
    tmp_path: Path, site: RobotsSite, name: str
) -> None:
    case = CASES[name]
    site.robots = case.robots
    targets = _targets(tmp_path, site, case.table)
    url = f"{site.base_url}/shop/"
    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    crawled = {}

    def crawl() -> None:
        crawled["result"] = run_cli("crawl", "--targets", str(targets), cwd=tmp_path, db_url=db)

    crawl_fetched, _ = _page_fetched(site, crawl)
    assert "Traceback" not in crawled["result"].stderr, crawled["result"].stderr[-3000:]
    assert crawl_fetched is case.fetched, crawled["result"].stderr[-3000:]

    checked = {}

    def check() -> None:
        checked["result"] = run_cli(
            "targets", "check", "shop", "--url", url, "--targets", str(targets), cwd=tmp_path
        )

    check_fetched, _ = _page_fetched(site, check)
    result = checked["result"]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert check_fetched is case.fetched, result.stdout + result.stderr
    if case.fetched:
        assert result.returncode == 0, result.stderr[-3000:]
    else:
        assert result.returncode == 2, result.stdout + result.stderr
        assert case.says.format(url=url) in result.stderr, result.stderr
    if not case.detect:
        return
    detected = {}

    def detect() -> None:
        detected["result"] = run_cli(
            "targets", "detect", url, "--no-browser", "--targets", str(targets), cwd=tmp_path
        )

    detect_fetched, _ = _page_fetched(site, detect)
    assert detect_fetched is case.fetched, detected["result"].stderr[-3000:]
    assert detected["result"].returncode == (0 if case.fetched else 2)


@pytest.mark.parametrize(
    ("reason", "dead"),
    [
        ("DownloadConnectionRefusedError: Connection was refused by other side", True),
        ("DNSLookupError: no such host", True),
        ("gave up after 3 tries: TCPTimedOutError: TCP connection timed out", True),
        ("ResponseNeverReceived: connection lost", True),
        ("HTTP 503", False),
        ("IgnoreRequest: max redirections", False),
    ],
)
def test_a_site_that_does_not_answer_is_told_from_a_bad_robots_txt(reason: str, dead: bool) -> None:
    """A dead site fails at its robots.txt first: its runs said only that robots.txt could
    not be read (found by qa-walk5)."""
    from spiders.robots_rules import site_unreachable

    assert site_unreachable(reason) is dead

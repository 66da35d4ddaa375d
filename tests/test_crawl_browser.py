"""``render = "browser"``: the real crawl in Debian's chromium against a widget-style page on
127.0.0.1 whose reviews arrive by JavaScript from another loopback host."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from sqlmodel import Session, select

from settings.targets import parse_targets
from spiders.browser import PLAYWRIGHT_HANDLER, HostFilter
from spiders.render_budget import RENDER_PAGES_SETTING
from spiders.target_spider import TargetSpider
from storage.db import open_database
from storage.models import CrawlRun, Product, Review
from tests.cli import run_cli
from tests.test_crawl_kill import process_stats, start_crawl
from tests.widget_site import REVIEWS, WidgetSite


def _targets(site_url: str, render: str, extra: str = "", page: str = "kettle-one") -> str:
    return f"""
[[company]]
name = "Own"
own = true

[[company]]
name = "Widgets"
[[company.source]]
name = "widgets"
start_urls = ["{site_url}/p/{page}"]
holds = "both"
render = "{render}"
language = "en"
[company.source.politeness]
download_delay = 0
{extra}
"""


def _chromium_or_skip() -> None:
    if shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"):
        if os.environ.get("RIVALSCOPE_CI") == "1":
            pytest.fail("chromium is not installed; CI needs it (tests/install.sh)", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site() -> Iterator[WidgetSite]:
    with WidgetSite() as running:
        yield running


def _crawl(tmp_path: Path, targets: str) -> tuple[int, list[str], str]:
    path = tmp_path / "targets.toml"
    path.write_text(targets, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    result = run_cli("crawl", "--targets", str(path), cwd=tmp_path, db_url=db)
    engine = open_database(db)
    with Session(engine) as session:
        ids = sorted(r.external_id or "" for r in session.exec(select(Review)).all())
    engine.dispose()
    return result.returncode, ids, result.stdout + result.stderr


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("browser_table", "expected"),
    [
        # Clicks "load more" until the button is gone: every page of the widget's API.
        ('allow_hosts = ["127.0.0.2"]\nclick = "#more"\nwait_for = "[itemprop=review]"', 7),
        # XPath written as [selectors] write it ("xpath:..."). Before, Playwright read it as
        # CSS and failed: never clicked, the first three only.
        ('allow_hosts = ["127.0.0.2"]\nclick = "xpath://button[@id=\'more\']"', 7),
        # max_clicks bounds the clicks: the first page and one more.
        ('allow_hosts = ["127.0.0.2"]\nclick = "#more"\nmax_clicks = 1', 6),
        # The widget's host is not allowed: its API is blocked, nothing loads.
        ('click = "#more"\nwait_timeout_s = 2', 0),
    ],
)
def test_browser_source_collects_javascript_reviews_from_allowed_hosts_only(
    tmp_path: Path, site: WidgetSite, browser_table: str, expected: int
) -> None:
    _chromium_or_skip()
    tracker_before = site.hits_on("127.0.0.3")
    table = f"[company.source.browser]\n{browser_table}"
    code, ids, output = _crawl(tmp_path, _targets(site.shop_url, "browser", table))
    assert code == 0, output
    assert ids == sorted(r["id"] for r in REVIEWS[:expected])
    assert site.hits_on("127.0.0.3") == tracker_before  # tracker and pixel never reached
    assert f"collected {expected} of {len(REVIEWS)} declared reviews" in output


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("limit_mb", "problems", "reviews"),
    [
        # The rendered page (HTML plus the reviews its script loads) is a few KiB.
        (0.002, {"rendered_too_large": 1}, 0),
        (1.0, {}, 7),
    ],
)
def test_a_rendered_page_is_bounded_like_a_plain_response(
    tmp_path: Path, site: WidgetSite, limit_mb: float, problems: dict[str, int], reviews: int
) -> None:
    _chromium_or_skip()
    table = (
        '[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"\n'
        f"[company.source.limits]\nmax_response_mb = {limit_mb}\nwarn_response_mb = {limit_mb}"
    )
    _, ids, output = _crawl(tmp_path, _targets(site.shop_url, "browser", table))
    assert len(ids) == reviews, output
    engine = open_database(f"sqlite:///{tmp_path / 'crawl.db'}")
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert run.fetch_problems == problems
    assert "Traceback" not in output


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("limit_mb", "problems"),
    [
        # Its socket's messages (64 x 16 KiB) pass 0.25 MiB: closed, the page read as it is.
        # Before, every message was handed to the crawl's process and back, none counted.
        (0.25, {"web_socket_over_limit": 1}),
        (2.0, {}),
    ],
)
def test_a_rendered_pages_web_socket_messages_are_bounded_by_the_response_limit(
    tmp_path: Path, site: WidgetSite, limit_mb: float, problems: dict[str, int]
) -> None:
    _chromium_or_skip()
    table = (
        '[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"\n'
        f"[company.source.limits]\nmax_response_mb = {limit_mb}\nwarn_response_mb = {limit_mb}"
    )
    _, ids, output = _crawl(
        tmp_path, _targets(site.shop_url, "browser", table, page="kettle-socket")
    )
    assert ids == sorted(str(r["id"]) for r in REVIEWS), output
    engine = open_database(f"sqlite:///{tmp_path / 'crawl.db'}")
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert run.fetch_problems == problems
    assert "Traceback" not in output


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("replaces", "expected"), [("true", REVIEWS), ("false", REVIEWS[6:])])
def test_next_button_that_replaces_reviews_is_read_before_every_click(
    tmp_path: Path, site: WidgetSite, replaces: str, expected: list[dict[str, object]]
) -> None:
    _chromium_or_skip()
    table = (
        '[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"\n'
        f"click_replaces = {replaces}"
    )
    code, ids, output = _crawl(
        tmp_path, _targets(site.shop_url, "browser", table, page="kettle-next")
    )
    assert code == 0, output
    assert ids == sorted(str(r["id"]) for r in expected)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page", ["kettle-shadow-next", "kettle-frame-next"])
def test_reviews_replaced_in_a_shadow_root_or_a_frame_are_read_before_every_click(
    tmp_path: Path, site: WidgetSite, page: str
) -> None:
    """A "next" button replacing reviews drawn in an open shadow root or a same-origin
    frame: each state's snapshot holds its copies, as the final page does. Before, the
    snapshots held neither: the last review only."""
    _chromium_or_skip()
    _reads_every_review(tmp_path, site, page, "click_replaces = true")


DISALLOW_API = b"User-agent: *\nDisallow: /api/\n"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "host", "robots", "asked", "reviews", "blocked", "problems"),
    [
        # The widget's host disallows its API: the page's script never reaches it.
        ("kettle-one", "127.0.0.2", (200, DISALLOW_API), 1, 0, 1, {}),
        # The shop disallows its own API, which its page calls by JavaScript.
        ("kettle-local", "127.0.0.1", (200, DISALLOW_API), 1, 0, 1, {}),
        # The widget's robots.txt cannot be read (asked 3 times: the retries of a 503):
        # fail-closed, as for the crawl's pages.
        ("kettle-one", "127.0.0.2", (503, b"down"), 3, 0, 0, {"robots_unreadable": 1}),
        # Rules for another crawler only: the API is ours to call, page after page.
        ("kettle-one", "127.0.0.2", (200, b"User-agent: otherbot\nDisallow: /\n"), 1, 7, 0, {}),
    ],
)
def test_a_rendered_page_makes_none_of_the_requests_robots_txt_disallows(
    tmp_path: Path,
    site: WidgetSite,
    page: str,
    host: str,
    robots: tuple[int, bytes],
    asked: int,
    reviews: int,
    blocked: int,
    problems: dict[str, int],
) -> None:
    """The page's own requests (its script's fetch calls) obey the robots.txt of their host
    as the crawl's requests do: one robots.txt reading per host, a disallowed path never
    requested (the server never sees it), refusals counted in the run; the page is still
    read (its product and offer)."""
    _chromium_or_skip()
    hits_before = dict(site.hits)
    site.robots[host] = robots
    try:
        table = (
            '[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"\n'
            'wait_for = "[itemprop=review]"\nwait_timeout_s = 3'
        )
        _, ids, output = _crawl(tmp_path, _targets(site.shop_url, "browser", table, page=page))
    finally:
        del site.robots[host]
    hits = {key: n - hits_before.get(key, 0) for key, n in site.hits.items()}
    assert hits.get((host, "/api/reviews"), 0) == (3 if reviews else 0), output
    assert hits.get((host, "/robots.txt"), 0) == asked, output  # one reading, for the crawl
    assert ids == sorted(str(r["id"]) for r in REVIEWS[:reviews])
    engine = open_database(f"sqlite:///{tmp_path / 'crawl.db'}")
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
        products = [p.name for p in session.exec(select(Product)).all()]
    engine.dispose()
    assert (run.robots_blocked, run.fetch_problems) == (blocked, problems), output
    assert products == ["Kettle One"], output
    assert "Traceback" not in output


@pytest.mark.slow
def test_plain_source_does_not_run_javascript(tmp_path: Path, site: WidgetSite) -> None:
    code, ids, output = _crawl(tmp_path, _targets(site.shop_url, "plain"))
    assert code == 0, output
    assert ids == []
    assert f"collected 0 of {len(REVIEWS)} declared reviews (0%)" in output
    runs = run_cli("runs", cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'crawl.db'}")
    assert f"0 of {len(REVIEWS)}" in runs.stdout


def test_only_browser_sources_get_the_playwright_handler() -> None:
    for render, rendered in (("plain", False), ("browser", True)):
        if render == "browser":
            _chromium_or_skip()
        targets = parse_targets(_targets("http://127.0.0.1:9", render))
        company, source = targets.find_source("widgets")
        crawler = Crawler(TargetSpider, {})
        crawler.spider = TargetSpider.from_crawler(crawler, source=source, company=company)
        handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
        assert (handlers.get("http") == PLAYWRIGHT_HANDLER) is rendered
        assert (handlers.get("https") == PLAYWRIGHT_HANDLER) is rendered
        assert ("PLAYWRIGHT_LAUNCH_OPTIONS" in crawler.settings) is rendered
        # The run's render budget is the source's browser.max_pages (0: renders nothing).
        budget = crawler.settings.getint(RENDER_PAGES_SETTING)
        assert budget == (source.browser.max_pages if rendered else 0)


def test_missing_chromium_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(_targets("http://127.0.0.1:9", "browser"), encoding="utf-8")
    monkeypatch.setenv("RIVALSCOPE_CHROMIUM", str(tmp_path / "no-chromium"))
    result = run_cli("crawl", "--targets", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert "apt-get install chromium" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://shop.test/p/1", True),
        ("http://api.shop.test/r?p=1", True),
        ("http://widget.test:8080/r", True),
        ("http://tracker.test/b", False),
        ("http://shop.test.evil.test/", False),
        ("data:image/png;base64,AA", True),
    ],
)
def test_host_filter(url: str, allowed: bool) -> None:
    assert HostFilter(["shop.test", "widget.test"]).allows(url) is allowed


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('wait_for = "div[["', "wait_for"),
        ('allow_hosts = ["https://widget.test/api"]', "not a host name"),
        ("max_clicks = -1", "max_clicks"),
        ("page_timeout_s = 0", "page_timeout_s"),
    ],
)
def test_browser_table_is_validated(table: str, message: str) -> None:
    from settings.targets import TargetsError

    text = _targets("http://127.0.0.1:9", "browser", f"[company.source.browser]\n{table}")
    with pytest.raises(TargetsError, match=message):
        parse_targets(text)
    with pytest.raises(TargetsError, match="render"):
        parse_targets(_targets("http://127.0.0.1:9", "js"))


@pytest.mark.parametrize(
    ("query", "engine_form"),
    [
        # XPath written as [selectors] write it: Playwright read "xpath:..." as CSS and failed
        ("xpath://button[@id='more']", "xpath=//button[@id='more']"),
        ("xpath: //div", "xpath=//div"),
        ("[itemprop=review]", "css=[itemprop=review]"),
        ("div.review > p", "css=div.review > p"),
    ],
)
def test_browser_selectors_are_given_to_playwright_in_its_engine_form(
    query: str, engine_form: str
) -> None:
    from spiders.browser import playwright_selector

    assert playwright_selector(query) == engine_form


@pytest.mark.browser
@pytest.mark.slow
def test_a_long_gallery_page_renders_without_images_and_its_script_sees_our_user_agent(
    tmp_path: Path, site: WidgetSite
) -> None:
    """A product page with thousands of images (a gallery, swatches) is read within its page
    time-out: chromium does not load images at all (before, each was started and aborted one
    by one through the request filter, and its load event came after the time-out: the page
    failed with no reviews). Its script sees the crawl's user agent, not HeadlessChrome's."""
    _chromium_or_skip()
    images_before = sum(n for (_, path), n in site.hits.items() if path.startswith("/img/"))
    agents_before = len(site.script_agents)
    _reads_every_review(tmp_path, site, "kettle-heavy", "page_timeout_s = 15")
    images = sum(n for (_, path), n in site.hits.items() if path.startswith("/img/"))
    assert images == images_before  # no image ever requested
    agents = site.script_agents[agents_before:]
    assert agents and all(a.startswith("rivalscope/") for a in agents), agents


def _descendants(root: int) -> set[int]:
    """Live processes started by ``root``, their children, and so on (chromium runs in a
    session of its own, under the playwright driver the crawl starts)."""
    parents = {pid: int(fields[1]) for pid, fields in process_stats() if fields[0] != "Z"}
    found: set[int] = set()
    grown = {root}
    while grown:
        grown = {pid for pid, parent in parents.items() if parent in grown} - found
        found |= grown
    return found


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid, fields in process_stats() if pid in pids and fields[0] != "Z"}


@pytest.mark.browser
@pytest.mark.slow
def test_ctrl_c_while_a_page_renders_is_no_error_of_the_site_and_leaves_no_chromium(
    tmp_path: Path, site: WidgetSite
) -> None:
    """Ctrl-C reaches the browser's driver too (the terminal's process group): the page open
    in chromium then fails. Before, it was counted as the site's HTTP error
    (TargetClosedError) in the interrupted run, and asyncio logged an ERROR ("Connection
    closed while reading from the driver") under the "interrupted" line."""
    _chromium_or_skip()
    (tmp_path / "targets.toml").write_text(
        _targets(site.shop_url, "browser", '[company.source.browser]\nallow_hosts = ["127.0.0.2"]'),
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'crawl.db'}"
    site.hold, site.api_asked = threading.Event(), threading.Event()
    try:
        process = start_crawl(tmp_path / "targets.toml", url, tmp_path)
        asked = site.api_asked.wait(180)
        browser = _descendants(process.pid)
        os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the foreground group
        _out, err = process.communicate(timeout=120)
    finally:
        site.hold.set()
        site.hold = None
    stderr = err.decode()
    assert asked, stderr[-3000:]
    assert process.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr[-3000:]
    assert any(line.startswith("interrupted: ") for line in stderr.splitlines())
    with Session(engine := open_database(url)) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert (run.status, run.http_errors, run.error_samples) == ("interrupted", 0, []), stderr
    deadline = time.monotonic() + 15  # chromium ends once its driver is gone
    while _alive(browser) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert browser and _alive(browser) == set(), browser


@pytest.mark.browser
@pytest.mark.slow
def test_reviews_drawn_in_a_shadow_root_are_read(tmp_path: Path, site: WidgetSite) -> None:
    """A review widget that is a web component draws its reviews in its (open) shadow root,
    which the page's HTML does not hold: before, the crawl read none of them."""
    _chromium_or_skip()
    _reads_every_review(tmp_path, site, "kettle-shadow", 'wait_for = "[itemprop=review]"')


def _reads_every_review(tmp_path: Path, site: WidgetSite, page: str, browser_keys: str) -> None:
    """A crawl of ``page`` ("load more" clicked, ``browser_keys`` added) stores every review."""
    table = (
        f'[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"\n{browser_keys}'
    )
    code, ids, output = _crawl(tmp_path, _targets(site.shop_url, "browser", table, page=page))
    assert code == 0, output
    assert ids == sorted(str(r["id"]) for r in REVIEWS), output


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "browser_keys", "expected"),
    [
        # A tag script that never answers: the load event never comes. Before, the page
        # failed after its page_timeout_s (scrapy-playwright awaited the load event).
        ("kettle-hanging", 'wait_for = "[itemprop=review]"\npage_timeout_s = 10', 7),
        # No button: the next reviews come when the page is scrolled to its end. Before,
        # the first three only.
        ("kettle-scroll", 'wait_for = "[itemprop=review]"', 7),
        # max_scrolls bounds the scrolls (0: none), and so does limits.max_reviews once
        # wait_for matches that many.
        ("kettle-scroll", "max_scrolls = 1", 6),
        ("kettle-scroll", "max_scrolls = 0", 3),
        (
            "kettle-scroll",
            'wait_for = "[itemprop=review]"\n[company.source.limits]\nmax_reviews = 5',
            5,
        ),
        # Scrolling stops while one more scroll bringing as much as the last keeps the page
        # within its response limit (4,509 characters: 3 reviews 3.3k, 6 4.3k, 7 4.7k).
        # Before, scrolled to 7 and refused whole (rendered_too_large): none.
        (
            "kettle-scroll",
            'wait_for = "[itemprop=review]"\n[company.source.limits]\n'
            "max_response_mb = 0.0043\nwarn_response_mb = 0.0043",
            6,
        ),
        # A fixed cookie wall over the "load more" button: hidden, never clicked. Before,
        # every click hit the wall: the first three only.
        ("kettle-wall", "wait_timeout_s = 3", 7),
        # A consent wall that holds the reviews back until its button is clicked.
        ("kettle-consent", 'dismiss = "#consent-ok"\nwait_for = "[itemprop=review]"', 7),
        ("kettle-consent", "wait_timeout_s = 2", 0),
        # The same in XPath, as [selectors] write it. Before, Playwright read it as CSS and
        # failed: never answered, none.
        (
            "kettle-consent",
            "dismiss = \"xpath://*[@id='consent-ok']\"\n"
            "wait_for = \"xpath://*[@itemprop='review']\"\nwait_timeout_s = 3",
            7,
        ),
        # A modal dialog makes the rest of the page inert: "load more" is never clicked.
        # Before, the first three only; now closed with the Escape key.
        ("kettle-dialog-escape", "wait_timeout_s = 3", 7),
        # Escape refused, reviews loaded once the dialog is closed: its method=dialog form's
        # only button closes it. Before, none.
        ("kettle-dialog-form", "wait_timeout_s = 3", 7),
        # Escape refused, no button, opened again when closed, the page's scrolling
        # stopped: the dialog is removed. Before, the first three only.
        ("kettle-dialog-stuck", "wait_timeout_s = 3", 7),
        # A modal holding the reviews and their button is no wall: kept, clicked within.
        ("kettle-dialog-reviews", 'wait_for = "[itemprop=review]"\nwait_timeout_s = 3', 7),
        ("kettle-dialog-reviews", "wait_timeout_s = 3", 7),
        # A letter's modal over the modal holding the reviews, which its script closes on
        # Escape: no Escape while the reviews are in a modal (the letter closed as its
        # button would). Before, Escape closed both: the first three only.
        ("kettle-dialog-wall-reviews", 'wait_for = "[itemprop=review]"\nwait_timeout_s = 3', 7),
        ("kettle-dialog-wall-reviews", "wait_timeout_s = 3", 7),
        # The letter's closing closes every dialog: the reviews' modal is opened again.
        # Before, the first three only.
        ("kettle-dialog-wall-closes-all", "wait_timeout_s = 3", 7),
        # Reviews in an inner scroll box that loads more when scrolled to its end; the
        # window does not scroll. Before, the first three only. Bounded as the window's
        # scrolls are.
        ("kettle-box", 'wait_for = "[itemprop=review]"', 7),
        ("kettle-box", "wait_timeout_s = 3", 7),
        ("kettle-box", "max_scrolls = 1", 6),
        ("kettle-box", "max_scrolls = 0", 3),
        (
            "kettle-box",
            'wait_for = "[itemprop=review]"\n[company.source.limits]\nmax_reviews = 5',
            5,
        ),
        # That scroll box in an open shadow root (a widget's web component), or in a
        # same-origin iframe (a widget's frame, whose HTML is read after the frame), bounded
        # alike. Before, the first three only in the shadow root, none in the frame.
        ("kettle-shadow-box", 'wait_for = "[itemprop=review]"', 7),
        ("kettle-shadow-box", "max_scrolls = 1", 6),
        (
            "kettle-shadow-box",
            'wait_for = "[itemprop=review]"\n[company.source.limits]\nmax_reviews = 5',
            5,
        ),
        # The size rule counts the shadow root (4,823 characters: 3 reviews 3.6k, 6 4.7k,
        # 7 5.0k): without it, scrolled to 7 and refused whole.
        (
            "kettle-shadow-box",
            'wait_for = "[itemprop=review]"\n[company.source.limits]\n'
            "max_response_mb = 0.0046\nwarn_response_mb = 0.0046",
            6,
        ),
        ("kettle-frame-box", "wait_timeout_s = 3", 7),
        ("kettle-frame-box", "max_scrolls = 1\nwait_timeout_s = 3", 6),
        ("kettle-frame-box", "max_scrolls = 0\nwait_timeout_s = 3", 3),
        (
            "kettle-frame-box",
            'wait_for = "[itemprop=review]"\nwait_timeout_s = 3\n'
            "[company.source.limits]\nmax_reviews = 5",
            5,
        ),
    ],
)
def test_pages_that_load_for_ever_scroll_or_hide_behind_a_wall_are_read(
    tmp_path: Path, site: WidgetSite, page: str, browser_keys: str, expected: int
) -> None:
    _chromium_or_skip()
    tracker_before = site.hits_on("127.0.0.3")
    table = (
        f'[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"\n{browser_keys}'
    )
    code, ids, output = _crawl(tmp_path, _targets(site.shop_url, "browser", table, page=page))
    assert code == 0, output
    assert ids == sorted(str(r["id"]) for r in REVIEWS[:expected]), output
    assert site.hits_on("127.0.0.3") == tracker_before  # its web socket never opened


def _command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


@pytest.mark.browser
@pytest.mark.slow
def test_one_driver_per_crawl_and_a_browser_made_again_after_a_crash_has_our_user_agent(
    tmp_path: Path, site: WidgetSite
) -> None:
    """Scrapy builds one download handler per scheme: before, http's and https's each
    started a playwright driver. Chromium killed under a page: scrapy-playwright launches
    another and makes the context again from the request's meta, where the crawl's user
    agent was not (the page's script then saw HeadlessChrome's)."""
    _chromium_or_skip()
    table = '[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"'
    (tmp_path / "targets.toml").write_text(
        _targets(site.shop_url, "browser", table, page="kettle-heavy"), encoding="utf-8"
    )
    url = f"sqlite:///{tmp_path / 'crawl.db'}"
    agents_before = len(site.script_agents)
    site.hold, site.api_asked = threading.Event(), threading.Event()
    try:
        process = start_crawl(tmp_path / "targets.toml", url, tmp_path)
        asked = site.api_asked.wait(180)
        commands = {pid: _command_line(pid) for pid in _descendants(process.pid)}
        drivers = [pid for pid, command in commands.items() if "run-driver" in command]
        browsers = [
            pid
            for pid, command in commands.items()
            if "--remote-debugging-pipe" in command and not any("--type=" in a for a in command)
        ]
        for pid in browsers:
            os.kill(pid, signal.SIGKILL)
    finally:
        site.hold.set()
        site.hold = None
    _out, err = process.communicate(timeout=180)
    assert asked, err.decode()[-3000:]
    assert len(drivers) == 1, commands
    assert len(browsers) == 1, commands
    agents = site.script_agents[agents_before:]
    assert len(agents) == 2 and all(a.startswith("rivalscope/") for a in agents), agents

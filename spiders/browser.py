"""Browser rendering for sources with ``render = "browser"`` (scrapy-playwright on chromium).

Only such a source's crawler gets the playwright download handler; every other source keeps
Scrapy's plain HTTP handler and starts no browser. The browser is Debian's chromium at
``/usr/bin/chromium`` (or ``RIVALSCOPE_CHROMIUM``) (never a downloaded one). Every wait is bounded, the page may request only
the source's hosts and the hosts it allows, and only what their robots.txt allows us (as the
crawl's own requests), and images, fonts and media are never fetched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from settings.targets import XPATH_PREFIX, BrowserRender, Source, xpath_expression
from settings.user_errors import UserError
from spiders.fetch_problems import RenderedPageTooLarge, count_problem
from spiders.robots_rules import RobotsUnreadable, crawl_robots

if TYPE_CHECKING:
    from playwright.async_api import Page, WebSocketRoute
    from playwright.async_api import Request as BrowserRequest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Images are never loaded (not even started): a page with thousands of them (a gallery,
    # swatches) would otherwise send each through the request filter to be aborted, and its
    # load event would come long after (26 s for 3,000 images on a 2-core machine, 1.8 s
    # without). Their URLs stay in the HTML.
    "--blink-settings=imagesEnabled=false",
]
# Resource types a review page never needs to show its text.
SKIPPED_RESOURCES = frozenset({"image", "font", "media"})
# scrapy-playwright's handler, one for both schemes, reading a page whose load never comes
# (spiders.rendering_handler).
PLAYWRIGHT_HANDLER = "spiders.rendering_handler.RenderingHandler"


def playwright_selector(query: str) -> str:
    """A ``[browser]`` selector (``wait_for``, ``click``, ``dismiss``) as Playwright's engine
    reads it: ``xpath:...`` (as the extraction selectors write XPath) becomes ``xpath=...``,
    CSS is named ``css=`` (so no CSS is taken for another engine's ``name=...``)."""
    expression = xpath_expression(query)
    return "css=" + query if expression is None else "xpath=" + expression


class BrowserMissingError(UserError):
    """A source needs the browser and chromium (or scrapy-playwright) is not installed."""


def find_chromium() -> str | None:
    """The chromium executable to use (``RIVALSCOPE_CHROMIUM`` if set), or None."""
    wanted = os.environ.get("RIVALSCOPE_CHROMIUM")
    for path in [wanted] if wanted else [DEFAULT_CHROMIUM, shutil.which("chromium")]:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def require_browser(source_names: list[str], purpose: str | None = None) -> str:
    """The chromium path; a BrowserMissingError naming the install command if it is missing.
    The message names the sources that need it, or ``purpose`` (e.g. "targets detect")."""
    who = purpose or f'source(s) {", ".join(source_names)} with render = "browser"'
    chromium = find_chromium()
    if chromium is None:
        raise BrowserMissingError(
            f"{who} need(s) chromium, which is not installed: run `apt-get install chromium` "
            "(Debian's package; no browser is downloaded)"
        )
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        raise BrowserMissingError(
            f"{who} need(s) scrapy-playwright: run `pip install scrapy-playwright`"
        ) from None
    return chromium


class HostFilter:
    """``PLAYWRIGHT_ABORT_REQUEST``: True (abort) for other hosts, for heavy resources, and
    for what the crawl's robots.txt rules refuse.

    A rendered page's own requests (its scripts' fetch and XHR calls, scripts, styles) do not
    go through the crawl's downloader, so its robots.txt middleware never sees them: each is
    checked here against the same rules (``FailClosedRobotsTxtMiddleware.refusal``: the
    rules read for the crawl, those of an allowed host read when its first request comes,
    fail-closed when unreadable) and aborted in the browser when refused, counted as the
    crawl counts its own refusals (``robots_blocked``, or the fetch problem
    ``robots_unreadable``). Only with ``crawler`` (a crawl that obeys robots.txt).
    """

    def __init__(self, hosts: list[str], crawler: Crawler | None = None) -> None:
        self.hosts = tuple(h.lower() for h in hosts)
        self.crawler = crawler

    def allows(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            return True
        host = (parsed.hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    async def __call__(self, request: BrowserRequest) -> bool:
        return request.resource_type in SKIPPED_RESOURCES or await self.refuses(request.url)

    async def refuses(self, url: str) -> bool:
        """True if a rendered page may not request ``url``: another host, or robots.txt."""
        return not self.allows(url) or await self.robots_refuse(url)

    async def robots_refuse(self, url: str) -> bool:
        """True if the crawl's robots.txt rules refuse ``url`` (counted and logged)."""
        crawler = self.crawler
        if crawler is None or urlparse(url).scheme not in ("http", "https"):
            return False
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            return False
        robots = crawl_robots(crawler)
        refused = (
            IgnoreRequest("the crawl's robots.txt rules are not running")
            if robots is None
            else await robots.refusal(url)
        )
        if refused is None:
            return False
        if isinstance(refused, RobotsUnreadable) and crawler.stats is not None:
            count_problem(crawler.stats, "robots_unreadable")
        logger.debug("rendered page's request to %s not made: %s", url, refused)
        return True


SOCKET_OVER_LIMIT = "web_socket_over_limit"
"""The fetch problem of a page whose web sockets passed their budget (``SocketBudget``)."""
_TOO_BIG = 1009
"""The web socket close code for a message too big to take."""


class SocketBudget:
    """The bytes of web socket messages one rendered page may exchange, together: the
    response limit (``limits.max_response_mb``). Playwright hands every message of a page's
    socket to this process whole, whether anyone listens or not (its socket events; a routed
    socket's messages twice more, there and back), so a page sending endless or huge
    messages would hold the crawl's memory and CPU: past the budget the socket is closed at
    both ends (code 1009, "too big") and the message that passed it is not passed on. A
    message larger than the budget still reaches this process once: Playwright reads it
    whole before anyone can refuse it. Used by the crawl's handler
    (``spiders.rendering_handler``) and ``targets detect``, for every socket they connect."""

    def __init__(self, limit: int, over: Callable[[str], None]) -> None:
        self.limit = limit
        self.used = 0
        self.over = over
        """Called once, with the socket's URL, when the budget is passed."""
        self.passed = False
        self._closing: set[asyncio.Future[None]] = set()

    def connect(
        self, socket: WebSocketRoute, read: Callable[[str | bytes], None] | None = None
    ) -> None:
        """Connect ``socket`` to its server, its messages passed on within the budget
        (``read``: called with each message from the server passed on)."""
        server = socket.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if self._spend(socket.url, message):
                socket.send(message)
                if read is not None:
                    read(message)
            else:
                self._close(socket, server)

        def from_page(message: str | bytes) -> None:
            if self._spend(socket.url, message):
                server.send(message)
            else:
                self._close(socket, server)

        server.on_message(from_server)
        socket.on_message(from_page)

    def _spend(self, url: str, message: str | bytes) -> bool:
        if self.passed:
            return False
        self.used += len(message)
        if self.used <= self.limit:
            return True
        self.passed = True
        self.over(url)
        return False

    def _close(self, socket: WebSocketRoute, server: Any) -> None:
        for end in (socket, server):
            closing = asyncio.ensure_future(end.close(code=_TOO_BIG, reason="over the limit"))
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)


def failed_by_stop(crawler: Crawler, error: BaseException | None) -> bool:
    """True when a rendered page failed because the crawl is stopping: Ctrl-C reaches the
    browser's driver too (the terminal signals the whole process group), which ends at once,
    and every page still open in it fails ("Target page, context or browser has been
    closed"). Those pages were not fetched, as a plain crawl's queued pages are not: no
    HTTP errors of the site."""
    if crawler.crawling:
        return False
    from playwright.async_api import Error as PlaywrightError

    return isinstance(error, PlaywrightError)


def browser_hosts(source: Source) -> list[str]:
    """Hosts a rendered page of ``source`` may request."""
    return sorted({*source.domains(), *source.browser.allow_hosts})


class _OversizeWithoutTraceback(logging.Filter):
    """scrapy-playwright logs every failed page with its traceback; an oversized rendered page
    is a refusal recorded by reason (``rendered_too_large``), so its line carries none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], RenderedPageTooLarge):
            record.exc_info = None
            record.exc_text = None
        return True


class _DriverGoneUnsaid(logging.Filter):
    """Ctrl-C ends the browser's driver with the crawl (it is in the terminal's process
    group); playwright then leaves a future failed with "Connection closed while reading from
    the driver" that nobody awaits, and asyncio logged it as an ERROR under the command's
    "interrupted" line. The pages it cut are said otherwise (``failed_by_stop``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None and isinstance(record.msg, str):
            return _DRIVER_GONE not in record.getMessage()
        return error is None or _DRIVER_GONE not in str(error)


_DRIVER_GONE = "Connection closed while reading from the driver"
_ONE_LINE = _OversizeWithoutTraceback()
_DRIVER_GONE_UNSAID = _DriverGoneUnsaid()
logger = logging.getLogger(__name__)


def browser_settings(
    source: Source, chromium: str, crawler: Crawler | None = None
) -> dict[str, Any]:
    """Scrapy settings that make one crawler render its pages in chromium (``crawler``:
    the crawler they are for, whose robots.txt rules its pages' own requests obey)."""
    render = source.browser
    agent = crawler.settings.get("USER_AGENT") if crawler is not None else None
    logging.getLogger("scrapy-playwright").addFilter(_ONE_LINE)
    logging.getLogger("asyncio").addFilter(_DRIVER_GONE_UNSAID)
    handler = {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER}
    return {
        "DOWNLOAD_HANDLERS": handler,
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": chromium,
            "headless": True,
            "args": CHROMIUM_ARGS,
        },
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(render.page_timeout_s * 1000),
        # One context, as many open pages as requests the source may run in parallel:
        # memory stays bounded by the concurrency, not by the crawl's length.
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_CONTEXTS": {"default": context_options(agent)},
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": source.politeness.concurrency or 4,
        "PLAYWRIGHT_ABORT_REQUEST": HostFilter(browser_hosts(source), crawler),
    }


def context_options(agent: str | None) -> dict[str, Any]:
    """The browser context's options: the crawl's user agent is the browser's too (the
    page's scripts see it in navigator.userAgent, and web sockets send it), not
    HeadlessChrome's; no service worker, whose requests the request filter would not see."""
    options: dict[str, Any] = {"service_workers": "block"}
    if agent:
        options["user_agent"] = agent
    return options


def render_meta(
    render: BrowserRender, max_chars: int, max_reviews: int, agent: str | None
) -> dict[str, Any]:
    """Request meta that renders one page: load, wait, scroll, click, all within the page's
    limit; a page whose HTML grows past ``max_chars`` is not read (the source's response
    limit); scrolling stops once ``wait_for`` matches ``max_reviews`` elements.
    ``agent``: the crawl's user agent, for a browser context made again (after a browser
    crash, scrapy-playwright makes it from the request's meta, not from its settings)."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        # The DOM as parsed, not the load event, which a script or frame that never answers
        # holds back for ever: settle_page waits for what the reviews need, each wait bounded.
        "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded"},
        "playwright_context_kwargs": context_options(agent),
        "playwright_page_methods": [PageMethod(settle_page, render, max_chars, max_reviews)],
    }


_HTML_LENGTH = "() => document.documentElement ? document.documentElement.outerHTML.length : 0"


async def check_rendered_size(page: Page, max_chars: int) -> None:
    """RenderedPageTooLarge if the page's HTML is longer than ``max_chars``: measured in the
    browser, so an oversized page never reaches the crawl's memory (scrapy-playwright reads
    the whole DOM, which DOWNLOAD_MAXSIZE does not bound)."""
    from playwright.async_api import Error as PlaywrightError

    try:
        length = await page.evaluate(_HTML_LENGTH)
    except PlaywrightError:
        return  # navigating or closed: scrapy-playwright reports the page as it does today
    if isinstance(length, int) and length > max_chars:
        raise RenderedPageTooLarge(f"rendered HTML of {length:,} characters > {max_chars:,}")


# The page's HTML as page.content() serializes it (its doctype, then its root element),
# or only its length when that is over the limit: measured and read in one step, so a page
# that grows between a measure and a reading never reaches the reader's memory.
_BOUNDED_CONTENT = """(max) => {
  let html = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : "";
  if (document.documentElement) html += document.documentElement.outerHTML;
  return html.length > max ? html.length : html;
}"""


async def bounded_content(page: Page, max_chars: int) -> str:
    """The page's HTML (``page.content()``), or RenderedPageTooLarge if it is longer than
    ``max_chars`` (the response limit, as ``check_rendered_size``): an oversized page stays
    in the browser. ``targets detect`` reads its rendered page with it. A page navigating
    then is read once it has loaded (as ``page.content()`` waits for it)."""
    from playwright.async_api import Error as PlaywrightError

    for attempt in range(3):
        try:
            html = await page.evaluate(_BOUNDED_CONTENT, max_chars)
            break
        except PlaywrightError:  # "Execution context was destroyed": navigating
            if attempt == 2 or page.is_closed():
                raise
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("domcontentloaded")
    if not isinstance(html, str):
        raise RenderedPageTooLarge(f"its HTML of {html:,} characters")
    return html


async def settle_page(
    page: Page, render: BrowserRender, max_chars: int, max_reviews: int
) -> list[str]:
    """Dismiss a consent wall (``dismiss``) and close modal dialog walls (``_close_walls``),
    wait until the reviews are there, scroll to the end (the page's and its inner scroll
    boxes') while that brings more, and click "load more" (or "next") while allowed;
    never raises for a slow page: what has loaded when a limit is reached is what is read.
    Returns the HTML as it was before each click when ``click_replaces`` (else nothing);
    scrapy-playwright keeps it on the PageMethod for the spider. Raises RenderedPageTooLarge
    when the page (or the snapshots and the page together) exceed ``max_chars``."""
    before_clicks: list[str] = []
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(
            _settle(page, render, before_clicks, max_chars, max_reviews),
            timeout=render.page_timeout_s,
        )
    await copy_roots(page)
    await check_rendered_size(page, max_chars - sum(map(len, before_clicks)))
    return before_clicks


# Each open shadow root's HTML copied into a child of its host (inner roots first, so a
# root's copy holds its inner ones'): the page's HTML, which the spider reads, does not hold
# shadow roots, where a review widget made as a web component draws its reviews. Slotted
# content is the host's own children already; a <slot> copies as an empty element. So is
# the body of each same-origin iframe's document (a widget's frame; a cross-origin one's is
# not readable), into an element after the frame, without its scripts and styles (JSON
# kept: a widget's JSON-LD), nested frames 5 deep at most. ``max`` null: the copies stay in
# the page (it is read next, once). Else a snapshot: the page's HTML with the copies
# (``_BOUNDED_CONTENT``: its length only when over ``max``), the copies then taken out again,
# so the page's scripts go on with the page as it was.
_COPY_ROOTS = (
    """(max) => {
  const made = [];
  const copy = (root, depth) => {
    for (const host of root.querySelectorAll("*")) {
      if (host.shadowRoot) {
        copy(host.shadowRoot, depth);
        const flat = document.createElement("div");
        flat.setAttribute("data-rivalscope-shadow-root", "");
        flat.innerHTML = host.shadowRoot.innerHTML;
        host.appendChild(flat);
        made.push(flat);
        continue;
      }
      if (host.localName !== "iframe" || depth >= 5) continue;
      let frame = null;
      try { frame = host.contentDocument; } catch (e) {}
      if (!frame || !frame.body) continue;
      copy(frame, depth + 1);
      const body = frame.body.cloneNode(true);
      for (const el of body.querySelectorAll("script:not([type*=json]), style, noscript"))
        el.remove();
      const flat = document.createElement("div");
      flat.setAttribute("data-rivalscope-frame", "");
      flat.innerHTML = body.innerHTML;
      host.after(flat);
      made.push(flat);
    }
  };
  copy(document, 0);
  if (max === null) return null;
  try { return ("""
    + _BOUNDED_CONTENT
    + """)(max); }
  finally { for (const flat of made) flat.remove(); }
}"""
)


async def copy_roots(page: Page) -> None:
    """The page's open shadow roots and same-origin frames in its HTML (``_COPY_ROOTS``),
    once, when it is read. The crawl's rendered pages (``settle_page``) and ``targets
    detect`` (``spiders.detect``) read the page after this, so both count the same reviews;
    a snapshot before a click (``snapshot``) holds the same copies."""
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):  # navigating or closed: read as it is
        await page.evaluate(_COPY_ROOTS, None)


async def snapshot(page: Page, max_chars: int) -> str:
    """The page's HTML as it would be read now (its roots copied in: ``_COPY_ROOTS``), the
    page left as it was: a ``click_replaces`` state, before its click. RenderedPageTooLarge
    if it is longer than ``max_chars``; a PlaywrightError if navigating or closed."""
    html = await page.evaluate(_COPY_ROOTS, max_chars)
    if not isinstance(html, str):
        raise RenderedPageTooLarge(f"rendered HTML of {html:,} characters > {max_chars:,}")
    return html


def pages_before_clicks(meta: dict[str, Any]) -> list[str]:
    """The HTML snapshots ``settle_page`` took on a rendered response (request meta)."""
    methods = meta.get("playwright_page_methods") or []
    found: list[str] = []
    for method in methods:
        if getattr(method, "method", None) is settle_page and isinstance(method.result, list):
            found += [html for html in method.result if isinstance(html, str)]
    return found


async def _settle(
    page: Page, render: BrowserRender, before_clicks: list[str], max_chars: int, max_reviews: int
) -> None:
    from playwright.async_api import Error as PlaywrightError

    timeout_ms = render.wait_timeout_s * 1000
    network = PendingRequests(page)
    await _await_reviews(page, render, network)
    await _scroll(page, render, network, max_reviews, max_chars)
    if not render.click:
        return
    for _ in range(render.max_clicks):
        button = page.locator(playwright_selector(render.click)).first
        try:
            await _close_walls(page, render, network)
            if not await button.is_visible():
                return
            if render.click_replaces:
                before_clicks.append(await snapshot(page, max_chars - sum(map(len, before_clicks))))
            await _uncover(page, render.click)
            await button.click(timeout=timeout_ms)
        except PlaywrightError:
            return  # gone, detached or covered: nothing more to load
        # Playwright's "networkidle" fires once per navigation, so a click's requests are
        # awaited by counting them.
        await network.quiet(render.wait_timeout_s)


async def _await_reviews(page: Page, render: BrowserRender, network: PendingRequests) -> None:
    """Wait for ``wait_for`` (or the network to go idle), then click ``dismiss`` if it is
    shown, close a modal dialog wall (``_close_walls``), and wait again if either was done:
    a consent wall may hold the reviews back until it is answered, a dialog until closed."""
    from playwright.async_api import Error as PlaywrightError

    timeout_ms = render.wait_timeout_s * 1000
    settled = False
    try:
        if render.wait_for:
            # The consent button or a dialog wall may come first, and the reviews only once
            # it is clicked or closed (any of them: an XPath does not join a CSS list).
            either = page.locator(playwright_selector(render.wait_for))
            for other in (render.dismiss, _OPEN_DIALOG):
                if other:
                    either = either.or_(page.locator(playwright_selector(other)))
            await either.first.wait_for(timeout=timeout_ms)
            settled = True
        else:
            await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightError:
        pass  # a timeout: read the page as it is
    answered = False
    if render.dismiss:
        button = page.locator(playwright_selector(render.dismiss)).first
        try:
            if await button.is_visible():
                await button.click(timeout=timeout_ms)
                await network.quiet(render.wait_timeout_s)
                answered = True
        except PlaywrightError:
            pass  # gone, covered or a timeout: read the page as it is
    closed = await _close_walls(page, render, network)
    if render.wait_for and (settled or answered or closed):
        # At once when the reviews were what came; else they may come now.
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_selector(playwright_selector(render.wait_for), timeout=timeout_ms)


_OPEN_DIALOG = "dialog[open]"
# The open modal dialogs (``showModal``: the rest of the page is inert, a click there never
# lands) that hold neither ``keep`` (the reviews' and the button's selectors) nor a match
# of it: walls (a consent or a letter's offer). ``action`` "count" counts them; "close"
# clicks the one closing button of each (a ``method=dialog`` submit button, as a reader's
# click, the page's own handlers run) or, with none or several (a choice, never made for
# the reader), closes it as that button would, sending nothing; "remove" takes out of the
# page those still open (their script refuses to close or opens them again), which ends the
# page's inertness. Structural: no words read.
_HOLDS = """(el, keep) => keep.some((query) => {
  try {
    if (!query.startsWith(PREFIX)) return el.matches(query) || el.querySelector(query) !== null;
    const found = el.ownerDocument.evaluate(
      query.slice(PREFIX.length).trim(), el, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    for (let i = 0; i < found.snapshotLength; i++) {
      if (el === found.snapshotItem(i) || el.contains(found.snapshotItem(i))) return true;
    }
    return false;
  }
  catch (e) { return false; }  // no selector a browser takes
})""".replace("PREFIX", json.dumps(XPATH_PREFIX))  # the targets file's, one place
_DIALOG_WALLS = f"""([keep, action]) => {{
  const holds = {_HOLDS};
  const walls = [];
  for (const dialog of document.querySelectorAll("dialog[open]")) {{
    let modal = true;
    try {{ modal = dialog.matches(":modal"); }} catch (e) {{}}
    if (modal && !holds(dialog, keep)) walls.push(dialog);
  }}
  if (action === "close") {{
    for (const dialog of walls) {{
      const closing = [...dialog.querySelectorAll("button, input[type=submit]")].filter(
        (b) => b.type === "submit" && b.form && !b.disabled &&
          (b.hasAttribute("formmethod") ? b.formMethod : b.form.method) === "dialog");
      if (closing.length === 1) closing[0].click();
      if (dialog.open) dialog.close();
    }}
  }} else if (action === "remove") {{
    for (const dialog of walls) dialog.remove();
  }}
  return walls.length;
}}"""


# The open dialogs holding ``keep`` (the reviews' modal: no wall) with whether each is
# modal, and whether ``keep`` is in a layer over the page (such a dialog, or an element
# marked aria-modal), whose script may close it on the Escape key too, as modal scripts do.
_KEPT_LAYERS = f"""(keep) => {{
  const holds = {_HOLDS};
  const dialogs = [...document.querySelectorAll("dialog[open]")].filter((d) => holds(d, keep));
  const layered = dialogs.length > 0 ||
    [...document.querySelectorAll("[aria-modal=true]")].some((el) => holds(el, keep));
  return {{layered, dialogs: dialogs.map((d) => {{
    let modal = true;
    try {{ modal = d.matches(":modal"); }} catch (e) {{}}
    return [d, modal];
  }})}};
}}"""
# Those dialogs opened again (as they were) if closing a wall closed them too.
_REOPEN = """(kept) => {
  let reopened = 0;
  for (const [dialog, modal] of kept.dialogs) {
    if (dialog.open || !dialog.isConnected) continue;
    try { modal ? dialog.showModal() : dialog.show(); reopened++; } catch (e) {}
  }
  return reopened;
}"""


def _close_walls(page: Page, render: BrowserRender, network: PendingRequests) -> Awaitable[bool]:
    """``close_walls`` keeping the reviews (``wait_for``) and the ``click`` button."""
    keep = [s for s in (render.wait_for, render.click) if s]
    return close_walls(page, keep, render.wait_timeout_s, network)


async def close_walls(page: Page, keep: list[str], wait_s: float, network: PendingRequests) -> bool:
    """Close the modal dialog walls over the page (``_DIALOG_WALLS``; ``keep``: selectors of
    what is no wall's): the Escape key first (a reader's way out), unless ``keep`` is in a
    modal layer itself (``_KEPT_LAYERS``: the key would close it too), then each one's
    closing button or its close, then, for those still open, out of the page; a dialog
    holding ``keep`` that this closed too is opened again, once. The page's requests are
    awaited (at most ``wait_s``) after each step. True if there were walls. The crawl's
    rendered pages and ``targets detect`` close walls here."""
    from playwright.async_api import Error as PlaywrightError

    try:
        if not await page.evaluate(_DIALOG_WALLS, [keep, "count"]):
            return False
        kept = await page.evaluate_handle(_KEPT_LAYERS, keep)
        try:
            if not await kept.evaluate("(kept) => kept.layered"):
                await page.keyboard.press("Escape")
                await network.quiet(wait_s)
            for action in ("close", "remove"):
                if not await page.evaluate(_DIALOG_WALLS, [keep, action]):
                    break
                await network.quiet(wait_s)
            if await kept.evaluate(_REOPEN):
                await network.quiet(wait_s)
        finally:
            await kept.dispose()
    except PlaywrightError:
        pass  # navigating or closed: read as it is
    return True


MAX_ROOTS = 50
"""Document trees searched for scroll boxes and reviews at most: the page's, its open shadow
roots' and its same-origin iframes' documents."""
# The page's document, then the open shadow roots and the documents of the same-origin
# iframes (a cross-origin frame's is not readable) in it and in them, at most ``limit``.
_ROOTS = """(limit) => {
  const roots = [document];
  for (let i = 0; i < roots.length && roots.length < limit; i++) {
    for (const el of roots[i].querySelectorAll("*")) {
      let inner = el.shadowRoot;
      if (!inner && el.localName === "iframe") {
        try { inner = el.contentDocument; } catch (e) { inner = null; }
        if (inner && !inner.body) inner = null;
      }
      if (inner) roots.push(inner);
      if (roots.length >= limit) break;
    }
  }
  return roots;
}"""
# The inner scroll boxes to scroll with the window (at most three): elements whose content
# overflows their height and which scroll it (overflow-y auto or scroll), such as a review
# list in a box of its own, which loads more when scrolled to its end while the window does
# not scroll, in any of the ``roots`` (a review widget's shadow root or its frame, whose
# document scrolls too). Those holding a ``keep`` match (``wait_for``) when some do, the
# ones with the most elements first.
_SCROLL_BOXES = f"""(keep, roots) => {{
  const holds = {_HOLDS};
  const overflows = (el) => el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1;
  let boxes = [];
  for (const root of roots) {{
    const framed = root !== document && root.nodeType === Node.DOCUMENT_NODE;
    if (framed && root.scrollingElement && overflows(root.scrollingElement))
      boxes.push(root.scrollingElement);
    const scope = root.nodeType === Node.DOCUMENT_NODE ? root.body : root;
    for (const el of scope ? scope.querySelectorAll("*") : []) {{
      if (!overflows(el)) continue;
      const view = el.ownerDocument.defaultView || window;
      const overflow = view.getComputedStyle(el).overflowY;
      if (overflow === "auto" || overflow === "scroll" || overflow === "overlay") boxes.push(el);
    }}
  }}
  const holding = boxes.filter((box) => holds(box, keep));
  if (holding.length) boxes = holding;
  const size = (box) => box.getElementsByTagName("*").length;
  return boxes.sort((a, b) => size(b) - size(a)).slice(0, 3);
}}"""
# How much page there is: its height, its elements and its scroll boxes' heights (an
# endless list grows them), after scrolling them all to their end when asked; the length
# of its HTML with its roots' (``_ROOTS``, read with it: ``_COPY_ROOTS``); and how many
# elements match ``count`` in them all (null: none asked, or no CSS a browser takes).
_PAGE_EXTENT = f"""([keep, scroll, count]) => {{
  const roots = ({_ROOTS})({MAX_ROOTS});
  const boxes = ({_SCROLL_BOXES})(keep, roots);
  if (scroll) {{
    window.scrollTo(0, document.documentElement.scrollHeight);
    for (const box of boxes) box.scrollTop = box.scrollHeight;
  }}
  let elements = 0;
  let chars = 0;
  let matches = count ? 0 : null;
  for (const root of roots) {{
    elements += root.querySelectorAll("*").length;
    chars += root.nodeType === Node.DOCUMENT_NODE
      ? root.documentElement.outerHTML.length : root.innerHTML.length;
    if (matches !== null) {{
      try {{ matches += root.querySelectorAll(count).length; }} catch (e) {{ matches = null; }}
    }}
  }}
  const extent = [
    document.documentElement.scrollHeight, elements, ...boxes.map((box) => box.scrollHeight),
  ];
  return [extent, chars, matches];
}}"""


async def _scroll(
    page: Page, render: BrowserRender, network: PendingRequests, max_reviews: int, max_chars: int
) -> None:
    """Scroll to the page's end, and its inner scroll boxes to theirs (``_SCROLL_BOXES``:
    in the page, its open shadow roots and its same-origin frames), while that brings more
    of it (an endless list, reviews loaded when scrolled into view):
    at most ``max_scrolls`` times, until ``wait_for`` matches ``max_reviews`` elements, and
    while one more scroll bringing as much as the last would keep the page's HTML within
    ``max_chars`` (past it the page is not read at all)."""
    from playwright.async_api import Error as PlaywrightError

    keep = [render.wait_for] if render.wait_for else []
    try:
        for _ in range(render.max_scrolls):
            await _close_walls(page, render, network)
            before, chars_before, _ = await page.evaluate(_PAGE_EXTENT, [keep, True, None])
            await network.quiet(render.wait_timeout_s)
            after, chars, matches = await page.evaluate(
                _PAGE_EXTENT, [keep, False, render.wait_for]
            )
            if after == before:
                return
            if render.wait_for:
                if matches is None:  # XPath: as playwright reads it (no frames)
                    matches = await page.locator(playwright_selector(render.wait_for)).count()
                if matches >= max_reviews:
                    return
            if 2 * chars - chars_before > max_chars:
                return
    except PlaywrightError:
        return  # navigating or closed: read as it is


# The fixed (or sticky) layers covering the centre of ``el`` hidden, outermost first: a
# cookie wall or a banner over a "load more" button, which a click would hit instead (and
# wait for until its time-out). Structural: no words read, nothing clicked.
_UNCOVER = """(el) => {
  el.scrollIntoView({block: "center"});
  for (let hidden = 0; hidden < 10; hidden++) {
    const box = el.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!top || el.contains(top) || top.contains(el)) return hidden;
    let layer = null;
    for (let node = top; node && node !== document.documentElement; node = node.parentElement) {
      const position = getComputedStyle(node).position;
      if (position === "fixed" || position === "sticky") layer = node;
    }
    if (!layer) return hidden;
    layer.style.setProperty("display", "none", "important");
  }
  return 10;
}"""


async def _uncover(page: Page, selector: str) -> None:
    """Hide what covers the first ``selector`` element (``_UNCOVER``)."""
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):
        await page.locator(playwright_selector(selector)).first.evaluate(_UNCOVER, timeout=1000)


class PendingRequests:
    """The page's requests in flight, to wait for those an action (a click, a scroll)
    started."""

    QUIET_S = 0.5
    """Shortest wait after the action: its handler may start its requests late."""
    AFTER_LAST_S = 0.2
    """Time after the last of its requests ended: the page draws what it brought."""
    POLL_S = 0.05

    def __init__(self, page: Page) -> None:
        self.pending: set[object] = set()
        self.last_end = 0.0
        # Playwright wraps handlers by setting an attribute: plain functions, not set.add.
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: BrowserRequest) -> None:
        self.pending.add(request)

    def _ended(self, request: BrowserRequest) -> None:
        self.pending.discard(request)
        self.last_end = asyncio.get_running_loop().time()

    async def quiet(self, timeout_s: float) -> None:
        """Return once none of the requests started since the call is in flight, QUIET_S
        after the call and AFTER_LAST_S after the last request ended; or after timeout_s.
        Requests in flight before the call are not awaited: one that never ends (a script
        or a long poll that never answers) would hold every action to its time-out."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        older = set(self.pending)
        while (now := loop.time()) < start + timeout_s:
            if (
                now - start >= self.QUIET_S
                and now - self.last_end >= self.AFTER_LAST_S
                and not self.pending - older
            ):
                return
            await asyncio.sleep(self.POLL_S)

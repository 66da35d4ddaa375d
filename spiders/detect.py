"""``rivalscope targets detect``: how a page carries its reviews, and the source settings to use.

The page is read twice: as the server sends it (what a plain crawl sees) and rendered in
chromium (what a browser shows), recording the JSON the page fetches. Comparing the two says
whether reviews are in the HTML (and which layer reads them: markup, embedded JSON, layout),
arrive by JavaScript (a browser is needed), or come from a JSON endpoint a source can read
directly (``[review_api]``). ``analyse`` is pure; ``read_page`` does the fetching and the
browsing, as a crawl does (``spiders.crawl_probe``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from scrapy.crawler import Crawler

from settings.records import PageExtraction
from settings.targets import Crawler as CrawlerTable
from settings.targets import Limits, toml_string
from settings.written_urls import http_url
from spiders.browser import (
    CHROMIUM_ARGS,
    SKIPPED_RESOURCES,
    HostFilter,
    PendingRequests,
    SocketBudget,
    bounded_content,
    close_walls,
    copy_roots,
)
from spiders.crawl_probe import PageNotRead, fetch, probe_settings, run_in_crawl, time_limit
from spiders.extract.layers import review_carrier, review_layer
from spiders.fetch_problems import RenderedPageTooLarge, max_response_said
from spiders.review_api import MAX_JSON_BYTES, find_next_link, parse_json, reviews_in

RENDER_TIMEOUT_S = 30.0
SETTLE_TIMEOUT_MS = 10_000
MAX_JSON_RESPONSES = 50
"""JSON responses kept per page (bounded memory on chatty pages)."""
MAX_JSON_TOTAL_BYTES = 4 * MAX_JSON_BYTES
"""Bytes of JSON replies' bodies read per page, all together."""
_UNSAID_BOUND = 10_000_000
"""The largest body chromium hands to playwright (larger ones it refuses): what a reply
whose size the browser does not say may hold."""
SIZE_WAIT_S = 2.0
"""How long a finished compressed reply waits for chromium to say its decoded size."""
MAX_SOCKET_MESSAGES = 200
"""Web socket messages read per page (others are passed to the page unread)."""
_PAGE_PARAMS = re.compile(r"^(page|p|pg|page_?number|pagenum)$", re.I)
_OFFSET_PARAMS = re.compile(r"^(offset|start|skip|from)$", re.I)


@dataclass
class JsonResponse:
    """A JSON answer the rendered page fetched."""

    url: str
    reviews: int
    next_link: str | None


@dataclass
class Rendered:
    """The page as chromium shows it, and the JSON it fetched."""

    html: str
    json: list[JsonResponse] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    """Hosts the page requested."""
    robots_refused: list[str] = field(default_factory=list)
    """The page's requests not made: their host's robots.txt disallows them to the crawler
    (or cannot be read)."""
    socket_reviews: dict[str, int] = field(default_factory=dict)
    """Web socket URL -> reviews in the JSON messages the page received over it."""
    socket_messages: int = 0
    """Web socket messages the page received that were read."""
    sockets_closed: list[str] = field(default_factory=list)
    """Web sockets closed: the page's messages passed the response limit (``SocketBudget``)."""
    json_bytes_read: int = 0
    """Bytes of the JSON replies' bodies read into this process (each at most
    ``MAX_JSON_BYTES``, together at most ``MAX_JSON_TOTAL_BYTES``)."""


@dataclass
class Detection:
    """The verdict for one page."""

    url: str
    carriers: list[str]
    """How the page carries its reviews, most useful first (``markup (json-ld)``,
    ``embedded JSON``, ``layout``, ``widget API``, ``needs a browser``, ``none found``)."""
    plain_reviews: int
    rendered_reviews: int | None
    """None when the page was not rendered."""
    declared: int | None
    layers: dict[str, int]
    """Layer -> reviews read by it in the plain HTML."""
    api: JsonResponse | None
    settings: list[str]
    """TOML lines to paste under the source's ``[[company.source]]``."""
    notes: list[str] = field(default_factory=list)


def review_layers(page: PageExtraction) -> dict[str, int]:
    """Layer -> reviews whose text (else rating) it read."""
    counts: Counter[str] = Counter()
    for review in page.reviews:
        counts[review_layer(review.explain)] += 1
    return dict(counts.most_common())


def api_template(url: str, product_ids: list[str]) -> tuple[str, str]:
    """(URL template, pagination) for a JSON endpoint: a product id in the URL becomes
    ``{product_id}``, a page or offset parameter ``{page}`` / ``{offset}``."""
    parsed = urlparse(url)
    query = parse_qsl(parsed.query, keep_blank_values=True)
    paginate = "next"
    out: list[tuple[str, str]] = []
    for key, value in query:
        if value.isdigit() and _PAGE_PARAMS.match(key):
            out.append((key, "{page}"))
            paginate = "page"
        elif value.isdigit() and _OFFSET_PARAMS.match(key):
            out.append((key, "{offset}"))
            paginate = "offset"
        else:
            out.append((key, value))
    text = urlunparse(parsed._replace(query=urlencode(out, safe="{}")))
    for pid in sorted((p for p in product_ids if p and len(p) >= 3), key=len, reverse=True):
        if pid in text:
            text = text.replace(pid, "{product_id}")
            break
    return text, paginate


_ATTRIBUTE = r'([\w:.-]+)="{}"'
_ID_LIKE = re.compile(r"[\w.:-]{3,64}")


def attribute_id(template: str, html: str) -> tuple[str, str] | None:
    """(value, regex) for a product id in an API URL template that the page carries as an
    attribute (``data-product-id="kk42"``, ``data-sku="42-A"``): the regex (first group, the
    form ``review_api.product_id`` takes) finds that value first in ``html``. None when no
    query value or path part of the URL is such an attribute's value."""
    parsed = urlparse(template)
    values = [v for _, v in parse_qsl(parsed.query)] + parsed.path.split("/")
    for value in values:
        if "{" in value or not _ID_LIKE.fullmatch(value) or value.isalpha():
            continue
        for match in re.finditer(_ATTRIBUTE.format(re.escape(value)), html):
            name = match.group(1).replace(".", "\\.")
            pattern = f'{name}="([^"]+)"'
            first = re.search(pattern, html)
            if first is not None and first.group(1) == value:
                return value, pattern
    return None


def analyse(
    url: str,
    plain: PageExtraction,
    rendered: PageExtraction | None,
    rendered_page: Rendered | None,
) -> Detection:
    """What carries the reviews and which source settings read them. Pure."""
    layers = review_layers(plain)
    aggregate = plain.aggregate_rating or (rendered.aggregate_rating if rendered else None)
    declared = aggregate.review_count or aggregate.rating_count if aggregate else None
    carriers = [review_carrier(layer) for layer in layers]
    settings: list[str] = ['mode = "auto"']
    notes: list[str] = []
    rendered_count = len(rendered.reviews) if rendered is not None else None
    api = None
    if rendered_page is not None:
        with_reviews = [j for j in rendered_page.json if j.reviews]
        api = max(with_reviews, key=lambda j: j.reviews, default=None)
    needs_browser = rendered_count is not None and rendered_count > len(plain.reviews)
    if api is not None:
        carriers.append("widget API")
        # The crawl asks the API from the page as the server sends it (the API needs no
        # browser): a SKU only the rendered page shows is no id the crawl would have.
        ids = [o.sku for o in plain.offers if o.sku]
        template, paginate = api_template(api.url, ids)
        if paginate == "next" and api.next_link is None:
            paginate = "none"
        found_id = None
        if "{product_id}" not in template and rendered_page is not None:
            found_id = attribute_id(template, rendered_page.html)
        settings += [
            "",
            "[company.source.review_api]",
            f"url = {toml_string(template.replace(found_id[0], '{product_id}') if found_id else template)}",
            f"paginate = {toml_string(paginate)}",
        ]
        if found_id is not None:
            settings.append(f"product_id = '{found_id[1]}'")  # a literal string: no escapes
            notes.append(
                f"the product id {found_id[0]!r} is read from the page's markup (product_id): "
                "check on another product page that it changes with the product"
            )
        elif "{product_id}" not in template:
            notes.append(
                "the product id in the API URL was not recognised: put {product_id} where it "
                "goes and set review_api.product_id to a regex that finds it in the page"
            )
    if needs_browser:
        carriers.append("needs a browser")
        if api is None:
            page_host = urlparse(url).hostname or ""
            assert rendered_page is not None
            others = sorted(h for h in rendered_page.hosts if h and h != page_host)
            settings.insert(1, 'render = "browser"')
            settings += ["", "[company.source.browser]", "wait_timeout_s = 10"]
            if others:
                quoted = ", ".join(toml_string(h) for h in others)
                settings.append(f"allow_hosts = [{quoted}]  # review the list: keep the widget's")
            notes.append("if a button loads more reviews, set browser.click to its CSS selector")
        else:
            notes.append('render = "browser" would also work; the API needs no browser')
    socket = _socket_with_reviews(rendered_page)
    if socket is not None:
        # No [review_api] reads a socket: the browser reads what the page draws of them.
        carriers.append("web socket")
        url_of, count = socket
        drawn = (
            f"the rendered page shows {rendered_count}"
            if rendered_count
            else "the rendered page shows none of them (yet)"
        )
        notes.append(
            f"reviews arrive over a web socket ({url_of}: {count} in its first messages); "
            f'no review_api reads a socket, render = "browser" reads those the page draws: '
            f"{drawn}"
        )
    if rendered_page is not None and rendered_page.sockets_closed:
        notes.append(
            f"web socket {rendered_page.sockets_closed[0]} closed: the page's socket messages "
            "passed the response limit (limits.max_response_mb), as a crawl closes them"
        )
    if rendered_page is not None and rendered_page.robots_refused:
        refused = rendered_page.robots_refused
        notes.append(
            f"{len(refused)} of the page's requests not made: robots.txt disallows them "
            f"(or could not be read), e.g. {refused[0]}; a crawl does not make them either"
        )
    if not carriers:
        carriers.append("none found")
    if carriers[0] == "layout":
        notes.append(
            "only the layout heuristics read them: `rivalscope targets suggest --url URL` "
            'proposes selectors for mode = "selectors"'
        )
    found = max(len(plain.reviews), rendered_count or 0, api.reviews if api else 0)
    if declared and found < declared:
        # Whether a crawl can reach the rest: it follows the next-page link auto reads (where
        # follow/deny let it), a selectors.next_page, or a browser.click button.
        next_page = plain.next_page or (rendered.next_page if rendered else None)
        reach = (
            f"auto reads the next-page link {next_page}, which a crawl follows where the "
            "source's follow and deny patterns let it (`targets check` says)"
            if next_page
            else "no next-page link found: set selectors.next_page to it, or browser.click to "
            "a button that loads more"
        )
        notes.append(
            f"the page declares {declared} reviews and {found} {'is' if found == 1 else 'are'}"
            f" on it: the rest are on later pages (pagination) or behind a button; {reach}"
        )
    return Detection(
        url=url,
        carriers=list(dict.fromkeys(carriers)),
        plain_reviews=len(plain.reviews),
        rendered_reviews=rendered_count,
        declared=declared,
        layers=layers,
        api=api,
        settings=settings,
        notes=notes,
    )


def _socket_with_reviews(rendered_page: Rendered | None) -> tuple[str, int] | None:
    """(URL, reviews) of the web socket that brought the page the most reviews, if any."""
    if rendered_page is None:
        return None
    found = [(n, url) for url, n in rendered_page.socket_reviews.items() if n]
    if not found:
        return None
    count, url = max(found)
    return url, count


def read_page(
    url: str,
    crawler: CrawlerTable,
    chromium: str | None,
    limits: Limits | None = None,
    *,
    obey_robots: bool = True,
    here: bool = False,
    hosts: tuple[str, ...] = (),
    on_slow: Callable[[str], None] | None = None,
) -> tuple[str, Rendered | None]:
    """The page as the server sends it and, with ``chromium``, as the browser shows it, read
    as a crawl with the targets file's ``[crawler]`` table and a source's ``limits`` reads
    them (``spiders.crawl_probe``): the page is not read if robots.txt refuses it
    (PageNotRead says why), and its own requests that robots.txt refuses are not made.
    ``here``: this process ends after its command, the crawl may run in it
    (``crawl_probe.run_in_crawl``). ``hosts``: those the crawl stays on (default: the page's
    own, as a crawl starting from it); a redirect off them is refused. ``on_slow`` is
    told what is awaited (fetching, rendering) when a step takes over ``SLOW_STEP_S``
    (a module's function: the crawl may run in a child process)."""
    try:
        parsed = http_url(url)  # "http://[::1", "ftp://h/": as the targets file says it
    except ValueError as exc:
        raise PageNotRead(str(exc)) from None
    values = probe_settings(crawler, limits or Limits(), obey_robots=obey_robots)
    rendering = RENDER_TIMEOUT_S if chromium else 0.0
    limit = time_limit(values, 2, rendering)
    hosts = hosts or (parsed.hostname or "",)
    job = partial(_read, url, chromium, hosts, on_slow)
    return run_in_crawl(values, job, limit, here=here)


SLOW_STEP_S = 2.0
"""A step of reading a page that takes longer than this is said (``read_page``)."""


@contextlib.contextmanager
def _said_if_slow(on_slow: Callable[[str], None] | None, what: str) -> Iterator[None]:
    """``on_slow(what)`` once, from a timer thread, if the block is still running after
    ``SLOW_STEP_S``: the user sees what the command waits on, not a silent terminal."""
    if on_slow is None:
        yield
        return
    timer = threading.Timer(SLOW_STEP_S, on_slow, (what,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


async def _read(
    url: str,
    chromium: str | None,
    hosts: tuple[str, ...],
    on_slow: Callable[[str], None] | None,
    crawler: Crawler,
) -> tuple[str, Rendered | None]:
    agent = crawler.settings.get("USER_AGENT")
    with _said_if_slow(on_slow, f"fetching {url} as {agent}"):
        html = (await fetch(crawler, url, hosts)).text()
    if not chromium:
        return html, None
    with _said_if_slow(on_slow, f"rendering {url} in chromium"):
        return html, await render_in_crawl(crawler, url, chromium)


async def render_in_crawl(crawler: Crawler, url: str, chromium: str) -> Rendered:
    """The page rendered in chromium (network idle, bounded, then its modal walls closed as
    a crawl closes them: ``spiders.browser.close_walls``; its open shadow roots and
    same-origin frames copied into its HTML as a crawl's are: ``spiders.browser.copy_roots``)
    with the JSON it fetched; the
    page's own requests are checked against ``crawler``'s robots.txt rules as a crawl's
    rendered pages' are (``spiders.browser.HostFilter``), and not made when refused."""
    agent = str(crawler.settings.get("USER_AGENT"))
    refuse = HostFilter([], crawler).robots_refuse
    # The crawl's response limit (limits.max_response_mb), which bounds the plain fetch too.
    max_chars = crawler.settings.getint("DOWNLOAD_MAXSIZE")
    render = _render(url, agent, chromium, refuse, max_chars)
    try:
        return await asyncio.wait_for(render, RENDER_TIMEOUT_S)
    except TimeoutError:  # said as the rendering's limit, not the whole reading's
        raise PageNotRead(
            f"rendering the page in chromium took longer than {RENDER_TIMEOUT_S:.0f} s"
        ) from None
    except RenderedPageTooLarge as refused:
        raise PageNotRead(
            f"cannot read {url} rendered in chromium: {refused} is over the response limit, "
            f"{max_chars:,} characters ({max_response_said(max_chars)}): not read, as a crawl does not read it; raise the source's "
            "limits.max_response_mb to read such a page"
        ) from None


async def _render(
    url: str,
    agent: str,
    chromium: str,
    refuse: Callable[[str], Awaitable[bool]],
    max_chars: int,
) -> Rendered:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import Response as BrowserResponse
    from playwright.async_api import Route, WebSocketRoute, async_playwright

    result = Rendered(html="")
    pending: list[asyncio.Task[None]] = []
    # The page's web sockets bounded as a crawl's are (closed past the response limit).
    budget = SocketBudget(max_chars, result.sockets_closed.append)

    decoded = _DecodedSizes()

    async def keep_json(response: BrowserResponse) -> None:
        # A body is read into this process only once its size is known to be small: a
        # hostile page's huge reply stays in the browser.
        if len(result.json) >= MAX_JSON_RESPONSES:
            return
        if "json" not in (response.headers.get("content-type") or ""):
            return
        said = await _body_size(response, decoded)
        if said is not None and said > MAX_JSON_BYTES:
            return
        # A size not said (a compressed reply of another site's frame) counts as the most
        # chromium hands over: such replies are read, a few per page, within the total.
        size = _UNSAID_BOUND if said is None else said
        if result.json_bytes_read + size > MAX_JSON_TOTAL_BYTES:
            return
        result.json_bytes_read += size  # reserved before the await: replies read at once
        try:
            body = await response.body()
        except PlaywrightError:
            result.json_bytes_read -= size
            return
        result.json_bytes_read += len(body) - size  # the size may have been a bound
        if len(body) > MAX_JSON_BYTES:  # a size not said, or more than was said
            return
        data = parse_json(body)
        if data is None:
            return
        result.json.append(
            JsonResponse(response.url, len(reviews_in(data, response.url)), find_next_link(data))
        )

    def on_response(response: BrowserResponse) -> None:
        pending.append(asyncio.ensure_future(keep_json(response)))

    async def robots_allow(request_url: str) -> bool:
        if not await refuse(request_url):
            return True
        result.robots_refused.append(request_url)
        return False

    def keep_message(url: str, message: str | bytes) -> None:
        # Playwright hands every message over whole (a routed socket's and its socket events
        # carry them, asked for or not): a big one is dropped on arrival, never parsed nor kept.
        if result.socket_messages >= MAX_SOCKET_MESSAGES or len(message) > MAX_JSON_BYTES:
            return
        result.socket_messages += 1
        data = parse_json(message.encode() if isinstance(message, str) else message)
        if data is not None and url in result.socket_reviews:
            result.socket_reviews[url] += len(reviews_in(data, url))

    async def through_socket(socket: WebSocketRoute) -> None:
        # The browser's request routing never sees a web socket: its handshake obeys
        # robots.txt here as the page's requests do, and its messages are read on their way.
        result.hosts.add(urlparse(socket.url).hostname or "")
        if not await robots_allow(socket.url.replace("ws", "http", 1)):
            await socket.close()
            return
        if len(result.socket_reviews) < MAX_JSON_RESPONSES:
            result.socket_reviews.setdefault(socket.url, 0)
        budget.connect(socket, partial(keep_message, socket.url))

    async def block_heavy(route: Route) -> None:
        request = route.request
        result.hosts.add(urlparse(request.url).hostname or "")
        if request.resource_type in SKIPPED_RESOURCES or not await robots_allow(request.url):
            await route.abort()
        else:
            await route.continue_()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(user_agent=agent)
            await decoded.watch(page)
            await page.route("**", block_heavy)
            await page.route_web_socket("**", through_socket)
            page.on("response", on_response)
            await page.goto(url, wait_until="domcontentloaded")
            # A page whose load event never comes (a script or frame that never answers),
            # or that never goes quiet, is read as it is then.
            for state in ("load", "networkidle"):
                with contextlib.suppress(PlaywrightError):
                    await page.wait_for_load_state(state, timeout=SETTLE_TIMEOUT_MS)
            # A modal wall (a consent or a letter's offer) closed as a crawl closes it: the
            # reviews it holds back come once it is closed. Nothing is known to keep.
            network = PendingRequests(page)
            await close_walls(page, [], SETTLE_TIMEOUT_MS / 1000, network)
            # Read as a crawl reads it: a widget's reviews drawn in an open shadow root or a
            # same-origin frame are in the HTML the crawl's extraction gets.
            await copy_roots(page)
            # Never longer than a crawl reads (RenderedPageTooLarge): the page stays in the
            # browser, out of this process's memory.
            result.html = await bounded_content(page, max_chars)
            await asyncio.gather(*pending, return_exceptions=True)
        finally:
            await browser.close()
    return result


class _DecodedSizes:
    """URL -> the largest decoded body size chromium received for it (its network events,
    ``Network.dataReceived``'s ``dataLength``), as its requests finish: a compressed reply's
    size, which neither its Content-Length nor playwright's ``sizes()`` (the bytes on the
    wire) says. The requests of another site's frame (in its own process) are not seen."""

    def __init__(self) -> None:
        self._received: dict[str, int] = {}
        self._urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self._changed = asyncio.Event()

    async def watch(self, page: Any) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            session = await page.context.new_cdp_session(page)
            session.on("Network.responseReceived", self._response)
            session.on("Network.dataReceived", self._data)
            session.on("Network.loadingFinished", self._finished)
            session.on("Network.loadingFailed", self._failed)
            await session.send("Network.enable")
        except PlaywrightError:  # no sizes: compressed replies are not read
            return

    def _response(self, event: dict[str, Any]) -> None:
        self._urls[event["requestId"]] = event["response"]["url"]
        self._received.setdefault(event["requestId"], 0)

    def _data(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self._received:
            self._received[event["requestId"]] += int(event.get("dataLength") or 0)

    def _finished(self, event: dict[str, Any]) -> None:
        url = self._urls.pop(event["requestId"], None)
        size = self._received.pop(event["requestId"], 0)
        if url is not None:
            self.sizes[url] = max(size, self.sizes.get(url, 0))
            self._changed.set()
            self._changed = asyncio.Event()

    def _failed(self, event: dict[str, Any]) -> None:
        self._urls.pop(event["requestId"], None)
        self._received.pop(event["requestId"], None)

    async def size(self, url: str) -> int | None:
        """The decoded size of ``url``'s finished reply; None if not said within
        ``SIZE_WAIT_S``."""
        loop = asyncio.get_running_loop()
        end = loop.time() + SIZE_WAIT_S
        while url not in self.sizes:
            left = end - loop.time()
            if left <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return self.sizes[url]


_IDENTITY = ("", "identity")
_DEFLATED = ("gzip", "x-gzip", "deflate")
_MAX_INFLATION = 1032
"""The most a byte of deflate data decodes to (258 bytes from 2 bits): a gzip or deflate
reply decodes to at most this many times its size (no such bound for brotli or zstd)."""


async def _body_size(response: Any, decoded: _DecodedSizes) -> int | None:
    """The size of ``response``'s body once it has all arrived, read from the browser
    without its body: its Content-Length, checked first; then the bytes received (the
    request's ``sizes()``), its decoded size when not compressed; for a compressed reply,
    the decoded size chromium says (``_DecodedSizes``), else for a small gzip or deflate one
    the most it can decode to. None when the reply failed, or is compressed and its
    decoded size is not known."""
    from playwright.async_api import Error as PlaywrightError

    headers = response.headers
    length = headers.get("content-length") or ""
    if length.isdigit() and int(length) > MAX_JSON_BYTES:
        return int(length)
    try:
        if await response.finished() is not None:
            return None
        received = (await response.request.sizes())["responseBodySize"]
    except PlaywrightError:
        return None
    if received > MAX_JSON_BYTES:
        return int(received)
    encoding = (headers.get("content-encoding") or "").strip().lower()
    if encoding in _IDENTITY:
        return int(received)
    size = await decoded.size(response.url)
    if size is None and encoding in _DEFLATED and received * _MAX_INFLATION <= MAX_JSON_BYTES:
        return int(received) * _MAX_INFLATION  # at most that (another site's frame's reply)
    return size

"""The download handler of a rendered crawl: scrapy-playwright's, with three changes.

- One handler (one playwright driver, one chromium) serves http and https alike: Scrapy
  builds one handler per scheme, and each of scrapy-playwright's started its own driver
  (a node process) at the crawl's start, and its own chromium for its first page.
- A page is read when its own settling (``spiders.browser.settle_page``, every wait bounded)
  is done: scrapy-playwright awaited the page's load event after each page method, so a page
  whose load never comes (a script or frame that never answers) failed after its time-out.
- Web sockets obey the request filter too (``spiders.browser.HostFilter``): the browser's
  request routing never sees them, so a page's script could open one to any host. Their
  messages, which Playwright hands to this process whole, are bounded per page
  (``spiders.browser.SocketBudget``: the response limit; past it the page's sockets are
  closed and the fetch problem ``web_socket_over_limit`` counted).

Imported by Scrapy from the ``DOWNLOAD_HANDLERS`` setting only (it needs scrapy-playwright,
which ``spiders.browser.require_browser`` asks for first).
"""

from __future__ import annotations

import functools
import logging
import weakref
from typing import Any

from playwright.async_api import Page, WebSocketRoute
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from spiders.browser import SOCKET_OVER_LIMIT, SocketBudget
from spiders.fetch_problems import count_problem

logger = logging.getLogger(__name__)
_BY_CRAWLER: weakref.WeakKeyDictionary[Crawler, RenderingHandler] = weakref.WeakKeyDictionary()


class RenderingHandler(ScrapyPlaywrightDownloadHandler):
    """See the module docstring."""

    closed = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.socket_limit = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        """Bytes of web socket messages a page may exchange (``SocketBudget``)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderingHandler:
        made = _BY_CRAWLER.get(crawler)
        if made is None:
            made = _BY_CRAWLER[crawler] = cls(crawler)
        return made

    async def close(self) -> None:
        # Scrapy closes each scheme's handler: this one is both.
        if not self.closed:
            self.closed = True
            await super().close()

    async def _create_page(self, request: Request, spider: Spider) -> Page:
        page: Page = await super()._create_page(request, spider)
        if self.abort_request is not None:
            budget = SocketBudget(self.socket_limit, self._socket_over_limit)
            await page.route_web_socket("**", functools.partial(self._web_socket, budget))
        return page

    async def _web_socket(self, budget: SocketBudget, socket: WebSocketRoute) -> None:
        """Connect a page's web socket only where its requests may go (host and robots.txt,
        read for the http(s) URL the socket's handshake is), within the page's budget."""
        handshake = socket.url.replace("ws", "http", 1)
        if await self.abort_request.refuses(handshake):
            await socket.close()
        else:
            budget.connect(socket)

    def _socket_over_limit(self, url: str) -> None:
        count_problem(self.stats, SOCKET_OVER_LIMIT)
        logger.info("web socket %s closed: its page's messages passed the response limit", url)

    async def _apply_page_methods(self, page: Page, request: Request, spider: Any) -> None:
        # The page methods, without scrapy-playwright's wait for the load event after each:
        # settle_page bounds its own waits and reads the page as it is when they end.
        for method in request.meta.get("playwright_page_methods") or ():
            method.result = await method.method(page, *method.args, **method.kwargs)

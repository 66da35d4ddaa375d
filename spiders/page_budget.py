"""At most ``limits.max_pages`` pages of a crawl go to the network.

Scrapy's CLOSESPIDER_PAGECOUNT closes the spider once ``max_pages`` responses have arrived,
but the requests in flight by then (up to the source's concurrency) are still fetched: a
source limited to 3 pages fetched 18. A site owner, and a user testing a new target, expect
the limit to bound the load. This middleware lets ``max_pages`` requests through and ignores
the rest, counted in the run as ``over_page_limit``, and closes the crawl once their
``max_pages`` responses have come (``closespider_pagecount``, as Scrapy's extension did).

It counts every fetch of a page, its retries and redirects included, but not robots.txt,
which is no page: a source limited to 3 pages fetched robots.txt and 2 pages, and a host
whose robots.txt readings never end (``spiders.robots_rules``) spent the budget on them.
robots.txt readings are bounded by the robots.txt middleware itself
(``MAX_UNFINISHED_READINGS`` per host and run). A retried answer (429, 503) and a redirect
reach no callback and are none of the run's ``pages`` (``pages_fetched``): a crawl whose
fetches went partly to them never received ``max_pages`` responses, so it is closed at its
page limit too when a request is first refused over it. Before, such a crawl ended
``finished`` (the progress line said "done") with pages left unfetched, and the next run,
taking it for complete, crawled incrementally and never reached them.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro

from spiders.fetch_problems import count_problem
from spiders.robots_rules import is_robots_request

MAX_PAGES_SETTING = "RIVALSCOPE_MAX_PAGES"
"""The source's ``limits.max_pages`` (0: no limit; a distributed worker's run counts its
budget in Redis instead)."""


def pages_fetched(stats: dict[str, Any]) -> int:
    """The pages a crawl's stats say it fetched: its responses, robots.txt's aside."""
    responses = int(stats.get("response_received_count", 0) or 0)
    return max(0, responses - int(stats.get("robotstxt/response_count", 0) or 0))


class PageBudgetMiddleware:
    """See the module docstring; off when the crawl has no page limit."""

    def __init__(self, budget: int, stats: StatsCollector, crawler: Crawler | None = None) -> None:
        self.budget = budget
        self.stats = stats
        self.crawler = crawler
        self.sent = 0
        self.received = 0
        self._closing: Any = None  # the close, kept from the GC

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        budget = crawler.settings.getint(MAX_PAGES_SETTING)
        if budget <= 0 or crawler.stats is None:
            raise NotConfigured
        middleware = cls(budget, crawler.stats, crawler)
        crawler.signals.connect(middleware.response_received, signal=signals.response_received)
        return middleware

    def process_request(self, request: Request, spider: Any = None) -> None:
        if is_robots_request(request):
            return
        if self.sent >= self.budget:
            count_problem(self.stats, "over_page_limit")
            self._close()  # a page the crawl wanted is left out: it ends at its page limit
            raise IgnoreRequest(f"over the source's page limit ({self.budget} pages)")
        self.sent += 1

    def response_received(self, response: Response, request: Request, spider: Any = None) -> None:
        if is_robots_request(request):
            return
        self.received += 1
        if self.received == self.budget:
            self._close()

    def _close(self) -> None:
        """Close the crawl as page-limited (once; the fetches under way end first)."""
        if self._closing is not None or self.crawler is None:
            return
        engine = self.crawler.engine
        if engine is not None:
            self._closing = deferred_from_coro(
                engine.close_spider_async(reason="closespider_pagecount")
            )

"""At most ``limits.max_pages`` requests of a crawl go to the network.

Scrapy's CLOSESPIDER_PAGECOUNT closes the spider once ``max_pages`` responses have arrived,
but the requests in flight by then (up to the source's concurrency) are still fetched: a
source limited to 3 pages fetched 18. A site owner, and a user testing a new target, expect
the limit to bound the load. This middleware lets ``max_pages`` requests through and ignores
the rest, counted in the run as ``over_page_limit``. It counts what the run's ``pages`` and
Scrapy's page count count: every fetch, robots.txt, retries and redirects included.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.statscollectors import StatsCollector

from spiders.fetch_problems import count_problem


class PageBudgetMiddleware:
    """See the module docstring; off when the crawl has no page limit."""

    def __init__(self, budget: int, stats: StatsCollector) -> None:
        self.budget = budget
        self.stats = stats
        self.sent = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        budget = crawler.settings.getint("CLOSESPIDER_PAGECOUNT")
        if budget <= 0 or crawler.stats is None:
            raise NotConfigured
        return cls(budget, crawler.stats)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self.sent >= self.budget:
            count_problem(self.stats, "over_page_limit")
            raise IgnoreRequest(f"over the source's page limit ({self.budget} pages)")
        self.sent += 1

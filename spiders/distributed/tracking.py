"""Spider middleware of distributed crawls: ties each item to the request that yielded it,
so the request stays in its worker's processing hash until its items are stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from settings.records import OfferItem, ReviewItem
from spiders.distributed.keys import TOKEN
from spiders.distributed.scheduler import ReliableScheduler, tracker_of


class RequestTrackingMiddleware:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestTrackingMiddleware:
        if not crawler.settings.get("RIVALSCOPE_RUN_ID"):
            raise NotConfigured("not a distributed crawl")
        return cls(crawler)

    def _tracker(self) -> ReliableScheduler | None:
        return tracker_of(self.crawler)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        token = response.request.meta.get(TOKEN) if response.request is not None else None
        tracker = self._tracker()  # not `if tracker`: a scheduler is falsy when its queue is empty
        try:
            async for element in result:
                if token and tracker is not None and isinstance(element, OfferItem | ReviewItem):
                    setattr(element, TOKEN, token)
                    tracker.hold(token)
                yield element
        finally:
            if token and tracker is not None:
                tracker.request_done(token)

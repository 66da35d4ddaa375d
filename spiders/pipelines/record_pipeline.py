"""The record stages of a crawl (``stages``) as a Scrapy pipeline: a refused record is dropped
and counted by reason in the crawl's stats."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from settings.records import OfferItem, ReviewItem
from spiders.fetch_problems import count_problem
from spiders.pipelines.database import crawler_engine
from spiders.pipelines.stages import prepare_offer, prepare_review
from spiders.pipelines.validate import STAT_PREFIX
from storage.pseudonym import pseudonym_key


class RecordPipeline:
    """Normalise, validate, pseudonymise and the declared language, per record."""

    def __init__(self, crawler: Crawler, key: bytes) -> None:
        self.crawler = crawler
        self.key = key

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        return cls(crawler, pseudonym_key(crawler_engine(crawler)))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, OfferItem):
            problem = prepare_offer(item)
        elif isinstance(item, ReviewItem):
            source = getattr(self.crawler.spider, "source", None)
            problem = prepare_review(item, getattr(source, "language", None), self.key)
        else:
            return item
        assert self.crawler.stats is not None
        if problem is None:
            if isinstance(item, ReviewItem) and item.scale_ignored is not None:
                count_problem(self.crawler.stats, item.scale_ignored)  # kept, scale inferred
            return item
        self.crawler.stats.inc_value(STAT_PREFIX + problem)
        raise DropItem(f"{problem}: {item.url}")

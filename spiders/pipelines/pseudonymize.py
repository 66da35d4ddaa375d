"""Replaces reviewer names by keyed-hash pseudonyms before anything is stored."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from settings.records import ReviewItem
from spiders.pipelines.database import crawler_engine
from storage.pseudonym import pseudonym_key, pseudonymize


class PseudonymizePipeline:
    """Sets ``author_hash`` and clears ``author``."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PseudonymizePipeline:
        return cls(pseudonym_key(crawler_engine(crawler)))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ReviewItem):
            item.author_hash = pseudonymize(item.author, self.key)
            item.author = None
        return item

"""Dropped items are logged at DEBUG with the reason only, never with the review's text."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from spiders.logformatter import QuietDropLogFormatter


def test_dropped_item_log_has_the_reason_not_the_text() -> None:
    crawler = get_crawler(Spider)
    spider = Spider("x")
    spider.crawler = crawler
    item = {"text": "A long private review text " * 20}
    result = QuietDropLogFormatter().dropped(item, DropItem("no text"), None, spider)
    assert result["level"] == logging.DEBUG
    line = result["msg"] % result["args"]
    assert line == "Dropped: no text" and "private" not in line

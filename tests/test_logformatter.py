"""Log output: dropped items at DEBUG with the reason only; quiet logs without tracebacks."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from spiders.logformatter import OneLineErrors, QuietDropLogFormatter, QuietTracebacks


def test_dropped_item_log_has_the_reason_not_the_text() -> None:
    crawler = get_crawler(Spider)
    spider = Spider("x")
    spider.crawler = crawler
    item = {"text": "A long private review text " * 20}
    result = QuietDropLogFormatter().dropped(item, DropItem("no text"), None, spider)
    assert result["level"] == logging.DEBUG
    line = result["msg"] % result["args"]
    assert line == "Dropped: no text" and "private" not in line


def _record_with_error() -> logging.LogRecord:
    try:
        raise ConnectionRefusedError("Connection was refused by other side")
    except ConnectionRefusedError:
        import sys

        return logging.LogRecord(
            "scrapy.x",
            logging.ERROR,
            __file__,
            1,
            "Error downloading %s",
            ("<GET /a>",),
            sys.exc_info(),
        )


def test_one_line_errors_keeps_the_reason_and_drops_the_traceback() -> None:
    record = _record_with_error()
    assert OneLineErrors().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert text == (
        "Error downloading <GET /a> (ConnectionRefusedError: Connection was refused by other side)"
    )


@pytest.mark.parametrize(
    ("level", "installed"), [("DEBUG", False), ("INFO", False), ("WARNING", True), ("ERROR", True)]
)
def test_tracebacks_are_quiet_only_at_warning_and_above(level: str, installed: bool) -> None:
    crawler = get_crawler(Spider, {"LOG_LEVEL": level})
    try:
        QuietTracebacks.from_crawler(crawler)
    except NotConfigured:
        assert not installed
    else:
        assert installed


def test_extensions_off_by_default_log_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    """A worker (log level INFO, no progress line) logged "WARNING: Disabled
    spiders.logformatter.QuietTracebacks: tracebacks are wanted at INFO and DEBUG" and the
    same of the progress line on every run it served: an operator reads a warning where
    nothing is wrong."""
    extensions = {"spiders.logformatter.QuietTracebacks": 0, "spiders.progress.CrawlProgress": 0}
    with caplog.at_level(logging.DEBUG, logger="scrapy.middleware"):
        get_crawler(Spider, {"LOG_LEVEL": "INFO", "EXTENSIONS": extensions})
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []

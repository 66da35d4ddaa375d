"""Scrapy log output: dropped items out of the warning stream, tracebacks out of quiet logs.

Validation drops are expected (they are counted per reason in the crawl run); one
warning line per dropped review would bury the messages that need attention.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.logformatter import LogFormatter, LogFormatterResult


class QuietDropLogFormatter(LogFormatter):
    def dropped(self, *args: Any, **kwargs: Any) -> LogFormatterResult:
        """At DEBUG and without the item: a review's whole text is no log line."""
        result = super().dropped(*args, **kwargs)
        result["level"] = logging.DEBUG
        logged = result["args"]
        exception = logged.get("exception", "") if isinstance(logged, dict) else ""
        result["msg"] = "Dropped: %(exception)s"
        result["args"] = {"exception": exception}
        return result

    def scraped(self, *args: Any, **kwargs: Any) -> LogFormatterResult:
        result = super().scraped(*args, **kwargs)
        result["level"] = logging.DEBUG
        return result


class OneLineErrors(logging.Filter):
    """Log records without their traceback: the exception's last line joins the message.

    Installed when the crawl is quiet (not -v): a dead site or a refused connection is one
    line there (and its reason is in the run's figures), not forty lines of Scrapy internals.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            summary = f"{type(error).__name__}: {error}"
            message = record.getMessage()
            if str(error) not in message:
                record.msg = f"{message} ({summary})"
                record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_tracebacks() -> None:
    """Drop tracebacks from every root handler's output."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, OneLineErrors) for f in handler.filters):
            handler.addFilter(OneLineErrors())


class QuietTracebacks:
    """Extension: one line per logged error when the log level is WARNING or higher.

    Scrapy replaces the root handler whenever a crawler applies its settings, so the filter
    is (re)installed as each spider opens, after its crawler's handler is in place.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietTracebacks:
        level = crawler.settings.get("LOG_LEVEL", "DEBUG")
        if logging.getLevelName(str(level).upper()) < logging.WARNING:
            # Tracebacks are wanted at INFO and DEBUG. No message: Scrapy logs a message of
            # NotConfigured as a WARNING ("Disabled ...: ..."), on every run of a worker.
            raise NotConfigured
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        quiet_tracebacks()

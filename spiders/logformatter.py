"""Scrapy log formatter that keeps dropped items out of the warning stream.

Validation drops are expected (they are counted per reason in the crawl run); one
warning line per dropped review would bury the messages that need attention.
"""

from __future__ import annotations

import logging
from typing import Any

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

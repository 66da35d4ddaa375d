"""A page whose bytes contradict its declared encoding is read in the bytes' own.

Scrapy reads a page in the ``Content-Type`` header's charset first; where the bytes are
surely in another encoding (``spiders.extract.encoding_check``: a UTF-8 page declared
Latin-1, a Windows-1250 page declared UTF-8 whose ``<meta charset>`` says so), the response
is handed on in that one, so that reviews are stored with the letters their writers typed.
Counted as the fetch problem ``encoding_corrected``.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

from spiders.extract.encoding_check import better_encoding
from spiders.fetch_problems import count_problem


class MisdeclaredEncodingMiddleware:
    """See the module docstring."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MisdeclaredEncodingMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        if not isinstance(response, TextResponse):
            return response
        surely = better_encoding(response.body, response.encoding)
        if surely is None:
            return response
        count_problem(self.stats, "encoding_corrected")
        return response.replace(encoding=surely)

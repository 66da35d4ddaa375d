"""Scrapy's retries, honouring ``Retry-After`` up to a per-source cap.

Scrapy's RetryMiddleware retries a 429 or 503 at once, whatever the server asked: three
requests within a tenth of a second to a site that asked for an hour's pause. Here a
response that names a wait within ``RIVALSCOPE_MAX_RETRY_AFTER_S`` is retried after that
wait; a longer wait is recorded (``fetch/retry_after_over_cap``) and not retried, so the
page counts as an HTTP error of the run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from spiders.fetch_problems import OVER_CAP_FLAG, count_problem

RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta seconds or an HTTP date); None if
    absent or unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text) if len(text) <= 12 else float("inf")
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """See the module docstring."""

    max_wait: float = 60.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("RIVALSCOPE_MAX_RETRY_AFTER_S", 60.0)
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = (
            retry_after_seconds(response.headers.get(b"Retry-After"))
            if response.status in RETRY_AFTER_STATUSES
            else None
        )
        if wait is None:
            return super().process_response(request, response)
        stats = self.crawler.stats
        assert stats is not None
        if wait > self.max_wait:
            count_problem(stats, "retry_after_over_cap")
            response.flags.append(OVER_CAP_FLAG)  # counted: not "unavailable" as well
            return response
        retry = self._retry(request, f"{response.status} Retry-After {wait:g} s")
        if retry is None:
            return response
        count_problem(stats, "retry_after_waited")
        if wait > 0:
            from twisted.internet import reactor  # the one Scrapy installed

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry

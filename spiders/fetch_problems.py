"""Why a page could not be fetched, by reason, for ``crawl_run.fetch_problems``.

Scrapy refuses hostile responses in several places (the download handler cancels a body
over DOWNLOAD_MAXSIZE, HttpCompressionMiddleware stops a decompression bomb at the same
size, RedirectMiddleware gives up after REDIRECT_MAX_TIMES, OffsiteMiddleware drops a
redirect to another host) and reports each as a failure on the request's errback. This
module names the reason of such a failure; the stats keys ``rivalscope/fetch/<reason>``
become the run's ``fetch_problems``. The run's other skipped values are counted there too:
links left over the queue limit, pages and JSON blocks too costly to read in full, review
scales ignored (``raw_fields.SCALE_REFUSALS``).
"""

from __future__ import annotations

import contextlib
import gzip
import re
import zlib
from functools import cache
from urllib.parse import urljoin, urlparse

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectError,
    ConnectionDone,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from spiders.extract.review_limit import REVIEWS_OVER_LIMIT
from spiders.raw_fields import SCALE_REFUSALS
from spiders.robots_rules import RobotsUnreadable

PROBLEM_PREFIX = "rivalscope/fetch/"


class RenderedPageTooLarge(Exception):
    """A browser-rendered page grew past the source's response limit; it is not read."""


_SIZE_REFUSALS = {
    "response_too_large": ("body over {limit:,} bytes", "download cancelled"),
    "decompressed_too_large": ("body over {limit:,} bytes once decompressed", "not read"),
    "rendered_too_large": ("rendered page over {limit:,} characters", "not read"),
}


def size_refusal_said(reason: str, limit: int) -> str | None:
    """What a page refused for its size (``*_too_large``) was, with the limit in force
    (``limit``: DOWNLOAD_MAXSIZE, the source's ``limits.max_response_mb``) and the setting
    that raises it; None for another reason."""
    if reason not in _SIZE_REFUSALS:
        return None
    what, done = _SIZE_REFUSALS[reason]
    return f"{what.format(limit=limit)} ({max_response_said(limit)}): {done}"


def max_response_said(limit: int) -> str:
    """The setting that makes the response limit ``limit`` (bytes, a rendered page's
    characters), with its value: ``limits.max_response_mb = 10``."""
    return f"limits.max_response_mb = {limit / 2**20:.4g}"


REASONS: dict[str, str] = {
    "response_too_large": "body larger than limits.max_response_mb (download cancelled)",
    "rendered_too_large": "rendered page larger than limits.max_response_mb (not read)",
    "decompressed_too_large": "body larger than limits.max_response_mb once decompressed",
    "undecodable_body": "a body its Content-Encoding (gzip, deflate, br, zstd) does not "
    "decode: not read",
    "web_socket_over_limit": "a rendered page whose web sockets' messages passed "
    "limits.max_response_mb together: its sockets closed (spiders.browser.SocketBudget)",
    "response_over_warn_size": "body larger than limits.warn_response_mb (kept)",
    "redirect_loop": "more redirects than limits.max_redirects",
    "offsite_redirect": "redirected to a host the source does not allow",
    "redirect_scheme_refused": "redirected to a URL that is not http or https (data:, file:, "
    "javascript:...): not followed",
    "timeout": "no complete answer within limits.download_timeout_s",
    "retry_after_over_cap": "429/503 asking to wait longer than limits.max_retry_after_s",
    "retry_after_waited": "429/503 retried after the Retry-After wait",
    "no_answer": "no answer: connection refused or reset, host name not found, TLS failed "
    "(the site down or unreachable)",
    "unavailable": "429, 502, 503 or 504 still after the retries: the page was not served "
    "in this run",
    "memory_limit": "crawl stopped at limits.max_memory_mb",
    "over_page_limit": "a request not sent: the crawl had fetched limits.max_pages pages",
    "links_over_limit": "a page whose links were left: the crawl had queued 4 x "
    "limits.max_pages + 1,000 links already",
    "elements_over_limit": "a page with more than 50,000 tags: only its first 50,000 read "
    "(spiders.tag_budget)",
    "tag_attributes_over_limit": "an element with more than 1,000 attributes: only its first "
    "1,000 read (spiders.extract.attribute_budget)",
    "page_attributes_over_limit": "a page with more than 100,000 attributes: read up to the "
    "tag that passes them (spiders.extract.attribute_budget)",
    REVIEWS_OVER_LIMIT: "a page (or review-API answer) with more reviews than "
    "limits.max_reviews: only the first read",
    "json_too_deep": "a JSON block (JSON-LD or script state) nested past the decoder's "
    "recursion limit (about 1,000 levels): skipped",
    "robots_unreadable": "robots.txt could not be read (error, time-out, 5xx, 429): the host "
    "is not crawled in this run",
    "encoding_corrected": "bytes in another encoding than the one declared (a UTF-8 page "
    "served as Latin-1, ...): read in the bytes' own",
    "review_api_no_product_id": "a product page on which the review API's product id was not "
    "found (review_api.product_id, else the product's SKU): the API was not asked for it",
    **SCALE_REFUSALS,
}
"""Every reason this module or the crawl records, with what it means."""

UNREACHED_REASONS = frozenset(
    {
        "no_answer",
        "unavailable",
        "timeout",
        "retry_after_over_cap",
        "robots_unreadable",
    }
)
"""Problems that leave pages of the site unread in a run for reasons of the moment (the
site down, busy or slow), not of the pages: the next run then crawls in full, as after an
interrupted one, instead of stopping at pages whose reviews are known (it would never reach
the pages this run could not read). A page that answers 404 or 500 is the page's problem
and does not count."""

OVER_CAP_FLAG = "retry_after_over_cap"
"""A response flag: a 429/503 not retried because its Retry-After is over the cap."""

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
"""HTTP statuses that say "not now" (``unavailable`` when they remain after the retries)."""


def count_problem(stats: StatsCollector, reason: str) -> None:
    """Count one fetch problem of the run."""
    stats.inc_value(PROBLEM_PREFIX + reason)


_NO_ANSWER = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    ResponseDataLossError,
    ConnectError,
    ConnectionDone,
    ConnectionLost,
    DNSLookupError,
    ResponseFailed,
)
"""Failures of a download that got no (whole) answer: Scrapy's retry list, OSError aside."""


_WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,30}")
# Scrapy's Request refuses a URL without "://" (javascript:alert(1), mailto:): the redirect
# middleware raises this building the request of such a Location.
_NO_SCHEME = re.compile(r"^Missing scheme in request url: ([A-Za-z][A-Za-z0-9+.-]{0,30}):")


def redirect_scheme(response: Response) -> str | None:
    """The scheme of the URL a 3xx answer redirects to when it is not http(s), which Scrapy
    does not follow (it hands on the 3xx itself): ``"data"``, ``"file"``..."""
    location = response.headers.get(b"Location")
    if not 300 <= response.status < 400 or not location:
        return None
    try:
        scheme = urlparse(urljoin(response.url, location.decode("latin-1").strip())).scheme
    except ValueError:  # "http://[broken": no URL at all
        return None
    scheme = scheme.lower()
    if scheme in _WEB_SCHEMES or not _SCHEME.fullmatch(scheme):
        return None
    return scheme


def refused_redirect_said(scheme: str) -> str:
    """A redirect to a ``scheme`` URL, not followed, in words."""
    return f"redirects to a {scheme}: URL, not followed (only http and https are crawled)"


def refused_redirect_scheme(failure: Failure) -> str | None:
    """The scheme of a redirect not followed because it is not http(s), or None."""
    value = failure.value
    if isinstance(value, HttpError):
        return redirect_scheme(value.response)
    if isinstance(value, ValueError):
        found = _NO_SCHEME.match(str(value))
        return found[1].lower() if found else None
    return None


def failure_reason(failure: Failure) -> str | None:
    """The fetch-problem reason of a failed request, or None for other failures
    (robots.txt refusals, HTTP error statuses other than ``TRANSIENT_STATUSES``)."""
    value = failure.value
    if refused_redirect_scheme(failure) is not None:
        return "redirect_scheme_refused"
    if isinstance(value, HttpError):
        response = value.response
        if OVER_CAP_FLAG in response.flags:  # counted as retry_after_over_cap already
            return None
        return "unavailable" if response.status in TRANSIENT_STATUSES else None
    if isinstance(value, RobotsUnreadable):
        return "robots_unreadable"
    if isinstance(value, RenderedPageTooLarge):
        return "rendered_too_large"
    if isinstance(value, DownloadCancelledError | CancelledError):
        return "response_too_large"
    if isinstance(value, DownloadTimeoutError | TwistedTimeoutError | TCPTimedOutError):
        return "timeout"
    if isinstance(value, IgnoreRequest):
        message = str(value)
        if "during decompression" in message:
            return "decompressed_too_large"
        if "max redirections" in message:
            return "redirect_loop"
        if "offsite" in message.lower():
            return "offsite_redirect"
        return None
    if isinstance(value, _NO_ANSWER):
        return "no_answer"
    if isinstance(value, _decoder_errors()):
        return "undecodable_body"
    return None


@cache
def _decoder_errors() -> tuple[type[BaseException], ...]:
    """What HttpCompressionMiddleware lets through from a decoder a body is not fit for
    (brotli's and zstd's where installed: Scrapy decodes those only then)."""
    errors: list[type[BaseException]] = [zlib.error, gzip.BadGzipFile]
    with contextlib.suppress(ImportError):
        import brotli

        errors.append(brotli.error)
    with contextlib.suppress(ImportError):
        from backports import zstd

        errors.append(zstd.ZstdError)
    return tuple(errors)

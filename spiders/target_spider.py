"""The one generic spider: crawls a source of the targets file.

``scrapy crawl target -a source=NAME [-a targets=targets.toml]`` from the repository
root, or ``rivalscope crawl``. Extraction is delegated to the pure functions in
``spiders.extract``; this module only decides what to fetch next.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from settings.content_keys import review_content_key
from settings.languages import normalize_language_code
from settings.pause_points import pause_point
from settings.records import OfferItem, PageExtraction, ReviewItem
from settings.targets import Company, Limits, ReviewApi, Source, Targets, load_targets
from settings.url_patterns import UrlFilter
from spiders.download_errors import error_message
from spiders.extract.attribute_budget import ATTRIBUTE_REASONS, within_attribute_budget
from spiders.extract.review_limit import REVIEWS_OVER_LIMIT
from spiders.extract.selectors import extract_with_selectors
from spiders.fetch_problems import (
    REASONS,
    count_problem,
    failure_reason,
    refused_redirect_said,
    refused_redirect_scheme,
    size_refusal_said,
)
from spiders.page_budget import MAX_PAGES_SETTING
from spiders.raw_fields import clean_text, key_date
from spiders.render_budget import RENDER_PAGES_SETTING
from spiders.tag_budget import MAX_PAGE_TAGS, within_tag_budget

STAT = "rivalscope"


START_PAUSE_POINT = "spider-start"
"""``settings.pause_points``: a crawler's spider is made, its settings not applied yet."""


@dataclass(frozen=True)
class _ApiState:
    """Where a product's review-API pagination stands."""

    api: ReviewApi
    pid: str
    page_url: str
    main: OfferItem | None
    """The product whose page asked the API; None for a shop-wide widget (``shop_wide``)."""
    index: int
    page_language: str | None = None
    """The language the product page declares (its reviews' ``page_language``)."""


def extract_page(html: str, url: str, source: Source) -> PageExtraction:
    """Run the source's extraction mode on one page."""
    if source.mode == "selectors" and source.selectors is not None:
        bounded, skipped = within_attribute_budget(html)  # auto mode's parse bounds its own
        page = extract_with_selectors(
            bounded,
            url,
            source.selectors,
            language=source.language,
            max_reviews=source.limits.max_reviews,
        )
        page.skipped.extend(skipped)
        return page
    from spiders.extract.auto import extract_auto

    page = extract_auto(html, url, max_reviews=source.limits.max_reviews)
    if source.selectors is not None:  # auto + [selectors]: single fields overridden
        from spiders.extract.selector_overlay import overlay_selectors

        if ATTRIBUTE_REASONS.intersection(page.skipped):
            html, _ = within_attribute_budget(html)
        overlay_selectors(page, html, source.selectors, source.limits.max_reviews)
    return page


def _declaring_offer(offers: list[OfferItem], main: OfferItem) -> OfferItem:
    """The offer a page's declared review count belongs to: its product, or on a variant
    page the variant the shopper's view shows. The view is stored as no product (its
    reviews go to that variant), so a count left on it would be keyed by a product no
    other process of the crawl knows, and lost from the run's coverage."""
    if main.variant_sku:
        for offer in offers[1:]:
            if offer.variant_sku is None and offer.sku == main.variant_sku:
                return offer
    return main


def _truncated(response: TextResponse) -> bool:
    """An HTML page cut off in transfer or by a broken server has no closing tag."""
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if b"html" not in content_type:
        return False
    # In the page's own encoding: a UTF-16 page's bytes hold no ASCII "</html".
    tail = response.text[-4096:].lower()
    return "</html" not in tail and "</body" not in tail


_MIB = 1024 * 1024


def max_response_bytes(limits: Limits) -> int:
    """The largest page a source reads: downloaded bytes, and a rendered page's characters."""
    return int(limits.max_response_mb * _MIB)


def warn_response_bytes(limits: Limits) -> int:
    """The page size past which a source's crawl logs a warning."""
    return int(limits.warn_response_mb * _MIB)


def fetch_settings(limits: Limits) -> dict[str, object]:
    """How the crawl of a source with ``limits`` fetches one URL: size, time and redirect
    bounds (also those of ``spiders.crawl_probe``'s reading of a page)."""
    return {
        "DOWNLOAD_MAXSIZE": max_response_bytes(limits),
        "DOWNLOAD_WARNSIZE": warn_response_bytes(limits),
        "DOWNLOAD_TIMEOUT": limits.download_timeout_s,
        "REDIRECT_MAX_TIMES": limits.max_redirects,
        "RIVALSCOPE_MAX_RETRY_AFTER_S": limits.max_retry_after_s,
    }


FOLLOW_PER_PAGE_LIMIT = 4
FOLLOW_SLACK = 1000
"""A crawl follows at most ``FOLLOW_PER_PAGE_LIMIT * limits.max_pages + FOLLOW_SLACK``
different links: it fetches at most ``max_pages`` pages anyway, and a page of 200,000 links
queued 200,000 requests (800 MB, past ``max_memory_mb``, for a crawl of 20 pages)."""


class TargetSpider(scrapy.Spider):
    """Crawls one source: follows in-domain links and pagination, yields offers and reviews."""

    name = "target"

    def __init__(
        self,
        source: str | Source | None = None,
        targets: str | Targets | None = None,
        company: Company | None = None,
        **kwargs: Any,
    ) -> None:
        if source is None:
            raise ValueError("give the source to crawl: scrapy crawl target -a source=NAME")
        if isinstance(source, Source):
            if company is None:
                raise ValueError("a Source object needs its Company")
            self.source, self.company = source, company
            self.crawler_table = targets.crawler if isinstance(targets, Targets) else None
        else:
            loaded = (
                targets if isinstance(targets, Targets) else load_targets(targets or "targets.toml")
            )
            self.company, self.source = loaded.find_source(source)
            self.crawler_table = loaded.crawler
        super().__init__(name=self.name, **kwargs)
        self.allowed_domains = self.source.domains()
        self.warn_size = warn_response_bytes(self.source.limits)
        self.known_review_keys: set[str] = set()
        self.refused: str | None = None
        self.incremental_allowed = False
        # follow/deny run on RE2 (linear time) here, not in LinkExtractor's Python regexes.
        self._patterns = UrlFilter(self.source.follow, self.source.deny)
        self._links = LinkExtractor(deny_extensions=None)
        self._followed: set[str] = set()
        self._follow_limit = FOLLOW_PER_PAGE_LIMIT * self.source.limits.max_pages + FOLLOW_SLACK

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TargetSpider:
        spider: TargetSpider = super().from_crawler(crawler, *args, **kwargs)
        pause_point(START_PAUSE_POINT, 0)  # tests: Ctrl-C while a crawler is set up
        spider._apply_source_settings(crawler)
        crawler.signals.connect(spider.on_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        return spider

    def _apply_source_settings(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if settings.frozen:
            return
        polite, limits = self.source.politeness, self.source.limits
        if self.crawler_table is not None:  # the targets file's [crawler] table
            for name, value in self.crawler_table.scrapy_settings().items():
                settings.set(name, value, priority="spider")
        settings.set("ROBOTSTXT_OBEY", polite.obey_robots, priority="spider")
        settings.set("AUTOTHROTTLE_ENABLED", polite.autothrottle, priority="spider")
        if polite.download_delay is not None:
            settings.set("DOWNLOAD_DELAY", polite.download_delay, priority="spider")
            settings.set(
                "AUTOTHROTTLE_START_DELAY", max(polite.download_delay, 0.01), priority="spider"
            )
        if polite.concurrency is not None:
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", polite.concurrency, priority="spider")
            settings.set(
                "AUTOTHROTTLE_TARGET_CONCURRENCY", float(polite.concurrency), priority="spider"
            )
        # Our page budget, not Scrapy's CLOSESPIDER_PAGECOUNT (spiders.page_budget).
        settings.set(MAX_PAGES_SETTING, limits.max_pages, priority="spider")
        settings.set("CLOSESPIDER_TIMEOUT", limits.timeout_s, priority="spider")
        settings.set("DEPTH_LIMIT", limits.max_depth, priority="spider")
        settings.set("RIVALSCOPE_MAX_MEMORY_MB", limits.max_memory_mb, priority="spider")
        for name, value in fetch_settings(limits).items():
            settings.set(name, value, priority="spider")
        if self.source.render == "browser":
            from spiders.browser import browser_settings, require_browser

            chromium = require_browser([self.source.name])
            settings.set(RENDER_PAGES_SETTING, self.source.browser.max_pages, priority="spider")
            for key, value in browser_settings(self.source, chromium, crawler).items():
                settings.set(key, value, priority="spider")
        if not polite.obey_robots:
            self.logger.warning(
                "robots.txt is NOT obeyed for source %s (targets file)", self.source.name
            )

    async def start(self) -> AsyncIterator[Any]:
        if self.refused is not None:  # another crawl of the source runs (store pipeline)
            return
        if self.crawler.settings.getint("RIVALSCOPE_RUN_ID"):
            return  # a distributed worker: `crawl --distributed` queued the start requests
        for request in self.start_requests_of_source():
            yield request

    def start_requests_of_source(self) -> Iterator[scrapy.Request]:
        """The source's first requests (its start pages and sitemap)."""
        for url in self.source.start_urls:
            yield self.page_request(url)
        if self.source.sitemap:
            yield scrapy.Request(
                self.source.sitemap, callback=self.parse_sitemap, errback=self.on_error
            )

    # -- callbacks -------------------------------------------------------------

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if response.url.endswith("/robots.txt"):
            urls = list(sitemap_urls_from_robots(response.text, base_url=response.url))
            yield from (
                scrapy.Request(u, callback=self.parse_sitemap, errback=self.on_error) for u in urls
            )
            return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on garbage
            self._error(f"{response.url}: not a sitemap ({exc})")
            return
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(loc, callback=self.parse_sitemap, errback=self.on_error)
            elif self._wanted(loc):
                yield self.page_request(loc)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"{STAT}/pages_parsed")  # a page answered (robots.txt and errors aside)
        if not isinstance(response, TextResponse):
            return
        read = within_tag_budget(response) or response  # extraction and links parse this
        if read is not response:
            count_problem(stats, "elements_over_limit")
            self._sample(f"{response.url}: over {MAX_PAGE_TAGS:,} tags, only the first read")
        try:
            page = extract_page(read.text, read.url, self.source)
            if self.source.browser.click_replaces and "playwright_page_methods" in response.meta:
                page.reviews = self._reviews_before_clicks(response) + page.reviews
        except Exception as exc:
            # Extraction is written not to raise; if it does, the page is lost, not the crawl.
            self._error(f"{response.url}: extraction failed ({type(exc).__name__}: {exc})")
            page = PageExtraction(url=response.url)
        if len(response.body) > self.warn_size:
            count_problem(stats, "response_over_warn_size")
        if _truncated(response):
            page.warnings.append("truncated HTML: the page ends before </html>")
        for reason in page.skipped:
            count_problem(stats, reason)
        if ATTRIBUTE_REASONS.intersection(page.skipped):
            # The link extractor parses the page again: the same bound, or the same cost.
            bounded, _ = within_attribute_budget(read.text)
            read = read.replace(body=bounded.encode("utf-8"), encoding="utf-8")
        if page.warnings:
            stats.inc_value(f"{STAT}/pages_with_warnings")
            self._sample(f"{response.url}: {'; '.join(page.warnings)[:200]}")
            for warning in page.warnings:
                self.logger.debug("%s: %s", response.url, warning)
        holds = self.source.holds
        aggregate = page.aggregate_rating
        # A listing's cards are no page's product: its ratings and reviews are none of theirs.
        main = page.offers[0] if page.offers and not page.offers[0].listing else None
        if main is not None and aggregate is not None:
            declaring = _declaring_offer(page.offers, main)
            declaring.reviews_declared = aggregate.review_count or aggregate.rating_count
        if holds in ("offers", "both"):
            for offer in page.offers:
                offer.company, offer.source = self.company.name, self.source.name
                stats.inc_value(f"{STAT}/offers_scraped")
                yield offer
        review_keys: list[str] = []
        if holds in ("reviews", "both"):
            language = normalize_language_code(page.language)
            yield from self._emit_reviews(page.reviews, main, review_keys, language)
            api = self.source.review_api
            if api is not None:
                yield from self._review_api_start(api, response, main, language)
        yield from self._follow(read, page, review_keys)

    def _reviews_before_clicks(self, response: TextResponse) -> list[ReviewItem]:
        """Reviews a "next" button replaced: read from the page as it was before each click."""
        from spiders.browser import pages_before_clicks

        return [
            review
            for html in pages_before_clicks(response.meta)
            for review in extract_page(html, response.url, self.source).reviews
        ]

    def _emit_reviews(
        self,
        reviews: list[ReviewItem],
        main: OfferItem | None,
        keys: list[str],
        page_language: str | None,
    ) -> Iterator[ReviewItem]:
        """The reviews of one page or API response with source, product, content key and
        the language their page declares."""
        stats = self.crawler.stats
        assert stats is not None
        limit = self.source.limits.max_reviews
        if len(reviews) > limit:  # an API answer, or a page with the pages before its clicks
            count_problem(stats, REVIEWS_OVER_LIMIT)
        for review in reviews[:limit]:
            review.company, review.source = self.company.name, self.source.name
            review.page_language = page_language
            if review.product_name is None and main is not None:
                review.product_name, review.product_sku = main.name, main.sku
            review.content_key = review_content_key(
                external_id=review.external_id,
                text=review.text,
                title=review.title,
                rating_raw=review.rating_raw if review.rating_raw is not None else review.rating,
                date_raw=key_date(review.date_raw),
                author=review.author,
                product=review.product_sku or review.product_name,
            )
            keys.append(review.content_key)
            stats.inc_value(f"{STAT}/reviews_scraped")
            yield review

    # -- a review widget's JSON API ------------------------------------------------

    def _review_api_start(
        self,
        api: ReviewApi,
        response: TextResponse,
        main: OfferItem | None,
        page_language: str | None,
    ) -> Iterator[scrapy.Request]:
        from spiders.review_api import api_url, product_id, shop_wide

        pid: str | None = ""
        if shop_wide(api):
            # The shop's reviews, whichever page asks (the duplicate filter asks once): they
            # were stored as the reviews of the first product page that asked.
            main = None
        elif main is None:
            return  # a product's widget, on a page without a product
        elif "{product_id}" in api.url:
            pid = product_id(api, response.text, response.url, main.sku)
        if pid is None:
            assert self.crawler.stats is not None
            count_problem(self.crawler.stats, "review_api_no_product_id")
            self._sample(f"{response.url}: no product id for the review API")
            return
        state = _ApiState(
            api=api, pid=pid, page_url=response.url, main=main, index=0, page_language=page_language
        )
        yield self._api_request(api_url(api, pid, response.url, 0), state)

    def _api_request(self, url: str, state: _ApiState) -> scrapy.Request:
        from spiders.review_api import MAX_JSON_BYTES

        return scrapy.Request(
            url,
            callback=self.parse_review_api,
            errback=self.on_error,
            meta={"review_api": state, "download_maxsize": MAX_JSON_BYTES},
            headers={"Accept": "application/json"},
        )

    def parse_review_api(self, response: Response) -> Iterator[Any]:
        """One JSON response of a review widget: its reviews, then the next response."""
        from spiders.review_api import next_url, parse_json, reviews_in

        stats = self.crawler.stats
        assert stats is not None
        state: _ApiState = response.meta["review_api"]
        data = parse_json(response.body)
        if data is None:
            self._error(f"{response.url}: the review API did not answer with JSON")
            return
        stats.inc_value(f"{STAT}/review_api_responses")
        left: list[str] = []
        try:
            reviews = reviews_in(data, response.url, self.source.limits.max_reviews, left)
        except Exception as exc:  # the reader is written not to raise; a page is lost at most
            self._error(f"{response.url}: reading reviews failed ({type(exc).__name__}: {exc})")
            return
        if left:  # more reviews in the answer than limits.max_reviews
            count_problem(stats, REVIEWS_OVER_LIMIT)
        keys: list[str] = []
        yield from self._emit_reviews(reviews, state.main, keys, state.page_language)
        if keys and self.incremental_allowed and all(k in self.known_review_keys for k in keys):
            stats.inc_value(f"{STAT}/incremental_stops")
            return
        following = next_url(
            state.api, data, response.url, state.pid, state.page_url, state.index, len(reviews)
        )
        if following:
            yield self._api_request(following, replace(state, index=state.index + 1))

    def _follow(
        self, response: TextResponse, page: PageExtraction, review_keys: list[str]
    ) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        assert stats is not None
        all_known = bool(review_keys) and all(k in self.known_review_keys for k in review_keys)
        if page.next_page and self._wanted(page.next_page):
            if all_known and self.incremental_allowed:
                # Newest first: a page of reviews we all have means the rest is stored too.
                stats.inc_value(f"{STAT}/incremental_stops")
            else:
                yield self.page_request(response.urljoin(page.next_page))
        here = urlparse(response.url).path
        for link in self._links.extract_links(response):
            # Other pages of the same path are pagination, followed only through next_page
            # so that incremental stops hold.
            parsed = urlparse(link.url)
            if parsed.path == here or not self._on_allowed_host(parsed.hostname):
                continue
            if not self._patterns.wanted(link.url) or link.url in self._followed:
                continue
            if len(self._followed) >= self._follow_limit:
                count_problem(stats, "links_over_limit")  # once per page: the rest is left
                return
            self._followed.add(link.url)
            yield self.page_request(link.url)

    def page_request(self, url: str) -> scrapy.Request:
        """A request for a page to extract, rendered in the browser for a source with
        ``render = "browser"`` while the run's ``browser.max_pages`` allows
        (``spiders.render_budget``: later pages are fetched plainly, and counted)."""
        meta: dict[str, Any] = {}
        if self.source.render == "browser":
            # Every page asks to be rendered; the run's render budget decides when it is
            # downloaded (spiders.render_budget: browser.max_pages for the whole run).
            from spiders.browser import render_meta

            # No crawler where a distributed run's start pages are queued: a worker's
            # browser context has the agent from its settings (PLAYWRIGHT_CONTEXTS).
            crawler = getattr(self, "crawler", None)
            meta = render_meta(
                self.source.browser,
                max_response_bytes(self.source.limits),
                self.source.limits.max_reviews,
                crawler.settings.get("USER_AGENT") if crawler is not None else None,
            )
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta=meta)

    def _on_allowed_host(self, host: str | None) -> bool:
        # LinkExtractor's allow_domains compares host:port, so ports would never match.
        if not host:
            return False
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _wanted(self, url: str) -> bool:
        return self._patterns.wanted(url)

    # -- errors ------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """A download failed or the server answered >= 400: count it, keep crawling."""
        request = getattr(failure, "request", None)
        done = getattr(self, "request_done", None)  # distributed runs: the request is over
        if done is not None and request is not None:
            done(request)
        stats = self.crawler.stats
        assert stats is not None
        if self.source.render == "browser":
            from spiders.browser import failed_by_stop

            if failed_by_stop(self.crawler, failure.value):
                return
        reason = failure_reason(failure)
        if reason is not None:
            count_problem(stats, reason)
        elif failure.check(IgnoreRequest) and not failure.check(HttpError):
            return  # robots.txt said no (counted by Scrapy as robotstxt/forbidden)
        stats.inc_value(f"{STAT}/http_errors")
        request = getattr(failure, "request", None)
        scheme = refused_redirect_scheme(failure)
        if isinstance(failure.value, HttpError) and scheme is None:
            response = failure.value.response
            self._sample(f"HTTP {response.status} {response.url}")
            return
        if isinstance(failure.value, HttpError):
            url = failure.value.response.url
        else:
            url = request.url if request is not None else "?"
        kind = reason or (failure.type.__name__ if failure.type else "error")
        if scheme is not None:
            said = refused_redirect_said(scheme)
        else:
            said = error_message(failure.value) if failure.value else failure.getErrorMessage()
        self._sample(f"{kind}: {url}: {said.strip() or self._problem_said(reason)}")

    def _problem_said(self, reason: str | None) -> str:
        """What a problem whose error says nothing was (a body cut off at the size limit)."""
        said = size_refusal_said(reason or "", max_response_bytes(self.source.limits))
        return said or REASONS.get(reason or "", "no message")

    def on_scheduled(self, request: scrapy.Request) -> None:
        """A redirect to another host: Scrapy's OffsiteMiddleware drops it silently as it is
        scheduled, so it is recorded here."""
        if "redirect_times" in request.meta and not self._on_allowed_host(
            urlparse(request.url).hostname
        ):
            self._redirect_problem("offsite_redirect", request)

    def on_dropped(self, request: scrapy.Request) -> None:
        """A redirect back to a page seen already (a loop); other dropped requests are
        duplicate links, which are normal."""
        if "redirect_times" in request.meta:
            self._redirect_problem("redirect_loop", request)

    def _redirect_problem(self, reason: str, request: scrapy.Request) -> None:
        stats = self.crawler.stats
        assert stats is not None
        count_problem(stats, reason)
        stats.inc_value(f"{STAT}/http_errors")
        self._sample(f"{reason}: {request.url}")

    def _error(self, message: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"{STAT}/errors")
        self.logger.warning(message)
        self._sample(message)

    def _sample(self, message: str) -> None:
        """Keep ``message`` for the run's error samples (the crawl summary prints them): they
        quote what servers sent (a redirect's URL in an error's words), control characters
        dropped (``clean_text``)."""
        samples: list[str] = getattr(self, "error_samples", [])
        if len(samples) < 20:
            samples.append((clean_text(message) or "")[:300])
        self.error_samples = samples

"""Scrapy settings for every rivalscope crawl: polite by default.

The one settings module of both ``rivalscope crawl`` and ``scrapy crawl target``. What the
targets file sets (its ``[crawler]`` table: user agent, HTTP cache; per source: delay,
concurrency, robots.txt, limits) is applied in both by
``spiders.target_spider.TargetSpider.from_crawler``.
"""

from __future__ import annotations

import os

from settings.targets import Crawler

BOT_NAME = "rivalscope"
SPIDER_MODULES = ["spiders.target_spider"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = Crawler().agent()  # the targets file's [crawler] table replaces it per crawl

# Politeness: obey robots.txt, adapt to the site's speed, few parallel requests per site.
ROBOTSTXT_OBEY = True
# Protego on the text in the file's own encoding (UTF-16 by its mark, Latin-1 bytes...).
ROBOTSTXT_PARSER = "spiders.robots_rules.EncodedRobotsParser"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items of one page processed at once. Scrapy starts this many tasks for every response
# (100 by default: most of a page's scheduling cost); a page yields a few dozen items at
# most, and the pipelines only wait when a batch is written.
CONCURRENT_ITEMS = 16
DOWNLOAD_TIMEOUT = 30  # per source: limits.download_timeout_s
RIVALSCOPE_MAX_PAGES = 0  # per source: limits.max_pages (spiders.page_budget)
RETRY_TIMES = 2

# Bounded whatever a site sends (per source: [company.source.limits]). Scrapy applies the
# size limits to the transfer and again to the body after decompression, so a gzip bomb is
# stopped at DOWNLOAD_MAXSIZE too. The memory limit closes the crawl (reason
# ``memusage_exceeded``, see spiders/memory_guard.py) whatever the concurrency.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Our guard reads the current resident size: Scrapy's MemoryUsage reads ru_maxrss, which a
# crawl inherits from a large parent across exec and would stop at once.
MEMUSAGE_ENABLED = False
RIVALSCOPE_MAX_MEMORY_MB = 500
RIVALSCOPE_MEMORY_CHECK_S = 0.5
REDIRECT_MAX_TIMES = 10
# Retry-After is honoured up to this many seconds; beyond, the page is recorded, not retried.
RIVALSCOPE_MAX_RETRY_AFTER_S = 60.0
DOWNLOADER_MIDDLEWARES = {
    # robots.txt fail-closed: a host whose robots.txt cannot be read is not crawled.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.robots_rules.FailClosedRobotsTxtMiddleware": 100,
    # After robots.txt (a refused page spends none of the budget, nor does robots.txt
    # itself; a retry and a redirect are fetches and spend some).
    "spiders.page_budget.PageBudgetMiddleware": 110,
    # After both: a page refused or over the page limit spends no rendering.
    "spiders.render_budget.RenderBudgetMiddleware": 120,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.retry_after.RetryAfterMiddleware": 550,
    # Next to the download handler: every other middleware sees the page's own letters.
    "spiders.misdeclared_encoding.MisdeclaredEncodingMiddleware": 950,
}
# Review pages need no cookies, and the cookie middleware would try to download the
# public-suffix list from the internet.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's HTTP control server: off, like telnet
DEPTH_LIMIT = 0  # per source: limits.max_depth; pagination makes lists deep

# HTTP cache for development only (re-crawls would see stale pages): `crawler.http_cache`.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"

# The record stages, then the batch stages; their order is ``spiders.pipelines.stages``'s,
# which the file importer runs as well.
ITEM_PIPELINES = {
    "spiders.pipelines.record_pipeline.RecordPipeline": 100,
    "spiders.pipelines.store_pipeline.StorePipeline": 600,
}
# Rows per database transaction.
RIVALSCOPE_BATCH_SIZE = int(os.environ.get("RIVALSCOPE_BATCH_SIZE", "500"))
# Store batches from a worker process beside the crawl (0 in the environment: in-process).
RIVALSCOPE_STORE_PROCESS = os.environ.get("RIVALSCOPE_STORE_PROCESS", "1") != "0"
# Seconds between stores of the running run's figures and of the items waiting for a full
# batch (a killed run keeps them: it loses the pages of this last interval at most).
RIVALSCOPE_CHECKPOINT_S = float(os.environ.get("RIVALSCOPE_CHECKPOINT_S", "1"))
# Distributed workers: a folder where each worker logs when its requests were written to
# their hosts (spiders.distributed.sending; benchmarks/distributed.py). Off by default.
RIVALSCOPE_SEND_LOG = os.environ.get("RIVALSCOPE_SEND_LOG") or None
# None: RIVALSCOPE_DATABASE_URL or sqlite:///rivalscope.db.
RIVALSCOPE_DATABASE_URL = None

LOG_LEVEL = "INFO"
# `rivalscope crawl` sets RIVALSCOPE_PROGRESS (live on a terminal, plain otherwise).
EXTENSIONS = {
    "spiders.progress.CrawlProgress": 500,
    "spiders.memory_guard.MemoryGuard": 0,  # the memory limit (see above)
    "spiders.logformatter.QuietTracebacks": 0,  # one line per error unless -v / INFO
}
RIVALSCOPE_PROGRESS = None
# Dropped items are counted per reason in the crawl run: logged at DEBUG, without their text.
LOG_FORMATTER = "spiders.logformatter.QuietDropLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"

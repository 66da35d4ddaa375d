"""Scrapy settings for every rivalscope crawl: polite by default.

Per-source overrides (delay, concurrency, robots.txt, limits) come from the targets
file and are applied by ``spiders.target_spider.TargetSpider.from_crawler``.
"""

from __future__ import annotations

import os

from rivalscope import __version__

BOT_NAME = "rivalscope"
SPIDER_MODULES = ["spiders.target_spider"]
NEWSPIDER_MODULE = "spiders"

CONTACT_URL = "https://github.com/rivalscope/rivalscope#crawler"
USER_AGENT = f"rivalscope/{__version__} (+{CONTACT_URL})"

# Politeness: obey robots.txt, adapt to the site's speed, few parallel requests per site.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30  # per source: limits.download_timeout_s
RETRY_TIMES = 2

# Bounded whatever a site sends (per source: [company.source.limits]). Scrapy applies the
# size limits to the transfer and again to the body after decompression, so a gzip bomb is
# stopped at DOWNLOAD_MAXSIZE too. The memory limit closes the crawl (reason
# ``memusage_exceeded``) whatever the concurrency.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
MEMUSAGE_ENABLED = True
MEMUSAGE_LIMIT_MB = 500
MEMUSAGE_CHECK_INTERVAL_SECONDS = 1.0
REDIRECT_MAX_TIMES = 10
# Retry-After is honoured up to this many seconds; beyond, the page is recorded, not retried.
RIVALSCOPE_MAX_RETRY_AFTER_S = 60.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.retry_after.RetryAfterMiddleware": 550,
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

ITEM_PIPELINES = {
    "spiders.pipelines.normalize.NormalizePipeline": 100,
    "spiders.pipelines.validate.ValidatePipeline": 200,
    "spiders.pipelines.pseudonymize.PseudonymizePipeline": 300,
    "spiders.pipelines.language.LanguagePipeline": 400,
    "spiders.pipelines.store.StorePipeline": 600,
}
# Rows per database transaction.
RIVALSCOPE_BATCH_SIZE = int(os.environ.get("RIVALSCOPE_BATCH_SIZE", "500"))
# Store batches from a worker process beside the crawl (0 in the environment: in-process).
RIVALSCOPE_STORE_PROCESS = os.environ.get("RIVALSCOPE_STORE_PROCESS", "1") != "0"
# Seconds between stores of the running run's figures (a killed run keeps them).
RIVALSCOPE_CHECKPOINT_S = float(os.environ.get("RIVALSCOPE_CHECKPOINT_S", "5"))
# None: RIVALSCOPE_DATABASE_URL or sqlite:///rivalscope.db.
RIVALSCOPE_DATABASE_URL = None

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

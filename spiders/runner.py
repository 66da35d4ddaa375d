"""Runs the crawls of a targets file in this process with Scrapy's CrawlerProcess.

One process can start Scrapy's reactor only once; the scheduler therefore runs each
crawl in a process of its own (``rivalscope crawl``).
"""

from __future__ import annotations

import logging

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from settings.targets import Company, Source, Targets, TargetsError
from spiders.target_spider import TargetSpider
from storage.db import database_url


def crawl_settings(
    targets: Targets,
    db_url: str | None = None,
    *,
    log_level: str = "INFO",
    progress: str | None = None,
) -> Settings:
    """Project settings plus what the targets file and the command line set."""
    settings = Settings()
    settings.setmodule("settings.scrapy_settings", priority="project")
    settings.set("RIVALSCOPE_DATABASE_URL", database_url(db_url), priority="cmdline")
    settings.set("LOG_LEVEL", log_level.upper(), priority="cmdline")
    settings.set("RIVALSCOPE_PROGRESS", progress, priority="cmdline")
    return settings


def select_sources(targets: Targets, names: list[str] | None) -> list[tuple[Company, Source]]:
    """The (company, source) pairs to crawl: all, or those named (unknown names are an error)."""
    if not names:
        pairs = targets.sources()
        if not pairs:
            raise TargetsError("the targets file lists no sources: add [[company.source]] tables")
        return pairs
    return [targets.find_source(name) for name in names]


def run_crawls(
    targets: Targets,
    names: list[str] | None = None,
    db_url: str | None = None,
    *,
    log_level: str = "INFO",
    progress: str | None = None,
) -> list[str]:
    """Crawl the chosen sources concurrently; blocks until all have finished.

    ``progress``: ``live`` or ``plain`` for a line per source (``spiders.progress``).
    Returns the names of the sources crawled. Results are in the database's
    ``crawl_run`` table.
    """
    pairs = select_sources(targets, names)
    process = CrawlerProcess(
        crawl_settings(targets, db_url, log_level=log_level, progress=progress)
    )
    for company, source in pairs:
        process.crawl(TargetSpider, source=source, company=company, targets=targets)
    process.start()
    logging.getLogger(__name__).debug("crawled %d sources", len(pairs))
    return [source.name for _, source in pairs]

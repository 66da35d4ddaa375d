"""The database a crawl writes to, opened once per crawler and shared by the pipelines."""

from __future__ import annotations

from scrapy.crawler import Crawler
from sqlalchemy import Engine

from storage.db import open_database

_ATTR = "_rivalscope_engine"
# One engine (one connection pool) per database for all the crawlers of a process: a
# worker serving many runs must not hold a pool per run (PostgreSQL's connection limit).
_ENGINES: dict[str | None, Engine] = {}


def crawler_engine(crawler: Crawler) -> Engine:
    """The crawler's engine (``RIVALSCOPE_DATABASE_URL`` setting, else the environment/default)."""
    engine: Engine | None = getattr(crawler, _ATTR, None)
    if engine is None:
        url = crawler.settings.get("RIVALSCOPE_DATABASE_URL")
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = open_database(url)
        setattr(crawler, _ATTR, engine)
    return engine

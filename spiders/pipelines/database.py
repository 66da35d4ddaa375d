"""The database a crawl writes to, opened once per crawler and shared by the pipelines."""

from __future__ import annotations

from scrapy.crawler import Crawler
from sqlalchemy import Engine

from storage.db import open_database

_ATTR = "_rivalscope_engine"


def crawler_engine(crawler: Crawler) -> Engine:
    """The crawler's engine (``RIVALSCOPE_DATABASE_URL`` setting, else the environment/default)."""
    engine: Engine | None = getattr(crawler, _ATTR, None)
    if engine is None:
        engine = open_database(crawler.settings.get("RIVALSCOPE_DATABASE_URL"))
        setattr(crawler, _ATTR, engine)
    return engine

"""browser.max_pages bounds the pages a run renders in chromium, in one process and across
the workers of a distributed run (Redis at 127.0.0.1:6379, as the workers share it)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from settings.targets import BrowserRender
from spiders.browser import render_meta
from spiders.distributed.connection import close_async_clients
from spiders.render_budget import (
    NOT_RENDERED_STAT,
    RENDER_PAGES_SETTING,
    RenderBudgetMiddleware,
    renders,
)
from tests import test_distributed
from tests.test_distributed import REDIS_URL

# The key-prefix fixture of tests/test_distributed.py.
redis_prefix = test_distributed.redis_prefix


def _middleware(budget: int, prefix: str = "", run_id: int = 7) -> RenderBudgetMiddleware:
    """The middleware of one crawler: of one process, or (with a Redis key ``prefix``) of
    a worker of the distributed run ``run_id``."""
    settings: dict[str, Any] = {RENDER_PAGES_SETTING: budget}
    if prefix:
        settings.update(
            REDIS_URL=REDIS_URL, RIVALSCOPE_REDIS_PREFIX=prefix, RIVALSCOPE_RUN_ID=run_id
        )
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    return RenderBudgetMiddleware.from_crawler(crawler)


def _page(n: int) -> Request:
    return Request(
        f"http://127.0.0.1:9/p/{n}", meta=render_meta(BrowserRender(), 1_000_000, 100, None)
    )


async def _rendered(middleware: RenderBudgetMiddleware, requests: list[Request]) -> list[bool]:
    for request in requests:
        await middleware.process_request(request)
    return [renders(r) for r in requests]


def test_pages_past_the_budget_are_fetched_plain_and_counted() -> None:
    middleware = _middleware(2)
    pages = [_page(n) for n in range(4)]
    assert asyncio.run(_rendered(middleware, pages)) == [True, True, False, False]
    assert not any(k.startswith("playwright") for k in pages[3].meta)
    assert middleware.stats.get_value(NOT_RENDERED_STAT) == 2


@pytest.mark.parametrize(
    ("request_of", "counted"),
    [
        # A retry (or redirect) of a decided page keeps its decision and spends nothing.
        (lambda: _page(0).replace(meta={**_page(0).meta, "rivalscope_render_decided": True}), 0),
        # A plain page (robots.txt, a sitemap) is never rendered, so never counted.
        (lambda: Request("http://127.0.0.1:9/p/plain"), 0),
        (lambda: _page(1), 1),
    ],
    ids=["retry", "plain", "page"],
)
def test_what_spends_the_render_budget(request_of: Any, counted: int) -> None:
    middleware = _middleware(1)
    asyncio.run(_rendered(middleware, [request_of()]))
    # The next page is rendered only when nothing was spent before it.
    assert asyncio.run(_rendered(middleware, [_page(9)])) == [counted == 0]


def test_off_when_nothing_is_rendered() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        _middleware(0)


def test_workers_of_a_run_share_its_render_budget(redis_prefix: str) -> None:
    """Three workers of one run, 4 pages each, browser.max_pages 5: 5 pages rendered in
    all (each worker counting its own pages rendered 12). Another run has its own budget."""
    workers = [_middleware(5, redis_prefix) for _ in range(3)]
    other_run = _middleware(5, redis_prefix, run_id=8)

    async def scenario() -> tuple[list[list[bool]], list[bool]]:
        pages = [[_page(n) for n in range(4)] for _ in workers]
        rendered = await asyncio.gather(
            *(_rendered(w, p) for w, p in zip(workers, pages, strict=True))
        )
        other = await _rendered(other_run, [_page(n) for n in range(2)])
        await close_async_clients()
        return list(rendered), other

    rendered, other = asyncio.run(scenario())
    assert sum(sum(r) for r in rendered) == 5
    assert sum(w.stats.get_value(NOT_RENDERED_STAT, 0) for w in workers) == 7
    assert other == [True, True]
    # The run's counter goes with the run's other keys, and expires as they do.
    import redis

    from spiders.distributed.keys import Keys

    counter = Keys(redis_prefix).run(7).rendered
    assert counter in Keys(redis_prefix).run(7).lasting
    client = redis.Redis.from_url(REDIS_URL)
    assert int(client.get(counter) or 0) == 12 and client.ttl(counter) > 0
    client.close()

"""At most ``browser.max_pages`` pages of a run are rendered in chromium; later ones plain.

Rendering costs a browser page (memory, seconds of CPU) where a plain fetch costs a socket,
so a source rendered in chromium bounds how many of its pages a run renders. The spider
asks for every page of such a source to be rendered; this middleware decides, when the
page is about to be downloaded, whether it still may be: past the budget the request loses
its rendering meta and is fetched as plain HTML, counted as ``pages_not_rendered``.

The budget is the run's, whatever runs it: one process counts here, and the workers of a
distributed run count in Redis (one counter per run), so four workers render
``max_pages`` pages together, not four times as many. (Counted where the spider made the
request, as before, each worker counted only the links it found itself, and the start pages
queued by ``crawl --distributed`` were counted by nobody.)

A page counts once: a retry or a redirect of it keeps the decision made for it.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from spiders.distributed.redis_pipe import Script

RENDER_PAGES_SETTING = "RIVALSCOPE_RENDER_MAX_PAGES"
"""The source's ``browser.max_pages`` (0: the source is not rendered)."""
NOT_RENDERED_STAT = "rivalscope/pages_not_rendered"
# KEYS: the run's counter. ARGV: the run's keys' time-to-live. The counter never exists
# without it (spiders.distributed.expiry), not even between two commands.
TAKE = Script(
    """
local taken = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return taken
"""
)
_DECIDED = "rivalscope_render_decided"
"""Request meta: this page's rendering was decided (its retries and redirects keep it)."""


def renders(request: Request) -> bool:
    """True when ``request`` is to be rendered in chromium (scrapy-playwright's meta)."""
    return bool(request.meta.get("playwright"))


def render_plain(request: Request) -> None:
    """Take the rendering meta off ``request``: it is fetched as plain HTML."""
    for key in [k for k in request.meta if k.startswith("playwright")]:
        del request.meta[key]


class RenderBudgetMiddleware:
    """See the module docstring; off when the crawl renders nothing."""

    def __init__(
        self, budget: int, stats: StatsCollector, shared: tuple[str, str] | None = None
    ) -> None:
        self.budget = budget
        self.stats = stats
        self.rendered = 0
        self.shared = shared
        """(Redis URL, the run's counter key) in a distributed run, else None."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderBudgetMiddleware:
        settings = crawler.settings
        budget = settings.getint(RENDER_PAGES_SETTING)
        if budget <= 0 or crawler.stats is None:
            raise NotConfigured
        shared = None
        run_id = settings.getint("RIVALSCOPE_RUN_ID")
        if run_id:
            from spiders.distributed.keys import Keys

            keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX")).run(run_id)
            shared = (settings.get("REDIS_URL"), keys.rendered)
        return cls(budget, crawler.stats, shared)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if not renders(request) or request.meta.get(_DECIDED):
            return
        request.meta[_DECIDED] = True
        if await self._take() > self.budget:
            render_plain(request)
            self.stats.inc_value(NOT_RENDERED_STAT)

    async def _take(self) -> int:
        """This page's place among the run's rendered pages (1 for the first)."""
        if self.shared is None:
            self.rendered += 1
            return self.rendered
        from spiders.distributed.expiry import RUN_TTL_S
        from spiders.distributed.redis_pipe import pipe_for

        url, key = self.shared
        return int(await pipe_for(url).run(TAKE, [key], [RUN_TTL_S]))

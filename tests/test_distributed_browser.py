"""``render = "browser"`` served by ``rivalscope worker``: a distributed run of a source whose
reviews arrive by JavaScript, against the real Redis (127.0.0.1:6379), PostgreSQL and
Debian's chromium, on the widget shop of tests/widget_site.py (127.0.0.1-3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.db import open_database
from storage.models import Product, Review
from tests import test_distributed
from tests.cli import run_cli
from tests.test_crawl_browser import _chromium_or_skip, _targets
from tests.test_distributed import REDIS_URL, _runs, _worker
from tests.widget_site import REVIEWS, WidgetSite

# The key-prefix fixture of tests/test_distributed.py.
redis_prefix = test_distributed.redis_prefix

# The widget's API may be read up to its second page: the page's script asks for the third
# one too (its "load more" button), which the crawler must not send.
THIRD_PAGE_DISALLOWED = b"User-agent: *\nDisallow: /api/reviews?*page=3\n"


@pytest.fixture(scope="module")
def site() -> Iterator[WidgetSite]:
    with WidgetSite() as running:
        yield running


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_renders_a_browser_source_and_obeys_robots_txt_in_the_page(
    tmp_path: Path, site: WidgetSite, pg_url: str, redis_prefix: str
) -> None:
    """The worker renders the page in chromium (its reviews come from the widget's API by
    JavaScript) and stores them; the API call robots.txt disallows is never sent, and the
    run counts it as refused."""
    _chromium_or_skip()
    hits_before = dict(site.hits)
    site.robots["127.0.0.2"] = (200, THIRD_PAGE_DISALLOWED)
    table = '[company.source.browser]\nallow_hosts = ["127.0.0.2"]\nclick = "#more"'
    targets = tmp_path / "targets.toml"
    targets.write_text(_targets(site.shop_url, "browser", table), encoding="utf-8")
    try:
        seeded = run_cli(
            "crawl", "--distributed", "--queue", REDIS_URL, "--targets", str(targets),
            cwd=tmp_path, db_url=pg_url,
        )  # fmt: skip
        assert seeded.returncode == 0, seeded.stderr[-2000:]
        worker = _worker(tmp_path, pg_url)
        _, err = worker.communicate(timeout=240)
    finally:
        del site.robots["127.0.0.2"]
    assert worker.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    hits = {key: n - hits_before.get(key, 0) for key, n in site.hits.items()}
    # The first two pages of the API, never the third; robots.txt read once for the run.
    assert hits.get(("127.0.0.2", "/api/reviews"), 0) == 2, (hits, err[-3000:])
    assert hits.get(("127.0.0.2", "/robots.txt"), 0) == 1, hits
    assert site.hits_on("127.0.0.3") == sum(  # tracker and pixel never reached
        n for (host, _), n in hits_before.items() if host == "127.0.0.3"
    )
    engine = open_database(pg_url)
    try:
        with Session(engine) as session:
            ids = sorted(r.external_id or "" for r in session.exec(select(Review)).all())
            products = [p.name for p in session.exec(select(Product)).all()]
    finally:
        engine.dispose()
    assert ids == sorted(str(r["id"]) for r in REVIEWS[:6]), err[-3000:]
    assert products == ["Kettle One"]
    (run,) = _runs(pg_url)
    assert run.status == "finished" and run.queue == REDIS_URL
    # Refused at each click of "load more" (the page's script asks for it again).
    assert run.robots_blocked >= 1, run

"""The demo's scripted shops: reviews from a widget's JSON API (rendered in chromium) and
reviews in ``__NEXT_DATA__``; crawled for real against the demo server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from rivalscope.commands.demo import _scripted_shops
from rivalscope.demo.records import DemoShop
from rivalscope.demo.scripted_pages import NEXTDATA_VISIBLE, widget_api_path
from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_scripted_shops
from rivalscope.demo.site import DemoSite
from rivalscope.demo.targets import targets_toml
from storage.db import open_database
from storage.models import Company, CrawlRun, Review, Source
from tests.cli import run_cli

BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def shops() -> list[DemoShop]:
    return generate_scripted_shops()


def _shop(shops: list[DemoShop], markup: str) -> DemoShop:
    return next(s for s in shops if s.markup == markup)


def test_widget_api_pages_chain_to_every_review(shops: list[DemoShop]) -> None:
    shop = _shop(shops, "widget")
    site = DemoSite(shops, BASE)
    for product in shop.products:
        path: str | None = f"{widget_api_path(shop)}?product={product.sku}&page=1"
        ids: list[str] = []
        while path:
            response = site.respond(path)
            assert response.status == 200 and response.content_type.startswith("application/json")
            data = json.loads(response.body)
            ids += [r["id"] for r in data["results"]]
            path = data["links"]["next"]
        assert ids == [r.review_id for r in product.reviews]
        page = site.respond(f"/{shop.slug}/p/{product.slug}").body.decode()
        assert product.reviews[0].text not in page  # only the script brings them


def test_nextdata_page_holds_every_review_and_shows_three(shops: list[DemoShop]) -> None:
    shop = _shop(shops, "nextdata")
    site = DemoSite(shops, BASE)
    product = shop.products[0]
    page = site.respond(f"/{shop.slug}/p/{product.slug}").body.decode()
    found = re.search(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', page)
    assert found is not None
    state = json.loads(found.group(1))
    reviews = state["props"]["pageProps"]["product"]["reviews"]
    assert [r["id"] for r in reviews] == [r.review_id for r in product.reviews]
    visible = page.replace(found.group(0), "")
    shown = [r for r in product.reviews if r.text.replace("'", "&#x27;") in visible]
    assert len(shown) == NEXTDATA_VISIBLE


def test_demo_skips_the_browser_shop_without_chromium(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RIVALSCOPE_CHROMIUM", str(tmp_path / "none"))
    kept = _scripted_shops(products=2, reviews_per_product=3)
    assert [s.markup for s in kept] == ["nextdata"]
    out = capsys.readouterr().out
    assert "skipping Crema Lab" in out and "apt-get install chromium" in out


@pytest.fixture(scope="module")
def server(shops: list[DemoShop]) -> Iterator[DemoServer]:
    with DemoServer(shops, slow_seconds=0.1) as running:
        yield running


@pytest.mark.browser
@pytest.mark.slow
def test_widget_shop_is_collected_in_chromium_like_its_truth(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    if shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"):
        if os.environ.get("RIVALSCOPE_CI") == "1":
            pytest.fail("chromium is not installed; CI needs it (tests/install.sh)", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    widget = [_shop(shops, "widget")]
    path = tmp_path / "targets.toml"
    path.write_text(targets_toml(server.base_url, widget), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'widget.db'}"
    result = run_cli("crawl", "--targets", str(path), cwd=tmp_path, db_url=db)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    truth = widget[0].reviews
    engine = open_database(db)
    with Session(engine) as session:
        stored = session.exec(select(Review)).all()
        run = session.exec(select(CrawlRun)).one()
        assert session.exec(select(Company.name)).all() == [widget[0].name]
        assert session.exec(select(Source.name)).all() == ["cremalab-shop"]
    engine.dispose()
    # The same rows a server-rendered twin gives: every review, its id, rating and date.
    assert sorted((r.external_id, r.rating, r.published) for r in stored) == sorted(
        (r.review_id, float(r.rating), r.published) for r in truth
    )
    assert (run.reviews_collected, run.reviews_declared) == (len(truth), len(truth))


def _crawl_and_compare(tmp_path: Path, targets: str, shop: DemoShop) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(targets, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    result = run_cli("crawl", "--targets", str(path), cwd=tmp_path, db_url=db)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    engine = open_database(db)
    with Session(engine) as session:
        stored = session.exec(select(Review)).all()
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert sorted((r.external_id, r.rating, r.published) for r in stored) == sorted(
        (r.review_id, float(r.rating), r.published) for r in shop.reviews
    )
    assert (run.reviews_collected, run.reviews_declared) == (len(shop.reviews),) * 2
    assert f"collected {len(shop.reviews)} of {len(shop.reviews)} declared" in result.stdout


@pytest.mark.slow
def test_nextdata_shop_is_read_from_its_embedded_json(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    shop = _shop(shops, "nextdata")
    _crawl_and_compare(tmp_path, targets_toml(server.base_url, [shop]), shop)


@pytest.mark.slow
@pytest.mark.parametrize(("paginate", "page"), [("next", "1"), ("page", "{page}")])
def test_widget_shop_is_read_through_its_review_api_without_a_browser(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], paginate: str, page: str
) -> None:
    shop = _shop(shops, "widget")
    text = targets_toml(server.base_url, [shop])
    text = re.sub(r'render = "browser"\n', "", text)
    text = re.sub(r"\[company\.source\.browser\]\n(.+\n)*", "", text)
    api = f"{server.base_url}{widget_api_path(shop)}?product={{product_id}}&page={page}"
    text += f'\n[company.source.review_api]\nurl = "{api}"\npaginate = "{paginate}"\n'
    _crawl_and_compare(tmp_path, text, shop)

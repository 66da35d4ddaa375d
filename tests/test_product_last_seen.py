"""A product seen again by a later crawl is marked seen then (``product.last_seen_at``):
what tells a product still on sale from one a shop took down, and what `export --since`
filters products by."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.loopback_site import (
    answer,
    answered_robots,
    crawled,
    product_page,
    serving,
    write_targets,
)


class _Shop(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not answered_robots(self):
            answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, product_page(1))


def _seen(db: str) -> tuple[str, str, str]:
    engine = create_engine(db)
    with engine.connect() as conn:
        first, last = conn.execute(text("SELECT first_seen_at, last_seen_at FROM product")).one()
        started = conn.execute(text("SELECT max(started_at) FROM crawl_run")).scalar_one()
    engine.dispose()
    return str(first), str(last), str(started)


def test_a_recrawl_marks_its_products_seen(tmp_path: Path) -> None:
    with serving(_Shop) as (_, base):
        write_targets(tmp_path, [f"{base}/p/1"])
        db = crawled(tmp_path)
        first, _, _ = _seen(db)
        crawled(tmp_path)  # the same page again, through the crawl's store process
    first_again, last_again, second_started = _seen(db)
    assert first_again == first
    # before the fix the store process's writer forgot its products unmarked
    assert last_again > second_started > first


class _Catalogue(BaseHTTPRequestHandler):
    """Kettles 1 and 2 linked from ``/``; ``server.listed`` says which are still on sale."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        listed: set[int] = self.server.listed  # type: ignore[attr-defined]
        if self.path == "/":
            links = "".join(f'<a href="/p/{n}">Kettle {n}</a>' for n in sorted(listed))
            body = f"<html><body>{links}</body></html>".encode()
            return answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, body)
        n = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/p/") else 0
        if n in listed:
            return answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, product_page(n))
        answer(self, 404, {"Content-Type": "text/html"}, b"gone")


def test_a_product_the_shop_took_down_leaves_the_price_matching(tmp_path: Path) -> None:
    """A product removed from the shop kept its last price in the report's price index and
    matched products, as if still on sale (its last_seen_at never moved, so nothing could
    tell it from the products crawled again)."""
    from compare.report.prices import delisted_products, latest_catalogues
    from compare.report.report_scope import CompanyRef, ReportScope

    with serving(_Catalogue, listed={1, 2}) as (server, base):
        write_targets(tmp_path, [f"{base}/"], extra='holds = "offers"\n')  # judged healthy
        db = crawled(tmp_path)
        server.listed = {1}  # type: ignore[attr-defined]
        crawled(tmp_path)
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            (company_id,) = conn.execute(text("SELECT id FROM company")).one()
            scope = ReportScope(
                CompanyRef(company_id, "Kettles", True),
                (CompanyRef(-1, "nobody", False),),
                None,
                None,
                1,
            )
            gone = delisted_products(conn, scope)
            catalogue = latest_catalogues(conn, scope)[company_id]
    finally:
        engine.dispose()
    assert [d.name for d in gone.values()] == ["Kettle 2"]
    assert [item.name for item in catalogue] == ["Kettle 1"]


def test_a_product_gone_and_listed_again_is_an_alert_once_each(tmp_path: Path) -> None:
    """`[alerts] products_gone = true`: the scheduler told no one when a competitor took a
    product down or put it back (found by qa-walk4); only the report showed it."""
    from rivalscope.alerts import check_alerts, product_alerts
    from settings.schedule import AlertSettings, HealthSettings
    from storage.db import open_database

    settings = AlertSettings(products_gone=True)
    with serving(_Catalogue, listed={1, 2}) as (server, base):
        write_targets(tmp_path, [f"{base}/"], extra='holds = "offers"\n')
        db = crawled(tmp_path)
        engine = open_database(db)
        try:
            assert product_alerts(engine, settings) == []  # nothing gone after one crawl
            server.listed = {1}  # type: ignore[attr-defined]
            crawled(tmp_path)
            (gone,) = product_alerts(engine, settings)
            assert f"{gone.title}: {gone.message}".startswith(
                "product gone at Kettles: Kettle 2 is no longer listed (last seen 20"
            )
            assert product_alerts(engine, AlertSettings()) == []  # the rule is off by default
            assert check_alerts(engine, settings, HealthSettings()) == 1
            assert check_alerts(engine, settings, HealthSettings()) == 0  # sent once
            server.listed = {1, 2}  # type: ignore[attr-defined]
            crawled(tmp_path)
            (back,) = product_alerts(engine, settings)
            assert f"{back.title}: {back.message}".startswith(
                "product listed again at Kettles: Kettle 2 is listed again (gone since 20"
            )
            assert check_alerts(engine, settings, HealthSettings()) == 1
            assert check_alerts(engine, settings, HealthSettings()) == 0
        finally:
            engine.dispose()

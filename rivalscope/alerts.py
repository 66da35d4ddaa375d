"""Business alerts: changes at competitors worth telling someone about.

Three rules, each off unless set in ``[alerts]``:

- **price**: a competitor product's latest price differs from its previous observed price
  (same currency) by at least ``price_change_pct`` percent;
- **sentiment**: a competitor's net sentiment on an aspect moved by at least
  ``net_sentiment_points`` points (net in -100..100) between the last two report runs,
  with at least ``min_reviews`` opinions in both. Needs the report tables (``report_run``
  with its ``snapshot``); without them the rule is skipped.

- **products gone** (``products_gone = true``): a competitor's product its shop no longer
  lists (the newest healthy, complete crawl of its source did not find it, as the report's
  price positioning judges it), and the product once it is listed again.

Each alert has a key (the observation, the report run pair, the product and its last
sighting), so it is sent once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlmodel import col

from rivalscope.notify import Notice, retry_undelivered, send_notice
from settings.schedule import AlertSettings, HealthSettings
from storage.models import Company, OfferObservation, Product, as_utc
from storage.reflection import reflected_table
from storage.schedule_models import NoticeSent

log = logging.getLogger("rivalscope.alerts")

REPORT_TABLE = "report_run"
GONE = "gone:"
"""Key prefix of a "product gone" notice: ``gone:<product id>:<last seen, ISO>``."""


@dataclass(frozen=True)
class PricePoint:
    observation_id: int
    price: float
    currency: str | None


def price_change_pct(old: float, new: float) -> float | None:
    """Percent change from ``old`` to ``new``; None when ``old`` is not positive."""
    if old <= 0:
        return None
    return (new - old) / old * 100.0


def price_alerts(engine: Engine, settings: AlertSettings) -> list[Notice]:
    """A notice per competitor product whose last price change reaches the threshold."""
    if settings.price_change_pct is None:
        return []
    product, company, obs = Product.__table__, Company.__table__, OfferObservation.__table__  # type: ignore[attr-defined]
    query = (
        select(
            obs.c.id,
            obs.c.product_id,
            obs.c.price_value,
            obs.c.currency,
            product.c.name,
            product.c.url,
            company.c.name,
        )
        .join(product, product.c.id == obs.c.product_id)
        .join(company, company.c.id == product.c.company_id)
        .where(
            obs.c.price_value.is_not(None),
            company.c.is_own.is_(False),
            obs.c.listing.is_(False),  # a listing card's price is no product page's
        )
        .order_by(obs.c.product_id, obs.c.observed_at, obs.c.id)
    )
    last_two: dict[int, list[PricePoint]] = {}
    about: dict[int, tuple[str | None, str | None, str]] = {}
    with engine.connect() as conn:
        for obs_id, product_id, price, currency, name, url, company_name in conn.execute(query):
            points = last_two.setdefault(product_id, [])
            points.append(PricePoint(obs_id, float(price), currency))
            del points[:-2]
            about[product_id] = (name, url, company_name)
    notices = []
    for product_id, points in last_two.items():
        if len(points) < 2 or points[0].currency != points[1].currency:
            continue
        old, new = points
        pct = price_change_pct(old.price, new.price)
        if pct is None or abs(pct) < settings.price_change_pct:
            continue
        name, url, company_name = about[product_id]
        what = name or f"product {product_id}"
        currency = new.currency or ""
        # The company is in the title; every channel shows "title: message" or both.
        message = (
            f"{what} {'up' if pct > 0 else 'down'} {abs(pct):.1f}% "
            f"({old.price:.2f} -> {new.price:.2f} {currency})".rstrip()
        )
        notices.append(
            Notice(
                kind="alert",
                key=f"price:{new.observation_id}",
                title=f"price change at {company_name}",
                message=message,
                data={
                    "rule": "price_change_pct",
                    "company": company_name,
                    "product": name,
                    "url": url,
                    "old_price": old.price,
                    "new_price": new.price,
                    "currency": new.currency,
                    "change_pct": round(pct, 2),
                },
            )
        )
    return notices


def sentiment_moves(
    old: dict[str, Any], new: dict[str, Any], points: float, min_reviews: int
) -> list[tuple[str, str, float, float, int, int]]:
    """(company, aspect, old net, new net, old n, new n) for moves of at least ``points``
    between two report snapshots (``"company|aspect" -> {"net", "n"}``). Pure."""
    moves = []
    for key in sorted(set(old) & set(new)):
        before, after = old[key] or {}, new[key] or {}
        try:
            net_a, net_b = float(before["net"]), float(after["net"])
            n_a, n_b = int(before["n"]), int(after["n"])
        except (KeyError, TypeError, ValueError):
            continue
        if min(n_a, n_b) < min_reviews or abs(net_b - net_a) * 100 < points:
            continue
        company, _, aspect = key.partition("|")
        moves.append((company, aspect, net_a, net_b, n_a, n_b))
    return moves


def _own_companies(engine: Engine) -> set[str]:
    company = Company.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return set(conn.execute(select(company.c.name).where(company.c.is_own)).scalars())


def sentiment_alerts(engine: Engine, settings: AlertSettings) -> list[Notice]:
    """Notices for competitors' aspect sentiment moves between the last two report runs."""
    if settings.net_sentiment_points is None:
        return []
    if REPORT_TABLE not in inspect(engine).get_table_names():
        log.info("no report runs in this database: sentiment alerts skipped")
        return []
    with engine.connect() as conn:
        table = reflected_table(conn, REPORT_TABLE)
        if "snapshot" not in table.c:
            return []
        latest = conn.execute(
            select(table.c.id, table.c.snapshot, table.c.since, table.c.until)
            .order_by(table.c.id.desc())
            .limit(1)
        ).first()
        if latest is None:
            return []
        # The report before it over the same dates: a report by hand over one month between
        # two whole-history reports is another sample, and its nets moved "by 30 points"
        # both ways (as the report's own "since the previous report" compares).
        same_dates = [
            table.c.since.is_(None) if latest.since is None else table.c.since == latest.since,
            table.c.until.is_(None) if latest.until is None else table.c.until == latest.until,
        ]
        earlier = conn.execute(
            select(table.c.id, table.c.snapshot)
            .where(table.c.id < latest.id, *same_dates)
            .order_by(table.c.id.desc())
            .limit(1)
        ).first()
    if earlier is None:
        return []
    (new_id, new), (old_id, old) = (latest.id, latest.snapshot), tuple(earlier)
    own = _own_companies(engine)
    notices = []
    moves = sentiment_moves(
        old or {}, new or {}, settings.net_sentiment_points, settings.min_reviews
    )
    for company, aspect, net_a, net_b, n_a, n_b in moves:
        if company in own:
            continue
        delta = (net_b - net_a) * 100
        notices.append(
            Notice(
                kind="alert",
                key=f"sentiment:{company}|{aspect}:{old_id}-{new_id}",
                title=f"sentiment change at {company}",
                message=(
                    f"net sentiment on {aspect} {'up' if delta > 0 else 'down'} "
                    f"{abs(delta):.0f} points ({net_a * 100:+.0f} -> {net_b * 100:+.0f}; "
                    f"{n_a} and {n_b} opinions)"
                ),
                data={
                    "rule": "net_sentiment_points",
                    "company": company,
                    "aspect": aspect,
                    "old_net": net_a,
                    "new_net": net_b,
                    "old_n": n_a,
                    "new_n": n_b,
                    "report_runs": [old_id, new_id],
                },
            )
        )
    return notices


def product_alerts(engine: Engine, settings: AlertSettings) -> list[Notice]:
    """Notices for competitors' products their shops stopped listing, and for those listed
    again after such a notice."""
    if not settings.products_gone:
        return []
    from compare.report.prices import delisted

    company = Company.__table__  # type: ignore[attr-defined]
    product = Product.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        competitors = {
            int(i): str(n)
            for i, n in conn.execute(
                select(company.c.id, company.c.name).where(company.c.is_own.is_(False))
            )
        }
        gone = delisted(conn, competitors)
        said_gone = {
            key: data
            for key, data in conn.execute(
                select(NoticeSent.key, NoticeSent.data).where(  # type: ignore[call-overload]
                    col(NoticeSent.key).startswith(GONE)
                )
            )
        }
        seen: dict[int, datetime] = dict(
            conn.execute(
                select(product.c.id, product.c.last_seen_at).where(
                    product.c.id.in_(
                        [int((d or {}).get("product_id", -1)) for d in said_gone.values()]
                    )
                )
            ).all()
        )
    notices = []
    for product_id, item in gone.items():
        day, at = f"{item.last_seen:%Y-%m-%d}", as_utc(item.last_seen).isoformat()
        data = {"rule": "products_gone", "company": item.company, "product": item.name,
                "product_id": product_id, "last_seen": day, "last_seen_at": at}  # fmt: skip
        notices.append(
            Notice("alert", f"{GONE}{product_id}:{at}", f"product gone at {item.company}",
                   f"{item.name} is no longer listed (last seen {day})", data)
        )  # fmt: skip
    for key, said in said_gone.items():
        said = said or {}
        product_id = int(said.get("product_id", -1))
        last_seen = seen.get(product_id)
        if product_id in gone or last_seen is None:
            continue
        if as_utc(last_seen).isoformat() <= str(said.get("last_seen_at")):
            continue  # not seen since that notice (e.g. the source's crawls are unhealthy)
        notices.append(
            Notice("alert", f"back:{key.removeprefix(GONE)}",
                   f"product listed again at {said.get('company')}",
                   f"{said.get('product')} is listed again (gone since {said.get('last_seen')})",
                   {**said, "listed_again": True})
        )  # fmt: skip
    return notices


def send_alerts(engine: Engine, notices: Iterable[Notice], targets: list[str]) -> int:
    """Send each notice not sent before; returns how many were new."""
    return sum(send_notice(engine, notice, targets) for notice in notices)


def check_alerts(engine: Engine, settings: AlertSettings, health: HealthSettings) -> int:
    """Deliver alerts that failed before, evaluate every rule and send what is new;
    returns the number of new alerts."""
    targets = settings.targets(health)
    retry_undelivered(engine, "alert", targets)
    notices = (
        price_alerts(engine, settings)
        + sentiment_alerts(engine, settings)
        + product_alerts(engine, settings)
    )
    return send_alerts(engine, notices, targets)

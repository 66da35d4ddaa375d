"""Price positioning: matched products, price indices against ours, and price changes.

Offers are few next to reviews, so the latest observation per product is loaded whole.
A price index is the geometric mean of competitor price / own price over the matched
pairs, with a t interval on the log ratios. Prices in different currencies are converted
with the fixed, dated euro rates of ``currency.py`` and every such comparison is flagged;
pairs with a currency the rates file lacks are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from compare.report.currency import EuroRates
from compare.report.matching import CatalogueItem, ProductMatch, match_catalogues
from compare.report.report_scope import ReportScope
from compare.report.stats import Interval, geometric_mean_ratio
from compare.report.stored_tables import OFFER, PRODUCT

MIN_MATCHED_PAIRS = 3
"""Fewest matched pairs before a price index may be called a gap."""


@dataclass(frozen=True)
class PricedPair:
    match: ProductMatch
    ratio: float
    """Competitor price / own price (after conversion where currencies differ)."""
    converted: bool


@dataclass(frozen=True)
class PriceIndex:
    competitor: str
    pairs: list[PricedPair]
    index: Interval | None
    """None without any comparable pair."""
    converted: bool
    skipped_currencies: list[str]


@dataclass(frozen=True)
class PriceChange:
    company: str
    product: str
    currency: str
    first_price: float
    last_price: float
    first_seen: datetime
    last_seen: datetime
    changes: int

    @property
    def change_ratio(self) -> float:
        return self.last_price / self.first_price - 1 if self.first_price else 0.0


def latest_catalogues(connection: Connection, scope: ReportScope) -> dict[int, list[CatalogueItem]]:
    """Company id -> products with their latest positive price."""
    latest = (
        select(OFFER.c.product_id, func.max(OFFER.c.observed_at).label("at"))
        .where(OFFER.c.price_value.is_not(None), OFFER.c.price_value > 0)
        .group_by(OFFER.c.product_id)
        .subquery()
    )
    query = (
        select(
            PRODUCT.c.id,
            PRODUCT.c.company_id,
            PRODUCT.c.name,
            PRODUCT.c.gtin,
            PRODUCT.c.sku,
            PRODUCT.c.plan,
            PRODUCT.c.category,
            OFFER.c.price_value,
            OFFER.c.currency,
        )
        .join(latest, latest.c.product_id == PRODUCT.c.id)
        .join(
            OFFER,
            (OFFER.c.product_id == latest.c.product_id) & (OFFER.c.observed_at == latest.c.at),
        )
        .where(PRODUCT.c.company_id.in_(scope.company_ids), OFFER.c.currency.is_not(None))
        .order_by(PRODUCT.c.id)
    )
    catalogues: dict[int, list[CatalogueItem]] = {c.id: [] for c in scope.companies}
    seen: set[int] = set()
    for row in connection.execute(query):
        if row.id in seen:  # two observations with the same timestamp
            continue
        seen.add(row.id)
        catalogues[row.company_id].append(
            CatalogueItem(
                product_id=row.id,
                company=scope.name_of(row.company_id),
                name=row.name,
                gtin=row.gtin,
                sku=row.sku,
                plan=row.plan,
                category=row.category,
                price=float(row.price_value),
                currency=str(row.currency).upper(),
            )
        )
    return catalogues


def price_ratio(match: ProductMatch, rates: EuroRates) -> tuple[float, bool] | None:
    """(competitor / own price, converted?) or None when a currency has no rate."""
    own, other = match.own, match.competitor
    if own.currency == other.currency:
        return other.price / own.price, False
    own_eur = rates.to_eur(own.price, own.currency)
    other_eur = rates.to_eur(other.price, other.currency)
    if own_eur is None or other_eur is None:
        return None
    return other_eur / own_eur, True


def price_indices(
    catalogues: dict[int, list[CatalogueItem]], scope: ReportScope, rates: EuroRates
) -> list[PriceIndex]:
    """One price index per competitor against our catalogue."""
    own_items = catalogues.get(scope.own.id, [])
    indices: list[PriceIndex] = []
    for competitor in scope.competitors:
        pairs: list[PricedPair] = []
        skipped: set[str] = set()
        for match in match_catalogues(own_items, catalogues.get(competitor.id, [])):
            priced = price_ratio(match, rates)
            if priced is None:
                skipped.update(
                    c
                    for c in (match.own.currency, match.competitor.currency)
                    if c not in rates.per_eur
                )
                continue
            pairs.append(PricedPair(match, priced[0], priced[1]))
        index = geometric_mean_ratio([p.ratio for p in pairs]) if pairs else None
        indices.append(
            PriceIndex(
                competitor=competitor.name,
                pairs=pairs,
                index=index,
                converted=any(p.converted for p in pairs),
                skipped_currencies=sorted(skipped),
            )
        )
    return indices


def price_changes(connection: Connection, scope: ReportScope, limit: int = 15) -> list[PriceChange]:
    """Products whose price changed in the offer history, largest relative change first."""
    stats = (
        select(
            OFFER.c.product_id,
            func.min(OFFER.c.observed_at).label("first_seen"),
            func.max(OFFER.c.observed_at).label("last_seen"),
            func.count(func.distinct(OFFER.c.price_value)).label("prices"),
        )
        .where(OFFER.c.price_value > 0)
        .group_by(OFFER.c.product_id)
        .having(func.count(func.distinct(OFFER.c.price_value)) > 1)
        .subquery()
    )
    first = OFFER.alias("first_offer")
    last = OFFER.alias("last_offer")
    query = (
        select(
            PRODUCT.c.company_id,
            PRODUCT.c.name,
            PRODUCT.c.plan,
            first.c.price_value.label("first_price"),
            last.c.price_value.label("last_price"),
            last.c.currency,
            stats.c.first_seen,
            stats.c.last_seen,
            stats.c.prices,
        )
        .join(stats, stats.c.product_id == PRODUCT.c.id)
        .join(
            first,
            (first.c.product_id == PRODUCT.c.id) & (first.c.observed_at == stats.c.first_seen),
        )
        .join(last, (last.c.product_id == PRODUCT.c.id) & (last.c.observed_at == stats.c.last_seen))
        .where(PRODUCT.c.company_id.in_(scope.company_ids))
    )
    changes = [
        PriceChange(
            company=scope.name_of(row.company_id),
            product=row.name or row.plan or "?",
            currency=str(row.currency or ""),
            first_price=float(row.first_price),
            last_price=float(row.last_price),
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            changes=int(row.prices) - 1,
        )
        for row in connection.execute(query)
        if row.first_price and row.last_price
    ]
    changes.sort(key=lambda c: abs(c.change_ratio), reverse=True)
    return changes[:limit]

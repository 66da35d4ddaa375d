"""Price positioning: matched products, price indices against ours, and price changes.

Offers are few next to reviews, so the latest observation per product is loaded whole.
A price index is the geometric mean of competitor price / own price over the matched
pairs, with a t interval on the log ratios. Prices in different currencies are converted
with the fixed, dated euro rates of ``currency.py`` and every such comparison is flagged;
pairs with a currency the rates file lacks are left out.

Only observations from products' own pages count: a listing page's cards are left out.
A product its shop no longer lists (the newest healthy, complete crawl of its source did
not find it) is left out of the matching, and named beside it: its last price is no price
the shop asks now.
The variants of one product (sizes, colours) are compared as one product: the variant a
shopper sees first (the cheapest available) under the parent's code and name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, literal_column, select, true

from compare.report.currency import EuroRates
from compare.report.matching import CatalogueItem, ProductMatch, match_catalogues
from compare.report.report_scope import ReportScope
from compare.report.stats import (
    FamilyLevel,
    Interval,
    fdr_level,
    geometric_mean_ratio,
    log_ratio_p_value,
)
from compare.report.stored_tables import CRAWL_RUN, HEALTH_CHECK, OFFER, PARENT, PRODUCT

MIN_MATCHED_PAIRS = 3
"""Fewest matched pairs before a price index may be called a gap."""
_BUYABLE = frozenset({"InStock", "LimitedAvailability", "PreOrder", "BackOrder", None})


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


@dataclass(frozen=True)
class DelistedProduct:
    """A product the newest healthy, complete crawl of its source did not find."""

    company: str
    name: str
    last_seen: datetime


def delisted_products(connection: Connection, scope: ReportScope) -> dict[int, DelistedProduct]:
    """Product id -> the report's companies' products their shops no longer listed by the
    end of its dates (``delisted``)."""
    return delisted(connection, {c.id: c.name for c in scope.companies}, scope.observed_before)


def delisted(
    connection: Connection, companies: dict[int, str], before: datetime | None = None
) -> dict[int, DelistedProduct]:
    """Product id -> the products of ``companies`` (id -> name) their shops no longer list:
    not seen since the start of the newest crawl of each source that observed them which
    ended normally (not at its page budget, killed or failed), saw offers and was judged
    healthy (a changed layout that reads no offer lists nothing as gone); with ``before``,
    the newest such crawl started before it."""
    healthy = select(HEALTH_CHECK.c.crawl_run_id).where(HEALTH_CHECK.c.healthy.is_(True))
    complete = (
        select(CRAWL_RUN.c.source_id, func.max(CRAWL_RUN.c.started_at).label("at"))
        .where(
            CRAWL_RUN.c.status == "finished",
            CRAWL_RUN.c.finish_reason == "finished",
            CRAWL_RUN.c.offers_seen > 0,
            CRAWL_RUN.c.id.in_(healthy),
            true() if before is None else CRAWL_RUN.c.started_at < before,
        )
        .group_by(CRAWL_RUN.c.source_id)
        .subquery()
    )
    # A crawl that marked no earlier product seen proves nothing gone: crawls before
    # product.last_seen_at was kept up to date (it stayed at the first sighting) marked none.
    reseen = (
        select(OFFER.c.source_id)
        .join(complete, complete.c.source_id == OFFER.c.source_id)
        .join(PRODUCT, PRODUCT.c.id == OFFER.c.product_id)
        .where(PRODUCT.c.last_seen_at >= complete.c.at, PRODUCT.c.first_seen_at < complete.c.at)
    )
    # Seen by several sources of its company: gone only when gone from all of them.
    checked = (
        select(OFFER.c.product_id, func.min(complete.c.at).label("at"))
        .join(complete, complete.c.source_id == OFFER.c.source_id)
        .where(
            OFFER.c.listing.is_(False),
            OFFER.c.price_value > 0,  # one with a price the catalogue would have shown
            OFFER.c.source_id.in_(reseen),
        )
        .group_by(OFFER.c.product_id)
        .subquery()
    )
    rows = connection.execute(
        select(PRODUCT.c.id, PRODUCT.c.company_id, PRODUCT.c.name, PRODUCT.c.last_seen_at)
        .join(checked, checked.c.product_id == PRODUCT.c.id)
        .where(
            PRODUCT.c.company_id.in_(list(companies)),
            PRODUCT.c.last_seen_at < checked.c.at,
        )
        .order_by(PRODUCT.c.company_id, PRODUCT.c.id)
    )
    return {
        row.id: DelistedProduct(companies[row.company_id], row.name or "?", row.last_seen_at)
        for row in rows
    }


def latest_catalogues(connection: Connection, scope: ReportScope) -> dict[int, list[CatalogueItem]]:
    """Company id -> products with their latest positive price by the end of the report's
    dates (a product sold in variants once, see the module docstring)."""
    before = scope.observed_before
    latest = (
        select(OFFER.c.product_id, func.max(OFFER.c.observed_at).label("at"))
        .where(
            OFFER.c.price_value.is_not(None),
            OFFER.c.price_value > 0,
            OFFER.c.listing.is_(False),
            true() if before is None else OFFER.c.observed_at < before,
        )
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
            OFFER.c.availability,
            PRODUCT.c.parent_id,
            PARENT.c.code.label("parent_code"),
            PARENT.c.name.label("parent_name"),
        )
        .join(latest, latest.c.product_id == PRODUCT.c.id)
        .join(
            OFFER,
            (OFFER.c.product_id == latest.c.product_id)
            & (OFFER.c.observed_at == latest.c.at)
            & OFFER.c.listing.is_(False),
        )
        .outerjoin(PARENT, PARENT.c.id == PRODUCT.c.parent_id)
        .where(PRODUCT.c.company_id.in_(scope.company_ids), OFFER.c.currency.is_not(None))
        .order_by(PRODUCT.c.id)
    )
    catalogues: dict[int, list[CatalogueItem]] = {c.id: [] for c in scope.companies}
    seen: set[int] = set(delisted_products(connection, scope))  # no price the shop asks now
    shown: dict[int, tuple[tuple[bool, float], int, CatalogueItem]] = {}
    for row in connection.execute(query):
        if row.id in seen:  # two observations with the same timestamp
            continue
        seen.add(row.id)
        item = CatalogueItem(
            product_id=row.id,
            company=scope.name_of(row.company_id),
            name=row.parent_name or row.name,
            gtin=row.gtin,
            sku=row.parent_code or row.sku,
            plan=row.plan,
            category=row.category,
            price=float(row.price_value),
            currency=str(row.currency).upper(),
        )
        if row.parent_id is None:
            catalogues[row.company_id].append(item)
            continue
        # One item a parent: its cheapest variant that can be bought, else its cheapest.
        rank = (row.availability not in _BUYABLE, item.price)
        if row.parent_id not in shown or rank < shown[row.parent_id][0]:
            shown[row.parent_id] = (rank, row.company_id, item)
    for _, company_id, item in sorted(shown.values(), key=lambda v: v[2].product_id):
        catalogues[company_id].append(item)
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


def price_family(indices: list[PriceIndex]) -> FamilyLevel:
    """The price indices a report judges (those on ``MIN_MATCHED_PAIRS`` or more) as one
    family, as the net sentiment gaps are (``stats.fdr_level``)."""
    return fdr_level(
        [
            log_ratio_p_value([p.ratio for p in index.pairs])
            for index in indices
            if len(index.pairs) >= MIN_MATCHED_PAIRS
        ]
    )


def at_family_level(indices: list[PriceIndex], level: FamilyLevel) -> list[PriceIndex]:
    """The indices with their intervals at the family's adjusted level."""
    return [
        index
        if index.index is None
        else replace(index, index=geometric_mean_ratio([p.ratio for p in index.pairs], level.z))
        for index in indices
    ]


def price_changes(connection: Connection, scope: ReportScope, limit: int = 15) -> list[PriceChange]:
    """Products whose price changed in the offer history, largest relative change first.

    A history is a product's prices in one currency: a shop that shows another currency
    (to another region, or after a change of currency) starts another history rather than
    a "change" from 1,000 NOK to 95 EUR."""

    def currency_of(table: Any) -> ColumnElement[str]:
        # A literal, not a bound "": PostgreSQL would see two parameters in the SELECT
        # and the GROUP BY as two expressions.
        return func.coalesce(func.upper(table.c.currency), literal_column("''"))

    currency = currency_of(OFFER)
    before = scope.observed_before
    # Each price with the one before it in its history: a price that went 100 -> 110 ->
    # 100 -> 110 changed three times, not once (its count of distinct prices less one).
    history = (
        select(
            OFFER.c.product_id,
            currency.label("currency"),
            OFFER.c.observed_at,
            OFFER.c.price_value,
            func.lag(OFFER.c.price_value)
            .over(
                partition_by=(OFFER.c.product_id, currency),
                order_by=(OFFER.c.observed_at, OFFER.c.id),
            )
            .label("previous"),
        )
        .where(
            OFFER.c.price_value > 0,
            OFFER.c.listing.is_(False),
            true() if before is None else OFFER.c.observed_at < before,
        )
        .subquery()
    )
    is_change = history.c.previous != history.c.price_value
    changed = func.sum(case((is_change, 1), else_=0))
    stats = (
        select(
            history.c.product_id,
            history.c.currency,
            func.min(history.c.observed_at).label("first_seen"),
            # The last change, not the last row: a later row may change only availability.
            func.max(case((is_change, history.c.observed_at))).label("last_seen"),
            changed.label("changes"),
        )
        .group_by(history.c.product_id, history.c.currency)
        .having(changed > 0)
        .subquery()
    )
    first = OFFER.alias("first_offer")
    last = OFFER.alias("last_offer")
    query = (
        select(
            PRODUCT.c.company_id,
            PRODUCT.c.name,
            PRODUCT.c.plan,
            PRODUCT.c.size,
            PRODUCT.c.colour,
            first.c.price_value.label("first_price"),
            last.c.price_value.label("last_price"),
            stats.c.currency,
            stats.c.first_seen,
            stats.c.last_seen,
            stats.c.changes,
        )
        .join(stats, stats.c.product_id == PRODUCT.c.id)
        .join(
            first,
            (first.c.product_id == PRODUCT.c.id)
            & (first.c.observed_at == stats.c.first_seen)
            & (currency_of(first) == stats.c.currency)
            & (first.c.price_value > 0)
            & first.c.listing.is_(False),
        )
        .join(
            last,
            (last.c.product_id == PRODUCT.c.id)
            & (last.c.observed_at == stats.c.last_seen)
            & (currency_of(last) == stats.c.currency)
            & (last.c.price_value > 0)
            & last.c.listing.is_(False),
        )
        .where(PRODUCT.c.company_id.in_(scope.company_ids))
    )
    changes = [
        PriceChange(
            company=scope.name_of(row.company_id),
            product=_variant_label(row.name or row.plan or "?", row.size, row.colour),
            currency=str(row.currency or ""),
            first_price=float(row.first_price),
            last_price=float(row.last_price),
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            changes=int(row.changes),
        )
        for row in connection.execute(query)
        if row.first_price and row.last_price
    ]
    changes.sort(key=lambda c: abs(c.change_ratio), reverse=True)
    return changes[:limit]


def _variant_label(name: str, size: str | None, colour: str | None) -> str:
    """A variant's name with its size and colour ("Trail shoe (42, red)"): each variant
    has its own price history."""
    extra = ", ".join(v for v in (size, colour) if v)
    return f"{name} ({extra})" if extra else name

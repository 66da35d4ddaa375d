"""Price positioning: price index per competitor, matched products, price changes."""

from __future__ import annotations

from dataclasses import dataclass

from compare.report.blocks import Block, Cell, Chart, Column, Paragraph, Row, Table
from compare.report.data_model import ReportData
from compare.report.numbers import family_text, interval_text, number_text
from compare.report.prices import (
    MIN_MATCHED_PAIRS,
    DelistedProduct,
    PriceChange,
    PriceIndex,
    delisted_products,
    price_changes,
)
from compare.report.section_registry import ReportQuery, loaded, register
from compare.report.svg import PALETTE, IntervalRow, interval_chart


@dataclass(frozen=True)
class _PriceHistory:
    changes: list[PriceChange]
    delisted: list[DelistedProduct]
    """Left out of the matching: their shops no longer list them."""


def _price_history(query: ReportQuery) -> _PriceHistory:
    return _PriceHistory(
        price_changes(query.connection, query.scope),
        list(delisted_products(query.connection, query.scope).values()),
    )


def _delisted_note(delisted: list[DelistedProduct]) -> list[Block]:
    """The products left out of the matching because their shops no longer list them (a
    product taken down kept its last price in the index, as if still on sale)."""
    if not delisted:
        return []
    named = "; ".join(f"{d.company}: {d.name} (last seen {d.last_seen:%Y-%m-%d})" for d in delisted)
    return [
        Paragraph(
            f"Left out of the matching, as their shops no longer list them (the newest "
            f"complete crawl of their source did not find them): {named}."
        )
    ]


def _index_cell(index: PriceIndex) -> Cell:
    """The index with its interval, or alone where too few products are matched for one (a
    single product gives an "interval" of no width, two one of a t with one degree of
    freedom: neither says how their prices compare in general)."""
    assert index.index is not None
    if len(index.pairs) < MIN_MATCHED_PAIRS:
        return Cell(
            f"{number_text(index.index.value, 'ratio')} (too few matched products for an "
            f"interval, < {MIN_MATCHED_PAIRS})",
            value=index.index.value,
            css="num ns",
        )
    significant = index.index.low > 1 or index.index.high < 1
    return Cell(
        interval_text(index.index, "ratio", significant),
        value=index.index.value,
        css="num",
        interval=index.index,
        significant=significant,
    )


@register("prices", "Price positioning", in_summary=True, load=_price_history)
def prices_section(data: ReportData) -> list[Block]:
    rates = data.rates
    blocks: list[Block] = [
        Paragraph(
            "Price index: geometric mean of their price / our price over matched products and "
            "plans (GTIN, else plan, else SKU, else name), with a t interval on the log "
            "ratios. Other "
            f"currencies are converted at the euro reference rates of {rates.date} "
            f"({rates.source}), marked *. "
            + family_text(data.price_level, "price indices", "1 (the same price)")
            + (
                f" Prices as observed by {data.scope.until} (the end of this report's dates): "
                "the latest price of each product then, and the changes until then."
                if data.scope.until is not None
                else ""
            )
        )
    ]
    history = loaded(data, "prices", _PriceHistory)
    blocks += _delisted_note(history.delisted)
    priced = [i for i in data.price_indices if i.index is not None]
    if not priced:
        blocks.append(
            Paragraph(
                "No product or plan could be matched between our catalogue and a competitor's.",
                css="",
            )
        )
    else:
        rows = [
            IntervalRow(
                label=index.competitor,
                value=index.index.value,
                low=index.index.low,
                high=index.index.high,
                colour=PALETTE[i % len(PALETTE)],
                note=f"{len(index.pairs)} products"
                + ("" if len(index.pairs) >= MIN_MATCHED_PAIRS else ", too few for an interval"),
            )
            for i, index in enumerate(priced)
            if index.index is not None
        ]
        top = max(2.0, max(r.high for r in rows) * 1.1)
        blocks.append(
            Chart(
                "Price index against ours",
                interval_chart(
                    rows,
                    axis_min=0,
                    axis_max=top,
                    reference=1,
                    title="Price index against ours (1 = same price) with adjusted intervals",
                    tick_format="{:.1f}",
                    ticks=(0, 0.5, 1, 1.5, 2) if top <= 2.5 else (0, 1, top / 2, top),
                ),
            )
        )
        index_rows = []
        pair_rows = []
        for index in priced:
            assert index.index is not None
            index_rows.append(
                Row(
                    {
                        "competitor": Cell(index.competitor),
                        "index": _index_cell(index),
                        "pairs": Cell(str(len(index.pairs)), css="num"),
                        "converted": Cell("yes" if index.converted else "no"),
                    }
                )
            )
            for pair in index.pairs:
                own, other = pair.match.own, pair.match.competitor
                pair_rows.append(
                    Row(
                        {
                            "competitor": Cell(index.competitor),
                            "ours": Cell(own.name or own.plan or "?"),
                            "theirs": Cell(other.name or other.plan or "?"),
                            "method": Cell(pair.match.method),
                            "our_price": Cell(
                                f"{own.price:,.2f} {own.currency}", value=own.price, css="num"
                            ),
                            "their_price": Cell(
                                f"{other.price:,.2f} {other.currency}", value=other.price, css="num"
                            ),
                            "ratio": Cell(
                                f"{pair.ratio:.2f}{' *' if pair.converted else ''}",
                                value=pair.ratio,
                                css="num",
                            ),
                        }
                    )
                )
        blocks.append(
            Table(
                "price_index",
                "Price index per competitor",
                [
                    Column("competitor", "competitor"),
                    Column("index", "price index, theirs / ours [adjusted CI]", numeric=True),
                    Column("pairs", "matched products", numeric=True),
                    Column("converted", "currency converted"),
                ],
                index_rows,
            )
        )
        blocks.append(
            Table(
                "matched_products",
                "Matched products",
                [
                    Column("competitor", "competitor"),
                    Column("ours", "our product"),
                    Column("theirs", "their product"),
                    Column("method", "matched by"),
                    Column("our_price", "our price", numeric=True),
                    Column("their_price", "their price", numeric=True),
                    Column("ratio", "theirs / ours", numeric=True),
                ],
                pair_rows,
            )
        )
    change_rows = [
        Row(
            {
                "company": Cell(c.company),
                "product": Cell(c.product),
                "price": Cell(
                    f"{c.first_price:,.2f} → {c.last_price:,.2f} {c.currency}",
                    value=c.last_price,
                    css="num",
                ),
                "change": Cell(f"{c.change_ratio:+.1%}", value=c.change_ratio, css="num"),
                "changes": Cell(str(c.changes), css="num"),
                "observed": Cell(f"{c.first_seen:%Y-%m-%d} – {c.last_seen:%Y-%m-%d}"),
            }
        )
        for c in history.changes
    ]
    if change_rows:
        blocks.append(
            Table(
                "price_changes",
                "Price changes in the offer history",
                [
                    Column("company", "company"),
                    Column("product", "product"),
                    Column("price", "price, first → last", numeric=True),
                    Column("change", "change (%)", numeric=True),
                    Column("changes", "number of changes", numeric=True),
                    # the last date is the latest change: the history stores a price only when
                    # it changes, so "observed" read as "not seen since"
                    Column("observed", "first seen – last changed"),
                ],
                change_rows,
            )
        )
    else:
        blocks.append(Paragraph("No price changed in the observed offer history.", css=""))
    return blocks

"""The report's sections, in page order (registered with ``section_registry.register``).

Each table has one unit per column (net sentiment, share of reviews, price premium are
never mixed) and says in its header what its counts count: opinions (one review's verdict
on one aspect), reviews, or matched products.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from compare.report.aspects import AspectCell, aspect_label
from compare.report.blocks import (
    Block,
    BulletList,
    Cell,
    Chart,
    Column,
    Paragraph,
    QuoteBlock,
    Row,
    Table,
)
from compare.report.collection_coverage import SourceCoverage, source_coverage
from compare.report.data_model import ReportData
from compare.report.evidence import Evidence, opinion_evidence
from compare.report.finding_groups import RANKING_RULE, FindingGroup, opportunities, threats
from compare.report.findings import Finding
from compare.report.numbers import interval_text, number_text, score_text
from compare.report.prices import PriceChange, price_changes
from compare.report.section_registry import ReportQuery, loaded, register
from compare.report.stats import Interval, compare_nets
from compare.report.svg import OWN_COLOUR, PALETTE, IntervalRow, Series, interval_chart, line_chart

TOP_GROUPS = 15
"""Finding groups shown per section (all of them are in findings.csv)."""
TABLE_QUOTES = 2
MIN_MONTH_OPINIONS = 5
"""Months with fewer aspect opinions are left out of the trend lines (too noisy)."""
NEEDS_PER_COMPANY = 5

CellBuilder = Callable[[Finding, str], Cell]
"""A finding-table column: (finding, its group's evidence anchor) -> cell."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def aspect_anchor(company_id: int, aspect: str) -> str:
    return f"ev-a-{company_id}-{_slug(aspect)}"


def need_anchor(company_id: int, need: str) -> str:
    return f"ev-n-{company_id}-{_slug(need)}"


def group_anchor(section: str, rank: int) -> str:
    return f"ev-{section[0]}-{rank}"


def _colours(data: ReportData) -> dict[int, str]:
    colours = {data.scope.own.id: OWN_COLOUR}
    for i, company in enumerate(data.scope.competitors):
        colours[company.id] = PALETTE[i % len(PALETTE)]
    return colours


def _segment_text(finding: Finding) -> str:
    return "all reviews" if finding.segment.dimension == "all" else finding.segment.describe()


def _significance_cell(interval: Interval, style: str, significant: bool, href: str) -> Cell:
    text = interval_text(interval, style, significant)
    return Cell(
        text + ("" if significant else " (not significant)"),
        value=interval.value,
        href=href,
        css="num sig" if significant else "num ns",
    )


# --- At a glance -------------------------------------------------------------------------


@register("glance", "At a glance", in_summary=True)
def glance(data: ReportData) -> list[Block]:
    blocks: list[Block] = []
    if data.unanalysed:
        blocks.append(
            Paragraph(
                f"{data.unanalysed} of {data.reviews_in_scope} reviews in scope are not analysed "
                "yet and are left out of every figure below: run `rivalscope analyze`, then "
                "the report again.",
                css="banner",
            )
        )
    best = opportunities(data.findings)[:3]
    if best:
        blocks.append(
            Paragraph(
                "Top opportunities: " + "; ".join(g.main.summary for g in best) + ".", css="lead"
            )
        )
    else:
        blocks.append(
            Paragraph(
                "No significant opportunity found: no competitor is weaker than us on an aspect, "
                "has customers with more unmet needs, or charges more, beyond chance with at "
                f"least {data.scope.min_sample} opinions on each side.",
                css="lead",
            )
        )
    worst = threats(data.findings)[:1]
    if worst:
        blocks.append(Paragraph("Biggest threat: " + worst[0].main.summary + ".", css="lead"))
    return blocks


# --- Opportunities and threats ------------------------------------------------------------


def _quotes_cell(group: FindingGroup, anchor: str) -> Cell:
    quotes = group.quotes(TABLE_QUOTES)
    return Cell("" if quotes else "–", href=f"#{anchor}", quotes=quotes)


def _rows(
    ranked: list[tuple[int, FindingGroup]],
    section: str,
    cells: dict[str, CellBuilder],
) -> list[Row]:
    """A row per group and a sub-row per segment where the gap concentrates; ``cells`` maps
    column keys to cell builders. A sub-row shows only quotes its group's row does not."""
    rows = []
    for rank, group in ranked:
        anchor = group_anchor(section, rank)
        shown = {q.text for q in group.quotes(TABLE_QUOTES)}
        for finding in group.members:
            sub = finding is not group.main
            row = {
                "rank": Cell("" if sub else str(rank), value=None if sub else rank, css="num"),
                "competitor": Cell("" if sub else finding.competitor, value=finding.competitor),
                "topic": Cell("" if sub else aspect_label(finding.aspect), value=finding.aspect),
                "segment": Cell(_segment_text(finding)),
            }
            for key, build in cells.items():
                row[key] = build(finding, anchor)
            row["score"] = Cell(score_text(finding.score), value=finding.score, css="num")
            if sub:
                fresh = [q for q in finding.evidence.items if q.text not in shown]
                row["evidence"] = Cell("", quotes=fresh[:TABLE_QUOTES])
            else:
                row["evidence"] = _quotes_cell(group, anchor)
            rows.append(Row(row, level=1 if sub else 0))
    return rows


LEADING = [
    Column("rank", "rank", numeric=True),
    Column("competitor", "competitor"),
    Column("topic", "aspect"),
    Column("segment", "segment"),
]
TRAILING = [Column("score", "score", numeric=True), Column("evidence", "what their reviewers say")]


def _net_cells(lead: bool) -> dict[str, CellBuilder]:
    """Columns of a net-sentiment finding. ``lead``: show their lead (theirs − ours, for
    threats) instead of our advantage (ours − theirs)."""

    def theirs(f: Finding, _: str) -> Cell:
        value = (f.own_value or 0.0) - f.effect.value
        return Cell(number_text(value, "net"), value=value, css="num")

    def ours(f: Finding, _: str) -> Cell:
        return Cell(number_text(f.own_value or 0.0, "net"), value=f.own_value, css="num")

    def gap(f: Finding, anchor: str) -> Cell:
        e = f.effect
        interval = Interval(-e.value, -e.high, -e.low) if lead else e
        return _significance_cell(interval, "net", f.significant, f"#{anchor}")

    def sample(f: Finding, _: str) -> Cell:
        return Cell(f"{f.sample_size} / {f.own_sample_size}", value=f.sample_size, css="num")

    return {"theirs": theirs, "ours": ours, "gap": gap, "sample": sample}


def _net_columns(lead: bool) -> list[Column]:
    gap = (
        "their lead: theirs − ours (−2..2) [95% CI]"
        if lead
        else "our advantage: ours − theirs (−2..2) [95% CI]"
    )
    return [
        *LEADING,
        Column("theirs", "their net sentiment (−1..1)", numeric=True),
        Column("ours", "our net sentiment (−1..1)", numeric=True),
        Column("gap", gap, numeric=True),
        Column("sample", "opinions: theirs / ours", numeric=True),
        *TRAILING,
    ]


def _need_cells() -> dict[str, CellBuilder]:
    def theirs(f: Finding, _: str) -> Cell:
        return Cell(number_text(f.effect.value, "share"), value=f.effect.value, css="num")

    def ours(f: Finding, _: str) -> Cell:
        return Cell(number_text(f.own_value or 0.0, "share"), value=f.own_value, css="num")

    def gap(f: Finding, anchor: str) -> Cell:
        return _significance_cell(f.test_interval, "share", f.significant, f"#{anchor}")

    def sample(f: Finding, _: str) -> Cell:
        return Cell(f"{f.sample_size} / {f.own_sample_size}", value=f.sample_size, css="num")

    return {"theirs": theirs, "ours": ours, "gap": gap, "sample": sample}


NEED_COLUMNS = [
    *LEADING[:2],
    Column("topic", "need"),
    LEADING[3],
    Column("theirs", "their reviews voicing it (share)", numeric=True),
    Column("ours", "ours (share)", numeric=True),
    Column("gap", "difference, theirs − ours (share points) [95% CI]", numeric=True),
    Column("sample", "reviews: theirs / ours", numeric=True),
    *TRAILING,
]


def _price_cells() -> dict[str, CellBuilder]:
    def premium(f: Finding, anchor: str) -> Cell:
        return _significance_cell(f.effect, "premium", f.significant, f"#{anchor}")

    def sample(f: Finding, _: str) -> Cell:
        return Cell(str(f.sample_size), value=f.sample_size, css="num")

    return {"gap": premium, "sample": sample}


PRICE_COLUMNS = [
    *LEADING[:2],
    Column("gap", "their price premium over ours (%) [95% CI]", numeric=True),
    Column("sample", "matched products", numeric=True),
    *TRAILING,
]


def _finding_table(
    key: str,
    heading: str,
    columns: list[Column],
    ranked: list[tuple[int, FindingGroup]],
    section: str,
    cells: dict[str, CellBuilder],
    note: str,
) -> list[Block]:
    if not ranked:
        return []
    rows = _rows(ranked, section, cells)
    keys = {c.key for c in columns}
    for row in rows:
        row.cells = {k: v for k, v in row.cells.items() if k in keys}
    return [Table(key, heading, columns, rows, note)]


@register("opportunities", "Opportunities: where we can win customers", in_summary=True)
def opportunities_section(data: ReportData) -> list[Block]:
    ranked = list(enumerate(opportunities(data.findings)[:TOP_GROUPS], start=1))
    if not ranked:
        return [Paragraph("No significant opportunity found.", css="lead")]

    def of(kind: str) -> list[tuple[int, FindingGroup]]:
        return [(rank, group) for rank, group in ranked if group.kind == kind]

    return [
        Paragraph(RANKING_RULE + " Ranks run across the three tables."),
        *_finding_table(
            "weaknesses",
            "Their weaknesses where we are strong",
            _net_columns(lead=False),
            of("competitor_weakness"),
            "opportunities",
            _net_cells(lead=False),
            "Net sentiment = (positive − negative) / (positive + negative) opinions on the "
            "aspect. Segments below a row are where the gap concentrates.",
        ),
        *_finding_table(
            "unmet_needs",
            "Their customers' unmet needs",
            NEED_COLUMNS,
            of("unmet_need"),
            "opportunities",
            _need_cells(),
            "Share of the company's reviews voicing a wish or a missing feature on the topic.",
        ),
        *_finding_table(
            "prices",
            "Where they charge more",
            PRICE_COLUMNS,
            of("price_gap"),
            "opportunities",
            _price_cells(),
            f"Geometric mean over matched products; other currencies converted at the rates of "
            f"{data.rates.date} ({data.rates.source}).",
        ),
    ]


@register("threats", "Threats: where they beat us", in_summary=True)
def threats_section(data: ReportData) -> list[Block]:
    ranked = list(enumerate(threats(data.findings)[:TOP_GROUPS], start=1))
    if not ranked:
        return [Paragraph("No competitor is significantly better than us on any aspect.")]
    return [
        Paragraph(
            "Ranked by threat score: their opinions × our dissatisfied share × the "
            "conservative end of their lead's 95% interval / 2 (evidence size counts as for "
            "opportunities)."
        ),
        *_finding_table(
            "strengths",
            "Their strengths where we are weak",
            _net_columns(lead=True),
            ranked,
            "threats",
            _net_cells(lead=True),
            "A gap for us to close; quotes are what their reviewers praise.",
        ),
    ]


# --- Aspects ------------------------------------------------------------------------------


@register("aspects", "Aspect comparison")
def aspects_section(data: ReportData) -> list[Block]:
    cells = {(c.company_id, c.aspect): c for c in data.overall_cells()}
    colours = _colours(data)
    blocks: list[Block] = [
        Paragraph(
            "Net sentiment = (positive − negative) / (positive + negative) opinions on the "
            "aspect, one opinion per review, with a 95% Wilson interval. A chart is drawn where "
            "at least two companies have opinions on the aspect."
        )
    ]
    for aspect in data.aspects():
        points = [
            IntervalRow(
                label=f"{company.name}{' (us)' if company.own else ''}",
                value=cell.net.value,
                low=cell.net.low,
                high=cell.net.high,
                colour=colours[company.id],
                href="#" + aspect_anchor(company.id, aspect),
                note=f"n={cell.opinions}",
            )
            for company in data.scope.companies
            if (cell := cells.get((company.id, aspect))) is not None and cell.opinions
        ]
        if len(points) >= 2:
            blocks.append(
                Chart(
                    f"Net sentiment on {aspect_label(aspect)} (n: opinions)",
                    interval_chart(
                        points,
                        axis_min=-1,
                        axis_max=1,
                        reference=0,
                        title=f"Net sentiment on {aspect_label(aspect)} with 95% intervals",
                        ticks=(-1, -0.5, 0, 0.5, 1),
                    ),
                )
            )
    columns = [
        Column("aspect", "aspect"),
        Column("company", "company"),
        Column("share", "reviews mentioning it (share)", numeric=True),
        Column("mentioning", "reviews mentioning / reviews", numeric=True),
        Column("net", "net sentiment (−1..1) [95% CI]", numeric=True),
        Column("opinions", "opinions + / −", numeric=True),
        Column("gap", "ours − theirs (−2..2) [95% CI]", numeric=True),
    ]
    rows: list[Row] = []
    for aspect in data.aspects():
        own = cells.get((data.scope.own.id, aspect))
        for company in data.scope.companies:
            cell = cells.get((company.id, aspect))
            if cell is not None:
                rows.append(Row(_aspect_row(data, aspect, company.id, cell, own)))
    blocks.append(Table("net_sentiment", "Net sentiment per aspect and company", columns, rows))
    return blocks


def _aspect_row(
    data: ReportData, aspect: str, company_id: int, cell: AspectCell, own: AspectCell | None
) -> dict[str, Cell]:
    anchor = "#" + aspect_anchor(company_id, aspect)
    net = cell.net
    gap = Cell("–")
    if own is not None and company_id != data.scope.own.id:
        test = compare_nets(
            own.positive,
            own.negative,
            cell.positive,
            cell.negative,
            min_sample=data.scope.min_sample,
        )
        if test.enough_data:
            gap = _significance_cell(test.gap, "net", test.significant, anchor)
        else:
            gap = Cell(f"too few opinions (< {data.scope.min_sample})", css="num ns")
    name = data.scope.name_of(company_id)
    return {
        "aspect": Cell(aspect_label(aspect), value=aspect),
        "company": Cell(name + (" (us)" if company_id == data.scope.own.id else ""), value=name),
        "share": Cell(number_text(cell.share.value, "share"), value=cell.share.value, css="num"),
        "mentioning": Cell(f"{cell.mentioning} / {cell.reviews}", css="num"),
        "net": Cell(
            interval_text(net, "net") if cell.opinions else "–",
            value=net.value if cell.opinions else None,
            href=anchor,
            css="num",
        ),
        "opinions": Cell(f"{cell.positive} / {cell.negative}", css="num"),
        "gap": gap,
    }


# --- Ratings ------------------------------------------------------------------------------


@register("ratings", "Ratings")
def ratings_section(data: ReportData) -> list[Block]:
    columns = [
        Column("company", "company"),
        Column("reviews", "reviews", numeric=True),
        Column("rated", "reviews with a rating", numeric=True),
        Column("average", "average (1–5 ★)", numeric=True),
        Column("stars", "reviews per star: 1 / 2 / 3 / 4 / 5", numeric=True),
    ]
    rows = []
    for summary in data.ratings:
        average = summary.average
        rows.append(
            Row(
                {
                    "company": Cell(data.scope.name_of(summary.company_id)),
                    "reviews": Cell(str(summary.reviews), css="num"),
                    "rated": Cell(str(summary.rated), css="num"),
                    "average": Cell(
                        "–" if average is None else f"{1 + 4 * average:.2f}",
                        value=None if average is None else 1 + 4 * average,
                        css="num",
                    ),
                    "stars": Cell(
                        " / ".join(str(summary.stars[s]) for s in range(1, 6)), css="num"
                    ),
                }
            )
        )
    return [
        Paragraph(
            "Ratings normalised across sources (1–5, 1–10, ...) and shown on a 5-star scale; "
            "distribution by nearest star."
        ),
        Table("ratings", "Ratings per company", columns, rows),
    ]


# --- Prices -------------------------------------------------------------------------------


def _price_changes(query: ReportQuery) -> list[PriceChange]:
    return price_changes(query.connection, query.scope)


@register("prices", "Price positioning", in_summary=True, load=_price_changes)
def prices_section(data: ReportData) -> list[Block]:
    rates = data.rates
    blocks: list[Block] = [
        Paragraph(
            "Price index: geometric mean of their price / our price over matched products and "
            "plans (GTIN, else plan, else SKU, else name), with a 95% interval. Other "
            f"currencies are converted at the euro reference rates of {rates.date} "
            f"({rates.source}), marked *."
        )
    ]
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
                note=f"{len(index.pairs)} products",
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
                    title="Price index against ours (1 = same price) with 95% intervals",
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
                        "index": Cell(
                            interval_text(
                                index.index, "ratio", index.index.low > 1 or index.index.high < 1
                            ),
                            value=index.index.value,
                            css="num",
                        ),
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
                    Column("index", "price index, theirs / ours [95% CI]", numeric=True),
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
        for c in loaded(data, "prices", list)
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
                    Column("observed", "observed"),
                ],
                change_rows,
            )
        )
    else:
        blocks.append(Paragraph("No price changed in the observed offer history.", css=""))
    return blocks


# --- Trends -------------------------------------------------------------------------------


CHANGES_IN_SUMMARY = 5


def _changes_summary(data: ReportData) -> list[Block]:
    """summary.md: the largest moves since the previous report."""
    if not data.changes:
        return []
    return [
        BulletList(
            [
                f"{c.company} on {c.aspect}: {c.before:+.2f} → {c.after:+.2f}"
                for c in data.changes[:CHANGES_IN_SUMMARY]
            ]
        )
    ]


@register(
    "trends",
    "Trends",
    summary=_changes_summary,
    summary_title="Changed since the previous report",
)
def trends_section(data: ReportData) -> list[Block]:
    colours = _colours(data)
    series = []
    for company in data.scope.companies:
        points = [
            (p.month, (p.positive - p.negative) / (p.positive + p.negative))
            for p in data.trends
            if p.company_id == company.id and p.positive + p.negative >= MIN_MONTH_OPINIONS
        ]
        series.append(Series(company.name, colours[company.id], points))
    blocks: list[Block] = [
        Paragraph(
            "Net sentiment of aspect opinions per month (months with at least "
            f"{MIN_MONTH_OPINIONS} opinions)."
        ),
        Chart(
            "Net sentiment per month",
            line_chart(series, y_min=-1, y_max=1, title="Net sentiment per month"),
        ),
    ]
    months = sorted({p.month for p in data.trends})[-6:]
    counts = {(p.company_id, p.month): p.reviews for p in data.trends}
    blocks.append(
        Table(
            "reviews_per_month",
            "Reviews per month (latest six)",
            [Column("company", "company"), *(Column(m, m, numeric=True) for m in months)],
            [
                Row(
                    {
                        "company": Cell(company.name),
                        **{m: Cell(str(counts.get((company.id, m), 0)), css="num") for m in months},
                    }
                )
                for company in data.scope.companies
            ],
        )
    )
    if data.previous_run_at is None:
        blocks.append(
            Paragraph("This is the first stored report: the next one lists what changed.", css="")
        )
    else:
        blocks.append(
            Table(
                "changes",
                f"Since the previous report ({data.previous_run_at:%Y-%m-%d %H:%M})",
                [
                    Column("company", "company"),
                    Column("aspect", "aspect"),
                    Column("before", "net sentiment before (−1..1)", numeric=True),
                    Column("after", "now (−1..1)", numeric=True),
                ],
                [
                    Row(
                        {
                            "company": Cell(c.company),
                            "aspect": Cell(aspect_label(c.aspect)),
                            "before": Cell(number_text(c.before, "net"), value=c.before, css="num"),
                            "after": Cell(number_text(c.after, "net"), value=c.after, css="num"),
                        }
                    )
                    for c in data.changes
                ],
                note="" if data.changes else "No aspect's net sentiment moved by 0.1 or more.",
            )
        )
    return blocks


# --- Needs --------------------------------------------------------------------------------


@register("needs", "Needs and complaints")
def needs_section(data: ReportData) -> list[Block]:
    blocks: list[Block] = []
    for company in data.scope.companies:
        needs = [n for n in data.needs if n.company_id == company.id][:NEEDS_PER_COMPANY]
        if not needs:
            continue
        rows = [
            Row(
                {
                    "need": Cell(aspect_label(n.need), value=n.need),
                    "kind": Cell("wish / missing" if n.kind == "unmet" else n.kind),
                    "reviews": Cell(
                        str(n.reviews), href="#" + need_anchor(company.id, n.key), css="num"
                    ),
                    "share": Cell(
                        number_text(n.share.value, "share"), value=n.share.value, css="num"
                    ),
                    "examples": Cell(
                        "",
                        quotes=data.need_evidence.get((company.id, n.key), Evidence()).items[
                            :TABLE_QUOTES
                        ],
                    ),
                }
            )
            for n in needs
        ]
        blocks.append(
            Table(
                f"needs_{_slug(company.name)}",
                f"{company.name}{' (us)' if company.own else ''}: most voiced needs",
                [
                    Column("need", "need"),
                    Column("kind", "kind"),
                    Column("reviews", "reviews voicing it", numeric=True),
                    Column("share", "share of the company's reviews", numeric=True),
                    Column("examples", "examples"),
                ],
                rows,
            )
        )
    return blocks or [Paragraph("No needs found.", css="")]


# --- Evidence and method ------------------------------------------------------------------


def _aspect_evidence(query: ReportQuery) -> dict[tuple[int, str], Evidence]:
    """Quotes behind each company's overall net sentiment on each aspect."""
    return {
        (cell.company_id, cell.aspect): opinion_evidence(
            query.connection,
            query.scope,
            query.source,
            cell.company_id,
            cell.aspect,
            None,
            cell.segment,
        )
        for cell in query.data.overall_cells()
    }


@register("evidence", "Evidence", load=_aspect_evidence, css="evidence")
def evidence_section(data: ReportData) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(
            "Quotes from the newest reviews behind each number; each links to the page the "
            "review was read on (imported reviews have none). Reviewers are never named."
        )
    ]
    for section, groups in (
        ("opportunities", opportunities(data.findings)[:TOP_GROUPS]),
        ("threats", threats(data.findings)[:TOP_GROUPS]),
    ):
        for rank, group in enumerate(groups, start=1):
            blocks.append(
                QuoteBlock(
                    group_anchor(section, rank),
                    f"{section[:-1].capitalize()} #{rank}: {group.main.summary}",
                    group.quotes(6),
                )
            )
    aspect_evidence: dict[tuple[int, str], Evidence] = loaded(data, "evidence", dict)
    for (company_id, aspect), evidence in sorted(aspect_evidence.items()):
        blocks.append(
            QuoteBlock(
                aspect_anchor(company_id, aspect),
                f"{data.scope.name_of(company_id)} on {aspect_label(aspect)}",
                evidence.items,
            )
        )
    for (company_id, need), evidence in sorted(data.need_evidence.items()):
        blocks.append(
            QuoteBlock(
                need_anchor(company_id, need),
                f"{data.scope.name_of(company_id)}: "
                f"{need.replace(':', ' about ').replace('_', ' ')}",
                evidence.items,
            )
        )
    return blocks


def _source_coverage(query: ReportQuery) -> list[SourceCoverage]:
    return source_coverage(query.connection, query.scope)


def _coverage_summary(data: ReportData) -> list[Block]:
    coverage: list[SourceCoverage] = loaded(data, "method", list)
    return (
        [BulletList([f"{c.company} · {c.source}: {c.text}" for c in coverage])] if coverage else []
    )


@register(
    "method",
    "Method",
    load=_source_coverage,
    summary=_coverage_summary,
    summary_title="Reviews collected of those declared",
)
def method_section(data: ReportData) -> list[Block]:
    return [
        Paragraph(
            "Each review gives one opinion per aspect (positive if its positive mentions "
            "outnumber the negative ones). Intervals: Wilson score (95%) on the positive share, "
            "mapped to net = 2p − 1; gaps: Newcombe's hybrid score interval for a difference of "
            "proportions. A gap is significant when its unrounded interval excludes 0 (printed "
            "bounds get extra decimals rather than read as 0), and is only judged on at least "
            f"{data.scope.min_sample} opinions on each side. {RANKING_RULE} Findings are about "
            "segments (product, category, language, region), never about individual reviewers."
        ),
        *_collection_coverage(data),
    ]


def _collection_coverage(data: ReportData) -> list[Block]:
    """Per source, the reviews collected of those its product pages declare (honesty about
    what the crawl could not see)."""
    coverage: list[SourceCoverage] = loaded(data, "method", list)
    if not coverage:
        return []
    listed = "; ".join(f"{c.company} · {c.source}: {c.text}" for c in coverage)
    return [
        Paragraph(
            "Reviews collected of those the product pages declare, per source (newest crawl): "
            + listed
            + "."
        )
    ]

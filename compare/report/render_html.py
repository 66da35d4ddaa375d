"""report.html: one self-contained page (inline CSS and SVG, no scripts, no network).

Every piece of scraped or user text goes through ``html.escape``; every number that rests
on reviews links to an anchor in the evidence section listing review ids and quotes.
"""

from __future__ import annotations

import re
from html import escape

from compare.report.aspects import AspectCell, MonthPoint, aspect_label
from compare.report.data_model import ReportData
from compare.report.evidence import Evidence
from compare.report.findings import FindingDraft, distinct_opportunities
from compare.report.stats import compare_nets
from compare.report.svg import (
    OWN_COLOUR,
    PALETTE,
    IntervalRow,
    Series,
    bar_row,
    interval_chart,
    line_chart,
)

TOP_FINDINGS = 15
MIN_MONTH_OPINIONS = 5
"""Months with fewer aspect opinions are left out of the trend lines (too noisy)."""
STAR_COLOURS = ("#d1495b", "#e8875b", "#edae49", "#8fbf6a", "#3f9b5a")
KIND_LABELS = {
    "competitor_weakness": "competitor weakness",
    "competitor_strength": "competitor strength",
    "unmet_need": "unmet need",
    "price_gap": "price gap",
}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;
padding:24px;color:#1d1d1f;line-height:1.45}
h1{margin-bottom:4px}h2{margin-top:40px;border-bottom:2px solid #eee;padding-bottom:4px}
.meta{color:#555;font-size:14px}
table{border-collapse:collapse;margin:10px 0;font-size:14px}
th,td{border-bottom:1px solid #e5e5e5;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f6f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.lead{background:#f3f8fc;border-left:4px solid #1b6ca8;padding:10px 16px;font-size:16px}
.sig{font-weight:600}.ns{color:#888}
.kind-competitor_weakness{color:#1b6ca8}.kind-competitor_strength{color:#d1495b}
.kind-unmet_need{color:#00798c}.kind-price_gap{color:#8e6c8a}
blockquote{margin:4px 0 4px 12px;padding-left:8px;border-left:3px solid #ddd;color:#333}
.evidence{font-size:13px}.evidence h4{margin:16px 0 2px}
.ids{color:#666;font-size:12px;word-break:break-all}
a{color:#1b6ca8}
.chart{max-width:100%;height:auto}
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def aspect_anchor(company_id: int, aspect: str) -> str:
    return f"ev-a-{company_id}-{_slug(aspect)}"


def need_anchor(company_id: int, need: str) -> str:
    return f"ev-n-{company_id}-{_slug(need)}"


def finding_anchor(rank: int) -> str:
    return f"ev-f-{rank}"


def _link(text: str, anchor: str) -> str:
    return f'<a href="#{escape(anchor)}">{escape(text)}</a>'


def _interval_text(value: float, low: float, high: float, fmt: str = "{:+.2f}") -> str:
    return f"{fmt.format(value)} [{fmt.format(low)}, {fmt.format(high)}]"


def _finding_effect(finding: FindingDraft) -> str:
    e = finding.effect
    if finding.kind == "unmet_need":
        return _interval_text(e.value, e.low, e.high, "{:.0%}")
    if finding.kind == "price_gap":
        return _interval_text(e.value, e.low, e.high, "{:+.0%}")
    return _interval_text(e.value, e.low, e.high)


def render_html(data: ReportData) -> str:
    colours = _company_colours(data)
    sections = [
        _header(data),
        _opportunities(data),
        _aspect_section(data, colours),
        _ratings_section(data),
        _price_section(data),
        _trend_section(data, colours),
        _needs_section(data),
        _evidence_section(data),
        _methods(data),
    ]
    title = f"Competitor gap report for {data.scope.own.name}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        + "".join(sections)
        + "</body></html>\n"
    )


def _company_colours(data: ReportData) -> dict[int, str]:
    colours = {data.scope.own.id: OWN_COLOUR}
    for i, company in enumerate(data.scope.competitors):
        colours[company.id] = PALETTE[i % len(PALETTE)]
    return colours


def _header(data: ReportData) -> str:
    scope = data.scope
    if scope.since or scope.until:
        dates = f"reviews {scope.since or 'from the first'} to {scope.until or 'the latest'}"
    else:
        dates = "all review dates"
    competitors = ", ".join(c.name for c in scope.competitors)
    return (
        f"<h1>Competitor gap report: {escape(scope.own.name)}</h1>"
        f'<p class="meta">Against {escape(competitors)} · {escape(dates)} · '
        f"{data.reviews} reviews · minimum sample {scope.min_sample} · report #{data.run_id}, "
        f"{escape(data.created_at.strftime('%Y-%m-%d %H:%M UTC'))}</p>"
    )


def _opportunities(data: ReportData) -> str:
    findings = data.findings[:TOP_FINDINGS]
    if not findings:
        lead = (
            '<p class="lead">No significant gap found: no competitor differs from us on any '
            f"aspect beyond chance with at least {data.scope.min_sample} opinions on each side.</p>"
        )
        return '<h2 id="opportunities">Top opportunities</h2>' + lead
    named = "; ".join(escape(f.summary) for f in distinct_opportunities(findings, 3))
    rows = []
    for rank, f in enumerate(findings, start=1):
        segment = f.segment.describe() if f.segment.dimension != "all" else "all"
        rows.append(
            "<tr>"
            f'<td class="num">{rank}</td><td>{escape(f.competitor)}</td><td>{escape(aspect_label(f.aspect))}</td>'
            f"<td>{escape(segment)}</td>"
            f'<td class="kind-{escape(f.kind)}">{escape(KIND_LABELS.get(f.kind, f.kind))}</td>'
            f'<td class="num">{_link(_finding_effect(f), finding_anchor(rank))}</td>'
            f'<td class="num">{_link(str(f.sample_size), finding_anchor(rank))}</td>'
            f'<td class="num">{f.score:.1f}</td><td>{escape(f.summary)}</td></tr>'
        )
    return (
        '<h2 id="opportunities">Top opportunities</h2>'
        f'<p class="lead">Top opportunities: {named}.</p>'
        "<table><tr><th>#</th><th>competitor</th><th>aspect</th><th>segment</th><th>kind</th>"
        "<th>effect [95% CI]</th><th>n</th><th>score</th><th>what it says</th></tr>"
        + "".join(rows)
        + "</table>"
        '<p class="meta">Effect: gap in net sentiment (ours minus theirs, −2..2), share of '
        "reviews for needs, price premium for price gaps. n: the competitor's opinions, "
        "reviews or matched products. Click a number for its evidence.</p>"
    )


def _aspect_section(data: ReportData, colours: dict[int, str]) -> str:
    cells = {(c.company_id, c.aspect): c for c in data.overall_cells()}
    own_id = data.scope.own.id
    charts, tables = [], []
    for aspect in data.aspects():
        rows = []
        for company in data.scope.companies:
            cell = cells.get((company.id, aspect))
            if cell is None or cell.opinions == 0:
                continue
            net = cell.net
            rows.append(
                IntervalRow(
                    label=f"{company.name}{' (us)' if company.own else ''}",
                    value=net.value,
                    low=net.low,
                    high=net.high,
                    colour=colours[company.id],
                    href="#" + aspect_anchor(company.id, aspect),
                    note=f"n={cell.opinions}",
                )
            )
        if rows:
            charts.append(
                f"<h3>{escape(aspect_label(aspect))}</h3>"
                + interval_chart(
                    rows,
                    axis_min=-1,
                    axis_max=1,
                    reference=0,
                    title=f"Net sentiment on {aspect} with 95% intervals",
                    ticks=(-1, -0.5, 0, 0.5, 1),
                )
            )
        tables.append(_aspect_table_rows(data, aspect, cells, own_id))
    header = (
        "<table><tr><th>aspect</th><th>company</th><th>share of reviews</th>"
        "<th>net [95% CI]</th><th>opinions (+/−)</th><th>gap to us [95% CI]</th></tr>"
    )
    return (
        '<h2 id="aspects">Aspect gaps</h2>'
        '<p class="meta">Net sentiment = (positive − negative) / (positive + negative) review '
        "opinions on the aspect, with a 95% Wilson interval. Dots link to quotes.</p>"
        + "".join(charts)
        + header
        + "".join(tables)
        + "</table>"
    )


def _aspect_table_rows(
    data: ReportData, aspect: str, cells: dict[tuple[int, str], AspectCell], own_id: int
) -> str:
    own = cells.get((own_id, aspect))
    rows = []
    for company in data.scope.companies:
        cell = cells.get((company.id, aspect))
        if cell is None:
            continue
        anchor = aspect_anchor(company.id, aspect)
        net = cell.net
        net_text = _interval_text(net.value, net.low, net.high) if cell.opinions else "–"
        gap_text = "–"
        if own is not None and not company.own:
            test = compare_nets(
                own.positive,
                own.negative,
                cell.positive,
                cell.negative,
                min_sample=data.scope.min_sample,
            )
            g = test.gap
            if test.enough_data:
                css = "sig" if test.significant else "ns"
                mark = " significant" if test.significant else " not significant"
                gap_text = (
                    f'<span class="{css}">{_interval_text(g.value, g.low, g.high)}{mark}</span>'
                )
            else:
                gap_text = (
                    f'<span class="ns">too few opinions (&lt; {data.scope.min_sample})</span>'
                )
        rows.append(
            f"<tr><td>{escape(aspect_label(aspect))}</td><td>{escape(company.name)}</td>"
            f'<td class="num">{_link(f"{cell.share.value:.0%} ({cell.mentioning}/{cell.reviews})", anchor)}</td>'
            f'<td class="num">{_link(net_text, anchor)}</td>'
            f'<td class="num">{cell.positive}/{cell.negative}</td><td class="num">{gap_text}</td></tr>'
        )
    return "".join(rows)


def _ratings_section(data: ReportData) -> str:
    rows = []
    for summary in data.ratings:
        name = data.scope.name_of(summary.company_id)
        total = sum(summary.stars.values()) or 1
        shares = [summary.stars[s] / total for s in range(1, 6)]
        average = (
            "–"
            if summary.average is None
            else f"{1 + 4 * summary.average:.2f} ★ ({summary.average:.2f})"
        )
        counts = " / ".join(str(summary.stars[s]) for s in range(1, 6))
        rows.append(
            f'<tr><td>{escape(name)}</td><td class="num">{summary.reviews}</td>'
            f'<td class="num">{summary.rated}</td><td class="num">{escape(average)}</td>'
            f'<td>{bar_row(shares, STAR_COLOURS)}</td><td class="num">{counts}</td></tr>'
        )
    return (
        '<h2 id="ratings">Ratings</h2>'
        '<p class="meta">Ratings normalised to 0..1 across sources (1–5, 1–10, ...) and shown '
        "on a 5-star scale; distribution by nearest star, 1 to 5.</p>"
        "<table><tr><th>company</th><th>reviews</th><th>rated</th><th>average</th>"
        "<th>distribution</th><th>1/2/3/4/5 ★</th></tr>" + "".join(rows) + "</table>"
    )


def _price_section(data: ReportData) -> str:
    rows, pairs = [], []
    for i, index in enumerate(data.price_indices):
        if index.index is None:
            continue
        rows.append(
            IntervalRow(
                label=index.competitor,
                value=index.index.value,
                low=index.index.low,
                high=index.index.high,
                colour=PALETTE[i % len(PALETTE)],
                note=f"{len(index.pairs)} pairs",
            )
        )
        for pair in index.pairs:
            own, other = pair.match.own, pair.match.competitor
            pairs.append(
                f"<tr><td>{escape(index.competitor)}</td><td>{escape(own.name or own.plan or '?')}</td>"
                f"<td>{escape(other.name or other.plan or '?')}</td><td>{escape(pair.match.method)}</td>"
                f'<td class="num">{own.price:,.2f} {escape(own.currency)}</td>'
                f'<td class="num">{other.price:,.2f} {escape(other.currency)}</td>'
                f'<td class="num">{pair.ratio:.2f}{" *" if pair.converted else ""}</td></tr>'
            )
    if not rows:
        return (
            '<h2 id="prices">Price positioning</h2><p>No product or plan could be matched '
            "between our catalogue and a competitor's (GTIN, plan, SKU or name).</p>"
        )
    top = max(2.0, max(r.high for r in rows) * 1.1)
    chart = interval_chart(
        rows,
        axis_min=0,
        axis_max=top,
        reference=1,
        title="Price index against ours (1 = same price) with 95% intervals",
        tick_format="{:.1f}",
        ticks=(0, 0.5, 1, 1.5, 2) if top <= 2.5 else (0, 1, top / 2, top),
    )
    rates = data.rates
    changes = "".join(
        f"<tr><td>{escape(c.company)}</td><td>{escape(c.product)}</td>"
        f'<td class="num">{c.first_price:,.2f} → {c.last_price:,.2f} {escape(c.currency)}</td>'
        f'<td class="num">{c.change_ratio:+.1%}</td><td class="num">{c.changes}</td>'
        f"<td>{escape(c.first_seen.strftime('%Y-%m-%d'))} – {escape(c.last_seen.strftime('%Y-%m-%d'))}</td></tr>"
        for c in data.price_changes
    )
    changes_html = (
        "<h3>Price changes in the offer history</h3><table><tr><th>company</th><th>product</th>"
        "<th>price</th><th>change</th><th>changes</th><th>observed</th></tr>" + changes + "</table>"
        if changes
        else "<p>No price changed in the observed offer history.</p>"
    )
    return (
        '<h2 id="prices">Price positioning</h2>'
        '<p class="meta">Price index: geometric mean of competitor price / our price over '
        "matched products and plans (GTIN, else plan, else SKU, else name), 95% interval. "
        f"* converted at fixed euro rates dated {escape(rates.date)} ({escape(rates.source)}), "
        "not live rates.</p>"
        + chart
        + "<table><tr><th>competitor</th><th>our product</th><th>their product</th><th>matched by</th>"
        "<th>our price</th><th>their price</th><th>ratio</th></tr>"
        + "".join(pairs)
        + "</table>"
        + changes_html
    )


def _trend_section(data: ReportData, colours: dict[int, str]) -> str:
    series = []
    for company in data.scope.companies:
        points = [
            (p.month, (p.positive - p.negative) / (p.positive + p.negative))
            for p in data.trends
            if p.company_id == company.id and p.positive + p.negative >= MIN_MONTH_OPINIONS
        ]
        series.append(Series(company.name, colours[company.id], points))
    chart = line_chart(series, y_min=-1, y_max=1, title="Net sentiment per month")
    volume: dict[int, list[MonthPoint]] = {}
    for p in data.trends:
        volume.setdefault(p.company_id, []).append(p)
    rows = "".join(
        f"<tr><td>{escape(data.scope.name_of(cid))}</td><td>"
        + ", ".join(f"{escape(p.month)}: {p.reviews}" for p in points[-6:])
        + "</td></tr>"
        for cid, points in volume.items()
    )
    changes = ""
    if data.previous_run_at is not None:
        items = (
            "".join(
                f"<li>{escape(c.company)} on {escape(c.aspect)}: net {c.before:+.2f} → {c.after:+.2f}</li>"
                for c in data.changes
            )
            or "<li>No aspect's net sentiment moved by 0.1 or more.</li>"
        )
        changes = (
            f"<h3>Since the previous report ({escape(data.previous_run_at.strftime('%Y-%m-%d %H:%M'))})</h3>"
            f"<ul>{items}</ul>"
        )
    else:
        changes = "<p>This is the first stored report: the next one lists what changed.</p>"
    return (
        '<h2 id="trends">Trends</h2>'
        f'<p class="meta">Net sentiment of aspect opinions per month (months with at least '
        f"{MIN_MONTH_OPINIONS} opinions).</p>"
        + chart
        + "<h3>Reviews per month (latest six)</h3><table>"
        + rows
        + "</table>"
        + changes
    )


def _needs_section(data: ReportData) -> str:
    blocks = []
    for company in data.scope.companies:
        needs = [n for n in data.needs if n.company_id == company.id][:5]
        if not needs:
            continue
        rows = "".join(
            f"<tr><td>{escape(n.need.replace('_', ' '))}</td><td>{escape('wish / missing' if n.kind == 'unmet' else n.kind)}</td>"
            f'<td class="num">{_link(f"{n.reviews} ({n.share.value:.0%})", need_anchor(company.id, n.key))}</td>'
            f"<td>{''.join(f'<blockquote>{escape(q)}</blockquote>' for q in data.need_evidence.get((company.id, n.key), Evidence()).quotes[:2])}</td></tr>"
            for n in needs
        )
        blocks.append(
            f"<h3>{escape(company.name)}{' (us)' if company.own else ''}</h3>"
            "<table><tr><th>need</th><th>kind</th><th>reviews (share)</th><th>examples</th></tr>"
            + rows
            + "</table>"
        )
    return '<h2 id="needs">Needs and complaints</h2>' + (
        "".join(blocks) or "<p>No needs found.</p>"
    )


def _evidence_block(anchor: str, title: str, evidence: Evidence) -> str:
    quotes = "".join(f"<blockquote>{escape(q)}</blockquote>" for q in evidence.quotes)
    ids = ", ".join(str(i) for i in evidence.review_ids) or "none"
    return (
        f'<div id="{escape(anchor)}"><h4>{escape(title)}</h4>{quotes}'
        f'<div class="ids">review ids: {escape(ids)}</div></div>'
    )


def _evidence_section(data: ReportData) -> str:
    blocks = [
        _evidence_block(finding_anchor(rank), f"#{rank} {f.summary}", f.evidence)
        for rank, f in enumerate(data.findings[:TOP_FINDINGS], start=1)
    ]
    for (company_id, aspect), evidence in sorted(data.aspect_evidence.items()):
        blocks.append(
            _evidence_block(
                aspect_anchor(company_id, aspect),
                f"{data.scope.name_of(company_id)} on {aspect}",
                evidence,
            )
        )
    for (company_id, need), evidence in sorted(data.need_evidence.items()):
        blocks.append(
            _evidence_block(
                need_anchor(company_id, need),
                f"{data.scope.name_of(company_id)}: {need.replace(':', ' about ').replace('_', ' ')}",
                evidence,
            )
        )
    return '<h2 id="evidence">Evidence</h2><div class="evidence">' + "".join(blocks) + "</div>"


def _coverage(data: ReportData) -> str:
    if not data.coverage:
        return ""
    items = "".join(
        f"<li>{escape(c.company)} · {escape(c.source)}: {escape(c.text)}</li>"
        for c in data.coverage
    )
    return (
        '<p class="meta">Reviews collected of those the product pages declare, per source '
        f"(newest crawl):</p><ul>{items}</ul>"
    )


def _methods(data: ReportData) -> str:
    return (
        '<h2 id="methods">Method</h2><p class="meta">'
        "Each review gives one opinion per aspect (positive if its positive mentions outnumber "
        "the negative ones). Intervals: Wilson score (95%) on the positive share, mapped to net "
        "= 2p − 1; gaps: Newcombe's hybrid score interval for a difference of proportions. A gap "
        f"is significant when its interval excludes 0, and is only judged on at least "
        f"{data.scope.min_sample} opinions on each side. Opportunity score = volume × competitor "
        "dissatisfaction × our advantage (conservative ends of the intervals). Findings are about "
        "segments (product, category, language, region), never about individual reviewers.</p>"
        + _coverage(data)
    )

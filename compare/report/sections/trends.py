"""Trends: net sentiment per month, reviews per month, complaint share per aspect and month,
changes since the last report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from compare.report.aspects import MonthPoint, aspect_label
from compare.report.blocks import Block, BulletList, Cell, Chart, Column, Paragraph, Row, Table
from compare.report.complaint_trends import (
    BASELINE_MONTHS,
    Complaints,
    ComplaintTrend,
    ComplaintTrends,
    complaint_trends,
    months_up_to,
)
from compare.report.data_model import (
    CHANGE_THRESHOLD,
    PRICE_MOVE_THRESHOLD,
    PriceIndexMove,
    ReportData,
)
from compare.report.numbers import family_text, interval_text, number_text, shared_digits
from compare.report.section_registry import ReportQuery, loaded, register
from compare.report.sections.anchors_and_cells import company_colours
from compare.report.svg import Series, line_chart

PERIODS: dict[str, Callable[[str], str]] = {
    "month": lambda month: month,
    "quarter": lambda month: f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}",
    "half-year": lambda month: f"{month[:4]}-H{1 if int(month[5:7]) <= 6 else 2}",
    "year": lambda month: month[:4],
}
"""Trend periods, finest first, each labelled from a ``YYYY-MM`` month so labels sort."""


def trend_periods(
    points: list[MonthPoint], min_sample: int
) -> tuple[str, dict[tuple[int, str], tuple[int, int]]]:
    """The finest period in which at least half of the companies' periods with opinions
    hold ``min_sample`` of them, and (company id, period) -> (positive, negative) in it.
    A month of five opinions swings by 0.4 with one review: such months are pooled."""
    chosen = "year"
    totals: dict[tuple[int, str], tuple[int, int]] = {}
    for period, label in PERIODS.items():
        totals = {}
        for point in points:
            key = (point.company_id, label(point.month))
            positive, negative = totals.get(key, (0, 0))
            totals[key] = (positive + point.positive, negative + point.negative)
        counts = [p + n for p, n in totals.values() if p + n]
        if counts and 2 * sum(c >= min_sample for c in counts) >= len(counts):
            chosen = period
            break
    return chosen, totals


CHANGES_IN_SUMMARY = 5


def _changes_summary(data: ReportData) -> list[Block]:
    """summary.md: the complaint shares whose last full month differs significantly from
    the months before, the largest moves since the previous report, and the findings it did
    not have or no longer has."""
    complaints = loaded(data, "trends", ComplaintTrends)
    moved = sorted(
        (t for t in complaints.trends if t.significant), key=lambda t: -abs(t.change.value)
    )
    lines = [
        f"{data.scope.name_of(t.company_id)} on {aspect_label(t.aspect)}: complaint share "
        f"{t.before.share:.0%} ({_months_text(complaints.before_months)}) → "
        f"{t.latest.share:.0%} ({complaints.latest_month})"
        for t in moved[:CHANGES_IN_SUMMARY]
    ]
    lines += [
        f"{c.company} on {c.aspect}: {c.before:+.2f} → {c.after:+.2f}"
        f"{' since the previous report' if moved else ''}"
        for c in data.changes[:CHANGES_IN_SUMMARY]
    ]
    lines += [
        f"{m.competitor}'s price index: {m.before:.2f} → {m.after:.2f}"
        f"{' since the previous report' if moved else ''}"
        for m in data.price_moves
        if abs(m.relative) >= PRICE_MOVE_THRESHOLD
    ]
    lines += [f"{NEW_FINDING}: {summary}" for summary in data.findings_new]
    lines += [f"{GONE_FINDING}: {summary}" for summary in data.findings_gone]
    return [BulletList(lines)] if lines else []


NEW_FINDING = "new finding"
GONE_FINDING = "no longer a finding"


def _shown_months(data: ReportData) -> tuple[list[str], str | None]:
    """The six calendar months the month tables show, and the one among them the report
    ends within (counted in part), if any."""
    months = _latest_months({p.month for p in data.trends}, 6)
    partial = months[-1] if months and _ends_within(months[-1], _last_day(data)) else None
    return months, partial


def _load_complaint_trends(query: ReportQuery) -> ComplaintTrends:
    """The complaint share tests, once for the page and summary.md: the last full month
    shown (a month the report ends within is never tested) against the months before."""
    months, partial = _shown_months(query.data)
    full = [m for m in months if m != partial]
    return complaint_trends(
        query.data.aspect_months, full[-1] if full else None, query.scope.min_sample
    )


@register(
    "trends",
    "Trends",
    summary=_changes_summary,
    summary_title="What changed",
    load=_load_complaint_trends,
)
def trends_section(data: ReportData) -> list[Block]:
    colours = company_colours(data)
    period, totals = trend_periods(data.trends, data.scope.min_sample)
    series = []
    for company in data.scope.companies:
        points = [
            (label, (positive - negative) / (positive + negative))
            for (company_id, label), (positive, negative) in sorted(totals.items())
            if company_id == company.id and positive + negative >= data.scope.min_sample
        ]
        series.append(Series(company.name, colours[company.id], points))
    title = f"Net sentiment per {period}"
    blocks: list[Block] = [
        Paragraph(
            f"Net sentiment of aspect opinions (all aspects together) per {period}, where a "
            f"{period} has at least {data.scope.min_sample} opinions (on fewer, one review "
            "moves the line by more than most real changes"
            + ("" if period == "month" else "; months hold fewer, so they are pooled")
            + "). Each point pools the company's languages, regions and products: a change in "
            "that mix moves it too. The x axis lists the periods shown, not a time scale."
        ),
        Chart(title, line_chart(series, y_min=-1, y_max=1, title=title)),
    ]
    months, partial = _shown_months(data)
    counts = {(p.company_id, p.month): p.reviews for p in data.trends}
    last_day = _last_day(data)
    blocks.append(
        Table(
            "reviews_per_month",
            "Reviews per month (latest six)",
            [Column("company", "company"), *_month_columns(months, partial, last_day)],
            [
                Row(
                    {
                        "company": Cell(company.name),
                        **{m: Cell(str(counts.get((company.id, m), 0)), css="num") for m in months},
                    }
                )
                for company in data.scope.companies
            ],
            note=(
                f"{partial} is counted to {last_day:%Y-%m-%d}, the report's last day: part of a "
                "month, so fewer reviews than a whole month is no fall."
                if partial
                else ""
            ),
        )
    )
    blocks.append(_complaint_table(data, months, partial, last_day))
    if data.previous_run_at is None:
        blocks.append(
            Paragraph(
                "No earlier stored report covers the same dates: the next one lists what changed.",
                css="",
            )
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
                note=(
                    f"Net sentiment moves of {CHANGE_THRESHOLD} or more on at least "
                    f"{data.scope.min_sample} opinions both times; a move is not tested for "
                    "significance (the two reports share most of their reviews)."
                    if data.changes
                    else f"No aspect's net sentiment moved by {CHANGE_THRESHOLD} or more on at "
                    f"least {data.scope.min_sample} opinions both times."
                ),
            )
        )
        blocks.append(_price_moves_since(data))
        blocks.append(_findings_since(data))
    return blocks


def _price_move_row(move: PriceIndexMove) -> Row:
    return Row(
        {
            "competitor": Cell(move.competitor),
            "before": Cell(number_text(move.before, "ratio"), value=move.before, css="num"),
            "after": Cell(number_text(move.after, "ratio"), value=move.after, css="num"),
            "change": Cell(number_text(move.relative, "premium"), value=move.relative, css="num"),
            "pairs": Cell(f"{move.pairs_before} / {move.pairs_after}", css="num"),
        }
    )


def _price_moves_since(data: ReportData) -> Table:
    """Each competitor's price index then and now: a price move showed in the prices
    section alone, with nothing to say it had moved since the last report."""
    return Table(
        "price_index_changes",
        "Price indices since the previous report",
        [
            Column("competitor", "competitor"),
            Column("before", "price index before (1 = our price)", numeric=True),
            Column("after", "now", numeric=True),
            Column("change", "change (relative)", numeric=True),
            Column("pairs", "matched products before / now", numeric=True),
        ],
        [_price_move_row(m) for m in data.price_moves],
        note=(
            "Each index is over the products matched at the time: a change in the products "
            "matched moves it too. A move is not tested for significance (the two reports "
            "share most of their prices)."
            if data.price_moves
            else "No competitor had a price index in both reports."
        ),
    )


def _findings_since(data: ReportData) -> Table:
    """The findings this report has that the previous one did not, and those it no longer
    has (a gap that closed, or whose evidence no longer clears the bar): without it a
    finding that stopped being true just vanished from the page."""
    rows = [
        Row({"change": Cell(change), "finding": Cell(summary)})
        for change, summaries in (
            (NEW_FINDING, data.findings_new),
            (GONE_FINDING, data.findings_gone),
        )
        for summary in summaries
    ]
    return Table(
        "findings_since",
        "Findings new or no longer found since the previous report",
        [Column("change", "change"), Column("finding", "finding (with that report's figures)")],
        rows,
        note=(
            "A finding no longer found is one the previous report had that this one does not: "
            "its gap closed, or its evidence no longer clears the bar (significance, minimum sample)."
            if rows
            else "The same findings as the previous report (their figures may have moved)."
        ),
    )


def _month_columns(months: list[str], partial: str | None, last_day: date) -> list[Column]:
    """One column per month; the month the report ends within says how far it is counted."""
    return [
        Column(m, f"{m} (days 1–{last_day.day})" if m == partial else m, numeric=True)
        for m in months
    ]


def _months_text(months: list[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"


def _complaints_cell(complaints: Complaints | None, min_sample: int) -> Cell:
    """A month's complaint share with its counts; on fewer than ``min_sample`` opinions the
    counts alone (one review moves such a share by more than most real changes)."""
    if complaints is None or not complaints.opinions:
        return Cell("–", value="", css="num")
    counts = f"{complaints.negative}/{complaints.opinions}"
    if complaints.opinions < min_sample:
        return Cell(f"({counts})", value="", css="num")
    return Cell(f"{complaints.share:.0%} ({counts})", value=complaints.share, css="num")


def _complaint_row(
    data: ReportData, trend: ComplaintTrend, months: list[str], digits: int | None = None
) -> Row:
    return Row(
        {
            "company": Cell(data.scope.name_of(trend.company_id)),
            "aspect": Cell(aspect_label(trend.aspect)),
            **{m: _complaints_cell(trend.months.get(m), data.scope.min_sample) for m in months},
            "change": Cell(
                interval_text(trend.change, "points", trend.significant, digits),
                value=trend.change.value,
                css="num",
                interval=trend.change,
                significant=trend.significant,
            ),
            "latest_opinions": Cell(str(trend.latest.opinions), css="num"),
            "before_opinions": Cell(str(trend.before.opinions), css="num"),
        }
    )


def _complaint_table(
    data: ReportData, months: list[str], partial: str | None, last_day: date
) -> Table:
    """Per company and aspect with enough opinions: the complaint share of each month shown,
    and the last full month against the months before it, tested."""
    tested = loaded(data, "trends", ComplaintTrends)
    latest = tested.latest_month or "the last full month"
    before = _months_text(tested.before_months) if tested.before_months else "the months before"
    order = {company.id: i for i, company in enumerate(data.scope.companies)}
    volume = {aspect: i for i, aspect in enumerate(data.aspects())}
    trends = sorted(
        tested.trends,
        key=lambda t: (order.get(t.company_id, len(order)), volume.get(t.aspect, len(volume))),
    )
    digits = shared_digits([(t.change, t.significant) for t in trends], "points")
    note = (
        "Complaint share: of a company's reviews with a positive or negative opinion on the "
        "aspect, the share with a negative one (negative/opinions in brackets; a month with "
        f"fewer than {data.scope.min_sample} opinions shows its counts alone). The change "
        f"sets {latest} against the {BASELINE_MONTHS} months before it pooled ({before}), "
        "different reviews on each side; a company and aspect is shown only with at least "
        f"{data.scope.min_sample} opinions on each side"
        + (f" ({tested.untested} fell short)" if tested.untested else "")
        + ". "
        + family_text(tested.level, "changes")
        + " A share pools the company's languages, regions and products: a change in that "
        "mix moves it too."
    )
    if partial is not None:
        note += f" {partial} is counted to {last_day:%Y-%m-%d}, part of a month: shown, not tested."
    return Table(
        "complaint_share",
        "Complaint share per aspect and month (latest six)",
        [
            Column("company", "company"),
            Column("aspect", "aspect"),
            *_month_columns(months, partial, last_day),
            Column(
                "change", f"change: {latest} against {before} (percentage points)", numeric=True
            ),
            Column("latest_opinions", f"opinions in {latest}", numeric=True),
            Column("before_opinions", f"opinions in {before}", numeric=True),
        ],
        [_complaint_row(data, t, months, digits) for t in trends],
        note=note,
    )


def _latest_months(months: set[str], count: int) -> list[str]:
    """The ``count`` calendar months (``YYYY-MM``) up to the latest of ``months``, a month
    without reviews included: taking only months with reviews put 2025-11 beside 2026-02
    as if they were consecutive, hiding a quiet quarter."""
    return months_up_to(max(months), count) if months else []


def _last_day(data: ReportData) -> date:
    """The last day the report's reviews can be from: ``--until``, else the day it is made."""
    today = data.created_at.date()
    return min(data.scope.until, today) if data.scope.until is not None else today


def _ends_within(month: str, day: date) -> bool:
    """Whether ``day`` falls in ``month`` (``YYYY-MM``) before its last day: the month's
    count is then of part of it. (A month ending a report in the middle of it read as a
    collapse of reviews: 23 against the previous month's 91, eight days in.)"""
    return f"{day:%Y-%m}" == month and (day + timedelta(days=1)).month == day.month

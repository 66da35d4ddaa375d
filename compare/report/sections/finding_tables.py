"""Opportunities and threats: the ranked finding groups in tables, one unit per column
(net sentiment, share of reviews or price premium are never mixed), each saying what its
counts count (opinions, reviews or matched products)."""

from __future__ import annotations

from collections.abc import Callable

from compare.report.aspects import aspect_label
from compare.report.blocks import Block, BulletList, Cell, Column, Paragraph, Row, Table
from compare.report.data_model import ReportData
from compare.report.finding_groups import RANKING_RULE, FindingGroup, opportunities, threats
from compare.report.findings import SEGMENT_KINDS, Finding, SmallSegments
from compare.report.numbers import (
    family_text,
    number_text,
    own_base_text,
    score_text,
    shared_digits,
)
from compare.report.section_registry import register
from compare.report.sections.anchors_and_cells import TABLE_QUOTES, group_anchor, significance_cell
from compare.report.segment_mix import mix_notes
from compare.report.stats import Interval

TOP_GROUPS = 15
"""Finding groups shown per section (all of them are in findings.csv)."""
CellBuilder = Callable[[Finding, str], Cell]
"""A finding-table column: (finding, its group's evidence anchor) -> cell."""


def _segment_text(finding: Finding) -> str:
    return "all reviews" if finding.segment.dimension == "all" else finding.segment.describe()


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
        value = f.competitor_value or 0.0
        return Cell(number_text(value, "net"), value=value, css="num")

    def ours(f: Finding, _: str) -> Cell:
        return Cell(number_text(f.own_value or 0.0, "net"), value=f.own_value, css="num")

    def gap(f: Finding, anchor: str) -> Cell:
        e = f.effect
        interval = Interval(-e.value, -e.high, -e.low) if lead else e
        return significance_cell(interval, "net", f.significant, f"#{anchor}")

    def base(f: Finding, _: str) -> Cell:
        return Cell(own_base_text(f.own_base, f.segment.dimension != "all"), value=f.own_base)

    return {"theirs": theirs, "ours": ours, "base": base, "gap": gap, "sample": _sample_cell}


def _net_columns(lead: bool) -> list[Column]:
    gap = (
        "their lead: theirs − ours (−2..2) [adjusted CI]"
        if lead
        else "our advantage: ours − theirs (−2..2) [adjusted CI]"
    )
    return [
        *LEADING,
        Column("theirs", "their net sentiment (−1..1)", numeric=True),
        Column("ours", "our net sentiment (−1..1)", numeric=True),
        Column("base", "ours from"),
        Column("gap", gap, numeric=True),
        Column("sample", "opinions: theirs / ours", numeric=True),
        *TRAILING,
    ]


def _need_cells(digits: int | None = None) -> dict[str, CellBuilder]:
    """Columns of a need finding; ``digits``: the difference column's decimals
    (``points_digits``)."""

    def theirs(f: Finding, _: str) -> Cell:
        value = f.competitor_value or 0.0
        return Cell(number_text(value, "share"), value=f.competitor_value, css="num")

    def ours(f: Finding, _: str) -> Cell:
        return Cell(number_text(f.own_value or 0.0, "share"), value=f.own_value, css="num")

    def gap(f: Finding, anchor: str) -> Cell:
        return significance_cell(f.effect, "points", f.significant, f"#{anchor}", digits)

    return {"theirs": theirs, "ours": ours, "gap": gap, "sample": _sample_cell}


def _sample_cell(f: Finding, _: str) -> Cell:
    """Both samples, theirs first; the CSV gets ours in a column of its own (``sample_ours``)."""
    return _samples_cell(f.sample_size, f.own_sample_size, "sample_ours")


def _samples_cell(first: int, second: int, second_column: str) -> Cell:
    """The cell "first / second": the CSV's ``sample`` the first and ``second_column`` the second."""
    return Cell(f"{first} / {second}", value=first, css="num", csv_extra={second_column: second})


def points_digits(ranked: list[tuple[int, FindingGroup]]) -> int:
    """Decimals of a need table's difference column: the most any of its rows needs, so the
    column reads at one precision."""
    return shared_digits(
        [(f.effect, f.significant) for _, group in ranked for f in group.members], "points"
    )


NEED_COLUMNS = [
    *LEADING[:2],
    Column("topic", "need"),
    LEADING[3],
    Column("theirs", "their reviews voicing it (share)", numeric=True),
    Column("ours", "ours (share)", numeric=True),
    Column("gap", "difference, theirs − ours (percentage points) [adjusted CI]", numeric=True),
    Column("sample", "reviews: theirs / ours", numeric=True),
    *TRAILING,
]


def _price_cells() -> dict[str, CellBuilder]:
    def premium(f: Finding, anchor: str) -> Cell:
        return significance_cell(f.effect, "premium", f.significant, f"#{anchor}")

    def sample(f: Finding, _: str) -> Cell:
        return Cell(str(f.sample_size), value=f.sample_size, css="num")

    return {"gap": premium, "sample": sample}


PRICE_COLUMNS = [
    *LEADING[:2],
    Column("gap", "their price premium over ours (%) [adjusted CI]", numeric=True),
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


def _mix_caveats(data: ReportData, ranked: list[tuple[int, FindingGroup]]) -> list[Block]:
    """A note on the shown net-sentiment findings over all their reviews (whole company
    against whole company) whose gap disagrees, in sign or significance, with the gap at a
    common segment mix (``segment_mix``)."""
    whole = {
        (f.competitor_id, f.aspect)
        for _, group in ranked
        for f in group.members
        if f.kind in SEGMENT_KINDS and f.segment.dimension == "all"
    }
    if not whole:
        return []
    notes = mix_notes(data.mix_comparisons(), data.scope.name_of, whole)
    if not notes:
        return []
    return [
        Paragraph(
            "Segment mix: of the findings over all reviews above, these read differently "
            "when both sides are weighted to a common segment mix (see the aspect "
            "comparison):",
            css="banner",
        ),
        BulletList(notes),
    ]


def _left_out(data: ReportData, *, said_above: bool = False) -> list[Block]:
    """The segments too small to compare (they are neither opportunities nor threats: both
    sections judge at the report's --min-sample), in one paragraph; none: nothing.
    ``said_above``: the opportunities section said it in full, and the threats section
    points there instead of saying the same line again."""
    small = SmallSegments.of(data.cells, data.scope)
    text = small.text()
    if text is None:
        return []
    if said_above:
        which = "segment" if small.count == 1 else f"{small.count} segments"
        text = f"The {which} too small to compare (see the opportunities) are left out here too."
    return [Paragraph(text)]


@register("opportunities", "Opportunities: where we can win customers", in_summary=True)
def opportunities_section(data: ReportData) -> list[Block]:
    ranked = list(enumerate(opportunities(data.findings)[:TOP_GROUPS], start=1))
    left_out = _left_out(data)
    if not ranked:
        return [Paragraph("No significant opportunity found.", css="lead"), *left_out]

    def of(kind: str) -> list[tuple[int, FindingGroup]]:
        return [(rank, group) for rank, group in ranked if group.kind == kind]

    return [
        Paragraph(RANKING_RULE + " Ranks run across the three tables."),
        *_finding_table(
            "weaknesses",
            WEAKNESS_HEADING,
            _net_columns(lead=False),
            of("competitor_weakness"),
            "opportunities",
            _net_cells(lead=False),
            "Net sentiment = (positive − negative) / (positive + negative) opinions on the "
            "aspect. Segments below a row are where the gap concentrates. "
            + WEAKNESS_RULE
            + BASE_NOTE
            + family_text(data.gap_level, "net sentiment gaps"),
        ),
        *_finding_table(
            "unmet_needs",
            "Their customers' unmet needs",
            NEED_COLUMNS,
            of("unmet_need"),
            "opportunities",
            _need_cells(points_digits(of("unmet_need"))),
            "Share of the company's reviews voicing a wish or a missing feature on the topic. "
            + family_text(data.need_level, "needs"),
        ),
        *_finding_table(
            "prices",
            "Where they charge more",
            PRICE_COLUMNS,
            of("price_gap"),
            "opportunities",
            _price_cells(),
            f"Geometric mean over matched products; other currencies converted at the rates of "
            f"{data.rates.date} ({data.rates.source}). "
            + family_text(data.price_level, "price indices"),
        ),
        *_mix_caveats(data, of("competitor_weakness")),
        *left_out,
    ]


WEAKNESS_HEADING = "Where their net sentiment is below ours, and ours is positive"
"""What ``competitor_weakness`` checks (``WEAKNESS_RULE``): their net may be positive too."""
STRENGTH_HEADING = "Where their net sentiment is above ours, and theirs is positive"
"""What ``competitor_strength`` checks (``STRENGTH_RULE``): ours may be positive too."""
WEAKNESS_RULE = (
    "A row needs their net significantly below ours and ours above 0 beyond chance (its 95% "
    "interval above 0): a significant gap where our own net may be 0 or below is no strength "
    "of ours to sell, and is left to the aspect comparison. "
)
STRENGTH_RULE = (
    "A row needs their net significantly above ours and theirs above 0 beyond chance (its "
    "95% interval above 0); other significant gaps are in the aspect comparison. "
)
BASE_NOTE = (
    "A segment of theirs is compared with our reviews in the same segment when we have "
    'enough of them, else with our whole company ("ours from" says which: a gap against '
    "our whole company may come from the segment's mix of customers rather than from them). "
)
OWN_NEED_COLUMNS = [
    *LEADING[:2],
    Column("topic", "need"),
    Column("ours", "our reviews voicing it (share)", numeric=True),
    Column("theirs", "theirs (share)", numeric=True),
    Column("gap", "difference, ours − theirs (percentage points) [adjusted CI]", numeric=True),
    Column("sample", "reviews: ours / theirs", numeric=True),
    TRAILING[0],  # the score
    Column("evidence", "what our reviewers say"),
]


def _own_need_cells(digits: int | None = None) -> dict[str, CellBuilder]:
    """Columns of a need our reviewers voice more: ours first, the difference turned to
    ours − theirs (positive), as the column heading says."""
    cells = _need_cells(digits)

    def gap(f: Finding, anchor: str) -> Cell:
        e = f.effect
        return significance_cell(
            Interval(-e.value, -e.high, -e.low), "points", f.significant, f"#{anchor}", digits
        )

    def sample(f: Finding, _: str) -> Cell:
        return _samples_cell(f.own_sample_size, f.sample_size, "sample_theirs")

    return {**cells, "gap": gap, "sample": sample}


@register("threats", "Threats: where they beat us", in_summary=True)
def threats_section(data: ReportData) -> list[Block]:
    ranked = list(enumerate(threats(data.findings)[:TOP_GROUPS], start=1))
    left_out = _left_out(data, said_above=True)
    if not ranked:
        return [
            Paragraph(
                "No competitor is significantly better than us on any aspect, and no need is "
                "voiced significantly more by our reviewers than by theirs."
            ),
            *left_out,
        ]

    def of(kind: str) -> list[tuple[int, FindingGroup]]:
        return [(rank, group) for rank, group in ranked if group.kind == kind]

    return [
        Paragraph(
            "Where they beat us; not targets to win, gaps for us to close. Ranked by threat "
            "score: their opinions × our dissatisfied share × the conservative end of their "
            "lead's interval / 2 (a need: our reviews voicing it × our share × the "
            "conservative end of the difference; evidence size counts as for opportunities). "
            "Ranks run across the tables."
        ),
        *_finding_table(
            "strengths",
            STRENGTH_HEADING,
            _net_columns(lead=True),
            of("competitor_strength"),
            "threats",
            _net_cells(lead=True),
            "A gap for us to close; quotes are what their reviewers praise. "
            + STRENGTH_RULE
            + BASE_NOTE
            + family_text(data.gap_level, "net sentiment gaps"),
        ),
        *_finding_table(
            "own_needs",
            "Needs our customers voice more than theirs",
            OWN_NEED_COLUMNS,
            of("own_unmet_need"),
            "threats",
            _own_need_cells(points_digits(of("own_unmet_need"))),
            "Share of the company's reviews voicing a wish or a missing feature on the topic; "
            "quotes are our reviewers'. Judged with their unmet needs, as one family: "
            + family_text(data.need_level, "needs"),
        ),
        *_mix_caveats(data, of("competitor_strength")),
        *left_out,
    ]

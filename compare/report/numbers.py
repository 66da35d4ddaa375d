"""How the report writes numbers: intervals whose printed bounds agree with the test.

Significance is decided on unrounded values (``Interval.excludes_zero``); the printed
interval then gets as many decimals as it takes for a significant interval not to read as
touching 0 (``[-0.83, -0.004]``, never ``[-0.83, -0.00]``).
"""

from __future__ import annotations

from compare.report.findings import Finding
from compare.report.stats import FDR, FamilyLevel, Interval
from storage.findings_models import SAMPLE_UNITS

MAX_EXTRA_DIGITS = 3
STYLES = {
    "net": ("{:+.{d}f}", 2),
    "share": ("{:.{d}%}", 0),
    "points": ("{:+.{d}f}", 0),
    "premium": ("{:+.{d}%}", 0),
    "ratio": ("{:.{d}f}", 2),
}
"""Format and default decimals: net sentiment (-1..1) and its differences, shares of
reviews (%) and their differences (signed percentage points, no % sign: "+14", not "+14%"
beside a share of 16%), price premiums (index - 1) and price indices."""
SCALES = {"points": 100.0}
"""Styles whose numbers are written scaled: a difference of shares 0.108 as 10.8 points."""


def number_text(value: float, style: str, digits: int | None = None) -> str:
    fmt, default = STYLES[style]
    return fmt.format(value * SCALES.get(style, 1.0), d=default if digits is None else digits)


def _reads_as_zero(text: str) -> bool:
    return not any(ch in "123456789" for ch in text)


def interval_digits(interval: Interval, style: str, significant: bool) -> int:
    """Decimals for ``interval``: the default, or more while a significant interval's
    printed bound reads as 0."""
    _, digits = STYLES[style]
    if not significant:
        return digits
    bound = interval.low if interval.low > 0 else interval.high
    for extra in range(MAX_EXTRA_DIGITS + 1):
        if not _reads_as_zero(number_text(bound, style, digits + extra)):
            return digits + extra
    return digits + MAX_EXTRA_DIGITS


def shared_digits(intervals: list[tuple[Interval, bool]], style: str) -> int:
    """Decimals for a column of (interval, significant): the most any of them needs
    (``interval_digits``), so one quantity reads at one precision down a column ("+14.0"
    above "+10.8", not "+14" above "+10.8")."""
    return max(
        (interval_digits(i, style, significant) for i, significant in intervals),
        default=STYLES[style][1],
    )


def interval_text(
    interval: Interval, style: str, significant: bool | None = None, digits: int | None = None
) -> str:
    """``value [low, high]`` with decimals that keep the printed bounds honest
    (``significant`` defaults to the interval excluding 0; ``digits``: a column's
    ``shared_digits``, at least as many as this interval needs)."""
    if significant is None:
        significant = interval.excludes_zero()
    needed = interval_digits(interval, style, significant)
    digits = needed if digits is None else max(digits, needed)
    low, high = (number_text(v, style, digits) for v in (interval.low, interval.high))
    return f"{number_text(interval.value, style, digits)} [{low}, {high}]"


EFFECT_STYLES = {
    "competitor_weakness": "net",
    "competitor_strength": "net",
    "unmet_need": "points",
    "own_unmet_need": "points",
    "price_gap": "premium",
}
"""How each finding kind's effect reads: a net sentiment difference, the difference between
the shares of their reviews and ours voicing the need, the price premium over ours."""
VALUE_STYLES = {
    "competitor_weakness": "net",
    "competitor_strength": "net",
    "unmet_need": "share",
    "own_unmet_need": "share",
}
"""How each kind's two sides read (their and our net sentiment, or share of reviews)."""
LEGACY_NEED = "unmet_need_share"
"""The kind key of an unmet need stored before the difference with ours was
(``StoredFinding.legacy_need``): its effect is their share of reviews alone."""


STORED_EFFECT_UNITS = {
    "competitor_weakness": "net sentiment, ours − theirs",
    "competitor_strength": "net sentiment, ours − theirs",
    "unmet_need": "share of reviews, theirs − ours, percentage points",
    "own_unmet_need": "share of reviews, theirs − ours, percentage points",
    "price_gap": "their price premium",
    LEGACY_NEED: "their share of reviews alone, 95% CI; stored by an earlier version",
}
"""What a finding's effect measures."""


def effect_style(kind: str) -> str:
    """The ``STYLES`` key a finding kind's effect is written in."""
    return "share" if kind == LEGACY_NEED else EFFECT_STYLES.get(kind, "net")


def kind_digits(effects: list[tuple[str, Interval]]) -> dict[str, int]:
    """Decimals of a column of findings' effects, per kind ((kind, effect) pairs): each
    kind's ``shared_digits``, so one quantity reads at one precision down the column."""
    by_kind: dict[str, list[tuple[Interval, bool]]] = {}
    for kind, effect in effects:
        by_kind.setdefault(kind, []).append((effect, effect.excludes_zero()))
    return {kind: shared_digits(group, effect_style(kind)) for kind, group in by_kind.items()}


def effect_text(
    kind: str,
    value: float,
    low: float,
    high: float,
    *,
    unit: bool = True,
    digits: int | None = None,
) -> str:
    """A finding's effect and interval as the report writes that kind's numbers, and what it
    measures ("+24 [+13, +35] (share of reviews, theirs − ours, percentage points)";
    ``unit=False``: the numbers alone, for a table that says the units once, see
    ``effect_units_text``; ``digits``: the column's ``shared_digits`` for the kind)."""
    numbers = interval_text(Interval(value, low, high), effect_style(kind), digits=digits)
    if unit and kind in STORED_EFFECT_UNITS:
        return f"{numbers} ({STORED_EFFECT_UNITS[kind]})"
    return numbers


def side_text(kind: str, value: float | None) -> str:
    """One side of a finding's comparison (their or our net sentiment or share), "" when
    the kind or the stored row has none."""
    style = VALUE_STYLES.get(kind)
    return "" if style is None or value is None else number_text(value, style)


def effect_units_text(kinds: list[str]) -> str:
    """What the effect of each of ``kinds`` measures, kinds of one unit together:
    "competitor weakness, competitor strength: net sentiment, ours − theirs"."""
    return units_text(kinds, STORED_EFFECT_UNITS)


def units_text(kinds: list[str], units: dict[str, str]) -> str:
    """What a number means for each of ``kinds`` (``units``: kind -> unit), kinds of one
    unit together, in the order the kinds first come."""
    by_unit: dict[str, list[str]] = {}
    for kind in dict.fromkeys(kinds):
        if kind in units:
            by_unit.setdefault(units[kind], []).append(kind.replace("_", " "))
    return "; ".join(f"{', '.join(names)}: {unit}" for unit, names in by_unit.items())


def own_base_text(own_base: str | None, segment: bool) -> str:
    """Which of ours a finding compared theirs with (``OWN_BASES``), short for a table
    cell; ``segment``: the finding is on a segment of theirs, so our whole company is a
    fallback, said so."""
    if own_base == "company" and segment:
        return "whole company (too few of ours in the segment)"
    return OWN_BASE_CELLS.get(own_base or "", "")


OWN_BASE_CELLS = {
    "segment": "same segment",
    "company": "whole company",
    "matched_products": "matched products",
}


def score_text(score: float) -> str:
    """An opportunity score with two significant figures below 10 (0.0042, not 0.0)."""
    if score >= 10:
        return f"{score:.0f}"
    if score <= 0:
        return "0"
    return f"{score:.2g}"


def sample_text(finding: Finding) -> str:
    return f"{finding.sample_size} {SAMPLE_UNITS.get(finding.kind, 'items')}"


def family_text(level: FamilyLevel, what: str, reference: str = "0") -> str:
    """How a family of comparisons was judged, for a table's note: "26 of the 39 gaps
    compared are significant at a 5% false discovery rate (Benjamini-Hochberg); their
    intervals are adjusted to match (96.7% each)"."""
    if level.tests == 0:
        return f"No {what} had enough data on both sides to be compared."
    confidence = f"{level.confidence:.1%}".replace(".0%", "%")
    return (
        f"{level.significant} of the {level.tests} {what} compared "
        f"{'is' if level.significant == 1 else 'are'} significant at a {FDR:.0%} false "
        "discovery rate (Benjamini-Hochberg), which allows for the number compared; their "
        f"intervals are adjusted to match ({confidence} each), so an interval excludes "
        f"{reference} exactly when its difference is significant."
    )

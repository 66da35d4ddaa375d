"""Whole-company gaps adjusted for segment mix (direct standardisation).

Our net sentiment on an aspect against a competitor's, each over all its reviews, compares
two mixes of customers as well as two shops: when their reviews come mostly from a segment
(a language, region or category) that is harsher at every shop, the raw gap can mislead or
even change sign (Simpson's paradox). The adjusted gap weights both sides' per-segment
positive shares by one common mix, the pooled one (both sides' opinions per segment over
both sides' opinions)::

    adjusted = 2 * sum_s w_s (p_ours,s - p_theirs,s),   w_s = (n_ours,s + n_theirs,s) / N

Its interval is the MOVER interval of a weighted sum of proportions (Zou & Donner 2008;
Newcombe's hybrid score interval, which the raw gap uses, is its two-term case): each
segment's Wilson interval, at the raw gap's level, recovers its variance on each side, so
a segment at 0 or n opinions is honest and one segment gives exactly the raw interval.
The weights are taken as fixed (the usual convention of direct standardisation).

Segments with fewer than ``MIN_STRATUM`` opinions on either side, and the reviews with no
value in the dimension (no region shown, product without a category), are pooled into one
``other`` segment; when ``other`` is itself too small on a side it is left out, and the
comparison says which share of both sides' opinions it covers. A dimension with fewer than
two segments left has no mix to adjust and gives no comparison. A product is one shop's
own, so products are never a shared mix.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from compare.report.aspects import AspectCell, aspect_label
from compare.report.findings import LIKE_DIMENSIONS
from compare.report.numbers import interval_text
from compare.report.stats import Z_95, Interval, compare_nets, wilson_interval

MIN_STRATUM = 5
"""Fewest opinions on each side for a segment to be a stratum of its own (else ``other``)."""
OTHER = "other"


@dataclass(frozen=True)
class Stratum:
    """One segment's opinions on the aspect: ours and theirs, positive and negative."""

    key: str
    own_positive: int
    own_negative: int
    their_positive: int
    their_negative: int
    rest: bool = False
    """Opinions with no value in the dimension, or pooled small segments: ``other``."""

    @property
    def own(self) -> int:
        return self.own_positive + self.own_negative

    @property
    def theirs(self) -> int:
        return self.their_positive + self.their_negative

    def __add__(self, other: Stratum) -> Stratum:
        return Stratum(
            OTHER,
            self.own_positive + other.own_positive,
            self.own_negative + other.own_negative,
            self.their_positive + other.their_positive,
            self.their_negative + other.their_negative,
            rest=True,
        )


@dataclass(frozen=True)
class Standardised:
    """Both sides at the pooled mix of the strata kept."""

    gap: Interval
    """Ours − theirs, net sentiment (−2..2), with its interval."""
    own_net: float
    their_net: float
    strata: tuple[str, ...]
    """Kept strata, largest weight first (``other`` last when kept)."""
    pooled: int
    """Segments pooled into ``other`` (too few opinions on a side)."""
    coverage: float
    """Share of both sides' opinions in the kept strata (1: every opinion)."""


def standardise(
    strata: list[Stratum], z: float = Z_95, min_stratum: int = MIN_STRATUM
) -> Standardised | None:
    """Direct standardisation of ``strata`` to their pooled mix (see the module's
    docstring); None when not even the pooled ``other`` has ``min_stratum`` opinions on
    both sides. ``rest`` strata (opinions with no value in the dimension) and those with
    fewer than ``min_stratum`` opinions on a side are pooled into one."""
    total = sum(s.own + s.theirs for s in strata)
    if total == 0:
        return None
    kept: list[Stratum] = []
    other: Stratum | None = None
    pooled = 0
    for stratum in strata:
        if not stratum.rest and min(stratum.own, stratum.theirs) >= min_stratum:
            kept.append(stratum)
            continue
        pooled += not stratum.rest
        other = stratum if other is None else other + stratum
    if other is not None and min(other.own, other.theirs) >= min_stratum:
        kept.append(Stratum(OTHER, *_counts(other), rest=True))
    if not kept:
        return None
    covered = sum(s.own + s.theirs for s in kept)
    gap, low_sq, high_sq, own_share, their_share = 0.0, 0.0, 0.0, 0.0, 0.0
    for stratum in kept:
        weight = (stratum.own + stratum.theirs) / covered
        own = wilson_interval(stratum.own_positive, stratum.own, z)
        theirs = wilson_interval(stratum.their_positive, stratum.theirs, z)
        own_share += weight * own.value
        their_share += weight * theirs.value
        gap += weight * (own.value - theirs.value)
        low_sq += weight**2 * ((own.value - own.low) ** 2 + (theirs.high - theirs.value) ** 2)
        high_sq += weight**2 * ((own.high - own.value) ** 2 + (theirs.value - theirs.low) ** 2)
    interval = Interval(2 * gap, 2 * (gap - math.sqrt(low_sq)), 2 * (gap + math.sqrt(high_sq)))
    order = sorted(kept, key=lambda s: (s.rest, -(s.own + s.theirs), s.key))
    return Standardised(
        interval,
        2 * own_share - 1,
        2 * their_share - 1,
        tuple(s.key for s in order),
        pooled,
        covered / total,
    )


def _counts(stratum: Stratum) -> tuple[int, int, int, int]:
    return (
        stratum.own_positive,
        stratum.own_negative,
        stratum.their_positive,
        stratum.their_negative,
    )


@dataclass(frozen=True)
class MixComparison:
    """A competitor's whole-company gap on an aspect, raw and at the pooled mix of one
    segment dimension, at the same interval level."""

    competitor_id: int
    aspect: str
    dimension: str
    raw: Interval
    raw_significant: bool
    adjusted: Standardised

    @property
    def adjusted_significant(self) -> bool:
        return self.adjusted.gap.excludes_zero()

    @property
    def disagreement(self) -> str | None:
        """``reversed``: both significant, opposite signs; ``sign``: opposite signs;
        ``significance``: significant one way and not the other; None: they agree."""
        raw, adjusted = self.raw.value, self.adjusted.gap.value
        opposite = raw * adjusted < 0
        if opposite and self.raw_significant and self.adjusted_significant:
            return "reversed"
        if self.raw_significant != self.adjusted_significant:
            return "significance"
        if opposite:
            return "sign"
        return None

    def coverage_text(self) -> str:
        """The strata weighted: "en, fr and other (2 small segments pooled into it)", then
        the share of opinions when a small rest was left out."""
        named = [s for s in self.adjusted.strata if s != OTHER]
        text = ", ".join(named)
        if OTHER in self.adjusted.strata:
            text += " and other"
            pooled = self.adjusted.pooled
            if pooled:
                text += f" ({pooled} small segment{'' if pooled == 1 else 's'} pooled into it)"
        if self.adjusted.coverage < 1:
            text += (
                f"; {self.adjusted.coverage:.0%} of opinions (the rest too few on a side, left out)"
            )
        return text

    def note(self, competitor: str) -> str | None:
        """One sentence when the adjusted gap disagrees with the raw one, else None."""
        kind = self.disagreement
        if kind is None:
            return None
        raw = interval_text(self.raw, "net", self.raw_significant)
        adjusted = interval_text(self.adjusted.gap, "net", self.adjusted_significant)
        what = {
            "reversed": "reverses the gap",
            "sign": "changes its sign (neither way significant)",
            "significance": (
                "makes it not significant" if self.raw_significant else "makes it significant"
            ),
        }[kind]
        return (
            f"{aspect_label(self.aspect)} against {competitor}: ours − theirs {raw} over all "
            f"reviews, {adjusted} at the pooled {self.dimension} mix; weighting both sides to "
            f"the same {self.dimension} mix {what}."
        )


def mix_comparisons(
    cells: list[AspectCell], own_id: int, min_sample: int, z: float = Z_95
) -> list[MixComparison]:
    """Every competitor's whole-company gap on each aspect (both wholes with ``min_sample``
    opinions) adjusted for the mix of each shared dimension (``LIKE_DIMENSIONS``) where
    at least two segments are left to weight (see the module's docstring)."""
    wholes = {(c.company_id, c.aspect): c for c in cells if c.segment.dimension == "all"}
    by_segment: dict[tuple[int, str, str], dict[str, AspectCell]] = defaultdict(dict)
    for cell in cells:
        if cell.segment.dimension in LIKE_DIMENSIONS and cell.segment.value is not None:
            key = (cell.company_id, cell.aspect, cell.segment.dimension)
            by_segment[key][cell.segment.value] = cell
    found = []
    for (company_id, aspect), theirs in sorted(wholes.items()):
        ours = wholes.get((own_id, aspect))
        if company_id == own_id or ours is None:
            continue
        raw = compare_nets(
            ours.positive,
            ours.negative,
            theirs.positive,
            theirs.negative,
            min_sample=min_sample,
            z=z,
        )
        if not raw.enough_data:
            continue
        for dimension in LIKE_DIMENSIONS:
            strata = _strata(
                ours,
                theirs,
                by_segment.get((own_id, aspect, dimension), {}),
                by_segment.get((company_id, aspect, dimension), {}),
            )
            adjusted = standardise(strata, z)
            if adjusted is None or len(adjusted.strata) < 2:
                continue
            found.append(
                MixComparison(company_id, aspect, dimension, raw.gap, raw.significant, adjusted)
            )
    return found


def _strata(
    own_whole: AspectCell,
    their_whole: AspectCell,
    own_cells: dict[str, AspectCell],
    their_cells: dict[str, AspectCell],
) -> list[Stratum]:
    """One stratum per segment value of either side, and ``other`` for opinions with no
    value in the dimension (the whole less its segments)."""
    strata = []
    for value in sorted(own_cells.keys() | their_cells.keys()):
        own, theirs = own_cells.get(value), their_cells.get(value)
        strata.append(
            Stratum(
                value,
                0 if own is None else own.positive,
                0 if own is None else own.negative,
                0 if theirs is None else theirs.positive,
                0 if theirs is None else theirs.negative,
            )
        )
    rest = Stratum(
        OTHER,
        own_whole.positive - sum(s.own_positive for s in strata),
        own_whole.negative - sum(s.own_negative for s in strata),
        their_whole.positive - sum(s.their_positive for s in strata),
        their_whole.negative - sum(s.their_negative for s in strata),
        rest=True,
    )
    if rest.own or rest.theirs:
        strata.append(rest)
    return strata


def mix_notes(
    comparisons: list[MixComparison],
    name_of: Callable[[int], str],
    only: set[tuple[int, str]] | None = None,
) -> list[str]:
    """The notes of the ``comparisons`` that disagree with their raw gap (``only``: those
    on these (competitor id, aspect) pairs)."""
    return [
        note
        for c in comparisons
        if (only is None or (c.competitor_id, c.aspect) in only)
        and (note := c.note(name_of(c.competitor_id))) is not None
    ]


SEGMENT_MIX_KEY = "segment_mix"
"""The report snapshot's entry of the whole-company gaps whose adjusted gap disagrees with
the raw one (``mix_snapshot``); a report stored before it has none."""


@dataclass(frozen=True)
class StoredMixNote:
    """A disagreement as a stored report keeps it, for ``rivalscope findings``."""

    competitor: str
    aspect: str
    dimension: str
    disagreement: str
    note: str

    def as_json(self) -> dict[str, str]:
        return {
            "competitor": self.competitor,
            "aspect": self.aspect,
            "dimension": self.dimension,
            "disagreement": self.disagreement,
            "note": self.note,
        }


def mix_snapshot(
    comparisons: list[MixComparison], name_of: Callable[[int], str]
) -> list[dict[str, str]]:
    """The disagreements of ``comparisons``, for the report snapshot."""
    stored = []
    for c in comparisons:
        name = name_of(c.competitor_id)
        note, kind = c.note(name), c.disagreement
        if note is not None and kind is not None:
            stored.append(StoredMixNote(name, c.aspect, c.dimension, kind, note).as_json())
    return stored


def stored_mix_notes(value: object) -> list[StoredMixNote] | None:
    """Read back from a stored snapshot; None when the report did not store them (an
    earlier version) or they are malformed."""
    if not isinstance(value, list):
        return None
    notes = []
    for item in value:
        if not isinstance(item, dict):
            return None
        fields = [
            item.get(k) for k in ("competitor", "aspect", "dimension", "disagreement", "note")
        ]
        if not all(isinstance(f, str) for f in fields):
            return None
        notes.append(StoredMixNote(*(str(f) for f in fields)))
    return notes

"""Everything one report shows, computed once and handed to every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from compare.report.aspects import AspectCell, MonthPoint, RatingSummary
from compare.report.complaint_trends import AspectMonth
from compare.report.currency import EuroRates
from compare.report.evidence import Evidence
from compare.report.findings import Finding
from compare.report.need_counts import NeedCount
from compare.report.prices import PriceIndex
from compare.report.report_scope import ReportScope
from compare.report.segment_mix import MixComparison, mix_comparisons
from compare.report.stats import FamilyLevel, fdr_level

CHANGE_THRESHOLD = 0.1
"""Net sentiment moves smaller than this are not listed as changes since the last report."""


@dataclass(frozen=True)
class AspectChange:
    """An overall net sentiment that moved since the previous report."""

    company: str
    aspect: str
    before: float
    after: float


PRICE_MOVE_THRESHOLD = 0.02
"""Price index moves smaller than this (relative) are not named in summary.md."""
PRICE_SNAPSHOT_KEY = "price_index"
"""The snapshot's entry of price indices: competitor -> {"index", "pairs"} (the aspect
entries are ``"company|aspect"`` keys, so it cannot be taken for one)."""


@dataclass(frozen=True)
class PriceIndexMove:
    """A competitor's price index in the previous report and now, each over its own matched
    products."""

    competitor: str
    before: float
    after: float
    pairs_before: int
    pairs_after: int

    @property
    def relative(self) -> float:
        return self.after / self.before - 1


@dataclass
class ReportData:
    scope: ReportScope
    run_id: int
    created_at: datetime
    reviews: int
    cells: list[AspectCell]
    findings: list[Finding]
    ratings: list[RatingSummary]
    trends: list[MonthPoint]
    price_indices: list[PriceIndex]
    rates: EuroRates
    needs: list[NeedCount]
    need_evidence: dict[tuple[int, str], Evidence] = field(default_factory=dict)
    aspect_months: list[AspectMonth] = field(default_factory=list)
    """Opinions per company, aspect and month (the complaint share trends)."""
    gap_level: FamilyLevel = field(default_factory=lambda: fdr_level([]))
    """How the net sentiment gaps were judged: how many, how many significant, and the
    adjusted level of their intervals (``stats.fdr_level``)."""
    need_level: FamilyLevel = field(default_factory=lambda: fdr_level([]))
    """The same for the unmet needs compared."""
    price_level: FamilyLevel = field(default_factory=lambda: fdr_level([]))
    """The same for the price indices (competitors with enough matched products)."""
    reviews_in_scope: int = 0
    """Every review of the companies and dates in scope, analysed or not."""
    unanalysed: int = 0
    """Reviews in scope the current analyser has not labelled (left out of the figures, but
    for the ``stale`` ones)."""
    stale: int = 0
    """Of ``unanalysed``, those an earlier analyser version labelled: their aspect opinions
    count (that version's), their needs do not."""
    keyless: int = 0
    """Review rows an older rivalscope wrote without keys, not merged yet
    (``storage.keyless_rows.count_keyless``): a review may be counted twice."""
    previous_run_at: datetime | None = None
    changes: list[AspectChange] = field(default_factory=list)
    price_moves: list[PriceIndexMove] = field(default_factory=list)
    """Competitors with a price index in the previous report and in this one."""
    findings_new: list[str] = field(default_factory=list)
    """Summaries of the findings the previous report did not have."""
    findings_gone: list[str] = field(default_factory=list)
    """Summaries (as the previous report wrote them) of its findings this one no longer has."""
    loaded: dict[str, object] = field(default_factory=dict)
    """Section key -> what that section's own ``load`` read (``section_registry.loaded``)."""
    _mix_memo: tuple[tuple[object, ...], tuple[MixComparison, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """``mix_comparisons``' last result and the inputs it was computed from."""

    def reviews_text(self) -> str:
        """The reviews in scope for the report's heading: "591 analysed reviews", or
        "591 reviews, 584 of them analysed" while some wait for ``analyze``."""
        if not self.unanalysed:
            return f"{self.reviews} analysed reviews"
        return f"{self.reviews} reviews, {max(self.reviews - self.unanalysed, 0)} of them analysed"

    def overall_cells(self) -> list[AspectCell]:
        return [c for c in self.cells if c.segment.dimension == "all"]

    def mix_comparisons(self) -> list[MixComparison]:
        """Competitors' whole-company gaps adjusted for segment mix, at the level of the
        gap family's intervals (``segment_mix.mix_comparisons``).

        Computed once and kept while its inputs stay the same (the snapshot and several
        sections ask for it); a change to ``cells``, ``scope`` or ``gap_level`` computes it
        again. Each call returns a list of its own."""
        key = (tuple(self.cells), self.scope.own.id, self.scope.min_sample, self.gap_level.z)
        memo = self._mix_memo
        # Tuples compare items by identity first: unchanged cells cost one scan.
        if memo is None or memo[0] != key:
            found = mix_comparisons(
                self.cells, self.scope.own.id, self.scope.min_sample, self.gap_level.z
            )
            memo = (key, tuple(found))
            # As a frozen dataclass sets its own fields, should ReportData become one.
            object.__setattr__(self, "_mix_memo", memo)
        return list(memo[1])

    def aspects(self) -> list[str]:
        """Aspects by how many reviews mention them (all companies)."""
        volume: dict[str, int] = {}
        for cell in self.overall_cells():
            volume[cell.aspect] = volume.get(cell.aspect, 0) + cell.mentioning
        return sorted(volume, key=lambda a: (-volume[a], a))

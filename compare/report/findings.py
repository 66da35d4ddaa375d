"""Targeting findings from the comparison, with an opportunity score.

Kinds:
- ``competitor_weakness``: the competitor's net sentiment on an aspect is significantly
  below ours (gap own - competitor, Newcombe interval above 0) and ours is net positive
  beyond chance (its 95% interval above 0: "what we do well", not a coin toss);
- ``competitor_strength``: significantly above ours and theirs is net positive beyond
  chance (our gap
  to close);
- ``unmet_need``: the share of the competitor's reviews wishing for something is
  significantly above the share of our reviews voicing the same need (the effect is that
  difference, theirs - ours: a need every shop's customers voice alike is no opening);
- ``own_unmet_need``: the same comparison the other way, a need our reviewers voice
  significantly more than theirs (where they beat us; the effect keeps theirs - ours, so
  it is negative), judged in the same family;
- ``price_gap``: the competitor's price index against ours (matched products) is
  significantly above 1 (geometric-mean interval above 1).

Every gap judged (each competitor, aspect and segment with ``min_sample`` opinions on both
sides) is one family, and so is every unmet need judged: "significantly" means selected by
Benjamini-Hochberg at a 5 % false discovery rate over its family, and the stored intervals
are the matching adjusted ones (``stats.fdr_level``), so they exclude 0 exactly then.

Gaps compare like with like: a segment of the competitor's reviews (a language, region or
category) with our reviews in the same segment when we have ``min_sample`` opinions there
(``own_base`` "segment"), else with our company's whole (``own_base`` "company", said
beside the finding, as for a finding on all their reviews); a product is never ours, so always the whole. Compared with our whole,
a segment gap may be a segment-mix effect (Simpson's paradox): French reviewers harsher on
delivery than English ones at every shop make a competitor's French reviews look weak
beside our mostly English whole. A segment finding is kept only where the
segment differs significantly from the competitor's *other* reviews on that aspect, in the
gap's direction (Bonferroni-corrected over the competitor's segments for the aspect): the
segment is where the gap is concentrated. Nothing is judged on fewer than
``min_sample`` opinions (or reviews) on either side; prices need ``MIN_MATCHED_PAIRS``.

Opportunity score = volume x competitor dissatisfaction x our advantage, using the
*conservative* end of each interval, so thin evidence scores low:
- weakness: competitor opinions in the segment x their negative share x (gap low bound / 2);
- strength: competitor opinions x our negative share x (their lead's low bound / 2);
- unmet need: reviews voicing it x its share x (share difference's low bound);
- our unmet need: our reviews voicing it x our share x (our excess's low bound);
- price gap: competitor price opinions (else matched pairs) x their negative share on price
  (0.5 when unknown) x min(index low bound - 1, 1).
Every factor but volume lies in 0..1, so a score reads as "dissatisfied opinions we can
credibly win".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import NormalDist

from compare.report.aspects import AspectCell, Segment, aspect_label
from compare.report.evidence import Evidence
from compare.report.need_counts import UNMET, NeedCount
from compare.report.prices import MIN_MATCHED_PAIRS, PriceIndex
from compare.report.report_scope import MIN_MIN_SAMPLE, ReportScope
from compare.report.stats import (
    FDR,
    FamilyLevel,
    Interval,
    bonferroni_z,
    compare_nets,
    fdr_level,
    gap_p_value,
    log_ratio_p_value,
    net_sentiment,
    proportion_difference,
    proportion_p_value,
)
from storage.company_names import fold_name as fold_company

PRICE_ASPECT = "price"
KINDS = ("competitor_weakness", "competitor_strength", "unmet_need", "own_unmet_need", "price_gap")
SEGMENT_KINDS = ("competitor_weakness", "competitor_strength")
"""The kinds judged per segment of a competitor's opinions on an aspect (``aspect_findings``),
the only ones ``SmallSegments`` left out (needs and prices are judged on a company's whole):
the net-sentiment kinds, whose whole-company gaps the segment mix can reverse."""
LIKE_DIMENSIONS = ("language", "region", "category")
"""Segment dimensions our reviews share with a competitor's (a product is one shop's own)."""


def fold_name(text: str) -> str:
    """A kind, aspect or need as compared: lower case, "_" and "-" as spaces, spaces
    collapsed (tables write "competitor weakness", "customer service"; the store has
    underscores)."""
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def kind_named(text: str) -> str | None:
    """The kind ``text`` names, written as tables show it or as stored, any case; None when
    it names no kind."""
    folded = fold_name(text).replace(" ", "_")
    return folded if folded in KINDS else None


COMPLEMENT_MIN_SAMPLE = 5
"""Fewest opinions outside a segment to say a gap is concentrated in it."""


@dataclass
class Finding:
    """One targeting finding: what the report shows and stores (``evidence`` is filled from
    the database once the findings are ranked)."""

    competitor_id: int
    competitor: str
    aspect: str
    kind: str
    segment: Segment
    effect: Interval
    sample_size: int
    own_sample_size: int
    score: float
    summary: str
    evidence_label: str | None = None
    """Which opinions the evidence shows: ``negative``, ``positive`` or None (needs, prices)."""
    evidence: Evidence = field(default_factory=Evidence)
    own_value: float | None = None
    """Our side of the comparison: our net sentiment on the aspect, our share of reviews
    voicing the need; None for prices (the index already is a ratio to ours)."""
    competitor_value: float | None = None
    """Their side: their net sentiment on the aspect (in the segment), their share of
    reviews voicing the need; None for prices."""
    competitor_count: int | None = None
    """Their reviews voicing the need, or their negative opinions on the aspect (with
    ``sample_size``, the counts the test read); None for prices."""
    own_count: int | None = None
    """Ours, as ``competitor_count``."""
    p_value: float | None = None
    """Two-sided p-value of this comparison alone."""
    p_adjusted: float | None = None
    """Its Benjamini-Hochberg adjusted p-value over the family the report compared (at most
    ``stats.FDR`` for every finding)."""
    own_base: str | None = None
    """What their side was compared with (``storage.findings_models.OWN_BASES``):
    ``segment``, ``company`` or ``matched_products``."""

    @property
    def own_base_fallback(self) -> bool:
        """A segment of theirs compared with our whole company (too few of ours in it)."""
        return self.segment.dimension != "all" and self.own_base == "company"

    @property
    def significant(self) -> bool:
        """Decided on the unrounded interval (every stored finding is; kept for display)."""
        return self.effect.excludes_zero()

    @property
    def segment_columns(self) -> dict[str, str | None]:
        """The finding table's segment columns."""
        columns: dict[str, str | None] = {
            "segment_product": None,
            "segment_category": None,
            "segment_language": None,
            "segment_region": None,
        }
        if self.segment.dimension != "all":
            columns[f"segment_{self.segment.dimension}"] = self.segment.value
        return columns


SMALL_SEGMENTS_KEY = "small_segments"
"""The report snapshot's entry of ``SmallSegments`` (``as_json``)."""


def decisive_sample(rate: float = FDR) -> int:
    """Fewest opinions whose net sentiment interval can exclude 0 at all: unanimous ones, at
    the most lenient level a family judged at false discovery rate ``rate`` gives a single
    comparison (every test selected: two-sided ``1 - rate``). 4 at 5 % (n > z² = 3.84).

    Below it a segment's own sentiment cannot be told from neutral whatever its opinions:
    a strength there is never found (it needs their net's interval above 0), and a weakness
    would rest on our side alone (Newcombe's interval calls one negative opinion against a
    large, nearly all-positive side of ours significant, so "can the gap ever be
    significant" sets no floor of its own)."""
    z = NormalDist().inv_cdf(1 - rate / 2)
    return next(n for n in range(1, 1000) if net_sentiment(n, 0, z).low > 0)


SUGGEST_FLOOR = max(MIN_MIN_SAMPLE, decisive_sample())
"""The lowest --min-sample the small-segments hint suggests (``decisive_sample``)."""


@dataclass(frozen=True)
class SegmentGroup:
    """One competitor's small segments on one aspect (the hint narrowed to the filters of
    `rivalscope findings`): how many, the largest, the largest --min-sample that would
    compare one of them (its size, our opinions on the aspect at the most; 0: none, or below
    ``SUGGEST_FLOOR``), and how many that --min-sample would compare (those of its size or
    larger)."""

    competitor: str
    aspect: str
    count: int
    largest: int
    suggest: int
    compared: int

    def as_json(self) -> list[str | int]:
        return [self.competitor, self.aspect, self.count, self.largest, self.suggest, self.compared]

    @classmethod
    def from_json(cls, value: object) -> SegmentGroup:
        """Raises ValueError (or TypeError) on anything but ``as_json``'s list."""
        if not isinstance(value, list) or len(value) != 6:
            raise ValueError(f"not a segment group: {value!r}")
        competitor, aspect, *counts = value
        if not isinstance(competitor, str) or not isinstance(aspect, str):
            raise ValueError(f"not a segment group: {value!r}")
        count, largest, suggest, compared = (int(n) for n in counts)
        return cls(competitor, aspect, count, largest, suggest, compared)


@dataclass(frozen=True)
class SmallSegments:
    """Competitors' segments (aspect x language, region, category or product) with opinions
    but fewer than the report's ``min_sample``: never judged, so never a finding."""

    min_sample: int
    count: int = 0
    largest: int = 0
    suggest: int = 0
    """The largest --min-sample (``SUGGEST_FLOOR`` at the least) that would compare one of
    them: the largest of their sizes, our opinions on its aspect at the most (0: none
    would be)."""
    compared: int = 0
    """How many of them --min-sample ``suggest`` would compare: of the groups with that
    ``suggest``, those of that size or larger (a group with a smaller one holds no segment
    that large with as many of our opinions on its aspect)."""
    groups: tuple[SegmentGroup, ...] | None = None
    """Per competitor and aspect (None: read from a report stored before it kept them)."""
    competitor: str | None = None
    aspect: str | None = None
    """The competitor and aspect the counts are narrowed to (``narrowed``), for the line."""

    @classmethod
    def of(cls, cells: list[AspectCell], scope: ReportScope) -> SmallSegments:
        ours = {
            c.aspect: c.opinions
            for c in cells
            if c.company_id == scope.own.id and c.segment.dimension == "all"
        }
        sizes: dict[tuple[str, str], list[int]] = {}
        for c in cells:
            if (
                c.company_id != scope.own.id
                and c.segment.dimension != "all"
                and 0 < c.opinions < scope.min_sample
            ):
                sizes.setdefault((scope.name_of(c.company_id), c.aspect), []).append(c.opinions)
        groups = []
        for (competitor, aspect), group in sorted(sizes.items()):
            # A --min-sample judges a segment of theirs when it holds that many opinions and
            # so do ours on the aspect (our whole company's at the least, ``OwnBases``).
            own = ours.get(aspect, 0)
            suggest = max((m for n in group if (m := min(n, own)) >= SUGGEST_FLOOR), default=0)
            compared = sum(n >= suggest for n in group) if suggest else 0
            groups.append(
                SegmentGroup(competitor, aspect, len(group), max(group), suggest, compared)
            )
        return cls.of_groups(scope.min_sample, tuple(groups))

    @classmethod
    def of_groups(
        cls,
        min_sample: int,
        groups: tuple[SegmentGroup, ...],
        competitor: str | None = None,
        aspect: str | None = None,
    ) -> SmallSegments:
        suggest = max((g.suggest for g in groups), default=0)
        return cls(
            min_sample,
            sum(g.count for g in groups),
            max((g.largest for g in groups), default=0),
            suggest,
            sum(g.compared for g in groups if suggest and g.suggest == suggest),
            groups,
            competitor,
            aspect,
        )

    def narrowed(self, competitor: str | None, aspect: str | None) -> SmallSegments | None:
        """Only the segments of ``competitor`` (accents and case aside) on ``aspect`` (as
        ``fold_name`` compares), either None for all; None when the report stored no groups
        and a filter is given (its counts may be of other competitors' or aspects')."""
        if competitor is None and aspect is None:
            return self
        if self.groups is None:
            return None
        kept = tuple(
            g
            for g in self.groups
            if (competitor is None or fold_company(g.competitor) == fold_company(competitor))
            and (aspect is None or fold_name(g.aspect) == fold_name(aspect))
        )
        return SmallSegments.of_groups(
            self.min_sample,
            kept,
            kept[0].competitor if competitor is not None and kept else competitor,
            kept[0].aspect if aspect is not None and kept else aspect,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "count": self.count,
            "largest": self.largest,
            "suggest": self.suggest,
            "compared": self.compared,
            "groups": [g.as_json() for g in self.groups or ()],
        }

    @classmethod
    def from_json(cls, value: object, min_sample: int) -> SmallSegments | None:
        """Read back from a stored snapshot; None when the report did not store it (an
        earlier version) or it is malformed (groups alone malformed or missing: the totals
        without them)."""
        if not isinstance(value, dict):
            return None
        try:
            count, largest, suggest, compared = (
                int(value[k]) for k in ("count", "largest", "suggest", "compared")
            )
        except (KeyError, TypeError, ValueError):
            return None
        stored = value.get("groups")
        try:
            groups = (
                tuple(SegmentGroup.from_json(g) for g in stored)
                if isinstance(stored, list)
                else None
            )
        except (TypeError, ValueError):
            groups = None
        return cls(min_sample, count, largest, suggest, compared, groups)

    def text(self) -> str | None:
        """One line: how many segments were left out for small samples, the largest, and
        the --min-sample that would judge it (never below ``SUGGEST_FLOOR``); None when
        none was."""
        if self.count == 0:
            return None
        whose = "competitors'" if self.competitor is None else f"{self.competitor}'s"
        if self.count == 1:
            line = f"1 segment of {whose} reviews had"
        else:
            line = f"{self.count} segments of {whose} reviews had"
        topic = "an aspect" if self.aspect is None else aspect_label(self.aspect)
        line += f" fewer than {self.min_sample} opinions on {topic}, too few to compare"
        line += f" ({self.largest})" if self.count == 1 else f" (largest: {self.largest})"
        if SUGGEST_FLOOR <= self.suggest < self.min_sample and self.compared > 0:
            them = "it" if self.count == 1 else f"{self.compared} of them"
            line += f"; `rivalscope report --min-sample {self.suggest}` would compare {them}"
        return line + "."


def _share_negative(cell: AspectCell | None) -> float | None:
    if cell is None or cell.opinions == 0:
        return None
    return cell.negative / cell.opinions


@dataclass(frozen=True)
class OwnBases:
    """Our cells to compare a competitor's cell with: the same segment's where it holds
    ``min_sample`` opinions, else our whole company's (see the module's docstring)."""

    cells: dict[tuple[str, Segment], AspectCell]
    min_sample: int

    @classmethod
    def of(cls, cells: list[AspectCell], own_id: int, min_sample: int) -> OwnBases:
        return cls({(c.aspect, c.segment): c for c in cells if c.company_id == own_id}, min_sample)

    def base(self, cell: AspectCell) -> tuple[AspectCell, str] | None:
        """Our cell ``cell`` is compared with and its ``own_base``; None when we have no
        opinion on the aspect at all."""
        if cell.segment.dimension in LIKE_DIMENSIONS:
            same = self.cells.get((cell.aspect, cell.segment))
            if same is not None and same.opinions >= self.min_sample:
                return same, "segment"
        whole = self.cells.get((cell.aspect, Segment()))
        if whole is None:
            return None
        return whole, "company"


def gap_family(cells: list[AspectCell], own_id: int, min_sample: int) -> FamilyLevel:
    """The family of gaps a report judges: each competitor cell (every segment) against our
    opinions on its aspect (``OwnBases``), both sides with ``min_sample`` opinions."""
    bases = OwnBases.of(cells, own_id, min_sample)
    p_values = [
        gap_p_value(own.positive, own.negative, cell.positive, cell.negative, FDR)
        for cell in cells
        if cell.company_id != own_id
        and (based := bases.base(cell)) is not None
        and min((own := based[0]).opinions, cell.opinions) >= min_sample
    ]
    return fdr_level(p_values)


def aspect_findings(
    cells: list[AspectCell],
    scope: ReportScope,
    min_sample: int,
    family: FamilyLevel | None = None,
) -> list[Finding]:
    """Weaknesses and strengths of each competitor against our opinions in the same segment
    (else our whole company's, ``OwnBases``), judged at the level of the whole family of
    gaps (``gap_family`` unless given)."""
    if family is None:
        family = gap_family(cells, scope.own.id, min_sample)
    bases = OwnBases.of(cells, scope.own.id, min_sample)
    competitor_overall = {
        (c.company_id, c.aspect): c for c in cells if c.segment.dimension == "all"
    }
    segment_tests = Counter((c.company_id, c.aspect) for c in cells if c.segment.dimension != "all")
    found: list[Finding] = []
    for cell in cells:
        based = None if cell.company_id == scope.own.id else bases.base(cell)
        if based is None:
            continue
        own, own_base = based
        test = compare_nets(
            own.positive,
            own.negative,
            cell.positive,
            cell.negative,
            min_sample=min_sample,
            z=family.z,
        )
        if not test.significant:
            continue
        if cell.segment.dimension != "all":
            overall = competitor_overall.get((cell.company_id, cell.aspect))
            tests = segment_tests[(cell.company_id, cell.aspect)]
            if overall is None or not _more_concentrated(cell, overall, min_sample, tests):
                continue
            rest_net = overall.net.value  # only the direction matters below
            if (test.gap.value > 0) != (cell.net.value < rest_net):
                continue
        name = scope.name_of(cell.company_id)
        where = "" if cell.segment.dimension == "all" else f" ({cell.segment.describe()})"
        topic = aspect_label(cell.aspect)
        nets = (
            f"their net {cell.net.value:+.2f} vs our {own.net.value:+.2f}"
            f"{_base_text(cell.segment, own_base)}"
        )
        if test.gap.value > 0 and own.net.low > 0:
            kind, label = "competitor_weakness", "negative"
            score = cell.opinions * (cell.negative / cell.opinions) * test.gap.low / 2
            summary = f"{name} is weaker than us on {topic}{where}: {nets}"
        elif test.gap.value < 0 and cell.net.low > 0:
            kind, label = "competitor_strength", "positive"
            score = cell.opinions * (own.negative / own.opinions) * (-test.gap.high) / 2
            summary = f"{name} is stronger than us on {topic}{where}: {nets}; a gap for us to close"
        else:
            continue
        p_value = gap_p_value(own.positive, own.negative, cell.positive, cell.negative, FDR)
        found.append(
            Finding(
                competitor_id=cell.company_id,
                competitor=name,
                aspect=cell.aspect,
                kind=kind,
                segment=cell.segment,
                effect=test.gap,
                sample_size=cell.opinions,
                own_sample_size=own.opinions,
                score=score,
                summary=summary,
                evidence_label=label,
                own_value=own.net.value,
                competitor_value=cell.net.value,
                competitor_count=cell.negative,
                own_count=own.negative,
                p_value=p_value,
                p_adjusted=_adjusted(family, p_value),
                own_base=own_base,
            )
        )
    return found


def _base_text(segment: Segment, own_base: str) -> str:
    """Which of our opinions a summary's "our" net is: "in language fr", or "(our whole
    company: too few of ours in language pl)"; nothing for a finding on all reviews."""
    if segment.dimension == "all":
        return ""
    if own_base == "segment":
        return f" in {segment.describe()}"
    return f" (our whole company: too few of ours in {segment.describe()})"


def _adjusted(family: FamilyLevel, p_value: float) -> float | None:
    """``p_value``'s adjusted p-value in ``family`` (None: a family given without its
    p-values, or that did not hold this one)."""
    return family.adjusted(p_value) if p_value in family.p_values else None


def _more_concentrated(
    segment: AspectCell, overall: AspectCell, min_sample: int, tests: int
) -> bool:
    """The segment differs significantly from the competitor's other reviews, in the
    direction of the gap (segment vs complement, so the overlap does not count twice).

    Every segment of a (competitor, aspect) is tested, so the level is Bonferroni-corrected
    over those ``tests``. The segment itself has ``min_sample`` opinions (the gap test saw
    to that); the complement needs only ``COMPLEMENT_MIN_SAMPLE``: the score interval is
    honest for small samples, and a gap confined to one segment leaves a small complement.
    """
    rest_positive = overall.positive - segment.positive
    rest_negative = overall.negative - segment.negative
    test = compare_nets(
        rest_positive,
        rest_negative,
        segment.positive,
        segment.negative,
        min_sample=min(min_sample, COMPLEMENT_MIN_SAMPLE),
        z=bonferroni_z(tests),
    )
    return test.significant


def _judged_needs(
    needs: list[NeedCount], scope: ReportScope, min_sample: int, own_reviews: int
) -> list[tuple[NeedCount, int]]:
    """Competitors' unmet needs on enough reviews on both sides, with our reviews voicing
    each."""
    own_by_need = {
        need.need: need.reviews
        for need in needs
        if need.company_id == scope.own.id and need.kind == UNMET
    }
    return [
        (need, min(own_by_need.get(need.need, 0), own_reviews))
        for need in needs
        if need.company_id != scope.own.id
        and need.kind == UNMET
        and need.company_reviews >= min_sample
        and own_reviews >= min_sample
    ]


def need_family(
    needs: list[NeedCount], scope: ReportScope, min_sample: int, own_reviews: int
) -> FamilyLevel:
    """The family of need comparisons a report judges (see ``gap_family``)."""
    return fdr_level(
        [
            proportion_p_value(need.reviews, need.company_reviews, ours, own_reviews, FDR)
            for need, ours in _judged_needs(needs, scope, min_sample, own_reviews)
        ]
    )


def need_findings(
    needs: list[NeedCount],
    scope: ReportScope,
    min_sample: int,
    own_reviews: int,
    family: FamilyLevel | None = None,
) -> list[Finding]:
    """Needs a competitor's reviewers voice significantly more often than ours
    (``unmet_need``), and needs ours voice significantly more often than theirs
    (``own_unmet_need``: where they beat us), (``own_reviews``: our reviews in scope,
    voicing a need or not), judged at the level of the family of needs compared
    (``need_family`` unless given)."""
    if family is None:
        family = need_family(needs, scope, min_sample, own_reviews)
    found: list[Finding] = []
    for need, ours in _judged_needs(needs, scope, min_sample, own_reviews):
        difference = proportion_difference(
            need.reviews, need.company_reviews, ours, own_reviews, family.z
        )
        if not difference.excludes_zero():
            continue
        share = need.share
        own_share = ours / own_reviews
        name = scope.name_of(need.company_id)
        topic = need.need.replace("_", " ")
        p_value = proportion_p_value(need.reviews, need.company_reviews, ours, own_reviews, FDR)
        if difference.low > 0:
            kind, score = "unmet_need", need.reviews * share.value * difference.low
            summary = (
                f"{share.value:.0%} of {name}'s reviews ({need.reviews} of "
                f"{need.company_reviews}) want something about {topic}"
                f", against {own_share:.0%} of ours ({ours} of {own_reviews})"
            )
        else:
            kind, score = "own_unmet_need", ours * own_share * -difference.high
            summary = (
                f"{own_share:.0%} of our reviews ({ours} of {own_reviews}) want something "
                f"about {topic}, against {share.value:.0%} of {name}'s ({need.reviews} of "
                f"{need.company_reviews}); a need they meet better"
            )
        found.append(
            Finding(
                competitor_id=need.company_id,
                competitor=name,
                aspect=need.need,
                kind=kind,
                segment=Segment(),
                effect=difference,
                sample_size=need.company_reviews,
                own_sample_size=own_reviews,
                score=score,
                summary=summary,
                own_value=own_share,
                competitor_value=share.value,
                competitor_count=need.reviews,
                own_count=ours,
                p_value=p_value,
                p_adjusted=_adjusted(family, p_value),
                own_base="company",
            )
        )
    return found


def price_findings(
    indices: list[PriceIndex],
    cells: list[AspectCell],
    scope: ReportScope,
    rates_date: str = "",
    family: FamilyLevel | None = None,
) -> list[Finding]:
    """Competitors whose matched products cost significantly more than ours (``family``: the
    price indices judged, ``prices.price_family``, for the adjusted p-values)."""
    price_cells = {
        c.company_id: c for c in cells if c.aspect == PRICE_ASPECT and c.segment.dimension == "all"
    }
    by_name = {c.name: c.id for c in scope.competitors}
    found: list[Finding] = []
    for index in indices:
        if index.index is None or len(index.pairs) < MIN_MATCHED_PAIRS or index.index.low <= 1:
            continue
        company_id = by_name[index.competitor]
        cell = price_cells.get(company_id)
        volume = cell.opinions if cell is not None and cell.opinions else len(index.pairs)
        dissatisfaction = _share_negative(cell)
        advantage = min(index.index.low - 1, 1.0)
        converted = (
            f" (other currencies at the euro rates of {rates_date or 'a fixed date'})"
            if index.converted
            else ""
        )
        p_value = log_ratio_p_value([pair.ratio for pair in index.pairs])
        found.append(
            Finding(
                competitor_id=company_id,
                competitor=index.competitor,
                aspect=PRICE_ASPECT,
                kind="price_gap",
                segment=Segment(),
                effect=Interval(index.index.value - 1, index.index.low - 1, index.index.high - 1),
                sample_size=len(index.pairs),
                own_sample_size=len(index.pairs),
                score=volume * (0.5 if dissatisfaction is None else dissatisfaction) * advantage,
                summary=(
                    f"{index.competitor} charges {index.index.value - 1:+.0%} against us on "
                    f"{len(index.pairs)} matched products{converted}"
                ),
                evidence_label="negative",
                p_value=p_value,
                p_adjusted=None if family is None else _adjusted(family, p_value),
                own_base="matched_products",
            )
        )
    return found


def rank(findings: list[Finding]) -> list[Finding]:
    """Highest opportunity first; ties by competitor and aspect for a stable order."""
    return sorted(findings, key=lambda f: (-f.score, f.competitor, f.aspect, f.segment.describe()))

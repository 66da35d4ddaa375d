"""Findings as the report shows them: one group per competitor, aspect and kind (the
overall finding first, segments where the gap concentrates as sub-rows), split into
opportunities for us and threats to us.

Groups are ranked by their best opportunity score (``findings.py``): volume times the
conservative end of each interval, so a wide gap on few opinions ranks below a moderate
gap on many.
"""

from __future__ import annotations

from dataclasses import dataclass

from compare.report.evidence import Quote, quote_key
from compare.report.findings import Finding

OPPORTUNITY_KINDS = ("competitor_weakness", "unmet_need", "price_gap")
"""Their net sentiment below ours where ours is positive, their customers' unmet needs, their
higher prices."""
THREAT_KINDS = ("competitor_strength", "own_unmet_need")
"""Their net sentiment above ours where theirs is positive, needs our customers voice more
than theirs."""
RANKING_RULE = (
    "Ranked by opportunity score, the dissatisfied opinions (or reviews) we can credibly "
    "win: the competitor's sample × their dissatisfied share × the conservative end of the "
    "interval of the difference (95%, or wider where many differences are compared). Evidence size counts twice: a larger sample adds "
    "volume and pulls the interval's conservative end away from 0, so a wide gap on a few "
    "opinions ranks below a moderate gap on many."
)


@dataclass
class FindingGroup:
    main: Finding
    """The finding on all the competitor's reviews, else its best segment."""
    segments: list[Finding]
    """Segment findings of the same competitor, aspect and kind, best first."""

    @property
    def kind(self) -> str:
        return self.main.kind

    @property
    def score(self) -> float:
        return max([self.main.score, *(s.score for s in self.segments)])

    @property
    def ranking_segment(self) -> Finding | None:
        """The segment finding whose score ranks the group, when one scores above the main
        finding (a line showing the main finding's figures then names it for the score)."""
        best = max(self.segments, key=lambda f: f.score, default=None)
        return best if best is not None and best.score > self.main.score else None

    @property
    def members(self) -> list[Finding]:
        return [self.main, *self.segments]

    def quotes(self, limit: int = 3) -> list[Quote]:
        """Distinct quotes over the group, the main finding's first."""
        chosen: list[Quote] = []
        seen: set[str] = set()
        for finding in self.members:
            for quote in finding.evidence.items:
                if quote_key(quote.text) not in seen:
                    seen.add(quote_key(quote.text))
                    chosen.append(quote)
        return chosen[:limit]


def group_findings(findings: list[Finding]) -> list[FindingGroup]:
    """Findings merged by (competitor, aspect, kind), best group first."""
    by_key: dict[tuple[int, str, str], list[Finding]] = {}
    for finding in findings:
        by_key.setdefault((finding.competitor_id, finding.aspect, finding.kind), []).append(finding)
    groups = []
    for members in by_key.values():
        members.sort(key=lambda f: (f.segment.dimension != "all", -f.score))
        groups.append(FindingGroup(members[0], members[1:]))
    groups.sort(key=lambda g: (-g.score, g.main.competitor, g.main.aspect, g.kind))
    return groups


def opportunities(findings: list[Finding]) -> list[FindingGroup]:
    return [g for g in group_findings(findings) if g.kind in OPPORTUNITY_KINDS]


def threats(findings: list[Finding]) -> list[FindingGroup]:
    return [g for g in group_findings(findings) if g.kind in THREAT_KINDS]

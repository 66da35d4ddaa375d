"""Method: how the figures are computed, and what the crawl could collect."""

from __future__ import annotations

from compare.report.blocks import Block, BulletList, Paragraph
from compare.report.collection_coverage import SourceCoverage, source_coverage
from compare.report.data_model import ReportData
from compare.report.finding_groups import RANKING_RULE
from compare.report.section_registry import ReportQuery, loaded, register
from storage.keyless_rows import keyless_warning_text


def _source_coverage(query: ReportQuery) -> list[SourceCoverage]:
    return source_coverage(query.connection, query.scope)


def _keyless(data: ReportData) -> list[Block]:
    """The warning `analyze` and `report` print on stderr, on the page too (read later, the
    report is all its reader has): rows an older rivalscope wrote without keys, not merged."""
    if not data.keyless:
        return []
    return [Paragraph(f"Warning: {keyless_warning_text(data.keyless)}.", css="banner")]


def _coverage_summary(data: ReportData) -> list[Block]:
    coverage: list[SourceCoverage] = loaded(data, "method", list)
    listed = (
        [BulletList([f"{c.company} · {c.source}: {c.text}" for c in coverage])] if coverage else []
    )
    return [*_keyless(data), *listed]


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
            "proportions. The report compares many gaps at once (aspects × competitors × "
            "segments), so they are judged as one family at a 5% false discovery rate "
            "(Benjamini-Hochberg, on p-values read off these intervals), and a gap's interval is "
            "widened to the matching false-coverage-rate level (Benjamini-Yekutieli): "
            f"{data.gap_level.tests} gaps compared, {data.gap_level.significant} significant, "
            f"intervals at {data.gap_level.confidence:.1%}; unmet needs and price indices "
            f"likewise ({data.need_level.tests} needs compared, {data.need_level.significant} "
            f"significant; {data.price_level.tests} price indices, "
            f"{data.price_level.significant} significant). "
            "A gap is significant when its unrounded interval excludes 0 (printed "
            "bounds get extra decimals rather than read as 0), and is only judged on at least "
            f"{data.scope.min_sample} opinions on each side. A segment of theirs (language, "
            "region, category) is compared with our reviews in the same segment when we have "
            "that many opinions there, else with our whole company (said beside the finding). "
            "A gap over all of our reviews against all of theirs is also shown at a common "
            "segment mix (language, region, category: both sides' per-segment shares weighted "
            "by the pooled mix, direct standardisation), and the report says where the two "
            "disagree in sign or significance (Simpson's paradox). "
            "Needs our reviewers voice more than theirs are in the same family as their unmet "
            f"needs, and shown under threats. {RANKING_RULE} Findings are about "
            "segments (product, category, language, region), never about individual reviewers."
        ),
        *_collection_coverage(data),
    ]


def _collection_coverage(data: ReportData) -> list[Block]:
    """Per source, the reviews collected of those its product pages declare (honesty about
    what the crawl could not see)."""
    coverage: list[SourceCoverage] = loaded(data, "method", list)
    if not coverage:
        return _keyless(data)
    listed = "; ".join(f"{c.company} · {c.source}: {c.text}" for c in coverage)
    return [
        *_keyless(data),
        Paragraph(
            "Reviews collected of those the product pages declare, per source (newest crawl): "
            + listed
            + "."
        ),
    ]

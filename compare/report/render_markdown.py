"""summary.md: the top opportunities in a few lines, for chat or mail."""

from __future__ import annotations

import re

from compare.report.data_model import ReportData

TOP = 5
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Scraped text as literal Markdown (no links, emphasis, HTML or table breaks)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(data: ReportData) -> str:
    scope = data.scope
    lines = [
        f"# Competitor gap report: {md_escape(scope.own.name)}",
        "",
        f"Report #{data.run_id}, {data.created_at:%Y-%m-%d}: {data.reviews} reviews, "
        f"{len(scope.competitors)} competitors ({md_escape(', '.join(c.name for c in scope.competitors))}), "
        f"minimum sample {scope.min_sample}.",
        "",
        "## Top opportunities",
        "",
    ]
    if not data.findings:
        lines.append("No significant gap found.")
    for rank, finding in enumerate(data.findings[:TOP], start=1):
        e = finding.effect
        lines.append(
            f"{rank}. **{md_escape(finding.summary)}** ({finding.kind.replace('_', ' ')}; "
            f"effect {e.value:+.2f} [{e.low:+.2f}, {e.high:+.2f}], n={finding.sample_size}, "
            f"score {finding.score:.1f})"
        )
        for quote in finding.evidence.quotes[:2]:
            lines.append(f"   > {md_escape(quote)}")
    priced = [i for i in data.price_indices if i.index is not None]
    if priced:
        lines += ["", "## Price index against ours", ""]
        for index in priced:
            assert index.index is not None
            note = " (converted at fixed dated rates)" if index.converted else ""
            lines.append(
                f"- {md_escape(index.competitor)}: {index.index.value:.2f} "
                f"[{index.index.low:.2f}, {index.index.high:.2f}] over {len(index.pairs)} "
                f"matched products{note}"
            )
    if data.changes:
        lines += ["", "## Changed since the previous report", ""]
        for change in data.changes[:TOP]:
            lines.append(
                f"- {md_escape(change.company)} on {md_escape(change.aspect)}: "
                f"{change.before:+.2f} → {change.after:+.2f}"
            )
    if data.coverage:
        lines += ["", "## Reviews collected of those declared", ""]
        lines += [
            f"- {md_escape(c.company)} · {md_escape(c.source)}: {c.text}" for c in data.coverage
        ]
    lines += [
        "",
        "Full report with evidence: report.html; findings in findings.csv / findings.json.",
        "",
    ]
    return "\n".join(lines)

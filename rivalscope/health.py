"""Target health after each crawl, in the spirit of spidermon.

``check_health(engine, source_name)`` judges the source's last ended crawl run against
the source's recent history (median of the last ``history_runs`` healthy finished runs):

- the run failed or hit its time limit;
- no pages, or too many HTTP errors (``max_http_error_rate``);
- too many items dropped by validation (``max_drop_rate``);
- reviews (offers) per page below ``min_yield_ratio`` of the usual yield; per page and not
  per run because incremental re-crawls legitimately fetch fewer pages;
- a field's coverage (reviews with text, rating, date; offers with a price) fell by
  ``coverage_drop`` or more, and so did the share of items read from the page's own
  structured markup (a site that drops it is still read by heuristics, less reliably);
  without history, text and price coverage below ``min_coverage``;
- reviews stored for the crawled products below ``min_review_share`` of the counts their
  pages declare (``min_declared_reviews`` at least).

The verdict is stored once per run (``health_check``) and on the source
(``Source.healthy``, ``health_reason``); a healthy run clears the mark. An interrupted run
(killed by its user) is not judged. ``check_and_notify`` adds the notices.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rivalscope.display import counted
from rivalscope.notify import Notice, retry_undelivered, send_notice
from settings.schedule import HealthSettings
from settings.targets import Targets
from settings.user_errors import UserError
from spiders.extract.layers import describe_layer_shares
from storage.crawl_summary import no_page_reason
from storage.models import CrawlRun, Source
from storage.schedule_models import HealthCheck

log = logging.getLogger("rivalscope.health")

# (coverage key, what a reader calls it, kind it belongs to)
COVERED_FIELDS = (
    ("review.text", "a text", "review"),
    ("review.rating", "a rating", "review"),
    ("review.published", "a date", "review"),
    ("offer.price", "a price", "offer"),
    # read from a structured layer (spiders.extract.layers: markup, meta tags, JSON state)
    # rather than the layout heuristics: the site changed
    ("review.markup", "schema.org markup", "review"),
    ("offer.markup", "structured markup", "offer"),
)
# Fields that must be mostly present even on a source's first run.
ESSENTIAL_FIELDS = ("review.text", "offer.price")
NOT_JUDGED = ("running", "interrupted")


class HealthError(UserError):
    """Health cannot be checked as asked (e.g. the source was never crawled)."""


@dataclass
class HealthReport:
    """The verdict on one source's last crawl run."""

    source: str
    healthy: bool
    reasons: list[str] = field(default_factory=list)
    run_id: int | None = None
    run_status: str | None = None
    figures: dict[str, float] = field(default_factory=dict)
    was_healthy: bool = True
    """The source's mark before this check."""
    new: bool = False
    """True when this call judged the run (False: judged before, or nothing to judge)."""

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _count(run: CrawlRun, kind: str) -> float:
    return float((run.field_coverage or {}).get(f"{kind}.count", 0.0))


UNANSWERED_PROBLEMS = ("no_answer", "timeout")
"""Fetch problems of a request that got no response: counted in ``http_errors``, never in
``pages``."""


def _unanswered(run: CrawlRun) -> int:
    problems = run.fetch_problems or {}
    return sum(int(problems.get(reason, 0)) for reason in UNANSWERED_PROBLEMS)


def _per_page(run: CrawlRun, kind: str) -> float:
    return _count(run, kind) / run.pages if run.pages else 0.0


def _read_by(run: CrawlRun, kind: str, key: str) -> str:
    """For a drop of the structured share: which layers read the items instead."""
    layers = describe_layer_shares(run.field_coverage or {}, kind)
    return f", read by {layers}" if key.endswith(".markup") and layers else ""


def _kinds(holds: str) -> list[str]:
    return {"reviews": ["review"], "offers": ["offer"]}.get(holds, ["review", "offer"])


def judge_run(
    run: CrawlRun, history: list[CrawlRun], holds: str, settings: HealthSettings
) -> tuple[list[str], dict[str, float]]:
    """Reasons the run is unhealthy (empty: healthy) and the figures measured. Pure."""
    reasons: list[str] = []
    figures: dict[str, float] = {"pages": float(run.pages)}
    if run.status in ("failed", "timeout"):
        why = f" ({run.finish_reason})" if run.finish_reason else ""
        reasons.append(f"the crawl {'timed out' if run.status == 'timeout' else 'failed'}{why}")
    if run.pages == 0:
        reasons.append(
            f"no pages fetched ({_errors_or_failures(run.http_errors)}): " + no_page_reason(run)
        )
        return reasons, figures

    # A page answered >= 400 is one of the run's pages; one that never answered (the site
    # down mid-run, a time-out) is not, so it joins the pages asked: 4 unanswered beside 2
    # answered read "4 HTTP errors on 2 pages (100%)" (a rate over 1, capped).
    unanswered = min(run.http_errors, _unanswered(run))
    asked = run.pages + unanswered
    error_rate = min(1.0, run.http_errors / asked)
    figures["http_error_rate"] = round(error_rate, 4)
    if error_rate > settings.max_http_error_rate:
        reasons.append(
            f"{run.http_errors} HTTP errors on {run.pages} pages ({error_rate:.0%})"
            if not unanswered
            else f"{_errors_or_failures(run.http_errors)} on {asked} pages asked "
            f"({unanswered} never answered; {error_rate:.0%})"
        )

    items = _count(run, "review") + _count(run, "offer")
    drop_rate = run.items_dropped / (items + run.items_dropped) if run.items_dropped else 0.0
    figures["drop_rate"] = round(drop_rate, 4)
    if drop_rate > settings.max_drop_rate:
        why = ", ".join(
            f"{n} {r.replace('_', ' ')}" for r, n in sorted(run.dropped_reasons.items())
        )
        reasons.append(
            f"{run.items_dropped} of {int(items) + run.items_dropped} items dropped by "
            f"validation ({why or 'no reason recorded'})"
        )

    usable = [h for h in history if h.pages]
    last_good = usable[0] if usable else None
    for kind in _kinds(holds):
        count, per_page = _count(run, kind), _per_page(run, kind)
        figures[f"{kind}s_per_page"] = round(per_page, 4)
        if not usable:
            if count == 0:
                other = "offer" if kind == "review" else "review"
                unasked = (run.fetch_problems or {}).get("review_api_no_product_id", 0)
                hint = (  # the default holds = "both" on a site of one kind: say the setting
                    f' (if the source has no {kind}s, set holds = "{other}s")'
                    if holds == "both" and _count(run, other)
                    else ""
                )
                if kind == "review" and unasked:  # the reviews are there, behind the API
                    hint = (
                        f" (the review API was asked for none of them: no product id on "
                        f"{unasked} product page{'s' * (unasked != 1)}; set "
                        "review_api.product_id: `rivalscope targets check SOURCE --url "
                        "PRODUCT_URL` shows what the crawl finds)"
                    )
                reasons.append(f"0 {kind}s on {run.pages} pages{hint}")
            continue
        usual = statistics.median(_per_page(h, kind) for h in usable)
        figures[f"usual_{kind}s_per_page"] = round(usual, 4)
        if usual > 0 and per_page < settings.min_yield_ratio * usual:
            assert last_good is not None
            reasons.append(
                f"{int(count)} {kind}s on {run.pages} pages; the last good run had "
                f"{int(_count(last_good, kind))} on {last_good.pages}"
            )

    kinds = _kinds(holds)
    declared, collected = run.reviews_declared, run.reviews_collected
    if "review" in kinds and declared and collected is not None:
        share = collected / declared
        figures["declared_review_share"] = round(share, 4)
        if declared >= settings.min_declared_reviews and share < settings.min_review_share:
            why = (
                # The run says why itself: the page limit ended it before the reviews did.
                f"the crawl stopped at its page limit after {run.pages} pages: raise "
                "limits.max_pages (or narrow follow to the pages that hold reviews)"
                if run.finish_reason == "closespider_pagecount"
                else "the crawl misses reviews (JavaScript, a widget, a limit? "
                "`rivalscope targets detect URL`)"
            )
            reasons.append(
                f"collected {collected} of {declared} declared reviews ({share:.0%}): {why}"
            )
    for key, what, kind in COVERED_FIELDS:
        count = _count(run, kind)
        if kind not in kinds or count == 0:
            continue
        share = float((run.field_coverage or {}).get(key, 0.0))
        figures[key] = share
        past = [float(h.field_coverage.get(key, 0.0)) for h in usable if _count(h, kind)]
        if past:
            usual = statistics.median(past)
            if usual - share >= settings.coverage_drop:
                reasons.append(
                    f"only {share:.0%} of {int(count)} {kind}s have {what} (usually {usual:.0%})"
                    + _read_by(run, kind, key)
                )
        elif key in ESSENTIAL_FIELDS and share < settings.min_coverage:
            reasons.append(f"only {share:.0%} of {int(count)} {kind}s have {what}")
    return reasons, figures


def _healthy_history(session: Session, source_id: int, before: int, limit: int) -> list[CrawlRun]:
    """The last ``limit`` finished runs before run ``before`` not judged unhealthy, newest first."""
    unhealthy = select(HealthCheck.crawl_run_id).where(
        HealthCheck.source_id == source_id, col(HealthCheck.healthy).is_(False)
    )
    return list(
        session.exec(
            select(CrawlRun)
            .where(
                CrawlRun.source_id == source_id,
                CrawlRun.status == "finished",
                col(CrawlRun.id) < before,
                col(CrawlRun.id).not_in(unhealthy),
            )
            .order_by(col(CrawlRun.id).desc())
            .limit(limit)
        ).all()
    )


def check_health(
    engine: Engine, source_name: str, settings: HealthSettings | None = None
) -> HealthReport:
    """Judge the source's last ended crawl run; store and return the verdict.

    Calling it again for the same run returns the stored verdict with ``new=False``.
    """
    settings = settings or HealthSettings()
    with Session(engine) as session:
        source = session.exec(select(Source).where(Source.name == source_name)).first()
        if source is None or source.id is None:
            raise HealthError(f"no source named {source_name!r} in the database; crawl it first")
        report = HealthReport(source=source_name, healthy=source.healthy)
        report.was_healthy = source.healthy
        report.reasons = [source.health_reason] if source.health_reason else []
        run = session.exec(
            select(CrawlRun)
            .where(CrawlRun.source_id == source.id, col(CrawlRun.status).not_in(NOT_JUDGED))
            .order_by(col(CrawlRun.id).desc())
        ).first()
        if run is None or run.id is None:
            return report
        report.run_id, report.run_status = run.id, run.status
        stored = session.exec(select(HealthCheck).where(HealthCheck.crawl_run_id == run.id)).first()
        if stored is not None:
            report.healthy, report.reasons = stored.healthy, list(stored.reasons)
            report.figures = dict(stored.figures)
            return report
        history = _healthy_history(session, source.id, run.id, settings.history_runs)
        reasons, figures = judge_run(run, history, source.holds, settings)
        session.add(
            HealthCheck(
                source_id=source.id,
                crawl_run_id=run.id,
                healthy=not reasons,
                reasons=reasons,
                figures=figures,
            )
        )
        source.healthy = not reasons
        source.health_reason = "; ".join(reasons) or None
        session.add(source)
        try:
            session.commit()
        except IntegrityError:  # judged by another process meanwhile
            session.rollback()
            return check_health(engine, source_name, settings)
        report.healthy, report.reasons, report.figures = not reasons, reasons, figures
        report.new = True
        return report


def health_notice(report: HealthReport) -> Notice | None:
    """The notice a fresh verdict deserves: unhealthy, or healthy again after a failure."""
    if not report.new or (report.healthy and report.was_healthy):
        return None
    if report.healthy:
        title = f"{report.source} is healthy again"
        message = f"{report.source}: crawl run {report.run_id} passed the health checks"
        key = f"health:{report.source}:{report.run_id}:recovered"
    else:
        title = f"{report.source} is unhealthy"
        message = f"{report.source}: {report.reason}"
        key = f"health:{report.source}:{report.run_id}:unhealthy"
    data = {
        "source": report.source,
        "healthy": report.healthy,
        "reasons": report.reasons,
        "run_id": report.run_id,
        "run_status": report.run_status,
        "figures": report.figures,
    }
    return Notice(kind="health", key=key, title=title, message=message, data=data)


def check_and_notify(
    engine: Engine, source_name: str, targets: Targets, *, says_unhealthy: bool = False
) -> HealthReport:
    """``check_health`` with the targets file's thresholds, then log/POST any notice.
    ``says_unhealthy``: the caller prints an unhealthy verdict itself, so its notice is
    recorded and sent but not logged (`crawl` printed each reason twice, once as a log line)."""
    report = check_health(engine, source_name, targets.health)
    notice = health_notice(report)
    retry_undelivered(engine, "health", targets.health.targets())
    if notice is not None:
        logged = report.healthy or not says_unhealthy
        send_notice(engine, notice, targets.health.targets(), logged=logged)
    return report


def check_and_log(engine: Engine, source_name: str, targets: Targets) -> None:
    """``check_and_notify`` for the worker that ends a distributed run: the verdict goes to
    the worker's log (`crawl` prints it instead)."""
    report = check_and_notify(engine, source_name, targets, says_unhealthy=True)
    if not report.healthy:
        log.warning("unhealthy: %s: %s", report.source, report.reason)


def _errors_or_failures(count: int) -> str:
    """ "1 HTTP error or failed download" (it said "1 HTTP errors or failed downloads")."""
    return counted(count, "HTTP error or failed download", "HTTP errors or failed downloads")

"""After a round of crawls: analysis, report and business alerts, each when configured.

Each step is imported when it runs (the scheduler's start-up does not pay for the analysis
and report stacks). A follow-up that fails is logged; it never stops the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from settings.targets import Targets
from settings.user_errors import UserError

log = logging.getLogger("rivalscope.schedule")


def run_followups(engine: Engine, targets: Targets, base_dir: Path) -> list[str]:
    """Run what ``[schedule]`` asks for (analysis, report, alerts: all on by default);
    every step that does not run is logged with its reason. Returns what was done.

    A report whose input has not changed since the latest stored one (a round that found
    nothing new) is skipped: it would repeat that report, and every round's copy would be
    stored with its findings. The comparison reads the database, so it holds across
    scheduler restarts and for ``schedule --once`` started by cron.

    A failure of the step keying the rows an older rivalscope stored without keys is listed
    too (the status line is where a failure every round is seen; `runs` says it as well)."""
    done: list[str] = []
    failed = _key_old_rows(engine)
    if failed:
        done.append(failed)
    settings = targets.schedule
    analysed = False
    if not settings.analyze:
        log.info("analysis skipped: [schedule] analyze = false")
    elif _attempt("analysis", _analyze, engine):
        analysed = True
        done.append("analysis")
    else:
        log.warning("analysis failed (logged above); the report reads the previous analysis")
    out_dir = Path(settings.report_dir)
    out_dir = out_dir if out_dir.is_absolute() else base_dir / out_dir
    if not settings.report:
        log.info("report skipped: [schedule] report = false")
    elif _repeats_latest_report(engine, out_dir):
        log.info("report skipped: nothing new since the last report (reviews, analysis, prices)")
    elif _attempt("report", _build_report, engine, out_dir):
        done.append(f"report in {out_dir}" + ("" if analysed else " (on the previous analysis)"))
    if not settings.alerts:
        log.info("alerts skipped: [schedule] alerts = false")
    elif (
        targets.alerts.price_change_pct is None
        and targets.alerts.net_sentiment_points is None
        and not targets.alerts.products_gone
    ):
        log.info(
            "alerts skipped: no rule in [alerts] (set price_change_pct, net_sentiment_points "
            "or products_gone)"
        )
    else:
        from rivalscope.alerts import check_alerts

        if not targets.alerts.targets(targets.health):
            log.info("alerts: no webhook or notify in [alerts] or [health]; this log only")
        try:
            sent = check_alerts(engine, targets.alerts, targets.health)
        except Exception:
            log.exception("alert checks failed")
        else:
            done.append(f"{sent} alert(s) sent")
    return done


def _key_old_rows(engine: Engine) -> str | None:
    """Rows an older rivalscope's crawl (started before the upgrade) stored without keys:
    keyed and merged before the analysis and the report read them (``merge_keyless``),
    what was done logged. Not while a crawl or import writes: it may be that crawl,
    and the next round keys what it wrote.

    A failure is logged and recorded (``lease.record_step``: rounds in a row, the error),
    and the line saying so returned for the status line; the analysis and report go on."""
    from rivalscope.display import keyless_failure_text, keyless_text, step_error
    from rivalscope.scheduler.lease import KEYLESS_STEP, record_step
    from storage.merge_copies import merge_keyless
    from storage.models import utcnow
    from storage.run_history import running_now

    try:
        if running_now(engine):
            log.info("rows without keys not looked for: a crawl or import is writing")
            return None
        counts = merge_keyless(engine)
    except Exception as exc:
        log.exception("keying the rows an older rivalscope stored without keys failed")
        error = step_error(exc)
        try:
            failures = record_step(engine, KEYLESS_STEP, utcnow(), error)
        except Exception:  # the database that failed the step may fail this too
            log.exception("recording that the keying failed failed")
            failures = 1
        said = keyless_failure_text(failures, error)
        log.error("%s", said)
        return said
    try:
        record_step(engine, KEYLESS_STEP, utcnow(), None)
    except Exception:
        log.exception("recording that the keying succeeded failed")
    if counts.keyless:
        log.warning("%s", keyless_text(counts.keyless, counts.keyless_removed))
    return None


def _analyze(engine: Engine) -> None:
    from compare.analysis.run import analyze_database

    analyze_database(engine, progress=False)  # a service's output is its log, not a bar


def _repeats_latest_report(engine: Engine, out_dir: Path) -> bool:
    from compare.report.report_runs import repeats_latest_report
    from compare.report.stats import DEFAULT_MIN_SAMPLE
    from storage.data_fingerprint import data_fingerprint

    try:
        with engine.connect() as connection:
            return repeats_latest_report(
                connection, out_dir, data_fingerprint(connection), DEFAULT_MIN_SAMPLE
            )
    except Exception:  # never a reason not to report: build it as before
        log.exception("reading what the report would read failed; reporting anyway")
        return False


def _build_report(engine: Engine, out_dir: Path) -> None:
    from compare.report.build import build_report

    build_report(engine, out_dir)


def _attempt(what: str, function: Callable[..., Any], *args: Any) -> bool:
    try:
        function(*args)
    except Exception as exc:
        if isinstance(exc, UserError):  # e.g. no own company yet: one line, no traceback
            log.warning("%s skipped: %s", what, exc)
        else:
            log.exception("%s after the crawls failed", what)
        return False
    log.info("%s done", what)
    return True

"""After a round of crawls: analysis, report and business alerts, each when configured.

The analysis (``compare.analysis.run.analyze_database``) and the report
(``compare.report.build.build_report``) are looked up at run time, so the scheduler works
in installations (and branches) without them. A follow-up that fails is logged; it never
stops the scheduler.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from settings.targets import Targets

log = logging.getLogger("rivalscope.schedule")

ANALYSIS = ("compare.analysis.run", "analyze_database")
REPORT = ("compare.report.build", "build_report")


def optional_function(module: str, name: str) -> Callable[..., Any] | None:
    """``module.name`` if that module is installed, else None."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:  # a parent package is missing
        return None
    function = getattr(importlib.import_module(module), name, None)
    return function if callable(function) else None


def run_followups(engine: Engine, targets: Targets, base_dir: Path) -> list[str]:
    """Run what ``[schedule]`` asks for (analysis, report, alerts: all on by default);
    every step that does not run is logged with its reason. Returns what was done."""
    done: list[str] = []
    settings = targets.schedule
    analysed = False
    if not settings.analyze:
        log.info("analysis skipped: [schedule] analyze = false")
    elif (analyze := optional_function(*ANALYSIS)) is None:
        log.warning("analysis skipped: the analysis module is not installed")
    elif _attempt("analysis", analyze, engine):
        analysed = True
        done.append("analysis")
    else:
        log.warning("analysis failed (logged above); the report reads the previous analysis")
    out_dir = Path(settings.report_dir)
    out_dir = out_dir if out_dir.is_absolute() else base_dir / out_dir
    if not settings.report:
        log.info("report skipped: [schedule] report = false")
    elif (build := optional_function(*REPORT)) is None:
        log.warning("report skipped: the report module is not installed")
    elif _attempt("report", build, engine, out_dir):
        done.append(f"report in {out_dir}" + ("" if analysed else " (on the previous analysis)"))
    if not settings.alerts:
        log.info("alerts skipped: [schedule] alerts = false")
    elif targets.alerts.price_change_pct is None and targets.alerts.net_sentiment_points is None:
        log.info(
            "alerts skipped: no rule in [alerts] (set price_change_pct or net_sentiment_points)"
        )
    else:
        from compare.alerts import check_alerts

        if not targets.alerts.targets(targets.health):
            log.info("alerts: no webhook or notify in [alerts] or [health]; this log only")
        try:
            sent = check_alerts(engine, targets.alerts, targets.health)
        except Exception:
            log.exception("alert checks failed")
        else:
            done.append(f"{sent} alert(s) sent")
    return done


REFUSALS = ("ReportError", "AnalysisInputError")
"""The analysis' and the report's user-facing errors (e.g. no own company yet): a step
refused for such a reason is logged in one line, not with a traceback. Named, not
imported: this package must not depend on ``compare``'s modules at import time."""


def _attempt(what: str, function: Callable[..., Any], *args: Any) -> bool:
    try:
        function(*args)
    except Exception as exc:
        if type(exc).__name__ in REFUSALS:
            log.warning("%s skipped: %s", what, exc)
        else:
            log.exception("%s after the crawls failed", what)
        return False
    log.info("%s done", what)
    return True

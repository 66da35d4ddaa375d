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
    """Run what ``[schedule]`` and ``[alerts]`` ask for; returns what was done, for the log."""
    done: list[str] = []
    settings = targets.schedule
    if settings.analyze:
        analyze = optional_function(*ANALYSIS)
        if analyze is None:
            log.warning("[schedule] analyze = true, but the analysis is not installed: skipped")
        elif _attempt("analysis", analyze, engine):
            done.append("analysis")
    if settings.report_dir:
        build = optional_function(*REPORT)
        out_dir = Path(settings.report_dir)
        out_dir = out_dir if out_dir.is_absolute() else base_dir / out_dir
        if build is None:
            log.warning("[schedule] report_dir is set, but the report is not installed: skipped")
        elif _attempt("report", build, engine, out_dir):
            done.append(f"report in {out_dir}")
    from compare.alerts import check_alerts

    try:
        sent = check_alerts(engine, targets.alerts, targets.health.webhook)
    except Exception:
        log.exception("alert checks failed")
    else:
        done.append(f"{sent} alert(s) sent")
    return done


def _attempt(what: str, function: Callable[..., Any], *args: Any) -> bool:
    try:
        function(*args)
    except Exception:
        log.exception("%s after the crawls failed", what)
        return False
    log.info("%s done", what)
    return True

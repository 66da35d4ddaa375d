"""``rivalscope schedule``: crawl every source on its cron schedule (long-running or --once)."""

from __future__ import annotations

import logging
import logging.handlers
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rivalscope.display import console, print_table
from rivalscope.options import DbOption, TargetsOption
from settings.user_errors import UserError

if TYPE_CHECKING:
    from rivalscope.scheduler.crawl_process import CrawlOutcome

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LONGEST_CRAWL_TIMEOUT_S = 7 * 24 * 3600 + 60
"""--crawl-timeout's bound: the longest limits.timeout_s (a week) plus 60 s (``inf`` and the
like overflowed the crawl's lease into a traceback)."""


def _setup_logging(log_file: Path | None) -> None:
    from rivalscope.scheduler import crawl_process

    handler: logging.Handler = (
        # a scheduler runs for months: the older half moves to <file>.1 at the size limit
        logging.handlers.RotatingFileHandler(
            log_file, maxBytes=crawl_process.LOG_MAX_BYTES, backupCount=1, encoding="utf-8"
        )
        if log_file
        else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("rivalscope")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def schedule(
    targets: TargetsOption = Path("targets.toml"),
    db: DbOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run what is due now, then exit (for cron or CI).")
    ] = False,
    log_file: Annotated[
        Path | None,
        typer.Option(
            help="Append the scheduler's log here, in a folder that exists (default: stderr); "
            "each crawl's own output "
            "goes to crawl-<source>.log next to it. At 10 MB a log moves to <name>.1.",
            dir_okay=False,
        ),
    ] = None,
    crawl_timeout: Annotated[
        float | None,
        typer.Option(
            min=1,
            max=LONGEST_CRAWL_TIMEOUT_S,
            help="Kill a crawl after this many seconds (default: the source's limits.timeout_s "
            "plus 60 s).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Crawl each source on its cron `schedule` (UTC), each crawl in its own process.

    A source is due when it never ran under the scheduler or a fire time passed since its
    last scheduled start; runs missed while no scheduler ran are made up once, not once
    per missed time. Never two crawls of one source at once (also across schedulers on
    one database). After each round of crawls: health checks, then the analysis, the
    report and the alerts (on by default; the targets file's \\[schedule], \\[health] and
    \\[alerts] tables tune them, see the README); a step that does not run is logged with
    its reason. SIGTERM stops cleanly (running crawls are ended
    and marked interrupted). With --once the exit status is 1 if a crawl failed, 130 when
    Ctrl-C (143 when SIGTERM) stopped the round.
    Edits to the targets file apply from the next round, without a restart.

    Example: rivalscope schedule --targets targets.toml --log-file schedule.log
    """
    # Imported here: the storage stack takes half a second; --help need not wait.
    from rivalscope.scheduler.service import Scheduler
    from settings.targets import load_targets
    from storage.db import database_url, open_database

    plan = load_targets(targets)
    if log_file is not None:
        log_file = _checked_log_file(log_file)
    url = database_url(db)
    engine = open_database(url)
    try:
        _setup_logging(log_file)
    except OSError as exc:
        raise UserError(f"--log-file {log_file}: cannot write it ({exc.strerror or exc})") from None
    scheduler = Scheduler(
        plan,
        targets,
        url,
        engine,
        crawl_timeout_s=crawl_timeout,
        crawl_log_dir=log_file.parent if log_file else None,
    )
    if not scheduler.scheduled_sources():
        engine.dispose()
        raise typer.BadParameter(
            f"no source in {targets} has a `schedule` (a 5-field cron expression)",
            param_hint="--targets",
        )

    stopped_by: list[int] = []

    def _stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("rivalscope.schedule").info(
            "got %s: stopping", signal.Signals(signum).name
        )
        stopped_by.append(signum)
        scheduler.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        if once:
            outcomes = scheduler.run_due()
            _print_outcomes(outcomes, scheduler.followups_done)
            if stopped_by:
                # cron or a wrapper must not read a round cut short as done: 130 for
                # Ctrl-C, 143 for SIGTERM, as a shell reports a command a signal ended
                typer.secho(
                    f"interrupted by {signal.Signals(stopped_by[0]).name}: the crawls it "
                    "stopped are completed by the next run",
                    fg="yellow",
                    err=True,
                )
                raise typer.Exit(128 + stopped_by[0])
            if any(o.status in ("failed", "timeout") for o in outcomes):
                raise typer.Exit(1)
        else:
            scheduler.serve()
    finally:
        engine.dispose()


def _checked_log_file(log_file: Path) -> Path:
    """The log file, absolute, in a folder that exists: a typo in its folder created the
    folders it named (``logs/shedule/x.log``), and the log went where nobody looked."""
    where = log_file.resolve().parent
    if not where.is_dir():
        what = "is not a folder" if where.exists() else "does not exist"
        raise UserError(
            f"--log-file {log_file}: its folder {where} {what}; create it first "
            "(or name a file in an existing folder)"
        )
    return log_file.resolve()


def _print_outcomes(outcomes: list[CrawlOutcome], followups: str | None) -> None:
    if not outcomes:
        console.print("no crawl is due" if followups else "nothing is due")
    else:
        table = Table(title="Scheduled crawls", title_justify="left")
        for column in ("source", "outcome", "seconds", "run", "detail"):
            table.add_column(column)
        for o in outcomes:
            table.add_row(o.source, o.status, f"{o.seconds:.1f}", str(o.run_id or "-"), o.detail)
        print_table(table, out=console)
    if followups:  # analysis, report, alerts: what cron's mail should show
        console.print(f"follow-ups {followups}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(schedule)

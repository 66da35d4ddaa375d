"""``rivalscope crawl``: crawl the sources of the targets file into the database."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rivalscope.options import DbOption, TargetsOption

if TYPE_CHECKING:
    from settings.targets import Targets
    from spiders.runner import CrawlResult
    from storage.models import CrawlRun


def crawl(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Source names to crawl (default: all).", show_default=False),
    ] = None,
    targets: TargetsOption = Path("targets.toml"),
    db: DbOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Scrapy's log (at INFO).")
    ] = False,
    log_level: Annotated[
        str | None,
        typer.Option(
            help="Scrapy log level: DEBUG, INFO, WARNING, ERROR (default WARNING, INFO with -v).",
            show_default=False,
        ),
    ] = None,
    distributed: Annotated[
        bool,
        typer.Option(
            "--distributed",
            help="Queue the sources for `rivalscope worker` processes (the Redis queue of "
            "\\[crawler] queue, or --queue) instead of crawling here.",
        ),
    ] = False,
    queue: Annotated[
        str | None,
        typer.Option(
            help="Redis URL of the queue (default: \\[crawler] queue).", show_default=False
        ),
    ] = None,
) -> None:
    """Crawl competitors' (and your own) review pages and offers into the database.

    The targets file names each company and its sources (start URLs, links to follow,
    mode = "auto" or "selectors", limits): README, "The targets file"; `rivalscope demo
    --serve` writes an example, `rivalscope targets validate` checks yours and
    `rivalscope targets check SOURCE --url URL` shows what a source reads on one page.

    Polite by default: robots.txt obeyed, AutoThrottle on, few requests per site.
    Re-running adds only what is new; a killed crawl is completed by the next run.
    Shows one line per source (pages, reviews seen / new, offers seen / changed, errors):
    live on a terminal, once at the end otherwise; -v shows Scrapy's log instead.
    Exits 1 when a source answered no page, 130 when interrupted by Ctrl-C (143 by
    SIGTERM), 2 when another crawl of a source is running.

    Example: rivalscope crawl --targets targets.toml acme-shop
    """
    # Imported here so that `rivalscope --help` does not pay for Scrapy and SQLAlchemy.
    from rivalscope.display import echo, print_collection_summary
    from settings.targets import load_targets
    from spiders.runner import check_log_level, run_crawls
    from storage.crawl_summary import company_summaries, crawl_runs
    from storage.db import database_url, describe_url, open_database

    plan = load_targets(targets)
    level = check_log_level(
        log_level if log_level is not None else ("INFO" if verbose else "WARNING")
    )  # --log-level "" (an unset variable) is a mistake, not the default
    url = database_url(db)
    open_database(url).dispose()  # create/upgrade first: a bad URL fails before crawling
    if distributed or queue:
        _queue_crawl(plan, targets, sources, queue, url)
        return
    _stop_with_scheduler()
    progress = None if verbose else ("live" if sys.stderr.isatty() else "plain")
    results = run_crawls(plan, sources or None, url, log_level=level, progress=progress)
    names = [r.source for r in results if r.run_id is not None]
    engine = open_database(url)
    runs = crawl_runs(engine, [r.run_id for r in results if r.run_id is not None])
    if names:  # every source refused: no table of no row
        print_collection_summary(company_summaries(engine, names), describe_url(url))
    from rivalscope.health import check_and_notify  # health checks and notices (issue #6)

    interrupted = [
        r for r in results if r.run_id in runs and runs[r.run_id].status == "interrupted"
    ]
    judged = [r.source for r in results if r.run_id is not None and r not in interrupted]
    unhealthy = set()
    for report in (check_and_notify(engine, name, plan, says_unhealthy=True) for name in judged):
        if not report.healthy:
            unhealthy.add(report.source)
            echo(f"unhealthy: {report.source}: {report.reason}", fg="yellow", err=True)
    engine.dispose()
    raise typer.Exit(_exit_status(results, runs, interrupted, said=unhealthy))


def _stop_with_scheduler() -> None:
    """A crawl the scheduler started stops (SIGTERM: its runs end interrupted) when the
    scheduler is gone: killed with kill -9, it left its crawls crawling on, in sessions of
    their own, past the time limit it kept."""
    from rivalscope.scheduler.crawl_process import SCHEDULER_PID_ENV
    from storage.child_process import stop_with_parent

    scheduler = os.environ.get(SCHEDULER_PID_ENV, "")
    if scheduler.isdigit():
        stop_with_parent(int(scheduler))


def _queue_crawl(
    plan: Targets, targets: Path, sources: list[str] | None, queue: str | None, url: str
) -> None:
    """Seed the shared queue: one crawl run per source, for the workers to serve."""
    from rivalscope.display import echo
    from settings.targets import TargetsError, check_queue_url
    from spiders.distributed.seed import seed_runs

    queue_url = queue or plan.crawler.queue
    if not queue_url:
        raise TargetsError(
            '--distributed needs a queue: set [crawler] queue = "redis://HOST:6379/0" in '
            f"{targets} or give --queue"
        )
    try:
        check_queue_url(queue_url)
    except ValueError as exc:
        raise TargetsError(f"--queue: {exc}") from None
    results = seed_runs(plan, targets.read_text(encoding="utf-8"), sources or None, queue_url, url)
    for result in results:
        if result.refused:
            echo(f"not queued: {result.refused}", fg="red", err=True)
        else:
            typer.echo(
                f"queued {result.source}: crawl run {result.run_id}, "
                f"{result.queued} start request(s)"
            )
    typer.echo("start `rivalscope worker` on any machine to crawl them")
    raise typer.Exit(2 if any(r.refused for r in results) else 0)


def _exit_status(
    results: list[CrawlResult],
    runs: dict[int, CrawlRun],
    interrupted: list[CrawlResult],
    said: set[str],
) -> int:
    """0 when every source was crawled; says in one line per problem why not (unless the
    health checks said it already: the sources in ``said``)."""
    from rivalscope.display import echo

    for result in results:
        if result.refused:
            echo(f"not crawled: {result.refused}", fg="red", err=True)
    if interrupted:
        pages = sum(r.pages for r in interrupted)
        typer.secho(
            f"interrupted: {len(interrupted)} crawl(s) stopped after {pages} pages; "
            "what was fetched is stored and the next run completes it",
            fg="yellow",
            err=True,
        )
        from settings.interrupts import stopped_status

        # 130 for Ctrl-C, 143 for SIGTERM (a scheduler's time limit, `kill`): as `schedule
        # --once` and every other command say it (SIGTERM exited 130 here)
        stopped_by = next((r.stopped_by for r in results if r.stopped_by), signal.SIGINT)
        return stopped_status(stopped_by)
    empty = [r for r in results if r.run_id is not None and r.pages == 0]
    for result in empty:
        if result.source in said:
            continue
        from storage.crawl_summary import run_reason

        run = runs.get(result.run_id or 0)
        why = (run_reason(run) if run is not None else "") or "no page answered"
        echo(f"nothing fetched from {result.source}: {why}", fg="red", err=True)
    if any(r.refused for r in results):
        return 2
    return 1 if empty else 0


def register(app: typer.Typer) -> None:
    app.command()(crawl)

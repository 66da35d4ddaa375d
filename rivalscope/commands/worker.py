"""``rivalscope worker``: crawl the queued sources from the shared Redis queue."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from rivalscope.options import DbOption, TargetsOption


def worker(
    queue: Annotated[
        str | None,
        typer.Option(
            help="Redis URL of the queue (default: $RIVALSCOPE_QUEUE_URL, else \\[crawler] "
            "queue of the targets file).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    targets: TargetsOption = Path("targets.toml"),
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Exit when no queued crawl run is left.")
    ] = False,
    log_level: Annotated[
        str, typer.Option(help="Scrapy log level: DEBUG, INFO, WARNING, ERROR.")
    ] = "INFO",
    concurrency: Annotated[
        int,
        typer.Option(
            min=0,
            help="Requests in flight for this worker, all its runs together (0: no bound); "
            "each host's own limits are shared by all workers.",
        ),
    ] = 32,
) -> None:
    """Serve the crawl runs queued by `rivalscope crawl --distributed`: any number of workers,
    on any machine, pull their requests from Redis and write to one database (PostgreSQL
    for several machines). Per-host rate and concurrency limits are shared by all workers.

    Example: rivalscope worker --queue redis://10.0.0.5:6379/0 --db postgresql+psycopg://crawler@10.0.0.5/rivalscope
    """
    from rivalscope.health import check_and_log
    from settings.targets import TargetsError, check_queue_url, load_targets
    from spiders.distributed.worker import run_worker
    from spiders.runner import check_log_level
    from storage.db import database_url, open_database

    queue_url = queue or os.environ.get("RIVALSCOPE_QUEUE_URL")
    if not queue_url and targets.exists():
        queue_url = load_targets(targets).crawler.queue
    if not queue_url:
        raise TargetsError(
            "no queue: give --queue redis://HOST:6379/0, set RIVALSCOPE_QUEUE_URL, or "
            "[crawler] queue in the targets file"
        )
    try:
        check_queue_url(queue_url)
    except ValueError as exc:
        raise TargetsError(f"--queue: {exc}") from None
    check_log_level(log_level)
    url = database_url(db)
    open_database(url).dispose()  # a bad URL fails before the first request
    result = run_worker(
        queue_url,
        url,
        until_idle=until_idle,
        log_level=log_level,
        on_run_complete=check_and_log,
        concurrency=concurrency,
    )
    served = ", ".join(map(str, result.runs)) or "none"
    if result.interrupted:
        # As crawl says it: one line, exit 130 (the runs' other requests stay queued).
        typer.secho(
            f"interrupted: worker stopped after serving crawl run(s) {served}; what was "
            "fetched is stored, the runs' other requests wait in the queue for any worker",
            fg=typer.colors.YELLOW,
            err=True,
        )
        raise typer.Exit(130)
    typer.echo(f"worker served crawl run(s) {served}")


def register(app: typer.Typer) -> None:
    app.command()(worker)

"""``rivalscope crawl``: crawl the sources of the targets file into the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rivalscope.options import DbOption, TargetsOption


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
) -> None:
    """Crawl competitors' (and your own) review pages and offers into the database.

    Polite by default: robots.txt obeyed, AutoThrottle on, few requests per site.
    Re-running adds only what is new; a killed crawl is completed by the next run.
    Shows one line per source (pages, reviews seen / new, offers seen / changed, errors):
    live on a terminal, once at the end otherwise; -v shows Scrapy's log instead.

    Example: rivalscope crawl --targets targets.toml acme-shop
    """
    # Imported here so that `rivalscope --help` does not pay for Scrapy and SQLAlchemy.
    from rivalscope.display import print_collection_summary
    from settings.targets import load_targets
    from spiders.runner import run_crawls
    from storage.crawl_summary import company_summaries
    from storage.db import database_url, describe_url, open_database

    plan = load_targets(targets)
    url = database_url(db)
    open_database(url).dispose()  # create/upgrade first: a bad URL fails before crawling
    level = log_level or ("INFO" if verbose else "WARNING")
    progress = None if verbose else ("live" if sys.stderr.isatty() else "plain")
    names = run_crawls(plan, sources or None, url, log_level=level, progress=progress)
    engine = open_database(url)
    print_collection_summary(company_summaries(engine, names), describe_url(url))
    from spiders.health import check_and_notify  # health checks and notices (issue #6)

    for report in (check_and_notify(engine, name, plan) for name in names):
        if not report.healthy:
            typer.secho(f"unhealthy: {report.source}: {report.reason}", fg="yellow", err=True)
    engine.dispose()


def register(app: typer.Typer) -> None:
    app.command()(crawl)

"""``rivalscope runs``: the crawl runs recorded in the database, with their figures."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rivalscope.display import (
    RUN_COLUMNS,
    console,
    counted,
    keyless_failure_text,
    print_table,
    review_coverage,
    run_pages_unread,
)
from rivalscope.options import DbOption
from settings.close_names import close_names
from settings.user_errors import UserError

KINDS = ("review", "offer")


def runs(
    named: Annotated[
        str | None,
        typer.Argument(metavar="[SOURCE]", help="Only this source's runs (as --source)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Only this source's runs.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Runs to show.")] = 20,
    db: DbOption = None,
) -> None:
    """List crawl runs, newest first: status, duration, pages, errors, items, the workers that
    served a distributed run, the extraction layers that read them, health.

    Example: rivalscope runs acme-shop --limit 5
    """
    # The source by name, as `crawl` takes it, or with --source as before.
    if named is not None and source is not None and named != source:
        raise UserError(f"two sources given ({named} and --source {source}): give one")
    source = source if source is not None else named
    # Imported here: the storage stack takes half a second; --help need not wait.
    from rivalscope.scheduler.lease import KEYLESS_STEP, step_failure
    from storage.crawl_summary import run_reason
    from storage.db import READING, database_url, describe_url, open_database
    from storage.keyless_rows import count_keyless
    from storage.merge_copies import possible_copies
    from storage.models import as_utc, utcnow
    from storage.run_history import recent_runs, shown_status, source_names

    url = database_url(db)
    engine = open_database(url, existing=True, bounded_waits=READING)
    try:
        rows = recent_runs(engine, source, limit)
        if source is not None and not rows:
            check_source(source, source_names(engine))
        with engine.connect() as conn:
            copies = possible_copies(conn)
            keyless = count_keyless(conn)
        failing = step_failure(engine, KEYLESS_STEP)
    finally:
        engine.dispose()
    table = Table(title=f"Crawl runs in {describe_url(url)}", title_justify="left")
    for column in ("run", "source", "status", "started (UTC)", "seconds"):
        table.add_column(column, justify="right" if column in ("run", "seconds") else "left")
    for column in (
        "pages",
        "HTTP errors",
        RUN_COLUMNS["reviews"],
        RUN_COLUMNS["offers"],
        "dropped",
    ):
        table.add_column(column, justify="right")
    distributed = any(row.run.queue for row in rows)
    if distributed:
        table.add_column("workers")
    table.add_column("read by")
    table.add_column("health")
    table.add_column("reason")
    for row in rows:
        run = row.run
        started = as_utc(run.started_at)
        status, ended = shown_status(run, fetches_pages=row.kind != "import")
        # A run killed mid-way (kill -9, a reboot) has no end: it lasted until its last sign
        # of life (it showed "-", however long it had crawled); a running one, until now.
        end = run.finished_at or (utcnow() if status == "running" else run.alive_at)
        seconds = f"{(as_utc(end) - started).total_seconds():.0f}" if end else "-"
        health = {None: "-", True: "ok", False: "UNHEALTHY"}[row.healthy]
        served = [", ".join(run.workers or []) or "-"] if distributed else []
        table.add_row(
            str(run.id),
            row.source,
            status,
            started.strftime("%Y-%m-%d %H:%M:%S"),
            seconds,
            str(run.pages),
            str(run.http_errors),
            f"{run.reviews_seen} / {run.reviews_new}",
            f"{run.offers_seen} / {run.offers_changed}",
            str(run.items_dropped),
            *served,
            _read_by(run.field_coverage or {}),
            health,
            # An unhealthy run whose end is no reason says what the health check found:
            # "UNHEALTHY" beside an empty reason read as "for no reason".
            ended
            or run_reason(run, fetches_pages=row.kind != "import")
            or "; ".join(row.health_reasons or []),
        )
    if not rows:
        console.print("no crawl runs yet" + (f" for {source}" if source else ""))
        return
    print_table(table, out=console)
    # Below the table, which is as wide as a terminal allows already.
    for row in rows:
        run = row.run
        unread = run_pages_unread(run)
        declared = run.reviews_declared
        if not unread and declared is not None and (run.reviews_collected or 0) >= declared:
            # Every declared review collected: a line per run of weeks of crawls saying
            # "100%" buried the runs that fell short.
            continue
        coverage = review_coverage(run.reviews_collected, run.reviews_declared, unread)
        if coverage:
            console.print(f"  run {row.run.id} {row.source}: {coverage}", markup=False)
    if copies:
        console.print(
            f"note: up to {counted(copies, 'review')} may be stored twice, read two ways "
            "before this version merged such copies: `rivalscope db merge-copies --dry-run` "
            "shows them",
            markup=False,
            highlight=False,
        )
    if keyless:
        console.print(f"note: {keyless_note(keyless)}", markup=False, highlight=False)
    if failing is not None:
        console.print(
            "warning: " + keyless_failure_text(failing.failures, failing.error, failing.at),
            markup=False,
            highlight=False,
        )


def keyless_note(keyless: int) -> str:
    """What `runs` says of the rows an older rivalscope stored without keys."""
    return (
        f"{counted(keyless, 'review row')} stored without keys by an older rivalscope "
        "(a crawl started before the upgrade) may repeat stored reviews and be counted twice: "
        "`rivalscope db merge-copies` (or the scheduler's next round) keys and merges them"
    )


def _read_by(coverage: dict[str, float]) -> str:
    """Which extraction layers read the run's reviews and offers: one list when both were
    read alike, else each named ("reviews: embedded-json 100%; offers: json-ld 100%")."""
    from spiders.extract.layers import describe_layer_shares

    shares = {kind: describe_layer_shares(coverage, kind) for kind in KINDS}
    if len(set(shares.values())) == 1:
        return next(iter(shares.values()))
    return "; ".join(f"{kind}s: {text}" for kind, text in shares.items() if text)


def check_source(name: str, names: list[str]) -> None:
    """UserError for a source the database does not hold, with the closest names."""
    if name in names:
        return
    close = close_names(name, names, n=3)
    hint = (
        f"did you mean {' or '.join(map(repr, close))}?"
        if close
        else f"sources: {', '.join(names[:10]) + (', …' if len(names) > 10 else '')}"
        if names
        else "no source has crawled yet"
    )
    raise UserError(f"--source: no such source {name!r}; {hint}")


def register(app: typer.Typer) -> None:
    app.command()(runs)

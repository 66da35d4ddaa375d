"""``rivalscope report``: the competitor gap report (HTML, Markdown, CSV, JSON)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rivalscope.display import command_console, echo, keyless_warning, print_table
from rivalscope.options import DbOption

console = command_console()
TOP_SHOWN = 10


def report(
    # str, not Path: Path("") is the current folder, and --out "" (an unset variable) would
    # have spread the report's files there
    out_folder: Annotated[
        str, typer.Option("--out", "-o", help="Folder for the report files.")
    ] = "rivalscope-report",
    competitor: Annotated[
        list[str] | None,
        typer.Option(
            "--competitor",
            "-c",
            help="Only this competitor (repeatable; accents and case do not matter).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="First review date (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Last review date (YYYY-MM-DD); prices as observed by then.",
            show_default=False,
        ),
    ] = None,
    min_sample: Annotated[
        int, typer.Option("--min-sample", help="Fewest opinions on each side to call a gap.")
    ] = 20,
    rates: Annotated[
        Path | None,
        typer.Option(
            "--rates",
            help="TOML file of euro exchange rates to use instead of the bundled ECB ones "
            "(date, source and a per_eur table; see the README).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the gap report: ranked opportunities, aspect gaps with intervals, prices, needs.

    Writes report.html (self-contained), summary.md, findings.csv, findings.json,
    aspects.csv and tables/*.csv into --out, and stores the findings (see `rivalscope
    findings`). Opportunities (their net sentiment below ours, their customers' unmet needs,
    their higher prices) and threats (their net sentiment above ours) are listed apart.

    Example: rivalscope report --out report --competitor "Maison Lumière" --since 2025-01-01
    """
    from compare.report.build import build_report
    from storage.db import READING, database_url, open_database

    if not out_folder.strip():
        raise typer.BadParameter("empty; name the report's folder", param_hint="--out")
    out = Path(out_folder)
    engine = open_database(database_url(db), existing=True, bounded_waits=READING)
    try:
        result = build_report(
            engine,
            out,
            competitors=competitor or None,
            since=_day(since),
            until=_day(until),
            min_sample=min_sample,
            progress=lambda step: console.print(f"[dim]… {escape(step)}[/]", markup=True),
            rates_file=rates,
        )
    finally:
        engine.dispose()
    from compare.report.finding_groups import opportunities, threats
    from compare.report.numbers import effect_text, kind_digits, sample_text, score_text

    for title, groups in (
        ("Top opportunities", opportunities(result.findings)),
        ("Threats", threats(result.findings)),
    ):
        if not groups:
            console.print(f"{title}: none significant.")
            continue
        table = Table(title=title, title_justify="left")
        for column in ("#", "competitor", "aspect", "segments", "kind", "effect [CI]", "n"):
            table.add_column(column, justify="right" if column in ("#", "n") else "left")
        table.add_column("score", justify="right")
        shown = groups[:TOP_SHOWN]
        # One precision per kind down the column ("+14.0" above "+10.8", not "+14").
        digits = kind_digits([(g.main.kind, g.main.effect) for g in shown])
        for rank, group in enumerate(shown, start=1):
            f = group.main
            table.add_row(
                str(rank),
                f.competitor,
                f.aspect.replace("_", " "),
                ", ".join(
                    s.segment.describe() for s in group.members if s.segment.dimension != "all"
                )
                or "all reviews",
                f.kind.replace("_", " "),
                effect_text(
                    f.kind, f.effect.value, f.effect.low, f.effect.high, digits=digits[f.kind]
                ),
                sample_text(f),
                score_text(f.score)
                + (
                    f" ({score_text(best.score)} in {best.segment.describe()})"
                    if (best := group.ranking_segment) is not None
                    else ""
                ),
            )
        print_table(table, out=console)
    console.print(f"Report written: [bold]{escape(str(result.html_path))}[/]", markup=True)
    if result.keyless:
        typer.secho(keyless_warning(result.keyless), fg="yellow", err=True)
    for warning in result.unhealthy_sources:
        echo(f"warning: {warning}", fg="yellow", err=True)
    if result.reviews_in_scope == 0:
        # "none significant" read as if the reviews had been compared: there were none
        typer.secho(
            "warning: no review in scope, so there is nothing to compare on aspects, sentiment "
            "or needs: run `rivalscope crawl` or `rivalscope import FILE`, then `rivalscope "
            "analyze`, then the report again",
            fg="yellow",
            err=True,
        )
    elif result.unanalysed:
        # "none significant" above may only mean that nothing was analysed: say it where the
        # user looks, not only in the page's banner
        from compare.report.sections.glance import unanalysed_text

        typer.secho(
            f"warning: {unanalysed_text(result.unanalysed, result.reviews_in_scope, result.stale)}",
            fg="yellow",
            err=True,
        )


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def register(app: typer.Typer) -> None:
    app.command()(report)

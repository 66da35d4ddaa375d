"""``rivalscope findings``: list and filter stored targeting findings."""

from __future__ import annotations

import difflib
import math
import re
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table

from rivalscope.display import command_console, print_table
from rivalscope.options import DbOption
from settings.user_errors import UserError

if TYPE_CHECKING:
    from compare.report.findings import SmallSegments
    from compare.report.report_runs import StoredFinding

console = command_console()

MAX_LIMIT = 1_000_000
"""A larger --limit overflows the database's integers (it shows every row anyway)."""


def findings(
    competitor: Annotated[
        str | None,
        typer.Option(
            "--competitor",
            "-c",
            help="Competitor name (accents and case do not matter).",
            show_default=False,
        ),
    ] = None,
    aspect: Annotated[
        str | None, typer.Option("--aspect", "-a", help="Aspect or need.", show_default=False)
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="competitor_weakness, unmet_need or price_gap (targets to win); "
            "competitor_strength or own_unmet_need (where they beat us); or as the table "
            'writes it: "competitor weakness".',
            show_default=False,
        ),
    ] = None,
    they_lead: Annotated[
        bool,
        typer.Option(
            "--they-lead",
            help="List where they beat us instead of the targets to win: their net sentiment "
            "above ours (theirs positive), and needs our customers voice more than theirs.",
        ),
    ] = False,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", help="Lowest opportunity score.", show_default=False),
    ] = None,
    limit: Annotated[int, typer.Option(help="Most rows to show.")] = 30,
    all_runs: Annotated[
        bool, typer.Option("--all-runs", help="Findings of every report, not just the latest.")
    ] = False,
    db: DbOption = None,
) -> None:
    """List the targets to win stored by the latest `rivalscope report` (their net
    sentiment below ours where ours is positive, their customers' unmet needs, their higher prices), highest score
    first; --they-lead lists where they beat us instead.

    Example: rivalscope findings --kind competitor_weakness --min-score 10
    """
    from compare.report.finding_groups import OPPORTUNITY_KINDS, THREAT_KINDS
    from compare.report.findings import KINDS, SEGMENT_KINDS, fold_name, kind_named
    from compare.report.numbers import (
        LEGACY_NEED,
        SAMPLE_UNITS,
        VALUE_STYLES,
        effect_text,
        effect_units_text,
        kind_digits,
        score_text,
        side_text,
        units_text,
    )
    from compare.report.report_runs import (
        finding_aspects,
        report_coverage,
        stored_finding_count,
        stored_finding_matches,
        stored_findings,
        stored_segment_mix,
        stored_small_segments,
    )
    from compare.report.stats import Interval
    from storage.db import READING, database_url, open_database

    if kind is not None:
        named = kind_named(kind)
        if named is None:
            raise UserError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
        kind = named
    side = THREAT_KINDS if they_lead else OPPORTUNITY_KINDS
    if kind is not None and they_lead and kind not in side:
        raise UserError(f"--kind {kind} is a target to win, not where they lead: drop --they-lead")
    # An explicit kind is listed whichever side it is on.
    wanted = (kind,) if kind is not None else side
    for option, value in (("--competitor", competitor), ("--aspect", aspect)):
        if value is not None and not value.strip():  # an unset variable: not "all"
            raise UserError(f"{option} is empty; leave it out to list every one")
    if not 1 <= limit <= MAX_LIMIT:
        raise UserError(f"--limit must be 1-{MAX_LIMIT:,}")
    if min_score is not None and not math.isfinite(min_score):  # click's float takes "nan"
        raise UserError(f"--min-score must be a finite number, not {min_score}")
    engine = open_database(database_url(db), existing=True, bounded_waits=READING)

    def listed(named: str | None) -> list[StoredFinding]:
        return stored_findings(
            engine,
            competitor=competitor,
            aspect=named,
            min_score=min_score,
            limit=limit,
            all_runs=all_runs,
            kinds=wanted,
        )

    try:
        rows = listed(aspect)
        aspects = finding_aspects(engine, all_runs=all_runs) if aspect and not rows else []
        # An aspect or need an earlier report found ("app", no longer an opening) is not
        # another one's name in another language ("app" is a word for the website).
        earlier = (
            aspect is not None
            and bool(aspects)
            and not all_runs
            and fold_name(aspect) not in map(fold_name, aspects)
            and fold_name(aspect) in map(fold_name, finding_aspects(engine, all_runs=True))
        )
        translated = _stored_aspect_named(aspect, aspects) if aspects and not earlier else None
        if translated is not None:
            # "dostawa", "livraison": the aspect the findings store under its English name
            rows = listed(translated)
        # The other side's findings on the same filters, to say they are there.
        other = OPPORTUNITY_KINDS if they_lead else THREAT_KINDS
        other_side = (
            0
            if kind is not None
            else stored_finding_matches(
                engine,
                competitor=competitor,
                aspect=translated or aspect,
                min_score=min_score,
                all_runs=all_runs,
                kinds=other,
            )
        )
        latest, stored = stored_finding_count(engine, all_runs=all_runs)
        # A report of some competitors or dates is no statement on the others.
        coverage = None if all_runs or latest is None else report_coverage(engine, latest)
        # Segments too small to compare are said where the kinds listed are judged per segment
        # (a price gap or an unmet need is a company's whole: no segment of it was left out).
        small = (
            None
            if all_runs or latest is None or not set(wanted) & set(SEGMENT_KINDS)
            else stored_small_segments(engine, latest)
        )
        mix = None if all_runs or latest is None else stored_segment_mix(engine, latest)
        if small is not None:
            small = small.narrowed(competitor, _small_aspect(aspect, translated, small))
    finally:
        engine.dispose()
    scope_note = coverage.text() if coverage is not None else None
    if coverage is not None and scope_note and competitor and not coverage.covers(competitor):
        console.print(
            f"{scope_note}: it did not compare {competitor!r}; run `rivalscope report` "
            "(or pass --all-runs for earlier reports' findings).",
            markup=False,
        )
        return
    if scope_note is not None:
        console.print(f"{scope_note}.", markup=False, highlight=False)
    if translated is not None:
        console.print(f"{aspect!r} is the aspect {translated.replace('_', ' ')}.", markup=False)
    if not rows:
        if earlier:
            console.print(
                f"Report #{latest} found nothing about {aspect!r}; earlier reports did: "
                "pass --all-runs to list their findings.",
                markup=False,
            )
            return
        if (
            translated is None
            and aspects
            and fold_name(aspect or "") not in map(fold_name, aspects)
        ):
            # A misspelt or unknown aspect: say which ones the findings name; one that is
            # no aspect at all is a mistake (exit 2), as an unknown --competitor or --kind is.
            close = difflib.get_close_matches(fold_name(aspect or ""), aspects, n=3)
            hint = f"did you mean {' or '.join(close)}? " if close else ""
            if not _known_aspect(aspect or "", small):
                raise UserError(
                    f"--aspect {aspect!r} is no aspect or need the taxonomy or the findings "
                    f"name; {hint}findings name: {', '.join(aspects)}"
                )
            console.print(
                f"No stored finding is about {aspect!r}; {hint}findings name: {', '.join(aspects)}",
                markup=False,
            )
            # An aspect with no finding may be one whose segments were too small to judge.
            _say_small_segments(small, latest)
            return
        if latest is None:
            console.print("No report stored yet: run `rivalscope report` first.")
        elif stored == 0:
            console.print(
                f"Report #{latest} found nothing significant"
                + (" (nor did any earlier report)." if all_runs else ".")
            )
        else:
            # "run `rivalscope report` first" beside a stored report read as "no report".
            whose = "the stored reports'" if all_runs else f"report #{latest}'s"
            console.print(f"None of {whose} {stored} findings match these filters.")
        _say_other_side(other_side, they_lead)
        _say_small_segments(small, latest)
        return
    reports = sorted({f.report_run_id for f in rows})
    one_report = len(reports) == 1
    side_title = "Where they beat us (not targets to win)" if they_lead else "Stored findings"
    header: tuple[str, ...] = (
        "competitor",
        "aspect",
        "segment",
        "kind",
        "theirs",
        "ours",
        "difference [CI]",
        "n",
        "score",
    )
    # An unmet need stored by an earlier version holds their share alone: shown as such.
    kinds = [LEGACY_NEED if f.legacy_need else f.kind for f in rows]
    # One precision per kind down the column ("+14.0" above "+10.8", not "+14").
    digits = kind_digits(
        [
            (k, Interval(f.effect, f.effect_low, f.effect_high))
            for f, k in zip(rows, kinds, strict=True)
        ]
    )
    lines = [
        [
            f.competitor,
            f.aspect.replace("_", " "),
            f.segment,
            f.kind.removeprefix("competitor_").replace("_", " ")  # the column says whose
            + ("*" if kind == LEGACY_NEED else ""),
            side_text(f.kind, f.effect if kind == LEGACY_NEED else f.competitor_value),
            side_text(f.kind, f.own_value) + ("†" if f.own_base_fallback else ""),
            "–"
            if kind == LEGACY_NEED
            else effect_text(
                kind, f.effect, f.effect_low, f.effect_high, unit=False, digits=digits[kind]
            ),
            # both sides' samples where there are two (a price gap's pairs are one)
            f"{f.sample_size}/{f.own_sample_size}"
            if f.kind in VALUE_STYLES
            else str(f.sample_size),
            score_text(f.score),
        ]
        for f, kind in zip(rows, kinds, strict=True)
    ]
    if not one_report:
        header = ("report", *header)
        # Ids alone left the reader to look up when each report was made.
        lines = [[_report_text(f), *line] for f, line in zip(rows, lines, strict=True)]
    table = Table(
        title=f"{side_title} of report #{reports[0]}" if one_report else side_title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    for column in header:
        table.add_column(
            column,
            justify="right" if column in ("report", "theirs", "ours", "n", "score") else "left",
            no_wrap=column in ("report", "difference [CI]", "score"),  # numbers on one line
        )
    for line in lines:
        table.add_row(*line)
    print_table(table, out=console)
    # The units once, below the table (as a caption rich would widen the table to its length;
    # in the cells "62 opinions" wrapped over two lines at 80-100 columns).
    compared = [k for k in kinds if k != LEGACY_NEED]
    sides = units_text([f.kind for f in rows], SIDE_UNITS)
    notes = [
        *(
            ["difference [CI]: " + effect_units_text(compared), "CI: " + CI_TEXT]
            if compared
            else []
        ),
        *(["theirs, ours: " + sides + "; " + _base_note(rows)] if sides else []),
        "n: theirs/ours: " + units_text([f.kind for f in rows], SAMPLE_UNITS),
    ]
    if any(f.own_base_fallback for f in rows):
        notes.append(
            "† ours is our whole company's: too few of our opinions in their segment to "
            "compare like with like (the gap may come from the segment's mix of customers)"
        )
    if LEGACY_NEED in kinds:
        notes.append(
            "* stored by an earlier version, which kept their share of reviews alone, not the "
            "difference with ours: run `rivalscope report` to compare it with ours"
        )
    # Whole company against whole company: where a common segment mix reads otherwise.
    shown = {
        (f.competitor, f.aspect)
        for f in rows
        if f.segment == "all" and f.kind in ("competitor_weakness", "competitor_strength")
    }
    notes += [f"segment mix: {m.note}" for m in mix or [] if (m.competitor, m.aspect) in shown]
    for units in notes:
        console.print(units, markup=False, highlight=False, soft_wrap=False)
    _say_other_side(other_side, they_lead)
    _say_small_segments(small, latest)


def _say_small_segments(small: SmallSegments | None, report: int | None) -> None:
    """The latest report's segments too small to compare, in one line (none: nothing)."""
    text = None if small is None else small.text()
    if text is not None:
        console.print(f"Report #{report}: {text}", markup=False, highlight=False, soft_wrap=True)


def _small_aspect(aspect: str | None, translated: str | None, small: SmallSegments) -> str | None:
    """The aspect to narrow the small segments to: the stored one ``aspect`` names in
    another language ("dostawa": delivery), among the findings' or the small segments'."""
    from compare.report.findings import fold_name

    if aspect is None or translated is not None:
        return translated or aspect
    names = sorted({g.aspect for g in small.groups or ()})
    if fold_name(aspect) in map(fold_name, names):
        return aspect
    return _stored_aspect_named(aspect, names) or aspect


def _base_note(rows: list[StoredFinding]) -> str:
    """What the ours column compares with, for the rows shown."""
    if any(f.own_base == "segment" for f in rows):
        return "ours is from our reviews in the same segment, else our whole company's"
    return "ours is our whole company's"


def _say_other_side(count: int, they_lead: bool) -> None:
    """Where the findings of the side not listed are (none: nothing said)."""
    if count == 0:
        return
    if they_lead:
        text = f"{count} target(s) to win match too: leave out --they-lead to list them."
    else:
        text = f"{count} finding(s) where they beat us match too: --they-lead lists them."
    console.print(text, markup=False, highlight=False)


_WORDS = re.compile(r"[\w\s'’-]+")


def _stored_aspect_named(name: str | None, stored: list[str]) -> str | None:
    """The one stored aspect ``name`` names in another language (a seed term of the bundled
    taxonomy in any language), when it is not a stored aspect or need itself; else None."""
    from compare.analysis.taxonomy import load_taxonomy
    from compare.report.findings import fold_name

    if not name or fold_name(name) in map(fold_name, stored):
        return None
    if not _WORDS.fullmatch(name):  # "deliver%": no wildcard, no word of another language
        return None
    named = [a for a in load_taxonomy().aspects_named(name) if a in stored]
    return named[0] if len(named) == 1 else None


def _known_aspect(name: str, small: SmallSegments | None) -> bool:
    """An aspect of the bundled taxonomy (by its name, or a seed term of any language:
    "dostawa"), or one the latest report's small segments name, though no finding is about
    it: "no finding" is then an answer, not a mistake."""
    from compare.analysis.taxonomy import load_taxonomy
    from compare.report.findings import fold_name

    taxonomy = load_taxonomy()
    named = {fold_name(a) for a in taxonomy.aspects}
    if small is not None:
        named |= {fold_name(g.aspect) for g in small.groups or ()}
    if fold_name(name) in named:
        return True
    return bool(_WORDS.fullmatch(name)) and bool(taxonomy.aspects_named(name))


CI_TEXT = (
    "adjusted for every comparison of its kind the report made (wider than 95%: 5% false "
    "discovery rate), so it excludes 0 exactly when the difference is significant"
)
SIDE_UNITS = {
    "competitor_weakness": "net sentiment on the aspect (−1..1)",
    "competitor_strength": "net sentiment on the aspect (−1..1)",
    "unmet_need": "share of reviews voicing it",
    "own_unmet_need": "share of reviews voicing it",
}
"""What the theirs and ours columns read, by kind."""


def register(app: typer.Typer) -> None:
    app.command()(findings)


def _report_text(finding: StoredFinding) -> str:
    """The report a finding is from: its id and the day it was made ("#3 2026-11-02")."""
    made = finding.report_created_at
    return f"#{finding.report_run_id}" + ("" if made is None else f" {made:%Y-%m-%d}")

"""``rivalscope targets validate|status|check|suggest|detect``: look after the targets file."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlparse

import typer
from rich.table import Table
from rich.text import Text

from rivalscope.display import console, counted, echo, print_table
from rivalscope.options import DbOption, TargetsOption
from rivalscope.process import one_command_process
from settings.user_errors import UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from settings.targets import Crawler, Limits

targets_app = typer.Typer(
    help="Check and tune the targets file: validate, health status, page check, selector "
    "suggestions, how a page carries its reviews.",
    no_args_is_help=True,
)

UrlOption = Annotated[str | None, typer.Option("--url", help="Fetch this page.")]
FileOption = Annotated[
    Path | None,
    typer.Option("--file", help="Read this saved HTML page instead.", exists=True, dir_okay=False),
]


IgnoreRobotsOption = Annotated[
    bool, typer.Option("--ignore-robots", help="Fetch even if robots.txt forbids it.")
]
AgentTargetsOption = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        "-t",
        help="Targets file whose user agent to fetch with (default: ./targets.toml if there).",
        show_default=False,
    ),
]


def _crawler_table(targets: Path | None) -> Crawler:
    """The crawl's ``[crawler]`` table (its user agent): the targets file's (``targets``,
    else ./targets.toml where there is one, as ``rivalscope crawl`` reads it), else the
    default. A page is fetched as the crawl would fetch it, naming the crawler the user
    configured."""
    from settings.targets import DEFAULT_TARGETS_FILE, Crawler, load_targets

    if targets is None:
        default = Path(DEFAULT_TARGETS_FILE)
        if not default.exists() and not default.is_symlink():
            return Crawler()
        targets = default
    return load_targets(targets).crawler


def _say_waiting(what: str) -> None:
    """One line on stderr while a slow page is awaited (stdout keeps the pasteable output)."""
    echo(f"{what} ...", err=True)


RenderOption = Annotated[
    bool | None,
    typer.Option(
        "--render/--no-render",
        help="Render the --url page in chromium first (JavaScript-loaded reviews).",
        show_default=False,
    ),
]


def _read_page(
    url: str | None,
    file: Path | None,
    crawler: Crawler | Path | None,
    ignore_robots: bool,
    render: bool = False,
    limits: Limits | None = None,
    hosts: tuple[str, ...] = (),
) -> str:
    """The --file page, or the --url page read as a crawl of a source with ``limits``
    (on ``hosts``, default the page's own) reads it (robots.txt decides first), rendered in
    chromium with ``render``. ``crawler``: the ``[crawler]`` table, or the targets file to
    take it from (``_crawler_table``; read only when a page is fetched)."""
    from spiders.target_check import fetch_page

    if (url is None) == (file is None):
        raise UserError("give exactly one of --url URL or --file page.html")
    if file is not None:
        from rivalscope.commands.extract import read_page  # /dev/zero, folders: one line

        return read_page(file).decode("utf-8", errors="replace")
    assert url is not None
    if crawler is None or isinstance(crawler, Path):
        crawler = _crawler_table(crawler)
    chromium = None
    if render:
        from spiders.browser import require_browser

        chromium = require_browser([], "--render")
    return fetch_page(
        url,
        crawler,
        limits,
        obey_robots=not ignore_robots,
        chromium=chromium,
        here=one_command_process(),
        hosts=hosts,
    )


@targets_app.command()
def validate(targets: TargetsOption = Path("targets.toml")) -> None:
    """Check the targets file and its selectors; list its sources.

    Example: rivalscope targets validate --targets targets.toml
    """
    # Imported in each command: the storage and settings stacks take half a second, and
    # --help need not wait.
    from rivalscope.scheduler.due import next_due
    from settings.targets import load_targets
    from storage.models import utcnow

    # Every selector that does not parse is refused here, each at its key's line, as by
    # every command that reads the file (settings.targets.Selectors; `targets check` too).
    plan = load_targets(targets)
    table = Table(title=f"Sources in {targets}", title_justify="left")
    # The file alone says when the cron expression fires next; when the scheduler starts a
    # source also depends on its last run (a source never run is due at once), which
    # `targets status` reads from the database.
    columns = ("company", "source", "holds", "mode", "start", "schedule (UTC)", "fires next")
    for column in columns:
        table.add_column(column)
    now = utcnow()
    for company, source in plan.sources():
        start = source.start_urls[0] if source.start_urls else f"sitemap {source.sitemap}"
        more = f" (+{len(source.start_urls) - 1})" if len(source.start_urls) > 1 else ""
        upcoming = (
            next_due(source.schedule, now, now).strftime("%Y-%m-%d %H:%M")
            if source.schedule
            else "-"
        )
        # How pages are read, beside the mode: a browser, a review widget's API.
        reading: list[str] = [source.mode]
        if source.render == "browser":
            reading.append("browser")
        if source.review_api is not None:
            reading.append("review API")
        table.add_row(
            f"{company.name}{' (own)' if company.own else ''}",
            source.name,
            source.holds,
            " + ".join(reading),
            start + more,
            source.schedule or "not scheduled",
            upcoming,
        )
    print_table(table, out=console)
    if any(source.schedule for _, source in plan.sources()):
        console.print(
            "The scheduler starts a source it has never run at its first round; "
            "`rivalscope targets status` says when each source is due."
        )
    console.print(f"{targets}: OK ({counted(len(plan.sources()), 'source')})")


@targets_app.command()
def status(targets: TargetsOption = Path("targets.toml"), db: DbOption = None) -> None:
    """Health of each source (from the checks after every crawl) and its last run.

    Example: rivalscope targets status --db sqlite:///rivalscope.db
    """
    from sqlmodel import Session, col, select

    from rivalscope.scheduler.lease import load_states
    from settings.targets import load_targets
    from storage.db import database_url, describe_url, open_database
    from storage.models import CrawlRun, Source, as_utc, utcnow
    from storage.run_history import shown_status

    plan = load_targets(targets)
    url = database_url(db)
    # Read only: a mistyped --db is said, not created empty with every source "never crawled".
    engine = open_database(url, existing=True)
    states = load_states(engine)
    table = Table(title=f"Target health in {describe_url(url)}", title_justify="left")
    for column in ("source", "health", "last run", "status", "pages", "reviews", "offers"):
        table.add_column(column)
    table.add_column("next scheduled (UTC)")
    reasons: list[str] = []
    now = utcnow()
    unhealthy = 0
    with Session(engine) as session:
        for _, target in plan.sources():
            row = session.exec(select(Source).where(Source.name == target.name)).first()
            run = None
            if row is not None:
                run = session.exec(
                    select(CrawlRun)
                    .where(CrawlRun.source_id == row.id)
                    .order_by(col(CrawlRun.id).desc())
                ).first()
            state = states.get(target.name)
            last = as_utc(state.last_started_at) if state and state.last_started_at else None
            upcoming = next_scheduled_text(target.schedule, last, now)
            # The verdict is of the last judged run; a later one still running or
            # interrupted is not judged, so the verdict says which run it is of.
            judged = _judged_run(session, row.id) if row is not None and run else None
            older = judged is not None and run is not None and judged != run.id
            if row is None:
                health = "never crawled"
            elif not row.healthy:
                health, unhealthy = "UNHEALTHY", unhealthy + 1
            elif judged is None:
                # no run judged yet (each interrupted, or crawled by `rivalscope demo`):
                # "ok" read as a verdict on runs no check looked at
                health = "not checked yet"
            else:
                health = "ok"
            if older:
                health += f" (run {judged})"
            table.add_row(
                target.name,
                health,
                as_utc(run.started_at).strftime("%Y-%m-%d %H:%M") if run else "-",
                shown_status(run, fetches_pages=row.kind != "import")[0]
                if run and row is not None
                else "-",
                str(run.pages) if run else "-",
                str(run.reviews_seen) if run else "-",
                str(run.offers_seen) if run else "-",
                upcoming,
            )
            if row is not None and row.health_reason:
                last_id = run.id if run is not None else None
                of = f" (run {judged}; the last run, {last_id}, is not judged)" if older else ""
                reasons.append(f"{target.name}: {row.health_reason}{of}")
    engine.dispose()
    print_table(table, out=console)
    for reason in reasons:
        console.print(f"  {reason}", markup=False, highlight=False)
    if unhealthy:
        console.print(f"{unhealthy} unhealthy source(s): see `rivalscope targets check SOURCE`")


def _judged_run(session: Session, source_id: int | None) -> int | None:
    """The crawl run the source's health verdict is of: its last health check's."""
    from sqlmodel import col, select

    from storage.schedule_models import HealthCheck

    return session.exec(
        select(HealthCheck.crawl_run_id)
        .where(HealthCheck.source_id == source_id)
        .order_by(col(HealthCheck.crawl_run_id).desc())
    ).first()


def next_scheduled_text(schedule: str | None, last_started: datetime | None, now: datetime) -> str:
    """When the scheduler starts the source next; "due now" rather than the current minute,
    which reads as a fire time of the cron expression."""
    from rivalscope.scheduler.due import is_due, next_fire

    if not schedule:
        return "-"
    if last_started is None:
        return "due now (not yet run by the scheduler)"
    if is_due(schedule, last_started, now):
        return "due now (a run was missed)"
    return next_fire(schedule, last_started).strftime("%Y-%m-%d %H:%M")


@targets_app.command()
def check(
    source: Annotated[str, typer.Argument(help="Source name from the targets file.")],
    url: UrlOption = None,
    file: FileOption = None,
    page_url: Annotated[
        str | None,
        typer.Option(
            help="URL the --file page was saved from (for links); default: first start URL."
        ),
    ] = None,
    ignore_robots: IgnoreRobotsOption = False,
    render: RenderOption = None,
    targets: TargetsOption = Path("targets.toml"),
) -> None:
    """Show what the source's selectors (or auto layers) extract from one page.

    Without --url or --file the source's first start URL is fetched; a source with
    render = "browser" is rendered in chromium unless --no-render.

    Example: rivalscope targets check acme-shop --url https://acme.example/p/kettle
    """
    from rivalscope.extraction_samples import aggregate_text, offers_table, reviews_table
    from settings.targets import load_targets
    from spiders.pipelines.normalize import normalize_offer, normalize_review
    from spiders.raw_fields import clean_text
    from spiders.target_check import check_page

    plan = load_targets(targets)
    _, target = plan.find_source(source)
    if page_url is not None and url is not None:
        # Links are read against the --url page's own address: a --page-url beside it was
        # silently ignored.
        raise UserError(
            "--page-url names where a --file page was saved from; a --url page has its own"
        )
    from rivalscope.commands.extract import check_page_url

    if page_url is not None:
        check_page_url(page_url, "--page-url")  # links and ids are read against it
    if url is not None:
        check_page_url(url, "--url")  # "http://[::1" was a traceback (urlparse's ValueError)
    if url is None and file is None:
        if not target.start_urls:
            raise UserError(f"{source} has no start_urls: give --url or --file")
        url = target.start_urls[0]
    rendered = target.render == "browser" if render is None else render
    # The source's hosts, and the page's own: the URL given is read even off them.
    hosts = tuple(
        dict.fromkeys([*target.domains(), *([urlparse(url).hostname or ""] if url else [])])
    )
    html = _read_page(url, file, plan.crawler, ignore_robots, rendered, target.limits, hosts)
    where = url or page_url or (target.start_urls[0] if target.start_urls else "http://localhost/")
    result = check_page(html, where, target)
    page = result.extraction
    # What the page holds (its links, markup, ids) is shown with its control characters
    # dropped (``clean_text``): a page cannot send escape sequences to the terminal.
    console.print(
        f"{source} ({target.mode} mode) on {url or file}: {_reviews(len(page.reviews))}, "
        f"{counted(len(page.offers), 'offer')}; next page: {clean_text(page.next_page) or '-'}",
        markup=False,
    )
    # As a crawl stores them: a selector reads the page's text ("★★★★☆", "5 grudnia 2026",
    # "49,99 zł"), which the record stages parse; shown unparsed, every rating, date and
    # price of a selectors source read "-".
    offers = [normalize_offer(copy.deepcopy(o)) for o in page.offers]
    reviews = [normalize_review(copy.deepcopy(r), target.language) for r in page.reviews]
    if offers:
        print_table(offers_table(offers), out=console)
    if page.aggregate_rating is not None:
        console.print(aggregate_text(page.aggregate_rating), markup=False, highlight=False)
    if reviews:
        print_table(reviews_table(reviews), out=console)
    if result.selectors:
        table = Table(title="Selectors", title_justify="left")
        for column in ("selector of", "query", "matched", "sample"):
            table.add_column(column)
        for r in result.selectors:
            matched = f"{r.matched}/{r.of}" if r.of is not None else str(r.matched)
            # Selectors and page text are shown as they are: "[...]" is not rich markup.
            table.add_row(r.name, Text(r.query), matched, Text((clean_text(r.sample) or "")[:60]))
        print_table(table, out=console)
    if result.layers:
        console.print(
            "auto layers used: " + ", ".join(f"{k} ({v})" for k, v in result.layers.items()),
            markup=False,
        )
    if result.coverage:
        coverage = Table(title="Field coverage", title_justify="left")
        coverage.add_column("field")
        coverage.add_column("share", justify="right")
        for key, share in result.coverage.items():
            coverage.add_row(key, f"{share:.0%}")
        console.print(coverage)
    if result.review_api:
        console.print(f"review API: {clean_text(result.review_api)}", markup=False, highlight=False)
    for warning in result.warnings:
        console.print(f"warning: {clean_text(warning)}", markup=False, highlight=False)


@targets_app.command()
def suggest(
    url: UrlOption = None,
    file: FileOption = None,
    ignore_robots: IgnoreRobotsOption = False,
    render: RenderOption = False,
    targets: AgentTargetsOption = None,
) -> None:
    """Propose review selectors from a page's repeated blocks; prints TOML to paste.

    Example: rivalscope targets suggest --url https://shop.example/p/kettle > selectors.toml
    """
    from spiders.extract.suggest import SuggestError, suggest_selectors

    html = _read_page(url, file, targets, ignore_robots, bool(render))
    try:
        suggestion = suggest_selectors(html, url or "")
    except SuggestError as exc:
        if url is None or render or "<script" not in html.lower():
            raise
        # The page as the server sends it: reviews a script loads are not in it yet.
        raise SuggestError(
            f"{exc}; if its reviews are loaded by JavaScript, add --render (or see "
            f"`rivalscope targets detect {url}`)"
        ) from None
    echo(f"# {suggestion.blocks} review blocks matched {suggestion.review!r}; first block:")
    for name, value in suggestion.samples.items():
        echo(f"#   {name}: {value[:70]}")
    if suggestion.auto_reviews:
        echo(
            f"# these selectors read {suggestion.reviews_read} of the {suggestion.auto_reviews}"
            " reviews auto extraction finds on this page"
            + (
                ': mode = "auto" reads all of them'
                if suggestion.reviews_read < suggestion.auto_reviews
                else ""
            )
        )
    if suggestion.fields_lost:
        *some, last = suggestion.fields_lost
        lost = f"{', '.join(some)} and {last}" if some else last
        echo(
            f"# auto extraction also reads the {lost} of these reviews, which no selector"
            f' here reads: mode = "selectors" would lose them; keep mode = "auto" (these'
            " selectors under it replace only what they read)"
        )
        echo("# Paste under your [[company.source]].")
    elif suggestion.auto_carriers and "layout" not in suggestion.auto_carriers:
        # Auto reads every review here from the page's markup or its JSON, which `targets
        # detect` proposes as mode = "auto": advising "selectors" would contradict it.
        echo(
            f"# auto extraction reads these reviews from {', '.join(suggestion.auto_carriers)},"
            ' which outlasts a change of layout: keep mode = "auto", as `targets detect`'
            " proposes (these selectors under it replace only what they read)"
        )
        echo("# Paste under your [[company.source]].")
    else:
        echo('# Paste under your [[company.source]] and set mode = "selectors".')
    typer.echo(suggestion.to_toml(), nl=False)


@targets_app.command()
def detect(
    url: Annotated[str, typer.Argument(help="A product page with reviews.")],
    browser: Annotated[
        bool,
        typer.Option(help="Also render the page in chromium and watch the JSON it fetches."),
    ] = True,
    ignore_robots: IgnoreRobotsOption = False,
    targets: AgentTargetsOption = None,
) -> None:
    """Say how a page carries its reviews (markup, embedded JSON, layout, a widget's JSON
    API, JavaScript) and propose the source settings that read them.

    Example: rivalscope targets detect https://shop.example/p/kettle
    """
    from spiders.detect import analyse, read_page
    from spiders.extract.auto import extract_auto

    chromium = None
    if browser:
        from spiders.browser import require_browser

        chromium = require_browser([], "targets detect (--no-browser reads only the HTML)")
    html, rendered_page = read_page(
        url,
        _crawler_table(targets),
        chromium,
        obey_robots=not ignore_robots,
        here=one_command_process(),
        on_slow=_say_waiting,
    )
    plain = extract_auto(html, url)
    rendered = extract_auto(rendered_page.html, url) if rendered_page is not None else None
    found = analyse(url, plain, rendered, rendered_page)
    _say(f"# {url}")
    _say(f"# reviews carried by: {', '.join(found.carriers)}")
    layers = ", ".join(f"{k} {v}" for k, v in found.layers.items()) or "-"
    _say(f"# in the HTML: {_reviews(found.plain_reviews)} ({layers})")
    if found.rendered_reviews is not None:
        _say(f"# rendered in chromium: {_reviews(found.rendered_reviews)}")
    if found.api is not None:
        _say(f"# widget API seen: {found.api.url} ({_reviews(found.api.reviews)})")
    if found.declared is not None:
        _say(f"# the page declares {_reviews(found.declared)}")
    notes = list(found.notes)
    if found.carriers == ["none found"]:
        from spiders.target_check import likely_product_link, page_links

        example = likely_product_link(
            page_links(rendered_page.html if rendered_page else html, url)
        )
        if example:  # a shop's home or category page: reviews sit on product pages
            notes.append(
                f"no reviews here; try a product page, e.g. rivalscope targets detect {example}"
            )
        elif rendered_page is None and "<script" in html.lower():
            notes.append(
                "the page was not rendered (--no-browser): reviews its scripts load are not "
                "seen; run without --no-browser to render it in chromium"
            )
    for note in notes:
        _say(f"# note: {note}")
    _say("# Proposed settings for the [[company.source]] of this page:")
    # TOML strings: ASCII, their control characters escaped (``toml_string``).
    typer.echo("\n".join(found.settings))


def _say(line: str) -> None:
    """A line that may hold page-derived text (URLs, ids, a link), its bidi overrides and
    control characters shown as codes (``echo``): a page cannot send escape sequences to
    the terminal nor reorder the line."""
    echo(line)


def register(app: typer.Typer) -> None:
    app.add_typer(targets_app, name="targets")


def _reviews(count: int | None) -> str:
    return counted(count, "review")

"""``rivalscope demo``: serve the bundled demo shops on 127.0.0.1 and run the main job on them."""

from __future__ import annotations

import re
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from rivalscope.display import command_console
from rivalscope.options import DbOption
from settings.user_errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine

console = command_console()
DEMO_MARKER = "(written by rivalscope.demo)"
DEFAULT_PORT = 8765

DEMO_MAX = 1000
"""Most products per shop and reviews per product the demo generates."""


def _free_port(port: int) -> int:
    """``port`` if it can be bound on 127.0.0.1, else 0 (any free port)."""
    if port == 0:
        return 0
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return 0
    return port


def _write_demo_targets(path: Path, base_url: str, shops: list[Any]) -> Path:
    """Write the demo's targets file at ``path``, or beside it when ``path`` holds other
    content (an edited or unrelated targets file is never overwritten); returns where the
    demo's targets are."""
    from rivalscope.demo.targets import write_targets

    if not path.exists() or _unedited_demo_targets(path, shops):
        write_targets(path, base_url, shops)
        return path
    beside = path.with_name(f"{path.stem}.demo{path.suffix or '.toml'}")
    if beside.exists() and DEMO_MARKER not in beside.read_text("utf-8", errors="replace")[:400]:
        raise UserError(
            f"{path} and {beside} exist and were not written by the demo; use --targets to "
            "write the demo's targets elsewhere"
        )
    write_targets(beside, base_url, shops)
    if beside.read_bytes() == path.read_bytes():
        beside.unlink()
        return path
    console.print(
        f"{path} exists and differs from the demo's targets: left as it is; the demo's "
        f"targets are in {beside}",
        markup=False,
        highlight=False,
    )
    return beside


def _unedited_demo_targets(path: Path, shops: list[Any]) -> bool:
    """``path`` is exactly what the demo wrote for its earlier address (its first line
    names it): safe to rewrite for today's address."""
    from rivalscope.demo.targets import targets_toml

    content = path.read_text("utf-8", errors="replace")
    served = re.match(r"# Targets for the rivalscope demo shops served at (\S+) ", content)
    return served is not None and content == targets_toml(served.group(1), shops)


def demo(
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Only serve the shops (until Ctrl-C) and write the targets file (an "
            "existing, different one is left alone: the demo's goes beside it).",
        ),
    ] = False,
    port: Annotated[
        int, typer.Option(help="Port on 127.0.0.1 (a busy port falls back to a free one).")
    ] = DEFAULT_PORT,
    products: Annotated[
        int | None,
        typer.Option(
            help="Products per shop (default 6; 3 in each of the two scripted shops).",
            show_default=False,
        ),
    ] = None,
    reviews_per_product: Annotated[
        int | None,
        typer.Option(help="Reviews per product (default 12-30 each).", show_default=False),
    ] = None,
    slow_seconds: Annotated[float, typer.Option(help="Delay of the demo's slow page.")] = 3.0,
    targets: Annotated[
        Path, typer.Option("--targets", "-t", help="Where to write the demo's targets file.")
    ] = Path("targets.toml"),
    report_dir: Annotated[Path, typer.Option("--out", help="Folder for the gap report.")] = Path(
        "rivalscope-report"
    ),
    scripted: Annotated[
        bool,
        typer.Option(
            help="Also serve and crawl the two shops whose reviews need JavaScript or "
            "embedded JSON."
        ),
    ] = True,
    db: DbOption = None,
) -> None:
    """Run the whole job on bundled demo shops: serve, crawl, analyse, report.

    Serves six small coffee shops (your own and five competitors; English, French,
    Polish, Norwegian reviews) on 127.0.0.1, crawls them politely into the database,
    and prints what was collected. Running it again adds nothing new. One competitor
    loads its reviews with JavaScript (rendered in Debian's chromium; skipped with a notice
    when chromium is missing), one keeps them in embedded JSON.

    Example: rivalscope demo            (then: rivalscope crawl, rivalscope report)
    Example: rivalscope demo --serve --port 8800
    """
    from rivalscope.demo.server import DemoServer
    from rivalscope.demo.shops import generate_shops
    from storage.db import database_url, describe_url, open_database

    if not 0 <= port <= 65535:
        raise UserError(f"--port must be 0-65535 (0: any free port), not {port}")
    if not 0 <= slow_seconds <= 600:  # also refuses nan, which time.sleep would raise on
        raise UserError(f"--slow-seconds must be a number of seconds, 0-600, not {slow_seconds}")
    for option, value in (("--products", products), ("--reviews-per-product", reviews_per_product)):
        if value is not None and not 1 <= value <= DEMO_MAX:  # 10^9 products never finished
            raise UserError(f"{option} must be 1-{DEMO_MAX:,}, not {value}")
    for option, path in (("--targets", targets), ("--out", report_dir)):
        if path.is_dir() if option == "--targets" else path.exists() and not path.is_dir():
            raise UserError(f"{option} {path} is a {'folder' if path.is_dir() else 'file'}")
    try:  # found before the shops are crawled, not after
        targets.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=targets.parent):
            pass
    except OSError as exc:
        raise UserError(f"--targets {targets}: cannot write there ({exc.strerror})") from None
    started = time.monotonic()
    shops = generate_shops(products=products, reviews_per_product=reviews_per_product)
    if scripted:
        shops += _scripted_shops(products, reviews_per_product)
    server = DemoServer(shops, port=_free_port(port), slow_seconds=slow_seconds).start()
    try:
        targets = _write_demo_targets(targets, server.base_url, shops)
        console.print(
            f"Demo shops served at [bold]{server.base_url}[/]; "
            f"targets written to {escape(str(targets))}",
            markup=True,
        )
        if serve:
            _serve_forever(server.base_url, targets)
            return
        url = database_url(db)
        open_database(url).dispose()
        from settings.targets import load_targets
        from spiders.runner import run_crawls

        console.print("Crawling the demo shops (robots.txt obeyed; progress below)…")
        progress = "live" if sys.stderr.isatty() else "plain"
        results = run_crawls(
            load_targets(targets), None, url, log_level="WARNING", progress=progress
        )
        names = [r.source for r in results]
    finally:
        server.stop()

    from rivalscope.display import print_collection_summary
    from storage.crawl_summary import company_summaries

    engine = open_database(url)
    try:
        print_collection_summary(company_summaries(engine, names), describe_url(url))
        _after_crawl(engine, report_dir)
    finally:
        engine.dispose()
    console.print(f"Done in {time.monotonic() - started:.0f} s. Database: {describe_url(url)}")


def _scripted_shops(products: int | None, reviews_per_product: int | None) -> list[Any]:
    """The two shops whose reviews need more than HTML; the JavaScript one only where
    chromium can render it (the demo runs everywhere; the notice says what is missing)."""
    from rivalscope.demo.shops import generate_scripted_shops
    from spiders.browser import BrowserMissingError, require_browser

    shops = generate_scripted_shops(products=products, reviews_per_product=reviews_per_product)
    needing = [s for s in shops if s.markup == "widget"]
    try:
        require_browser([f"{s.slug}-shop" for s in needing])
    except BrowserMissingError as exc:
        skipped = escape(f"skipping {', '.join(s.name for s in needing)}: {exc}")
        console.print(f"[yellow]note:[/] {skipped}", markup=True)
        return [s for s in shops if s.markup != "widget"]
    return shops


def _after_crawl(engine: Engine, report_dir: Path) -> None:
    """Analyse the crawled reviews and print the analysis summary, then write the gap report
    into ``report_dir`` and print its three best opportunities."""
    from compare.analysis.run import analyze_database
    from compare.report.build import build_report
    from rivalscope.commands.analyze import print_summary

    console.print("Analysing reviews (language, sentiment, aspects, needs)…")
    summary = analyze_database(engine, progress=True)
    print_summary(summary, [])
    result = build_report(engine, report_dir)
    console.print(f"Gap report: {result}", markup=False, highlight=False)
    for rank, line in enumerate(result.top_opportunities(3), start=1):
        console.print(f"  {rank}. {line}", markup=False, highlight=False)


def _serve_forever(base_url: str, targets: Path) -> None:
    console.print(
        f"Try, in another terminal:\n  rivalscope targets validate --targets {targets}\n"
        f"  rivalscope crawl --targets {targets}\nPress Ctrl-C to stop serving."
    )
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stop:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    console.print(f"stopped serving {base_url}")


def register(app: typer.Typer) -> None:
    app.command()(demo)

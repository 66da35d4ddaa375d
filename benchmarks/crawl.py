"""Crawl throughput: the full pipeline into SQLite against a bare spider, same run, same shops.

Serves the demo shops enlarged to PRODUCTS product pages in all (default 2,000) with
REVIEWS reviews each (default 20), then alternates:
  * bare: the same ``TargetSpider`` (same extraction, same link following) with no item
    pipelines: items are yielded and discarded;
  * full: ``rivalscope crawl`` (normalise, validate, pseudonymise, language, store in SQLite).
Each crawl runs in its own process (Scrapy's reactor starts once per process); pages/s
come from the crawl's own clock (Scrapy stats / the crawl_run row), not process start-up.

    python benchmarks/crawl.py [--products 2000] [--reviews 20] [--repeat 2]

Ends with: ``full_pages_per_s=X bare_pages_per_s=Y ratio=R`` (medians).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_SCRIPT = """
import json, sys
from scrapy.crawler import CrawlerProcess
from settings.targets import load_targets
from spiders.page_budget import pages_fetched
from spiders.runner import crawl_settings, select_sources
from spiders.target_spider import TargetSpider

targets = load_targets(sys.argv[1])
settings = crawl_settings(targets, "sqlite:///unused.db", log_level="ERROR")
settings.set("ITEM_PIPELINES", {}, priority="cmdline")
process = CrawlerProcess(settings)
crawlers = []
for company, source in select_sources(targets, None):
    crawler = process.create_crawler(TargetSpider)
    crawlers.append(crawler)
    process.crawl(crawler, source=source, company=company)
process.start()
out = []
for crawler in crawlers:
    stats = crawler.stats.get_stats()
    out.append({
        "pages": pages_fetched(stats),  # robots.txt aside, as the full pipeline's runs count
        "reviews": stats.get("rivalscope/reviews_scraped", 0),
        "start": stats["start_time"].timestamp(),
        "finish": stats["finish_time"].timestamp(),
    })
print(json.dumps(out))
"""


def _targets(base_url: str, shops: list, path: Path) -> None:  # type: ignore[type-arg]
    from rivalscope.demo.targets import targets_toml

    text = targets_toml(base_url, shops)
    text = re.sub(r"max_pages = \d+", "max_pages = 1000000", text)
    text = re.sub(r"max_reviews = \d+", "max_reviews = 10000000", text)
    text = re.sub(r"timeout_s = \d+", "timeout_s = 3600", text)
    text = text.replace("concurrency = 8", "concurrency = 16\nautothrottle = false")
    path.write_text(text, encoding="utf-8")


def _bare(targets: Path, workdir: Path) -> tuple[float, int, int]:
    result = subprocess.run(
        [sys.executable, "-c", BARE_SCRIPT, str(targets)],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"},
    )
    runs = json.loads(result.stdout.strip().splitlines()[-1])
    seconds = max(r["finish"] for r in runs) - min(r["start"] for r in runs)
    return seconds, sum(r["pages"] for r in runs), sum(r["reviews"] for r in runs)


def _full(targets: Path, workdir: Path, index: int) -> tuple[float, int, int]:
    from sqlmodel import Session, select

    from storage.db import open_database
    from storage.models import CrawlRun

    url = f"sqlite:///{workdir / f'full-{index}.db'}"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rivalscope",
            "crawl",
            "--targets",
            str(targets),
            "--log-level",
            "ERROR",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "RIVALSCOPE_DATABASE_URL": url, "PYTHONWARNINGS": "ignore"},
    )
    engine = open_database(url)
    with Session(engine) as session:
        runs = session.exec(select(CrawlRun)).all()
    engine.dispose()
    start = min(r.started_at for r in runs)
    finish = max(r.finished_at for r in runs if r.finished_at)
    return (
        (finish - start).total_seconds(),
        sum(r.pages for r in runs),
        sum(r.reviews_new for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--products", type=int, default=2000, help="product pages in all (split over 4 shops)"
    )
    parser.add_argument("--reviews", type=int, default=20, help="reviews per product")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each variant (medians are quoted)"
    )
    args = parser.parse_args()

    from rivalscope.demo.server import DemoServer
    from rivalscope.demo.shops import generate_shops

    shops = generate_shops(products=max(1, args.products // 4), reviews_per_product=args.reviews)
    bare_rates: list[float] = []
    full_rates: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, DemoServer(shops, slow_seconds=0.2) as server:
        workdir = Path(tmp)
        targets = workdir / "targets.toml"
        _targets(server.base_url, shops, targets)
        print(
            f"shops served at {server.base_url}: {args.products} products x {args.reviews} reviews"
        )
        for index in range(args.repeat):
            for name in ("bare", "full"):
                began = time.monotonic()
                if name == "bare":
                    seconds, pages, reviews = _bare(targets, workdir)
                else:
                    seconds, pages, reviews = _full(targets, workdir, index)
                rate = pages / seconds
                (bare_rates if name == "bare" else full_rates).append(rate)
                print(
                    f"{name:4} run {index + 1}: {pages} pages, {reviews} reviews in {seconds:.1f} s "
                    f"-> {rate:.1f} pages/s, {reviews / seconds:.0f} reviews/s "
                    f"(process {time.monotonic() - began:.1f} s)",
                    flush=True,
                )
    full, bare = statistics.median(full_rates), statistics.median(bare_rates)
    print(f"full_pages_per_s={full:.1f} bare_pages_per_s={bare:.1f} ratio={full / bare:.2f}")


if __name__ == "__main__":
    main()

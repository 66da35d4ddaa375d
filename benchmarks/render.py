"""Cost of ``render = "browser"``: seconds per page rendered in chromium against plain fetches.

Serves the demo's widget shop (reviews loaded by JavaScript from its JSON API, "Load more"
pages of 10) with PRODUCTS products of REVIEWS reviews on 127.0.0.1, then alternates two
crawls of the same pages, each ``rivalscope crawl`` in its own process:
  * plain: the source without ``render`` (Scrapy's downloader; sees no reviews);
  * browser: ``render = "browser"`` (chromium, network-idle waits, clicks until done);
and, for the reviews, the same shop read through its ``[review_api]`` without a browser.
Times come from the crawl_run rows (the crawl's own clock, browser start included).

    python benchmarks/render.py [--products 24] [--reviews 25] [--repeat 3]

Ends with: ``plain_s_per_page=X browser_s_per_page=Y ratio=R api_s_per_page=Z
browser_added_s_per_page=A`` (medians; A = (browser - plain crawl seconds) / pages, the cost
of rendering without the crawl's fixed start and stop, which dominate small crawls).
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


_RUNS = itertools.count()


def _crawl(targets: str, workdir: Path, name: str) -> tuple[float, int, int]:
    """(seconds, pages, new reviews) of one ``rivalscope crawl`` (crawl.py's full variant)."""
    from crawl import _full  # benchmarks/crawl.py: the same subprocess and crawl_run reading

    path = workdir / f"{name}.toml"
    path.write_text(targets, encoding="utf-8")
    return _full(path, workdir, next(_RUNS))  # full-<n>.db: one database per crawl


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=24, help="product pages")
    parser.add_argument("--reviews", type=int, default=25, help="reviews per product")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant")
    args = parser.parse_args()

    from rivalscope.demo.scripted_pages import widget_api_path
    from rivalscope.demo.server import DemoServer
    from rivalscope.demo.shops import generate_scripted_shops
    from rivalscope.demo.targets import targets_toml

    shops = generate_scripted_shops(products=args.products, reviews_per_product=args.reviews)
    shop = next(s for s in shops if s.markup == "widget")
    rates: dict[str, list[float]] = {"plain": [], "browser": [], "api": []}
    seconds_of: dict[str, list[float]] = {"plain": [], "browser": [], "api": []}
    pages_of: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, DemoServer([shop], slow_seconds=0.1) as server:
        browser = targets_toml(server.base_url, [shop])
        plain = re.sub(r'render = "browser"\n', "", browser)
        plain = re.sub(r"\[company\.source\.browser\]\n(.+\n)*", "", plain)
        api = f"{server.base_url}{widget_api_path(shop)}?product={{product_id}}&page=1"
        via_api = plain + f'\n[company.source.review_api]\nurl = "{api}"\n'
        variants = {"plain": plain, "browser": browser, "api": via_api}
        print(f"widget shop at {server.base_url}: {args.products} products x {args.reviews}")
        for index in range(args.repeat):
            for name, text in variants.items():
                seconds, pages, reviews = _crawl(text, Path(tmp), f"{name}-{index}")
                rates[name].append(seconds / pages)
                seconds_of[name].append(seconds)
                pages_of[name] = pages
                print(
                    f"{name:7} run {index + 1}: {pages} pages (responses), {reviews} reviews "
                    f"in {seconds:.1f} s -> {seconds / pages:.3f} s/page",
                    flush=True,
                )
    plain_s, browser_s, api_s = (statistics.median(rates[k]) for k in ("plain", "browser", "api"))
    added = [b - p for b, p in zip(seconds_of["browser"], seconds_of["plain"], strict=True)]
    print(
        f"plain_s_per_page={plain_s:.3f} browser_s_per_page={browser_s:.3f} "
        f"ratio={browser_s / plain_s:.1f} api_s_per_page={api_s:.3f} "
        f"browser_added_s_per_page={statistics.median(added) / pages_of['browser']:.3f}"
    )


if __name__ == "__main__":
    main()

"""Offer extraction on pages that are not product pages, with no truth needed.

    python benchmarks/offers_unseen_markup.py PAGES_DIR TRUTH_JSON [--slow-ms 200] [--show]

TRUTH_JSON maps page ids to objects with a ``url`` (only the URL is read); PAGES_DIR holds
``<id>.html.gz``. Meant for saved pages of many sites that sell nothing (recipe and blog
pages with ratings): every priced offer found on them is suspect. Counts per page:

- ``failed``: extraction raised (its warning says "extraction failed");
- ``absurd``: a price that is not a positive decimal below one million;
- ``priced``: a priced offer that is not flagged as listing data (a product with a price);
  ``heuristic_priced``: of those, priced by the visible layout rather than markup;
- ``slow``: extraction took more than ``--slow-ms`` (the median of three timings).

The last line is ``pages=N failed=F absurd=A priced=P heuristic_priced=H slow=S median_ms=M``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from site_folds import load_page, page_ids

from spiders.extract.auto import extract_auto

_ABSURD = Decimal(1_000_000)


def _absurd(price: str) -> bool:
    try:
        value = Decimal(price)
    except InvalidOperation:
        return True
    return not value.is_finite() or value <= 0 or value >= _ABSURD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--slow-ms", type=float, default=200.0)
    parser.add_argument("--show", action="store_true", help="list each suspect page")
    args = parser.parse_args(argv)
    if not args.pages_dir.is_dir() or not args.truth.is_file():
        print("error: give the pages folder and the truth JSON file", file=sys.stderr)
        return 2
    truth: dict[str, Any] = json.loads(args.truth.read_text(encoding="utf-8"))
    ids = page_ids(args.pages_dir, truth)
    counts = dict.fromkeys(("failed", "absurd", "priced", "heuristic_priced", "slow"), 0)
    times = []
    for page_id in ids:
        html = load_page(args.pages_dir, page_id)
        url = truth[page_id].get("url") or ""
        url = url if "//" in url else f"https://{url}"
        start = time.perf_counter()
        page = extract_auto(html, url)
        took = time.perf_counter() - start
        if took * 1000 > args.slow_ms:  # confirm with two more timings before calling it slow
            again = []
            for _ in range(2):
                start = time.perf_counter()
                extract_auto(html, url)
                again.append(time.perf_counter() - start)
            took = statistics.median([took, *again])
        times.append(took)
        found: list[str] = []
        if any("extraction failed" in w for w in page.warnings):
            found.append("failed: " + next(w for w in page.warnings if "extraction failed" in w))
        for offer in page.offers:
            if offer.price is not None and _absurd(offer.price):
                found.append(f"absurd: {offer.price!r} from {offer.price_raw!r}")
                counts["absurd"] += 1
                break
        priced = [o for o in page.offers if o.price is not None and not o.listing]
        if priced:
            offer = priced[0]
            layer = offer.explain.get("price")
            counts["priced"] += 1
            counts["heuristic_priced"] += layer == "heuristic"
            found.append(f"priced ({layer}): {offer.price} {offer.currency} raw={offer.price_raw!r} name={(offer.name or '')[:50]!r}")  # fmt: skip
        if took * 1000 > args.slow_ms:
            counts["slow"] += 1
            found.append(f"slow: {took * 1000:.0f} ms")
        counts["failed"] += any(f.startswith("failed") for f in found)
        if args.show and found:
            for line in found:
                print(f"  {page_id[:40]} {url[:60]} {line}")
    cells = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"pages={len(ids)} {cells} median_ms={statistics.median(times) * 1000:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where offer extraction spends its CPU, stage by stage, without a profiler's overhead.

    python benchmarks/offers_stages.py PAGES_DIR TRUTH [--rounds 3] [--middle]

Each stage of ``extract_auto`` (the functions ``spiders.extract.auto`` calls, the parse and
its attribute budget, the review layout's steps) is wrapped with a process-clock timer; every
page is extracted once to warm the caches, then ``--rounds`` times timed. Printed: CPU ms per
page of the whole extraction and of each stage (nested stages are counted in their callers
too), over all pages or, with ``--middle``, over the pages between the quartiles of the
whole time (the pages that set the median). cProfile's per-call cost inflates the many small
functions of the per-element walks several times; this does not.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from site_folds import load_page, page_ids

from spiders.extract import auto, document, heuristic_reviews

_AUTO_STAGES = (
    "parse_document", "structured_nodes", "meta_tags", "schema_offer_items",
    "script_json_values", "markup_listing", "heuristic_offer_fields", "visible_listing",
    "shown_variant_stem", "_weigh_availability", "_choose_sku", "_check_markup_price",
    "_reviews", "schema_review_items", "embedded_json_reviews", "_layout_reviews",
    "_aggregate", "embedded_json_aggregate", "page_pieces", "text_aggregate_rating",
    "attribute_aggregate_rating", "star_row_aggregate", "labelled_average", "next_page_url",
)  # fmt: skip
_STAGES: tuple[tuple[ModuleType, tuple[str, ...]], ...] = (
    (auto, _AUTO_STAGES),
    (document, ("within_attribute_budget",)),
    (heuristic_reviews, ("_ratings", "_group_reviews", "_bare_number_reviews", "_lone_review")),
)


def _timed(
    function: Callable[..., Any],
    label: str,
    spent: dict[str, collections.Counter[str]],
    page: list[str],
) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[page[0]][label] += time.process_time() - start

    return timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--middle", action="store_true", help="pages between the quartiles")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        print("error: --rounds must be at least 1", file=sys.stderr)
        return 2
    try:
        truth = json.loads(args.truth.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.truth}: {exc.__class__.__name__}", file=sys.stderr)
        return 2
    ids = page_ids(args.pages_dir, truth) if isinstance(truth, dict) else []
    if not ids:
        print(f"error: no page of {args.truth} in {args.pages_dir}", file=sys.stderr)
        return 2
    pages = [(i, load_page(args.pages_dir, i), truth[i]["url"]) for i in ids]
    spent: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    page = [""]
    originals = [(m, n, getattr(m, n)) for m, names in _STAGES for n in names if hasattr(m, n)]
    for module, name, function in originals:
        label = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
        setattr(module, name, _timed(function, label, spent, page))
    try:
        for page_id, html, url in pages:  # warm the caches (regex compiles, date parsers)
            page[0] = page_id
            auto.extract_auto(html, url)
        spent.clear()
        for _ in range(args.rounds):
            for page_id, html, url in pages:
                page[0] = page_id
                start = time.process_time()
                auto.extract_auto(html, url)
                spent[page_id]["TOTAL"] += time.process_time() - start
    finally:
        for module, name, function in originals:
            setattr(module, name, function)
    chosen = sorted(spent, key=lambda i: spent[i]["TOTAL"])
    if args.middle:
        chosen = chosen[len(chosen) // 4 : 3 * len(chosen) // 4] or chosen
    summed: collections.Counter[str] = collections.Counter()
    for page_id in chosen:
        summed.update(spent[page_id])
    scale = 1000 / args.rounds / len(chosen)
    total = summed["TOTAL"] or 1e-9  # a clock too coarse for a tiny page set
    print(f"pages={len(chosen)} rounds={args.rounds} middle={args.middle}")
    for label, seconds in summed.most_common():
        print(f"{label:45s} {seconds * scale:7.2f} ms/page {seconds / total:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Aggregate rating extraction on saved pages, scored per site-grouped fold.

    python benchmarks/ratings.py PAGES_DIR TRUTH [--folds 5] [--show-errors]
        [--strip-markup] [--obfuscate-classes]

PAGES_DIR holds ``<id>.html.gz`` pages; TRUTH maps each id to ``{"url", "site", "rating",
"count"}`` (the format of the team's ratings/truth.json). Every page goes through
``extract_auto`` with its URL, the function ``rivalscope extract`` runs.

Metric (the data set's README): a page is right on value when the extracted aggregate rating
is within 0.05 of ``rating``, right on count when the extracted rating count or review count
equals ``count``. Both are shares of all pages (a page whose ``count`` is null is right on
count when no count is extracted). Folds group pages by site.
``--strip-markup`` (no JSON-LD, microdata, RDFa, meta tags or scripts: the visible
layout alone) and ``--obfuscate-classes`` (every class and id name a stable hash token)
stress the reading as unseen sites may. The last line is
``pages=N value_acc=V count_acc=C``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from site_folds import grouped_folds, run_benchmark, timing_line

from settings.records import PageExtraction

VALUE_TOLERANCE = 0.05


def value_right(expected: float | None, page: PageExtraction) -> bool:
    found = page.aggregate_rating.rating_value if page.aggregate_rating else None
    if expected is None or found is None:
        return expected is None and found is None
    return abs(found - float(expected)) <= VALUE_TOLERANCE + 1e-9


def count_right(expected: int | None, page: PageExtraction) -> bool:
    found = page.aggregate_rating
    counts = {found.rating_count, found.review_count} - {None} if found else set()
    if expected is None:
        return not counts
    return int(expected) in counts


def accuracies(truth: dict[str, Any], pages: dict[str, PageExtraction], ids: list[str]) -> str:
    values = sum(value_right(truth[i]["rating"], pages[i]) for i in ids)
    counts = sum(count_right(truth[i]["count"], pages[i]) for i in ids)
    n = len(ids) or 1
    return f"pages={len(ids)} value_acc={values / n:.3f} count_acc={counts / n:.3f}"


def main(argv: list[str] | None = None) -> int:
    run = run_benchmark(__doc__ or "", argv, "list pages we get wrong")
    if run is None:
        return 2
    truth, ids, pages, sites, args = run.truth, run.ids, run.pages, run.sites, run.args
    for number, fold in enumerate(grouped_folds(sites, args.folds), start=1):
        n_sites = len({sites[i] for i in fold})
        print(f"fold {number} ({n_sites} sites): {accuracies(truth, pages, fold)}")
    if args.show_errors:
        for i in ids:
            record, found = truth[i], pages[i].aggregate_rating
            if not (
                value_right(record["rating"], pages[i]) and count_right(record["count"], pages[i])
            ):
                got = (
                    (found.rating_value, found.rating_count, found.review_count) if found else None
                )
                print(f"  {i[:40]:<40} expected {record['rating']}/{record['count']} got {got}")
    print(timing_line(run.seconds))
    print(accuracies(truth, pages, ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())

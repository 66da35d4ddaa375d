"""Selector suggestions (``rivalscope targets suggest``) scored on pages annotated by hand.

    python benchmarks/suggest.py PAGES_DIR TRUTH [--folds 5] [--show-errors]

(PAGES_DIR and TRUTH as in ``reviews.py``: the team's offers/pages and reviews/truth.json.)
For every page that carries reviews, the suggested selectors alone (``mode = "selectors"``,
no auto extraction under them) extract the page's reviews, scored with the reviews metric:
a found review matches an expected one when their first 30 whitespace-collapsed, case-folded
characters agree. A page where ``suggest`` finds nothing counts its reviews as missed.
Printed per site-grouped fold, then ``pages=N suggested=S precision=P recall=R f1=F``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from reviews import Tally, matched_reviews, review_key
from site_folds import grouped_folds, load_page, page_ids, site_of

from settings.targets import Selectors
from spiders.extract.document import decode_html
from spiders.extract.selectors import extract_with_selectors
from spiders.extract.suggest import SuggestError, suggest_selectors


def suggested_texts(html: bytes, url: str) -> list[str | None] | None:
    """Review texts the page's suggested selectors extract; None when nothing is suggested."""
    text, _ = decode_html(html)
    try:
        suggestion = suggest_selectors(text, url)
    except SuggestError:
        return None
    selectors = Selectors(
        review=suggestion.review,
        review_fields=suggestion.review_fields,
        next_page=suggestion.next_page,
        rating_scale=suggestion.rating_scale,
    )
    return [r.text for r in extract_with_selectors(text, url, selectors).reviews]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show-errors", action="store_true", help="list each page's misses")
    args = parser.parse_args(argv)
    if not args.pages_dir.is_dir() or not args.truth.is_file():
        print(f"error: need a pages folder and a truth file, got {args.pages_dir}, {args.truth}",
              file=sys.stderr)  # fmt: skip
        return 2
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    ids = [i for i in page_ids(args.pages_dir, truth) if truth[i].get("reviews")]
    tallies: dict[str, Tally] = {}
    suggested = 0
    for page_id in ids:
        record = truth[page_id]
        expected = [r.get("text_start") for r in record["reviews"]]
        found = suggested_texts(load_page(args.pages_dir, page_id), record["url"])
        suggested += found is not None
        found = found or []
        tallies[page_id] = Tally(
            matched_reviews(expected, found), len(found), len(expected), pages=1
        )
        if args.show_errors and tallies[page_id].matched < len(expected):
            print(f"  {page_id[:10]} matched {tallies[page_id].matched}/{len(expected)} "
                  f"found {len(found)}: {[review_key(t) for t in found[:2]]}")  # fmt: skip
    sites = {i: site_of(truth[i]["url"]) for i in ids}
    for number, fold in enumerate(grouped_folds(sites, args.folds), start=1):
        tally = Tally()
        for page_id in fold:
            tally.add(tallies[page_id])
        print(f"fold {number}: precision={tally.precision:.3f} recall={tally.recall:.3f} "
              f"f1={tally.f1:.3f}")  # fmt: skip
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    print(f"pages={len(ids)} suggested={suggested} precision={total.precision:.3f} "
          f"recall={total.recall:.3f} f1={total.f1:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

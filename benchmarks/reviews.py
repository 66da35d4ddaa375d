"""Review extraction quality on saved pages annotated by hand, scored per site-grouped fold.

    python benchmarks/reviews.py PAGES_DIR TRUTH [--folds 5] [--show-errors]
        [--strip-markup] [--obfuscate-classes]

PAGES_DIR holds ``<id>.html.gz`` pages; TRUTH maps each id to ``{"url", "aggregate":
{"value", "best", "count"} | null, "reviews": [{"text_start", ...}]}`` (the format of the
team's reviews/truth.json). Every page goes through ``extract_auto`` with its URL, the
function ``rivalscope extract`` runs.

Metric (the data set's README): a found review matches an expected one when their
whitespace-collapsed, case-folded texts share the first 30 characters (each review matches
at most once); expected reviews without text match found reviews without text by count on
the same page. Precision, recall and F1 over all reviews; aggregate accuracy is the share of
pages with an expected aggregate whose extracted value is within 0.05.

Stress modes show what an unseen site may ship: ``--strip-markup`` takes JSON-LD, microdata,
RDFa, meta tags and scripts out first (only the layout is left to read: reviews that live
only in markup or scripts cannot be found then); ``--obfuscate-classes`` replaces every class
and id name by a stable hash token (CSS modules, hashed utility classes); both combine.

The pages are also scored per fold, folds grouped by site (one shop's country domains are
one site), to show how much the figures move between unseen groups of sites. The last line
is ``pages=N precision=P recall=R f1=F aggregate_acc=A``.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from site_folds import grouped_folds, run_benchmark, timing_line

from settings.records import PageExtraction

KEY_LENGTH = 30
AGGREGATE_TOLERANCE = 0.05


def review_key(text: str | None) -> str:
    """The part of a review text the metric compares: first 30 characters, whitespace
    collapsed, case-folded; "" for a review without text."""
    return " ".join((text or "").split()).casefold()[:KEY_LENGTH]


@dataclass
class Tally:
    """Counts summed over pages."""

    matched: int = 0
    found: int = 0
    expected: int = 0
    aggregate_pages: int = 0
    aggregate_right: int = 0
    aggregate_count_right: int = 0
    pages: int = 0
    ratings_expected: int = 0
    """Matched reviews whose truth gives a rating."""
    ratings_right: int = 0
    """Of those, found with the same rating (within 0.05) on the same scale."""

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def aggregate_acc(self) -> float:
        return self.aggregate_right / self.aggregate_pages if self.aggregate_pages else 0.0


def matched_reviews(expected: list[str | None], found: list[str | None]) -> int:
    """How many found reviews match an expected one (texts by key, textless by count)."""
    expected_keys = Counter(review_key(t) for t in expected)
    found_keys = Counter(review_key(t) for t in found)
    return sum(min(n, found_keys[key]) for key, n in expected_keys.items())


def aggregate_right(expected: dict[str, Any] | None, page: PageExtraction) -> tuple[bool, bool]:
    """(value within 0.05, count equals the rating or review count) for a page's aggregate."""
    found = page.aggregate_rating
    if not expected or found is None or found.rating_value is None:
        return False, False
    value_ok = abs(found.rating_value - float(expected["value"])) <= AGGREGATE_TOLERANCE + 1e-9
    count = expected.get("count")
    count_ok = count is not None and count in (found.rating_count, found.review_count)
    return value_ok, count_ok


def ratings_right(record: dict[str, Any], page: PageExtraction) -> tuple[int, int]:
    """(matched reviews with an expected rating, of those found with its value and scale)."""
    found: dict[str, list[tuple[float | None, float | None]]] = {}
    for review in page.reviews:
        found.setdefault(review_key(review.text), []).append((review.rating, review.best_rating))
    expected = right = 0
    for review in record.get("reviews") or []:
        candidates = found.get(review_key(review.get("text_start")))
        if not candidates or review.get("rating") is None:
            continue
        rating, best = candidates.pop(0)
        expected += 1
        right += (
            rating is not None
            and abs(rating - float(review["rating"])) <= AGGREGATE_TOLERANCE + 1e-9
            and best == float(review.get("best") or 5)
        )
    return expected, right


def score_page(record: dict[str, Any], page: PageExtraction) -> Tally:
    expected = [r.get("text_start") for r in record.get("reviews") or []]
    found = [r.text for r in page.reviews]
    tally = Tally(matched_reviews(expected, found), len(found), len(expected), pages=1)
    tally.ratings_expected, tally.ratings_right = ratings_right(record, page)
    if record.get("aggregate"):
        value_ok, count_ok = aggregate_right(record["aggregate"], page)
        tally.aggregate_pages = 1
        tally.aggregate_right = int(value_ok)
        tally.aggregate_count_right = int(count_ok)
    return tally


def figures(tally: Tally) -> str:
    return (
        f"pages={tally.pages} precision={tally.precision:.3f} recall={tally.recall:.3f} "
        f"f1={tally.f1:.3f} aggregate_acc={tally.aggregate_acc:.3f}"
    )


def show_errors(record: dict[str, Any], page: PageExtraction, page_id: str) -> None:
    expected = Counter(review_key(r.get("text_start")) for r in record.get("reviews") or [])
    found = Counter(review_key(r.text) for r in page.reviews)
    missed, extra = expected - found, found - expected
    aggregate = record.get("aggregate")
    value_ok, _ = aggregate_right(aggregate, page)
    if not missed and not extra and (not aggregate or value_ok):
        return
    print(f"  {page_id[:10]} {record['url'][:70]}")
    if aggregate and not value_ok:
        got = page.aggregate_rating
        print(
            f"    aggregate expected {aggregate['value']} got {got.rating_value if got else None}"
        )
    for key, n in missed.items():
        print(f"    missed x{n}: {key!r}")
    for key, n in extra.items():
        print(f"    extra  x{n}: {key!r}")


def main(argv: list[str] | None = None) -> int:
    run = run_benchmark(__doc__ or "", argv, "list missed and extra reviews")
    if run is None:
        return 2
    truth, ids, pages, sites, args = run.truth, run.ids, run.pages, run.sites, run.args
    tallies = {i: score_page(truth[i], pages[i]) for i in ids}
    for number, fold in enumerate(grouped_folds(sites, args.folds), start=1):
        tally = Tally()
        for page_id in fold:
            tally.add(tallies[page_id])
        n_sites = len({sites[i] for i in fold})
        print(f"fold {number} ({n_sites} sites): {figures(tally)}")
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    if args.show_errors:
        for page_id in ids:
            show_errors(truth[page_id], pages[page_id], page_id)
    count_acc = total.aggregate_count_right / total.aggregate_pages if total.aggregate_pages else 0
    print(f"reviews: expected={total.expected} found={total.found} matched={total.matched}; "
          f"aggregate count right on {count_acc:.3f} of {total.aggregate_pages} pages")  # fmt: skip
    print(f"review ratings right (value and scale): {total.ratings_right} "
          f"of {total.ratings_expected} matched rated reviews")  # fmt: skip
    print(timing_line(run.seconds))
    print(figures(total))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Offer extraction quality and speed on saved product pages, against plain extruct.

    python benchmarks/offers.py PAGES_DIR GROUND_TRUTH [--repeat 3] [--folds 5] [--show-errors]
        [--strip-markup] [--obfuscate-classes] [--unknown-words]

PAGES_DIR holds ``<id>.html.gz`` (or ``.html``) pages; GROUND_TRUTH is a JSON object
``{id: {"url", "price": [...], "sku": [...], "gtin": [...], "availability": [...]}}``.

The data set's official metric: per attribute each page gets one predicted value (the
first offer's ``price``, ``sku`` and ``availability``, nothing else standing in for
them); a right value is a true positive, a wrong one both a false positive and a false
negative, a value where the truth has none a false positive. Prices match as decimal
numbers; an empty availability is "InStock"; an sku is right when it is one of the
page's listed skus or GTINs (the site's unique identifiers; an MPN is not one).

Besides the whole set, the pages are scored in ``--folds`` folds grouped by site (the
URL's host, one shop's country hosts together): a site's pages are never in two folds, so
a rule fitted to one site shows as a gap between its fold and the rest. Extraction time
is the median over pages of each page's median of ``--repeat`` timings (wall clock, or
the CPU clock with ``--cpu-time``), extruct measured in the same run.

``--strip-markup`` scores the visible reading alone: each page loses its JSON-LD, microdata,
RDFa, OpenGraph/product meta tags and scripts before extraction (``stripped_markup.py``;
taken out before the clock starts), as a shop without markup would show it.
``--obfuscate-classes`` replaces every class and id name by a stable hash token
(``obfuscated_names.py``), as shops built with CSS modules or hashed classes ship them: what
the extraction is worth where class names say nothing. ``--unknown-words`` writes the
visible text in a made-up language (``unknown_words.py``: every word but currency signs and
tokens with digits replaced), as a shop in a language no label list knows would read. Any of
the three can be combined.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import extruct
from obfuscated_names import obfuscate_names
from site_folds import grouped_folds, load_page, site_of
from stripped_markup import strip_markup
from unknown_words import unknown_words

from spiders.extract.auto import extract_auto
from spiders.extract.availability import normalize_availability
from spiders.extract.price import normalize_price

ATTRIBUTES = ("price", "sku", "availability")
Prediction = dict[str, str | None]
Scores = dict[str, tuple[float, float, float]]


def predict_auto(html: bytes, url: str) -> Prediction:
    page = extract_auto(html, url)
    if not page.offers:
        return {"price": None, "sku": None, "availability": None}
    offer = page.offers[0]
    return {"price": offer.price, "sku": offer.sku, "availability": offer.availability}


def _first_offer(items: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for item in items:
        props = item.get("properties", item)
        offers = props.get("offers")
        offers = offers if isinstance(offers, list) else [offers] if offers else []
        for offer in offers:
            if isinstance(offer, dict):
                return props, offer.get("properties", offer)
    return None


def predict_extruct(html: bytes, url: str) -> Prediction:
    """The plain-extruct baseline: first JSON-LD, then microdata Offer."""
    data = extruct.extract(html, base_url=url, errors="ignore")
    for syntax in ("json-ld", "microdata"):
        found = _first_offer(data.get(syntax) or [])
        if found:
            product, offer = found
            price = offer.get("price") or offer.get("lowPrice")
            sku = offer.get("sku") or product.get("sku")
            return {
                "price": normalize_price(str(price))[0] if price is not None else None,
                "sku": str(sku) if sku else None,
                "availability": normalize_availability(str(offer.get("availability") or "")),
            }
    return {"price": None, "sku": None, "availability": None}


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        return None


def is_match(attribute: str, predicted: str, truth: list[str], record: dict[str, Any]) -> bool:
    if attribute == "price":
        number = _decimal(predicted)
        return number is not None and any(number == _decimal(t) for t in truth)
    if attribute == "sku":
        ids = [*truth, *(record.get("gtin") or [])]
        return predicted.strip() in {i.strip() for i in ids}
    return predicted == truth[0] if truth else False


def truth_and_prediction(
    attribute: str, record: dict[str, Any], prediction: Prediction
) -> tuple[list[str], str | None]:
    truth = [str(v) for v in record.get(attribute) or []]
    predicted = prediction.get(attribute)
    if attribute == "availability":
        truth = truth or ["InStock"]
        predicted = predicted or "InStock"
    return truth, predicted


def is_right(attribute: str, record: dict[str, Any], prediction: Prediction) -> bool:
    expected, predicted = truth_and_prediction(attribute, record, prediction)
    if not expected or not predicted:
        return not expected and not predicted
    return is_match(attribute, predicted, expected, record)


def score(truth: dict[str, Any], predictions: dict[str, Prediction], ids: list[str]) -> Scores:
    """attribute -> (precision, recall, F1) over ``ids``."""
    result = {}
    for attribute in ATTRIBUTES:
        tp = fp = fn = 0
        for page_id in ids:
            expected, predicted = truth_and_prediction(
                attribute, truth[page_id], predictions[page_id]
            )
            if expected and predicted:
                if is_match(attribute, predicted, expected, truth[page_id]):
                    tp += 1
                else:
                    fp += 1
                    fn += 1
            elif expected:
                fn += 1
            elif predicted:
                fp += 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[attribute] = (precision, recall, f1)
    return result


def site_folds(truth: dict[str, Any], ids: list[str], folds: int) -> list[list[str]]:
    """``ids`` in ``folds`` folds, all pages of a site (``site_of`` their URL) in one."""
    return grouped_folds({i: site_of(truth[i]["url"]) for i in ids}, folds)


def run(
    predict: Callable[[bytes, str], Prediction],
    pages: dict[str, bytes],
    truth: dict[str, Any],
    repeat: int,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[dict[str, Prediction], float]:
    """Predictions per page, and the median over pages of per-page median seconds."""
    predictions: dict[str, Prediction] = {}
    medians = []
    for page_id, html in pages.items():
        timings = []
        for _ in range(repeat):
            start = clock()
            predictions[page_id] = predict(html, truth[page_id]["url"])
            timings.append(clock() - start)
        medians.append(statistics.median(timings))
    return predictions, statistics.median(medians)


def print_table(name: str, scores: Scores) -> None:
    for attribute, (p, r, f) in scores.items():
        print(f"{name:<12} {attribute:<13} precision={p:.3f} recall={r:.3f} f1={f:.3f}")


def print_folds(
    truth: dict[str, Any], predictions: dict[str, Prediction], folds: list[list[str]]
) -> None:
    """F1 per site-grouped fold, their mean, and the largest gap to the whole set."""
    whole = score(truth, predictions, [i for fold in folds for i in fold])
    per_fold = [score(truth, predictions, fold) for fold in folds]
    for attribute in ATTRIBUTES:
        f1s = [s[attribute][2] for s in per_fold]
        cells = " ".join(f"{f:.3f}" for f in f1s)
        gap = max(abs(f - whole[attribute][2]) for f in f1s)
        print(f"folds        {attribute:<13} whole={whole[attribute][2]:.3f} folds=[{cells}] "
              f"mean={statistics.mean(f1s):.3f} max_gap={gap:.3f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("ground_truth", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="timings per page (median)")
    parser.add_argument("--folds", type=int, default=5, help="site-grouped folds")
    parser.add_argument("--show-errors", action="store_true", help="list pages we get wrong")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain extruct")
    parser.add_argument(
        "--strip-markup",
        action="store_true",
        help="take JSON-LD, microdata, RDFa, meta tags and scripts out first (visible reading)",
    )
    parser.add_argument(
        "--obfuscate-classes",
        action="store_true",
        help="replace every class and id name by a hash token first (CSS-modules shops)",
    )
    parser.add_argument(
        "--unknown-words",
        action="store_true",
        help="replace every visible word by a made-up one first (a language no list knows)",
    )
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="time with the process's CPU clock (steadier than wall time on a busy machine)",
    )
    args = parser.parse_args(argv)
    if not args.pages_dir.is_dir() or not args.ground_truth.is_file():
        print("error: give the pages folder and the ground-truth JSON file", file=sys.stderr)
        return 2
    if args.repeat < 1 or args.folds < 2:
        print("error: --repeat must be at least 1 and --folds at least 2", file=sys.stderr)
        return 2
    truth: dict[str, Any] = json.loads(args.ground_truth.read_text(encoding="utf-8"))
    ids = sorted(i for i in truth if any(args.pages_dir.glob(f"{i}.html*")))
    pages = {i: load_page(args.pages_dir, i) for i in ids}
    if args.strip_markup:
        pages = {i: strip_markup(html) for i, html in pages.items()}
    if args.obfuscate_classes:
        pages = {i: obfuscate_names(html) for i, html in pages.items()}
    if args.unknown_words:
        pages = {i: unknown_words(html) for i, html in pages.items()}
    folds = site_folds(truth, ids, args.folds)

    clock = time.process_time if args.cpu_time else time.perf_counter
    ours, ours_time = run(predict_auto, pages, truth, args.repeat, clock)
    ours_scores = score(truth, ours, ids)
    print_table("auto", ours_scores)
    print_folds(truth, ours, folds)
    baseline_time = None
    if not args.no_baseline:
        baseline, baseline_time = run(predict_extruct, pages, truth, args.repeat, clock)
        print_table("extruct", score(truth, baseline, ids))
    kind = "CPU" if args.cpu_time else "wall"
    speed = f"median {kind} time per page: auto {ours_time * 1000:.1f} ms"
    if baseline_time is not None:
        speed += f", extruct {baseline_time * 1000:.1f} ms, ratio {ours_time / baseline_time:.2f}"
    print(speed)
    if args.show_errors:
        for fold_number, fold in enumerate(folds):
            for page_id in fold:
                for attribute in ATTRIBUTES:
                    if not is_right(attribute, truth[page_id], ours[page_id]):
                        expected, predicted = truth_and_prediction(
                            attribute, truth[page_id], ours[page_id]
                        )
                        print(f"  fold {fold_number} wrong {attribute}: {page_id[:8]} "
                              f"{truth[page_id]['url'][:60]} expected={expected} got={predicted}")  # fmt: skip
    price, sku, availability = (ours_scores[a][2] for a in ATTRIBUTES)
    print(
        f"pages={len(ids)} pages_per_fold={[len(f) for f in folds]} price_f1={price:.3f} "
        f"sku_f1={sku:.3f} availability_f1={availability:.3f} median_ms={ours_time * 1000:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

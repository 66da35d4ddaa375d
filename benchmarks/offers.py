"""Offer extraction quality and speed on saved product pages, against plain extruct.

    python benchmarks/offers.py PAGES_DIR GROUND_TRUTH [--repeat 3] [--show-errors]

PAGES_DIR holds ``<id>.html.gz`` (or ``.html``) pages; GROUND_TRUTH is a JSON object
``{id: {"url", "price": [...], "sku": [...], "gtin": [...], "availability": [...]}}``.
Per attribute each page gets one predicted value: a right value is a true positive, a
wrong one both a false positive and a false negative, a value where the truth has none
a false positive. Prices match as decimal numbers; an empty availability is "InStock";
an sku matches any listed sku or GTIN. Speed is pages per second from the median of
``--repeat`` timings per page, extruct measured in the same run. The pages are also
scored in two halves (ids sorted, alternating) to show how much the figures vary.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import extruct

from spiders.extract.auto import extract_auto
from spiders.extract.availability import normalize_availability
from spiders.extract.price import normalize_price

ATTRIBUTES = ("price", "sku", "availability")
Prediction = dict[str, str | None]


def load_page(pages_dir: Path, page_id: str) -> bytes:
    gz = pages_dir / f"{page_id}.html.gz"
    if gz.exists():
        return gzip.decompress(gz.read_bytes())
    return (pages_dir / f"{page_id}.html").read_bytes()


def predict_auto(html: bytes, url: str) -> Prediction:
    page = extract_auto(html, url)
    if not page.offers:
        return {"price": None, "sku": None, "availability": None}
    offer = page.offers[0]
    return {
        "price": offer.price,
        "sku": offer.sku or offer.gtin or offer.mpn,
        "availability": offer.availability,
    }


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
            sku = offer.get("sku") or product.get("sku") or product.get("gtin13")
            return {
                "price": normalize_price(str(price))[0] if price is not None else None,
                "sku": str(sku) if sku else None,
                "availability": normalize_availability(str(offer.get("availability") or "")),
            }
    return {"price": None, "sku": None, "availability": None}


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", "").strip())
    except InvalidOperation:
        return None


def is_match(attribute: str, predicted: str, truth: list[str], record: dict[str, Any]) -> bool:
    if attribute == "price":
        number = _decimal(predicted)
        return number is not None and any(number == _decimal(t) for t in truth)
    if attribute == "sku":
        ids = [*truth, *(record.get("gtin") or [])]
        return predicted.strip().casefold() in {i.strip().casefold() for i in ids}
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


def score(
    truth: dict[str, Any], predictions: dict[str, Prediction], ids: list[str]
) -> dict[str, tuple[float, float, float]]:
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


def run(
    predict: Callable[[bytes, str], Prediction],
    pages: dict[str, bytes],
    truth: dict[str, Any],
    repeat: int,
) -> tuple[dict[str, Prediction], float]:
    """Predictions per page, and pages per second from per-page median timings."""
    predictions: dict[str, Prediction] = {}
    medians = []
    for page_id, html in pages.items():
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            predictions[page_id] = predict(html, truth[page_id]["url"])
            timings.append(time.perf_counter() - start)
        medians.append(statistics.median(timings))
    return predictions, len(pages) / sum(medians)


def print_table(name: str, scores: dict[str, tuple[float, float, float]]) -> None:
    for attribute, (p, r, f) in scores.items():
        print(f"{name:<10} {attribute:<13} precision={p:.3f} recall={r:.3f} f1={f:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("ground_truth", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="timings per page (median)")
    parser.add_argument("--show-errors", action="store_true", help="list pages we get wrong")
    args = parser.parse_args(argv)
    if not args.pages_dir.is_dir() or not args.ground_truth.is_file():
        print("error: give the pages folder and the ground-truth JSON file", file=sys.stderr)
        return 2
    truth: dict[str, Any] = json.loads(args.ground_truth.read_text(encoding="utf-8"))
    ids = sorted(i for i in truth if any(args.pages_dir.glob(f"{i}.html*")))
    pages = {i: load_page(args.pages_dir, i) for i in ids}

    ours, ours_speed = run(predict_auto, pages, truth, args.repeat)
    baseline, baseline_speed = run(predict_extruct, pages, truth, args.repeat)
    ours_scores = score(truth, ours, ids)
    print_table("auto", ours_scores)
    print_table("extruct", score(truth, baseline, ids))
    for half, half_ids in (("half A", ids[0::2]), ("half B", ids[1::2])):
        print_table(f"auto {half}", score(truth, ours, half_ids))
    print(f"speed: auto {ours_speed:.1f} pages/s, extruct {baseline_speed:.1f} pages/s, "
          f"ratio {ours_speed / baseline_speed:.1f}x")  # fmt: skip
    if args.show_errors:
        for page_id in ids:
            for attribute in ATTRIBUTES:
                expected, predicted = truth_and_prediction(attribute, truth[page_id], ours[page_id])
                ok = (not expected and not predicted) or (
                    bool(expected and predicted)
                    and is_match(attribute, predicted or "", expected, truth[page_id])
                )
                if not ok:
                    print(f"  wrong {attribute}: {page_id[:8]} {truth[page_id]['url'][:60]} "
                          f"expected={expected} got={predicted}")  # fmt: skip
    price, sku, availability = (ours_scores[a][2] for a in ATTRIBUTES)
    print(
        f"pages={len(ids)} price_f1={price:.3f} sku_f1={sku:.3f} "
        f"availability_f1={availability:.3f} pages_per_s={ours_speed:.1f} "
        f"extruct_pages_per_s={baseline_speed:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

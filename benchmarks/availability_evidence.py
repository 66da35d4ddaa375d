"""What each availability feature earns on saved pages, held out by site.

    python benchmarks/availability_evidence.py PAGES_DIR GROUND_TRUTH [--folds 5]
        [--strip-markup] [--unknown-words]

The availability weights (``spiders/extract/data/availability_evidence.json``) are hand
weights, not fitted to the pages. For the shipped weights, for each feature left out (its
weight 0) and for the markup alone, prints the official availability F1 of
``benchmarks/offers.py`` on the whole set and per site-grouped fold: a feature whose removal
lowers no fold has not earned its place by the pages' evidence (it may still be kept for
what the tests pin down). ``--strip-markup`` and ``--unknown-words`` read the pages as
``offers.py`` does with the same flags (no markup; a language no label list knows), where
the features that read the layout rather than the markup or the words earn their place.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from offers import Prediction, predict_auto, score, site_folds
from site_folds import load_page
from stripped_markup import strip_markup
from unknown_words import unknown_words

from spiders.extract.candidate_model import CandidateModel, load_model, use_model
from spiders.extract.visible_availability import AVAILABILITY_FEATURES, AVAILABILITY_MODEL


def availability_figures(
    pages: dict[str, bytes], truth: dict[str, Any], folds: list[list[str]], ranking: CandidateModel
) -> tuple[float, list[float]]:
    """(whole-set availability F1, F1 per fold) when extracting with ``ranking``."""
    use_model(AVAILABILITY_MODEL, ranking)
    try:
        predictions: dict[str, Prediction] = {
            i: predict_auto(html, truth[i]["url"]) for i, html in pages.items()
        }
    finally:
        use_model(AVAILABILITY_MODEL, None)
    whole = score(truth, predictions, list(pages))["availability"][2]
    return whole, [score(truth, predictions, fold)["availability"][2] for fold in folds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("ground_truth", type=Path)
    parser.add_argument("--folds", type=int, default=5, help="site-grouped folds")
    parser.add_argument("--strip-markup", action="store_true", help="take structured data out")
    parser.add_argument("--unknown-words", action="store_true", help="made-up visible words")
    args = parser.parse_args(argv)
    if not args.pages_dir.is_dir() or not args.ground_truth.is_file():
        print("error: give the pages folder and the ground-truth JSON file", file=sys.stderr)
        return 2
    truth: dict[str, Any] = json.loads(args.ground_truth.read_text(encoding="utf-8"))
    ids = sorted(i for i in truth if any(args.pages_dir.glob(f"{i}.html*")))
    if not ids or args.folds < 2:
        print("error: no page of the truth file is in the pages folder", file=sys.stderr)
        return 2
    pages = {i: load_page(args.pages_dir, i) for i in ids}
    if args.strip_markup:
        pages = {i: strip_markup(html) for i, html in pages.items()}
    if args.unknown_words:
        pages = {i: unknown_words(html) for i, html in pages.items()}
    folds = site_folds(truth, ids, args.folds)
    shipped = load_model(AVAILABILITY_MODEL)
    variants = {"shipped": shipped}
    for feature in AVAILABILITY_FEATURES:
        variants[f"without {feature}"] = replace(shipped, weights={**shipped.weights, feature: 0.0})
    for kind, prefixes in (("stock text", ("stock_text",)), ("buy button", ("buy_", "button_"))):
        variants[f"without any {kind}"] = replace(
            shipped,
            weights={f: (0.0 if f.startswith(prefixes) else w) for f, w in shipped.weights.items()},
        )
    variants["markup only"] = replace(
        shipped, weights={f: (w if f == "markup" else 0.0) for f, w in shipped.weights.items()}
    )
    for name, ranking in variants.items():
        whole, per_fold = availability_figures(pages, truth, folds, ranking)
        cells = " ".join(f"{f:.3f}" for f in per_fold)
        print(f"{name:<30} availability whole={whole:.3f} folds=[{cells}] "
              f"mean={statistics.mean(per_fold):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

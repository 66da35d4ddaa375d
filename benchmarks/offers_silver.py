"""The visible reading of offers scored against the pages' own markup (silver truth).

    python benchmarks/offers_silver.py PAGES_DIR TRUTH [--folds 5] [--show-errors]
        [--show-doubtful] [--modes strip,strip+hash,strip+unknown,strip+hash+unknown]

TRUTH maps page ids to objects with a ``url`` (only the URL, and a ``site`` where given, is
read); PAGES_DIR holds ``<id>.html.gz``. Meant for saved pages of many sites that nobody
labelled: where a page's first offer (``extract_auto``, read normally) takes its price from
schema.org markup (JSON-LD, microdata or RDFa, as its ``explain`` says), that offer is the
page's silver truth: its price, its sku and GTIN where the markup gives them, and its
availability where the markup states one (an attribute the markup does not give is not
scored on that page). Each such page is then read again as a shop without markup would ship
it (``--modes``: ``strip`` takes the markup, meta tags and scripts out, ``hash`` hashes every
class and id name, ``unknown`` writes the words in a made-up language; as ``offers.py``'s
flags) and scored with ``offers.py``'s official metric, on the whole silver set and in
folds grouped by site.

Pages whose normal reading offers nothing and whose markup says they sell nothing (a
recipe, blog post or news article naming no product: ``extract_auto``'s own test) have the
opposite silver truth: no price and no sku. Read stressed, any price or sku found on them
is a false positive of the official metric; their count, pages and distinct sites, is
printed per mode and per fold.

Silver truth can be wrong: markup may give a list price, a variant's price or 0. A silver
price is *doubtful* when it is not positive or when the page's visible text (outside
scripts and styles, before any stress) shows the number in no usual writing ("1299",
"1,299.00", "1.299,00", "1 299"): the doubtful rate is printed, and every score is printed
again on the pages whose silver price is visible. Where TRUTH records carry a hand-made
``price`` (the offers set's ground truth), the silver values are scored against it too: how
far silver truth can be trusted.

The last line is ``pages=N silver=Q sites=S doubtful=D price_f1=.. sku_f1=.. availability_f1=..
nothing_sold=Z false_price=.. false_sku=..`` for the first mode (F1 on all silver pages;
false values as pages/sites).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from obfuscated_names import obfuscate_names
from offers import ATTRIBUTES, Prediction, is_right, predict_auto, score, truth_and_prediction
from site_folds import grouped_folds, load_page, page_ids, site_of
from stripped_markup import strip_markup
from unknown_words import unknown_words

from settings.records import OfferItem
from spiders.extract.auto import _about_no_product, extract_auto, structured_nodes
from spiders.extract.document import parse_document
from spiders.extract.heuristics import visible_text
from spiders.extract.layers import JSON_LD, MICRODATA, RDFA

MARKUP_LAYERS = frozenset({JSON_LD.name, MICRODATA.name, RDFA.name})
STRESSES: dict[str, Callable[[bytes], bytes]] = {
    "strip": strip_markup,
    "hash": obfuscate_names,
    "unknown": unknown_words,
}
DEFAULT_MODES = "strip,strip+hash,strip+unknown,strip+hash+unknown"
Silver = dict[str, Any]


def silver_record(offer: OfferItem, url: str) -> Silver | None:
    """The silver truth of a page whose first offer is ``offer`` (read normally): None
    unless its price comes from markup. Keys as in the offers ground truth; ``sku`` and
    ``availability`` only where the markup gives them (not scored otherwise)."""
    if offer.price is None or offer.explain.get("price") not in MARKUP_LAYERS:
        return None
    record: Silver = {"url": url, "price": [offer.price]}
    if offer.sku and offer.explain.get("sku") in MARKUP_LAYERS:
        record["sku"] = [offer.sku]
        if offer.gtin and offer.explain.get("gtin") in MARKUP_LAYERS:
            record["gtin"] = [offer.gtin]
    if offer.availability and offer.explain.get("availability") in MARKUP_LAYERS:
        record["availability"] = [offer.availability]
    return record


def _written_forms(price: Decimal) -> list[str]:
    """The ways a page writes ``price`` (its spaces collapsed): with and without grouping of
    thousands (",", ".", space, apostrophe), decimals after "." or "," or a space (cents in
    an element of their own, "173<sup>34</sup>"), or none for a whole amount."""
    whole, _, cents = f"{price:.2f}".partition(".")
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)][::-1]
    wholes = {whole} | {sep.join(groups) for sep in (",", ".", " ", "'")}
    forms = []
    for written in wholes:
        forms += [f"{written}.{cents}", f"{written},{cents}", f"{written} {cents}"]
        if cents == "00":
            forms.append(written)
        elif cents.endswith("0"):
            forms += [f"{written}.{cents[0]}", f"{written},{cents[0]}"]
    return forms


def visible_price(price: str, text: str) -> bool:
    """True when ``text`` shows the amount ``price`` ("1299.00") in one of its usual
    writings, not as part of a longer number."""
    try:
        amount = Decimal(price)
    except InvalidOperation:
        return False
    if not amount.is_finite() or amount <= 0:
        return False
    forms = "|".join(re.escape(form) for form in sorted(_written_forms(amount), key=len)[::-1])
    shown = " ".join(text.split())
    return re.search(rf"(?<!\d)(?<!\d[.,])(?:{forms})(?![.,]?\d)", shown) is not None


def _page_text(html: bytes) -> str:
    root = parse_document(html).root
    return visible_text(root) if root is not None else ""


def sells_nothing(html: bytes) -> bool:
    """True when the page's markup says it sells nothing (``extract_auto``'s test)."""
    document = parse_document(html)
    return document.root is not None and _about_no_product(structured_nodes(document)[0])


def false_values(
    predictions: dict[str, Prediction], ids: list[str], sites: dict[str, str]
) -> dict[str, tuple[int, int]]:
    """(pages, distinct sites) of ``ids`` given a price, and a sku: on pages that sell
    nothing, each a false positive."""
    found = {}
    for attribute in ("price", "sku"):
        wrong = [i for i in ids if predictions[i].get(attribute)]
        found[attribute] = (len(wrong), len({sites[i] for i in wrong}))
    return found


def _absolute(url: str) -> str:
    """A URL with a scheme (the ratings set gives some as bare hosts)."""
    return url if "//" in url else f"https://{url}"


def _mode_pages(html: bytes, mode: str) -> bytes:
    for stress in mode.split("+"):
        html = STRESSES[stress](html)
    return html


def scored_ids(silver: dict[str, Silver], ids: list[str], attribute: str) -> list[str]:
    """The pages of ``ids`` whose silver truth gives ``attribute`` (none: not a silver page)."""
    return [i for i in ids if attribute in silver.get(i, {})]


def f1_line(
    name: str, silver: dict[str, Silver], predictions: dict[str, Prediction], ids: list[str]
) -> dict[str, float]:
    """F1 per attribute over the pages of ``ids`` that give it, printed on one line."""
    f1s = {}
    cells = []
    for attribute in ATTRIBUTES:
        scored = scored_ids(silver, ids, attribute)
        f1s[attribute] = score(silver, predictions, scored)[attribute][2] if scored else 0.0
        cells.append(f"{attribute}={f1s[attribute]:.3f} (n={len(scored)})")
    print(f"{name:<28} {' '.join(cells)}")
    return f1s


def print_folds(
    silver: dict[str, Silver], predictions: dict[str, Prediction], folds: list[list[str]]
) -> None:
    """F1 per site-grouped fold and attribute, their mean and smallest."""
    for attribute in ATTRIBUTES:
        f1s = []
        for fold in folds:
            scored = scored_ids(silver, fold, attribute)
            f1s.append(score(silver, predictions, scored)[attribute][2] if scored else None)
        cells = " ".join("-" if f is None else f"{f:.3f}" for f in f1s)
        known = [f for f in f1s if f is not None]
        summary = f"mean={statistics.mean(known):.3f} min={min(known):.3f}" if known else ""
        print(f"  folds {attribute:<13} [{cells}] {summary}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--folds", type=int, default=5, help="folds grouped by site")
    parser.add_argument("--modes", default=DEFAULT_MODES, help="stresses, as strip+hash,strip")
    parser.add_argument("--show-errors", action="store_true", help="list the misses per mode")
    parser.add_argument("--show-doubtful", action="store_true", help="list doubtful silver")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    if not args.pages_dir.is_dir() or not args.truth.is_file():
        print("error: give the pages folder and the truth JSON file", file=sys.stderr)
        return 2
    if args.folds < 2 or not modes or any(s not in STRESSES for m in modes for s in m.split("+")):
        print(f"error: --folds of at least 2; --modes of {', '.join(STRESSES)}", file=sys.stderr)
        return 2
    truth: dict[str, Any] = json.loads(args.truth.read_text(encoding="utf-8"))
    ids = page_ids(args.pages_dir, truth)
    pages = {i: load_page(args.pages_dir, i) for i in ids}
    silver: dict[str, Silver] = {}
    nothing_sold: list[str] = []
    layers: dict[str, int] = {}
    urls = {i: _absolute(truth[i].get("url") or "") for i in ids}
    for page_id in ids:
        url = urls[page_id]
        offers = extract_auto(pages[page_id], url).offers
        if not offers and sells_nothing(pages[page_id]):
            nothing_sold.append(page_id)
        layer = str(offers[0].explain.get("price")) if offers and offers[0].price else "none"
        layers[layer] = layers.get(layer, 0) + 1
        record = silver_record(offers[0], url) if offers else None
        if record is not None:
            silver[page_id] = record
    silver_ids = sorted(silver)
    sites = {
        i: site_of(truth[i].get("site") or truth[i].get("url") or i)
        for i in [*silver_ids, *nothing_sold]
    }
    doubtful = [
        i for i in silver_ids if not visible_price(silver[i]["price"][0], _page_text(pages[i]))
    ]
    visible_ids = [i for i in silver_ids if i not in doubtful]
    print(f"first offer's price layer (normal reading): {dict(sorted(layers.items()))}")
    given = {a: len(scored_ids(silver, silver_ids, a)) for a in ATTRIBUTES}
    silver_sites = {sites[i] for i in silver_ids}
    print(
        f"silver pages {len(silver_ids)} of {len(ids)}, {len(silver_sites)} sites; "
        f"attributes given: {given}; doubtful price (not positive or not visible): "
        f"{len(doubtful)} ({len(doubtful) / max(1, len(silver_ids)):.1%}), "
        f"{len({sites[i] for i in doubtful})} sites; selling nothing by their markup: "
        f"{len(nothing_sold)} pages, {len({sites[i] for i in nothing_sold})} sites"
    )
    if args.show_doubtful:
        for page_id in doubtful:
            print(f"  doubtful {page_id[:40]:<40} markup price {silver[page_id]['price'][0]}")
    hand = [i for i in silver_ids if "price" in truth[i]]
    if hand:
        agree = {i: {a: (silver[i].get(a) or [None])[0] for a in ATTRIBUTES} for i in hand}
        right = {
            a: sum(is_right(a, truth[i], agree[i]) for i in scored_ids(silver, hand, a))
            for a in ATTRIBUTES
        }
        counts = {a: f"{right[a]}/{len(scored_ids(silver, hand, a))}" for a in ATTRIBUTES}
        wrong = sum(not is_right("price", truth[i], agree[i]) for i in doubtful if i in hand)
        print(f"silver right by the hand truth: {counts}; doubtful and wrong: {wrong}")
    folds = grouped_folds(sites, args.folds)
    first: dict[str, float] = dict.fromkeys(ATTRIBUTES, 0.0)
    first_false: dict[str, tuple[int, int]] = {}
    for mode in modes:
        predictions = {
            i: predict_auto(_mode_pages(pages[i], mode), urls[i])
            for i in [*silver_ids, *nothing_sold]
        }
        if silver_ids:
            f1s = f1_line(f"{mode} all", silver, predictions, silver_ids)
            print_folds(silver, predictions, folds)
            f1_line(f"{mode} visible price", silver, predictions, visible_ids)
            first = f1s if mode == modes[0] else first
        wrong = false_values(predictions, nothing_sold, sites)
        negatives = set(nothing_sold)
        per_fold = [false_values(predictions, [i for i in f if i in negatives], sites) for f in folds]  # fmt: skip
        cells = (
            f"false {a}={n} pages/{k} sites (per fold {[f[a][0] for f in per_fold]})"
            for a, (n, k) in wrong.items()
        )
        print(f"{mode + ' nothing sold':<28} {' '.join(cells)}")
        first_false = first_false or wrong
        if args.show_errors:
            for page_id in silver_ids:
                for attribute in ATTRIBUTES:
                    if attribute in silver[page_id] and not is_right(
                        attribute, silver[page_id], predictions[page_id]
                    ):
                        expected, got = truth_and_prediction(
                            attribute, silver[page_id], predictions[page_id]
                        )
                        print(f"  {mode} wrong {attribute}: {sites[page_id]:<20} "
                              f"{page_id[:30]:<30} expected={expected} got={got!r}")  # fmt: skip
            for page_id in nothing_sold:
                for attribute in ("price", "sku"):
                    if predictions[page_id].get(attribute):
                        print(f"  {mode} false {attribute}: {sites[page_id]:<20} "
                              f"{page_id[:30]:<30} got={predictions[page_id][attribute]!r}")  # fmt: skip
    print(
        f"pages={len(ids)} silver={len(silver_ids)} sites={len(silver_sites)} "
        f"doubtful={len(doubtful)} price_f1={first['price']:.3f} sku_f1={first['sku']:.3f} "
        f"availability_f1={first['availability']:.3f} nothing_sold={len(nothing_sold)} "
        + " ".join(f"false_{a}={n}/{k}" for a, (n, k) in first_false.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

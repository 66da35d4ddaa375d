"""Where the offer reading goes wrong, per page and stress, grouped by cause and counted by site.

    python benchmarks/offers_misses.py PAGES_DIR GROUND_TRUTH
        [--modes normal,hash,strip,strip+hash,strip+hash+unknown]

For each stress (``--modes``: ``normal``, or stresses joined by ``+`` as in
``offers_silver.py``: ``strip`` takes the markup out, ``hash`` hashes class and id names,
``unknown`` writes the words in a made-up language) every page the official metric of
``benchmarks/offers.py`` scores wrong is listed with a cause read from the extraction's own
``explain`` and from the page, in general terms:

- price: ``kept markup`` (the markup's price stayed), ``thousands`` (the answer and the truth
  differ by a factor of 1000: a dot read as grouping on one side and as decimals on the
  other), ``truth decimals`` (the same, where the truth is the one at fault: it is a
  thousandth of the answer, the page shows the answer's amount, and the answer's currency has
  fewer than three minor units (as CLDR gives them), so a shown "8.000" cannot be
  eight), ``listing`` (the page was read as a listing of cards), ``not shown`` (no truth
  amount is a visible price candidate), ``none found`` (shown, nothing taken), ``outranked``
  (shown, another amount taken);
- sku: ``kept markup``, ``in URL only``, ``not shown``, ``none found``, ``outranked``;
- availability: ``kept markup`` (the markup's state stayed against the truth), ``no evidence``
  (nothing read: the metric's InStock), ``wrong evidence``.

Then each (attribute, cause) with its pages, its sites and the stresses it shows in, and the
causes seen on two sites or more: the rule of the project is that a fix needs evidence beyond
one site, so a cause on one site only is reported, not fixed. Causes that put the fault in
the truth (``truth ...``) are counted apart: no reading should chase them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import lxml.html
from offers import ATTRIBUTES, is_right
from offers_silver import MARKUP_LAYERS, STRESSES
from site_folds import load_page, page_ids, site_of

from settings.records import OfferItem
from spiders.extract.auto import extract_auto
from spiders.extract.document import parse_document
from spiders.extract.heuristics import visible_text
from spiders.extract.price import THREE_DECIMAL_CURRENCIES
from spiders.extract.visible_price import shown_prices

DEFAULT_MODES = "normal,hash,strip,strip+hash,strip+hash+unknown"


@dataclass(frozen=True)
class Miss:
    mode: str
    attribute: str
    cause: str
    page: str
    site: str
    expected: list[str]
    got: str | None


def stressed(html: bytes, mode: str) -> bytes:
    for stress in mode.split("+") if mode != "normal" else ():
        html = STRESSES[stress](html)
    return html


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _root(html: bytes) -> lxml.html.HtmlElement:
    root = parse_document(html).root
    return root if root is not None else lxml.html.fromstring("<html></html>")


def _truth_breaks_minor_units(
    offer: OfferItem | None, got: Decimal, wanted: list[Decimal], html: bytes
) -> bool:
    """True if the truth is a thousandth of the answer ``got``, the page shows ``got`` and the
    answer's currency has fewer than three minor units: a shown "8.000" is then eight
    thousand, a truth of 8 (or "8.000" read as decimals) a misreading of a thousands dot."""
    if offer is None or offer.currency is None or offer.currency in THREE_DECIMAL_CURRENCIES:
        return False
    if not any(got == d * 1000 for d in wanted):
        return False
    return bool(shown_prices(_root(html), format(got, "f"), offer.currency))


def price_cause(offer: OfferItem | None, expected: list[str], html: bytes, listing: bool) -> str:
    got = _decimal(offer.price) if offer is not None else None
    wanted = [d for d in map(_decimal, expected) if d is not None]
    if got is not None and any(got in (d * 1000, d / 1000) for d in wanted):
        return (
            "truth decimals" if _truth_breaks_minor_units(offer, got, wanted, html) else "thousands"
        )
    if offer is not None and offer.explain.get("price") in MARKUP_LAYERS:
        return "kept markup"
    if listing:
        return "listing"
    root = _root(html)
    if not any(shown_prices(root, value, None) for value in expected):
        return "not shown"
    return "none found" if got is None else "outranked"


def sku_cause(offer: OfferItem | None, expected: list[str], html: bytes, url: str) -> str:
    if offer is not None and offer.sku and offer.explain.get("sku") in MARKUP_LAYERS:
        return "kept markup"
    text = visible_text(_root(html))
    if not any(code in text for code in expected):
        return "in URL only" if any(code in url for code in expected) else "not shown"
    return "none found" if offer is None or not offer.sku else "outranked"


def availability_cause(offer: OfferItem | None) -> str:
    if offer is None or offer.availability is None:
        return "no evidence"
    if offer.explain.get("availability") in MARKUP_LAYERS:
        return "kept markup"
    return "wrong evidence"


def page_misses(mode: str, page: str, html: bytes, record: dict[str, Any]) -> list[Miss]:
    url = record["url"]
    extraction = extract_auto(html, url)
    # The first offer, as ``offers.py`` scores it (a listing's first card included).
    offer = extraction.offers[0] if extraction.offers else None
    listing = offer is not None and offer.listing
    prediction = {
        "price": offer.price if offer else None,
        "sku": offer.sku if offer else None,
        "availability": offer.availability if offer else None,
    }
    misses = []
    for attribute in ATTRIBUTES:
        if is_right(attribute, record, prediction):
            continue
        expected = [str(v) for v in record.get(attribute) or []]
        if attribute == "price":
            cause = price_cause(offer, expected, html, listing)
        elif attribute == "sku":
            cause = sku_cause(offer, expected, html, url)
        else:
            cause = availability_cause(offer)
        site = site_of(url)
        misses.append(Miss(mode, attribute, cause, page, site, expected, prediction[attribute]))
    return misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("ground_truth", type=Path)
    parser.add_argument("--modes", default=DEFAULT_MODES, help="as normal,strip+hash")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    known = [m == "normal" or all(s in STRESSES for s in m.split("+")) for m in modes]
    if (
        not args.pages_dir.is_dir()
        or not args.ground_truth.is_file()
        or not modes
        or not all(known)
    ):
        print(
            f"error: give the pages folder, the ground-truth JSON file and --modes of normal "
            f"or {', '.join(STRESSES)} joined by +",
            file=sys.stderr,
        )
        return 2
    truth: dict[str, Any] = json.loads(args.ground_truth.read_text(encoding="utf-8"))
    ids = page_ids(args.pages_dir, truth)
    misses: list[Miss] = []
    for mode in modes:
        for page in ids:
            html = stressed(load_page(args.pages_dir, page), mode)
            found = page_misses(mode, page, html, truth[page])
            for miss in found:
                print(
                    f"{mode:<20} {miss.attribute:<12} {miss.cause:<14} {miss.site:<16} "
                    f"{page[:8]} expected={miss.expected} got={miss.got}"
                )
            misses += found
    groups: dict[tuple[str, str], list[Miss]] = defaultdict(list)
    for miss in misses:
        groups[miss.attribute, miss.cause].append(miss)
    print("\nattribute    cause          pages sites stresses")
    wide, truth_faults = [], []
    for (attribute, cause), group in sorted(groups.items()):
        sites = sorted({m.site for m in group})
        pages = len({m.page for m in group})
        stresses = ",".join(dict.fromkeys(m.mode for m in group))
        print(f"{attribute:<12} {cause:<14} {pages:>5} {len(sites):>5} {stresses}")
        counted = f"{attribute} {cause} ({pages} pages, {len(sites)} sites)"
        if cause.startswith("truth "):
            truth_faults.append(counted)
        elif len(sites) >= 2:
            wide.append(f"{attribute} {cause} ({len(sites)} sites)")
    if truth_faults:
        print(f"\nthe truth at fault (nothing to fix in the reading): {'; '.join(truth_faults)}")
    print(f"\ncauses on two sites or more: {'; '.join(wide) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

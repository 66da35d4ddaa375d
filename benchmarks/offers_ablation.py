"""What each offer-extraction rule, layer and feature earns on held-out sites.

    python benchmarks/offers_ablation.py PAGES_DIR GROUND_TRUTH [--folds 5] [--only NAME ...]

Each ablation switches one thing off by patching the extraction modules in a fresh
process (never by a switch in production code) and scores the official metric of
``benchmarks/offers.py``, whole set and per site-grouped fold. Besides the F1 change it
counts the sites where switching the thing off loses right answers (the rule helps there)
and those where it gains some (the rule hurts there): a rule that helps on fewer than two
sites has not shown that it holds beyond the page it was written for. The tables before
and after this script's first use, and what was decided from them, are in
``benchmarks/offers_ablation_results.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from offers import ATTRIBUTES, Prediction, is_right, predict_auto, score, site_folds
from site_folds import load_page, site_of

Setup = Callable[[], None]


def _patch(module: str, name: str, value: object) -> None:
    import importlib

    setattr(importlib.import_module(module), name, value)


def _off(module: str, name: str, value: object) -> Setup:
    return lambda: _patch(module, name, value)


def _const(value: object) -> Callable[..., object]:
    return lambda *args, **kwargs: value


def _zero_weight(model_name: str, feature: str) -> Setup:
    def setup() -> None:
        from spiders.extract.candidate_model import load_model, use_model

        shipped = load_model(model_name)
        use_model(model_name, replace(shipped, weights={**shipped.weights, feature: 0.0}))

    return setup


def _no_labels(source: str, *roles: str) -> Setup:
    """The shop-label table without ``roles`` of ``source`` (no roles: all), patterns rebuilt."""

    def setup() -> None:
        import spiders.extract.shop_labels as sl

        tables = {name: sl.shop_labels(name) for name in sl.SOURCES}
        tables[source] = {r: ({} if not roles or r in roles else tables[source][r]) for r in sl.ROLES}  # fmt: skip
        sl.shop_labels = lambda name=sl.CATALOGUES: tables[name]  # type: ignore[assignment]
        _rebuild_patterns()

    return setup


# Translations of the bare "Available" (not "In stock"): a word that may as well label a
# menu, a filter or "available sizes".
LOOSE_AVAILABLE = frozenset(
    {"available", "disponible", "disponibile", "dostępny", "dostępna", "tilgjengelig", "verfügbar",
     "lieferbar", "beschikbaar", "leverbaar", "disponível", "διαθέσιμο", "k dispozici",
     "til rådighed", "saadaval", "eskuragarria", "دسترس", "dostupno", "elérhető", "tersedia",
     "ხელმისაწვდომი", "pasiekiama", "disponibil", "доступно", "dostupný", "dobavljivo",
     "tillgänglig", "uygun", "可用的"}
)  # fmt: skip


def _loose_available_off() -> None:
    import spiders.extract.shop_labels as sl

    tables = {}
    for name in sl.SOURCES:
        table = sl.shop_labels(name)
        in_stock = {
            lang: tuple(p for p in ps if p not in LOOSE_AVAILABLE)
            for lang, ps in table["in_stock"].items()
        }
        tables[name] = {**table, "in_stock": in_stock}
    sl.shop_labels = lambda name=sl.CATALOGUES: tables[name]  # type: ignore[assignment]
    _rebuild_patterns()


def _rebuild_patterns() -> None:
    """Recompile the module-level patterns made from the label table at import."""
    import spiders.extract.availability as av
    import spiders.extract.heuristics as he
    import spiders.extract.visible_availability as va
    from spiders.extract.shop_labels import fold_label, phrase_pattern, phrases

    av._TEXT_PATTERNS = tuple((s, phrase_pattern(f)) for s, f in av._text_forms())
    va._CART_LABEL = phrase_pattern(fold_label(p) for p in phrases("cart", "add_to_cart"))
    va._BUY_LABEL = phrase_pattern((fold_label(p) for p in phrases("buy")), whole=True)
    shop = phrase_pattern(phrases("product_code"), gap=r"\s*", accents=True).pattern
    other = phrase_pattern(phrases("other_code"), gap=r"\s*", accents=True).pattern
    he._ID_LABEL = re.compile(
        rf"(?:(?P<shop>{shop})|{other})\s*[:#：–-]?\s*(?P<id>[A-Za-z0-9][A-Za-z0-9._/-]{{2,30}})",
        re.I,
    )
    he._LABEL_AT_END = re.compile(rf"(?:{shop}|{other})\s*[:#：–-]?\s*$", re.I)


def _script_product(field: str) -> Setup:
    def setup() -> None:
        import spiders.extract.auto as auto

        original = auto.script_product

        def patched(values: list[object], name: str | None) -> Any:
            found = original(values, name)
            setattr(found, field, [] if field == "variant_states" else None)
            return found

        auto.script_product = patched  # type: ignore[assignment]

    return setup


def _group_code_off() -> None:
    import spiders.extract.auto as auto

    original = auto.variant_group

    def patched(nodes: Any, url: str = "") -> Any:
        group = original(nodes, url)
        if group is not None:
            group.code = None
        return group

    auto.variant_group = patched


def _main_first_off() -> None:
    _patch("spiders.extract.auto", "_main_first", lambda offers: offers)


def _old_text_off() -> None:
    _patch("spiders.extract.visible_price", "_NOT_CURRENT_TEXT", re.compile("(?!)"))


def _names_old_off() -> None:
    import spiders.extract.visible_price as vp

    vp.names_say_not_current = _const(False)  # type: ignore[assignment]
    vp.names_say_current = _const(False)  # type: ignore[assignment]


def _in_linked_card_off() -> None:
    _patch("spiders.extract.heuristics", "in_linked_card", _const(False))


def _listing_price_off() -> None:
    _patch("spiders.extract.heuristics", "is_listing_price", _const(False))


def _awaits_choice_off() -> None:
    _patch("spiders.extract.visible_availability", "awaits_choice", _const(False))


def _cart_page_link_off() -> None:
    _patch("spiders.extract.visible_availability", "_is_cart_page_link", _const(False))


def _hidden_off() -> None:
    _patch("spiders.extract.visible_price", "is_hidden", _const(False))


def _meta_availability_off() -> None:
    import spiders.extract.auto as auto

    original = auto.meta_offer_fields

    def patched(tags: Any) -> Any:
        return {k: v for k, v in original(tags).items() if k != "availability"}

    auto.meta_offer_fields = patched


ABLATIONS: dict[str, tuple[str, Setup]] = {
    # layers
    "layer:json-ld": ("layer", _off("spiders.extract.auto", "jsonld_objects", _const(([], [])))),
    "layer:microdata+rdfa": ("layer", _off("spiders.extract.auto", "markup_nodes", _const([]))),
    "layer:meta/opengraph": (
        "layer",
        _off("spiders.extract.auto", "meta_offer_fields", _const({})),
    ),
    "layer:meta availability": ("layer", _meta_availability_off),
    "layer:script state (all)": (
        "layer",
        _off("spiders.extract.auto", "script_json_values", _const([])),
    ),
    "layer:heuristic offer fields": (
        "layer",
        _off("spiders.extract.auto", "heuristic_offer_fields", _const(False)),
    ),
    "layer:variant group": ("layer", _off("spiders.extract.auto", "variant_group", _const(None))),
    "layer:markup listing": ("layer", _off("spiders.extract.auto", "markup_listing", _const(None))),
    "layer:visible listing": (
        "layer",
        _off("spiders.extract.auto", "visible_listing", _const(None)),
    ),
    "layer:main offer first": ("layer", _main_first_off),
    "layer:recipe/article page sells nothing": (
        "layer",
        _off("spiders.extract.auto", "_about_no_product", _const(False)),
    ),
    "layer:fill from other offers": (
        "layer",
        _off("spiders.extract.auto", "_same_product", _const(False)),
    ),
    # price
    "price:check markup price (all)": (
        "price",
        _off("spiders.extract.auto", "_check_markup_price", _const(None)),
    ),
    "price:visible grouping (1.299)": (
        "price",
        _off("spiders.extract.auto", "visible_grouping", _const(None)),
    ),
    "price:visible overrules old markup": (
        "price",
        _off("spiders.extract.auto", "visible_price_overruling", _const(None)),
    ),
    "price:currency from URL": (
        "price",
        _off("spiders.extract.auto", "currency_from_url", _const(None)),
    ),
    "price:listing-price (same layout)": ("price", _listing_price_off),
    "price:in linked card": ("price", _in_linked_card_off),
    "price:old-price text labels": ("price", _old_text_off),
    "price:old/current class words": ("price", _names_old_off),
    "price:hidden-element check": ("price", _hidden_off),
    "price:count before the amount": (
        "price",
        _off("spiders.extract.visible_price", "counts_before_amount", _const(False)),
    ),
    "price:block's first amount named old": (
        "price",
        _off("spiders.extract.visible_price", "_first_amount_named_old", _const(False)),
    ),
    # availability
    "avail:stock text": (
        "availability",
        _off("spiders.extract.visible_availability", "stock_text", _const(None)),
    ),
    "avail:buy button": (
        "availability",
        _off("spiders.extract.visible_availability", "buy_button_evidence", _const(None)),
    ),
    "avail:script variants": ("availability", _script_product("variant_states")),
    "avail:awaits choice": ("availability", _awaits_choice_off),
    "avail:cart-page link": ("availability", _cart_page_link_off),
    "avail:unnamed sold-out line": (
        "availability",
        _off("spiders.extract.visible_availability", "unnamed_sold_out_line", _const(None)),
    ),
    # sku
    "sku:shown shop code over markup": (
        "sku",
        _off("spiders.extract.auto", "_shown_shop_code", _const(None)),
    ),
    "sku:script state code": ("sku", _script_product("code")),
    "sku:variant group code": ("sku", _group_code_off),
    "sku:URL code a variant sku extends": (
        "sku",
        _off("spiders.extract.auto", "url_code_of_variant", _const(None)),
    ),
    # labels
    "labels:catalogues (all roles)": ("labels", _no_labels("labels")),
    "labels:catalogues stock roles": ("labels", _no_labels("labels", "in_stock", "out_of_stock")),
    "labels:catalogues cart roles": ("labels", _no_labels("labels", "add_to_cart", "cart", "buy")),
    "labels:catalogues product_code": ("labels", _no_labels("labels", "product_code")),
    "labels:hand (all roles)": ("labels", _no_labels("hand")),
    "labels:hand stock roles": (
        "labels",
        _no_labels(
            "hand",
            "in_stock",
            "out_of_stock",
            "pre_order",
            "back_order",
            "limited_availability",
            "discontinued",
        ),
    ),
    "labels:hand cart roles": ("labels", _no_labels("hand", "add_to_cart", "cart", "buy")),
    "labels:hand code labels": ("labels", _no_labels("hand", "product_code", "other_code")),
    "labels:loose 'Available' (both)": ("labels", _loose_available_off),
}


def _add_model_ablations() -> None:
    from spiders.extract.candidate_model import load_model

    for model_name, path in (("price_ranking", "price"), ("availability_evidence", "avail")):
        for feature, weight in load_model(model_name).weights.items():
            if weight:
                ABLATIONS[f"{path}:weight {feature}"] = (path, _zero_weight(model_name, feature))


_add_model_ablations()


def predictions(pages_dir: Path, truth: dict[str, Any], ids: list[str]) -> dict[str, Prediction]:
    return {i: predict_auto(load_page(pages_dir, i), truth[i]["url"]) for i in ids}


def _run_one(name: str, args: argparse.Namespace) -> dict[str, Prediction]:
    command = [sys.executable, __file__, str(args.pages_dir), str(args.ground_truth), "--child", name]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("ground_truth", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="ablations whose name contains one of these")
    parser.add_argument("--start", help="begin at this ablation (resume a run)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--list", action="store_true", help="list the ablations")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(ABLATIONS))
        return 0
    truth: dict[str, Any] = json.loads(args.ground_truth.read_text(encoding="utf-8"))
    ids = sorted(i for i in truth if any(args.pages_dir.glob(f"{i}.html*")))
    if args.child is not None:
        if args.child != "baseline":
            ABLATIONS[args.child][1]()
        print(json.dumps(predictions(args.pages_dir, truth, ids)))
        return 0
    folds = site_folds(truth, ids, args.folds)
    base = _run_one("baseline", args)
    base_scores = score(truth, base, ids)
    base_folds = [score(truth, base, f) for f in folds]
    names = [n for n in ABLATIONS if not args.only or any(o in n for o in args.only)]
    if args.start in names:
        names = names[names.index(args.start) :]
    print("| switched off | attribute | whole F1 (Δ) | folds F1 | Δ per fold | sites it helps | sites it hurts |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    print("| nothing (main) | " + " / ".join(ATTRIBUTES) + " | "
          + " / ".join(f"{base_scores[a][2]:.3f}" for a in ATTRIBUTES) + " | | | | |")  # fmt: skip
    for name in names:
        ours = _run_one(name, args)
        whole = score(truth, ours, ids)
        per_fold = [score(truth, ours, f) for f in folds]
        changed = False
        for attribute in ATTRIBUTES:
            helps: set[str] = set()
            hurts: set[str] = set()
            for i in ids:
                was = is_right(attribute, truth[i], base[i])
                now = is_right(attribute, truth[i], ours[i])
                if was != now:
                    (helps if was else hurts).add(site_of(truth[i]["url"]))
            if not helps and not hurts:
                continue
            changed = True
            delta = whole[attribute][2] - base_scores[attribute][2]
            cells = " ".join(f"{s[attribute][2]:.3f}" for s in per_fold)
            deltas = " ".join(
                f"{s[attribute][2] - b[attribute][2]:+.3f}"
                for s, b in zip(per_fold, base_folds, strict=True)
            )
            print(f"| {name} | {attribute} | {whole[attribute][2]:.3f} ({delta:+.3f}) | {cells} | "
                  f"{deltas} | {len(helps)}: {' '.join(sorted(helps))} | {len(hurts)}: {' '.join(sorted(hurts))} |")  # fmt: skip
        if not changed:
            print(f"| {name} | all | no change | | | 0 | 0 |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

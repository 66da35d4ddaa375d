"""Worst-case extraction time on hostile pages: huge and deep script JSON, many siblings,
JavaScript literals never closed or huge, deep nesting, long runs of rating-like text, elements of many attributes.

    python benchmarks/extract_worst.py [--scale 1.0] [--only NAME]

Each page is built here (nothing is read from disk or the network) and run once through
``extract_auto``, the function ``rivalscope extract`` and the crawler run. Every case is
also run at half its size: time should grow about linearly (a ratio near 2; a quadratic
step shows as ~4). A case whose extraction raised shows ``FAILED`` with its warning.
The last line is ``cases=N worst_s=S worst_case=NAME failed=F``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spiders.extract.auto import extract_auto

URL = "http://127.0.0.1/p/1"


def _page(body: str, head: str = "") -> str:
    return f"<!doctype html><html lang=en><head>{head}</head><body>{body}</body></html>"


def _review(i: int) -> dict[str, object]:
    return {"author": f"user {i}", "rating": 1 + i % 5, "text": f"Review number {i} says it works.",
            "date": "2024-01-02"}  # fmt: skip


def huge_json_script(n: int) -> str:
    """One application/json script of ~n bytes holding a review list."""
    reviews = [_review(i) for i in range(n // 80)]
    data = json.dumps({"props": {"reviews": reviews}})
    return _page("<h1>A</h1>", f'<script type="application/json">{data}</script>')


def huge_assignment(n: int) -> str:
    """window.__STATE__ = {...} of ~n bytes."""
    reviews = [_review(i) for i in range(n // 80)]
    data = json.dumps({"reviews": reviews})
    return _page("<h1>A</h1>", f"<script>window.__STATE__ = {data};</script>")


def many_assignments(n: int) -> str:
    """A script of n/10 short ``a = {`` that never close (each tried, each fails)."""
    return _page("<h1>A</h1>", "<script>" + "a = {x " * (n // 6) + "</script>")


def deep_json(n: int) -> str:
    """JSON nested n/10 levels (past the parser's recursion limit)."""
    depth = n // 10
    data = '{"a":' * depth + "1" + "}" * depth
    return _page(
        "<h1>A</h1>",
        f'<script type="application/json">{data}</script><script>var s = {data};</script>'
        f'<script type="application/ld+json">{data}</script>',
    )


def many_call_literals(n: int) -> str:
    """n/20 ``dataLayer.push({a: 'x', b: f(`` that never close: each a JavaScript literal
    tried and refused, inside the one before it."""
    return _page(
        "<h1>A</h1>", "<script>" + "dataLayer.push({a: 'x', b: f(" * (n // 28) + "</script>"
    )


def literal_strings(n: int) -> str:
    """One line of n/8 ``x = {a: '`` (strings that never close)."""
    return _page("<h1>A</h1>", "<script>" + "x = {a: '" * (n // 9) + "</script>")


def huge_literal(n: int) -> str:
    """window.__STATE__ = {...} of ~n bytes as a JavaScript literal (unquoted keys, single
    quotes): read up to its size limit."""
    items = ",".join(f"{{id: {i}, name: 'Item {i}', price: {i}.5,}}" for i in range(n // 40))
    return _page("<h1>A</h1>", f"<script>window.__STATE__ = {{items: [{items}]}};</script>")


def _word(i: int) -> str:
    return "".join("kettlbosfa"[int(d)] for d in str(i))


def siblings_rated(n: int) -> str:
    """n/150 sibling review blocks, each with a rating, a date and its own text."""
    blocks = "".join(
        f"<div class='review'><i aria-label='{1 + i % 5} out of 5 stars'></i>"
        f"<small>{1 + i % 28} March 2024</small>"
        f"<p>{_word(i)} says it boils fast and the handle stays cool {_word(i * 7)}.</p></div>"
        for i in range(n // 150)
    )
    return _page(f"<h1>A</h1><div>{blocks}</div>")


def siblings_plain(n: int) -> str:
    """n/20 sibling empty divs."""
    return _page("<h1>A</h1><div>" + '<div class="c"></div>' * (n // 20) + "</div>")


def deep_dom(n: int) -> str:
    """Nested divs n/10 deep (the HTML parser caps depth), a rating at the bottom."""
    depth = n // 10
    return _page("<div class=rating>" * depth + "4 out of 5 stars (12 ratings)" + "</div>" * depth)


def rating_text_runs(n: int) -> str:
    """Text of n chars: "4.5 out of 5 " repeated (every one a candidate, no counts)."""
    return _page("<p>" + "4.5 out of 5 " * (n // 13) + "</p>")


def digit_runs(n: int) -> str:
    """Text of n chars of digits, separators and spaces (number patterns backtrack here)."""
    return _page("<p>" + "1,2.3 4/5 " * (n // 10) + "</p><p>" + "9" * (n // 2) + "</p>")


def count_words(n: int) -> str:
    """Rating nouns and numbers with no scale: "123 ratings 4 reviews ..."."""
    return _page("<p>" + "123 ratings 4 reviews (5) stars " * (n // 32) + "</p>")


def reviews_alike(n: int) -> str:
    """n/200 JSON-LD reviews whose texts share their first 40 characters (merge buckets)."""
    reviews = [
        {"@type": "Review", "reviewBody": f"This kettle is great and I would buy it again {i}",
         "reviewRating": {"@type": "Rating", "ratingValue": 1 + i % 5}}
        for i in range(n // 200)
    ]  # fmt: skip
    data = json.dumps({"@context": "https://schema.org", "@type": "Product", "review": reviews})
    return _page("<h1>A</h1>", f'<script type="application/ld+json">{data}</script>')


def _names(count: int) -> str:
    return " ".join(f"a{i}=x" for i in range(count))


def attributes_one_element(n: int) -> str:
    """One element of ~n bytes of distinct attributes (the parser checks each against all)."""
    return _page(f"<h1>A</h1><div {_names(n // 7)}>x</div>")


def attributes_duplicate(n: int) -> str:
    """One element with the same attribute n/4 times."""
    return _page("<h1>A</h1><div " + "a=x " * (n // 4) + ">x</div>")


def attributes_many_elements(n: int) -> str:
    """Elements of 100 attributes each, n bytes of them."""
    element = f"<i {_names(100)}></i>"
    return _page("<h1>A</h1>" + element * (n // len(element)))


def attributes_long_values(n: int) -> str:
    """Attribute values of 10,000 characters, n bytes of them."""
    element = "<i title='" + "x" * 10_000 + "'></i>"
    return _page("<h1>A</h1>" + element * (n // len(element)))


CASES: dict[str, Callable[[int], str]] = {
    "huge_json_script": huge_json_script,
    "huge_assignment": huge_assignment,
    "many_assignments": many_assignments,
    "deep_json": deep_json,
    "many_call_literals": many_call_literals,
    "literal_strings": literal_strings,
    "huge_literal": huge_literal,
    "siblings_rated": siblings_rated,
    "siblings_plain": siblings_plain,
    "deep_dom": deep_dom,
    "rating_text_runs": rating_text_runs,
    "digit_runs": digit_runs,
    "count_words": count_words,
    "reviews_alike": reviews_alike,
    "attributes_one_element": attributes_one_element,
    "attributes_duplicate": attributes_duplicate,
    "attributes_many_elements": attributes_many_elements,
    "attributes_long_values": attributes_long_values,
}
SIZES = {
    "huge_json_script": 50_000_000,
    "huge_assignment": 50_000_000,
    "many_assignments": 2_000_000,
    "deep_json": 1_000_000,
    "many_call_literals": 2_000_000,
    "literal_strings": 2_000_000,
    "huge_literal": 2_000_000,
    "siblings_rated": 10_000_000,
    "siblings_plain": 2_000_000,
    "deep_dom": 100_000,
    "rating_text_runs": 2_000_000,
    "digit_runs": 2_000_000,
    "count_words": 2_000_000,
    "reviews_alike": 4_000_000,
    "attributes_one_element": 1_000_000,
    "attributes_duplicate": 10_000_000,
    "attributes_many_elements": 10_000_000,
    "attributes_long_values": 10_000_000,
}


def run_case(build: Callable[[int], str], size: int) -> tuple[float, str | None, int]:
    html = build(size)
    start = time.perf_counter()
    page = extract_auto(html, URL)
    seconds = time.perf_counter() - start
    failed = next((w for w in page.warnings if w.startswith("extraction failed")), None)
    return seconds, failed, len(page.reviews)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every page size")
    parser.add_argument("--only", choices=sorted(CASES), help="run one case")
    args = parser.parse_args(argv)
    worst, worst_name, failures = 0.0, "", 0
    names = [args.only] if args.only else list(CASES)
    for name in names:
        size = max(100, int(SIZES[name] * args.scale))
        half, _, _ = run_case(CASES[name], size // 2)
        seconds, failed, reviews = run_case(CASES[name], size)
        growth = seconds / half if half > 0 else float("inf")
        status = f"FAILED {failed}" if failed else "ok"
        print(f"{name:<24} size={size:>11,} {seconds:7.2f} s (half size {half:6.2f} s, "
              f"x{growth:4.1f}) reviews={reviews} {status}", flush=True)  # fmt: skip
        failures += bool(failed)
        if seconds > worst:
            worst, worst_name = seconds, name
    print(f"cases={len(names)} worst_s={worst:.2f} worst_case={worst_name} failed={failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Seeded mutations of real-shaped pages, for fuzzing extraction (tests and benchmark).

Each mutation is one thing broken or hostile pages do: cut off, a range deleted or
repeated, tags unbalanced, JSON-LD made invalid or nested deep, numbers made absurd,
control characters and stray bytes, a very long attribute or text, deep element nesting.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

Mutation = Callable[[random.Random, str], str]


def _cut(rng: random.Random, page: str) -> str:
    return page[: rng.randrange(len(page) + 1)]


def _delete(rng: random.Random, page: str) -> str:
    start = rng.randrange(len(page) + 1)
    return page[:start] + page[start + rng.randrange(1, 400) :]


def _repeat(rng: random.Random, page: str) -> str:
    start = rng.randrange(len(page) + 1)
    piece = page[start : start + rng.randrange(1, 300)]
    return page[:start] + piece * rng.randrange(2, 60) + page[start:]


def _insert(rng: random.Random, page: str, snippet: str) -> str:
    at = rng.randrange(len(page) + 1)
    return page[:at] + snippet + page[at:]


_SNIPPETS = (
    "</div></div></body></html><div>",
    '<script type=\'application/ld+json\'>{"@type": "Product", "offers": {"price": ',
    "<script type='application/ld+json'>" + "[" * 20_000 + "]" * 20_000 + "</script>",
    '<script type=\'application/ld+json\'>{"@type":"Product","name":"x","offers":'
    '{"price": 1e400, "priceCurrency": "EUR"}}</script>',
    '<script type=\'application/ld+json\'>{"@type":"Review","reviewRating":'
    '{"ratingValue": "-1e309", "bestRating": 0}, "reviewBody": "x"}</script>',
    '<span itemprop="price" content="' + "9" * 5000 + '">',
    '<meta property="product:price:amount" content="NaN">',
    "\x00\x01\x0b\ufffd\ud7ff",
    "<div " + "a" * 20_000 + "='1'>",
    '<a href="' + "/" + "a" * 5000 + '!">next</a>',
    "<div>" * 3000 + "deep" + "</div>" * 3000,
    "<!--" + "x" * 2000,
    "<![CDATA[ unclosed",
    "&#xD800;&#0;&#99999999;&bogus;",
)


def _snippet(rng: random.Random, page: str) -> str:
    return _insert(rng, page, rng.choice(_SNIPPETS))


def _swap_chars(rng: random.Random, page: str) -> str:
    chars = list(page)
    for _ in range(rng.randrange(1, 50)):
        if not chars:
            break
        chars[rng.randrange(len(chars))] = rng.choice("<>\"'/=&;{}[],:0-9.e ")
    return "".join(chars)


MUTATIONS: tuple[Mutation, ...] = (_cut, _delete, _repeat, _snippet, _swap_chars)


def fixture_pages() -> list[tuple[str, str]]:
    """(html, url) of every saved fixture page."""
    pages = []
    for page in sorted(FIXTURES.rglob("page.html")):
        url_file = page.with_name("url.txt")
        url = (
            url_file.read_text(encoding="utf-8").strip()
            if url_file.exists()
            else "http://127.0.0.1/p"
        )
        pages.append((page.read_text(encoding="utf-8", errors="replace"), url))
    return pages


def mutated_pages(seed: int, count: int) -> Iterator[tuple[str, str, str]]:
    """``count`` (html, url, description) mutations of the fixture pages, from ``seed``."""
    rng = random.Random(seed)
    pages = fixture_pages()
    for n in range(count):
        html, url = pages[n % len(pages)]
        applied = []
        for _ in range(rng.randrange(1, 4)):
            mutation = rng.choice(MUTATIONS)
            html = mutation(rng, html)
            applied.append(mutation.__name__.lstrip("_"))
        yield html, url, f"#{n} {'+'.join(applied)} of {url}"

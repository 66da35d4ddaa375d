"""Shared by the review and rating benchmarks: saved pages, sites, folds grouped by site."""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from obfuscated_names import obfuscate_names
from stripped_markup import strip_markup

from settings.records import PageExtraction
from spiders.extract.auto import extract_auto

# Second-level labels under which country registries sell names ("shop.co.uk", "shop.com.au").
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gob"})


def load_page(pages_dir: Path, page_id: str) -> bytes:
    """Bytes of ``<id>.html.gz`` (or ``<id>.html``) in ``pages_dir``."""
    gz = pages_dir / f"{page_id}.html.gz"
    if gz.exists():
        return gzip.decompress(gz.read_bytes())
    return (pages_dir / f"{page_id}.html").read_bytes()


def tree_worker_truth(tree: str, truth_path: Path) -> dict[str, Any]:
    """The truth JSON, read in a worker process that must extract with ``tree``'s code (run
    with ``PYTHONPATH=tree``); exits with a message when it imported another tree's."""
    imported = sys.modules[extract_auto.__module__].__file__ or ""
    if not str(Path(imported).resolve()).startswith(str(Path(tree).resolve())):
        print(f"error: the worker imported {imported}, not {tree}", file=sys.stderr)
        sys.exit(2)
    truth: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
    return truth


def add_tree_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a script comparing two source trees on saved pages."""
    parser.add_argument("tree_a", type=Path)
    parser.add_argument("tree_b", type=Path)
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path, help="JSON object {id: {url, ...}}")


def careless_trees(args: argparse.Namespace) -> bool:
    """True, with the problem said in one line on stderr, when the ``add_tree_arguments``
    of ``args`` name no two source trees, pages folder or truth file."""
    trees = (args.tree_a, args.tree_b)
    if not all((t / "spiders" / "extract" / "auto.py").is_file() for t in trees):
        print("error: give two source trees (folders holding spiders/extract)", file=sys.stderr)
        return True
    if not args.pages_dir.is_dir() or not args.truth.is_file():
        print("error: give the pages folder and the ground-truth JSON file", file=sys.stderr)
        return True
    return False


def page_ids(pages_dir: Path, truth: Iterable[str]) -> list[str]:
    """The truth's ids that have a saved page, sorted."""
    return sorted(
        i
        for i in truth
        if (pages_dir / f"{i}.html.gz").exists() or (pages_dir / f"{i}.html").exists()
    )


def site_of(url: str) -> str:
    """The site a URL belongs to: its registrable name without the country or generic ending,
    so that one shop's country domains and subdomains ("shop.fr", "www.shop.co.uk",
    "city.shop.org") are one site and never on both sides of a fold."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or url
    labels = [label for label in host.lower().split(".") if label]
    if len(labels) > 1:
        labels.pop()  # top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()
    return labels[-1] if labels else host


def grouped_folds(groups: dict[str, str], k: int) -> list[list[str]]:
    """``k`` folds of item ids; all ids of one group in one fold. Groups go, largest first,
    to the fold with the fewest ids so far (ties: lowest fold), so folds are balanced and
    the split is deterministic."""
    by_group: dict[str, list[str]] = {}
    for item, group in sorted(groups.items()):
        by_group.setdefault(group, []).append(item)
    folds: list[list[str]] = [[] for _ in range(max(1, k))]
    for group in sorted(by_group, key=lambda g: (-len(by_group[g]), g)):
        smallest = min(range(len(folds)), key=lambda f: (len(folds[f]), f))
        folds[smallest].extend(by_group[group])
    return [sorted(fold) for fold in folds if fold]


def stressed(html: bytes, *, strip: bool, obfuscate: bool) -> bytes:
    """The page as an unseen site could ship it: without its structured data (``strip``,
    what is left is the visible layout) and/or with every class and id name hashed
    (``obfuscate``, as CSS-modules or hashed utility-class builds ship them)."""
    if strip:
        html = strip_markup(html)
    if obfuscate:
        html = obfuscate_names(html)
    return html


def timed_extractions(
    pages_dir: Path,
    ids: list[str],
    url_of: Callable[[str], str],
    transform: Callable[[bytes], bytes] = lambda html: html,
) -> tuple[dict[str, PageExtraction], list[float]]:
    """``extract_auto`` (what ``rivalscope extract`` runs) on every page (first changed by
    ``transform``), and CPU seconds per page (a loaded machine makes wall time noise)."""
    pages: dict[str, PageExtraction] = {}
    seconds: list[float] = []
    for page_id in ids:
        html = transform(load_page(pages_dir, page_id))
        start = time.process_time()
        pages[page_id] = extract_auto(html, url_of(page_id))
        seconds.append(time.process_time() - start)
    return pages, seconds


def timing_line(seconds: list[float]) -> str:
    if not seconds:
        return "time per page: no pages"
    return (
        f"CPU time per page: median {statistics.median(seconds) * 1000:.1f} ms, "
        f"mean {statistics.fmean(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"
    )


@dataclass
class BenchmarkRun:
    """A benchmark's arguments, its truth file and extraction of every page."""

    args: argparse.Namespace
    truth: dict[str, Any]
    ids: list[str]
    pages: dict[str, PageExtraction]
    seconds: list[float]
    sites: dict[str, str]


def run_benchmark(doc: str, argv: list[str] | None, errors_help: str) -> BenchmarkRun | None:
    """Parse ``PAGES_DIR TRUTH [--folds K] [--show-errors] [--strip-markup]
    [--obfuscate-classes]``, read the truth, extract every page (stressed as asked) with its
    URL; None (after a one-line error) when the paths are wrong."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("pages_dir", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--folds", type=int, default=5, help="folds grouped by site")
    parser.add_argument("--show-errors", action="store_true", help=errors_help)
    parser.add_argument(
        "--strip-markup",
        action="store_true",
        help="take JSON-LD, microdata, RDFa, meta tags and scripts out first (layout only)",
    )
    parser.add_argument(
        "--obfuscate-classes",
        action="store_true",
        help="replace every class and id name by a stable hash token first",
    )
    args = parser.parse_args(argv)
    if not args.pages_dir.is_dir() or not args.truth.is_file():
        print("error: give the pages folder and the truth JSON file", file=sys.stderr)
        return None
    truth: dict[str, Any] = json.loads(args.truth.read_text(encoding="utf-8"))
    ids = page_ids(args.pages_dir, truth)
    if not ids:
        print("error: no page of the truth file is in the pages folder", file=sys.stderr)
        return None
    pages, seconds = timed_extractions(
        args.pages_dir,
        ids,
        lambda i: truth[i]["url"],
        lambda html: stressed(html, strip=args.strip_markup, obfuscate=args.obfuscate_classes),
    )
    # The ratings set names each page's site; the reviews set has only URLs.
    sites = {i: site_of(truth[i].get("site") or truth[i]["url"]) for i in ids}
    return BenchmarkRun(args, truth, ids, pages, seconds, sites)

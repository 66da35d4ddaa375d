"""Whether two source trees extract the same from the same saved pages, field by field.

    python benchmarks/extract_diff.py TREE_A TREE_B PAGES_DIR TRUTH [--strip-markup]
        [--show 5]

Each tree runs ``extract_auto`` in its own process (``PYTHONPATH=TREE``) on every page of
``TRUTH`` (a JSON object ``{id: {"url": ...}}``, the offers and ratings sets' format) that
has a saved page, and writes every field of each ``PageExtraction`` (offers, reviews,
aggregate, next page, language, warnings, skipped) as JSON. ``--strip-markup`` takes the
pages' structured data out first (``stripped_markup.py``). The last line is
``pages=N differing=D``; the first ``--show`` differing pages are named with their first
differing field. For a change meant to keep every output (a speed-up), D must be 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from site_folds import add_tree_arguments, careless_trees

_HERE = Path(__file__).resolve().parent


def dump(tree: str, pages_dir: Path, truth_path: Path, strip: bool) -> None:
    """Worker: one JSON line per page, ``[id, fields]``."""
    sys.path.insert(0, str(_HERE))
    from site_folds import load_page, page_ids, tree_worker_truth
    from stripped_markup import strip_markup

    from spiders.extract import auto

    truth = tree_worker_truth(tree, truth_path)
    for page_id in page_ids(pages_dir, truth):
        html = load_page(pages_dir, page_id)
        page = auto.extract_auto(strip_markup(html) if strip else html, truth[page_id]["url"])
        fields = json.dumps(dataclasses.asdict(page), sort_keys=True, default=repr)
        print(json.dumps([page_id, json.loads(fields)]), flush=True)


def _outputs(tree: Path, args: argparse.Namespace) -> dict[str, dict[str, object]]:
    command = [sys.executable, __file__, str(tree), str(tree), str(args.pages_dir),
               str(args.truth), "--dump", str(tree)]  # fmt: skip
    if args.strip_markup:
        command.append("--strip-markup")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tree, check=False)
    if done.returncode != 0:
        print(done.stderr.strip().splitlines()[-1], file=sys.stderr)
        raise SystemExit(2)
    return dict(json.loads(line) for line in done.stdout.splitlines())


def _first_difference(a: dict[str, object], b: dict[str, object]) -> str:
    return next(key for key in sorted(a.keys() | b.keys()) if a.get(key) != b.get(key))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_tree_arguments(parser)
    parser.add_argument("--strip-markup", action="store_true")
    parser.add_argument("--show", type=int, default=5, help="differing pages named")
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump:
        dump(args.dump, args.pages_dir, args.truth, args.strip_markup)
        return 0
    if careless_trees(args):
        return 2
    trees = (args.tree_a, args.tree_b)
    a, b = (_outputs(tree, args) for tree in trees)
    differing = sorted(i for i in a.keys() | b.keys() if a.get(i) != b.get(i))
    for page_id in differing[: args.show]:
        if page_id in a and page_id in b:
            print(f"{page_id}: {_first_difference(a[page_id], b[page_id])} differs")
        else:
            print(f"{page_id}: extracted by one tree only")
    print(f"pages={len(a.keys() | b.keys())} differing={len(differing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

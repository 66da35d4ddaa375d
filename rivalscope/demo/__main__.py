"""Serve the demo shops by hand while developing (the user-facing command is ``rivalscope demo``).

python -m rivalscope.demo [--port 8765] [--products N] [--reviews-per-product M]
                          [--slow-seconds S] [--break-markup SLUG,...] [--targets FILE]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_shops
from rivalscope.demo.targets import write_targets


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m rivalscope.demo", description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--products", type=int, default=None)
    parser.add_argument("--reviews-per-product", type=int, default=None)
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    parser.add_argument("--break-markup", default="", help="comma-separated shop slugs")
    parser.add_argument("--targets", type=Path, default=None, help="also write a targets file")
    args = parser.parse_args()
    shops = generate_shops(args.seed, args.products, args.reviews_per_product)
    broken = {slug for slug in args.break_markup.split(",") if slug}
    with DemoServer(
        shops, port=args.port, slow_seconds=args.slow_seconds, break_markup=broken
    ) as server:
        if args.targets is not None:
            write_targets(args.targets, server.base_url, shops)
            print(f"wrote {args.targets}")
        for shop in shops:
            print(f"{server.base_url}/{shop.slug}/  {shop.name} ({shop.markup}, {shop.language})")
        print("Ctrl-C stops the server.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

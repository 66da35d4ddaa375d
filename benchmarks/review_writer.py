"""CPU seconds of ``CollectWriter.write`` storing N reviews, and storing them again.

Usage: python benchmarks/review_writer.py N DB_URL [--ids] [--import]

N synthetic reviews (text of ~30 words, rating, date, reviewer pseudonym, 5 products;
``--ids``: each with a site id) are written in batches of 1,000 into DB_URL (a new SQLite
file or an empty PostgreSQL schema), then written again by a new writer (a re-crawl:
nothing is new; with ids, each stored review is checked for an edit). ``--import`` writes
as the file importer does (no set of stored keys held). Prints
``new_cpu_s=A again_cpu_s=B reviews=R`` (process CPU, user + system, of each pass; the
database server's own CPU is not counted). Run it under both trees, alternated, for an A/B.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from settings.content_keys import review_content_key
from settings.records import ReviewItem
from storage.db import open_database
from storage.writer import CollectWriter, RunFigures

BATCH = 1000
WORDS = [
    "kettle",
    "boils",
    "water",
    "quickly",
    "quiet",
    "lid",
    "handle",
    "spout",
    "filter",
    "scale",
    "price",
    "delivery",
]
PRODUCTS = ("Kettle black", "Kettle white", "Grinder", "Scale", "Frother")


def reviews(n: int, ids: bool) -> list[ReviewItem]:
    rng = random.Random(0)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(30)) + f" {i}"
        rating = float(rng.randint(1, 5))
        day = date(2024, 1, 1) + timedelta(days=i % 300)
        author = f"{i % 5000:016x}"
        product = PRODUCTS[i % len(PRODUCTS)]
        review_id = f"r{i}" if ids else None
        item = ReviewItem(
            text=text,
            rating=rating,
            best_rating=5.0,
            rating_normalized=(rating - 1) / 4,
            published=day,
            author_hash=author,
            external_id=review_id,
            product_name=product,
            language="en",
        )
        item.content_key = review_content_key(
            external_id=review_id,
            text=text,
            title=None,
            rating_raw=rating,
            date_raw=day.isoformat(),
            author=author,
            product=product,
        )
        out.append(item)
    return out


def write_all(url: str, items: list[ReviewItem], remember: bool) -> tuple[float, int]:
    engine = open_database(url)
    writer = CollectWriter(engine, company="Bench", source="bench", remember_review_keys=remember)
    writer.start_run()
    start = time.process_time()
    for at in range(0, len(items), BATCH):
        writer.write([], items[at : at + BATCH])
    spent = time.process_time() - start
    writer.finish_run("finished", "finished", RunFigures())
    engine.dispose()
    return spent, writer.reviews_new


def main() -> None:
    n, url = int(sys.argv[1]), sys.argv[2]
    items = reviews(n, "--ids" in sys.argv)
    remember = "--import" not in sys.argv
    new, stored = write_all(url, items, remember)
    again, _ = write_all(url, items, remember)
    print(f"new_cpu_s={new:.3f} again_cpu_s={again:.3f} reviews={stored}")


if __name__ == "__main__":
    main()

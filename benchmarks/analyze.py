"""Throughput of ``rivalscope analyze`` on N synthetic ~60-word rated reviews (en, fr, pl, no).

Usage: python benchmarks/analyze.py N [--repeat K] [--workers W] [--text-from EVAL_DIR]

Each repetition writes the reviews to a CSV, imports them with ``rivalscope import`` into a
fresh SQLite database, then times:
- ``rivalscope analyze`` as a command (wall clock, including interpreter start-up, training
  the per-language models from the ratings, and writing the results; and the CPU seconds of
  the command and its workers, steadier than the wall clock on a shared machine), and its
  re-run;
- ``analyze_database`` in this process on a copy of the freshly imported database (first
  pass, with the training of the per-language models also timed on its own, and re-run),
  which leaves out start-up and shows the re-run ratio; the first pass's CPU seconds (this
  process and its workers) are split into training and analysis.
Prints each repetition, then medians, and the load average (the machine is shared).
Reviews are built from the demo shops' hand-written clauses (``rivalscope.demo.phrases``),
or with ``--text-from EVAL_DIR`` from real text that nobody on the team wrote (the dev data
folder, read where it lies, never copied): the labelled sentences of ``sentiment/`` (English
product reviews, French tweets, Polish medical reviews, Norwegian professional reviews),
packed in a shuffled order into ~60-word rated reviews (the rating follows the share of
positive sentences, as for the clauses), and for every other Norwegian review a ~60-word
stretch of the unlabelled Norwegian reviews (``unlabelled/``), without a rating. The
clauses give a few hundred distinct sentences, which a sentence cache would turn into a
misleading figure; each mode prints its distinct-sentence count, and each repetition the
distinct scored units the analysis stored.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli_command import rivalscope_command
from script_arguments import script_parser
from sqlalchemy import func, select

from compare.analysis.run import analyze_database, refresh_database_model
from compare.analysis.tables import REVIEW_SENTENCE
from rivalscope.demo.phrases import ASPECTS, CLAUSES, NEEDS
from storage.db import open_database

LANGUAGES = ("en", "fr", "pl", "no")
TARGET_WORDS = 60


def synthetic_review(rng: random.Random, language: str) -> tuple[str, int]:
    """A ~60-word review and a star rating (1-5) consistent with its clauses."""
    positive_share = rng.choice([0.0, 0.2, 0.5, 0.8, 1.0, 1.0])
    clauses: list[str] = []
    positives = negatives = 0
    while sum(len(c.split()) for c in clauses) < TARGET_WORDS:
        aspect = rng.choice(ASPECTS)
        good = rng.random() < positive_share
        positives += good
        negatives += not good
        clauses.append(rng.choice(CLAUSES[language][aspect]["positive" if good else "negative"]))
        if rng.random() < 0.1:
            need = rng.choice(list(NEEDS))
            clauses.append(rng.choice(NEEDS[need][language]))
    text = " ".join(c[0].upper() + c[1:] + "." for c in clauses)
    share = positives / max(positives + negatives, 1)
    rating = (
        5 if share > 0.85 else 4 if share > 0.6 else 3 if share > 0.4 else 2 if share > 0.15 else 1
    )
    return text, rating


Sentence = tuple[str, int | None]
"""A sentence and its polarity: 1 positive, -1 negative, 0 neutral, None unlabelled."""


AMOUNT = re.compile(r"\[([+-]\d+)\]")
"""An aspect's polarity strength in Hu and Liu's tags: ``picture[+2]``."""


def hu_liu_sentences(folder: Path) -> list[Sentence]:
    """English product-review sentences; polarity is the sign of the summed aspect scores."""
    out: list[Sentence] = []
    with zipfile.ZipFile(folder / "sentiment" / "en_hu_liu" / "product_reviews_1.zip") as z:
        for name in z.namelist():
            if not name.endswith(".txt") or name.endswith("README.txt"):
                continue
            for line in z.read(name).decode("utf-8", "replace").splitlines():
                tags, sep, text = line.partition("##")
                if not sep or not text.strip():
                    continue
                score = sum(int(v) for v in AMOUNT.findall(tags))
                out.append((text.strip(), (score > 0) - (score < 0)))
    return out


def tweet_sentences(folder: Path) -> list[Sentence]:
    """French tweets, labels 0 negative, 1 neutral, 2 positive."""
    base = folder / "sentiment" / "fr_tweets"
    out: list[Sentence] = []
    for split in ("train", "val"):
        texts = (base / f"{split}_text.txt").read_text("utf-8").splitlines()
        labels = (base / f"{split}_labels.txt").read_text("utf-8").splitlines()
        out += [(t.strip(), int(v) - 1) for t, v in zip(texts, labels, strict=True) if t.strip()]
    return out


POLEMO = {"z_plus_m": 1, "z_minus_m": -1, "z_zero": 0, "z_amb": 0}


def polemo_sentences(folder: Path) -> list[Sentence]:
    """Polish sentences, each line ending in its ``__label__``."""
    out: list[Sentence] = []
    path = folder / "sentiment" / "pl_polemo_medicine" / "sentences.txt"
    for line in path.read_text("utf-8").splitlines():
        text, _, label = line.rpartition("__label__")
        if text.strip() and label.strip() in POLEMO:
            out.append((text.strip(), POLEMO[label.strip()]))
    return out


NOREC = {"Positive": 1, "Negative": -1, "Neutral": 0}


def norec_sentences(folder: Path) -> list[Sentence]:
    """Norwegian labelled sentences (three classes, train and dev)."""
    out: list[Sentence] = []
    for split in ("train", "dev"):
        path = folder / "sentiment" / "no_norec" / "3class" / f"{split}.json"
        out += [(r["text"].strip(), NOREC[r["label"]]) for r in json.loads(path.read_text("utf-8"))]
    return [s for s in out if s[0]]


def unlabelled_lines(folder: Path) -> Iterator[str]:
    """The unlabelled Norwegian reviews' lines (sentences or headings), in document order."""
    path = folder / "unlabelled" / "no_norec_train_docs.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            for text in json.loads(line)["text"].splitlines():
                if text.strip():
                    yield text.strip()


READERS = {
    "en": hu_liu_sentences,
    "fr": tweet_sentences,
    "pl": polemo_sentences,
    "no": norec_sentences,
}


@dataclass
class Pool:
    """One language's sentences, drawn in a shuffled order, reshuffled when used up."""

    sentences: list[Sentence]
    rng: random.Random
    order: list[int] = field(default_factory=list)

    def draw(self) -> Sentence:
        if not self.order:
            self.order = list(range(len(self.sentences)))
            self.rng.shuffle(self.order)
        return self.sentences[self.order.pop()]


def _rating(polarities: list[int]) -> int:
    """1-5 stars from the sentences' polarities, as ``synthetic_review`` rates its clauses."""
    positives, negatives = polarities.count(1), polarities.count(-1)
    if positives + negatives == 0:
        return 3
    share = positives / (positives + negatives)
    return (
        5 if share > 0.85 else 4 if share > 0.6 else 3 if share > 0.4 else 2 if share > 0.15 else 1
    )


def real_reviews(folder: Path, n: int) -> Iterator[tuple[str, int | None, str, list[str]]]:
    """N reviews (text, rating or None, language, the sentences it is made of) from the dev
    data in ``folder``, languages in turn as in the synthetic mode."""
    rng = random.Random(0)
    pools = {language: Pool(READERS[language](folder), rng) for language in LANGUAGES}
    unlabelled = unlabelled_lines(folder)
    norwegian = 0
    for i in range(n):
        language = LANGUAGES[i % len(LANGUAGES)]
        parts: list[str] = []
        polarities: list[int] = []
        from_unlabelled = language == "no" and norwegian % 2 == 1
        norwegian += language == "no"
        while sum(len(p.split()) for p in parts) < TARGET_WORDS:
            if from_unlabelled:
                parts.append(next(unlabelled))
                continue
            text, polarity = pools[language].draw()
            parts.append(text)
            polarities.append(0 if polarity is None else polarity)
        rating = None if from_unlabelled else _rating(polarities)
        yield " ".join(parts), rating, language, parts


def synthetic_reviews(n: int) -> Iterator[tuple[str, int | None, str, list[str]]]:
    rng = random.Random(0)
    for i in range(n):
        language = LANGUAGES[i % len(LANGUAGES)]
        text, rating = synthetic_review(rng, language)
        yield text, rating, language, text.split(". ")


def write_csv(path: Path, n: int, text_from: Path | None) -> tuple[float, int, int]:
    """Write N reviews; returns the mean word count, and the distinct and all sentences
    the reviews were made of."""
    words = 0
    seen: set[str] = set()
    sentences = 0
    reviews = real_reviews(text_from, n) if text_from else synthetic_reviews(n)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "rating", "best_rating", "language"])
        for i, (text, rating, language, parts) in enumerate(reviews):
            words += len(text.split())
            seen.update(parts)
            sentences += len(parts)
            writer.writerow([f"r{i}", text, "" if rating is None else rating, 5, language])
    return words / n, len(seen), sentences


def stored_units(engine: Any) -> tuple[int, int]:
    """Distinct and all scored units (sentences cut at contrast words) the analysis stored."""
    text = REVIEW_SENTENCE.c.text
    with engine.connect() as connection:
        distinct = connection.execute(select(func.count(func.distinct(text)))).scalar_one()
        total = connection.execute(select(func.count()).select_from(REVIEW_SENTENCE)).scalar_one()
    return int(distinct), int(total)


def cli(*args: str) -> tuple[float, float]:
    """Run ``python -m rivalscope ARGS``; returns wall seconds and the CPU seconds (user and
    system) of the command and its worker processes (fails loudly on errors)."""
    before = _children_cpu()
    started = time.perf_counter()
    run = subprocess.run(
        [*rivalscope_command(), *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"rivalscope {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    return seconds, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    """CPU seconds (user and system) of this process and its finished workers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + _children_cpu()


def one_repetition(folder: Path, csv_path: Path, n: int, workers: list[str]) -> dict[str, float]:
    imported = folder / "imported.db"
    url = f"sqlite:///{imported}"
    import_s, _ = cli("import", str(csv_path), "--company", "Bench", "--new-company", "--db", url)
    pristine = folder / "pristine.db"
    shutil.copy(imported, pristine)
    first_cli, first_cpu = cli("analyze", "--db", url, "--no-progress", *workers)
    again_cli, _ = cli("analyze", "--db", url, "--no-progress", *workers)
    engine = open_database(f"sqlite:///{pristine}")
    count = int(workers[1]) if workers else None
    started, cpu_started = time.perf_counter(), _own_cpu()
    # the same work as analyze_database's first pass, with the training timed on its own
    refresh_database_model(engine, workers=count or os.cpu_count() or 1)
    trained, trained_cpu = time.perf_counter() - started, _own_cpu() - cpu_started
    first = analyze_database(engine, progress=False, workers=count)
    first_in = time.perf_counter() - started
    analysed_cpu = _own_cpu() - cpu_started - trained_cpu
    started = time.perf_counter()
    analyze_database(engine, progress=False, workers=count)
    again_in = time.perf_counter() - started
    distinct_units, all_units = stored_units(engine)
    engine.dispose()
    if first.analyzed != n:
        raise SystemExit(f"analysed {first.analyzed} of {n} reviews")
    for path in folder.glob("*.db*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return {
        "import s": import_s,
        "cli first s": first_cli,
        "cli reviews/s": n / first_cli,
        "cli cpu s": first_cpu,
        "cli re-run s": again_cli,
        "in-process first s": first_in,
        "  of which training s": trained,
        "  training cpu s": trained_cpu,
        "  analysis cpu s": analysed_cpu,
        "in-process reviews/s": n / first_in,
        "in-process re-run s": again_in,
        "re-run ratio": first_in / again_in,
        "distinct units": distinct_units,
        "stored units": all_units,
    }


def main(argv: list[str]) -> int:
    parser = script_parser(__doc__)
    parser.add_argument("n", type=int, metavar="N", help="reviews")
    parser.add_argument("--repeat", type=int, default=3, metavar="K")
    parser.add_argument("--workers", metavar="W", help="rivalscope analyze's --workers")
    parser.add_argument("--text-from", type=Path, metavar="EVAL_DIR")
    args = parser.parse_args(argv[1:])
    n, repeat, text_from = args.n, args.repeat, args.text_from
    workers = ["--workers", args.workers] if args.workers is not None else []
    if text_from is not None and not (text_from / "sentiment").is_dir():
        raise SystemExit(
            f"--text-from {text_from}: no sentiment/ folder there (the dev data folder)"
        )
    rows: list[dict[str, float]] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_path = folder / "reviews.csv"
        words, distinct, sentences = write_csv(csv_path, n, text_from)
        print(
            f"{n} reviews, ~{words:.0f} words each, {os.cpu_count()} cores, "
            f"{'text from ' + str(text_from) if text_from else 'synthetic clauses'}: "
            f"{distinct:,} distinct sentences of {sentences:,}"
        )
        for index in range(repeat):
            loads.append(os.getloadavg()[0])
            row = one_repetition(folder, csv_path, n, workers)
            rows.append(row)
            print(
                f"run {index + 1} (load {loads[-1]:.1f}): "
                + ", ".join(f"{k} {v:,.2f}" for k, v in row.items()),
                flush=True,
            )
    print(f"\nmedians over {repeat} runs, load average {statistics.median(loads):.1f}:")
    for key in rows[0]:
        print(f"  {key:22} {statistics.median(r[key] for r in rows):>10,.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Function words among the candidate aspects, need topics and key phrases, per language.

Usage: python benchmarks/aspect_words.py DATA_DIR [--top N] [--no-docs 3000,300] [--only no,en]

DATA_DIR is the shared evaluation folder (its README gives the sets' licences). Each corpus
is written to a CSV (text, language, id) in a temporary folder, imported with ``rivalscope
import`` into a fresh SQLite database and analysed with ``rivalscope analyze`` (one worker),
both run as commands of the code on PYTHONPATH: run it once with the old code
(``PYTHONPATH=/tmp/old``) and once with the new to compare. Corpora:
- no: NoReC's unlabelled professional reviews (the first 3,000, as the import that showed
  the problem, and the first 300, a user's first crawl; ``--no-skip`` takes a later slice);
- en: Hu & Liu's 313 product reviews (5 products), sentences joined back into reviews;
- pl: PolEmo 2.0 medicine sentences (9,118, each a review: the set has no review ids);
- fr: DEFT 2017 tweets (2,163; tweets, not reviews).

For each it lists the top N candidate aspects (``compare.analysis.discovery``), need topics
and key phrases (by reviews), and scores:
(a) the share of listed items that are function words by stopwords-iso (PyPI
    ``stopwordsiso``, MIT; install it for this script only): an item counts when any of its
    words is on that language's list. The method under test uses no such list (it learns from
    the spread of words, calibrated on our own short stopword lists), so the list is an
    independent judge. It is imperfect both ways: it lacks "kanskje" and "første" (counted
    apart below, as LEAD_EXAMPLES), and it lists content words ("tid", "verdi", "value"),
    so it also counts some real aspects as function words;
(b) of the hand-labelled real aspects (ASPECTS, written from general knowledge of what
    reviews of products, shops, films and music, doctors are about, not from these files)
    that occur in at least MIN_ASPECT_REVIEWS reviews, the share still found as a word of a
    stored key phrase (a word made a stopword, or swallowed by a run, is lost).
Also printed: the load average and the CPU seconds of each ``analyze`` (wall clock is useless
on the shared machine).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import resource
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cli_command import rivalscope_command
from sqlalchemy import create_engine, func, select

MIN_ASPECT_REVIEWS = 3
LEAD_EXAMPLES = {"no": {"kanskje", "her", "når", "første"}}
"""The words the problem report named (stopwords-iso lacks "kanskje" and "første")."""
ASPECTS: dict[str, set[str]] = {
    "no": {
        "pris", "levering", "kundeservice", "kvalitet", "smak", "batteri", "lyd", "bilde",
        "skjerm", "design", "størrelse", "service", "mat", "musikk", "handling",
        "skuespiller", "tid", "verdi", "grafikk", "stemme", "meny", "personale",
    },
    "en": {
        "price", "battery", "screen", "sound", "picture", "quality", "software", "size",
        "weight", "service", "delivery", "design", "feature", "menu", "button", "lens",
        "zoom", "flash", "memory", "remote", "value", "time", "taste",
    },
    "pl": {
        "cena", "jakość", "dostawa", "obsługa", "lekarz", "wizyta", "leczenie", "diagnoza",
        "personel", "gabinet", "czas", "kontakt", "podejście", "badanie", "zabieg", "termin",
        "rejestracja", "smak", "bateria",
    },
    "fr": {
        "prix", "qualité", "livraison", "service", "goût", "batterie", "écran", "taille",
        "énergie", "projet", "temps", "coût", "valeur",
    },
}  # fmt: skip


def norwegian(data: Path, limit: int, skip: int = 0) -> list[str]:
    texts = []
    path = data / "unlabelled/no_norec_train_docs.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if len(texts) >= limit:
                break
            if number >= skip:
                texts.append(json.loads(line)["text"])
    return texts


def polish(data: Path) -> list[str]:
    lines = (data / "sentiment/pl_polemo_medicine/sentences.txt").read_text("utf-8")
    return [
        t for t in (line.rsplit(" __label__", 1)[0].strip() for line in lines.splitlines()) if t
    ]


def french(data: Path) -> list[str]:
    folder = data / "sentiment/fr_tweets"
    lines = []
    for name in ("train_text.txt", "val_text.txt"):
        lines += (folder / name).read_text("utf-8").splitlines()
    return [line for line in lines if line.strip()]


def english(data: Path) -> list[str]:
    """Hu & Liu's reviews: a ``[t]`` title line starts each, its sentences follow ``##``."""
    reviews: list[str] = []
    with zipfile.ZipFile(data / "sentiment/en_hu_liu/product_reviews_1.zip") as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".txt") or name.endswith("README.txt"):
                continue
            review: list[str] = []
            for line in archive.read(name).decode("latin-1").splitlines():
                if line.startswith("[t]"):
                    if review:
                        reviews.append(" ".join(review))
                    review = []
                elif "##" in line:
                    review.append(line.split("##", 1)[1].strip())
            if review:
                reviews.append(" ".join(review))
    return reviews


def rivalscope(*args: str) -> float:
    """Run ``python -m rivalscope ARGS`` (fails loudly); its CPU seconds (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    run = subprocess.run(
        [*rivalscope_command(), *args], capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise SystemExit(f"rivalscope {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime - before


def top_lists(url: str, language: str, top: int) -> dict[str, list[tuple[str, int]]]:
    """Candidate aspects, need topics and key phrases, the most reviews first."""
    from compare.analysis.discovery import candidate_aspects
    from compare.analysis.tables import KEY_PHRASE, REVIEW_NEED
    from compare.analysis.taxonomy import load_taxonomy

    engine = create_engine(url)
    try:
        candidates = [
            (phrase, n)
            for phrase, lang, n in candidate_aspects(engine, load_taxonomy(None), limit=top)
            if lang == language
        ]
        reviews = func.count(func.distinct(KEY_PHRASE.c.review_id))
        with engine.connect() as connection:
            phrases = connection.execute(
                select(KEY_PHRASE.c.phrase, reviews)
                .group_by(KEY_PHRASE.c.phrase)
                .order_by(reviews.desc(), KEY_PHRASE.c.phrase)
                .limit(top)
            ).all()
            topics = connection.execute(
                select(REVIEW_NEED.c.topic, func.count())
                .where(REVIEW_NEED.c.topic.is_not(None))
                .group_by(REVIEW_NEED.c.topic)
                .order_by(func.count().desc(), REVIEW_NEED.c.topic)
                .limit(top)
            ).all()
            words = {
                word
                for (phrase,) in connection.execute(select(KEY_PHRASE.c.phrase).distinct())
                for word in str(phrase).split()
            }
    finally:
        engine.dispose()
    return {
        "candidate aspects": candidates,
        "need topics": [(str(t), int(n)) for t, n in topics],
        "key phrases": [(str(p), int(n)) for p, n in phrases],
        "_words": [(w, 0) for w in sorted(words)],
    }


def present_aspects(texts: list[str], language: str) -> set[str]:
    """The hand-labelled aspects whose lemma occurs in at least MIN_ASPECT_REVIEWS texts."""
    from compare.analysis.text import lemmas, tokenize

    seen: Counter[str] = Counter()
    for text in texts:
        seen.update(set(lemmas(tokenize(text), language)) & ASPECTS[language])
    return {word for word, n in seen.items() if n >= MIN_ASPECT_REVIEWS}


def score(
    items: list[tuple[str, int]], is_function: Callable[[str], bool]
) -> tuple[float, list[str]]:
    flagged = [p for p, _ in items if any(is_function(w) for w in p.split())]
    return (len(flagged) / len(items) if items else 0.0), flagged


def run_corpus(
    name: str, language: str, texts: list[str], top: int, folder: Path
) -> dict[str, object]:
    import stopwordsiso

    judge = set(stopwordsiso.stopwords(language)) | LEAD_EXAMPLES.get(language, set())
    path = folder / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "language"])
        for i, text in enumerate(texts):
            writer.writerow([f"{name}-{i}", text, language])
    url = f"sqlite:///{folder / (name + '.db')}"
    rivalscope("import", str(path), "--company", "Bench", "--new-company", "--db", url)
    cpu = rivalscope("analyze", "--db", url, "--no-progress", "--workers", "1")
    lists = top_lists(url, language, top)
    words = {w for w, _ in lists.pop("_words")}
    present = present_aspects(texts, language)
    kept = present & words
    report: dict[str, object] = {
        "corpus": name,
        "reviews": len(texts),
        "analyze_cpu_s": round(cpu, 1),
    }
    for kind, items in lists.items():
        share, flagged = score(items, judge.__contains__)
        report[kind] = {
            "n": len(items),
            "function_share": round(share, 3),
            "items": [f"{p} {n}" for p, n in items],
            "flagged": flagged,
        }
    report["aspects_kept"] = f"{len(kept)}/{len(present)}"
    report["aspects_lost"] = sorted(present - words)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-docs", default="3000,300", help="Norwegian corpus sizes")
    parser.add_argument("--only", default="no,en,pl,fr")
    parser.add_argument(
        "--no-skip",
        type=int,
        default=0,
        help="Norwegian reviews to skip first (10000: a slice the thresholds were not set on)",
    )
    args = parser.parse_args()
    corpora: list[tuple[str, str, list[str]]] = []
    only = args.only.split(",")
    if "no" in only:
        for size in (int(s) for s in args.no_docs.split(",")):
            texts = norwegian(args.data, size, args.no_skip)
            corpora.append((f"no{size}+{args.no_skip}", "no", texts))
    if "en" in only:
        corpora.append(("en", "en", english(args.data)))
    if "pl" in only:
        corpora.append(("pl", "pl", polish(args.data)))
    if "fr" in only:
        corpora.append(("fr", "fr", french(args.data)))
    print(f"load average {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, language, texts in corpora:
            report = run_corpus(name, language, texts, args.top, Path(tmp))
            print(json.dumps(report, ensure_ascii=False), flush=True)
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()

"""Language detection accuracy on the shared labelled sentences (all four languages).

Usage: python benchmarks/language_detection.py DATA_DIR [--batch N] [--hint]
       (DATA_DIR e.g. ../shared/eval/sentiment; layout in ``sentiment.py``)

Every sentence (train and dev splits: no model is trained here) goes through
``assign_languages`` without a hint, in batches of N (default 1000, the importer's batch), as
the importer assigns languages; the accuracy is the share of sentences given the corpus's
language. Printed per language, with the share of sentences under 120 characters (lingua
reads those with all its n-gram models), the Scandinavian group's accuracy for Norwegian
(no, da or sv: what the source's hint settles), the sentences' assignment alone versus in
their batch (they must agree: a review's language does not depend on its neighbours) and the
CPU seconds of detection, and how often ``detect_languages`` gives lingua's own answer
(``agree``: the same language; ``close``: and a confidence within 1e-4; lingua's
high-accuracy mode run alone on the same texts). ``--hint`` passes each corpus's language as the source's hint
(what a target's ``language`` or ``import --language`` gives).
"""

from __future__ import annotations

import sys
import time

from sentiment import data_folder, load_english, load_french, load_norwegian, load_polish

from settings.language_detection import (
    SCANDINAVIAN,
    _best,
    _detectable,
    _detector,
    detect_languages,
)
from settings.records import ReviewItem
from spiders.pipelines.language import assign_languages

SHORT = 120


def assigned(texts: list[str], batch: int, hint: str | None) -> list[str | None]:
    out: list[str | None] = []
    for start in range(0, len(texts), batch):
        reviews = [ReviewItem(text=t) for t in texts[start : start + batch]]
        assign_languages(reviews, hint)
        out.extend(r.language for r in reviews)
    return out


def agreement(texts: list[str]) -> tuple[int, int]:
    """(same language, and confidence within 1e-4) of ``detect_languages`` and lingua."""
    ours = detect_languages(list(texts))
    readable = [_detectable(t) for t in texts]
    values = _detector().compute_language_confidence_values_in_parallel([t for t in readable if t])
    theirs = iter(values)
    same = close = 0
    for text, (code, confidence) in zip(readable, ours, strict=True):
        lingua_code, lingua_confidence = _best(next(theirs)) if text else (None, 0.0)
        same += code == lingua_code
        close += code == lingua_code and abs(confidence - lingua_confidence) < 1e-4
    return same, close


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    batch = int(argv[argv.index("--batch") + 1]) if "--batch" in argv else 1000
    total = right = 0
    for load in (load_english, load_french, load_norwegian, load_polish):
        corpus = load(root)
        texts = [text for text, _ in corpus.train + corpus.dev]
        started = time.process_time()
        hint = corpus.language if "--hint" in argv else None
        in_batches = assigned(texts, batch, hint)
        seconds = time.process_time() - started
        alone = assigned(texts, 1, hint)
        hits = sum(code == corpus.language for code in in_batches)
        group = sum(
            (code in SCANDINAVIAN) if corpus.language in SCANDINAVIAN else code == corpus.language
            for code in in_batches
        )
        moved = sum(a != b for a, b in zip(alone, in_batches, strict=True))
        same, close = agreement(texts)
        total += len(texts)
        right += hits
        print(
            f"{corpus.language}: {len(texts)} sentences ({sum(len(t) < SHORT for t in texts)} "
            f"under {SHORT} chars) accuracy {hits / len(texts):.4f} group {group / len(texts):.4f} "
            f"alone-vs-batch differ {moved} cpu_s {seconds:.1f} agree {same} close {close}",
            flush=True,
        )
    print(f"all: accuracy {right / total:.4f} over {total} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

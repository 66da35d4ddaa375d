"""Learning curve: how accuracy grows from the base model with 0, 50, 200, 1000 user ratings.

Usage: python benchmarks/sentiment_curve.py DATA_DIR [--seeds 10] [--langs en,no,pl,fr]
           [--sizes 0,50,200,1000]
       python benchmarks/sentiment_curve.py DATA_DIR --choose-c [--langs ...]
       python benchmarks/sentiment_curve.py DATA_DIR --growth [--seeds 3] [--sizes ...]

Per language, the train split is cut in two halves by source document where known (a
document's sentences stay on one side): a base model is trained on one half, and "ratings"
are drawn (seeded) from the other half. Each row is then evaluated on the dev split
(positive vs negative accuracy, the mean over ``--seeds`` draws of the ratings):
- base: the base model alone (what a new user gets on day one);
- guarded: what the guard (``compare.analysis.sentiment.adapted``) chose among base, base
  plus correction and (from 100 ratings, as ``analyze``) a model of the ratings alone, the
  worst draw's accuracy against the base model's, and how often it chose each (the
  guard's folds keep a source document's sentences together, as a user's review is one
  rating);
- ratings only: a model trained from the ratings alone (the path before base models; below
  100 ratings the product used lexicons instead).
French is measured too, though no French base model ships (see ``train_base.py``).

``--sizes`` sets the numbers of ratings (a size above the ratings half uses all of it, as a
user with that many ratings of one domain would; no 1,890, pl 1,228, en 372, fr 613).

``--growth`` (default sizes 500,1000,2000,3000,4000) trains a model of the ratings alone on
ratings drawn from the whole train split, scored on dev: whether accuracy still grows with
more ratings than the halves hold (evidence for a cap on the ratings ``analyze`` trains on).

``--choose-c`` picks the correction's C without reading dev: ratings are drawn from the
second half and the correction is scored on the rest of that half.
"""

from __future__ import annotations

import random
import statistics
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from compare.analysis.sentiment.adapted import (
    ADAPT_SETTINGS,
    AdaptedClassifier,
    adapt_with_guard,
    base_decision,
    fit_adapted,
)
from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import (
    ClassifierSettings,
    SentimentClassifier,
    train_classifier,
)
from compare.analysis.sentiment.labels import POSITIVE
from compare.analysis.training import trainable

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import (
    Corpus,
    Example,
    _binary,
    binary_train_groups,
    data_folder,
    load_english,
    load_french,
    load_norwegian,
    load_polish,
)

SIZES = (0, 50, 200, 1000)
GROWTH_SIZES = (500, 1000, 2000, 3000, 4000)
C_CANDIDATES = (0.3, 1.0, 3.0, 10.0)


Rated = tuple[str, str, str]
"""(text, label, source document)"""


def halves(corpus: Corpus, seed: int = 0) -> tuple[list[Example], list[Rated]]:
    """The binary train examples cut in two by source document (by sentence if unknown);
    the second half keeps each example's document (the guard's folds keep it whole, as a
    user's review is one rating)."""
    rows = _binary(corpus.train)
    groups = binary_train_groups(corpus) or [str(i) for i in range(len(rows))]
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    first = set(names[: len(names) // 2])
    return (
        [r for r, g in zip(rows, groups, strict=True) if g in first],
        [(t, lab, g) for (t, lab), g in zip(rows, groups, strict=True) if g not in first],
    )


def base_and_ratings(corpus: Corpus) -> tuple[SentimentClassifier, list[Rated]]:
    """A base model trained on the first half, and the ratings half."""
    base_half, rating_half = halves(corpus)
    base = train_classifier(
        [t for t, _ in base_half],
        [lab for _, lab in base_half],
        corpus.language,
        base_settings(corpus.language),
    )
    return base, rating_half


def accuracy(positive_scores: np.ndarray, gold: list[str]) -> float:
    return float(np.mean((positive_scores > 0) == (np.asarray(gold) == POSITIVE)))


def base_scores(base: SentimentClassifier, texts: list[str]) -> np.ndarray:
    return base_decision(base, base.counts(texts))


def polarity(model: SentimentClassifier, texts: list[str]) -> np.ndarray:
    return np.asarray([p for p, _, _ in model.score(texts)])


def draw(pool: list[Rated], size: int, seed: int) -> list[Rated]:
    return random.Random(seed).sample(pool, min(size, len(pool)))


def curve(corpus: Corpus, seeds: int, sizes: tuple[int, ...] = SIZES) -> list[str]:
    base, rating_half = base_and_ratings(corpus)
    dev = _binary(corpus.dev)
    texts, gold = [t for t, _ in dev], [lab for _, lab in dev]
    base_accuracy = accuracy(base_scores(base, texts), gold)
    lines = []
    for size in sizes:
        if size == 0:
            lines.append(
                f"| {corpus.language} | 0 | {base_accuracy:.3f} | {base_accuracy:.3f} | - | - | - |"
            )
            continue
        adapted, chosen, alone = [], Counter[str](), []
        for seed in range(seeds):
            ratings = draw(rating_half, size, seed)
            r_texts, r_labels = [t for t, _, _ in ratings], [lab for _, lab, _ in ratings]
            # as ``analyze`` does: a ratings-only model competes where they could train one
            result = adapt_with_guard(
                base,
                r_texts,
                r_labels,
                own_model=trainable([(t, lab) for t, lab, _ in ratings]),
                groups=[g for _, _, g in ratings],
            )
            chosen[result.chosen] += 1
            if isinstance(result.classifier, AdaptedClassifier):
                adapted.append(
                    accuracy(result.classifier.decision(result.classifier.counts(texts)), gold)
                )
            elif result.classifier is not None:
                adapted.append(accuracy(polarity(result.classifier, texts), gold))
            else:
                adapted.append(base_accuracy)
            if len(set(r_labels)) == 2:
                own = train_classifier(r_texts, r_labels, corpus.language)
                alone.append(accuracy(polarity(own, texts), gold))
        used = min(size, len(rating_half))
        lines.append(
            f"| {corpus.language} | {used} | {base_accuracy:.3f} | "
            f"{statistics.mean(adapted):.3f} | {min(adapted) - base_accuracy:+.3f} | "
            f"{' '.join(f'{k} {n}' for k, n in sorted(chosen.items()))} | "
            f"{statistics.mean(alone):.3f} |"
        )
    return lines


def growth(corpus: Corpus, seeds: int, sizes: tuple[int, ...]) -> list[str]:
    """Dev accuracy of a ratings-only model per number of ratings drawn from the whole train
    split (mean, and each draw; one draw when a size takes every rating)."""
    train, dev = _binary(corpus.train), _binary(corpus.dev)
    texts, gold = [t for t, _ in dev], [lab for _, lab in dev]
    lines = []
    for size in sizes:
        used = min(size, len(train))
        scores = []
        for seed in range(seeds if used < len(train) else 1):
            rows = random.Random(seed).sample(train, used)
            model = train_classifier(
                [t for t, _ in rows], [lab for _, lab in rows], corpus.language
            )
            scores.append(accuracy(polarity(model, texts), gold))
        lines.append(
            f"| {corpus.language} | {used} | {statistics.mean(scores):.3f} | "
            + " ".join(f"{x:.3f}" for x in scores)
            + " |"
        )
        if used == len(train):
            break
    return lines


def choose_c(corpus: Corpus, seeds: int) -> list[str]:
    """Per C: mean accuracy of base + correction on the second half's rows not drawn."""
    base, rating_half = base_and_ratings(corpus)
    lines = []
    for size in SIZES[1:]:
        cells = []
        for c in C_CANDIDATES:
            settings = ClassifierSettings(**{**ADAPT_SETTINGS.__dict__, "c": c})
            scores, base_only = [], []
            for seed in range(seeds):
                ratings = draw(rating_half, size, seed)
                drawn = set(map(id, ratings))
                rest = [r for r in rating_half if id(r) not in drawn]
                if len(rest) < 50:
                    continue
                texts, gold = [t for t, _, _ in rest], [lab for _, lab, _ in rest]
                fitted = fit_adapted(
                    base, [t for t, _, _ in ratings], [lab for _, lab, _ in ratings], settings
                )
                scores.append(accuracy(fitted.decision(fitted.counts(texts)), gold))
                base_only.append(accuracy(base_scores(base, texts), gold))
            if scores:
                cells.append(f"C={c}: {statistics.mean(scores):.3f}")
        if cells:
            lines.append(
                f"| {corpus.language} | {size} | base {statistics.mean(base_only):.3f} | "
                + " | ".join(cells)
                + " |"
            )
    return lines


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 10
    wanted = argv[argv.index("--langs") + 1].split(",") if "--langs" in argv else None
    sizes = (
        tuple(int(n) for n in argv[argv.index("--sizes") + 1].split(","))
        if "--sizes" in argv
        else SIZES
    )
    loaders = {"en": load_english, "no": load_norwegian, "pl": load_polish, "fr": load_french}
    if "--growth" in argv:
        print("| lang | ratings (whole train split) | ratings only, dev (mean) | per draw |")
        print("|---|---|---|---|")
        sizes = sizes if "--sizes" in argv else GROWTH_SIZES
    elif "--choose-c" in argv:
        print("| lang | ratings | held-out rest of the ratings half, per C |")
        print("|---|---|---|")
    else:
        print(
            "| lang | ratings | base | guarded choice (mean) | worst draw vs base "
            "| guard chose (draws) | ratings only |"
        )
        print("|---|---|---|---|---|---|---|")
    for lang, load in loaders.items():
        if wanted and lang not in wanted:
            continue
        corpus = load(root)
        if "--growth" in argv:
            lines = growth(corpus, seeds, sizes)
        elif "--choose-c" in argv:
            lines = choose_c(corpus, seeds)
        else:
            lines = curve(corpus, seeds, sizes)
        for line in lines:
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Choose the sentiment classifier's fixed settings by cross-validation on TRAIN splits only.

Usage: python benchmarks/sentiment_cv.py DATA_DIR [--folds 5] [--seeds 1] [--langs en,no,pl,fr]
                                          [--shipped]

``--shipped``: only the settings each base model ships with (``base_models.base_settings``),
to compare a change of features or lexicons against main.

Folds keep each source review's sentences together where the data says which review a
sentence came from (en, no): sentence-level folds let product names leak between folds.
For each language and each candidate setting (word lemma n-grams alone, + character
n-grams, with and without lexicon features, one L2 norm over word and character features
or one per block, NB weighting, C), prints k-fold accuracy (positive vs negative)
on the language's train split, the mean over ``--seeds`` shufflings of the folds (a
sentence is ~0.1 point on the smaller sets: one shuffling cannot tell close settings
apart). The dev splits are never read here; the chosen defaults
live in ``compare.analysis.sentiment.classifier.DEFAULT_SETTINGS``.
Other word sides (surface words, stems, prefixes, cues, lemma vectors) are compared with
the shipped lemmas in ``sentiment_morph_cv.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import ClassifierSettings, cross_validated_accuracy

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import (
    _binary,
    binary_train_groups,
    data_folder,
    load_english,
    load_french,
    load_norwegian,
    load_polish,
)

CANDIDATES: dict[str, ClassifierSettings] = {
    "words C10": ClassifierSettings(c=10.0, char_low=0, char_high=0, lexicon_weight=0.0),
    "words+char2-5 C10": ClassifierSettings(c=10.0, char_low=2, char_high=5, lexicon_weight=0.0),
    "words C10 +lexicon": ClassifierSettings(c=10.0, char_low=0, char_high=0),
    "words+char2-5 C10 +lexicon, one norm": ClassifierSettings(
        c=10.0, char_low=2, char_high=5, separate_norms=False
    ),
    "words+char2-5 C10 +lexicon": ClassifierSettings(c=10.0, char_low=2, char_high=5),
    "words+char3-5 C10 +lexicon": ClassifierSettings(c=10.0, char_low=3, char_high=5),
    "words+char3-4 C10 +lexicon": ClassifierSettings(c=10.0, char_low=3, char_high=4),
    "words C30 +lexicon": ClassifierSettings(c=30.0, char_low=0, char_high=0),
    "words+char2-5 C30 +lexicon": ClassifierSettings(c=30.0, char_low=2, char_high=5),
    "words C10 +lexicon x3": ClassifierSettings(
        c=10.0, char_low=0, char_high=0, lexicon_weight=3.0
    ),
    "words+char2-5 NB C10 +lexicon": ClassifierSettings(
        c=10.0, char_low=2, char_high=5, nb_weight=True
    ),
    "words+char3-5 NB by presence C30 +lexicon, balanced": ClassifierSettings(
        c=30.0, nb_weight=True, nb_presence=True, balanced=True
    ),
}


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    folds = int(argv[argv.index("--folds") + 1]) if "--folds" in argv else 5
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 1
    wanted = argv[argv.index("--langs") + 1].split(",") if "--langs" in argv else None
    loaders = {
        "en": load_english,
        "no": load_norwegian,
        "pl": load_polish,
        "fr": load_french,
    }
    print(
        "| setting | " + " | ".join(lang for lang in loaders if not wanted or lang in wanted) + " |"
    )
    loaded = {lang: load(root) for lang, load in loaders.items() if not wanted or lang in wanted}
    corpora = {lang: _binary(corpus.train) for lang, corpus in loaded.items()}
    groups = {lang: binary_train_groups(corpus) for lang, corpus in loaded.items()}
    candidates: dict[str, ClassifierSettings | None] = dict(CANDIDATES)
    if "--shipped" in argv:
        candidates = {"shipped settings": None}
    for name, chosen in candidates.items():
        cells = []
        for lang, rows in corpora.items():
            settings = chosen or base_settings(lang)
            started = time.perf_counter()
            accuracy = statistics.mean(
                cross_validated_accuracy(
                    [t for t, _ in rows],
                    [lab for _, lab in rows],
                    lang,
                    settings,
                    folds=folds,
                    groups=groups[lang],
                    seed=seed,
                )
                for seed in range(seeds)
            )
            cells.append(f"{accuracy:.4f} ({time.perf_counter() - started:.0f}s)")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

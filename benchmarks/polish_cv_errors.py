"""Where the Polish base model goes wrong: its 5-fold errors on PolEmo's TRAIN split, grouped.

Usage: python benchmarks/polish_cv_errors.py DATA_DIR [--seed 0] [--show]

The base model's settings (``base_models.base_settings("pl")``) fitted on four folds of the
positive/negative train sentences, each held-out fold labelled; the errors are counted by
gold label and by a few general surface cues that overlap (a negation word in the sentence,
a mention of another or an earlier doctor, scare quotes, a contrast word, a person ending
split off its verb as PolEmo writes them: "była m"), and by how sure the model was.
``--show`` prints every error with its positive probability. The dev split is never read.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import TrainingCounts
from compare.analysis.sentiment.labels import POSITIVE

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, data_folder, load_polish

CUES = {
    "negation word": r"\b(nie|nic|niczego|żadn\w*|nigdy|bez|zero|ani)\b",
    "another or earlier doctor": r"\b(inn\w*|poprzedni\w*|zmieni\w*|wcześniej\w*)\b",
    "scare quotes": r'"',
    "contrast word": r"\b(ale|jednak|lecz|niestety|mimo|chociaż|choć|natomiast)\b",
    "split person ending": r"\b\w+ (m|em|śmy|ście)\b",
}
SURE = 0.9


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    rows = _binary(load_polish(root).train)
    texts = [text for text, _ in rows]
    gold = np.asarray([label for _, label in rows])
    positive = np.zeros(len(texts))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    for train, held in folds.split(np.zeros(len(gold)), gold):
        counts = TrainingCounts.of([texts[i] for i in train], "pl", base_settings("pl"))
        model = counts.fit(list(gold[train]))
        probabilities = model.probabilities(model.counts([texts[i] for i in held]))
        positive[held] = probabilities[:, model.classes.index(POSITIVE)]
    wrong = [i for i in range(len(texts)) if (positive[i] > 0.5) != (gold[i] == POSITIVE)]
    print(
        f"{len(texts)} sentences, accuracy {1 - len(wrong) / len(texts):.4f}, errors {len(wrong)}"
    )
    for label in ("positive", "negative"):
        of_label = int((gold == label).sum())
        missed = sum(gold[i] == label for i in wrong)
        print(f"gold {label}: {missed} of {of_label} wrong ({missed / of_label:.1%})")
    sure = sum(max(positive[i], 1 - positive[i]) >= SURE for i in wrong)
    print(f"errors the model was {SURE:.0%} sure of: {sure}")
    print("| cue | sentences | errors (gold pos / neg) | error rate |")
    for name, pattern in CUES.items():
        cue = re.compile(pattern, re.IGNORECASE)
        having = [i for i in range(len(texts)) if cue.search(texts[i])]
        errors = [i for i in wrong if cue.search(texts[i])]
        pos = sum(gold[i] == POSITIVE for i in errors)
        rate = len(errors) / len(having) if having else 0.0
        print(
            f"| {name} | {len(having)} | {len(errors)} ({pos} / {len(errors) - pos}) | {rate:.1%} |"
        )
    if "--show" in argv:
        for i in sorted(wrong, key=lambda i: positive[i]):
            print(f"{gold[i]}\t{positive[i]:.2f}\t{texts[i]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

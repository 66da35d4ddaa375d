"""Does the Polish base model gain from PolEmo's dev half as training data? (reads dev once)

Usage: python benchmarks/polish_halves.py DATA_DIR [--draws 2]

Polish is short of data, not of settings (``sentiment_ceiling.py``: every learner, feature
and setting tried on the train split is within noise of the shipped ones). So: should the
shipped model learn from both halves of the data set (``train_base.BOTH_HALVES``)? Its
settings stay those chosen on the train split; this script measures, on positive/negative
dev sentences never trained on, what more sentences of the same kind bring:
- the base settings fitted on a seeded half of the train split, and on all of it;
- per draw, dev cut in two seeded halves: each half scored by a fit on the train split
  alone and by a fit on the train split plus the other dev half (1.5 times the sentences),
  the two halves' accuracies pooled over every dev sentence.
Dev is the measure here: run it once, after the settings are chosen.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import train_classifier
from compare.analysis.sentiment.labels import POSITIVE

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import Example, _binary, data_folder, load_polish


def accuracy(train: list[Example], held: list[Example], language: str = "pl") -> float:
    """Positive/negative accuracy on ``held`` of the base settings fitted on ``train``."""
    model = train_classifier(
        [t for t, _ in train], [lab for _, lab in train], language, base_settings(language)
    )
    polarity = np.asarray([p for p, _, _ in model.score([t for t, _ in held])])
    gold = np.asarray([lab == POSITIVE for _, lab in held])
    return float(np.mean((polarity > 0) == gold))


def halves_study(train: list[Example], dev: list[Example], draws: int) -> list[tuple[str, float]]:
    """The table's rows: (what was fitted, accuracy on the dev sentences it did not see)."""
    rows = [("train split", accuracy(train, dev))]
    for draw in range(draws):
        half = random.Random(draw).sample(train, len(train) // 2)
        rows.append((f"half of the train split, draw {draw}", accuracy(half, dev)))
    for draw in range(draws):
        order = list(range(len(dev)))
        random.Random(100 + draw).shuffle(order)
        first = [dev[i] for i in order[: len(order) // 2]]
        second = [dev[i] for i in order[len(order) // 2 :]]
        alone = accuracy(train, first) * len(first) + accuracy(train, second) * len(second)
        more = accuracy(train + second, first) * len(first)
        more += accuracy(train + first, second) * len(second)
        rows.append((f"dev halves, draw {draw}: train split alone", alone / len(dev)))
        rows.append((f"dev halves, draw {draw}: train split + the other half", more / len(dev)))
    return rows


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    draws = int(argv[argv.index("--draws") + 1]) if "--draws" in argv else 2
    corpus = load_polish(root)
    train, dev = _binary(corpus.train), _binary(corpus.dev)
    print(f"pl: {len(train)} train, {len(dev)} dev positive/negative sentences\n")
    print("| fitted on | dev accuracy |")
    print("|---|---|")
    for name, value in halves_study(train, dev, draws):
        print(f"| {name} | {value:.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Lexicon fallbacks with each rule of ``normalise`` left out, per language (TRAIN splits).

Usage: python benchmarks/sentiment_normalise.py DATA_DIR [--split train|dev] [--langs fr,en,no,pl]

The lexicon fallback (``compare.analysis.sentiment.lexicon``) reads a text's tokens through
``normalise.lexicon_tokens``: elongated letters, hashtags, capitals, missing accents. Lexicons
learn nothing from the data, so a plain accuracy on each train split (positive vs negative;
a zero, no opinion word, counts as positive, as the fallback labels it) compares the rules.
Prints per language: the shipped rules, none, each of them left out and each rule left out
of the shipped ones added, with one standard error and the texts gained and lost against
the shipped rules (a paired count). French is the language whose
day one is this fallback; en, no and pl (whose day one is a base model) must not lose.
The dev split is read once, for what is kept (``--split dev``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from compare.analysis.sentiment import lexicon as fallback
from compare.analysis.sentiment import normalise
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, data_folder, load_english, load_french, load_norwegian, load_polish
from sentiment_lexicons import paired_cells

LOADERS = {"fr": load_french, "en": load_english, "no": load_norwegian, "pl": load_polish}


@contextmanager
def steps_in_use(steps: frozenset[str]) -> Iterator[None]:
    shipped = normalise.STEPS
    normalise.STEPS = steps
    try:
        yield
    finally:
        normalise.STEPS = shipped


def right_or_wrong(texts: list[str], gold: list[str], language: str) -> list[bool]:
    """Per text: does the fallback's polarity have the label's sign (0 counts positive)."""
    # the fallback's own polarities, also for Polish, whose day one is its base model
    polarities = fallback._valence_polarities(texts, language)
    return [
        (p >= 0 and g == POSITIVE) or (p < 0 and g == NEGATIVE)
        for p, g in zip(polarities, gold, strict=True)
    ]


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    split = argv[argv.index("--split") + 1] if "--split" in argv else "train"
    langs = argv[argv.index("--langs") + 1].split(",") if "--langs" in argv else list(LOADERS)
    shipped = normalise.STEPS
    variants = {"shipped rules: " + "+".join(sorted(shipped)): shipped, "no rule": frozenset()}
    variants |= {f"without {step}": shipped - {step} for step in sorted(shipped)}
    variants |= {f"with {step}": shipped | {step} for step in sorted(normalise.RULES - shipped)}
    print("| language | rules | accuracy | one s.e. | vs shipped rules (gained/lost) |")
    print("|---|---|---|---|---|")
    for language in langs:
        corpus = LOADERS[language](root)
        rows = _binary(corpus.train if split == "train" else corpus.dev)
        texts, gold = [t for t, _ in rows], [g for _, g in rows]
        reference: list[bool] | None = None
        for name, steps in variants.items():
            with steps_in_use(steps):
                right = right_or_wrong(texts, gold, language)
            reference = reference or right
            cells = paired_cells(right, reference)
            print(f"| {language} ({len(texts)}) | {name} | {cells} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

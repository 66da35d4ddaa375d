"""French day one: the lexicon fallback's accuracy with each lexicon channel, on the TRAIN split.

Usage: python benchmarks/sentiment_lexicons.py DATA_DIR [--split train|dev] [--extra NAME=FILE ...]

French ships no model (no French labelled data whose licence lets a model ship), so its day
one is the lexicon fallback (``compare.analysis.sentiment.lexicon``). Lexicons learn nothing
from the tweets, so a plain accuracy on the train split (positive vs negative, a zero
counted as the fallback scores it) compares them; the dev split is read once, for what is
kept (``--split dev``). Prints the shipped channels, each of them left out, and each
``--extra`` candidate added to the shipped ones and alone, with one standard error and the
tweets gained and lost against the shipped set (a paired count).
A candidate FILE is a JSON object of word -> AFINN value (-5 .. 5, scaled by 0.8 as the
AFINN lists are) or lines ``word<TAB>valence`` / ``word->valence`` on VADER's scale;
entries with a space are left out (our tokens are single words).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from compare.analysis.sentiment import lexicon as fallback
from compare.analysis.sentiment import lexicon_features
from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon_features import CHANNELS, Lexicon

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import _binary, data_folder, load_french

LANGUAGE = "fr"


def read_candidate(path: Path) -> Lexicon:
    """A candidate word list (see the module doc), lower-cased words of two letters or more."""
    text = path.read_text("utf-8")
    pairs: list[tuple[str, float]]
    if path.suffix == ".json":
        pairs = [(str(k), 0.8 * float(v)) for k, v in json.loads(text).items()]
    else:
        pairs = []
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            word, sep, value = line.rpartition("\t" if "\t" in line else "->")
            if sep:
                pairs.append((word, float(value)))
    return {w.lower(): v for w, v in pairs if v and len(w) >= 2 and " " not in w}


def _clear_caches() -> None:
    lexicon_features.load_lexicon.cache_clear()
    lexicon_features.opinion_words.cache_clear()
    lexicon_features.lookup_words.cache_clear()
    fallback._analyzer.cache_clear()


@contextmanager
def channels_in_use(
    language: str, channels: tuple[str, ...], extra: dict[str, Callable[[], Lexicon]]
) -> Iterator[None]:
    """Within: the language's fallback reads ``channels`` (shipped names or ``extra`` ones);
    the shipped channels and sources are back afterwards."""
    shipped = CHANNELS.get(language)
    sources = dict(lexicon_features._SOURCES)
    lexicon_features._SOURCES.update(extra)
    CHANNELS[language] = channels
    _clear_caches()
    try:
        yield
    finally:
        lexicon_features._SOURCES.clear()
        lexicon_features._SOURCES.update(sources)
        if shipped is None:
            del CHANNELS[language]
        else:
            CHANNELS[language] = shipped
        _clear_caches()


def right_or_wrong(texts: list[str], gold: list[str], language: str) -> list[bool]:
    """Per text: does the fallback's polarity have the label's sign."""
    scores = fallback.lexicon_scores(texts, language)
    return [
        (p > 0 and g == POSITIVE) or (p < 0 and g == NEGATIVE)
        for (p, _, _), g in zip(scores, gold, strict=True)
    ]


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    split = argv[argv.index("--split") + 1] if "--split" in argv else "train"
    extra: dict[str, Callable[[], Lexicon]] = {}
    for i, word in enumerate(argv):
        if word == "--extra" and i + 1 < len(argv):
            name, _, file = argv[i + 1].partition("=")
            extra[name] = lambda path=Path(file): read_candidate(path)
    corpus = load_french(root)
    rows = _binary(corpus.train if split == "train" else corpus.dev)
    texts, gold = [t for t, _ in rows], [g for _, g in rows]
    shipped = CHANNELS[LANGUAGE]
    variants: dict[str, tuple[str, ...]] = {"shipped: " + "+".join(shipped): shipped}
    for left in shipped:
        variants[f"without {left}"] = tuple(c for c in shipped if c != left)
    for name in extra:
        variants[f"shipped + {name}"] = (*shipped, name)
        variants[f"{name} alone"] = (name,)
    print(f"French {split} split: {len(texts)} positive/negative tweets")
    print("| channels | accuracy | one s.e. | vs shipped (tweets gained/lost) |")
    print("|---|---|---|---|")
    reference: list[bool] | None = None
    for name, channels in variants.items():
        with channels_in_use(LANGUAGE, channels, extra):
            right = right_or_wrong(texts, gold, LANGUAGE)
        reference = reference or right
        print(f"| {name} | {paired_cells(right, reference)} |", flush=True)
    return 0


def paired_cells(right: list[bool], reference: list[bool]) -> str:
    """Table cells of one variant: accuracy, one standard error, and the texts it gets right
    and ``reference`` wrong and the other way round (a paired count)."""
    accuracy = sum(right) / len(right)
    gained = sum(r and not s for r, s in zip(right, reference, strict=True))
    lost = sum(s and not r for r, s in zip(right, reference, strict=True))
    error = math.sqrt(accuracy * (1 - accuracy) / len(right))
    return f"{accuracy:.3f} | {error:.3f} | +{gained}/-{lost}"


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""How should a base model say "no opinion"? Measured on the train splits only.

Usage: python benchmarks/sentiment_neutral.py DATA_DIR [--seeds N] [--languages pl,no] [--quick] [--dev]

Polish (PolEmo) and Norwegian (NoReC) label sentences without an opinion as neutral. For
each, 5-fold cross-validation on the train split (grouped by review for Norwegian; PolEmo's
sentences carry no review id), stratified by the three labels, compares ways of labelling a
held-out sentence:
- ``band``: the binary (positive/negative) base model, neutral when |polarity| < 0.2 (what
  ships before this benchmark);
- ``3-class``: one model trained on the three labels, the likeliest label;
- ``opinion>t``: the binary base model for the sign, and an opinion detector (a second
  logistic regression on the base model's own feature rows, trained on opinion against
  neutral sentences) saying neutral when its probability of no opinion exceeds ``t``;
- ``own-vocab>t``: the same with a detector of its own vocabulary (all sentences).
Printed per way, over the held-out sentences of all folds: ``acc`` positive/negative
accuracy by the polarity's sign (the official metric; the ``opinion`` ways keep the base
model's sign, so theirs is the base model's), ``kept`` opinion sentences given their own
label (neutral counts wrong), ``lost`` opinion sentences labelled neutral, ``neutral ok``
neutral sentences labelled neutral, ``fact->neg`` neutral sentences labelled negative
(facts counted as complaints) and ``neg prec`` the share of sentences labelled negative
that are negative. ``--quick``: the band and the own-vocabulary detector only. ``--dev``: no
cross-validation; the shipped base model alone against the day-one scorer on the dev split.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import (
    DEFAULT_SETTINGS,
    ClassifierSettings,
    train_classifier,
)
from compare.analysis.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE
from compare.analysis.sentiment.lexicon_features import lexicon_channels, lexicon_counts
from compare.analysis.sentiment.logistic import fit_logistic
from compare.analysis.sentiment.vectorizer import token_lists

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import Corpus, data_folder, load_norwegian, load_polish

OPINION = "opinion"
THRESHOLDS = (0.4, 0.5, 0.6, 0.7)
SHARED_C = 1.0


@dataclass
class Tally:
    acc: int = 0
    opinions: int = 0
    kept: int = 0
    lost: int = 0
    neutrals: int = 0
    neutral_ok: int = 0
    fact_negative: int = 0
    labelled_negative: int = 0
    right_negative: int = 0
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)

    def add(self, polarity: np.ndarray, labels: list[str], gold: np.ndarray) -> None:
        self.gold += gold.tolist()
        self.predicted += labels
        for p, label, g in zip(polarity.tolist(), labels, gold.tolist(), strict=True):
            if label == NEGATIVE:
                self.labelled_negative += 1
                self.right_negative += g == NEGATIVE
            if g == NEUTRAL:
                self.neutrals += 1
                self.neutral_ok += label == NEUTRAL
                self.fact_negative += label == NEGATIVE
                continue
            self.opinions += 1
            self.acc += (p > 0 and g == POSITIVE) or (p < 0 and g == NEGATIVE)
            self.kept += label == g
            self.lost += label == NEUTRAL

    def row(self, name: str) -> str:
        from sklearn.metrics import f1_score

        three = sum(p == g for p, g in zip(self.predicted, self.gold, strict=True))
        return (
            f"| {name} | {self.acc / self.opinions:.3f} | {self.kept / self.opinions:.3f} | "
            f"{self.lost / self.opinions:.3f} | {self.neutral_ok / self.neutrals:.3f} | "
            f"{self.fact_negative / self.neutrals:.3f} | "
            f"{self.right_negative / max(self.labelled_negative, 1):.3f} | "
            f"{three / len(self.gold):.3f} | "
            f"{f1_score(self.gold, self.predicted, average='macro'):.3f} |"
        )


def _signed_labels(polarity: np.ndarray, neutral: np.ndarray) -> list[str]:
    return [
        NEUTRAL if n else (POSITIVE if p > 0 else NEGATIVE)
        for p, n in zip(polarity.tolist(), neutral.tolist(), strict=True)
    ]


def _folds(corpus: Corpus, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    gold = np.asarray([lab for _, lab in corpus.train])
    if corpus.train_groups is not None:
        splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed)
        return list(splitter.split(np.zeros(len(gold)), gold, corpus.train_groups))
    plain = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return list(plain.split(np.zeros(len(gold)), gold))


def measure(corpus: Corpus, seeds: int, quick: bool) -> dict[str, Tally]:
    texts = [t for t, _ in corpus.train]
    gold = np.asarray([lab for _, lab in corpus.train])
    settings = base_settings(corpus.language)
    tallies: dict[str, Tally] = {}

    def tally(name: str) -> Tally:
        return tallies.setdefault(name, Tally())

    for seed in range(seeds):
        for train_idx, test_idx in _folds(corpus, seed):
            train_texts = [texts[i] for i in train_idx]
            test_texts = [texts[i] for i in test_idx]
            train_gold, test_gold = gold[train_idx], gold[test_idx]
            opinion_rows = np.flatnonzero(train_gold != NEUTRAL)
            base = train_classifier(
                [train_texts[i] for i in opinion_rows],
                list(train_gold[opinion_rows]),
                corpus.language,
                settings,
            )
            test_counts = base.counts(test_texts)
            probabilities = base.probabilities(test_counts)
            polarity = np.asarray([s[0] for s in base.polarity_and_label(probabilities)])
            tally("band 0.2").add(
                polarity, [s[1] for s in base.polarity_and_label(probabilities)], test_gold
            )

            if not quick:
                three = train_classifier(train_texts, list(train_gold), corpus.language, settings)
                scored = three.score(test_texts)
                tally("3-class").add(
                    np.asarray([s[0] for s in scored]), [s[1] for s in scored], test_gold
                )

                opinion_gold = np.where(train_gold == NEUTRAL, NEUTRAL, OPINION)
                detector = fit_logistic(
                    base._features(base.counts(train_texts)), opinion_gold, SHARED_C
                )
                none = detector.predict_proba(base._features(test_counts))[:, 0]
                for t in THRESHOLDS[1:]:
                    tally(f"shared C=1 >{t}").add(
                        polarity, _signed_labels(polarity, none > t), test_gold
                    )
            opinion_gold = np.where(train_gold == NEUTRAL, NEUTRAL, OPINION)
            channels = lexicon_channels(corpus.language)
            found = lexicon_counts(channels, corpus.language, token_lists(test_texts))
            has_word = np.asarray(abs(found).sum(axis=1)).ravel() > 0
            for name, own_settings in (
                ("own-vocab", DEFAULT_SETTINGS),
                *([] if quick else [("own-vocab words", ClassifierSettings(char_high=0))]),
            ):
                own = train_classifier(
                    train_texts, list(opinion_gold), corpus.language, own_settings
                )
                own_none = own.probabilities(own.counts(test_texts))[:, 0]
                for t in THRESHOLDS:
                    tally(f"{name} >{t}").add(
                        polarity, _signed_labels(polarity, own_none > t), test_gold
                    )
                    # a sentence with a word of the language's lexicons keeps its sign
                    tally(f"{name} >{t}, no lexicon word").add(
                        polarity, _signed_labels(polarity, (own_none > t) & ~has_word), test_gold
                    )
    return tallies


def dev_once(corpus: Corpus) -> dict[str, Tally]:
    """The shipped base model alone (band) against the day-one scorer (base model and
    shipped opinion detector) on the dev split: read once, after the choice."""
    from compare.analysis.sentiment.base_models import load_base
    from compare.analysis.sentiment.scorer import SentimentScorer

    texts = [t for t, _ in corpus.dev]
    gold = np.asarray([lab for _, lab in corpus.dev])
    base = load_base(corpus.language)
    assert base is not None
    out: dict[str, Tally] = {}
    for name, scores in (
        ("shipped base model, band 0.2", base.score(texts)),
        ("day one: base model + opinion detector", SentimentScorer().score(texts, corpus.language)),
    ):
        out[name] = Tally()
        out[name].add(np.asarray([s[0] for s in scores]), [s[1] for s in scores], gold)
    return out


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 1
    wanted = (
        argv[argv.index("--languages") + 1].split(",") if "--languages" in argv else ["pl", "no"]
    )
    loaders = {"pl": load_polish, "no": load_norwegian}
    for language in wanted:
        corpus = loaders[language](root)
        if "--dev" in argv:
            print(f"\n{language}: {len(corpus.dev)} dev sentences")
        else:
            print(f"\n{language}: {len(corpus.train)} train sentences, 5 folds x {seeds}")
        print("| way | acc | kept | lost | neutral ok | fact->neg | neg prec | 3-way acc | F1-3 |")
        print("|---|---|---|---|---|---|---|---|---|")
        found = dev_once(corpus) if "--dev" in argv else measure(corpus, seeds, "--quick" in argv)
        for name, result in found.items():
            print(result.row(name))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

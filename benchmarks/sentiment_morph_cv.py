"""Do morphological word features help the sentiment classifier? (train splits only)

Usage: python benchmarks/sentiment_morph_cv.py DATA_DIR [--seeds 3] [--langs en,no,pl]
         [--variants a,b,...] [--dev]
       python benchmarks/sentiment_morph_cv.py DATA_DIR --lemma-vectors UNLABELLED.jsonl.gz
       python benchmarks/sentiment_morph_cv.py DATA_DIR --lexicon-stems
  DATA_DIR    the labelled sentences (../shared/eval/sentiment)
  UNLABELLED  ../shared/eval/unlabelled/no_norec_train_docs.jsonl.gz
The ``snowball`` variants and ``--lexicon-stems`` need ``pip install snowballstemmer``
(not a dependency of the package).

The shipped classifier's word features are simplemma lemmas (uni- and bigrams, negation
scope) beside character 3-5-grams of the surface words and lexicon sums. Each variant
below changes only the word side, in this script (a ``FeatureVectorizer`` subclass swapped
into ``classifier._vectorizer``), everything else as the language's base model is trained
(``base_models.base_settings``):
- ``surface``: the lower-cased words instead of their lemmas;
- ``lemma+surface``: the lemma features plus each word whose lemma differs from it;
- ``prefix5`` / ``prefix6``: each word cut to its first 5 (6) letters instead of its lemma
  (truncation stemming, a crude stand-in for a stemmer in inflected languages);
- ``lemma+prefix5``: the lemma features plus the 5-letter prefixes;
- ``snowball`` / ``lemma+snowball``: Snowball stems (the ``snowballstemmer`` package, which
  has en, no, pl and fr stemmers) instead of, or beside, the lemmas;
- ``chars-of-lemma``: the character n-grams of the lemma instead of the surface word;
- ``chars-of-both``: the character n-grams of the word and of its lemma;
- ``cues``: pooled language-independent cues as extra tokens: ``!``, ``?``, runs of dots,
  emoticons and emoji (each a token of its own, so also its own word feature);
- ``lexicon-stems``: the lemma features, and the lexicon features also find opinion words
  by Snowball stem (``stem_hits_in_use``).

Folds: 5-fold, stratified, grouped by source document where the data has one (en: review,
no: the NoReC document prefix of sent_id); pl and fr have none. Every variant runs on the
same folds as the baseline, so per fold the difference is paired: the table gives the mean
accuracy over ``--seeds`` shufflings x 5 folds, and the paired difference to ``lemma``
(the shipped features) as mean +- its standard error over those folds (folds of different
shufflings overlap, so the error is optimistic; call a variant better only well past 2
errors). ``--dev`` instead trains each named variant on the whole train split and reports
dev accuracy once (only for final candidates).
``--lemma-vectors``: Norwegian word vectors learnt (``word_vectors.train_vectors``, the
shipped recipe and size) on the unlabelled reviews' lemmas and looked up by lemma, against
the shipped surface-word vectors, and both, on paired grouped folds.
``--lexicon-stems``: the fallback lexicons (no training) with a Snowball-stem look-up for
tokens whose form and lemma no lexicon knows, on each train split.

Results (2026-12-05, 3 shufflings x 5 folds; diff = paired difference to the shipped
``lemma`` features, +- standard error over the 15 folds):

| variant | en (731, grouped) | no (3894, grouped) | pl (2455) |
|---|---|---|---|
| lemma (shipped) | .8623 (sd .030) | .7861 (sd .010) | .8239 (sd .012) |
| surface | -.0037 +- .0021 | -.0038 +- .0015 | -.0062 +- .0025 |
| lemma+surface | -.0009 +- .0015 | -.0007 +- .0009 | -.0033 +- .0016 |
| prefix5 | -.0028 +- .0022 | -.0032 +- .0012 | -.0054 +- .0024 |
| prefix6 | -.0027 +- .0022 | -.0027 +- .0013 | -.0065 +- .0021 |
| lemma+prefix5 | -.0032 +- .0019 | -.0021 +- .0009 | -.0042 +- .0016 |
| snowball | -.0028 +- .0028 | -.0028 +- .0013 | -.0038 +- .0025 |
| lemma+snowball | -.0027 +- .0024 | -.0022 +- .0011 | -.0035 +- .0021 |
| chars-of-lemma | +.0005 +- .0016 | -.0038 +- .0017 | -.0026 +- .0020 |
| chars-of-both | +.0032 +- .0021 | -.0014 +- .0011 | -.0001 +- .0016 |
| cues | -.0005 +- .0017 | +.0021 +- .0007 | +.0008 +- .0012 |
| lexicon-stems | -.0023 +- .0038 | -.0022 +- .0013 | +.0020 +- .0014 |

Lemmas (what ships) beat every stemmed or surface word side in every language; no variant
gains beyond noise in more than one language. The one look at dev, for ``cues`` (the only
variant past two errors anywhere): en .835 -> .835, no .786 -> .789, pl .826 -> .829
(2 and 7 sentences): not shipped, too small for a new tokenisation on the analyse path.
Norwegian vectors: lemma vectors -.0017 +- .0021, surface and lemma vectors both +.0024 +-
.0013 (and another 3 MB): not shipped. Fallback lexicons with the stem look-up, train
splits: en .8153 -> .8016, no .7162 -> .7139, pl (seed words only) .5735 -> .5927, fr
.7284 -> .7333 (fr read only to check): two languages lose, and only French scores by its
fallback on day one; inside the Polish model (``lexicon-stems`` above) the gain is within
noise. Not shipped (and it would add snowballstemmer as a dependency).
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment import classifier as classifier_module
from compare.analysis.sentiment.base_models import base_settings
from compare.analysis.sentiment.classifier import ClassifierSettings, train_classifier
from compare.analysis.sentiment.vectorizer import FeatureVectorizer
from compare.analysis.text import lemmas as lemmatize
from compare.analysis.text import tokenize

sys.path.insert(0, str(Path(__file__).parent))
from sentiment import (
    _binary,
    _pos_neg_accuracy,
    binary_train_groups,
    data_folder,
    load_english,
    load_french,
    load_norwegian,
    load_polish,
)

SURFACE = "="
"""Prefix of surface-word features (never a lemma's first character: tokens are letters)."""
PREFIX = ">"
_CUE = re.compile(
    r"!+|\?+|\.{2,}|…|[:;=]-?[)(DPp]|<3|[\U0001F300-\U0001FAFF\u2600-\u27BF]",
)


STEM = "#"
_SNOWBALL = {"en": "english", "no": "norwegian", "pl": "polish", "fr": "french"}


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    import snowballstemmer  # study only: not a dependency of the package

    return snowballstemmer.stemmer(_SNOWBALL[language])


@lru_cache(maxsize=200_000)
def _stem(token: str, language: str) -> str:
    return str(_stemmer(language).stemWord(token))


def _stems(tokens: list[str], language: str) -> list[str]:
    return [_stem(t, language) for t in tokens]


def _prefixes(tokens: list[str], size: int) -> list[str]:
    return [t[:size] for t in tokens]


class MorphVectorizer(FeatureVectorizer):
    """``FeatureVectorizer`` with another word side (see the module docstring)."""

    variant = "lemma"

    def word_features(self, tokens: list[str], lemmas: list[str] | None = None) -> list[str]:
        bases = lemmas if lemmas is not None else lemmatize(tokens, self.language)
        variant = self.variant
        if variant == "surface":
            return super().word_features(tokens, list(tokens))
        if variant == "snowball":
            return super().word_features(tokens, _stems(tokens, self.language))
        if variant in ("prefix5", "prefix6"):
            return super().word_features(tokens, _prefixes(tokens, int(variant[-1])))
        words = super().word_features(tokens, bases)
        if variant == "lemma+surface":
            words += [SURFACE + t for t, b in zip(tokens, bases, strict=True) if t != b]
        elif variant == "lemma+snowball":
            words += [STEM + s for s in _stems(tokens, self.language)]
        elif variant == "lemma+prefix5":
            words += [PREFIX + p for p in _prefixes(tokens, 5)]
        return words

    def _char_sources(self, token_lists: list[list[str]]) -> list[list[str]]:
        if self.variant == "chars-of-lemma":
            return [lemmatize(t, self.language) for t in token_lists]
        if self.variant == "chars-of-both":
            out = []
            for tokens in token_lists:
                bases = lemmatize(tokens, self.language)
                out.append(tokens + [b for t, b in zip(tokens, bases, strict=True) if b != t])
            return out
        return token_lists

    def fit_transform(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        feature_lists = self._feature_lists(token_lists, lemma_lists)
        sources = self._char_sources(token_lists)
        self._fit_features(feature_lists, sources)
        return self._count_rows(feature_lists, sources)

    def transform(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        feature_lists = self._feature_lists(token_lists, lemma_lists)
        return self._count_rows(feature_lists, self._char_sources(token_lists))


VARIANTS = (
    "lemma",
    "surface",
    "lemma+surface",
    "prefix5",
    "prefix6",
    "lemma+prefix5",
    "snowball",
    "lemma+snowball",
    "chars-of-lemma",
    "chars-of-both",
    "cues",
    "lexicon-stems",
)


def with_cues(text: str) -> str:
    """The text with each cue (!, ?, dots, emoticon, emoji) also written as a letter token
    (``zcueNAME``), so ``tokenize`` keeps it."""
    return _CUE.sub(lambda m: f" {m.group(0)} zcue{_cue_name(m.group(0))} ", text)


def _cue_name(cue: str) -> str:
    if cue.startswith("!"):
        return "bang"
    if cue.startswith("?"):
        return "query"
    if cue[0] in ".…":
        return "dots"
    if cue in (":)", ":-)", ";)", ";-)", "=)", ":D", ":-D", ":P", ":p", "<3", "=D"):
        return "smile"
    if cue[0] in ":;=":
        return "frown"
    return "emoji" + "".join(chr(ord("a") + int(c, 16)) for c in format(ord(cue), "x"))


@contextmanager
def variant_in_use(variant: str) -> Iterator[Callable[[str], str]]:
    """Within: ``train_classifier`` builds the variant's vectoriser (the product's factory
    comes back after); yields what to do to each text first."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}: one of {', '.join(VARIANTS)}")
    vectorizer_variant = "lemma" if variant in ("cues", "lexicon-stems") else variant

    def make(language: str, settings: ClassifierSettings) -> FeatureVectorizer:
        vectorizer = MorphVectorizer(language, settings.char_low, settings.char_high)
        vectorizer.variant = vectorizer_variant
        return vectorizer

    product = classifier_module._vectorizer
    classifier_module._vectorizer = make
    try:
        if variant == "lexicon-stems":
            with stem_hits_in_use():
                yield lambda text: text
        else:
            yield with_cues if variant == "cues" else (lambda text: text)
    finally:
        classifier_module._vectorizer = product


def fold_accuracies(
    texts: list[str],
    labels: list[str],
    groups: list[str] | None,
    language: str,
    variant: str,
    seeds: int,
) -> list[float]:
    """Accuracy per fold (seeds x 5 folds, in a fixed order)."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    target = np.asarray(labels)
    settings = base_settings(language)
    out: list[float] = []
    with variant_in_use(variant) as prepare:
        prepared = [prepare(t) for t in texts]
        for seed in range(seeds):
            splitter = (
                StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(
                    np.zeros(len(labels)), target, groups
                )
                if groups is not None
                else StratifiedKFold(5, shuffle=True, random_state=seed).split(
                    np.zeros(len(labels)), target
                )
            )
            for train_idx, test_idx in splitter:
                model = train_classifier(
                    [prepared[i] for i in train_idx], list(target[train_idx]), language, settings
                )
                probabilities = model.probabilities(model.counts([prepared[i] for i in test_idx]))
                predicted = np.asarray(model.classes)[np.argmax(probabilities, axis=1)]
                out.append(float((predicted == target[test_idx]).mean()))
    return out


def dev_accuracy(
    train: list[tuple[str, str]], dev: list[tuple[str, str]], language: str, variant: str
) -> float:
    with variant_in_use(variant) as prepare:
        model = train_classifier(
            [prepare(t) for t, _ in train],
            [lab for _, lab in train],
            language,
            base_settings(language),
        )
        scores = model.score([prepare(t) for t, _ in dev])
    return _pos_neg_accuracy([p for p, _, _ in scores], [lab for _, lab in dev])


def lemma_vector_study(root: Path, unlabelled: Path, seeds: int) -> None:
    """Norwegian: the shipped word vectors (learnt on and looked up by surface words) against
    vectors learnt the same way on the unlabelled reviews' lemmas and looked up by lemma,
    each as the mean-vector block beside the classifier's other features (paired folds)."""
    import gzip
    import json

    from sklearn.model_selection import StratifiedGroupKFold

    from compare.analysis.sentiment.logistic import fit_logistic
    from compare.analysis.sentiment.word_vectors import (
        load_vectors,
        mean_vector_features,
        train_vectors,
        vector_sums,
    )

    with gzip.open(unlabelled, "rt", encoding="utf-8") as handle:
        docs = [tokenize(json.loads(line)["text"]) for line in handle]
    forms = sorted({t for doc in docs for t in doc})
    to_lemma = dict(zip(forms, lemmatize(forms, "no"), strict=True))
    lemma_docs = [[to_lemma[t] for t in doc] for doc in docs]
    del docs
    surface = load_vectors("no")
    assert surface is not None
    words, matrix = train_vectors(lemma_docs, len(surface.index), surface.dim)
    del lemma_docs
    from compare.analysis.sentiment.word_vectors import WordVectors

    by_lemma = WordVectors({w: i for i, w in enumerate(words)}, matrix)
    for word in ("god", "dårlig", "kjedelig"):
        if word in by_lemma.index:
            near = np.argsort(-(matrix @ matrix[by_lemma.index[word]]))[1:8]
            print(f"  near {word}: {', '.join(words[i] for i in near)}")
    corpus = load_norwegian(root)
    rows = _binary(corpus.train)
    texts, labels = [t for t, _ in rows], [lab for _, lab in rows]
    groups = binary_train_groups(corpus)
    tokens = [tokenize(t) for t in texts]
    blocks = {
        "surface vectors (shipped)": mean_vector_features(vector_sums(surface, tokens), 1.0),
        "lemma vectors": mean_vector_features(
            vector_sums(by_lemma, [lemmatize(t, "no") for t in tokens]), 1.0
        ),
        "both": sp.hstack(
            [
                mean_vector_features(vector_sums(surface, tokens), 1.0),
                mean_vector_features(
                    vector_sums(by_lemma, [lemmatize(t, "no") for t in tokens]), 1.0
                ),
            ],
            format="csr",
        ),
    }
    gold = np.asarray(labels)
    accuracies: dict[str, list[float]] = {name: [] for name in blocks}
    for seed in range(seeds):
        folds = StratifiedGroupKFold(5, shuffle=True, random_state=seed)
        for train_idx, test_idx in folds.split(np.zeros(len(texts)), gold, groups):
            model = train_classifier(
                [texts[i] for i in train_idx],
                list(gold[train_idx]),
                "no",
                ClassifierSettings(vector_weight=0.0),
            )
            features = model._features(model.counts(texts))
            for name, block in blocks.items():
                both = sp.hstack([features, block], format="csr")
                fitted = fit_logistic(both[train_idx], gold[train_idx], model.settings.c, tol=1e-3)
                predicted = np.asarray(fitted.classes)[
                    np.argmax(fitted.predict_proba(both[test_idx]), 1)
                ]
                accuracies[name].append(float((predicted == gold[test_idx]).mean()))
    baseline = accuracies["surface vectors (shipped)"]
    print("| no vectors | mean fold acc | paired diff vs shipped |")
    print("|---|---|---|")
    for name, values in accuracies.items():
        deltas = [a - b for a, b in zip(values, baseline, strict=True)]
        error = statistics.stdev(deltas) / len(deltas) ** 0.5 if any(deltas) else 0.0
        print(
            f"| {name} | {statistics.mean(values):.4f} | {statistics.mean(deltas):+.4f} +- {error:.4f} |"
        )


@lru_cache(maxsize=8)
def lexicon_stems(language: str) -> dict[str, str]:
    """Snowball stem -> a lexicon word with that stem, over the language's lexicon channels,
    for the stems whose lexicon words all agree in sign."""
    from compare.analysis.sentiment.lexicon_features import lexicon_channels, load_lexicon

    signs: dict[str, set[bool]] = {}
    first: dict[str, str] = {}
    for channel in lexicon_channels(language):
        for word, value in load_lexicon(channel).items():
            if value and " " not in word:
                stem = _stem(word, language)
                signs.setdefault(stem, set()).add(value > 0)
                first.setdefault(stem, word)
    return {stem: first[stem] for stem, found in signs.items() if len(found) == 1}


def stemmed_lexicon_lemmas(
    token_lists: list[list[str]], language: str
) -> tuple[list[list[str]], int]:
    """Lemmas for the lexicon look-ups where a token whose form and lemma no lexicon knows
    takes the lexicon word sharing its Snowball stem (``lexicon_stems``); and how many
    tokens that changed."""
    from compare.analysis.sentiment.lexicon_features import lexicon_channels, opinion_words

    words = opinion_words(lexicon_channels(language))
    by_stem = lexicon_stems(language)
    changed = 0
    out: list[list[str]] = []
    for tokens in token_lists:
        bases = lemmatize(tokens, language)
        row = []
        for token, base in zip(tokens, bases, strict=True):
            if token not in words and base not in words and _stem(token, language) in by_stem:
                base = by_stem[_stem(token, language)]
                changed += 1
            row.append(base)
        out.append(row)
    return out, changed


@contextmanager
def stem_hits_in_use() -> Iterator[None]:
    """Within: the lexicon features (of training and scoring) also find opinion words by
    Snowball stem (``lexicon_stems``), as ``stemmed_lexicon_lemmas`` does for the fallback."""
    from compare.analysis.sentiment import lexicon_features

    product = lexicon_features._opinion_hits

    def hits(
        tokens: list[str], lemmas: list[str] | None, words: frozenset[str], language: str
    ) -> list[tuple[int, str | None]]:
        found = product(tokens, lemmas, words, language)
        by_stem = lexicon_stems(language)
        known = {i for i, _ in found}
        more: list[tuple[int, str | None]] = [
            (i, by_stem[_stem(t, language)])
            for i, t in enumerate(tokens)
            if i not in known and _stem(t, language) in by_stem
        ]
        return sorted(found + more, key=lambda hit: hit[0]) if more else found

    lexicon_features._opinion_hits = hits
    try:
        yield
    finally:
        lexicon_features._opinion_hits = product


def lexicon_stem_study(root: Path, langs: list[str]) -> None:
    """Fallback lexicons (no training) on each train split, with and without the stem
    look-up of ``stemmed_lexicon_lemmas``."""
    from compare.analysis.sentiment.lexicon import NEGATIVE_WEIGHT, NO_OPINION_POLARITY
    from compare.analysis.sentiment.lexicon_features import (
        compound,
        lexicon_channels,
        lexicon_counts,
    )

    loaders = {"en": load_english, "no": load_norwegian, "pl": load_polish, "fr": load_french}
    print("| lang | fallback acc (train) | with stem look-up | tokens matched by stem |")
    print("|---|---|---|---|")
    for lang in langs:
        rows = _binary(loaders[lang](root).train)
        gold = [lab for _, lab in rows]
        tokens = [tokenize(t) for t, _ in rows]
        cells = []
        changed = 0
        for stems in (False, True):
            if stems:
                lemma_lists, changed = stemmed_lexicon_lemmas(tokens, lang)
            else:
                lemma_lists = [lemmatize(t, lang) for t in tokens]
            sums = lexicon_counts(lexicon_channels(lang), lang, tokens, lemma_lists).toarray()
            net = sums[:, 0::2].sum(axis=1) - NEGATIVE_WEIGHT * sums[:, 1::2].sum(axis=1)
            polarity = [float(p) or NO_OPINION_POLARITY for p in compound(net)]
            cells.append(f"{_pos_neg_accuracy(polarity, gold):.4f}")
        print(f"| {lang} | {cells[0]} | {cells[1]} | {changed} |", flush=True)


def main(argv: list[str]) -> int:
    root = data_folder(argv, __doc__)
    if isinstance(root, int):
        return root
    if "--lexicon-stems" in argv:
        lexicon_stem_study(root, ["en", "no", "pl", "fr"])
        return 0
    if "--lemma-vectors" in argv:
        seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 3
        lemma_vector_study(root, Path(argv[argv.index("--lemma-vectors") + 1]), seeds)
        return 0
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 3
    langs = argv[argv.index("--langs") + 1].split(",") if "--langs" in argv else ["en", "no", "pl"]
    variants = (
        argv[argv.index("--variants") + 1].split(",") if "--variants" in argv else list(VARIANTS)
    )
    loaders = {"en": load_english, "no": load_norwegian, "pl": load_polish, "fr": load_french}
    for lang in langs:
        corpus = loaders[lang](root)
        if "--dev" in argv:
            for variant in variants:
                accuracy = dev_accuracy(_binary(corpus.train), _binary(corpus.dev), lang, variant)
                print(f"{lang} dev {variant}: {accuracy:.3f}", flush=True)
            continue
        rows = _binary(corpus.train)
        texts, labels = [t for t, _ in rows], [lab for _, lab in rows]
        groups = binary_train_groups(corpus)
        print(f"\n{lang}: {len(rows)} train sentences, grouped={groups is not None}")
        print("| variant | mean fold acc | sd over folds | paired diff vs lemma |")
        print("|---|---|---|---|")
        baseline: list[float] | None = None
        for variant in variants:
            accuracies = fold_accuracies(texts, labels, groups, lang, variant, seeds)
            if baseline is None and variant == "lemma":
                baseline = accuracies
            diff = ""
            if baseline is not None and variant != "lemma":
                deltas = [a - b for a, b in zip(accuracies, baseline, strict=True)]
                error = statistics.stdev(deltas) / len(deltas) ** 0.5
                diff = f"{statistics.mean(deltas):+.4f} +- {error:.4f}"
            print(
                f"| {variant} | {statistics.mean(accuracies):.4f} | "
                f"{statistics.stdev(accuracies):.4f} | {diff} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

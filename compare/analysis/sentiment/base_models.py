"""Base sentiment models that ship inside the package: they score from the first review on.

One classifier per language, trained by ``benchmarks/train_base.py`` from openly licensed
labelled sentences (``compare/analysis/data/sentiment_base/README.md`` names each model's
data, licence and attribution; ``<lang>.LICENCE.txt`` beside each model says the same).
They are xz-compressed pickles of ``SentimentClassifier``: written and read by rivalscope
only, and refused when their format is not the one this code reads.

A database's own ratings do not replace a base model: they train a correction on top of it
(``adapted``), kept only where it beats the base model on held-out ratings.
"""

from __future__ import annotations

import json
import lzma
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from compare.analysis.sentiment.classifier import (
    DEFAULT_SETTINGS,
    ClassifierSettings,
    SentimentClassifier,
)

BASE_DIR = Path(__file__).resolve().parent.parent / "data" / "sentiment_base"
META_FILE = "meta.json"
MODEL_SUFFIX = ".pkl.xz"
DETECTOR_SUFFIX = ".opinion.pkl.xz"
"""A language's opinion detector (``opinion``), beside its base model."""
DETECTOR_KEY = "opinion"
"""meta.json's entry for the languages with an opinion detector: its data and label counts."""
BASE_FORMAT = 1
"""Bumped with the classifier's pickled layout (``bundle.FORMAT``) when it changes."""
BASE_SETTINGS: dict[str, ClassifierSettings] = {
    "pl": ClassifierSettings(c=30.0, nb_weight=True, nb_presence=True, balanced=True),
}
"""Base models whose settings differ from ``DEFAULT_SETTINGS``, chosen by 5-fold
cross-validation on the language's train split (two fold shufflings, dev never read).
Polish: naive-Bayes weighting and C=30, 0.826 against 0.819 for the defaults (C=3 .814,
C=100 .823, NB alone .824; character 2-5 or 3-6 grams, half the lexicon weight, balanced
classes, "mało" as a negation or "nie-" prefixes split off: all within .003 of the
defaults). Since base-2026-12.7 its naive-Bayes ratio counts sentences (``nb_presence``,
Wang & Manning's binarised counts) and its classes are weighted balanced: 5-fold
stratified, six shufflings, paired over the 30 folds, .8232 -> .8290 (+.0058 +- .0013;
presence alone +.0049 +- .0014, the complaint nouns and "zero" alone +.0007 +- .0006).
Presence without balancing moved the demo's "zwrot poszedł sprawnie, a pieniądze wróciły
szybko" to neutral (its intercept -0.51 -> -1.19: facts without an opinion word leaned
negative); balanced classes keep it positive."""


TRAIN_SPLIT = "train"
BOTH_SPLITS = "train+dev"


def base_settings(language: str) -> ClassifierSettings:
    """The settings a language's base model is trained with."""
    return BASE_SETTINGS.get(language, DEFAULT_SETTINGS)


@dataclass(frozen=True)
class BaseSource:
    """Where one base model's labelled data came from, and on what terms it ships."""

    data: str
    licence: str
    licence_url: str
    attribution: str
    model_terms: str
    """On what terms the model file itself ships (what the data's licence says of models)."""
    examples: int = 0
    splits: str = TRAIN_SPLIT
    """Which halves of the data set the model learnt from: ``TRAIN_SPLIT``, or
    ``BOTH_SPLITS`` (every labelled sentence, once its settings were chosen on the train
    split; its dev figures then come from a fit on the train split alone)."""


@lru_cache(maxsize=1)
def base_meta(folder: Path = BASE_DIR) -> dict[str, Any]:
    """The shipped models' meta.json (empty when none ship or it is unreadable)."""
    try:
        meta = json.loads((folder / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(meta, dict) or meta.get("format") != BASE_FORMAT:
        return {}
    return meta


def base_saw_dev(language: str, folder: Path = BASE_DIR) -> bool:
    """Whether the base model of ``language`` (in ``folder``: the shipped ones) learnt from
    its data set's dev half too (``BaseSource.splits``): benchmarks then measure dev with a
    fit on the train half."""
    info = base_meta(folder).get("languages", {}).get(language, {})
    return bool(info.get("splits") == BOTH_SPLITS)


def base_name() -> str:
    """Name of the shipped set of base models (part of every base model id), '' if none."""
    return str(base_meta().get("name", ""))


def base_languages() -> tuple[str, ...]:
    """Languages a base model ships for."""
    return tuple(sorted(base_meta().get("languages", {})))


def has_base(language: str | None) -> bool:
    return language is not None and language in base_meta().get("languages", {})


def base_model_id(language: str) -> str:
    return f"base:{language}@{base_name()}"


_LOADED: dict[str, SentimentClassifier] = {}
"""Language -> the base model ``load_base`` read in this process (or inherited on fork)."""


@lru_cache(maxsize=8)
def load_base(language: str | None) -> SentimentClassifier | None:
    """The language's shipped base model, or None if none ships."""
    if language is None or not has_base(language):
        return None
    found = _LOADED[language] = read_classifier(BASE_DIR / f"{language}{MODEL_SUFFIX}")
    return found


BaseColumns = dict[str, dict[str, bytes]]
"""Language -> token -> its character n-grams' columns in that language's base model."""


def new_base_columns() -> BaseColumns:
    """The character n-gram columns the base models loaded here looked up since the last
    call (``FeatureVectorizer.new_char_columns``), to hand to ``remember_base_columns`` in
    another process: training scores every rating with its language's base model, and the
    analysis workers, forked after it, score the same reviews with the same base models."""
    out: BaseColumns = {}
    for language, model in _LOADED.items():
        found = model.vectorizer.new_char_columns()
        if found:
            out[language] = found
    return out


def remember_base_columns(found: BaseColumns) -> None:
    """Add the columns another process found (``new_base_columns``) to the base models
    loaded in this one (a model not loaded here is left alone: loading it costs more)."""
    for language, columns in found.items():
        model = _LOADED.get(language)
        if model is not None:
            model.vectorizer.remember_char_columns(columns)


def read_classifier(path: Path) -> SentimentClassifier:
    """One shipped classifier (a base model or an opinion detector)."""
    # decompressed in one call, which releases the GIL throughout (streamed, pickle took it
    # back at every read): a thread that loads models overlaps this process's other work
    classifier = pickle.loads(lzma.decompress(path.read_bytes()))
    if not isinstance(classifier, SentimentClassifier):
        raise TypeError(f"{path} is not a sentiment classifier")
    return classifier


@dataclass(frozen=True)
class DetectorSource:
    """What a language's opinion detector learnt from (its licence is its base model's)."""

    data: str
    examples: int


def write_base_models(
    classifiers: dict[str, SentimentClassifier],
    sources: dict[str, BaseSource],
    folder: Path,
    name: str,
    detectors: dict[str, tuple[SentimentClassifier, DetectorSource]] | None = None,
) -> None:
    """Write the models (and opinion detectors), meta.json and one licence note per language
    into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    detectors = detectors or {}
    languages: dict[str, Any] = {}
    for language, classifier in sorted(classifiers.items()):
        _write_pickle(classifier, folder / f"{language}{MODEL_SUFFIX}")
        source = sources[language]
        note = licence_note(language, source)
        if language in detectors:
            _write_pickle(detectors[language][0], folder / f"{language}{DETECTOR_SUFFIX}")
            note += detector_note(language, detectors[language][1])
        (folder / f"{language}.LICENCE.txt").write_text(note, "utf-8")
        languages[language] = {
            "data": source.data,
            "licence": source.licence,
            "licence_url": source.licence_url,
            "attribution": source.attribution,
            "model_terms": source.model_terms,
            "examples": source.examples,
            "splits": source.splits,
            "label_counts": classifier.label_counts,
        }
    meta = {
        "format": BASE_FORMAT,
        "name": name,
        "languages": languages,
        DETECTOR_KEY: {
            language: {
                "data": source.data,
                "examples": source.examples,
                "label_counts": detector.label_counts,
            }
            for language, (detector, source) in sorted(detectors.items())
        },
    }
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")
    (folder / "README.md").write_text(
        readme(name, sources, {k: v[1] for k, v in detectors.items()}), "utf-8"
    )


def _write_pickle(classifier: SentimentClassifier, path: Path) -> None:
    with lzma.open(path, "wb", preset=9) as handle:
        pickle.dump(classifier, handle, protocol=pickle.HIGHEST_PROTOCOL)


def detector_note(language: str, source: DetectorSource) -> str:
    return (
        f"\nOpinion detector for '{language}' ({language}{DETECTOR_SUFFIX}): trained by the "
        f"same code from\n  {source.data}\n({source.examples} sentences, labelled opinion or "
        "no opinion); same data set, attribution and terms as the model above.\n"
    )


def readme(name: str, sources: dict[str, BaseSource], detectors: dict[str, DetectorSource]) -> str:
    """The folder's README: what each model was trained on, its licence and attribution."""
    lines = [
        f"# Shipped sentiment base models ({name})",
        "",
        "Written by `benchmarks/train_base.py DATA_DIR` (rivalscope's own logistic regression,",
        "default settings, positive/negative sentences of each data set's train split). Each",
        "model holds learnt weights and its feature vocabulary, not the sentences. French has",
        "no base model: the French sentences we have (DEFT 2017 tweets) carry no licence that",
        "lets a model trained on them ship, so French is scored on day one by lexicons (below).",
        "",
    ]
    for language, source in sorted(sources.items()):
        lines += [
            f"## {language}: `{language}{MODEL_SUFFIX}`",
            "",
            f"- Data: {source.data} ({source.examples} sentences)",
            f"- Licence of the data: {source.licence} <{source.licence_url}>",
            f"- Attribution: {source.attribution}",
            f"- This model file: {source.model_terms}",
            "",
        ]
        if language in detectors:
            lines += [
                f"Opinion detector `{language}{DETECTOR_SUFFIX}` (does a sentence state an "
                "opinion?): trained",
                f"from {detectors[language].data} ({detectors[language].examples} sentences);",
                "same data set, licence, attribution and terms as the model above.",
                "",
            ]
    lines += [
        "## no: `no.vectors.npz` (word vectors, used by the Norwegian model)",
        "",
        "- Written by `benchmarks/norwegian_vectors.py DATA_DIR UNLABELLED --save`: 30,000 word",
        "  vectors of 100 dimensions (PPMI + truncated SVD, our own code, int8) learnt from the",
        "  34,749 unlabelled professional reviews of NoReC's train split (ltgoslo/norec).",
        "- Licence of the data: CC BY-NC 4.0 <https://creativecommons.org/licenses/by-nc/4.0/>;",
        "  NoReC's terms: embeddings and models created from it do not contain the original data",
        "  and can be used freely, also commercially. Attribution: E. Velldal, L. Ovrelid, E.",
        "  Bergem, C. Stadsnes, S. Touileb, F. Jorgensen, 'NoReC: The Norwegian Review Corpus',",
        "  LREC 2018 (Language Technology Group, University of Oslo).",
        "",
        "## fr: no model file (day one scores with lexicons, nothing trained on French data)",
        "",
        "- Pattern's French adjective lexicon (`fr-sentiment.xml` in the textblob-fr package,",
        "  read from the installed package): licence PDDL (as its header states; the package",
        "  itself is MIT). Attribution: Tom De Smedt, Walter Daelemans, fabelier.org (Pattern).",
        "- VADER's English lexicon (`vader_lexicon.txt` in the vaderSentiment package, MIT;",
        "  C.J. Hutto and E.E. Gilbert, ICWSM 2014), carried to French cognates at run time by",
        "  spelling rules over simplemma's French lemmas (`compare/analysis/sentiment/cognates.py`).",
        "- Our hand-written seed words (`compare/analysis/data/seed_lexicon.toml`, `[fr]`).",
        "- vaderSentiment_fr's French translation of VADER's lexicon (PyPI `vaderSentiment-fr`",
        "  1.3.4, `fr_lexicon.txt`; shipped as `compare/analysis/data/lexicons/fr-vader.txt`, single",
        "  words): MIT (`fr-vader.LICENCE.txt` beside it). Attribution: Olivier Deprez and Thomas Ek",
        "  (7 Lieues Technologies), translating VADER (C.J. Hutto and E.E. Gilbert, ICWSM 2014).",
        "",
    ]
    return "\n".join(lines)


def licence_note(language: str, source: BaseSource) -> str:
    return (
        f"Sentiment base model for language '{language}' ({language}{MODEL_SUFFIX})\n\n"
        f"Trained by rivalscope's own code (benchmarks/train_base.py) from:\n  {source.data}\n"
        f"({source.examples} labelled sentences; the model holds learnt weights and its "
        "feature vocabulary, not the sentences).\n\n"
        f"Attribution: {source.attribution}\n"
        f"Licence of the data: {source.licence} ({source.licence_url})\n"
        f"This model file: {source.model_terms}\n"
    )

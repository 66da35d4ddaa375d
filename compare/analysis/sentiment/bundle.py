"""Saved sentiment models: a folder with ``meta.json`` and one pickled classifier per language.

Models trained from a database live beside it in ``<database file>.models/vNNNN/`` (a new
numbered version per training, the newest is used), or, for a database without a file
(PostgreSQL), in the database itself (``compare.analysis.model_versions``);
``rivalscope sentiment train --out DIR`` writes one such folder anywhere. Only load folders you or rivalscope wrote: they hold pickles.
"""

from __future__ import annotations

import json
import pickle
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from compare.analysis.input_errors import AnalysisInputError
from compare.analysis.sentiment.adapted import AdaptedClassifier
from compare.analysis.sentiment.base_models import base_name
from compare.analysis.sentiment.classifier import SentimentClassifier
from compare.analysis.sentiment.features import POOLED

META_FILE = "meta.json"
FORMAT = 16
"""Bumped when the classifiers' features change (3: lexicon features; 4: word and character
blocks normalised separately; 5: character 3-5-grams, negation scope of three words; 6: our
own logistic regression and idf arrays instead of pickled scikit-learn objects; 7: languages
with a shipped base model get a correction of it (``adapted``), no model of their own; 8: the
guard chooses base, correction or a model of the ratings alone, ``guard`` says which; 9:
the guard's folds repeated, its clear win a sign test too: a database's older choice retrains;
10: a finite verb before a post-verb negation is negated, "aime pas", "anbefaler ikke"; 11:
French models read a fourth lexicon channel, ``vader-fr``; 12: a language scored by its
lexicons (French) gets a model of its ratings, or a place in the pooled one, only when it
beats the lexicons on held-out ratings, ``guard`` with ``baseline`` "lexicon"; 13: in
Swedish, German and Dutch a finite verb before an object pronoun and a post-verb negation
is negated too, "rekommenderar den inte", as the lexicon reads it; 14: the lexicon sums end
a negation's scope with its clause, ``normalise.sentiment_tokens``; 15: a negation that is a
lexicon word ("no", "brak") counts no valence of its own, the words a negation scopes count
against the mean word vector, and the classifiers read one more lexicon channel, the negated
words', ``lexicon_features.NEGATED_CHANNEL``; 16: "neither ... nor" words negate ("ani",
"ni", "neither", "verken") and so do the cases of Polish "żaden", complaint nouns are
seed lexicon words, English ones in VADER's channel, and fixed multi-word phrases are read
as one lexicon word);
``analyze`` retrains a database's model saved in an older format."""
_VERSION_DIR = re.compile(r"^v(\d{4,})$")


@dataclass
class ModelBundle:
    """Classifiers by language plus a description of what they were trained on."""

    classifiers: dict[str, SentimentClassifier | AdaptedClassifier]
    training_data: str
    """Human description of the labelled data, e.g. 'database ratings: >=0.75 positive ...'."""
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    name: str = "model"
    """Folder name when loaded (e.g. ``v0003``); part of every model id recorded per review."""
    examples: dict[str, int] = field(default_factory=dict)
    """Language -> labelled examples seen at training (decides when to retrain)."""
    pooled_languages: dict[str, int] = field(default_factory=dict)
    """Language -> examples of it in the pooled model (it scores only these languages)."""

    guard: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Language -> the guard's held-out accuracies on the ratings (base, corrected and, when
    it competed, own: the ratings-only model) and ``chosen``: which of the three scores the
    language (``base``: no classifier in the bundle, the shipped model scores it)."""

    def model_id(self, language: str) -> str:
        if isinstance(self.classifiers.get(language), AdaptedClassifier):
            return f"adapted:{language}@{self.name}"
        if self.guard.get(language, {}).get("chosen") == "pooled":
            return f"pooled:{language}@{self.name}"
        return f"classifier:{language}@{self.name}"

    def classifier_for(
        self, language: str | None
    ) -> tuple[SentimentClassifier | AdaptedClassifier, str] | None:
        """The language's own classifier (or correction of its base model), else the pooled
        one if trained with the language."""
        if language is None:
            return None
        own = self.classifiers.get(language)
        if own is not None and language != POOLED:
            return own, self.model_id(language)
        pooled = self.classifiers.get(POOLED)
        if pooled is not None and language in self.pooled_languages:
            return pooled, f"pooled:{language}@{self.name}"
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "base": base_name(),
            "created_at": self.created_at,
            "training_data": self.training_data,
            "examples": self.examples,
            "pooled_languages": self.pooled_languages,
            "guard": self.guard,
            "languages": {
                lang: {
                    "label_counts": clf.label_counts,
                    "cv_accuracy": clf.cv_accuracy,
                    "classes": clf.classes,
                }
                for lang, clf in sorted(self.classifiers.items())
            },
        }


def save_bundle(bundle: ModelBundle, folder: Path) -> Path:
    """Write the bundle into ``folder`` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for language, classifier in bundle.classifiers.items():
        with (folder / f"{language}.pkl").open("wb") as handle:
            pickle.dump(classifier, handle, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / META_FILE).write_text(json.dumps(bundle.describe(), indent=2), "utf-8")
    return folder


def load_bundle(folder: Path) -> ModelBundle:
    """Read a bundle written by ``save_bundle``; AnalysisInputError if it is not one."""
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise AnalysisInputError(f"{folder} is not a sentiment model folder (no {META_FILE})")
    written = bundle_format(folder)
    if written != FORMAT:
        raise AnalysisInputError(
            f"the sentiment model in {folder} is of format {written}, this rivalscope reads "
            f"format {FORMAT}: train it again (`rivalscope analyze` retrains a database's "
            "model; `rivalscope sentiment train` writes a model folder)"
        )
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        classifiers: dict[str, SentimentClassifier | AdaptedClassifier] = {}
        for language in meta["languages"]:
            with (folder / f"{language}.pkl").open("rb") as handle:
                classifier = pickle.load(handle)
            if not isinstance(classifier, SentimentClassifier | AdaptedClassifier):
                raise TypeError(f"{language}.pkl is not a sentiment classifier")
            classifiers[language] = classifier
    except (OSError, KeyError, TypeError, ValueError, pickle.UnpicklingError) as exc:
        raise AnalysisInputError(f"cannot read the sentiment model in {folder}: {exc}") from None
    return ModelBundle(
        classifiers=classifiers,
        training_data=str(meta.get("training_data", "")),
        created_at=str(meta.get("created_at", "")),
        name=folder.name,
        examples={str(k): int(v) for k, v in meta.get("examples", {}).items()},
        pooled_languages={str(k): int(v) for k, v in meta.get("pooled_languages", {}).items()},
        guard=dict(meta.get("guard", {})),
    )


def bundle_format(folder: Path) -> int:
    """The format a saved bundle was written in (0 if its meta.json is unreadable)."""
    try:
        return int(json.loads((folder / META_FILE).read_text("utf-8")).get("format", 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return 0


def versions(root: Path) -> list[Path]:
    """Version folders under a models root, oldest first."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and _VERSION_DIR.match(p.name)]
    return sorted(found, key=lambda p: int(p.name[1:]))


def bundle_is_current(folder: Path) -> bool:
    """Written in this format, on top of the base models this rivalscope ships (a correction
    of another base model would correct the wrong scores)."""
    try:
        meta = json.loads((folder / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(meta, dict) and meta.get("format") == FORMAT and meta.get("base") == base_name()
    )


def latest_bundle(root: Path) -> ModelBundle | None:
    """The newest version under ``root``, or None if none was trained yet or the newest is
    of an older format or base (``analyze`` retrains it; until then the base models and
    fallbacks score)."""
    found = versions(root)
    if not found or not bundle_is_current(found[-1]):
        return None
    return load_bundle(found[-1])


def next_version_folder(root: Path) -> Path:
    """``root/vNNNN`` one past the newest existing version."""
    found = versions(root)
    number = int(found[-1].name[1:]) + 1 if found else 1
    return root / f"v{number:04d}"


GUARD_OUTCOMES = {
    "base": "base model kept as shipped, nothing beat it clearly",
    "corrected": "base model corrected by your ratings",
    "own": "model trained on your ratings alone",
    "pooled": "model trained on your ratings in every language",
}


LEXICON_KEPT = "lexicons kept, no model of your ratings beat them clearly"


def guard_outcome(figures: dict[str, Any]) -> str:
    """What the guard chose for a language, in words."""
    chosen = str(figures.get("chosen", "base"))
    if chosen == "base" and figures.get("baseline") == "lexicon":
        return LEXICON_KEPT
    return GUARD_OUTCOMES[chosen]


def guard_figures(figures: dict[str, Any]) -> str:
    """The candidates' held-out accuracies, e.g. 'base 0.81, corrected 0.83, own 0.86'
    (``pooled`` instead of ``own`` when the ratings-only model was the pooled one;
    'lexicons 0.70, pooled 0.48' for a language its lexicons score)."""
    if figures.get("baseline") == "lexicon":
        parts = [f"lexicons {figures['base_accuracy']:.2f}"]
    else:
        parts = [
            f"base {figures['base_accuracy']:.2f}",
            f"corrected {figures['adapted_accuracy']:.2f}",
        ]
    if figures.get("own_accuracy") is not None:
        parts.append(f"{figures.get('ratings_model') or 'own'} {figures['own_accuracy']:.2f}")
    return ", ".join(parts)

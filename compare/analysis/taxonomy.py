"""The aspect taxonomy: aspects with seed terms per language, matched on lemmas.

The bundled ``data/taxonomy.toml`` holds price, delivery, customer service, quality,
usability, returns and website aspects in en, fr, pl and no; a user file in the same
format adds aspects or terms (merged by aspect name).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from compare.analysis.errors import AnalysisInputError
from compare.analysis.text import lemmas, tokenize

BUNDLED_TAXONOMY = Path(__file__).parent / "data" / "taxonomy.toml"
MAX_MEMO = 200_000


@dataclass
class _LanguageIndex:
    single: dict[str, tuple[str, str]] = field(default_factory=dict)
    """lemma -> (aspect, term)"""
    prefixes: list[tuple[str, str, str]] = field(default_factory=list)
    """(lemma prefix, aspect, term)"""
    phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(default_factory=dict)
    """first lemma -> [(lemma sequence, aspect, term)], longest first"""
    _hits: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    """lemma -> its single-word or prefix hit (memo: prefixes are scanned once per lemma)"""

    def word_hit(self, lemma: str) -> tuple[str, str] | None:
        """(aspect, term) for a lemma that is a seed term or starts with a seed prefix."""
        if lemma in self._hits:
            return self._hits[lemma]
        hit = self.single.get(lemma)
        if hit is None:
            for prefix, aspect, term in self.prefixes:
                if lemma.startswith(prefix):
                    hit = (aspect, term)
                    break
        if len(self._hits) < MAX_MEMO:
            self._hits[lemma] = hit
        return hit


@dataclass
class Taxonomy:
    """Aspect names with labels and per-language seed terms, indexed by lemma."""

    labels: dict[str, str]
    terms: dict[str, dict[str, list[str]]]
    """aspect -> language -> terms as written"""
    _index: dict[str, _LanguageIndex] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for aspect, by_language in self.terms.items():
            for language, words in by_language.items():
                index = self._index.setdefault(language, _LanguageIndex())
                for term in words:
                    if term.endswith("*"):
                        index.prefixes.append((term[:-1].lower(), aspect, term))
                        continue
                    sequence = tuple(lemmas(tokenize(term), language))
                    if len(sequence) == 1:
                        index.single.setdefault(sequence[0], (aspect, term))
                        # also the written form, for words simplemma maps elsewhere
                        index.single.setdefault(term.lower(), (aspect, term))
                    elif sequence:
                        index.phrases.setdefault(sequence[0], []).append((sequence, aspect, term))
        for index in self._index.values():
            for entries in index.phrases.values():
                entries.sort(key=lambda e: -len(e[0]))

    @property
    def aspects(self) -> list[str]:
        return list(self.labels)

    def match(self, sentence_lemmas: list[str], language: str | None) -> list[tuple[str, str]]:
        """(aspect, matched term) for each aspect the lemmas mention, first mention only."""
        index = self._index.get(language or "")
        if index is None:
            return []
        found: dict[str, str] = {}
        i = 0
        while i < len(sentence_lemmas):
            current = sentence_lemmas[i]
            step = 1
            for sequence, aspect, term in index.phrases.get(current, ()):
                if tuple(sentence_lemmas[i : i + len(sequence)]) == sequence:
                    found.setdefault(aspect, term)
                    step = len(sequence)
                    break
            else:
                hit = index.word_hit(current)
                if hit is not None:
                    found.setdefault(hit[0], hit[1])
            i += step
        return list(found.items())

    def covers(self, lemma: str, language: str | None) -> bool:
        """True if a single lemma is a seed term (used to skip known aspects in discovery)."""
        return bool(self.match([lemma], language))


def _parse(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise AnalysisInputError(f"taxonomy file {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AnalysisInputError(f"taxonomy file {path} is not valid TOML: {exc}") from None
    aspects = data.get("aspect")
    if not isinstance(aspects, dict) or not aspects:
        raise AnalysisInputError(
            f'taxonomy file {path} has no [aspect.NAME] tables; e.g. [aspect.battery] en = ["battery"]'
        )
    for name, body in aspects.items():
        if not isinstance(body, dict):
            raise AnalysisInputError(f"taxonomy file {path}: aspect.{name} must be a table")
        for key, value in body.items():
            if key == "label":
                if not isinstance(value, str):
                    raise AnalysisInputError(
                        f"taxonomy file {path}: aspect.{name}.label must be text"
                    )
            elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise AnalysisInputError(
                    f"taxonomy file {path}: aspect.{name}.{key} must be a list of terms"
                )
    return aspects


def load_taxonomy(extra: Path | None = None) -> Taxonomy:
    """The bundled taxonomy, merged with a user file's aspects and terms if given."""
    if extra is None:
        return _bundled()
    return _build([_parse(BUNDLED_TAXONOMY), _parse(extra)])


@lru_cache(maxsize=1)
def _bundled() -> Taxonomy:
    return _build([_parse(BUNDLED_TAXONOMY)])


def _build(files: list[dict[str, dict[str, object]]]) -> Taxonomy:
    labels: dict[str, str] = {}
    terms: dict[str, dict[str, list[str]]] = {}
    for aspects in files:
        for name, body in aspects.items():
            label = body.get("label")
            labels[name] = label if isinstance(label, str) else labels.get(name, name)
            by_language = terms.setdefault(name, {})
            for key, value in body.items():
                if key != "label" and isinstance(value, list):
                    by_language.setdefault(key, []).extend(str(v) for v in value)
    return Taxonomy(labels=labels, terms=terms)

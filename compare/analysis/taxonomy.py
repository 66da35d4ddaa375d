"""The aspect taxonomy: aspects with seed terms per language, matched on lemmas.

The bundled ``data/taxonomy.toml`` holds price, delivery, customer service, quality,
usability, returns and website aspects in en, fr, pl and no; a user file in the same
format adds aspects or terms (merged by aspect name).

A term written with a leading ``~`` is an evaluative word that names its aspect only in a
clause naming no other aspect: "cheap" is about price in "cheap and cheerful" but about
quality in "the plastic feels cheap", where it describes another aspect's noun.

A term written with a leading ``<`` is a verb whose subject decides the aspect: it names
its aspect only when no other aspect is named before it in the clause. "It arrived damaged"
is about delivery (and "arrived broken" about delivery and quality), "the refund arrived
within three days" about returns.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from compare.analysis.input_errors import AnalysisInputError
from compare.analysis.text import lemmas, tokenize
from settings.user_files import UserFileError, read_user_text

BUNDLED_TAXONOMY = Path(__file__).parent / "data" / "taxonomy.toml"
MAX_MEMO = 200_000


Hit = tuple[str, str] | None
"""(aspect, term) a lemma names, or None"""
WEAK_MARK = "~"
"""Leading mark of a term that yields to another aspect named in the same clause."""
SUBJECT_MARK = "<"
"""Leading mark of a term that yields to another aspect named before it in the clause."""


@dataclass
class _LanguageIndex:
    single: dict[str, tuple[str, str]] = field(default_factory=dict)
    """lemma -> (aspect, term)"""
    prefixes: list[tuple[str, str, str]] = field(default_factory=list)
    """(lemma prefix, aspect, term)"""
    phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(default_factory=dict)
    """first lemma -> [(lemma sequence, aspect, term)], longest first"""
    weak: set[str] = field(default_factory=set)
    """Terms (as written, without the mark) that yield to another aspect in their clause."""
    after_subject: set[str] = field(default_factory=set)
    """Terms (without the mark) that yield to another aspect named before them."""
    hits: dict[str, Hit] = field(init=False)
    """lemma -> its single-word or prefix hit (memo: prefixes are scanned once per lemma)"""

    def __post_init__(self) -> None:
        self.hits = _HitMemo(self)


class _HitMemo(dict[str, Hit]):
    """lemma -> (aspect, term) if the lemma is a seed term or starts with a seed prefix;
    filled on look-up, bounded."""

    def __init__(self, index: _LanguageIndex) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, lemma: str) -> Hit:
        hit = self._index.single.get(lemma)
        if hit is None:
            for prefix, aspect, term in self._index.prefixes:
                if lemma.startswith(prefix):
                    hit = (aspect, term)
                    break
        if len(self) < MAX_MEMO:
            self[lemma] = hit
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
                for written in words:
                    term = written.removeprefix(WEAK_MARK)
                    if term != written:
                        index.weak.add(term)
                    elif written.startswith(SUBJECT_MARK):
                        term = written.removeprefix(SUBJECT_MARK)
                        index.after_subject.add(term)
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
        word_hits = list(map(index.hits.__getitem__, sentence_lemmas))
        phrases = index.phrases
        if phrases.keys().isdisjoint(sentence_lemmas):
            # no multi-word term can start here: every lemma stands on its own
            hits = [hit for hit in word_hits if hit is not None]
            if len(hits) <= 1:
                return hits
            for aspect, term in hits:
                _keep(found, aspect, term, index.weak)
            return _without_weak(found, index)
        # a multi-word term wins over its words' own hits, and its words are skipped
        after_phrase = 0
        for i, current in enumerate(sentence_lemmas):
            hit = word_hits[i]
            if i < after_phrase or (hit is None and current not in phrases):
                continue
            for sequence, aspect, term in phrases.get(current, ()):
                if tuple(sentence_lemmas[i : i + len(sequence)]) == sequence:
                    _keep(found, aspect, term, index.weak)
                    after_phrase = i + len(sequence)
                    break
            else:
                if hit is not None:
                    _keep(found, hit[0], hit[1], index.weak)
        return _without_weak(found, index)

    def aspects_named(self, name: str) -> list[str]:
        """The aspects a word or phrase names as a seed term of any language ("dostawa",
        "livraison", "levering": delivery), in the taxonomy's order: a user filtering
        findings in their own language gets the aspect the findings store in English."""
        tokens = tokenize(name)
        found = {
            aspect
            for language in self._index
            for aspect, _ in self.match(lemmas(tokens, language), language)
        }
        return [aspect for aspect in self.labels if aspect in found]

    def covers(self, lemma: str, language: str | None) -> bool:
        """True if a single lemma is a seed term (used to skip known aspects in discovery)."""
        return bool(self.match([lemma], language))


def _keep(found: dict[str, str], aspect: str, term: str, weak: set[str]) -> None:
    """Record an aspect's first term, or a later one that is not weak where the first was
    (the aspect then stands even beside another aspect)."""
    if aspect not in found or (found[aspect] in weak and term not in weak):
        found[aspect] = term


def _without_weak(found: dict[str, str], index: _LanguageIndex) -> list[tuple[str, str]]:
    """The aspects found, less those named only by a weak term when another aspect is named
    too, and those named by a subject-decided verb after another aspect (order of first
    mention kept)."""
    if len(found) > 1 and index.after_subject:
        named = list(found)
        found = {a: t for i, (a, t) in enumerate(found.items())
                 if i == 0 or t not in index.after_subject}  # fmt: skip
        if len(found) < len(named):
            return _without_weak(found, index)
    weak = index.weak
    if len(found) > 1 and weak:
        strong = {a: t for a, t in found.items() if t not in weak}
        if strong:
            return list(strong.items())
    return list(found.items())


def _parse(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = tomllib.loads(read_user_text(path, "taxonomy file"))
    except UserFileError as exc:
        raise AnalysisInputError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
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

"""English opinion words carried over to French through regular spelling correspondences.

Pattern's French lexicon (textblob-fr) rates adjectives only, so most French opinion nouns
and verbs ("menace", "horreur", "célébrer") go unseen. Many of them are cognates of English
words that VADER's lexicon rates: the same word ("catastrophe", "excellent"), or one of a
few regular suffix correspondences (-ique/-ic, -eux/-ous, -ité/-ity, -eur/-or, -if/-ive,
-ie/-y, -el/-al, -er/-e verbs). Every French lemma that simplemma's French dictionary knows
is mapped through these rules, accents dropped, and takes the valence of the first English
word found. Short lemmas are left out: short false friends are common ("dire", "pain", "car").
Nothing here was learnt from French data; the rules are spelling, the valences are VADER's.
The mapped lexicon is cached beside simplemma's SQLite dictionaries (``lemma_store``): the
map over 37,000 lemmas costs ~0.5 s on an idle core, in every process that scores French.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable

from compare.analysis.lemma_store import cache_folder, dictionary_lemmas

MIN_COGNATE_LETTERS = 5
SUFFIX_RULES: tuple[tuple[str, str], ...] = (
    ("ique", "ic"),
    ("eux", "ous"),
    ("ite", "ity"),
    ("isme", "ism"),
    ("iste", "ist"),
    ("eur", "or"),
    ("aire", "ary"),
    ("if", "ive"),
    ("ie", "y"),
    ("el", "al"),
    ("er", "e"),
    ("er", ""),
    ("er", "ate"),
    ("ir", "ish"),
)
"""(French ending without accents, English ending), tried in order after the word itself."""


_FRENCH_ACCENTS = str.maketrans("àâäçéèêëîïôöùûüÿ", "aaaceeeeiioouuuy", "")


def without_accents(word: str) -> str:
    """The word without diacritics (French ones by table: a lemma map calls this 40,000
    times; others through Unicode decomposition)."""
    plain = word.translate(_FRENCH_ACCENTS)
    if plain.isascii():
        return plain
    decomposed = unicodedata.normalize("NFD", plain)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def english_candidates(french: str) -> list[str]:
    """English spellings a French word may be the cognate of, most literal first."""
    plain = without_accents(french.lower())
    out = [plain]
    for ending, english in SUFFIX_RULES:
        stem = plain[: len(plain) - len(ending)]
        if plain.endswith(ending) and len(stem) >= 3:
            out.append(stem + english)
    return out


def cognate_lexicon(french_words: Iterable[str], english: dict[str, float]) -> dict[str, float]:
    """French word -> valence of its English cognate, for the words that have one."""
    out: dict[str, float] = {}
    for word in french_words:
        if len(word) < MIN_COGNATE_LETTERS or not word.isalpha() or not word.islower():
            continue
        for candidate in english_candidates(word):
            value = english.get(candidate)
            if value:
                out[word] = value
                break
    return out


def cached_cognate_lexicon(
    language: str, source: str, english: Callable[[], dict[str, float]]
) -> dict[str, float]:
    """``cognate_lexicon`` of the language's dictionary lemmas and the English lexicon
    ``source`` (named with its package version by the caller), read from the cache folder
    when an earlier process wrote it."""
    path = cache_folder() / f"cognates-{language}-{source}.json"
    try:
        cached = json.loads(path.read_text("utf-8"))
        if isinstance(cached, dict):
            return {str(k): float(v) for k, v in cached.items()}
    except (OSError, ValueError):
        pass
    lexicon = cognate_lexicon(dictionary_lemmas(language), english())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(lexicon, out, ensure_ascii=False, sort_keys=True)
        os.replace(temporary, path)  # concurrent writers are harmless: the files are identical
    except OSError:  # a read-only cache: map again in the next process
        pass
    return lexicon

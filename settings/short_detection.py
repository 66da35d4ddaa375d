"""Language detection of short texts: lingua's high-accuracy computation, in numpy.

lingua reads a text of fewer than 120 letters with all its n-gram orders, one to five letters
(``settings.trigram_detection`` covers longer texts, which it reads with trigrams only).
This module reproduces that computation from ``settings/data/detection_ngrams.npz`` (lingua's
unigram to fivegram relative frequencies of every registered language, built by
``benchmarks/build_detection_trigrams.py``; Apache-2.0, see ``settings/data/README.md``),
so short texts never load lingua's models (about 290 MB):

1. Rules first (lingua's ``detect_language_with_rules`` and ``filter_languages_by_rules``,
   restricted to the registered languages): letters only one of them writes (German ß,
   Polish ł ń ś ź) settle a text whose words mostly carry them; letters a few of them share
   (å, ø, ñ, é, ...) narrow the candidates when at least half the words carry one; a text
   mostly in another alphabet gets no language. A batch's Latin texts are ruled at once in
   numpy (``_latin_rules``); a text with a letter of another alphabet goes through
   ``rule_languages``, the rules per text.
2. For each order n, the sum over the text's distinct n-grams (within words) of the log
   relative frequency of the n-gram, backing off to its prefixes (an n-gram a language never
   saw, down to its first letter, adds nothing).
3. Per language, the five sums added and divided by the number of the text's distinct
   letters the language knows; the confidence values are the softmax of those.

Texts are scored independently of their batch (sums per text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import contains
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from settings.languages import LANGUAGE_CODES
from settings.mapped_arrays import mapped_arrays
from settings.trigram_detection import chunks, table_alphabet

TABLE_FILE = Path(__file__).with_name("data") / "detection_ngrams.npz"
ORDERS = 5
_BMP = 0x10000
_CHUNK_CHARS = 100_000

UNIQUE_LETTERS: dict[str, str] = {"de": "ß", "pl": "łńśź"}
"""lingua's letters only one language writes (``Language::unique_characters``), for the
registered languages (lower case: lingua reads lowercased words)."""
SHARED_LETTERS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (letters, frozenset(codes.split()))
    for letters, codes in (
        ("ąę", "pl"),
        ("ż", "pl"),
        ("î", "fr"),
        ("ñ", "es"),
        ("û", "fr"),
        ("ć", "pl"),
        ("ì", "it"),
        ("ø", "no da"),
        ("ë", "nl fr"),
        ("èù", "fr it"),
        ("ê", "fr"),
        ("ô", "fr"),
        ("ò", "it"),
        ("â", "fr"),
        ("æ", "no da"),
        ("å", "no da sv"),
        ("ä", "de sv"),
        ("à", "fr it"),
        ("ü", "de es"),
        ("ç", "fr"),
        ("ö", "de sv"),
        ("ó", "pl es"),
        ("áíú", "es"),
        ("é", "fr it es"),
    )
)
"""lingua's ``CHARS_TO_LANGUAGES_MAPPING`` entries that name a registered language (lower
case), with the registered languages they name."""
_UNIQUE = frozenset("".join(UNIQUE_LETTERS.values()))
_RULE_LETTERS = _UNIQUE | frozenset("".join(s for s, _ in SHARED_LETTERS))
_NAMED_BY: dict[str, frozenset[str]] = {
    char: frozenset().union(*(codes for letters, codes in SHARED_LETTERS if char in letters))
    for char in _RULE_LETTERS
}
"""The languages each rule letter names (none for a unique letter: those settle a text)."""


@dataclass(frozen=True)
class NgramTable:
    languages: tuple[str, ...]
    order: tuple[int, ...]
    """The languages' positions in lingua's order (its ``Language`` enum: by English name),
    which breaks ties between equal confidence values."""
    size: int
    letter_index: NDArray[np.int16]
    keys: tuple[tuple[NDArray[np.uint32], ...], ...]
    """Per order (1..5), per language: the keys of the n-grams it knows, modulo ``size**4``
    (the last four letters' part: 32 bits), sorted within each first letter of a fivegram."""
    starts: tuple[NDArray[np.int64], ...]
    """Per language: where each first letter's fivegrams start in its fivegram keys (the
    fivegram keys in 32 bits save 12 MB)."""
    logs: tuple[tuple[NDArray[np.float32], ...], ...]
    lingua_version: str


@lru_cache(maxsize=1)
def ngram_table() -> NgramTable | None:
    """The table, or None if missing or not for exactly the registered languages. Its
    arrays are memory-mapped from the cache (``settings.mapped_arrays``): processes share
    them, and a process that reads no short text keeps none of them resident."""
    if not TABLE_FILE.exists():
        return None
    arrays = mapped_arrays(
        "detection-ngrams", TABLE_FILE, f"ngram-table-1 {LANGUAGE_CODES}", _table_arrays
    )
    if arrays is None:
        return None
    languages = LANGUAGE_CODES
    orders = range(1, ORDERS + 1)
    return NgramTable(
        languages=languages,
        order=tuple(int(position) for position in arrays["order"]),
        size=int(arrays["size"]),
        letter_index=arrays["letter_index"],
        keys=tuple(tuple(arrays[f"keys{n}_{code}"] for code in languages) for n in orders),
        starts=tuple(arrays[f"starts_{code}"] for code in languages),
        logs=tuple(tuple(arrays[f"logs{n}_{code}"] for code in languages) for n in orders),
        lingua_version=str(arrays["lingua_version"]),
    )


def _table_arrays() -> dict[str, NDArray[Any]] | None:
    """``ngram_table``'s arrays, computed from ``TABLE_FILE``."""
    with np.load(TABLE_FILE) as data:
        alphabet = table_alphabet(data)
        if alphabet is None:
            return None
        lookup, size = alphabet
        if size**4 >= 2**32:
            return None
        names = [str(name) for name in data["lingua_names"]]
        ranked = sorted(range(len(names)), key=lambda j: names[j])
        base = np.uint64(size**4)
        arrays: dict[str, NDArray[Any]] = {
            "order": np.array([ranked.index(j) for j in range(len(names))], dtype=np.int64),
            "size": np.array(size),
            "letter_index": lookup,
            "lingua_version": np.array(str(data["lingua_version"])),
        }
        for code in LANGUAGE_CODES:  # one language's 64-bit keys at a time (the build's peak)
            for n in range(1, ORDERS + 1):
                full = data[f"keys{n}_{code}"]
                arrays[f"keys{n}_{code}"] = (full % base).astype(np.uint32)
                arrays[f"logs{n}_{code}"] = data[f"logs{n}_{code}"]
                if n == ORDERS:
                    first = full // base
                    arrays[f"starts_{code}"] = np.searchsorted(
                        first, np.arange(size + 1, dtype=np.uint64)
                    ).astype(np.int64)
                del full
        return arrays


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The alphabet of a letter, as lingua's rules tell them apart (Latin or another)."""
    if char in "ªº":
        return "LATIN"
    name = unicodedata.name(char, "")
    if "LATIN" in name:
        return "LATIN"
    return name.split(" ", 1)[0] if name else "?"


_WORD = re.compile(r"[^\W\d_]+")


_LATIN_OR_NO_LETTER: set[str] = set()
"""Characters seen so far that are Latin letters or no letter at all (grows with the
distinct characters met: a few hundred)."""
_OTHER_LETTERS: set[str] = set()
"""Letters seen so far of another alphabet."""
_CJK_OR_KANA: set[str] = set()
"""Characters seen so far that the letter rules count as Chinese or Japanese."""


def _classify(chars: set[str]) -> None:
    """File the characters not seen before (set operations then answer per text in C)."""
    for char in chars.difference(_LATIN_OR_NO_LETTER, _OTHER_LETTERS):
        script = _script(char)
        if script in ("CJK", "HIRAGANA", "KATAKANA"):
            _CJK_OR_KANA.add(char)
        if char.isalpha() and script != "LATIN":
            _OTHER_LETTERS.add(char)
        else:
            _LATIN_OR_NO_LETTER.add(char)


def rule_languages(text: str, languages: tuple[str, ...]) -> tuple[str | None, frozenset[str]]:
    """lingua's rules on a lowercased text: (the language they settle, else None; the
    languages left possible, empty when the text is mostly in another alphabet)."""
    everything = frozenset(languages)
    if text.isascii():
        return None, everything
    words = _WORD.findall(text)
    if not words:
        return None, everything
    half = len(words) * 0.5
    chars = set(text)
    _classify(chars)
    latin = chars.isdisjoint(_OTHER_LETTERS)
    if not latin or not chars.isdisjoint(_UNIQUE):
        if chars.isdisjoint(_CJK_OR_KANA):
            found = _settled_by_latin_letters(words, everything, half)
        else:
            found = _settled_by_letters(words, everything, half)
        if found is not None:
            return found, frozenset({found})
    if latin:
        alphabet_is_latin = True
    else:
        alphabets: dict[str, int] = {}
        for word in words:
            scripts = {_script(char) for char in word}
            if len(scripts) == 1:
                script = scripts.pop()
                alphabets[script] = alphabets.get(script, 0) + 1
        if not alphabets or (len(alphabets) > 1 and len(set(alphabets.values())) == 1):
            return None, everything
        alphabet_is_latin = alphabets.get("LATIN", 0) == max(alphabets.values())
    if not alphabet_is_latin:
        return None, frozenset()
    if chars.isdisjoint(_RULE_LETTERS):
        return None, everything
    # Each rule letter adds, to each language it names, the number of words carrying it.
    counted: dict[str, int] = {}
    for char in chars.intersection(_RULE_LETTERS):
        carrying = sum(map(contains, words, repeat(char)))
        if carrying:
            for code in _NAMED_BY[char] & everything:
                counted[code] = counted.get(code, 0) + carrying
    subset = frozenset(code for code, count in counted.items() if count >= half)
    return None, subset or everything


def _settled_by_latin_letters(
    words: list[str], everything: frozenset[str], half: float
) -> str | None:
    """``_settled_by_letters`` for words without Chinese or Japanese characters: a word
    votes only by the unique letters it carries (what the general loop counts for them)."""
    votes: dict[str | None, int] = {}
    for word in words:
        found: str | None = None
        if not _UNIQUE.isdisjoint(word):
            counts = {
                code: n
                for code, letters in UNIQUE_LETTERS.items()
                if code in everything and (n := sum(map(word.count, letters)))
            }
            if len(counts) == 1:
                found = next(iter(counts))
            elif len(counts) > 1:
                ranked = sorted(counts.values(), reverse=True)
                found = max(counts, key=lambda k: counts[k]) if ranked[0] > ranked[1] else None
        votes[found] = votes.get(found, 0) + 1
    return _vote(votes, half)


def _settled_by_letters(words: list[str], everything: frozenset[str], half: float) -> str | None:
    """lingua's ``detect_language_with_rules``: each word votes for the one registered
    language whose unique letters it carries most (else for none)."""
    totals: dict[str | None, int] = {}
    for word in words:
        counts: dict[str, int] = {}
        for char in word:
            script = _script(char)
            if script == "CJK":
                counts["(zh)"] = counts.get("(zh)", 0) + 1
            elif script in ("HIRAGANA", "KATAKANA"):
                counts["(ja)"] = counts.get("(ja)", 0) + 1
            elif script == "LATIN":
                for code, letters in UNIQUE_LETTERS.items():
                    if char in letters and code in everything:
                        counts[code] = counts.get(code, 0) + 1
        found: str | None = None
        if len(counts) == 1:
            found = next(iter(counts))
        elif len(counts) > 1 and not ("(zh)" in counts and "(ja)" in counts):
            ranked = sorted(counts.values(), reverse=True)
            best = max(counts, key=lambda k: counts[k])
            found = best if ranked[0] > ranked[1] else None
        key = found if found in everything else None
        totals[key] = totals.get(key, 0) + 1
    return _vote(totals, half)


def _vote(totals: dict[str | None, int], half: float) -> str | None:
    """The language most words voted for, if the words voting for none are under half
    and no other language has as many votes."""
    if totals.get(None, 0) < half:
        totals.pop(None, None)
    if len(totals) == 1:
        return next(iter(totals))
    if len(totals) > 1:
        ranked_totals = sorted(totals.items(), key=lambda kv: -kv[1])
        if ranked_totals[0][1] != ranked_totals[1][1]:
            return ranked_totals[0][0]
    return None


@dataclass(frozen=True)
class _RuleTables:
    """Per character of the Basic Multilingual Plane, what the rules look at."""

    in_word: NDArray[np.bool_]
    """``_WORD`` matches it."""
    other_letter: NDArray[np.bool_]
    """A letter of another alphabet than Latin."""
    unique: NDArray[np.int64]
    """Index in ``unique_codes`` of the language whose unique letter it is, else -1."""
    unique_codes: NDArray[np.int64]
    """The languages of ``UNIQUE_LETTERS`` (positions in the languages)."""
    rule_letter: NDArray[np.int64]
    """Index of the letter among the rule letters that name languages, else -1."""
    named: NDArray[np.int64]
    """Rule letter x language: 1 where the letter names the language."""


@lru_cache(maxsize=2)
def _rule_tables(languages: tuple[str, ...]) -> _RuleTables:
    chars = [chr(point) for point in range(_BMP)]
    in_word = np.array([_WORD.fullmatch(char) is not None for char in chars])
    other = np.array([char.isalpha() and _script(char) != "LATIN" for char in chars])
    codes = [code for code in UNIQUE_LETTERS if code in languages]
    unique = np.full(_BMP, -1, dtype=np.int64)
    for index, code in enumerate(codes):
        unique[[ord(char) for char in UNIQUE_LETTERS[code]]] = index
    naming = sorted(char for char in _RULE_LETTERS if _NAMED_BY[char] & set(languages))
    rule_letter = np.full(_BMP, -1, dtype=np.int64)
    rule_letter[[ord(char) for char in naming]] = np.arange(len(naming))
    named = np.array(
        [[code in _NAMED_BY[char] for code in languages] for char in naming], dtype=np.int64
    ).reshape(len(naming), len(languages))
    return _RuleTables(
        in_word=in_word,
        other_letter=other,
        unique=unique,
        unique_codes=np.array([languages.index(code) for code in codes], dtype=np.int64),
        rule_letter=rule_letter,
        named=named,
    )


def _latin_rules(
    points: NDArray[np.uint32], owner: NDArray[np.int64], count: int, languages: tuple[str, ...]
) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.bool_]]:
    """``rule_languages`` for every text at once, from the texts' code points (``owner``:
    each point's text): (settled language index or -1, languages allowed, texts left to
    ``rule_languages``: those with a letter of another alphabet or beyond the BMP)."""
    width = len(languages)
    tables = _rule_tables(languages)
    settled = np.full(count, -1, dtype=np.int64)
    allowed = np.ones((count, width), dtype=bool)
    beyond = points >= _BMP
    point = np.minimum(points, _BMP - 1)
    unsure = np.zeros(count, dtype=bool)
    unsure[owner[beyond | tables.other_letter[point]]] = True
    in_word = tables.in_word[point] & ~beyond
    starts = in_word & ~np.r_[False, in_word[:-1]]
    word_of = np.cumsum(starts) - 1  # at word positions: the word's number
    word_text = owner[starts]
    words = np.bincount(word_text, minlength=count)
    half = words * 0.5
    # Unique letters: each word votes for the language whose unique letters it carries most.
    at = np.flatnonzero(in_word & (tables.unique[point] >= 0))
    groups = len(tables.unique_codes)
    if len(at) and groups:
        carried = np.bincount(
            word_of[at] * groups + tables.unique[point[at]], minlength=len(word_text) * groups
        ).reshape(len(word_text), groups)
        top = carried.max(axis=1)
        wins = (carried == top[:, None]) & (top[:, None] > 0)
        voter = wins.sum(axis=1) == 1  # a tie votes for no language
        votes = np.zeros((count, groups), dtype=np.int64)
        np.add.at(votes, (word_text[voter], np.argmax(wins[voter], axis=1)), 1)
        blank = words - votes.sum(axis=1)  # words voting for no language
        ranked = np.sort(np.c_[votes, np.where(blank >= half, blank, 0)], axis=1)
        leader = np.argmax(votes, axis=1)
        best = votes[np.arange(count), leader]
        sole = (best > 0) & (best > ranked[:, -2]) & (best == ranked[:, -1])
        settled[sole] = tables.unique_codes[leader[sole]]
    # Letters a few languages share: a language stays possible if the words carrying its
    # letters are at least half of the words.
    at = np.flatnonzero(in_word & (tables.rule_letter[point] >= 0))
    letters = len(tables.named)
    if len(at):
        pairs = np.unique(word_of[at] * letters + tables.rule_letter[point[at]])
        carrying = np.bincount(
            word_text[pairs // letters] * letters + pairs % letters, minlength=count * letters
        ).reshape(count, letters)
        subset = (carrying @ tables.named) >= half[:, None]
        narrowed = subset.any(axis=1) & (settled < 0)
        allowed[narrowed] = subset[narrowed]
        alone = narrowed & (subset.sum(axis=1) == 1)
        settled[alone] = np.argmax(subset[alone], axis=1)
    return settled, allowed, unsure


def _look_up(
    table: NgramTable, n: int, language: int, distinct: NDArray[np.uint64]
) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """(known, index in the language's order-``n`` table) of sorted distinct keys."""
    known = table.keys[n - 1][language]
    hit = np.zeros(len(distinct), dtype=bool)
    at = np.zeros(len(distinct), dtype=np.int64)
    if not len(known):
        return hit, at
    base = np.uint64(table.size**4)
    low = (distinct % base).astype(np.uint32)
    if n < ORDERS:
        groups = [(0, len(distinct), 0, len(known))]
    else:
        high = (distinct // base).astype(np.int64)
        edges = np.flatnonzero(np.r_[True, high[1:] != high[:-1], True])
        starts = table.starts[language]
        groups = [
            (a, b, int(starts[high[a]]), int(starts[high[a] + 1]))
            for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True)
        ]
    for a, b, lo, hi in groups:
        if hi == lo:
            continue
        where = np.minimum(np.searchsorted(known[lo:hi], low[a:b]), hi - lo - 1) + lo
        hit[a:b] = known[where] == low[a:b]
        at[a:b] = where
    return hit, at


def _distinct(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The distinct values, ascending (``np.unique``'s result; its hash table, numpy's choice
    when no index is asked for, is several times slower on these keys than a sort)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def short_confidences(texts: list[str], table: NgramTable) -> NDArray[np.float64]:
    """Per text, per language of ``table``: lingua's confidence values for a text read with
    all its n-gram orders (rows of zeros: lingua finds no language)."""
    out = np.empty((len(texts), len(table.languages)), dtype=np.float64)
    for start, end in chunks(texts, _CHUNK_CHARS):
        out[start:end] = _confidences(texts[start:end], table)
    return out


def _confidences(texts: list[str], table: NgramTable) -> NDArray[np.float64]:
    count, width = len(texts), len(table.languages)
    lowered = [text.strip().lower() for text in texts]
    lengths = np.fromiter((len(t) + 1 for t in lowered), dtype=np.int64, count=count)
    points = np.frombuffer("\n".join(lowered).encode("utf-32-le"), dtype=np.uint32)
    codes = table.letter_index[np.minimum(points, _BMP - 1)].astype(np.int64)
    owner = np.repeat(np.arange(count, dtype=np.int64), lengths)[: len(codes)]
    settled, allowed, unsure = _latin_rules(points, owner, count, table.languages)
    for row in np.flatnonzero(unsure).tolist():
        language, possible = rule_languages(lowered[row], table.languages)
        if language is not None:
            settled[row] = table.languages.index(language)
        elif len(possible) < width:
            allowed[row] = [code in possible for code in table.languages]
            if len(possible) == 1:
                settled[row] = table.languages.index(next(iter(possible)))
    # Letters ahead in the same word, the position's own included.
    is_letter = codes >= 0
    # The first non-letter at or after each position (the end of the texts if none).
    index = np.arange(len(codes))
    next_break = np.minimum.accumulate(np.where(is_letter, len(codes), index)[::-1])[::-1]
    ahead = np.where(is_letter, next_break - index, 0)
    totals = np.zeros((count, width), dtype=np.float64)
    known_letters = np.zeros((count, width), dtype=np.int64)
    size = np.uint64(table.size)
    positions = np.flatnonzero(ahead >= 1)
    keys = codes[positions].astype(np.uint64)
    shorter: tuple[NDArray[np.uint64], NDArray[np.float64]] | None = None
    for n in range(1, ORDERS + 1):
        if n > 1:
            keep = ahead[positions] >= n
            positions, keys = positions[keep], keys[keep]
            keys = keys * size + codes[positions + n - 1].astype(np.uint64)
        if not len(positions):
            break
        # lingua counts each n-gram once per text: the (text, n-gram) pairs, in that order.
        scale = np.uint64(table.size**n)
        pairs = _distinct(owner[positions].astype(np.uint64) * scale + keys)
        text_of = (pairs // scale).astype(np.int64)
        # Each distinct n-gram looked up once, in order (a sorted search is cache-friendly);
        # one a language never saw scores as its longest prefix the language knows.
        distinct, inverse = np.unique(pairs % scale, return_inverse=True)
        if shorter is None:
            backed = np.zeros((len(distinct), width), dtype=np.float64)
        else:
            prefixes, prefix_backed = shorter
            backed = prefix_backed[np.searchsorted(prefixes, distinct // size)]
        for j in range(width):
            hit, at = _look_up(table, n, j, distinct)
            backed[hit, j] = table.logs[n - 1][j][at[hit]]
        shorter = distinct, backed
        starts = np.flatnonzero(np.r_[True, text_of[1:] != text_of[:-1]])
        values = backed[inverse]
        totals[text_of[starts]] += np.add.reduceat(values, starts, axis=0)
        if n == 1:
            known_letters[text_of[starts]] = np.add.reduceat(values < 0, starts, axis=0)
    averaged = totals / np.maximum(known_letters, 1)
    scored = allowed & (averaged != 0)
    logits = np.where(scored, averaged, -np.inf)
    best = logits.max(axis=1)
    finite = np.isfinite(best)
    shifted = np.where(scored, np.exp(logits - np.where(finite, best, 0.0)[:, None]), 0.0)
    sums = shifted.sum(axis=1)
    confidences = np.where(finite[:, None], shifted / np.where(finite, sums, 1.0)[:, None], 0.0)
    for ruled in np.flatnonzero(settled >= 0).tolist():
        confidences[ruled] = 0.0
        confidences[ruled, settled[ruled]] = 1.0
    return confidences

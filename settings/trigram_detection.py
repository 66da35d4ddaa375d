"""The first stage of language detection: lingua's own trigram model, scored with numpy.

lingua reads a text of 120 letters or more with its trigram models only: for each language,
the sum over the text's distinct letter trigrams of the log relative frequency of the
trigram (backing off to its first two letters, then its first letter; an n-gram the
language never saw adds nothing), and the confidence values are the softmax of those sums.
``settings/data/detection_trigrams.npz`` holds exactly those per-trigram values for every
registered language, taken from lingua's bundled models (Apache-2.0; built by
``benchmarks/build_detection_trigrams.py``), so ``trigram_scores`` computes the same sums
for a whole batch at once in a few array operations: on 50,000 reviews of 300 characters,
1 s of CPU where lingua took about 20 s, with about 30 MB of tables (a direct row index per
trigram) where lingua's models take about 290 MB once a short text needs them all.

Texts are scored one by one in effect (sums per text): a text's scores never depend on the
other texts of its batch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from settings.languages import LANGUAGE_CODES
from settings.mapped_arrays import mapped_arrays

TABLE_FILE = Path(__file__).with_name("data") / "detection_trigrams.npz"
_BMP = 0x10000
_NOT_A_LETTER = -1
_CHUNK_CHARS = 200_000
"""Texts are scored in groups of about this many characters (bounds the arrays' memory)."""


@dataclass(frozen=True)
class TrigramTable:
    languages: tuple[str, ...]
    size: int
    """Letters known to any model, plus one for a letter none knows (index 0)."""
    letter_index: NDArray[np.int16]
    """Per BMP code point: its letter index, 0 for an unknown letter, -1 for a non-letter."""
    row_of: NDArray[np.int32]
    """Per trigram key ``(a * size + b) * size + c``: its row of ``values`` (a trigram no
    model knows: its bigram's back-off row)."""
    values: NDArray[np.float64]
    """Per row, per language: the backed-off log relative frequency (0: never seen); the
    known trigrams' rows, then one back-off row per bigram key ``a * size + b``."""
    lingua_version: str


@lru_cache(maxsize=1)
def trigram_table() -> TrigramTable | None:
    """The table, or None if it does not cover exactly the registered languages (then the
    first stage is skipped and lingua reads every text). Its arrays are memory-mapped from
    the cache (``settings.mapped_arrays``): processes share them."""
    if not TABLE_FILE.exists():
        return None
    arrays = mapped_arrays(
        "detection-trigrams", TABLE_FILE, f"trigram-table-1 {LANGUAGE_CODES}", _table_arrays
    )
    if arrays is None:
        return None
    return TrigramTable(
        languages=LANGUAGE_CODES,
        size=int(arrays["size"]),
        letter_index=arrays["letter_index"],
        row_of=arrays["row_of"],
        values=arrays["values"],
        lingua_version=str(arrays["lingua_version"]),
    )


def _table_arrays() -> dict[str, NDArray[Any]] | None:
    """``trigram_table``'s arrays, computed from ``TABLE_FILE``."""
    with np.load(TABLE_FILE) as data:
        alphabet = table_alphabet(data)
        if alphabet is None:
            return None
        lookup, size = alphabet
        keys = data["trigram_keys"]
        # 20 MB of row numbers buy a direct lookup per trigram (no search).
        row_of = (np.arange(size**3, dtype=np.int32) // size + len(keys)).astype(np.int32)
        row_of[keys] = np.arange(len(keys), dtype=np.int32)
        return {
            "size": np.array(size),
            "letter_index": lookup,
            "row_of": row_of,
            "values": np.vstack([data["trigrams"], data["bigrams"]]).astype(np.float64),
            "lingua_version": np.array(str(data["lingua_version"])),
        }


def table_alphabet(data: Mapping[str, Any]) -> tuple[NDArray[np.int16], int] | None:
    """A detection table's letter lookup and alphabet size (its letters plus one for a letter
    none knows); None if the table is not for exactly the registered languages."""
    if tuple(str(code) for code in data["languages"]) != LANGUAGE_CODES:
        return None
    letters = tuple(str(letter) for letter in data["letters"])
    return letter_lookup(letters), len(letters) + 1


@lru_cache(maxsize=2)
def letter_lookup(letters: tuple[str, ...]) -> NDArray[np.int16]:
    """Per BMP code point: its index in ``letters`` plus one, 0 for a letter not there, -1
    for a non-letter (the letter numbering of both detection tables)."""
    index = {letter: i + 1 for i, letter in enumerate(letters)}
    lookup = np.full(_BMP, _NOT_A_LETTER, dtype=np.int16)
    for point in range(_BMP):
        char = chr(point)
        if unicodedata.category(char).startswith("L"):
            lookup[point] = index.get(char, 0)
    return lookup


def chunks(texts: list[str], chars: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive groups of ``texts`` of about ``chars`` characters each."""
    start = 0
    while start < len(texts):
        end, total = start, 0
        while end < len(texts) and (end == start or total + len(texts[end]) <= chars):
            total += len(texts[end]) + 1
            end += 1
        yield start, end
        start = end


def trigram_scores(
    texts: list[str], table: TrigramTable
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """(scores, letters): per text, per language of ``table``, lingua's trigram sum (-inf
    where the language knows none of the text's n-grams: lingua leaves it out), and the
    number of letters lingua counts for the text (its words' lengths)."""
    scores = np.empty((len(texts), len(table.languages)), dtype=np.float64)
    letters = np.empty(len(texts), dtype=np.int64)
    for start, end in chunks(texts, _CHUNK_CHARS):
        scores[start:end], letters[start:end] = _scores(texts[start:end], table)
    return scores, letters


def _scores(texts: list[str], table: TrigramTable) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    count = len(texts)
    lowered = [text.strip().lower() for text in texts]
    lengths = np.fromiter((len(t) + 1 for t in lowered), dtype=np.int64, count=count)
    points = np.frombuffer("\n".join(lowered).encode("utf-32-le"), dtype=np.uint32)
    # Outside the BMP: 0xFFFF, a non-character (no model has a letter there).
    letter_codes = table.letter_index[np.minimum(points, _BMP - 1)]
    # 32 bits while a trigram key fits in them (int64 arithmetic cost more)
    wide = table.size**3 > np.iinfo(np.int32).max
    codes: NDArray[np.signedinteger[Any]] = letter_codes.astype(np.int64 if wide else np.int32)
    owner = np.repeat(np.arange(count, dtype=np.int64), lengths)[: len(codes)]
    letters = np.bincount(owner[codes >= 0], minlength=count)
    # A trigram is three letters in a row (texts are joined by a newline, a non-letter).
    at = np.flatnonzero((codes[:-2] >= 0) & (codes[1:-1] >= 0) & (codes[2:] >= 0))
    size = table.size
    # The text's number goes in the bits above the key's: shifts and masks split them again
    # where division took a fifth of the stage.
    keys = (codes[at] * size + codes[at + 1]) * size + codes[at + 2]
    shift = (size**3 - 1).bit_length()
    # lingua counts each trigram once per text
    combined = np.sort((owner[at] << shift) | keys)
    distinct = combined[np.r_[True, combined[1:] != combined[:-1]]] if len(combined) else combined
    text_of, keys = distinct >> shift, distinct & ((1 << shift) - 1)
    scores = np.zeros((count, len(table.languages)), dtype=np.float64)
    if len(keys):
        starts = np.flatnonzero(np.r_[True, text_of[1:] != text_of[:-1]])
        # np.take: the same rows as indexing, gathered in half the time
        values = np.take(table.values, np.take(table.row_of, keys), axis=0)
        scores[text_of[starts]] = np.add.reduceat(values, starts, axis=0)
    scores[scores >= 0] = -np.inf
    return scores, letters

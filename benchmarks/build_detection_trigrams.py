"""Builds ``settings/data/detection_trigrams.npz``, the first stage of language detection.

Usage: python benchmarks/build_detection_trigrams.py [OUT]

The table holds lingua's own trigram model of every registered language (lingua's models are
Apache-2.0, Peter M. Stahl; see ``settings/data/README.md``), with lingua's back-off already
applied: for each trigram any registered language knows, and each language, the natural log
of the language's relative frequency of the trigram, else of its first two letters, else of
its first letter, else 0 (lingua's rule: an n-gram a language never saw adds nothing). A
trigram no registered language knows backs off through the bigram table the same way.

lingua-py ships its models inside its compiled extension (brotli-compressed JSON files
embedded by the ``include_dir`` crate); this script finds them through the extension's ELF
relocations, so it needs the installed ``lingua`` wheel and ``brotli``, and runs only when
lingua or the registry changes. Nothing here runs at import or detection time.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from fractions import Fraction
from pathlib import Path

import brotli
import lingua
import numpy as np

from settings.languages import LANGUAGES

OUT = Path(__file__).resolve().parents[1] / "settings" / "data" / "detection_trigrams.npz"
ORDERS = ("unigrams", "bigrams", "trigrams")
SHORT_ORDERS = ("unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams")
SHORT_OUT = OUT.with_name("detection_ngrams.npz")


def _sections(data: bytes) -> list[tuple[str, int, int, int, int]]:
    """(name, type, address, offset, size) of each ELF64 section."""
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    entsize, count, names_index = struct.unpack_from("<HHH", data, 0x3A)
    raw = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * entsize) for i in range(count)]
    names_at = raw[names_index][4]

    def name(offset: int) -> str:
        start = names_at + offset
        return data[start : data.index(b"\0", start)].decode()

    return [(name(s[0]), s[1], s[3], s[4], s[5]) for s in raw]


def embedded_models(
    wanted: set[str], orders: tuple[str, ...] = ORDERS
) -> dict[tuple[str, str], dict[str, float]]:
    """{(LINGUA_LANGUAGE_NAME, order): {ngram: relative frequency}} for ``wanted`` names."""
    so = next(Path(lingua.__file__).parent.glob("lingua*.so"))
    data = so.read_bytes()
    sections = _sections(data)
    by_name = {s[0]: s for s in sections}

    def file_offset(address: int) -> int | None:
        for _, kind, start, offset, size in sections:
            if start and start <= address < start + size and kind != 8:  # 8: NOBITS
                return address - start + offset
        return None

    rela = by_name[".rela.dyn"]
    relocated: dict[int, int] = {}
    for i in range(rela[4] // 24):
        where, info, addend = struct.unpack_from("<QQq", data, rela[3] + i * 24)
        if info & 0xFFFFFFFF == 8:  # R_X86_64_RELATIVE
            relocated[where] = addend
    rodata = by_name[".rodata"]
    models: dict[tuple[str, str], dict[str, float]] = {}
    for order in orders:
        file_name = f"{order}.json.br".encode()
        addresses = set()
        start = rodata[3]
        while (found := data.find(file_name, start, rodata[3] + rodata[4])) >= 0:
            addresses.add(found - rodata[3] + rodata[2])
            start = found + 1
        for where, addend in relocated.items():
            at = file_offset(where) if addend in addresses else None
            if at is None or struct.unpack_from("<Q", data, at + 8)[0] != len(file_name):
                continue
            contents = relocated.get(where + 16)
            size = struct.unpack_from("<Q", data, at + 24)[0]
            start_at = file_offset(contents) if contents is not None else None
            if start_at is None:
                continue
            model = json.loads(brotli.decompress(data[start_at : start_at + size]))
            if model["language"] in wanted:
                models[(model["language"], order)] = {
                    ngram: float(Fraction(frequency))
                    for frequency, ngrams in model["ngrams"].items()
                    for ngram in ngrams.split(" ")
                }
    missing = {(name, order) for name in wanted for order in orders} - set(models)
    if missing:
        raise SystemExit(f"models not found in {so}: {sorted(missing)}")
    return models


def _names() -> list[str]:
    return [
        lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, entry.detector)).name
        for entry in LANGUAGES
    ]


def build(out: Path, models: dict[tuple[str, str], dict[str, float]]) -> None:
    names = _names()
    letters = sorted({c for name in names for c in models[(name, "unigrams")]})
    index = {c: i + 1 for i, c in enumerate(letters)}  # 0: a letter no language knows
    size = len(letters) + 1
    n = len(names)

    bigrams = np.zeros((size * size, n), dtype=np.float32)
    for a in letters:
        for b in letters:
            row = index[a] * size + index[b]
            for j, name in enumerate(names):
                frequency = models[(name, "bigrams")].get(a + b) or models[(name, "unigrams")].get(
                    a
                )
                bigrams[row, j] = math.log(frequency) if frequency else 0.0
    trigram_set = sorted(
        {t for name in names for t in models[(name, "trigrams")] if all(c in index for c in t)},
        key=lambda t: (index[t[0]] * size + index[t[1]]) * size + index[t[2]],
    )
    keys = np.array(
        [(index[t[0]] * size + index[t[1]]) * size + index[t[2]] for t in trigram_set],
        dtype=np.int32,
    )
    trigrams = np.zeros((len(keys), n), dtype=np.float32)
    for i, t in enumerate(trigram_set):
        for j, name in enumerate(names):
            frequency = models[(name, "trigrams")].get(t)
            trigrams[i, j] = math.log(frequency) if frequency else bigrams[keys[i] // size, j]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        languages=np.array([entry.code for entry in LANGUAGES]),
        letters=np.array(letters),
        trigram_keys=keys,
        trigrams=trigrams,
        bigrams=bigrams,
        lingua_version=np.array(lingua_version()),
    )
    print(
        f"{out}: {len(names)} languages, {len(letters)} letters, {len(keys)} trigrams, "
        f"{out.stat().st_size / 1e6:.1f} MB"
    )


def build_short(out: Path, models: dict[tuple[str, str], dict[str, float]]) -> None:
    """``detection_ngrams.npz``: per registered language and n-gram order (1 to 5), the
    n-grams the language knows as sorted integer keys (letters numbered as in the trigram
    table, base ``len(letters) + 1``) and their natural-log relative frequencies (float32).
    No back-off is applied here: the scorer backs off through the lower orders itself."""
    names = _names()
    letters = sorted({c for name in names for c in models[(name, "unigrams")]})
    index = {c: i + 1 for i, c in enumerate(letters)}
    size = len(letters) + 1
    arrays: dict[str, np.ndarray] = {}
    for n, order in enumerate(SHORT_ORDERS, start=1):
        for entry, name in zip(LANGUAGES, names, strict=True):
            pairs = []
            for ngram, frequency in models[(name, order)].items():
                key = 0
                for c in ngram:
                    key = key * size + index.get(c, 0)
                pairs.append((key, math.log(frequency)))
            pairs.sort()
            arrays[f"keys{n}_{entry.code}"] = np.array([k for k, _ in pairs], dtype=np.uint64)
            arrays[f"logs{n}_{entry.code}"] = np.array([v for _, v in pairs], dtype=np.float32)
    np.savez_compressed(
        out,
        languages=np.array([entry.code for entry in LANGUAGES]),
        lingua_names=np.array(names),
        letters=np.array(letters),
        lingua_version=np.array(lingua_version()),
        **arrays,
    )
    count = sum(len(a) for k, a in arrays.items() if k.startswith("keys"))
    print(f"{out}: {len(names)} languages, {count} n-grams, {out.stat().st_size / 1e6:.1f} MB")


def lingua_version() -> str:
    from importlib.metadata import version

    return version("lingua-language-detector")


if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1].startswith("-"):
        print(__doc__)
        sys.exit(0 if sys.argv[1] in ("-h", "--help") else 2)
    all_models = embedded_models(set(_names()), SHORT_ORDERS)
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target, all_models)
    build_short(target.with_name(SHORT_OUT.name), all_models)

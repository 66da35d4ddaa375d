"""Regenerate spiders/extract/data/month_names.json: the month names (and their inflected and
abbreviated forms) that review dates are written with, per language, from dateparser's
translation data (Unicode CLDR, which dateparser ships; no page's words).

    python benchmarks/month_table.py spiders/extract/data/month_names.json

A language whose names would give another month to a name an earlier language uses is left
out (Croatian: "listopad" is October there, November in Polish and Czech); the script says
which. Names shorter than three letters and Roman numerals are not written; each name is also
written without its accents ("fevrier", "aout").
"""

from __future__ import annotations

import argparse
import importlib
import json
import unicodedata
from pathlib import Path

# The registered languages first, then others review pages are common in.
LANGUAGES = tuple(
    [
        "en",
        "fr",
        "pl",
        "nb",
        "nn",
        "da",
        "sv",
        "de",
        "it",
        "es",
        "nl",
        "pt",
        "ro",
        "hu",
        "tr",
        "cs",
        "sk",
        "fi",
        "et",
        "sl",
        "ru",
        "uk",
        "bg",
        "el",
        "hr",
    ]
)
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _unaccented(name: str) -> str:
    """``name`` without its accents ("février" -> "fevrier"), as many pages write it."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def month_names(language: str) -> list[list[str]]:
    """The twelve months' names in ``language``, folded to lower case, without a dot, each
    also without its accents."""
    info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
    table = []
    for month in MONTHS:
        names = {name.casefold().rstrip(".") for name in info.get(month, [])}
        names |= {_unaccented(name) for name in names}
        table.append(sorted(n for n in names if len(n) >= 3 and n.isalpha()))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    taken: dict[str, int] = {}
    tables: dict[str, list[list[str]]] = {}
    for language in LANGUAGES:
        table = month_names(language)
        clashes = sorted(
            name
            for number, names in enumerate(table, 1)
            for name in names
            if taken.get(name, number) != number
        )
        if clashes:
            print(f"left out {language}: {', '.join(clashes)} name another month before")
            continue
        for number, names in enumerate(table, 1):
            for name in names:
                taken.setdefault(name, number)
        tables[language] = table
    out.write_text(json.dumps(tables, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(tables)} languages, {len(taken)} names -> {out}")


if __name__ == "__main__":
    main()

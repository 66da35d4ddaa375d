"""Regenerate spiders/extract/data/relative_dates.json: how each language writes a time
before today ("3 weeks ago", "há 3 semanas", "3日前", "yesterday"), from dateparser's
translation data (Unicode CLDR, which dateparser ships; no page's words), for every language
it ships.

    python benchmarks/relative_table.py spiders/extract/data/relative_dates.json

Days, weeks, months and years only (a review's date; "3 hours ago" is today), past only ("in
3 days" is no review's date). "forms": per unit, the written forms of all languages with "#"
for the number ("há # dias", "#日前"); "words": per number and unit, phrases ("1 day":
"ontem", "yesterday"; "2 day": "anteontem"); "ago" and "units": per language, its words for
"ago" and for each unit, which a text of one of each (a number or none: "منذ شهر") is too.
All lower case (casefolded).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import re
from pathlib import Path
from typing import Any

UNITS = ("day", "week", "month", "year")
_NUMBER_GROUP = re.compile(r"\(\\d\+\+\[\.,\]\?\\d\*\+\)")
_PAST_FORM = re.compile(r"\\1 (\w+) ago")
_PAST_WORDS = re.compile(r"([1-9]\d*) (\w+) ago")


def _languages() -> list[str]:
    """dateparser's languages (not its regional variants, which repeat them)."""
    package = importlib.import_module("dateparser.data.date_translation_data")
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if "-" not in m.name)


def relative_table(language: str) -> dict[str, Any]:
    """``language``'s relative dates of a day or more before today (see the module)."""
    info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
    forms: dict[str, set[str]] = {unit: set() for unit in UNITS}
    for key, patterns in info.get("relative-type-regex", {}).items():
        match = _PAST_FORM.fullmatch(key)
        if match and match.group(1) in UNITS:
            for pattern in patterns:
                form = _NUMBER_GROUP.sub("#", pattern).casefold()
                # plain text only: a pattern with more than a number is left to dateparser
                if form.count("#") == 1 and not re.search(r"[\\()\[\]|?*+{}]", form):
                    forms[match.group(1)].add(form)
    words: dict[str, list[object]] = {}
    for key, phrases in info.get("relative-type", {}).items():
        match = _PAST_WORDS.fullmatch(key)
        if match and match.group(2) in UNITS:
            for phrase in phrases:
                words[phrase.casefold()] = [int(match.group(1)), match.group(2)]
    ago = sorted({w.casefold() for w in info.get("ago", []) if len(w) >= 2})
    units = {u: sorted({w.casefold() for w in info.get(u, []) if len(w) >= 2}) for u in UNITS}
    written = {unit: sorted(fs) for unit, fs in forms.items() if fs}
    table: dict[str, Any] = {"forms": written, "words": dict(sorted(words.items()))}
    if ago and any(units.values()):
        table |= {"ago": ago, "units": {u: ws for u, ws in units.items() if ws}}
    return {k: v for k, v in table.items() if v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    forms: dict[str, set[str]] = {unit: set() for unit in UNITS}
    words: dict[str, set[str]] = {}
    ago: dict[str, object] = {}
    units: dict[str, object] = {}
    for language in _languages():
        table = relative_table(language)
        for unit, written in table.get("forms", {}).items():
            forms[unit].update(written)
        for phrase, (number, unit) in table.get("words", {}).items():
            words.setdefault(f"{number} {unit}", set()).add(phrase)
        if "ago" in table:
            ago[language], units[language] = table["ago"], table["units"]
    tables = {
        "forms": {unit: sorted(written) for unit, written in forms.items()},
        "words": {key: sorted(phrases) for key, phrases in sorted(words.items())},
        "ago": ago,
        "units": units,
    }
    text = json.dumps(tables, ensure_ascii=False, separators=(",", ":")) + "\n"
    out.write_text(text, encoding="utf-8")
    print(f"{len(_languages())} languages, {len(ago)} with words for ago -> {out}")
    print(f"{len(text.encode())} bytes")


if __name__ == "__main__":
    main()

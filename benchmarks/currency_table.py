"""Write ``spiders/extract/data/currencies.json``: every currency symbol of CLDR's locales.

    pip install babel && python benchmarks/currency_table.py

The table is data, generated once from the Unicode CLDR (through babel's copy of it) and
committed, so that extraction reads every currency sign any locale writes without a
runtime dependency. It holds:

- ``codes``: the ISO 4217 codes some territory uses as legal tender today, with HRK
  (Croatia's until 2023, still on saved pages);
- ``decimals``: each code's minor-unit digits where they are not two (JPY 0, KWD 3);
- ``symbols``: sign -> the codes that locales write with it, most locales first;
- ``defaults``: for signs shared by several currencies, the one English writes with it
  ("$" -> USD, "¥" -> JPY), else one that four times as many locales write with it
  ("C$" -> CAD); a shared sign without one ("kr", "Rs") needs a hint;
- ``languages``: for signs shared by several currencies, the one each language's own
  locale writes with it (CLDR's locale without a region, "zh" for Simplified Chinese of
  China, "zh_Hant" for Traditional, "sv"): "¥" is CNY in "zh" and JPY in "zh_Hant", "￥"
  JPY in "ja", "kr" SEK in "sv" (only where it is not the sign's default); a sign and its
  full-width form ("¥", "￥") count as one. A page in that language reads the sign so.

One-letter signs ("R", "K", "L") are left out: on a page they are sizes, initials and
units far more often than currencies.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "spiders" / "extract" / "data" / "currencies.json"
FORMER_CODES = ("HRK",)
# Right-to-left marks CLDR puts around Arabic signs; pages rarely carry them.
_BIDI_MARKS = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u061c\u202a\u202b\u202c"), None)


# A shared sign means one currency when that many times more locales write it so.
_DOMINANCE = 4


def _dominant(counts: Counter[str]) -> str | None:
    (first, most), (_, next_most) = counts.most_common(2)
    return first if most >= _DOMINANCE * next_most else None


def _same_sign(sign: str) -> str:
    """A sign and its compatibility forms as one ("￥" is the full-width "¥"): a language
    writes either for the same currency."""
    return unicodedata.normalize("NFKC", sign)


def _language_readings(by_language: dict[str, set[str]], default: str | None) -> dict[str, str]:
    """Language locale -> the one code it writes with a shared sign, where not the default,
    or where a script's locale differs from its language's ("zh_Hant" JPY, "zh" CNY)."""
    one = {tag: next(iter(found)) for tag, found in sorted(by_language.items()) if len(found) == 1}
    return {
        tag: code
        for tag, code in one.items()
        if code != default or one.get(tag.split("_")[0], code) != code
    }


def main() -> int:
    try:
        import babel
        from babel import Locale, localedata
        from babel.core import get_global
        from babel.numbers import get_currency_precision, get_territory_currencies
    except ImportError:
        print("error: needs babel (pip install babel)", file=sys.stderr)
        return 2
    today = date(2024, 1, 1)
    codes: set[str] = set(FORMER_CODES)
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today, tender=True))
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    # sign -> language locale (no region) -> the codes it writes with the sign
    by_language: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for identifier in localedata.locale_identifiers():
        locale = Locale.parse(identifier)
        for code, symbol in locale.currency_symbols.items():
            if code not in codes:
                continue
            bare = symbol.translate(_BIDI_MARKS).strip()
            for sign in {bare, bare.rstrip(".")}:
                if sign and sign != code and not (len(sign) == 1 and sign.isalpha()):
                    uses[sign][code] += 1
                    if not locale.territory:
                        by_language[_same_sign(sign)][str(locale)].add(code)
    english = Locale.parse("en").currency_symbols
    symbols = {s: [c for c, _ in counts.most_common()] for s, counts in sorted(uses.items())}
    defaults = {
        s: next((c for c in found if english.get(c) == s), None) or _dominant(uses[s])
        for s, found in symbols.items()
        if len(found) > 1
    }
    table = {
        "source": f"Unicode CLDR via babel {babel.__version__}; benchmarks/currency_table.py",
        "codes": sorted(codes),
        "decimals": {
            c: get_currency_precision(c) for c in sorted(codes) if get_currency_precision(c) != 2
        },
        "symbols": symbols,
        "defaults": {s: c for s, c in defaults.items() if c},
        "languages": {
            s: read
            for s in defaults
            if (read := _language_readings(by_language[_same_sign(s)], defaults[s]))
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT}: {len(codes)} codes, {len(symbols)} symbols, {len(table['defaults'])} defaults")
    return 0


if __name__ == "__main__":
    sys.exit(main())

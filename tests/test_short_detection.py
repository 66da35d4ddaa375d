"""The short-text stage of language detection computes lingua's own numbers: on texts under
120 letters its confidence values are lingua's high-accuracy ones (rules, unigrams to
fivegrams), a text's values do not depend on its batch, and short texts never load lingua."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import numpy as np
import pytest

from rivalscope.demo.phrases import ASPECTS, CLAUSES
from settings.language_detection import _best, _code, _detector, detect_languages
from settings.languages import LANGUAGE_CODES
from settings.short_detection import (
    NgramTable,
    _latin_rules,
    ngram_table,
    rule_languages,
    short_confidences,
)
from settings.trigram_detection import trigram_scores, trigram_table

SHORT_TEXTS = [
    # One or two clauses of the demo reviews (en, fr, pl, no) ...
    *[
        text
        for language in CLAUSES
        for aspect in ASPECTS
        for kind in CLAUSES[language][aspect].values()
        for text in kind[:2]
    ],
    # ... and hand-written ones for every other registered language.
    "Der Kaffee schmeckt gut.",
    "Leider ist der Deckel gebrochen",
    "Die Größe passt",
    "Il caffè è ottimo!",
    "Consegna veloce, tutto perfetto",
    "El café sabe muy bien",
    "Llegó roto, una pena.",
    "Het apparaat is stil",
    "Snelle levering, goed product",
    "Kaffet smakar fantastiskt",
    "Leveransen tog två veckor",
    "Kaffen smager godt",
    "Låget gik i stykker efter en uge",
    "Leveringen tok tre uker.",
    # Rules: letters one language writes, letters a few share, another alphabet, short words.
    "Łódź",
    "straße",
    "señor",
    "blåbær",
    "über",
    "Привет мир",
    "ok",
    "top!!",
    "5/5 super 👍",
]


def _table() -> NgramTable:
    table = ngram_table()
    assert table is not None, "settings/data/detection_ngrams.npz is missing or stale"
    return table


def test_the_table_covers_the_registry_and_the_installed_lingua() -> None:
    table = _table()
    assert table.languages == LANGUAGE_CODES
    assert table.lingua_version == version("lingua-language-detector"), (
        "lingua changed: rebuild the tables with benchmarks/build_detection_trigrams.py"
    )


def test_the_texts_are_short_and_cover_every_language() -> None:
    trigrams = trigram_table()
    assert trigrams is not None
    _, letters = trigram_scores(SHORT_TEXTS, trigrams)
    assert (letters < 120).all()
    found = {_best(_detector().compute_language_confidence_values(t))[0] for t in SHORT_TEXTS}
    assert set(LANGUAGE_CODES) <= found


def test_on_short_texts_the_confidence_values_are_linguas() -> None:
    table = _table()
    ours = short_confidences(SHORT_TEXTS, table)
    detector = _detector()
    for text, row in zip(SHORT_TEXTS, ours, strict=True):
        theirs = {
            _code(v.language): v.value for v in detector.compute_language_confidence_values(text)
        }
        assert dict(zip(table.languages, row.tolist(), strict=True)) == pytest.approx(
            theirs, abs=1e-4
        ), text


def test_detect_languages_gives_linguas_pick_on_short_texts() -> None:
    detector = _detector()
    ours = detect_languages(SHORT_TEXTS, parallel=False)
    for text, (code, confidence) in zip(SHORT_TEXTS, ours, strict=True):
        theirs = _best(detector.compute_language_confidence_values(text))
        if sum(c.isalpha() for c in text) < 3:
            continue  # too few letters: detect_languages answers None before any stage
        assert code == theirs[0], text
        assert confidence == pytest.approx(theirs[1], abs=1e-4), text


RULE_TEXTS = [
    "łódź i gdańsk",  # unique letters settle Polish
    "straße und weg",  # ... and German
    "ß ł",  # one vote each: a tie settles nothing
    "ßł ok ok ok",  # one word carrying both (a tie): no vote, most words vote for none
    "łł ß ß",  # two words for German, one for Polish
    "ßñ ßñ",  # settled by ß before ñ (Spanish alone) is read
    "blåbær og brød",  # shared letters narrow to Norwegian and Danish
    "kaffet är gott",  # ä: German or Swedish
    "mañana señor",  # ñ: Spanish alone
    "café au lait et thé",  # é in two words of five: under half, every language stays
    "naïve crème brûlée",  # letters of French only, some of French and Italian
    "plain ascii words",
    "5/5 👍 super",  # beyond the Basic Multilingual Plane: left to rule_languages
    "привет мир",  # another alphabet: left to rule_languages
    "日本語 and ñ",
    "",
    "123 456",
]


@pytest.mark.parametrize("text", RULE_TEXTS)
def test_the_rules_for_a_whole_batch_are_rule_languages(text: str) -> None:
    languages = _table().languages
    batch = ["ok", text, "łódź", text]  # neighbours must not change a text's answer
    points = np.frombuffer("\n".join(batch).encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(batch)), [len(t) + 1 for t in batch])[: len(points)]
    settled, allowed, unsure = _latin_rules(points, owner, len(batch), languages)
    language, possible = rule_languages(text, languages)
    if unsure[1]:
        assert any(ord(c) >= 0x10000 or (c.isalpha() and not c.isascii()) for c in text)
        return
    if language is not None:
        assert languages[settled[1]] == language
    else:
        assert {code for code, kept in zip(languages, allowed[1], strict=True) if kept} == (
            possible
        )
        assert (settled[1] >= 0) == (len(possible) == 1)
    assert (settled[1], allowed[1].tolist()) == (settled[3], allowed[3].tolist())


def test_a_texts_values_do_not_depend_on_its_batch() -> None:
    table = _table()
    texts = SHORT_TEXTS[:40]
    alone = np.vstack([short_confidences([text], table) for text in texts])
    together = short_confidences(texts, table)
    reversed_batch = short_confidences(texts[::-1], table)
    assert np.array_equal(alone, together)
    assert np.array_equal(alone, reversed_batch[::-1])


def test_short_texts_do_not_build_linguas_detector() -> None:
    code = (
        "from settings.language_detection import _detector, detect_languages\n"
        f"print(detect_languages({SHORT_TEXTS!r})[:3], _detector.cache_info().currsize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split()[-1] == "0", done.stdout

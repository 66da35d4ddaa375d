"""The trigram stage of language detection computes lingua's own numbers: on a text of 120
letters or more its confidence values are lingua's, a text's scores do not depend on its
batch, and the table is the one built from the installed lingua."""

from __future__ import annotations

from importlib.metadata import version

import numpy as np
import pytest

from rivalscope.demo.phrases import ASPECTS, CLAUSES
from settings.language_detection import (
    LINGUA_TRIGRAMS_ONLY,
    SURE_MARGIN,
    _code,
    _detector,
    detect_languages,
)
from settings.languages import LANGUAGE_CODES
from settings.trigram_detection import TrigramTable, trigram_scores, trigram_table


def _table() -> TrigramTable:
    table = trigram_table()
    assert table is not None, "settings/data/detection_trigrams.npz is missing or stale"
    return table


def _reviews(language: str) -> list[str]:
    clauses = [c for aspect in ASPECTS for kind in CLAUSES[language][aspect].values() for c in kind]
    return [
        ". ".join(clauses[start : start + 6]).capitalize() + "."
        for start in range(0, len(clauses) - 6, 5)
    ]


LONG_TEXTS = [
    # Hand-written for the languages the demo shops do not write in.
    "Die Kaffeemaschine ist leise und der Kaffee schmeckt großartig, aber der Deckel ist nach "
    "einer Woche gebrochen und der Kundendienst hat nie geantwortet.",
    "La macchina è silenziosa e il caffè è ottimo, ma il coperchio si è rotto dopo una "
    "settimana e il servizio clienti non ha mai risposto alle mie email.",
    "La cafetera es silenciosa y el café sabe muy bien, pero la tapa se rompió después de una "
    "semana y el servicio de atención al cliente nunca contestó.",
    "Het apparaat is stil en de koffie smaakt heerlijk, maar het deksel brak na een week en "
    "de klantenservice heeft nooit op mijn berichten gereageerd.",
    "Maskinen är tyst och kaffet smakar fantastiskt, men locket gick sönder efter en vecka och "
    "kundtjänsten svarade aldrig på mina mejl om reklamationen.",
    "Maskinen er stille og kaffen smager fantastisk, men låget gik i stykker efter en uge og "
    "kundeservice svarede aldrig på mine mails om reklamationen.",
    *[text for language in CLAUSES for text in _reviews(language)],
]


def test_the_table_covers_the_registry_and_the_installed_lingua() -> None:
    table = _table()
    assert table.languages == LANGUAGE_CODES
    assert table.lingua_version == version("lingua-language-detector"), (
        "lingua changed: rebuild the table with benchmarks/build_detection_trigrams.py"
    )


def test_on_long_texts_the_confidence_values_are_linguas() -> None:
    long_texts = [t for t in LONG_TEXTS if sum(c.isalpha() for c in t) >= LINGUA_TRIGRAMS_ONLY + 10]
    assert len(long_texts) >= 20
    table = _table()
    scores, letters = trigram_scores(long_texts, table)
    assert (letters >= LINGUA_TRIGRAMS_ONLY).all()
    detector = _detector()
    for text, row in zip(long_texts, scores, strict=True):
        ours = np.exp(row - row.max())
        ours /= ours.sum()
        theirs = {
            _code(v.language): v.value for v in detector.compute_language_confidence_values(text)
        }
        assert dict(zip(table.languages, ours.tolist(), strict=True)) == pytest.approx(
            theirs, abs=1e-4
        ), text


def test_a_texts_scores_do_not_depend_on_its_batch() -> None:
    table = _table()
    alone = np.vstack([trigram_scores([text], table)[0] for text in LONG_TEXTS[:8]])
    together, _ = trigram_scores(LONG_TEXTS[:8], table)
    reversed_batch, _ = trigram_scores(LONG_TEXTS[:8][::-1], table)
    assert np.array_equal(alone, together)
    assert np.array_equal(alone, reversed_batch[::-1])


def test_letters_are_counted_as_lingua_counts_them() -> None:
    # Words are runs of letters: punctuation, digits and symbols split them and do not count.
    _, letters = trigram_scores(["l'été 2024 — très-bien!", "", "🙂 ok"], _table())
    assert letters.tolist() == [12, 0, 2]


def test_a_short_text_the_trigrams_are_unsure_of_gets_linguas_answer() -> None:
    # Two Scandinavian languages within SURE_MARGIN: lingua's n-grams decide (computed by
    # settings.short_detection, see tests/test_short_detection.py).
    text = "Leveringen tok tre uker."
    scores, letters = trigram_scores([text], _table())
    ranked = np.sort(scores[0])
    assert letters[0] < LINGUA_TRIGRAMS_ONLY and ranked[-1] - ranked[-2] < SURE_MARGIN
    values = _detector().compute_language_confidence_values(text)
    assert detect_languages([text])[0][0] == _code(values[0].language)

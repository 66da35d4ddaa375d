"""The language registry (settings.languages): codes, aliases, and every resource of every
registered language, found where ``RESOURCE_HOMES`` says it lives, or declared missing with
a reason (and then really missing, so the declaration stays true)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable

import pytest
from dateparser.languages.loader import default_loader
from lingua import IsoCode639_1
from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

from compare.analysis import need_topics
from compare.analysis.keyphrases import STOPWORDS_FILE, stopwords
from compare.analysis.need_phrases import NEED_PATTERNS
from compare.analysis.sentiment.base_models import has_base
from compare.analysis.sentiment.features import NEGATIONS, POST_VERB_NEGATIONS
from compare.analysis.sentiment.lexicon_features import CHANNELS, lexicon_channels
from compare.analysis.taxonomy import load_taxonomy
from compare.analysis.text import CONTRAST_CONJUNCTIONS, simplemma_code
from settings.language_detection import SUPPORTED
from settings.languages import (
    LANGUAGE_CODES,
    LANGUAGES,
    RESOURCE_HOMES,
    Language,
    Resource,
    normalize_language_code,
    registered_language,
)
from settings.trigram_detection import trigram_table
from spiders.extract.rating_words import WORDS
from spiders.extract.shop_labels import HAND, shop_labels
from spiders.raw_fields import DATE_LANGUAGES


def _detectable(entry: Language) -> bool:
    member = getattr(IsoCode639_1, entry.detector, None)
    # lingua's code of the language must read back as ours ("NB" -> "no")
    found = member is not None and normalize_language_code(member.name) == entry.code
    # the trigram stage's table is built for exactly the registered languages
    table = trigram_table()
    return found and entry.code in SUPPORTED and table is not None and entry.code in table.languages


def _dated(entry: Language) -> bool:
    if entry.dates is None or entry.dates not in DATE_LANGUAGES:
        return False
    return list(default_loader.get_locale_map(languages=[entry.dates])) == [entry.dates]


def _lemmatised(entry: Language) -> bool:
    known = entry.lemmatiser is not None and entry.lemmatiser in SUPPORTED_LANGUAGES
    return known and simplemma_code(entry.code) == entry.lemmatiser


def _need_topics(entry: Language) -> bool:
    topics = tomllib.loads(need_topics.TOPICS_FILE.read_text("utf-8"))["topic"]
    named = any(entry.code in by_language for by_language in topics.values())
    return named and entry.code in need_topics.WISH_WORDS


def _aspect_terms(entry: Language) -> bool:
    return any(entry.code in by_language for by_language in load_taxonomy().terms.values())


def _sentiment_lexicon(entry: Language) -> bool:
    # declared for the language and its package installed
    return entry.code in CHANNELS and bool(lexicon_channels(entry.code))


PROBES: dict[Resource, Callable[[Language], bool]] = {
    Resource.DETECTION: _detectable,
    Resource.DATE_WORDS: _dated,
    Resource.RATING_WORDS: lambda entry: entry.code in WORDS,
    Resource.STOCK_PHRASES: lambda entry: entry.code in shop_labels(HAND)["out_of_stock"],
    Resource.CART_PHRASES: lambda entry: any(
        entry.code in shop_labels(HAND)[role] for role in ("cart", "buy")
    ),
    Resource.LEMMATISER: _lemmatised,
    Resource.CONTRAST_WORDS: lambda entry: entry.code in CONTRAST_CONJUNCTIONS,
    Resource.STOPWORDS: lambda entry: bool(stopwords(entry.code)),
    Resource.NEED_PHRASES: lambda entry: entry.code in NEED_PATTERNS,
    Resource.NEED_TOPICS: _need_topics,
    Resource.ASPECT_TERMS: _aspect_terms,
    Resource.NEGATION_WORDS: lambda entry: entry.code in NEGATIONS,
    Resource.SENTIMENT_LEXICON: _sentiment_lexicon,
    Resource.BASE_SENTIMENT_MODEL: lambda entry: has_base(entry.code),
}


def test_every_resource_has_a_home_and_a_probe() -> None:
    assert set(RESOURCE_HOMES) == set(Resource)
    assert set(PROBES) == set(Resource)


@pytest.mark.parametrize("resource", list(Resource), ids=str)
@pytest.mark.parametrize("entry", LANGUAGES, ids=lambda entry: entry.code)
def test_every_language_has_every_resource_or_says_why(entry: Language, resource: Resource) -> None:
    found = PROBES[resource](entry)
    if entry.has(resource):
        assert found, (
            f"{entry.code} ({entry.english_name}) has no {resource}: add it to "
            f"{RESOURCE_HOMES[resource]}, or say why not in its entry's `lacks`"
        )
    else:
        assert len(entry.lacks[resource]) > 20, "a lacking resource needs a reason"
        assert not found, f"{entry.code} has {resource} now: drop it from its entry's `lacks`"


# Analysis data keyed by language: a key the registry does not know is data nothing reads.
ANALYSIS_TABLES: dict[str, Callable[[], set[str]]] = {
    "stopwords": lambda: set(tomllib.loads(STOPWORDS_FILE.read_text("utf-8"))),
    "need phrases": lambda: set(NEED_PATTERNS),
    "need wish words": lambda: set(need_topics.WISH_WORDS),
    "contrast conjunctions": lambda: set(CONTRAST_CONJUNCTIONS),
    "negations": lambda: set(NEGATIONS),
    "post-verb negations": lambda: set(POST_VERB_NEGATIONS),
    "lexicon channels": lambda: set(CHANNELS),
    "aspect terms": lambda: {
        code for by_language in load_taxonomy().terms.values() for code in by_language
    },
}


@pytest.mark.parametrize("table", list(ANALYSIS_TABLES))
def test_analysis_data_is_keyed_by_registered_languages(table: str) -> None:
    assert ANALYSIS_TABLES[table]() <= set(LANGUAGE_CODES)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("no", "no"),
        ("nb", "no"),
        ("nn", "no"),
        ("nob", "no"),
        ("nb-NO", "no"),
        ("no-NO", "no"),
        ("nb_NO", "no"),
        ("fr-FR", "fr"),
        ("fr_CA", "fr"),
        ("fre", "fr"),
        ("EN", "en"),
        ("eng", "en"),
        (" de-AT ", "de"),
        ("ger", "de"),
        ("pt-BR", "pt"),  # unregistered, still a language code
        ("xyz", None),
        ("12", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language_code(code: str | None, expected: str | None) -> None:
    assert normalize_language_code(code) == expected


def test_registered_language_by_any_alias() -> None:
    norwegian = registered_language("nb-NO")
    assert norwegian is not None and norwegian.code == "no" and norwegian.dates == "nb"
    assert registered_language("pt") is None
    assert registered_language(None) is None


def test_codes_and_aliases_name_one_language_each() -> None:
    names = [name for entry in LANGUAGES for name in (entry.code, *entry.aliases)]
    assert len(names) == len(set(names))
    assert all(normalize_language_code(name) == name for name in LANGUAGE_CODES)

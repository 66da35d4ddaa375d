"""The languages rivalscope reads: one registry of codes, names, aliases and resources.

Every layer asks this module which languages exist and what a language code means
(``normalize_language_code``: ``"nb-NO"``, ``"nob"`` and ``"no"`` are all Norwegian). Each
``Language`` names the codes the libraries it relies on use for it (lingua for detection,
dateparser for relative dates, simplemma for lemmas) and says which of our own resources
exist for it: a resource it lacks is listed in ``lacks`` with the reason.
The resources' data stay next to the code that reads them (``RESOURCE_HOMES`` says where);
``tests/test_languages.py`` checks every registered language against every resource, so a
new language is one entry here plus its data files, and a missing file fails the test
unless the entry says why it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache


class Resource(StrEnum):
    """A per-language resource some part of rivalscope reads."""

    DETECTION = "detection"
    DATE_WORDS = "date words"
    RATING_WORDS = "rating words"
    STOCK_PHRASES = "stock phrases"
    CART_PHRASES = "cart phrases"
    LEMMATISER = "lemmatiser"
    CONTRAST_WORDS = "contrast words"
    STOPWORDS = "stopwords"
    NEED_PHRASES = "need phrases"
    NEED_TOPICS = "need topics"
    ASPECT_TERMS = "aspect terms"
    NEGATION_WORDS = "negation words"
    SENTIMENT_LEXICON = "sentiment lexicon"
    BASE_SENTIMENT_MODEL = "base sentiment model"


RESOURCE_HOMES: Mapping[Resource, str] = {
    Resource.DETECTION: (
        "lingua's bundled models (settings.language_detection) and their tables "
        "settings/data/detection_trigrams.npz and detection_ngrams.npz "
        "(rebuilt by benchmarks/build_detection_trigrams.py)"
    ),
    Resource.DATE_WORDS: "dateparser's locale + month names in spiders.raw_fields",
    Resource.RATING_WORDS: "spiders.extract.rating_words.WORDS",
    Resource.STOCK_PHRASES: (
        "spiders/extract/data/shop_labels.json, its hand-written source in "
        "benchmarks/build_shop_labels.py (HAND_LABELS, stock roles)"
    ),
    Resource.CART_PHRASES: (
        "spiders/extract/data/shop_labels.json, its hand-written source in "
        "benchmarks/build_shop_labels.py (HAND_LABELS, cart and buy roles)"
    ),
    Resource.LEMMATISER: "simplemma's bundled dictionaries (compare.analysis.text)",
    Resource.CONTRAST_WORDS: "compare.analysis.text (clause splitting)",
    Resource.STOPWORDS: (
        "compare/analysis/data/stopwords.toml (hand-written, short; the function words a "
        "database's long reviews show beyond it are learnt at run time from how evenly they "
        "are spread, compare.analysis.function_words, calibrated on this list)"
    ),
    Resource.NEED_PHRASES: "compare.analysis.need_phrases (wish/missing/request/complaint patterns)",
    Resource.NEED_TOPICS: "compare/analysis/data/need_topics.toml + wish words in need_topics",
    Resource.ASPECT_TERMS: "compare/analysis/data/taxonomy.toml",
    Resource.NEGATION_WORDS: (
        "compare.analysis.sentiment.features.NEGATIONS (and POST_VERB_NEGATIONS where a "
        "negation follows its verb, ELIDED_NEGATIONS where one is elided into the next "
        "word)"
    ),
    Resource.SENTIMENT_LEXICON: (
        "compare.analysis.sentiment.lexicon_features.CHANNELS (lexicons read from installed "
        "packages, or shipped in compare/analysis/data/lexicons/<code>-<name>.txt beside "
        "their <code>-<name>.LICENCE.txt)"
    ),
    Resource.BASE_SENTIMENT_MODEL: "compare/analysis/data/sentiment_base/<code>.pkl.xz",
}
"""Where each resource's data live (what a new language adds there)."""


@dataclass(frozen=True)
class Language:
    """One language we collect and analyse reviews in."""

    code: str
    """ISO 639-1, the code stored with every review (Norwegian Bokmål and Nynorsk: "no")."""
    english_name: str
    native_name: str
    detector: str
    """lingua's ``IsoCode639_1`` member name (Norwegian is detected as Bokmål, "NB")."""
    dates: str | None
    """dateparser's language code for relative dates (None: it has none, see ``lacks``)."""
    lemmatiser: str | None
    """simplemma's language code (Norwegian: the Bokmål dictionary, which covers most
    Norwegian review text; None: it has none, see ``lacks``)."""
    aliases: tuple[str, ...] = ()
    """Other codes that mean this language: ISO 639-2/639-3 codes, written variants. Region
    suffixes ("fr-FR", "nb_NO") need no alias: ``normalize_language_code`` drops them."""
    lacks: Mapping[Resource, str] = field(default_factory=dict)
    """Resources this language has none of, each with the reason."""

    def has(self, resource: Resource) -> bool:
        return resource not in self.lacks


_NO_LEXICON = (
    "no openly licensed opinion lexicon for it ships in an installed package; its sentiment "
    "comes from trained models only"
)
_NO_MODEL_DATA = "no openly licensed labelled sentences whose licence lets a trained model ship"
_NOT_WRITTEN = (
    "not written yet: reviews in it are detected, dated, lemmatised and scored for sentiment, "
    "but get no phrase-level analysis"
)
_NO_NEGATION = "not written yet: its sentiment features have no negation scope"
_PHRASE_ANALYSIS = (
    Resource.CONTRAST_WORDS,
    Resource.STOPWORDS,
    Resource.NEED_PHRASES,
    Resource.NEED_TOPICS,
    Resource.ASPECT_TERMS,
)


def _lacks_analysis(
    *, lexicon: bool = False, negation: bool = False, phrases: bool = False
) -> dict[Resource, str]:
    """What a language whose only analysis resources are libraries' lacks (``phrases``: it
    has every phrase-level resource, hand-written: aspect terms, contrast words, need
    phrases and topics, stopwords)."""
    lacks = {} if phrases else dict.fromkeys(_PHRASE_ANALYSIS, _NOT_WRITTEN)
    lacks[Resource.BASE_SENTIMENT_MODEL] = _NO_MODEL_DATA
    if not lexicon:
        lacks[Resource.SENTIMENT_LEXICON] = _NO_LEXICON
    if not negation:
        lacks[Resource.NEGATION_WORDS] = _NO_NEGATION
    return lacks


LANGUAGES: tuple[Language, ...] = (
    Language(
        code="en",
        english_name="English",
        native_name="English",
        detector="EN",
        dates="en",
        lemmatiser="en",
        aliases=("eng",),
    ),
    Language(
        code="fr",
        english_name="French",
        native_name="français",
        detector="FR",
        dates="fr",
        lemmatiser="fr",
        aliases=("fra", "fre"),
        lacks={
            Resource.BASE_SENTIMENT_MODEL: (
                "the French sentences we have (DEFT 2017 tweets) carry no licence that lets a "
                "model trained on them ship"
            ),
        },
    ),
    Language(
        code="pl",
        english_name="Polish",
        native_name="polski",
        detector="PL",
        dates="pl",
        lemmatiser="pl",
        aliases=("pol",),
    ),
    Language(
        code="no",
        english_name="Norwegian",
        native_name="norsk",
        detector="NB",
        dates="nb",
        lemmatiser="nb",
        aliases=("nb", "nn", "nob", "nno", "nor"),
    ),
    Language(
        code="de",
        english_name="German",
        native_name="Deutsch",
        detector="DE",
        dates="de",
        lemmatiser="de",
        aliases=("deu", "ger"),
        lacks=_lacks_analysis(lexicon=True, negation=True, phrases=True),
    ),
    Language(
        code="it",
        english_name="Italian",
        native_name="italiano",
        detector="IT",
        dates="it",
        lemmatiser="it",
        aliases=("ita",),
        lacks=_lacks_analysis(lexicon=True, negation=True, phrases=True),
    ),
    Language(
        code="es",
        english_name="Spanish",
        native_name="español",
        detector="ES",
        dates="es",
        lemmatiser="es",
        aliases=("spa",),
        lacks=_lacks_analysis(lexicon=True, negation=True, phrases=True),
    ),
    Language(
        code="nl",
        english_name="Dutch",
        native_name="Nederlands",
        detector="NL",
        dates="nl",
        lemmatiser="nl",
        aliases=("nld", "dut"),
        lacks=_lacks_analysis(lexicon=True, negation=True, phrases=True),
    ),
    Language(
        code="sv",
        english_name="Swedish",
        native_name="svenska",
        detector="SV",
        dates="sv",
        lemmatiser="sv",
        aliases=("swe",),
        lacks=_lacks_analysis(lexicon=True, negation=True, phrases=True),
    ),
    Language(
        code="da",
        english_name="Danish",
        native_name="dansk",
        detector="DA",
        dates="da",
        lemmatiser="da",
        aliases=("dan",),
        lacks=_lacks_analysis(lexicon=True, negation=True),
    ),
)
"""Every language we read, in the order lists of them are shown."""

LANGUAGE_CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
_BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}
_BY_ALIAS: dict[str, str] = {
    alias: language.code for language in LANGUAGES for alias in (language.code, *language.aliases)
}


def normalize_language_code(code: str | None) -> str | None:
    """The ISO 639-1 code a language tag or code means: ``"nb-NO"``, ``"nn"`` and ``"nob"`` ->
    ``"no"``; ``"fr_FR"`` -> ``"fr"``; an unregistered two-letter code as it is (lower
    case); None for anything else ("xyz", "", None)."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    known = _BY_ALIAS.get(base)
    if known is not None:
        return known
    return base if len(base) == 2 and base.isalpha() else None


@lru_cache(maxsize=256)
def registered_language(code: str | None) -> Language | None:
    """The registered language a code or tag means (``normalize_language_code``), or None."""
    normalized = normalize_language_code(code)
    return _BY_CODE.get(normalized) if normalized is not None else None


def known_language_code(code: str) -> str:
    """The registered ISO 639-1 code ``code`` means (``"nb-NO"`` -> ``"no"``); a ValueError
    listing the languages we read for anything else, an ISO code we have no entry for too
    ("zz", "fi"): nothing downstream (detection, dates, lemmas) knows what to do with it."""
    language = registered_language(code)
    if language is not None:
        return language.code
    supported = ", ".join(f"{known.code} ({known.english_name})" for known in LANGUAGES)
    what = "a language we read" if normalize_language_code(code) else "a language code"
    raise ValueError(f"{code!r} is not {what}; use one of {supported}")

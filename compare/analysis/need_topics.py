"""The topic of a need sentence: the object of the wish ("timer", "app", "quieter").

First a canonical topic from ``data/need_topics.toml`` (so "appli", "application" and
"aplikacja" all count as "app"); otherwise the head word of the first run of content words,
lemmatised, in the sentence's language (last word of the run in en/pl/no, where adjectives
precede the noun; first in French). No part-of-speech tagger is needed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from compare.analysis.keyphrases import MIN_WORD_LETTERS, stopwords
from compare.analysis.need_phrases import NeedCue
from compare.analysis.text import lemmas, tokenize

TOPICS_FILE = Path(__file__).parent / "data" / "need_topics.toml"
MAX_TOPIC_CHARS = 80

# Words that voice the wish itself, never its object.
WISH_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "wish",
            "like",
            "love",
            "hope",
            "nice",
            "great",
            "good",
            "better",
            "best",
            "missing",
            "miss",
            "lack",
            "lacking",
            "please",
            "add",
            "option",
            "need",
            "needs",
            "really",
            "could",
            "should",
            "want",
            "bigger",
            "more",
            "less",
            "way",
            "bit",
        ]
    ),
    "fr": frozenset(
        [
            "aimerais",
            "aimer",
            "aimé",
            "manque",
            "manquer",
            "manquant",
            "dommage",
            "serait",
            "souhaite",
            "souhaiterais",
            "souhaiter",
            "faudrait",
            "falloir",
            "ajouter",
            "pouvoir",
            "pourrait",
            "meilleur",
            "meilleure",
            "plus",
            "grand",
            "possibilité",
            "option",
            "bien",
            "top",
            "génial",
            "mieux",
            "ait",
            "soit",
        ]
    ),
    "pl": frozenset(
        [
            "chciałbym",
            "chciałabym",
            "chcieć",
            "brakuje",
            "brakować",
            "brak",
            "przydać",
            "przydałby",
            "przydałaby",
            "się",
            "szkoda",
            "mógłby",
            "mogłaby",
            "móc",
            "lepszy",
            "większy",
            "mieć",
            "możliwość",
            "opcja",
            "fajnie",
            "miło",
        ]
    ),
    "no": frozenset(
        [
            "skulle",
            "ønske",
            "ønsker",
            "savne",
            "savner",
            "mangle",
            "mangler",
            "hadde",
            "vært",
            "fint",
            "gjerne",
            "bedre",
            "større",
            "kunne",
            "mulighet",
            "synd",
            "hatt",
            "flott",
            "greit",
            "kjekt",
        ]
    ),
    # the five languages whose needs are read from hand-written phrases too
    "de": frozenset(
        [
            "wünschen",
            "wünsche",
            "wünschenswert",
            "schade",
            "hoffen",
            "hoffe",
            "fehlen",
            "fehlt",
            "vermissen",
            "vermisse",
            "bitte",
            "hinzufügen",
            "können",
            "könnte",
            "wäre",
            "sein",
            "schön",
            "toll",
            "gut",
            "besser",
            "größer",
            "mehr",
            "weniger",
            "option",
            "möglichkeit",
            "leider",
        ]
    ),
    "sv": frozenset(
        [
            "önska",
            "önskar",
            "önskat",
            "synd",
            "hoppas",
            "sakna",
            "saknar",
            "saknas",
            "vänligen",
            "lägga",
            "kunna",
            "kunde",
            "skulle",
            "vara",
            "varit",
            "bra",
            "bättre",
            "större",
            "mer",
            "mindre",
            "alternativ",
            "möjlighet",
            "tyvärr",
        ]
    ),
    "nl": frozenset(
        [
            "graag",
            "zou",
            "zouden",
            "jammer",
            "hopen",
            "hoop",
            "missen",
            "mis",
            "ontbreken",
            "ontbreekt",
            "toevoegen",
            "kunnen",
            "kon",
            "zijn",
            "fijn",
            "mooi",
            "handig",
            "beter",
            "groter",
            "meer",
            "minder",
            "optie",
            "mogelijkheid",
            "helaas",
        ]
    ),
    "es": frozenset(
        [
            "gustar",
            "gustaría",
            "ojalá",
            "ser",
            "sería",
            "lástima",
            "esperar",
            "espero",
            "faltar",
            "falta",
            "faltan",
            "carecer",
            "añadir",
            "poder",
            "podría",
            "bueno",
            "genial",
            "mejor",
            "útil",
            "mayor",
            "más",
            "menos",
            "opción",
            "posibilidad",
        ]
    ),
    "it": frozenset(
        [
            "volere",
            "vorrei",
            "essere",
            "sarebbe",
            "peccato",
            "sperare",
            "spero",
            "mancare",
            "manca",
            "mancano",
            "aggiungere",
            "potere",
            "potrebbe",
            "bello",
            "utile",
            "meglio",
            "migliore",
            "grande",
            "più",
            "meno",
            "opzione",
            "possibilità",
        ]
    ),
}


@dataclass
class _TopicIndex:
    words: dict[str, str] = field(default_factory=dict)
    """lemma or written word -> topic"""
    prefixes: list[tuple[str, str]] = field(default_factory=list)
    phrases: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    phrase_starts: set[str] = field(default_factory=set)
    """First lemmas of ``phrases`` (a sentence without any of them names no phrase)."""


@lru_cache(maxsize=1)
def _indexes() -> dict[str, _TopicIndex]:
    data = tomllib.loads(TOPICS_FILE.read_text("utf-8"))
    out: dict[str, _TopicIndex] = {}
    for topic, by_language in data["topic"].items():
        for language, terms in by_language.items():
            index = out.setdefault(language, _TopicIndex())
            for term in terms:
                if term.endswith("*"):
                    index.prefixes.append((term[:-1].lower(), topic))
                    continue
                sequence = tuple(lemmas(tokenize(term), language))
                if len(sequence) > 1:
                    index.phrases.append((sequence, topic))
                    index.phrase_starts.add(sequence[0])
                elif sequence:
                    index.words.setdefault(sequence[0], topic)
                    index.words.setdefault(term.lower(), topic)
    return out


def canonical_topic(
    tokens: list[str], sentence_lemmas: list[str], language: str | None
) -> str | None:
    """The first bundled topic the sentence names, or None."""
    index = _indexes().get(language or "")
    if index is None:
        return None
    phrases = [] if index.phrase_starts.isdisjoint(sentence_lemmas) else index.phrases
    for sequence, topic in phrases:
        size = len(sequence)
        if any(
            tuple(sentence_lemmas[i : i + size]) == sequence
            for i in range(len(sentence_lemmas) - size + 1)
        ):
            return topic
    for token, lemma in zip(tokens, sentence_lemmas, strict=True):
        named = index.words.get(lemma) or index.words.get(token)
        if named is not None:
            return named
        for prefix, prefixed_topic in index.prefixes:
            if token.startswith(prefix):
                return prefixed_topic
    return None


def head_topic(
    tokens: list[str],
    sentence_lemmas: list[str],
    language: str | None,
    stop: frozenset[str] | None = None,
) -> str | None:
    """Head lemma of the first run of content words (not stopwords, not wish words);
    ``stop``: the stopwords (default the language's list, see ``phrase_stopwords``)."""
    skip = (stopwords(language) if stop is None else stop) | WISH_WORDS.get(
        language or "", frozenset()
    )
    run: list[str] = []
    for token, lemma in zip(tokens, sentence_lemmas, strict=True):
        content = len(token) >= MIN_WORD_LETTERS and token not in skip and lemma not in skip
        if content:
            run.append(lemma)
        elif run:
            break
    if not run:
        return None
    return (run[0] if language == "fr" else run[-1])[:MAX_TOPIC_CHARS]


def need_topic(
    tokens: list[str],
    sentence_lemmas: list[str],
    language: str | None,
    stop: frozenset[str] | None = None,
    cue: NeedCue | None = None,
) -> str | None:
    """A short normalised phrase for what the need sentence asks for, or None.

    With the sentence's ``cue`` (where it voices the need), the head topic is read after the
    cue's words, else before them, never from them: the object of a wish, a lack or a
    complaint sits beside its cue ("lacks voice dialing", "my only complaint is the card",
    "people complain about the scroll wheel", "a timer would be nice"), and the words
    before it are often a sentence adverb or the complainer ("unfortunately", "people").
    """
    canonical = canonical_topic(tokens, sentence_lemmas, language)
    if canonical is not None:
        return canonical
    if cue is None:
        return head_topic(tokens, sentence_lemmas, language, stop)
    after = len(tokenize(cue.after))
    before = len(tokenize(cue.before))
    if after + before > len(tokens):  # the cue split a token: read the whole sentence
        return head_topic(tokens, sentence_lemmas, language, stop)
    start = len(tokens) - after
    return head_topic(tokens[start:], sentence_lemmas[start:], language, stop) or head_topic(
        tokens[:before], sentence_lemmas[:before], language, stop
    )


_CLAUSE_END = re.compile(r"[,;:!?.()\[\]–—-]")
"""Where the clause before a need's cue starts (after the last of these)."""


def names_no_need(
    tokens: list[str],
    sentence_lemmas: list[str],
    language: str | None,
    cue: NeedCue,
    topic: str | None,
    stop: frozenset[str] | None = None,
) -> bool:
    """Whether a missing-feature or complaint cue says that nothing is lacking, which is no
    need (and often praise): the cue alone ("Brak.", "Missing."); a negation just before it
    in its clause or right after it, a negated lack or a lack of nothing ("nothing is
    missing", "nie brakuje", "mangler ingenting", "can't complain", "ingenting å klage
    på"; not for a cue that holds a negation itself, "je ne reviendrai plus jamais"); or,
    for a missing feature, a lack of a fault: the word it lacks (the first after the cue
    other than a stopword, else the last before it) is its ``topic`` (``need_topic``) and a
    word the language's lexicons score negative ("brak problemów", "Wady: brak", "there
    was no problem"). ``stop``: as for ``need_topic``."""
    from compare.analysis.need_phrases import COMPLAINT, MISSING
    from compare.analysis.sentiment.features import negation_words

    if cue.kind not in (MISSING, COMPLAINT) or language is None:
        return False
    after = len(tokenize(cue.after))
    before = len(tokenize(cue.before))
    if after + before > len(tokens):  # the cue split a token
        return False
    if after + before == 0:
        return cue.kind == MISSING
    start = len(tokens) - after
    clause = len(tokenize(_CLAUSE_END.split(cue.before)[-1]))
    near = [*range(before - min(clause, 2), before), *range(start, min(start + 1, len(tokens)))]
    negations = negation_words(language)
    negated = any(tokens[i] in negations or tokens[i].endswith("n't") for i in near)
    # a cue holding a negation of its own ("nie polecam", "plus jamais") keeps the word
    # before it ("je ne reviendrai plus jamais")
    if negated and negations.isdisjoint(tokens[before:start]):
        return True
    if cue.kind != MISSING or topic is None:
        return False
    skip = stopwords(language) if stop is None else stop
    lacked = next((i for i in range(start, len(tokens)) if tokens[i] not in skip), None)
    if lacked is None and not after and before:
        lacked = before - 1
    if lacked is None or sentence_lemmas[lacked] not in topic.split():
        return False
    return _negative_word(sentence_lemmas[lacked], language) or _negative_word(
        tokens[lacked], language
    )


def _negative_word(word: str, language: str) -> bool:
    from compare.analysis.sentiment.lexicon_features import lexicon_channels, load_lexicon

    return any(load_lexicon(c).get(word, 0.0) < 0 for c in lexicon_channels(language))

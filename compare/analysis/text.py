"""Sentence splitting, tokenising and lemmatising without NLTK corpora.

Regexes do the splitting; simplemma (offline, bundled dictionaries) gives lemmas so
inflected Polish and Norwegian forms match their dictionary form.
"""

from __future__ import annotations

import itertools
import re

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy

from compare.analysis.lemma_store import SqliteDictionaryFactory
from compare.analysis.sentiment.emoticons import leading_faces
from settings.languages import registered_language

# A sentence ends at . ! ? … (or runs of them) followed by space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n+")
WORD_PATTERN = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
"""A word token: letters, with inner apostrophes or hyphens."""
_TOKEN = re.compile(WORD_PATTERN, re.UNICODE)
MAX_SENTENCE_CHARS = 1000


def split_sentences(text: str) -> list[str]:
    """Non-empty sentences of ``text`` in order, whitespace collapsed, overlong ones cut.
    Faces (emoticons, emoji) right after a sentence's end belong to it ("Great! :)" is one
    sentence, not "Great!" and ":)")."""
    out: list[str] = []
    for part in _SENTENCE_END.split(text):
        if out and (cut := leading_faces(part)):
            out[-1] = (out[-1] + " " + " ".join(part[:cut].split()))[:MAX_SENTENCE_CHARS]
            part = part[cut:]
        sentence = " ".join(part.split())
        if sentence:
            out.append(sentence[:MAX_SENTENCE_CHARS])
    return out


# Contrast conjunctions that join opposite opinions ("fast delivery, but the lid cracked"):
# each side is scored on its own so each aspect gets its own polarity.
CONTRAST_CONJUNCTIONS = {
    "en": r"but|however|although|though|whereas",
    "fr": r"mais|cependant|pourtant|par contre|alors que|bien que",
    "pl": r"ale|lecz|jednak|natomiast|choć|chociaż",
    "no": r"men|derimot|selv om|skjønt",
    "sv": r"men|däremot|även om|dock",
    "de": r"aber|jedoch|allerdings|obwohl|dennoch",
    "nl": r"maar|echter|hoewel",
    "es": r"pero|sin embargo|aunque",
    "it": r"ma|però|tuttavia|anche se",
}
_CLAUSE_SPLIT = {
    lang: re.compile(rf"(?:,\s*|\s+)(?=(?:{words})\b)", re.IGNORECASE)
    for lang, words in CONTRAST_CONJUNCTIONS.items()
}
# A looser test on a whole text: no match means no sentence of it has a clause to cut.
_MAYBE_CONTRAST = {
    lang: re.compile(rf"[\s,](?:{words})", re.IGNORECASE)
    for lang, words in CONTRAST_CONJUNCTIONS.items()
}
MIN_CLAUSE_WORDS = 2


def split_clauses(sentence: str, language: str | None) -> list[str]:
    """The sentence cut before contrast conjunctions (the conjunction starts the next part);
    parts shorter than MIN_CLAUSE_WORDS stay joined to the previous one."""
    pattern = _CLAUSE_SPLIT.get(language or "")
    if pattern is None:
        return [sentence]
    out: list[str] = []
    for part in pattern.split(sentence):
        part = part.strip()
        if not part:
            continue
        if out and len(part.split()) <= MIN_CLAUSE_WORDS:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out or [sentence]


def split_units(text: str, language: str | None) -> list[str]:
    """Sentences, each cut into contrast clauses: the units scored and matched to aspects."""
    sentences = split_sentences(text)
    maybe = _MAYBE_CONTRAST.get(language or "")
    if maybe is None or maybe.search(text) is None:
        return sentences
    return [c for s in sentences for c in split_clauses(s, language)]


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters, with inner apostrophes or hyphens)."""
    lowered = text.lower()
    # lower-casing the whole text first gives the same tokens unless a character's lower
    # case is longer (e.g. "İ") or depends on what follows it (final sigma)
    if len(lowered) == len(text) and "Σ" not in text:
        return _TOKEN.findall(lowered)
    return [t.lower() for t in _TOKEN.findall(text)]


def cased_tokens(text: str) -> list[str]:
    """Word tokens as ``tokenize`` finds them, in their own case."""
    return _TOKEN.findall(text)


def simplemma_code(language: str | None) -> str | None:
    """The simplemma language code of a registered language (``settings.languages``), or
    None for an unregistered one."""
    registered = registered_language(language)
    return registered.lemmatiser if registered is not None else None


_LEMMATIZER = Lemmatizer(
    cache_max_size=0,  # ``lemma`` caches
    lemmatization_strategy=DefaultStrategy(dictionary_factory=SqliteDictionaryFactory()),
)


LemmaMemo = dict[str | None, dict[str, str]]
"""Language -> token -> lemma."""
_LEMMA_MEMO: LemmaMemo = {}
_HANDED: dict[int, int] = {}
"""A language's memo (its id) -> how many of its lemmas ``new_lemmas`` handed over."""
MAX_MEMO_PER_LANGUAGE = 200_000


def lemma(token: str, language: str | None) -> str:
    """Dictionary form of a lower-cased token (the token itself when unknown)."""
    memo = _LEMMA_MEMO.get(language)
    if memo is None:
        memo = _LEMMA_MEMO.setdefault(language, {})
    found = memo.get(token)
    if found is not None:
        return found
    code = simplemma_code(language)
    found = token if code is None else _LEMMATIZER.lemmatize(token, lang=code).lower()
    if len(memo) < MAX_MEMO_PER_LANGUAGE:
        memo[token] = found
    return found


def lemmas(tokens: list[str], language: str | None) -> list[str]:
    """``lemma`` over tokens."""
    found = list(map(_LEMMA_MEMO.get(language, {}).get, tokens))
    if None in found:
        return [lemma(t, language) if f is None else f for t, f in zip(tokens, found, strict=True)]
    return found  # type: ignore[return-value]


def new_lemmas() -> LemmaMemo:
    """The lemmas this process found since its last call (its whole memo at the first), to
    hand to ``remember_lemmas`` in another process: a pool process that runs many short
    calls hands each lemma over once, not its whole memo after every call."""
    out: LemmaMemo = {}
    for language, memo in _LEMMA_MEMO.items():
        handed = _HANDED.get(id(memo), 0)
        if len(memo) > handed:
            out[language] = dict(itertools.islice(memo.items(), handed, None))
            _HANDED[id(memo)] = len(memo)
    return out


def remember_lemmas(found: dict[str | None, dict[str, str]]) -> None:
    """Add lemmas another process found (``new_lemmas``) to this process's memo, within its
    bound: the training processes lemmatise the rated reviews, which are mostly the reviews
    analysed next, by workers forked from this process (same lemmas: ``lemma`` is pure)."""
    for language, lemmas_found in found.items():
        memo = _LEMMA_MEMO.setdefault(language, {})
        room = MAX_MEMO_PER_LANGUAGE - len(memo)
        if room >= len(lemmas_found):
            memo.update(lemmas_found)
        elif room > 0:
            memo.update(itertools.islice(lemmas_found.items(), room))


def warm_lemmatizer(languages: list[str]) -> None:
    """Load the languages' lemma dictionaries now (before forking workers that share them)."""
    for language in languages:
        lemma("a", language)

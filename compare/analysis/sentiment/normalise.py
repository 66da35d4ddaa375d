"""Lexicon look-up tokens of informal text: what reviews and posts spell unlike a dictionary.

A lexicon knows "génial"; a post writes "génialllll" or "genial". A token no lexicon knows
is read as the lexicon's word when one of these rules (``STEPS``) finds it:
- letters repeated for emphasis ("trooop", "génialllll", "elendiiig"): each run of three or
  more of a letter is read as two, then as one, and the first spelling that a lexicon or
  the language's dictionary knows (or that the next rule reads) is the token; the word
  counts as stressed, as VADER counts a word in capitals (``lexicon_features.EMPHASIS``);
- a word without its accents ("genial", "decu", "zyczliwy"): the lexicon's word spelt the
  same without them, when no other lexicon word is and the token is no word of the
  language itself (simplemma's dictionary, our stopwords: "sur" is no "sûr", "passe" no
  "passé").
Two more rules are written and measured but not in use (``STEPS``): a hashtag read as its
words (split at its capitals, "#PasContent", or into the fewest dictionary words,
"#jadore"), and VADER's capitals (a word in capitals in a text not all in capitals is
stressed). Nothing here is learnt from labelled data: the dictionaries are simplemma's,
the words the lexicons'.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from compare.analysis.keyphrases import stopwords
from compare.analysis.lemma_store import dictionary
from compare.analysis.sentiment.emoticons import split_faces
from compare.analysis.sentiment.features import CLAUSE_BREAK
from compare.analysis.text import WORD_PATTERN, cased_tokens, lemma, simplemma_code, tokenize

RULES = frozenset({"elongation", "hashtags", "caps", "accents"})
STEPS = frozenset({"elongation", "accents"})
"""The rules in use, chosen on the train splits' lexicon fallbacks
(``benchmarks/sentiment_normalise.py``, tweets or sentences gained/lost against no rule):
accents fr +5/-0, pl +6/-2; elongation no +2/-0; en unchanged. Left out: hashtags, which in
the French tweets are mostly topics (policies, places) and found as many wrong opinion words
as right ones (+4/-3), and capitals, mostly acronyms there (+0/-0; with the hashtags split,
-1: an acronym in a hashtag read as stressed)."""
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
_TRIPLED = re.compile(r"(.)\1\1")
"""A quick test of a text's joined tokens (a fourth of ``_ELONGATION``'s time; they hold
letters, apostrophes, hyphens and spaces): no match, no token is elongated."""
_HASHTAG = re.compile(r"#([^\W\d_][^\W_]*)")
MAX_SEGMENTED = 30
"""Longer one-case hashtags are left whole (the split looks up every substring)."""
MIN_PIECE = 2
"""A piece of a split hashtag shorter than this must be a stopword or a lexicon word ("j")."""
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d"})
"""Letters written without their stroke that Unicode does not decompose into a base letter
and a mark."""

_CLAUSE_END = re.compile(r"[,;:.!?…()\[\]\n]+|\s[-–—]+\s")
"""Punctuation that ends a clause (or a sentence): a negation's scope stops there."""
_CLAUSE_END_FIRST = frozenset(",;:.!?…()[]\n")
"""The first characters of ``_CLAUSE_END``'s matches that are no white space."""
_EDGES = " \t\r\n\f\v,;:.!?…()[]"
"""Clause-end characters and white space stripped off a text's ends before asking whether
it holds a clause end within (``_words_and_breaks``)."""
_WORD_OR_CLAUSE_END = re.compile(f"{WORD_PATTERN}|{_CLAUSE_END.pattern}")

Tokens = tuple[list[str], list[bool]]
"""Lower-cased tokens, and per token whether the text emphasises it."""


def fold_accents(word: str) -> str:
    """The word without its diacritics ("génial" -> "genial", "źle" -> "zle", "ł" -> "l")."""
    if word.isascii():  # no diacritics to drop (most lexicon words: a third of the maps' CPU)
        return word
    decomposed = unicodedata.normalize("NFD", word.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=16)
def _accent_map(words: frozenset[str], language: str) -> dict[str, str]:
    """Lexicon word spelt without accents -> the word, for words with accents whose folded
    spelling no other lexicon word shares and is no word of the language itself."""
    found: dict[str, set[str]] = {}
    for word in words:
        folded = fold_accents(word)
        if folded != word:
            found.setdefault(folded, set()).add(word)
    return {
        k: next(iter(v)) for k, v in found.items() if len(v) == 1 and not _known(k, language, words)
    }


def warm_spellings(words: frozenset[str], language: str) -> None:
    """Build the language's accent map now (~0.1 CPU-s for French), before forking workers
    that would each build their own."""
    _accent_map(words, language)


@lru_cache(maxsize=8)
def _dictionary_of(language: str) -> Mapping[str, str] | None:
    code = simplemma_code(language)
    return dictionary(code) if code is not None else None


@lru_cache(maxsize=100_000)
def _is_word(token: str, language: str) -> bool:
    """Whether the language's dictionary or stopword list knows the token."""
    if token in stopwords(language):
        return True
    known = _dictionary_of(language)
    return known is not None and token in known


def _known(token: str, language: str, words: frozenset[str]) -> bool:
    # the dictionary's one look-up before the lemma's several (the same answer: both pure)
    return token in words or _is_word(token, language) or lemma(token, language) in words


def _shortened(token: str) -> Iterable[str]:
    """The token with each run of 3+ letters read as two, then as one."""
    yield _ELONGATION.sub(r"\1\1", token)
    yield _ELONGATION.sub(r"\1", token)


def _segment(tag: str, language: str, words: frozenset[str]) -> list[str] | None:
    """The fewest known words that spell the lower-case ``tag``, or None."""
    size = len(tag)
    best: list[list[str] | None] = [[]] + [None] * size
    for end in range(1, size + 1):
        for start in range(max(0, end - 25), end):
            before = best[start]
            piece = tag[start:end]
            if before is None or not _piece(piece, language, words):
                continue
            if best[end] is None or len(before) + 1 < len(best[end] or ()):
                best[end] = [*before, piece]
    return best[size]


def _piece(piece: str, language: str, words: frozenset[str]) -> bool:
    if len(piece) < MIN_PIECE:
        return piece in words or piece in stopwords(language)
    return piece in words or _is_word(piece, language)


def _camel_case_words(tag: str) -> list[str]:
    """The tag cut before each capital that follows a small letter ("PasContent") or starts
    a word after capitals ("TGVMax" -> "TGV", "Max")."""
    cuts = [0]
    for i in range(1, len(tag)):
        before, here = tag[i - 1], tag[i]
        after = tag[i + 1] if i + 1 < len(tag) else ""
        if here.isupper() and (before.islower() or (before.isupper() and after.islower())):
            cuts.append(i)
    return [tag[a:b] for a, b in zip(cuts, [*cuts[1:], len(tag)], strict=True)]


def _hashtag_words(tag: str, language: str, words: frozenset[str]) -> str:
    """The hashtag's words, space-separated (the tag itself when it cannot be split, or is
    a word: known, or a lexicon word without its accents)."""
    parts = _camel_case_words(tag)
    if len(parts) > 1:
        return " ".join(parts)
    lowered = tag.lower()
    if (
        len(lowered) > MAX_SEGMENTED
        or _known(lowered, language, words)
        or ("accents" in STEPS and lowered in _accent_map(words, language))
    ):
        return tag
    pieces = _segment(lowered, language, words)
    return " ".join(pieces) if pieces and len(pieces) > 1 else tag


def _words_and_breaks(text: str, cased: bool) -> list[str]:
    """The text's word tokens (lower-cased as ``tokenize`` gives them, or as written) with
    CLAUSE_BREAK where a clause ends between two of them (``_CLAUSE_END``), none at the
    ends: one search for words and clause ends (splitting at the ends and tokenising each
    clause took twice as long)."""
    if _CLAUSE_END.search(text.strip(_EDGES)) is None:
        # most sentences: a clause end at most at an edge, which marks nothing
        return cased_tokens(text) if cased else tokenize(text)
    return _marked_words(text, cased)


def _marked_words(text: str, cased: bool) -> list[str]:
    """``_words_and_breaks`` of a text known to hold a clause end within."""
    lowered = text if cased else text.lower()
    # as ``tokenize``: lower-cased token by token when a character's lower case is longer
    by_token = not cased and (len(lowered) != len(text) or "Σ" in text)
    out: list[str] = []
    for found in _WORD_OR_CLAUSE_END.findall(text if by_token else lowered):
        if found[0] in _CLAUSE_END_FIRST or found[0].isspace():
            if out and out[-1] != CLAUSE_BREAK:
                out.append(CLAUSE_BREAK)
        else:
            out.append(found.lower() if by_token else found)
    if out and out[-1] == CLAUSE_BREAK:
        out.pop()
    return out


def _joined_clauses(clauses: Iterable[list[str]]) -> list[str]:
    """Lists of tokens (each may hold breaks within) with CLAUSE_BREAK between them, none
    at the ends."""
    out: list[str] = []
    for tokens in clauses:
        if tokens:
            if out:
                out.append(CLAUSE_BREAK)
            out.extend(tokens)
    return out


def clause_tokens(text: str, cased: bool = False) -> list[str]:
    """The text's tokens (``tokenize``'s, or with ``cased`` ``cased_tokens``') with
    CLAUSE_BREAK between its clauses (``_CLAUSE_END``), none at its ends. An emoticon or
    emoji (``emoticons``) is found first, before the punctuation it is made of ends any
    clause, and is a token and a clause of its own in its place, so no negation reaches it
    ("pas content :("). What the lexicon fallbacks read."""
    pieces = split_faces(text)
    if len(pieces) == 1:
        return _words_and_breaks(text, cased)
    return _joined_clauses(
        [piece] if k % 2 else _words_and_breaks(piece, cased) for k, piece in enumerate(pieces)
    )


def sentiment_tokens(text: str, words: list[str] | None = None) -> list[str]:
    """What the classifiers read: the text's words with CLAUSE_BREAK between its clauses
    (the clauses of ``clause_tokens``), then its faces. The lexicon sums stop a negation's
    scope at a break (``lexicon_features``) as the fallbacks do; the word features, the
    character n-grams and the word vectors leave the breaks out
    (``features.without_clause_breaks``), so their words keep their neighbours and word
    pairs are those of the words alone; the faces come last for the same reason (their
    lexicon values count in the first channel's sums). ``words``: the text's ``tokenize``
    tokens, when the caller has them (the same list back when nothing is marked)."""
    pieces = split_faces(text)
    if len(pieces) == 1:
        if _CLAUSE_END.search(text.strip(_EDGES)) is None:
            return words if words is not None else tokenize(text)
        return _marked_words(text, False)
    return _joined_clauses(_words_and_breaks(piece, False) for piece in pieces[0::2]) + pieces[1::2]


def lexicon_tokens(text: str, language: str, words: frozenset[str]) -> Tokens:
    """The text's tokens read as ``words`` (a language's lexicon words) spell them, with
    CLAUSE_BREAK between its clauses (``clause_tokens``)."""
    if "hashtags" in STEPS and "#" in text:
        text = _HASHTAG.sub(lambda m: " " + _hashtag_words(m.group(1), language, words), text)
    if "caps" in STEPS:
        raw = clause_tokens(text, cased=True)
        tokens = [t.lower() for t in raw]
        mixed = text.upper() != text
        emphasis = [mixed and len(t) > 1 and t.isupper() for t in raw]
    else:
        tokens = clause_tokens(text)
        emphasis = [False] * len(tokens)
    elongated = "elongation" in STEPS and _TRIPLED.search(" ".join(tokens)) is not None
    accents = _accent_map(words, language) if "accents" in STEPS else {}
    if not elongated and accents.keys().isdisjoint(tokens):
        return tokens, emphasis  # most texts: one pass in C instead of a loop
    for i, token in enumerate(tokens):
        if token in words:
            continue
        if elongated and _ELONGATION.search(token):
            emphasis[i] = True
            for shorter in _shortened(token):
                if shorter in accents or _known(shorter, language, words):
                    tokens[i] = token = shorter
                    break
        tokens[i] = accents.get(token, token)
    return tokens, emphasis

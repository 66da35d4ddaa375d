"""Word features for the sentiment classifier: lemmas, negation scope, bigrams.

Lemmas (simplemma) pool inflected forms, which matters for Polish and Norwegian with little
training data; a word after a negation ("not", "ikke", "nie", "pas") up to the end of the
sentence gets a ``NOT_`` prefix so "not good" and "good" are different features. Chosen over
character n-grams by cross-validation on the shared train splits: as accurate, 5x faster.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from compare.analysis.text import lemma, tokenize

NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"not", "no", "never", "nothing", "nor", "without", "cannot", "none"}),
    "fr": frozenset({"ne", "pas", "jamais", "aucun", "aucune", "sans", "rien"}),
    "pl": frozenset({"nie", "brak", "bez", "nigdy", "żaden", "żadna", "żadne"}),
    "no": frozenset({"ikke", "aldri", "ingen", "intet", "uten", "ingenting"}),
}


def negation_words(language: str | None) -> frozenset[str]:
    """Words that open a negation scope in the language (empty if unknown)."""
    return NEGATIONS.get(language or "", frozenset())


@dataclass(frozen=True)
class WordFeatures:
    """A picklable analyzer for ``CountVectorizer``: text -> feature strings."""

    language: str

    def __call__(self, text: str | list[str]) -> list[str]:
        """Features of a text, or of its ``tokenize`` tokens (the analyser has them already)."""
        negations = negation_words(self.language)
        words: list[str] = []
        negated = False
        for token in tokenize(text) if isinstance(text, str) else text:
            if token.endswith("n't"):
                negated = True
                words.append(lemma(token[:-3], self.language))
                continue
            if token in negations:
                negated = True
                words.append(token)
                continue
            base = lemma(token, self.language)
            words.append("NOT_" + base if negated else base)
        return words + [a + " " + b for a, b in pairwise(words)]

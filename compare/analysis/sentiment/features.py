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
    "en": frozenset(
        {"not", "no", "never", "nothing", "neither", "nor", "without", "cannot", "none"}
    ),
    "fr": frozenset({"ne", "pas", "jamais", "aucun", "aucune", "sans", "rien", "ni"}),
    "pl": frozenset(
        {"nie", "brak", "bez", "nigdy", "ani", "nic", "niczego", "zero"}
        | {"żaden", "żadna", "żadne", "żadnych", "żadnego", "żadnej", "żadnym", "żadnymi", "żadną"}
    ),
    "no": frozenset({"ikke", "ikkje", "aldri", "ingen", "intet", "uten", "ingenting", "verken"}),
    "da": frozenset({"ikke", "aldrig", "ingen", "intet", "uden", "ingenting", "hverken"}),
    "sv": frozenset(
        {"inte", "ej", "aldrig", "ingen", "inget", "inga", "utan", "ingenting", "varken"}
    ),
    "de": frozenset(
        {"nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "ohne", "weder"}
    ),
    "nl": frozenset({"niet", "geen", "nooit", "zonder", "niets", "noch"}),
    "es": frozenset({"no", "nunca", "jamás", "sin", "nada", "ningún", "ninguna", "ni"}),
    "it": frozenset({"non", "mai", "senza", "niente", "nessun", "nessuna", "nessuno", "né"}),
}
"""Words that open a negation scope, per language: "neither ... nor" words too ("ani głośny,
ani ciężki", "ni cher ni fragile", "verken dyr eller skjør": praise said by negating
faults), the cases of Polish "żaden" ("żadnych problemów": the lexicon sums read
tokens, not lemmas), and Polish "zero" ("zero problemów" is praise, "zero empatii" a
complaint: in PolEmo's train half 15 of the 16 opinion sentences with "zero" are
complaints about what was missing). The "nor" of Norwegian, Danish and Swedish ("eller")
and German ("noch") is left out: it also means "or" or "still"; the first word's scope reaches the
second adjective. This is the resource ``settings.languages`` registers as negation words."""
ELIDED_NEGATIONS: dict[str, tuple[str, ...]] = {"fr": ("n'", "n’")}
"""Negations elided into the word after them, per language: French "ne" before a vowel
("n'est plus fiable", "je n'achèterai plus jamais", "il n'y a aucun souci"). Our tokens keep
the elision on its word ("n'est"), so "ne" alone misses them; in the lexicon fallbacks and
lexicon sums a token that starts with one opens a negation scope as "ne" does
(``lexicon_features``). "n'importe" ("any") is no negation."""
NOT_ELIDED_NEGATIONS = frozenset({"n'importe", "n’importe"})


def elided_negation(token: str, language: str) -> bool:
    """Whether the token holds a negation elided into it (``ELIDED_NEGATIONS``)."""
    prefixes = ELIDED_NEGATIONS.get(language)
    return prefixes is not None and token.startswith(prefixes) and token not in NOT_ELIDED_NEGATIONS


NEGATION_SCOPE = 3
"""Words after a negation that are marked negated ("not very good at all": very, good, at).
Tokens carry no punctuation, so a scope to the end of the clause would run on through the
rest of a whole review; three words won over that in cross-validation on every language."""
POST_VERB_NEGATIONS: dict[str, frozenset[str]] = {
    "fr": frozenset({"pas", "jamais", "rien", "guère"}),
    "no": frozenset({"ikke", "ikkje", "aldri"}),
    "da": frozenset({"ikke", "aldrig"}),
    "sv": frozenset({"inte", "ej", "aldrig"}),
    "de": frozenset({"nicht", "nie"}),
    "nl": frozenset({"niet", "nooit"}),
}
"""Negations that follow the verb they negate: French drops "ne" ("j'aime pas", "ça marche
pas") or elides it into the verb ("n'aime pas"), and Norwegian and Danish put "ikke" after
a finite verb ("jeg anbefaler ikke"), as Swedish, German and Dutch do ("rekommenderar inte",
"gefällt mir nicht", "werkt niet"). A lexicon word that is a finite verb (``finite_verb``)
with one of these right after it is negated. French "plus" and "point" are left out: without
"ne" they mostly mean "more" and "point"."""
OBJECT_PRONOUNS: dict[str, frozenset[str]] = {
    "sv": frozenset({"den", "det", "dem", "mig", "dig", "honom", "henne", "oss"}),
    "de": frozenset({"mir", "mich", "dir", "dich", "es", "ihn", "ihm", "uns", "das"}),
    "nl": frozenset({"het", "hem", "haar", "me", "mij", "je", "ons", "dat"}),
}
"""Pronouns that may stand between a verb and the negation after it ("rekommenderar den
inte", "gefällt mir nicht", "raad het niet aan") in these languages, for the lexicon
fallback and the classifier's word features alike (``negation_follows``; the languages
measured before, French and Norwegian, read the word right after the verb only)."""


def negation_follows(
    tokens: list[str], verb: int, post_negations: frozenset[str], language: str
) -> bool:
    """Whether one of ``post_negations`` (the language's ``POST_VERB_NEGATIONS``) comes
    right after the token at ``verb``, or after one object pronoun between them
    ("rekommenderar den inte", "empfehle es nicht"). Whether that token is a finite verb is
    the caller's question (``finite_verb``)."""
    after = verb + 1
    if after + 1 < len(tokens) and tokens[after] in OBJECT_PRONOUNS.get(language, ()):
        after += 1
    return after < len(tokens) and tokens[after] in post_negations


CLAUSE_BREAK = ","
"""Token put where the text ends a clause (``normalise.clause_tokens`` for the lexicon
fallbacks, ``normalise.sentiment_tokens`` for the classifiers): the lexicon sums stop a
negation's scope there ("Rien à dire, parfait": "parfait" is not negated). No lexicon knows
it, it negates nothing, and no word vector has it (they are of words)."""


def without_clause_breaks(tokens: list[str]) -> list[str]:
    """The tokens without CLAUSE_BREAK: the word features and character n-grams read the
    words alone, as before clauses were marked. A list of their lemmas loses the same
    places (a break's lemma is itself, no word's lemma is a break)."""
    if CLAUSE_BREAK not in tokens:
        return tokens
    return [token for token in tokens if token != CLAUSE_BREAK]


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
    width = len(padded)
    # one list comprehension (a generator per size into list.extend cost a quarter more)
    return tuple(
        [
            CHAR_PREFIX + padded[i : i + size]
            for size in range(low, min(high, width) + 1)
            for i in range(width - size + 1)
        ]
    )


_FRENCH_INFINITIVE = ("er", "ir", "re")


def finite_verb(token: str, base: str | None, language: str) -> bool:
    """Whether ``token`` (with lemma ``base``) looks like an inflected verb of the language:
    French, a form of an -er/-ir/-re lemma other than the infinitive; Norwegian and Danish,
    the present (lemma + "r") or the weak past ("-te", "-et") of an -e lemma; Swedish, the
    present or weak past ("-ade") of an -a lemma; German and Dutch, a form of an -en lemma
    other than the infinitive ("gefällt", "werkt")."""
    if base is None or base == token:
        return False
    if language == "fr":
        return base.endswith(_FRENCH_INFINITIVE)
    if language in ("no", "da") and base.endswith("e"):
        return token == base + "r" or token in (base[:-1] + "te", base[:-1] + "et")
    if language == "sv" and base.endswith("a"):
        return token in (base + "r", base + "de")
    if language in ("de", "nl"):
        return base.endswith("en")
    return False

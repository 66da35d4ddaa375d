"""Needs: sentences that state a wish, a missing feature, a request or a complaint.

Phrase patterns per language, checked in order (the first kind that matches wins).
Patterns are lower-case regexes over the sentence text, with light inflection
(Polish gendered forms, Norwegian word order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WISH = "wish"
MISSING = "missing"
REQUEST = "request"
COMPLAINT = "complaint"

NEED_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            WISH,
            r"\bi wish\b|\bwould (?:be|have been) (?:nice|great|good|better)\b|\bi(?:'d| would) (?:like|love)\b|\bhope (?:they|you)\b|\bif only\b|\bcould (?:be|have been) (?:a (?:lot|bit) |much |way )?\w+er\b",
        ),
        (
            MISSING,
            r"\bmissing\b|\blacks?\b|\blacking\b|\bthere (?:is|was) no\b|\bno option\b|\bdoes(?:n't| not) (?:have|offer|support)\b",
        ),
        (
            REQUEST,
            r"\bplease (?:add|make|fix|bring|offer|consider|improve)\b|\bshould (?:add|offer|have|improve|fix)\b|\bneeds? to (?:be )?(?:improve|fix|add)|\bneeds? (?:a|an) (?:better|bigger|proper)\b",
        ),
        (COMPLAINT, r"\bcomplain(?:ed|t)?\b|\bunacceptable\b|\bnever again\b"),
    ],
    "fr": [
        (
            WISH,
            r"\bj'aimerais\b|\bj'aurais aimé\b|\bce serait (?:bien|bien|top|génial|mieux)\b|\bça serait (?:bien|top|mieux)\b|\bje souhaite(?:rais)?\b|\bdommage qu|\bserait (?:bien|top|génial|pratique|mieux)\b|\bpourrait être\b",
        ),
        (
            MISSING,
            r"\bil manque\b|\bmanque (?:de|d')\b|\babsence (?:de|d')\b|\bil n'y a pas\b|\bpas de possibilité\b|\bmanquant\b",
        ),
        (
            REQUEST,
            r"\bmerci d'ajouter\b|\bveuillez\b|\bil faudrait\b|\bdevrai(?:en)?t (?:ajouter|proposer|améliorer)\b|\bs'il vous plaît\b",
        ),
        (COMPLAINT, r"\binadmissible\b|\binacceptable\b|\bplus jamais\b|\bréclamation\b"),
    ],
    "pl": [
        (
            WISH,
            r"\bchciał(?:a|o)?bym\b|\bchcielibyśmy\b|\bbyłoby (?:miło|fajnie|dobrze|super)\b|\bfajnie by było\b|\bszkoda, że\b|\bszkoda że\b|\bmam nadzieję\b|\bmógłby być\b|\bmogła(?:by)? być\b|\bmogłoby być\b",
        ),
        (MISSING, r"\bbrakuje\b|\bbrak\b|\bbrakowało\b|\bnie ma (?:możliwości|opcji)\b"),
        (
            REQUEST,
            r"\bprzydał(?:by|aby|oby|yby) się\b|\bprosz(?:ę|e) (?:o )?(?:dodać|dodanie|poprawić|zmienić)\b|\bpowinni (?:dodać|poprawić|zmienić)\b",
        ),
        (COMPLAINT, r"\bskandal\b|\bnigdy więcej\b|\bnie polecam\b|\breklamacj"),
    ],
    "no": [
        (
            WISH,
            r"\bskulle ønske\b|\bskulle gjerne\b|\bønsker meg\b|\bhadde vært (?:fint|bra|greit|kjekt|flott)\b|\bhåper (?:de|dere)\b|\bsynd at\b|\bkunne (?:godt )?(?:ha )?vært\b",
        ),
        (MISSING, r"\bsavner\b|\bmangler\b|\bmangel på\b|\bdet finnes ikke\b|\bikke mulig å\b"),
        (
            REQUEST,
            r"\bvennligst\b|\bbør (?:legge til|tilby|forbedre|fikse)\b|\blegg til\b|\bgjerne (?:legge til|tilby)\b",
        ),
        (COMPLAINT, r"\buakseptabelt\b|\baldri igjen\b|\bklage\b|\breklamasjon\b"),
    ],
    # Written from general knowledge of each language (no data of theirs to learn from):
    # the common ways to wish, miss, ask and complain, as for the languages above.
    "sv": [
        (
            WISH,
            r"\bjag (?:skulle )?önska(?:r|t)?\b|\bhade varit (?:bra|bättre|trevligt|skönt|smidigt)\b|\bhoppas (?:att )?(?:de|ni)\b|\bsynd att\b|\bkunde (?:ha )?varit\b",
        ),
        (
            MISSING,
            r"\bsaknar\b|\bsaknas\b|\bbrist på\b|\bavsaknad av\b|\bdet finns ingen\b|\binte möjligt att\b",
        ),
        (REQUEST, r"\bvänligen\b|\bbör (?:lägga till|erbjuda|förbättra|fixa)\b|\blägg till\b"),
        (COMPLAINT, r"\boacceptabelt\b|\baldrig igen\b|\bklagomål\b|\breklamation\b"),
    ],
    "de": [
        (
            WISH,
            r"\bich wünsche mir\b|\bwünschenswert\b|\bwäre (?:schön|toll|gut|besser|praktisch)\b|\bhätte mir\b|\bschade,? dass\b|\bhoffe,? dass\b|\bkönnte (?:etwas |viel )?\w+er sein\b",
        ),
        (
            MISSING,
            r"\bfehlt\b|\bfehlen\b|\bvermisse\b|\bmangel an\b|\bes gibt keine?n?\b|\bnicht möglich\b",
        ),
        (
            REQUEST,
            r"\bbitte (?:fügen|verbessern|ändern|bieten)\b|\bsollte(?:n)? (?:man )?(?:verbessert|hinzugefügt|geändert|angeboten)\b",
        ),
        (COMPLAINT, r"\binakzeptabel\b|\bnie wieder\b|\bbeschwerde\b|\breklamation\b"),
    ],
    "nl": [
        (
            WISH,
            r"\bik zou graag\b|\bzou (?:fijn|mooi|handig|beter) zijn\b|\bwas (?:fijn|handig|beter) geweest\b|\bjammer dat\b|\bhoop dat\b",
        ),
        (
            MISSING,
            r"\bmis ik\b|\bontbreekt\b|\bontbreken\b|\bgebrek aan\b|\ber is geen\b|\bniet mogelijk\b",
        ),
        (
            REQUEST,
            r"\bgraag (?:toevoegen|verbeteren)\b|\bzouden (?:moeten )?(?:toevoegen|verbeteren|aanbieden)\b",
        ),
        (COMPLAINT, r"\bonacceptabel\b|\bnooit meer\b|\bklacht\b"),
    ],
    "es": [
        (
            WISH,
            r"\bme gustaría\b|\bojalá\b|\bsería (?:bueno|genial|mejor|ideal|útil)\b|\blástima que\b|\bespero que\b|\bpodría ser\b",
        ),
        (MISSING, r"\bfalta\b|\bfaltan\b|\bno (?:hay|tiene) (?:opción|posibilidad)\b|\bcarece\b"),
        (REQUEST, r"\bpor favor\b|\bdeberían (?:añadir|mejorar|ofrecer|arreglar)\b"),
        (COMPLAINT, r"\binaceptable\b|\bnunca más\b|\breclamación\b|\bqueja\b"),
    ],
    "it": [
        (
            WISH,
            r"\bvorrei\b|\bsarebbe (?:bello|utile|meglio|ottimo|comodo)\b|\bpeccato che\b|\bspero che\b|\bpotrebbe essere\b",
        ),
        (MISSING, r"\bmanca\b|\bmancano\b|\bmancanza (?:di|d')\b|\bnon c'è\b|\bnon è possibile\b"),
        (REQUEST, r"\bper favore\b|\bdovrebbero (?:aggiungere|migliorare|offrire|sistemare)\b"),
        (COMPLAINT, r"\binaccettabile\b|\bmai più\b|\breclamo\b"),
    ],
}
_COMPILED = {
    lang: [(kind, re.compile(pattern)) for kind, pattern in patterns]
    for lang, patterns in NEED_PATTERNS.items()
}
# All of a language's patterns in one alternation: one scan clears most sentences, which
# have no need at all (non-capturing groups: capturing ones would make the scan slower).
_ANY_NEED = {
    lang: re.compile("|".join(f"(?:{pattern})" for _, pattern in patterns))
    for lang, patterns in NEED_PATTERNS.items()
}


@dataclass(frozen=True)
class NeedCue:
    """Where a sentence voices its need: its kind, and the text before and after the words
    that voice it ("my only complaint is the card": before "my only ", after " is the card").
    The cue's own words are never the need's topic."""

    kind: str
    before: str
    after: str


def need_cue(sentence: str, language: str | None) -> NeedCue | None:
    """The need a sentence expresses (wish/missing/request/complaint) and where, or None."""
    patterns = _COMPILED.get(language or "")
    if not patterns:
        return None
    lowered = sentence.lower().replace("’", "'")
    if _ANY_NEED[language or ""].search(lowered) is None:
        return None
    for kind, pattern in patterns:
        found = pattern.search(lowered)
        if found:
            return NeedCue(kind, lowered[: found.start()], lowered[found.end() :])
    return None


def need_kind(sentence: str, language: str | None) -> str | None:
    """The kind of need a sentence expresses (wish/missing/request/complaint), or None."""
    cue = need_cue(sentence, language)
    return cue.kind if cue is not None else None

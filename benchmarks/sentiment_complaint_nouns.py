"""Praise said by negating a complaint NOUN ("Nie mam żadnych zastrzeżeń", "Aucun souci
avec le vendeur", "Ingen innvendinger") or by "neither ... nor" over faults ("Ani głośny,
ani ciężki"), against complaints that use the same nouns plainly ("Mam poważne
zastrzeżenia") and controls (plain praise; "neither ... nor" over praise words, which is a
complaint), per language (issue #17).

Usage: python benchmarks/sentiment_complaint_nouns.py [--show]

Written before any change for this table was made, none of its sentences in
``sentiment_litotes.py`` or ``sentiment_litotes_fresh.py``; scored on main first. Prints,
per language and method (day one; the lexicon alone where a model scores day one), how many
of each group get their label right (praise and control praise: positive; complaints and
control complaints: negative).
"""

from __future__ import annotations

import sys
from pathlib import Path

from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE

sys.path.insert(0, str(Path(__file__).parent))
from sentiment_litotes_fresh import Group, print_groups
from show_option import show_wanted

PRAISE: dict[str, list[str]] = {
    "en": [
        "Not a complaint from us about the refund.",
        "Not a single defect.",
        "No issues so far.",
        "We had no problems with delivery.",
        "I have no reservations about it.",
        "Neither noisy nor heavy.",
        "Neither slow nor unreliable.",
        "There were no defects.",
        "Zero issues with the installation.",
        "Not one glitch in a year.",
        "No complaints about the packaging either.",
        "Never a problem with returns.",
        "Without any problems.",
    ],
    "fr": [
        "Aucun souci avec le vendeur.",
        "Rien à dire sur l'emballage.",
        "Je n'ai eu aucun problème.",
        "Pas la moindre réclamation.",
        "Aucun défaut constaté.",
        "Ni bruyant ni lourd.",
        "Ni cher ni fragile.",
        "Zéro souci depuis l'achat.",
        "Pas de bémol.",
        "Aucune réserve sur la qualité.",
        "Aucun reproche au service client.",
        "Pas d'incident lors de la livraison.",
        "Jamais de panne en trois ans.",
    ],
    "no": [
        "Ingen problemer med leveringen.",
        "Ingen innvendinger fra meg.",
        "Verken bråkete eller tung.",
        "Verken dyr eller skjør.",
        "Null problemer så langt.",
        "Har ikke hatt noen feil på den.",
        "Ingen reklamasjoner på ett år.",
        "Ingen mangler ved varen.",
        "Ingen klager på kundeservicen.",
        "Ikke et eneste avvik.",
        "Aldri noe trøbbel med retur.",
        "Ingen plunder med installasjonen.",
        "Uten noen form for problemer.",
    ],
    "pl": [
        "Nie mam żadnych zastrzeżeń do sprzedawcy.",
        "Towar bez zarzutu.",
        "Zero problemów z zamówieniem.",
        "Obyło się bez żadnych reklamacji.",
        "Żadnych wad nie zauważyłem.",
        "Ani głośny, ani ciężki.",
        "Ani za drogi, ani tandetny.",
        "Ani jednego problemu przez rok.",
        "Nie ma żadnych usterek.",
        "Brak jakichkolwiek problemów z dostawą.",
        "Nie było żadnych niedociągnięć.",
        "Obsługa bez zastrzeżeń.",
        "Nie spotkałem się z żadnymi kłopotami.",
    ],
}
COMPLAINTS: dict[str, list[str]] = {
    "en": [
        "I have several complaints about the seller.",
        "Many defects right out of the box.",
        "Lots of issues with the app.",
        "We had problems with delivery.",
        "I have serious reservations about the quality.",
        "Noisy and heavy.",
        "Constant glitches.",
        "Filed a complaint twice.",
        "The problem is the battery.",
    ],
    "fr": [
        "J'ai eu plusieurs problèmes avec le vendeur.",
        "Beaucoup de défauts de fabrication.",
        "Des soucis à répétition.",
        "J'ai déposé une réclamation.",
        "Un gros bémol sur la livraison.",
        "Bruyant et lourd.",
        "Panne au bout d'une semaine.",
        "J'ai des réserves sur la qualité.",
        "Plusieurs reproches à faire au service client.",
    ],
    "no": [
        "Mange problemer med leveringen.",
        "Jeg har flere innvendinger.",
        "Bråkete og tung.",
        "Varen hadde feil og mangler.",
        "Sendte en reklamasjon.",
        "Bare trøbbel med denne butikken.",
        "Stadige feil i appen.",
        "Problemet er batteriet.",
        "Masse plunder med installasjonen.",
    ],
    "pl": [
        "Mam poważne zastrzeżenia do jakości.",
        "Same problemy z tym zamówieniem.",
        "Złożyłem reklamację, bo produkt ma wadę.",
        "Ciągłe usterki i kłopoty z serwisem.",
        "Mam wiele zarzutów wobec sprzedawcy.",
        "Produkt ma liczne niedociągnięcia.",
        "Był problem z dostawą.",
        "Głośny i ciężki.",
        "Złożyłem skargę na kuriera.",
    ],
}
CONTROL_PRAISE: dict[str, list[str]] = {
    "en": ["Great value, fast shipping.", "Lovely staff."],
    "fr": ["Très bon produit, livraison rapide.", "Vendeur sérieux et aimable."],
    "no": ["Flott produkt og rask levering.", "Hyggelig personale."],
    "pl": ["Świetny produkt, szybka wysyłka.", "Miła i pomocna obsługa."],
}
CONTROL_COMPLAINTS: dict[str, list[str]] = {
    "en": ["Neither cheap nor good.", "Neither comfortable nor pretty.", "Not reliable."],
    "fr": ["Ni beau ni pratique.", "Ni rapide ni efficace.", "Pas fiable."],
    "no": ["Verken pen eller praktisk.", "Verken billig eller god.", "Ikke pålitelig."],
    "pl": ["Ani ładny, ani wygodny.", "Ani tani, ani dobry.", "Nie jest wygodny."],
}
GROUPS: tuple[Group, ...] = (
    ("praise", PRAISE, POSITIVE),
    ("complaints", COMPLAINTS, NEGATIVE),
    ("control praise", CONTROL_PRAISE, POSITIVE),
    ("control complaints", CONTROL_COMPLAINTS, NEGATIVE),
)


def main(argv: list[str]) -> int:
    return print_groups(GROUPS, argv)


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))

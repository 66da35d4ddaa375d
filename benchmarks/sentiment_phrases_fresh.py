"""A fresh held-out table for fixed multi-word opinion phrases (issue #17), per language.

Usage: python benchmarks/sentiment_phrases_fresh.py [--show]

Written (2026-12-07) before the phrase entries of ``seed_lexicon.toml`` and before the phrase
matcher (``lexicon_features.phrase_spans``), and read on main first: per language 10
sentences whose opinion is a fixed expression ("could be better", "laisse à désirer",
"ikke noe å skrive hjem om", "szkoda pieniędzy"; 5 praise, 5 complaints) and 10 controls
(5 and 5) without one, several of them using a phrase's words outside it ("marche très
bien", "Specjalnie zapłaciłem"), so a matcher that fires too readily loses there. Our own
sentences, none from an evaluation set nor from the other tables. Prints, per language and
method (day one; the lexicon alone where a model scores day one), how many of each group get
their label right (praise: positive; complaints: negative).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.scorer import SentimentScorer

sys.path.insert(0, str(Path(__file__).parent))
from sentiment_litotes_fresh import Group, print_groups
from show_option import show_wanted

PHRASE_PRAISE: dict[str, list[str]] = {
    "en": [
        "Couldn't be happier with this kettle.",
        "Worth every penny.",
        "The little charger does the job.",
        "This vacuum works like a charm.",
        "You can't go wrong with this brand.",
    ],
    "fr": [
        "Ce fer à repasser vaut vraiment le coup.",
        "L'emballage ne laisse rien à désirer.",
        "La perceuse fait le job.",
        "Le vendeur s'est occupé de nous aux petits oignons.",
        "Commande reçue, ça fait l'affaire.",
    ],
    "no": [
        "Verdt hver krone.",
        "Alt gikk som smurt med leveringen.",
        "Kaffetrakteren gjør jobben.",
        "Ingenting å utsette på den.",
        "Støvsugeren fungerer som den skal.",
    ],
    "pl": [
        "Ten czajnik to strzał w dziesiątkę.",
        "Obsługa na medal.",
        "Wszystko w porządku, paczka doszła.",
        "Nie ma się do czego przyczepić.",
        "Odkurzacz daje radę.",
    ],
}
PHRASE_COMPLAINTS: dict[str, list[str]] = {
    "en": [
        "The packaging could be better.",
        "The finish leaves a lot to be desired.",
        "Honestly nothing to write home about.",
        "A complete waste of money.",
        "The handle fell apart after a week.",
    ],
    "fr": [
        "La finition laisse à désirer.",
        "Le son est pas terrible.",
        "Mon casque marche plus depuis hier.",
        "La batterie est tombée en panne au bout d'un mois.",
        "On se moque du monde avec ces frais de port.",
    ],
    "no": [
        "Ikke noe å skrive hjem om.",
        "Lampen gikk i stykker etter en uke.",
        "Mikseren sluttet å virke etter to dager.",
        "Kvaliteten lar mye tilbake å ønske.",
        "Kundeservicen var under enhver kritikk.",
    ],
    "pl": [
        "Nic specjalnego, zwykły kubek.",
        "Szkoda pieniędzy na ten toster.",
        "Jakość pozostawia wiele do życzenia.",
        "Szału nie ma, zwykła bluzka.",
        "Ekspres przestał działać po miesiącu.",
    ],
}
CONTROL_PRAISE: dict[str, list[str]] = {
    "en": [
        "Much better than my old one.",
        "The courier was friendly and on time.",
        "Happy with the colour and the fit.",
        "Every part was in the box and easy to assemble.",
        "Solid build, quiet motor.",
    ],
    "fr": [
        "La machine marche très bien.",
        "Les plus beaux rideaux que j'ai achetés.",
        "Livreur ponctuel et souriant.",
        "La lampe éclaire bien, je suis contente.",
        "Le coup de main du vendeur m'a bien aidé.",
    ],
    "no": [
        "Veldig fornøyd med sofaen.",
        "Jeg skrev til butikken og fikk svar med en gang.",
        "Rask levering og god pakking.",
        "Flott farge og god passform.",
        "Hjem til meg på to dager, supert.",
    ],
    "pl": [
        "Bardzo dobra jakość wykonania.",
        "Paczka przyszła szybko i była dobrze zapakowana.",
        "Polecam ten sklep każdemu.",
        "Pieniądze wróciły na konto po dwóch dniach.",
        "Mam ten rower od roku i działa świetnie.",
    ],
}
CONTROL_COMPLAINTS: dict[str, list[str]] = {
    "en": [
        "The paint is chipped and the lid is cracked.",
        "Nobody answered my emails for two weeks.",
        "The strap broke on the first day.",
        "Cheap plastic, looks nothing like the photo.",
        "Too loud and the battery drains fast.",
    ],
    "fr": [
        "La colle ne tient pas, les semelles se décollent.",
        "Le vendeur m'a laissé sans réponse.",
        "Housse déchirée dès la première utilisation.",
        "Cette boutique est une catastrophe.",
        "Le bruit est terrible, on ne dort plus.",
    ],
    "no": [
        "Skjermen har en stygg ripe.",
        "Pakken kom aldri frem.",
        "Dårlig kvalitet på stoffet.",
        "Jeg måtte kaste hele boksen, den luktet vondt.",
        "Treg kundeservice og dyr frakt.",
    ],
    "pl": [
        "Kurtka przemaka przy pierwszym deszczu.",
        "Sprzedawca nie odpowiada na wiadomości.",
        "Tandetne wykonanie, pęknięta obudowa.",
        "Specjalnie zapłaciłem za szybką wysyłkę, a paczka szła tydzień.",
        "Fatalny kontakt ze sklepem.",
    ],
}
GROUPS: tuple[Group, ...] = (
    ("phrase praise", PHRASE_PRAISE, POSITIVE),
    ("phrase complaints", PHRASE_COMPLAINTS, NEGATIVE),
    ("control praise", CONTROL_PRAISE, POSITIVE),
    ("control complaints", CONTROL_COMPLAINTS, NEGATIVE),
)


Score = Callable[[list[str], str], list[tuple[float, str, float]]]


def right_counts(language: str, score: Score | None = None) -> dict[str, int]:
    """Per group, how many of the language's sentences get their label (day one, or
    ``score``, e.g. ``lexicon_scores``)."""
    scored_by = score or SentimentScorer().score
    return {
        group: sum(label == wanted for _, label, _ in scored_by(table[language], language))
        for group, table, wanted in GROUPS
    }


def main(argv: list[str]) -> int:
    return print_groups(GROUPS, argv)


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))

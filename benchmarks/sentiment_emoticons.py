"""Emoticons and emoji as the only cue, or beside a few plain words, per language: what day
one (the shipped base model, else the lexicon) and the lexicon fallback alone label them.

Usage: python benchmarks/sentiment_emoticons.py [--show]

The sentences are our own, written before the emoticon change was measured (per language 5
praise and 5 complaints, the same in each language), and not tuned on one by one. Prints
the counts of ``sentiment_litotes.report``.
"""

from __future__ import annotations

from sentiment_litotes import report
from show_option import show_wanted

PRAISE: dict[str, list[str]] = {
    "fr": [
        "Colis arrivé :)",
        "Livraison en deux jours 😀",
        "Reçu hier, ma fille l'adore <3",
        "Le mixeur tourne depuis un mois :D",
        "Emballage soigné, merci 👍",
    ],
    "no": [
        "Pakken kom i dag :)",
        "Levert på to dager 😀",
        "Datteren min bruker den hver dag <3",
        "Mikseren har gått i en måned nå :D",
        "Godt pakket, takk 👍",
    ],
    "pl": [
        "Paczka doszła :)",
        "Dostawa w dwa dni 😀",
        "Córka używa codziennie <3",
        "Mikser działa już miesiąc :D",
        "Starannie zapakowane, dzięki 👍",
    ],
    "en": [
        "Package arrived :)",
        "Delivered in two days 😀",
        "My daughter uses it every day <3",
        "The blender has been running for a month now :D",
        "Carefully packed, thanks 👍",
    ],
}
COMPLAINTS: dict[str, list[str]] = {
    "fr": [
        "Colis arrivé :(",
        "Toujours pas de réponse du service client 😡",
        "La taille ne correspond pas :-(",
        "Commande annulée sans prévenir 👎",
        "Deuxième retour ce mois-ci :'(",
    ],
    "no": [
        "Pakken kom i dag :(",
        "Fortsatt ikke svar fra kundeservice 😡",
        "Størrelsen stemmer ikke :-(",
        "Ordren ble kansellert uten beskjed 👎",
        "Andre retur denne måneden :'(",
    ],
    "pl": [
        "Paczka doszła :(",
        "Nadal brak odpowiedzi z obsługi klienta 😡",
        "Rozmiar się nie zgadza :-(",
        "Zamówienie anulowane bez uprzedzenia 👎",
        "Drugi zwrot w tym miesiącu :'(",
    ],
    "en": [
        "Package arrived :(",
        "Still no answer from customer service 😡",
        "The size does not match :-(",
        "Order cancelled without notice 👎",
        "Second return this month :'(",
    ],
}

if __name__ == "__main__":
    report(PRAISE, COMPLAINTS, ["--show"] if show_wanted(__doc__) else [])

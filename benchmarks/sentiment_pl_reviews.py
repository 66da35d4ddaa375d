"""Polish day one on shop-review sentences: the shipped base model and the lexicon fallback.

Usage: python benchmarks/sentiment_pl_reviews.py [--show]

The Polish base model is trained on PolEmo sentences about medicine (doctors, clinics); our
Polish users' text is shop reviews. These 40 sentences are our own, written (2026-12-07)
before any change they were used to check: 20 praise and 20 complaints about delivery and
parcels, customer service, quality, sizes, returns and complaints, the shop's app and site,
some informal and some typed without Polish diacritics. Main's base model read 39 of them
right, yet short factual sentences (the issue's "Przesyłka doszła szybko") wrong: 20 more,
10 and 10 (``SHORT_PRAISE``, ``SHORT_COMPLAINTS``), plain statements of fact without an
opinion word, were written then, still before any change. Prints how many of each half get
their label right with the day-one scorer (``SentimentScorer()``: the shipped base model)
and with its lexicon channel alone (Polish has no lexicon fallback: the seed lexicon
under the fallback's rules, as ``lexicon._valence_polarities`` reads any language; 0 is no
opinion, counted wrong); ``--show`` prints each sentence's polarity.
"""

from __future__ import annotations

import sys

from show_option import show_wanted

from compare.analysis.sentiment.lexicon import _valence_polarities
from compare.analysis.sentiment.scorer import SentimentScorer

PRAISE = [
    "Przesyłka doszła szybko, wszystko dobrze zapakowane.",
    "Paczka dotarła już następnego dnia, polecam ten sklep.",
    "Obsługa klienta bardzo miła i pomocna, problem rozwiązany od ręki.",
    "Świetna jakość wykonania, materiał gruby i przyjemny w dotyku.",
    "Rozmiar idealny, buty pasują jak ulał.",
    "Zwrot przyjęty bez problemu, pieniądze wróciły po trzech dniach.",
    "Aplikacja działa sprawnie, zamówienie złożyłam w minutę.",
    "Strona przejrzysta, płatność szybka i wygodna.",
    "Kurtka zgodna z opisem, jestem bardzo zadowolona.",
    "super sklep, wszystko ok, na pewno wrócę",
    "Polecam z czystym sumieniem, towar pierwsza klasa.",
    "Sprzedawca szybko odpowiedział na pytanie i doradził rozmiar.",
    "Reklamacja rozpatrzona pozytywnie w dwa dni, dziekuje!",
    "przesylka ekspresowa, towar zgodny z opisem, polecam",
    "Bardzo dobry stosunek jakości do ceny.",
    "Sukienka leży idealnie, kolor taki jak na zdjęciu.",
    "Kurier przyjechał punktualnie, paczka w idealnym stanie.",
    "Wymiana rozmiaru bez żadnych kosztów, wszystko sprawnie.",
    "extra jakosc, szybka wysylka, mega zadowolony",
    "Konsultant na czacie był uprzejmy i kompetentny.",
]
SHORT_PRAISE = [
    "Przesyłka doszła szybko.",
    "Paczka dotarła na drugi dzień.",
    "Zwrot pieniędzy w dwa dni.",
    "Towar dotarł cały.",
    "Kurier był na czas.",
    "Rozmiar się zgadza.",
    "Wszystko doszło w komplecie.",
    "zamowienie doszlo po jednym dniu",
    "Reklamacja uznana od razu.",
    "Obsługa odpisała w godzinę.",
]
SHORT_COMPLAINTS = [
    "Przesyłka doszła po miesiącu.",
    "Paczka zaginęła.",
    "Zwrotu pieniędzy brak do dziś.",
    "Towar doszedł pęknięty.",
    "Kurier nie przyjechał.",
    "Rozmiar się nie zgadza.",
    "Brakowało połowy zamówienia.",
    "zamowienie nie doszlo wcale",
    "Reklamacja odrzucona.",
    "Obsługa nie odpisuje od tygodnia.",
]
COMPLAINTS = [
    "Paczka nie doszła, a sklep nie odpowiada na maile.",
    "Przesyłka szła trzy tygodnie, nikt nie informował o opóźnieniu.",
    "Obsługa klienta niegrzeczna i kompletnie niekompetentna.",
    "Jakość fatalna, szwy puściły po pierwszym praniu.",
    "Rozmiar za mały, spodnie nie dopinają się w pasie.",
    "Czekam na zwrot pieniędzy od miesiąca, zero kontaktu.",
    "Aplikacja ciągle się zawiesza przy płatności.",
    "Strona nie działa, nie da się złożyć zamówienia.",
    "Produkt przyszedł uszkodzony, opakowanie rozerwane.",
    "masakra, nigdy wiecej tu nie kupie",
    "Reklamacja odrzucona bez podania powodu, skandal.",
    "Towar niezgodny z opisem, kolor zupełnie inny niż na zdjęciu.",
    "Kurier zostawił paczkę pod drzwiami i zniknęła.",
    "buty rozkleily sie po tygodniu, szkoda pieniedzy",
    "Dostałam zły rozmiar, a za wymianę muszę zapłacić sama.",
    "Bardzo słaba jakość, materiał cienki jak papier.",
    "Zamówienie anulowane bez powodu, pieniądze zablokowane.",
    "Odradzam, sprzedawca oszust i kłamca.",
    "paczka przyszla pusta, porazka",
    "Infolinia nie odbiera, czekałem godzinę na połączenie.",
]


TABLES = {"reviews": (PRAISE, COMPLAINTS), "short facts": (SHORT_PRAISE, SHORT_COMPLAINTS)}


def right_counts(
    praise: list[str], complaints: list[str], scores: list[tuple[float, str, float]]
) -> tuple[int, int]:
    """(praise scored positive, complaints scored negative) of scores of praise + complaints."""
    signs = [1] * len(praise) + [-1] * len(complaints)
    right = [polarity * sign > 0 for (polarity, _, _), sign in zip(scores, signs, strict=True)]
    return sum(right[: len(praise)]), sum(right[len(praise) :])


def main(argv: list[str]) -> int:
    for name, (praise, complaints) in TABLES.items():
        texts = praise + complaints
        for title, scores in (
            ("day one (shipped base model)", SentimentScorer().score(texts, "pl")),
            ("lexicon alone", [(p, "", 0.0) for p in _valence_polarities(texts, "pl")]),
        ):
            if "--show" in argv:
                signs = [1] * len(praise) + [-1] * len(complaints)
                for text, (polarity, _, _), sign in zip(texts, scores, signs, strict=True):
                    print(f"{'ok ' if polarity * sign > 0 else 'BAD'} {polarity:+.3f}  {text}")
            right = right_counts(praise, complaints, scores)
            print(
                f"Polish {name}, {title}: praise {right[0]}/{len(praise)}, "
                f"complaints {right[1]}/{len(complaints)}, all {sum(right)}/{len(texts)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))

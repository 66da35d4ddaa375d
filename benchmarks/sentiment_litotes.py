"""Praise said by negating a complaint ("Aucun problème, je recommande", "Nothing to
complain about") against plain complaints, per language: what day one (``SentimentScorer``
without a bundle: the shipped base model, else the lexicon) and the lexicon fallback alone
label them.

Usage: python benchmarks/sentiment_litotes.py [--show]

The sentences are our own, written before the clause-scope change was measured (15 praise
formulas built on a negation and 15 plain complaints per language), and not tuned on one by
one. Prints, per language and method, how many of each half get their label right
(praise: positive; complaint: negative); ``--show`` prints each sentence's label.
"""

from __future__ import annotations

from show_option import show_wanted

from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_name, lexicon_scores
from compare.analysis.sentiment.scorer import SentimentScorer

PRAISE: dict[str, list[str]] = {
    "fr": [
        "Rien à dire, parfait.",
        "Aucun problème, je recommande.",
        "Rien à redire, livraison rapide.",
        "Pas de souci, tout est arrivé en bon état.",
        "Aucun défaut, très bon produit.",
        "Je n'ai rien à reprocher au vendeur.",
        "Pas déçu du tout.",
        "Aucune mauvaise surprise, conforme à la description.",
        "Jamais eu de problème avec cette boutique.",
        "Rien à signaler, colis bien emballé.",
        "Pas de mauvaise surprise, je recommande.",
        "Aucun regret, excellent achat.",
        "Sans aucun souci, merci.",
        "Je ne regrette pas mon achat.",
        "Pas un seul problème en deux ans.",
    ],
    "no": [
        "Ikke noe å klage på.",
        "Ingen problemer, anbefales.",
        "Ingenting å utsette på varen.",
        "Aldri hatt problemer med denne butikken.",
        "Ikke skuffet i det hele tatt.",
        "Ingen klager, rask levering.",
        "Ingen feil, fungerer perfekt.",
        "Jeg angrer ikke på kjøpet.",
        "Ikke et eneste problem.",
        "Uten problemer, takk.",
        "Ingen negative overraskelser, som beskrevet.",
        "Har ingenting å klage på, god service.",
        "Ingen skader på pakken, alt var i orden.",
        "Ikke dårlig i det hele tatt.",
        "Ingen grunn til å klage, anbefaler butikken.",
    ],
    "pl": [
        "Nie mam zastrzeżeń.",
        "Bez problemu, polecam.",
        "Nie mam się do czego przyczepić.",
        "Żadnych problemów, szybka wysyłka.",
        "Nie zawiodłem się.",
        "Bez zarzutu, wszystko w porządku.",
        "Nigdy nie miałem problemów z tym sklepem.",
        "Brak wad, działa świetnie.",
        "Nie żałuję zakupu.",
        "Żadnych uszkodzeń, paczka dobrze zapakowana.",
        "Nie ma na co narzekać.",
        "Bez żadnych problemów, dziękuję.",
        "Nie było żadnych kłopotów, polecam.",
        "Niczego nie brakuje, zgodne z opisem.",
        "Wcale nie jest źle.",
    ],
    "en": [
        "No complaints, works perfectly.",
        "Nothing to complain about.",
        "No problems at all, highly recommend.",
        "Never had an issue with this shop.",
        "Not disappointed at all.",
        "No regrets, great purchase.",
        "Not bad at all.",
        "No defects, exactly as described.",
        "I have no complaints about the seller.",
        "Not a single problem in two years.",
        "No issues, fast delivery.",
        "Can't fault it.",
        "No damage, well packed.",
        "Never a problem, thanks.",
        "I don't regret buying it.",
    ],
}
COMPLAINTS: dict[str, list[str]] = {
    "fr": [
        "Colis arrivé cassé.",
        "Très déçu, je ne recommande pas.",
        "Le produit ne fonctionne pas.",
        "Service client injoignable, une honte.",
        "Livraison avec deux semaines de retard.",
        "Qualité médiocre, à éviter.",
        "Jamais reçu ma commande.",
        "Remboursement refusé sans explication.",
        "Le vendeur ne répond pas.",
        "Article abîmé et sale.",
        "Arnaque, fuyez.",
        "Taille trop petite, tissu de mauvaise qualité.",
        "Produit défectueux au bout d'une semaine.",
        "Rien ne marche, très mauvaise expérience.",
        "Pas conforme à la description, déçu.",
    ],
    "no": [
        "Pakken kom ødelagt.",
        "Veldig skuffet, anbefaler ikke.",
        "Produktet virker ikke.",
        "Kundeservice svarer aldri, elendig.",
        "Levering to uker for sent.",
        "Dårlig kvalitet, unngå denne butikken.",
        "Fikk aldri varen.",
        "Refusjon avslått uten forklaring.",
        "Selgeren svarer ikke.",
        "Varen var skadet og skitten.",
        "Svindel, hold dere unna.",
        "For liten, og stoffet er dårlig.",
        "Gikk i stykker etter en uke.",
        "Ingenting fungerer, veldig dårlig opplevelse.",
        "Ikke som beskrevet, skuffet.",
    ],
    "pl": [
        "Paczka przyszła uszkodzona.",
        "Bardzo rozczarowany, nie polecam.",
        "Produkt nie działa.",
        "Obsługa klienta nie odpowiada, skandal.",
        "Dostawa spóźniona o dwa tygodnie.",
        "Kiepska jakość, omijać.",
        "Nigdy nie dostałem zamówienia.",
        "Odmówiono zwrotu bez wyjaśnienia.",
        "Sprzedawca nie odpisuje.",
        "Towar zniszczony i brudny.",
        "Oszustwo, uważajcie.",
        "Za mały rozmiar, materiał słabej jakości.",
        "Zepsuł się po tygodniu.",
        "Nic nie działa, bardzo złe doświadczenie.",
        "Niezgodny z opisem, zawiedziony.",
    ],
    "en": [
        "The parcel arrived broken.",
        "Very disappointed, would not recommend.",
        "The product doesn't work.",
        "Customer service never answers, terrible.",
        "Delivery two weeks late.",
        "Poor quality, avoid.",
        "Never received my order.",
        "Refund refused without explanation.",
        "The seller does not reply.",
        "Item damaged and dirty.",
        "Scam, stay away.",
        "Too small, cheap fabric.",
        "Broke after a week.",
        "Nothing works, very bad experience.",
        "Not as described, disappointed.",
    ],
}


def report(praise: dict[str, list[str]], complaints: dict[str, list[str]], argv: list[str]) -> None:
    """Per language and method (day one; the lexicon alone where a model scores day one),
    how many praise sentences read positive and complaints negative (``--show``: each)."""
    show = "--show" in argv
    scorer = SentimentScorer()
    for language in praise:
        methods = {"day one " + scorer.method(language): scorer.score}
        if lexicon_name(language) is not None and scorer.classifier_for(language) is not None:
            methods["lexicon alone"] = lexicon_scores
        for name, score in methods.items():
            good = score(praise[language], language)
            bad = score(complaints[language], language)
            right_praise = sum(label == POSITIVE for _, label, _ in good)
            right_complaints = sum(label == NEGATIVE for _, label, _ in bad)
            print(
                f"{language} {name}: praise {right_praise}/{len(good)}, "
                f"complaints {right_complaints}/{len(bad)}, "
                f"total {right_praise + right_complaints}/{len(good) + len(bad)}"
            )
            if show:
                texts = praise[language] + complaints[language]
                for text, (polarity, label, _) in zip(texts, good + bad, strict=True):
                    print(f"    {polarity:+.2f} {label:8} {text}")


if __name__ == "__main__":
    report(PRAISE, COMPLAINTS, ["--show"] if show_wanted(__doc__) else [])

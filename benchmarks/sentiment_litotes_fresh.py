"""A fresh held-out table for issue #17: praise said as ONE negated complaint, with no other
opinion word in the sentence ("Nothing to criticise.", "Aucune plainte.", "Ingen mangler.",
"Nie mam uwag."), plain complaints, and negated praise that must stay negative ("Not
impressed.", "Pas satisfait du tout."), per language.

Usage: python benchmarks/sentiment_litotes_fresh.py [--show]

Written before any change for the issue was made, none of them in ``sentiment_litotes.py``,
and never tuned on: the changes were chosen on the train splits and the older table, and
this one was read on main first and at the end (twice: before and after one change was
dropped on cross-validation and a failing demo test). Prints, per language and method (day
one; the lexicon alone where a model scores day one), how many of each group get their
label right (praise: positive; complaints and negated praise: negative).
"""

from __future__ import annotations

import sys

from show_option import show_wanted

from compare.analysis.sentiment.labels import NEGATIVE, POSITIVE
from compare.analysis.sentiment.lexicon import lexicon_name, lexicon_scores
from compare.analysis.sentiment.scorer import SentimentScorer

PRAISE: dict[str, list[str]] = {
    "en": [
        "No complaints here.",
        "Nothing to criticise.",
        "I have nothing to complain about.",
        "Not a single complaint.",
        "Never had any trouble.",
        "No faults whatsoever.",
        "Nothing to fault.",
        "I can't complain.",
        "No issues with the order.",
        "Haven't had a single problem.",
        "No hassle at all.",
        "Nothing negative to say.",
    ],
    "fr": [
        "Rien à dire.",
        "Rien à reprocher.",
        "Aucune plainte.",
        "Je n'ai aucun reproche à faire.",
        "Pas le moindre problème.",
        "Jamais de souci avec eux.",
        "Aucun souci.",
        "Rien à redire sur la commande.",
        "Pas de problème particulier.",
        "Aucun incident.",
        "Je n'ai pas à me plaindre.",
        "Pas une seule panne.",
    ],
    "no": [
        "Ingenting å klage over.",
        "Ingen klager her.",
        "Ikke noe å utsette.",
        "Har ikke hatt noen problemer.",
        "Aldri noe tull.",
        "Ingen problemer i det hele tatt.",
        "Ikke noe problem med bestillingen.",
        "Ingen feil å finne.",
        "Ingenting å kritisere.",
        "Jeg har ingen klager.",
        "Ingen mangler.",
        "Har aldri hatt trøbbel.",
    ],
    "pl": [
        "Nie mam uwag.",
        "Nie mam nic do zarzucenia.",
        "Brak zastrzeżeń.",
        "Żadnych skarg.",
        "Nie było problemów.",
        "Nigdy żadnych kłopotów.",
        "Bez zastrzeżeń.",
        "Nie mam na co narzekać.",
        "Ani jednej usterki.",
        "Nic do zarzucenia.",
        "Żadnych usterek.",
        "Nie mam powodów do narzekań.",
    ],
}
COMPLAINTS: dict[str, list[str]] = {
    "en": [
        "The package was damaged.",
        "Awful customer service.",
        "It stopped working after two days.",
        "Very slow shipping.",
        "The colour faded quickly.",
        "I want my money back.",
        "Wrong size sent.",
        "The zipper broke immediately.",
        "Rude staff.",
        "The battery dies fast.",
        "Overpriced and flimsy.",
        "Waste of money.",
    ],
    "fr": [
        "Le colis était abîmé.",
        "Service client exécrable.",
        "Il a cessé de fonctionner au bout de deux jours.",
        "Livraison très lente.",
        "La couleur a vite passé.",
        "Je veux être remboursé.",
        "Mauvaise taille envoyée.",
        "La fermeture éclair a cassé tout de suite.",
        "Personnel désagréable.",
        "La batterie se vide vite.",
        "Trop cher et fragile.",
        "De l'argent jeté par les fenêtres.",
    ],
    "no": [
        "Pakken var skadet.",
        "Elendig kundeservice.",
        "Sluttet å virke etter to dager.",
        "Veldig treg levering.",
        "Fargen bleknet fort.",
        "Jeg vil ha pengene tilbake.",
        "Feil størrelse ble sendt.",
        "Glidelåsen røk med en gang.",
        "Uhøflige ansatte.",
        "Batteriet går fort tomt.",
        "Overpriset og skjør.",
        "Bortkastede penger.",
    ],
    "pl": [
        "Karton był zgnieciony.",
        "Fatalna obsługa klienta.",
        "Przestał działać po dwóch dniach.",
        "Bardzo wolna wysyłka.",
        "Kolor szybko wyblakł.",
        "Chcę zwrotu pieniędzy.",
        "Przysłano zły rozmiar.",
        "Zamek zepsuł się od razu.",
        "Niemiła obsługa.",
        "Bateria szybko się rozładowuje.",
        "Za drogie i tandetne.",
        "Strata pieniędzy.",
    ],
}
NEGATED_PRAISE: dict[str, list[str]] = {
    "en": [
        "Not good.",
        "Not worth the price.",
        "Not happy with this purchase.",
        "I would not recommend it.",
        "Not impressed.",
    ],
    "fr": [
        "Pas bon.",
        "Pas satisfait du tout.",
        "Ne vaut pas son prix.",
        "Je ne suis pas content.",
        "Pas recommandé.",
    ],
    "no": [
        "Ikke bra.",
        "Ikke fornøyd med kjøpet.",
        "Ikke verdt prisen.",
        "Jeg er ikke imponert.",
        "Kan ikke anbefales.",
    ],
    "pl": [
        "Nie jestem zadowolony.",
        "Nie warto.",
        "Nie jest warte swojej ceny.",
        "Niezbyt dobra jakość.",
        "Nie polecam.",
    ],
}


Group = tuple[str, dict[str, list[str]], str]
"""A table's group: its name, its sentences per language and the label they want."""


def print_groups(groups: tuple[Group, ...], argv: list[str]) -> int:
    """Per language and method (day one; the lexicon alone where a model scores day one),
    how many of each group get their label right (``--show`` in ``argv``: each sentence)."""
    show = "--show" in argv
    scorer = SentimentScorer()
    for language in groups[0][1]:
        methods = {"day one " + scorer.method(language): scorer.score}
        if lexicon_name(language) is not None and scorer.classifier_for(language) is not None:
            methods["lexicon alone"] = lexicon_scores
        for name, score in methods.items():
            cells, lines, right, total = [], [], 0, 0
            for group, table, wanted in groups:
                scored = score(table[language], language)
                hits = sum(label == wanted for _, label, _ in scored)
                right, total = right + hits, total + len(scored)
                cells.append(f"{group} {hits}/{len(scored)}")
                lines += [
                    f"    {p:+.2f} {label:8} {text}"
                    for text, (p, label, _) in zip(table[language], scored, strict=True)
                ]
            print(f"{language} {name}: " + ", ".join(cells) + f", total {right}/{total}")
            if show:
                print("\n".join(lines))
    return 0


def main(argv: list[str]) -> int:
    groups: tuple[Group, ...] = (
        ("praise", PRAISE, POSITIVE),
        ("complaints", COMPLAINTS, NEGATIVE),
        ("negated praise", NEGATED_PRAISE, NEGATIVE),
    )
    return print_groups(groups, argv)


if __name__ == "__main__":
    sys.exit(main(["--show"] if show_wanted(__doc__) else []))
